"""skaffold.yaml: a v4beta config whose artifacts build from the Dockerfile's targets, with one artifact for every
component the chart deploys in each profile, each injected into the chart's image values; a `local` profile for
kind/minikube (dev values, no push) and an `eks` profile (prod values, pushed to the Terraform ECR repositories)."""
from __future__ import annotations

import copy
import re
from pathlib import Path

import hcl2
import pytest
import yaml

from tests.infra.test_chart_render import deep_merge, render, values_file
from tests.infra.test_images import DF, cmd_module

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((REPO_ROOT / "skaffold.yaml").read_text())
TEMPLATE_VAR = re.compile(r"\{\{\s*\.(IMAGE_REPO|IMAGE_TAG|IMAGE_DIGEST)_([A-Za-z0-9_]+)\s*\}\}")
PROFILE_VALUES = {"local": "values-dev.yaml", "eks": "values-prod.yaml"}


def _pointer(path: str) -> list[str]:
    return [part.replace("~1", "/").replace("~0", "~") for part in path.lstrip("/").split("/")]


def apply_patches(config: dict, patches: list[dict]) -> dict:
    """The JSON-patch subset skaffold profiles use here (add, replace, remove; "-" appends)."""
    out = copy.deepcopy(config)
    for patch in patches:
        *parents, last = _pointer(patch["path"])
        node = out
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if patch["op"] == "remove":
            del node[int(last) if isinstance(node, list) else last]
        elif isinstance(node, list):
            node.insert(len(node) if last == "-" else int(last), patch["value"]) if patch["op"] == "add" \
                else node.__setitem__(int(last), patch["value"])
        else:
            assert patch["op"] == "add" or last in node, patch
            node[last] = patch["value"]
    return out


def profile(name: str) -> dict:
    return next(p for p in CONFIG["profiles"] if p["name"] == name)


def effective(profile_name: str) -> dict:
    return apply_patches(CONFIG, profile(profile_name).get("patches", []))


def artifacts(config: dict) -> dict[str, dict]:
    return {a["image"]: a for a in config["build"]["artifacts"]}


def release(config: dict) -> dict:
    return config["deploy"]["helm"]["releases"][0]


def template_name(artifact: str) -> str:
    """How skaffold names an artifact in template variables ("/" and "-" become "_")."""
    return re.sub(r"[-/.]", "_", artifact)


def injected_image(artifact: str) -> str:
    return f"{template_name(artifact)}-repo:{template_name(artifact)}-tag"


def injected_values(config: dict) -> dict:
    """setValueTemplates as skaffold fills them (repository <artifact>-repo, tag <artifact>-tag), as nested values."""
    values: dict = {}
    for path, template in release(config)["setValueTemplates"].items():
        filled = TEMPLATE_VAR.sub(lambda m: f"{m.group(2)}-{'repo' if m.group(1) == 'IMAGE_REPO' else 'tag'}", template)
        *parents, leaf = path.split(".")
        node = values
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = filled
    return values


def deployed_containers(docs: list[dict]):
    """(workload, container) of every Radiant container (the vLLM/TGI model servers run third-party images)."""
    for doc in docs:
        if doc["kind"] in ("Deployment", "Job") and "radiant.ai/model-id" not in doc["metadata"]["labels"]:
            for c in doc["spec"]["template"]["spec"]["containers"]:
                yield f"{doc['kind']}/{doc['metadata']['name']}", c


def test_config_is_skaffold_v4beta():
    assert re.fullmatch(r"skaffold/v4beta\d+", CONFIG["apiVersion"])
    assert CONFIG["kind"] == "Config"


def test_both_profiles_exist():
    assert {p["name"] for p in CONFIG["profiles"]} >= {"local", "eks"}


@pytest.mark.parametrize("profile_name", PROFILE_VALUES)
def test_every_artifact_builds_a_dockerfile_target_that_exists(profile_name):
    for name, spec in artifacts(effective(profile_name)).items():
        context = REPO_ROOT / spec.get("context", ".")
        assert context.is_dir(), name
        assert (context / spec["docker"]["dockerfile"]).is_file(), name
        assert spec["docker"]["target"] in {s.name for s in DF.stages}, name


