"""checkov (framework kubernetes) passes on the rendered chart, and every skipped check is written down with a
reason in charts/radiant/.checkov.yaml."""
from __future__ import annotations

import pytest
import yaml

from tests.infra.test_chart_render import CHART, SCENARIOS, scenario

CONFIG = CHART / ".checkov.yaml"


@pytest.mark.parametrize("name", SCENARIOS)
def test_checkov_finds_nothing_in_the_rendered_chart(name, checkov, tmp_path):
    docs = scenario(name)
    for i, doc in enumerate(docs):
        (tmp_path / f"{i:03d}-{doc['kind'].lower()}-{doc['metadata']['name']}.yaml").write_text(yaml.safe_dump(doc))
    failed = checkov(tmp_path, "kubernetes", config_file=CONFIG)
    assert failed == [], "\n".join(map(str, failed))


def _skip_reasons() -> dict[str, str]:
    """skip-check entries of the config, each with the comment line written right above it."""
    reasons: dict[str, str] = {}
    comment = ""
    for line in CONFIG.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            comment = stripped.lstrip("# ")
        elif stripped.startswith("- CKV"):
            reasons[stripped[2:]] = comment
            comment = ""
        else:
            comment = ""
    return reasons


def test_every_config_skip_has_a_reason():
    config = yaml.safe_load(CONFIG.read_text())
    assert config["framework"] == ["kubernetes"]
    reasons = _skip_reasons()
    assert sorted(reasons) == sorted(config["skip-check"])
    for check, reason in reasons.items():
        assert len(reason) > 40, f"{check} has no reason above it in {CONFIG.name}"


def test_resource_scoped_skips_are_listed_in_the_config_with_a_reason():
    listed = CONFIG.read_text()
    annotated = {}
    for doc in scenario("operator"):
        for key, value in (doc["metadata"].get("annotations") or {}).items():
            if key.startswith("checkov.io/skip"):
                check, _, reason = value.partition("=")
                annotated[(doc["kind"], doc["metadata"]["name"])] = check
                assert len(reason) > 20 and check in listed, (doc["metadata"]["name"], value)
    # Only the operator needs its service-account token.
    assert annotated == {("Deployment", "radiant-operator"): "CKV_K8S_38"}
