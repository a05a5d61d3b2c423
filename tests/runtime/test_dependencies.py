"""Every third-party module that services/ imports comes from a distribution named in [project].dependencies.

A module that arrives only through an extra (e.g. `jsonschema` through schemathesis in `test`) keeps the test suite
green while `pip install -e .` followed by `radiant up` fails on a fresh machine. A direct import is declared directly,
even when a declared distribution happens to bring it today."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from tests.conftest import REPO_ROOT

_LOCAL = {"services", "radiant", "__future__"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_distributions(pyproject: Path) -> set[str]:
    project = tomllib.loads(pyproject.read_text())["project"]
    return {_norm(re.split(r"[\s<>=!~;\[(]", dep, maxsplit=1)[0]) for dep in project.get("dependencies", [])}


def imported_modules(root: Path) -> dict[str, set[str]]:
    """Top-level module -> files (relative to root's parent) that import it, absolute imports only."""
    found: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in _LOCAL and top not in sys.stdlib_module_names:
                    found.setdefault(top, set()).add(str(path.relative_to(root.parent)))
    return found


def undeclared_imports(root: Path, pyproject: Path) -> list[str]:
    """One line per module that no base dependency provides, naming the module, its distributions and the files."""
    declared = declared_distributions(pyproject)
    owners_by_module = packages_distributions()
    problems = []
    for module, files in sorted(imported_modules(root).items()):
        owners = {_norm(d) for d in owners_by_module.get(module, ())}
        if owners & declared:
            continue
        source = f"provided by {', '.join(sorted(owners))}" if owners else "not installed at all"
        problems.append(f"{module} ({source}) imported by {', '.join(sorted(files))}: "
                        f"not in [project].dependencies")
    return problems


def test_every_import_of_services_is_a_base_dependency():
    problems = undeclared_imports(REPO_ROOT / "services", REPO_ROOT / "pyproject.toml")
    assert not problems, "a fresh `pip install -e .` would not bring:\n" + "\n".join(problems)


def test_a_module_only_an_extra_brings_is_named_with_its_file(tmp_path):
    services = tmp_path / "services"
    (services / "router").mkdir(parents=True)
    (services / "router" / "ok.py").write_text("import orjson\nfrom fastapi import FastAPI\nimport services.x\n")
    # hypothesis is installed (test extra) but not a base dependency.
    (services / "router" / "uses_extra.py").write_text("def f():\n    from hypothesis import given\n")
    problems = undeclared_imports(services, REPO_ROOT / "pyproject.toml")
    assert len(problems) == 1
    assert problems[0].startswith("hypothesis (provided by hypothesis) imported by services/router/uses_extra.py")


def test_a_module_that_is_not_installed_is_reported(tmp_path):
    services = tmp_path / "services"
    services.mkdir()
    (services / "a.py").write_text("import radiant_no_such_module_xyz\n")
    assert undeclared_imports(services, REPO_ROOT / "pyproject.toml") == [
        "radiant_no_such_module_xyz (not installed at all) imported by services/a.py: not in [project].dependencies"]