@pytest.mark.parametrize("profile_name", PROFILE_VALUES)
def test_every_template_variable_names_an_artifact_of_the_profile(profile_name):
    config = effective(profile_name)
    names = {template_name(a) for a in artifacts(config)}
    for path, template in release(config)["setValueTemplates"].items():
        found = TEMPLATE_VAR.findall(template)
        assert found, path
        assert {name for _, name in found} <= names, (path, template)


@pytest.mark.parametrize(("profile_name", "extra"), [
    ("local", {}),
    ("eks", {}),
    ("eks", {"operator": {"enabled": True}}),
])
def test_every_deployed_container_runs_an_injected_artifact_of_its_own_service(profile_name, extra):
    config = effective(profile_name)
    values = deep_merge(deep_merge(values_file(PROFILE_VALUES[profile_name]), extra), injected_values(config))
    by_image = {injected_image(a): spec for a, spec in artifacts(config).items()}
    used = set()
    for where, c in deployed_containers(render(values)):
        assert c["image"] in by_image, f"{where} runs {c['image']}, not an artifact of profile {profile_name}"
        target = by_image[c["image"]]["docker"]["target"]
        if where.startswith("Job/"):
            # Migrations run in the image of the service whose schema they upgrade.
            assert c["name"] == target and c["command"] == ["python", "-m", "services.migrate", target]
        else:
            assert c["command"] == ["python", "-m", cmd_module(target)], where
        used.add(by_image[c["image"]]["image"])
    expected = {"router", "auth", "phi", "registry", "metering"} | ({"operator"} if extra else set())
    expected |= {"demo-provider"} if profile_name == "local" else set()
    assert used == expected


def test_every_artifact_is_deployed_by_some_profile():
    used = set()
    for profile_name, values_name in PROFILE_VALUES.items():
        config = effective(profile_name)
        values = deep_merge(deep_merge(values_file(values_name), {"operator": {"enabled": True}}), injected_values(config))
        images = {c["image"] for _, c in deployed_containers(render(values))}
        used |= {a for a in artifacts(config) if injected_image(a) in images}
    assert used == set(artifacts(effective("local"))) | set(artifacts(effective("eks")))


def _unquote(value):
    if isinstance(value, str):
        return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    if isinstance(value, dict):
        return {_unquote(k): _unquote(v) for k, v in value.items()}
    return value


def terraform_default(module: str, variable: str):
    """The default of a variable of a Terraform module (the contract the chart and skaffold must meet)."""
    parsed = _unquote(hcl2.loads((REPO_ROOT / "terraform" / "modules" / module / "variables.tf").read_text()))
    return next(block[variable]["default"] for block in parsed["variable"] if variable in block)


def test_eks_pushes_only_to_repositories_terraform_creates():
    assert set(artifacts(effective("eks"))) <= set(terraform_default("ecr", "services"))


def test_release_makes_the_service_accounts_terraform_trusts():
    trusted = terraform_default("service-roles", "service_account_names")
    assert release(CONFIG)["name"] == "radiant" and release(CONFIG)["namespace"] == "radiant"
    accounts = {d["metadata"]["name"] for d in render(deep_merge(values_file("values-prod.yaml"),
                                                                 {"operator": {"enabled": True}}))
                if d["kind"] == "ServiceAccount"}
    assert set(trusted.values()) <= accounts


def test_local_profile_uses_dev_values_and_never_pushes():
    config = effective("local")
    assert release(config)["valuesFiles"] == ["charts/radiant/values-dev.yaml"]
    assert config["build"]["local"]["push"] is False
    assert any("kind-" in a.get("kubeContext", "") for a in profile("local")["activation"])


def test_eks_profile_uses_prod_values_and_pushes():
    config = effective("eks")
    assert release(config)["valuesFiles"] == ["charts/radiant/values-prod.yaml"]
    assert config["build"]["local"]["push"] is True
    assert any("arn:aws:eks" in a.get("kubeContext", "") for a in profile("eks")["activation"])


def test_chart_and_values_files_exist():
    assert (REPO_ROOT / release(CONFIG)["chartPath"] / "Chart.yaml").is_file()
    for name in PROFILE_VALUES:
        for path in release(effective(name))["valuesFiles"]:
            assert (REPO_ROOT / path).is_file(), path
