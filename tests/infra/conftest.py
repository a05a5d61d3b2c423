"""Shared fixtures of the infrastructure tests: the checkov program and a helper that runs it.

checkov pins its own boto3 and python-hcl2, so it lives in a venv of its own (`.venv-checkov`, created by
scripts/test) and is run as a program. A missing binary fails the tests; it never skips them.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECKOV_BIN = REPO_ROOT / ".venv-checkov" / "bin" / "checkov"


@dataclass(frozen=True)
class FailedCheck:
    check_id: str
    check_name: str
    resource: str
    file_path: str
    lines: tuple[int, int]

    def __str__(self) -> str:
        return f"{self.check_id} {self.resource} ({self.file_path}:{self.lines[0]}-{self.lines[1]}): {self.check_name}"


def _reports(stdout: str) -> list[dict]:
    """checkov -o json prints one report object per framework, or a list of them when several ran."""
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(f"checkov did not print a JSON report: {exc}\n{stdout[:2000]}") from exc
    return data if isinstance(data, list) else [data]


def run_checkov(
    checkov_bin: Path,
    target: Path,
    framework: str,
    config_file: Path | None = None,
    extra_args: tuple[str, ...] = (),
) -> list[FailedCheck]:
    """Scan `target` (a directory or a file) with one checkov framework and return the failed checks.

    Fails loudly when checkov crashes, cannot parse a file, or finds nothing to check at all, so a broken
    target can never pass as "no findings".
    """
    target = Path(target)
    if not target.exists():
        raise AssertionError(f"checkov target {target} does not exist")
    cmd = [str(checkov_bin), "-d" if target.is_dir() else "-f", str(target), "--framework", framework, "-o", "json"]
    if config_file is not None:
        cmd += ["--config-file", str(config_file)]
    cmd += list(extra_args)
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, cwd=REPO_ROOT)
    # Exit code 1 only means "some check failed"; anything else is a crash.
    if proc.returncode not in (0, 1):
        raise AssertionError(f"checkov exited {proc.returncode}:\n{proc.stderr[-4000:]}")

    failed: list[FailedCheck] = []
    resources = 0
    for report in _reports(proc.stdout):
        results = report.get("results", {})
        if results.get("parsing_errors"):
            raise AssertionError(f"checkov could not parse: {results['parsing_errors']}")
        resources += report.get("summary", {}).get("resource_count", 0)
        for check in results.get("failed_checks", []):
            failed.append(
                FailedCheck(
                    check_id=check["check_id"],
                    check_name=check.get("check_name", ""),
                    resource=check.get("resource", ""),
                    file_path=check.get("file_path", ""),
                    lines=tuple(check.get("file_line_range") or (0, 0)),
                )
            )
    if resources == 0:
        raise AssertionError(f"checkov found no {framework} resources to check in {target}")
    return failed


@pytest.fixture(scope="session")
def checkov_bin() -> Path:
    if not os.access(CHECKOV_BIN, os.X_OK):
        pytest.fail(
            f"checkov is missing: expected an executable at {CHECKOV_BIN}. Create it with scripts/test (it builds "
            "the .venv-checkov venv with `pip install checkov==3.3.30`).",
            pytrace=False,
        )
    return CHECKOV_BIN


@pytest.fixture(scope="session")
def checkov(checkov_bin: Path) -> Callable[..., list[FailedCheck]]:
    """run_checkov bound to the located binary: checkov(target, framework, config_file=None, extra_args=())."""

    def _run(
        target: Path, framework: str, config_file: Path | None = None, extra_args: tuple[str, ...] = ()
    ) -> list[FailedCheck]:
        return run_checkov(checkov_bin, target, framework, config_file, extra_args)

    return _run
