"""skaffold.yaml: a v4beta config whose artifacts build from the Dockerfile's targets, with one artifact for every
component the chart deploys, each injected into the chart's image values; profiles for kind/minikube and EKS."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.infra.test_chart_render import SCENARIOS, deep_merge, render
from tests.infra.test_images import DF, cmd_module

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((REPO_ROOT / "skaffold.yaml").read_text())
ARTIFACTS = {a["image"]: a for a in CONFIG["build"]["artifacts"]}
RELEASE = CONFIG["deploy"]["helm"]["releases"][0]
TEMPLATE_VAR = re.compile(r"\{\{\s*\.(IMAGE_[A-Z_]+?)_([A-Za-z0-9_]+)\s*\}\}")


def template_name(artifact: str) -> str:
    """How skaffold names an artifact in template variables ("/" and "-" become "_")."""
    return re.sub(r"[-/.]", "_", artifact)


def injected_values() -> dict:
    """setValueTemplates as skaffold would fill them: repository <artifact>-repo, tag <artifact>-tag."""
    values: dict = {}
    for path, template in RELEASE["setValueTemplates"].items():
        filled = TEMPLATE_VAR.sub(lambda m: f"{m.group(2)}-{'repo' if m.group(1) == 'IMAGE_REPO' else 'tag'}", template)
        node = values
        *parents, leaf = path.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = filled
    return values


def test_config_is_skaffold_v4beta():
    assert re.fullmatch(r"skaffold/v4beta\d+", CONFIG["apiVersion"])
    assert CONFIG["kind"] == "Config"


@pytest.mark.parametrize("artifact", ARTIFACTS)
def test_every_artifact_builds_a_dockerfile_target_that_exists(artifact):
    spec = ARTIFACTS[artifact]
    context = REPO_ROOT / spec.get("context", ".")
    assert context.is_dir()
    assert (context / spec["docker"]["dockerfile"]).is_file()
    assert spec["docker"]["target"] in {s.name for s in DF.stages}


def test_every_template_variable_names_an_artifact():
    names = {template_name(a) for a in ARTIFACTS}
    for path, template in RELEASE["setValueTemplates"].items():
        found = TEMPLATE_VAR.findall(template)
        assert found, path
        assert {name for _, name in found} <= names, (path, template)


@pytest.mark.parametrize("scenario_name", SCENARIOS)
def test_every_deployed_radiant_container_runs_an_injected_artifact_of_its_own_target(scenario_name):
    docs = render(deep_merge(SCENARIOS[scenario_name](), injected_values()))
    seen = set()
    for doc in docs:
        if doc["kind"] not in ("Deployment", "Job") or "radiant.ai/model-id" in doc["metadata"]["labels"]:
            continue
        for c in doc["spec"]["template"]["spec"]["containers"]:
            artifact = next((a for a in ARTIFACTS if c["image"] == f"{template_name(a)}-repo:{template_name(a)}-tag"),
                            None)
            assert artifact, f"{doc['kind']}/{doc['metadata']['name']} runs {c['image']}, not an injected artifact"
            # The chart's command and the artifact's default command start the same module.
            assert c["command"][:3] == ["python", "-m", cmd_module(ARTIFACTS[artifact]["docker"]["target"])]
            seen.add(artifact)
    assert {"radiant-router", "radiant-auth", "radiant-phi", "radiant-registry", "radiant-metering",
            "radiant-migrate"} <= seen


def test_every_artifact_is_used_by_some_deployment():
    every = deep_merge(SCENARIOS["operator"](), {"demoProvider": {"enabled": True}})
    images = {c["image"] for d in render(deep_merge(every, injected_values())) if d["kind"] in ("Deployment", "Job")
              for c in d["spec"]["template"]["spec"]["containers"]}
    assert {f"{template_name(a)}-repo:{template_name(a)}-tag" for a in ARTIFACTS} <= images


def test_deploys_the_chart_in_its_own_namespace():
    assert (REPO_ROOT / RELEASE["chartPath"] / "Chart.yaml").is_file()
    assert RELEASE["namespace"] == "radiant" and RELEASE["createNamespace"] is True


def profile(name: str) -> dict:
    return next(p for p in CONFIG["profiles"] if p["name"] == name)


def values_files(name: str) -> list[str]:
    patch = next(p for p in profile(name)["patches"] if p["path"] == "/deploy/helm/releases/0/valuesFiles")
    assert patch["op"] == "replace"
    return patch["value"]


def test_local_profile_uses_dev_values_and_never_pushes():
    local = profile("local")
    assert values_files("local") == ["charts/radiant/values-dev.yaml"]
    assert local["build"]["local"]["push"] is False
    assert any("kind-" in a.get("kubeContext", "") for a in local["activation"])


def test_eks_profile_uses_prod_values_and_pushes():
    eks = profile("eks")
    assert values_files("eks") == ["charts/radiant/values-prod.yaml"]
    assert eks["build"]["local"]["push"] is True
    assert any("arn:aws:eks" in a.get("kubeContext", "") for a in eks["activation"])


def test_profile_values_files_exist():
    for name in ("local", "eks"):
        for path in values_files(name):
            assert (REPO_ROOT / path).is_file(), path
