"""terraform/ is `terraform fmt` clean and passes checkov (with the skips of terraform/.checkov.yaml, each with its
reason); both tools demonstrably catch a breakage in a copy of a module. No network: registry modules are not
downloaded and terraform init/validate is not run here (see terraform/README.md for that)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
TERRAFORM = REPO_ROOT / "terraform"
CHECKOV_CONFIG = TERRAFORM / ".checkov.yaml"


@pytest.fixture(scope="session")
def terraform_bin() -> str:
    path = shutil.which("terraform") or "/usr/local/bin/terraform"
    if not Path(path).is_file():
        pytest.fail("the terraform binary is missing (expected on PATH or at /usr/local/bin/terraform)", pytrace=False)
    return path


def fmt_check(terraform_bin: str, root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [terraform_bin, "fmt", "-check", "-recursive", "-list=true", str(root)],
        capture_output=True, text=True, timeout=120,
    )


def test_fmt_is_clean(terraform_bin):
    result = fmt_check(terraform_bin, TERRAFORM)
    assert result.returncode == 0, f"terraform fmt would rewrite:\n{result.stdout}{result.stderr}"


def test_fmt_check_names_a_misformatted_file(terraform_bin, tmp_path):
    module = tmp_path / "ecr"
    shutil.copytree(TERRAFORM / "modules" / "ecr", module)
    main = module / "main.tf"
    main.write_text(main.read_text().replace('  image_tag_mutability = "IMMUTABLE"', '  image_tag_mutability="IMMUTABLE"'))
    result = fmt_check(terraform_bin, tmp_path)
    assert result.returncode != 0
    assert "ecr/main.tf" in result.stdout


def test_checkov_passes(checkov):
    failed = checkov(TERRAFORM, "terraform", CHECKOV_CONFIG)
    assert failed == [], "checkov findings:\n" + "\n".join(map(str, failed))


def test_every_skipped_check_has_a_reason():
    config = yaml.safe_load(CHECKOV_CONFIG.read_text())
    skipped = config["skip-check"]
    assert skipped, "the config is expected to list its skips"
    lines = CHECKOV_CONFIG.read_text().splitlines()
    for check_id in skipped:
        index = next(i for i, line in enumerate(lines) if re.fullmatch(rf"\s*-\s*{check_id}\s*", line))
        reason = lines[index - 1].strip()
        assert reason.startswith("#") and len(reason) > 20, f"{check_id} is skipped without a reason comment"


def test_checkov_catches_a_mutable_unscanned_repository(checkov, tmp_path):
    module = tmp_path / "ecr"
    shutil.copytree(TERRAFORM / "modules" / "ecr", module)
    main = module / "main.tf"
    text = main.read_text()
    text = text.replace('image_tag_mutability = "IMMUTABLE"', 'image_tag_mutability = "MUTABLE"')
    text = text.replace("scan_on_push = true", "scan_on_push = false")
    main.write_text(text)
    failed = checkov(module, "terraform", CHECKOV_CONFIG)
    # One finding per check and repository (checkov expands for_each over the default service list).
    assert {f.check_id for f in failed} == {"CKV_AWS_51", "CKV_AWS_163"}
    assert {f.resource for f in failed} == {f'aws_ecr_repository.service["{svc}"]' for svc in
                                            ("router", "auth", "phi", "registry", "metering", "operator")}


def test_checkov_catches_an_unencrypted_redis(checkov, tmp_path):
    module = tmp_path / "redis"
    shutil.copytree(TERRAFORM / "modules" / "redis", module)
    main = module / "main.tf"
    main.write_text(main.read_text().replace("transit_encryption_enabled = true", "transit_encryption_enabled = false"))
    failed = {f.check_id for f in checkov(module, "terraform", CHECKOV_CONFIG)}
    assert {"CKV_AWS_30", "CKV_AWS_31"} <= failed


def terraform_test(terraform_bin: str, module: Path) -> subprocess.CompletedProcess:
    """`terraform init` + `terraform test` of a module that needs no provider (runs offline)."""
    env = {"TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1", "PATH": "/usr/bin:/bin"}
    init = subprocess.run([terraform_bin, f"-chdir={module}", "init", "-input=false", "-no-color"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert init.returncode == 0, init.stdout + init.stderr
    return subprocess.run([terraform_bin, f"-chdir={module}", "test", "-no-color"],
                          capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture
def tier_module(tmp_path) -> Path:
    module = tmp_path / "tier"
    shutil.copytree(TERRAFORM / "modules" / "tier", module)
    return module


def test_tier_table_passes_its_terraform_tests(terraform_bin, tier_module):
    result = terraform_test(terraform_bin, tier_module)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed, 0 failed" in result.stdout


def test_tier_terraform_tests_catch_a_wrong_size(terraform_bin, tier_module):
    main = tier_module / "main.tf"
    main.write_text(main.read_text().replace("aurora_max_acu           = [2, 4, 8, 16, 64]",
                                             "aurora_max_acu           = [2, 4, 4, 16, 64]"))
    result = terraform_test(terraform_bin, tier_module)
    assert result.returncode != 0
    assert "tier 3 Aurora must be 1-8 ACU" in result.stdout + result.stderr
