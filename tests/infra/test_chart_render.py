"""The Helm chart lints and renders with the Helm SDK (no helm binary) for default, dev, prod and operator values;
every rendered object is valid for Kubernetes; values that break values.schema.json are refused.

The render helpers here are shared by the other chart tests (test_chart_behaviour.py, test_chart_checkov.py)."""
from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import helm_python as helm
import kubernetes_validate
import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
CHART = REPO_ROOT / "charts" / "radiant"
KUBE_VERSION = "1.31.0"  # EKS versions we target are 1.30+; the chart declares kubeVersion >=1.30
RELEASE = "radiant"
NAMESPACE = "radiant"
CORE_SERVICES = ("router", "auth", "phi", "registry", "metering")
DATABASE_SERVICES = ("router", "auth", "phi", "registry", "metering")
# Kinds from CRDs the cluster must have (External Secrets Operator, Prometheus Operator); checked structurally.
CUSTOM_KINDS = {"ExternalSecret", "ServiceMonitor", "PrometheusRule"}

MODEL_SERVERS = [
    {"id": "llama-3-8b", "runtime": "vllm", "model": "meta-llama/Meta-Llama-3-8B-Instruct",
     "args": ["--max-model-len", "8192"], "secretEnv": {"HF_TOKEN": "hf-token"}},
    {"id": "mistral-7b", "runtime": "tgi", "model": "mistralai/Mistral-7B-Instruct-v0.3", "gpus": 2},
]


def values_file(name: str) -> dict:
    return helm.values_from_yaml((CHART / name).read_text())


def deep_merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        out[key] = deep_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _operator_values() -> dict:
    prod = values_file("values-prod.yaml")
    return deep_merge(prod, {"operator": {"enabled": True},
                             "models": {"servers": MODEL_SERVERS},
                             "secrets": {"externalSecret": {"data": {"hf-token": {"key": "radiant-prod/providers/huggingface"}}}}})


SCENARIOS = {
    "default": lambda: {},
    "dev": lambda: values_file("values-dev.yaml"),
    "prod": lambda: values_file("values-prod.yaml"),
    "operator": _operator_values,
}


@functools.lru_cache(maxsize=1)
def _chart() -> helm.Chart:
    return helm.Chart.load(CHART)


@functools.lru_cache(maxsize=64)
def _render_json(values_json: str) -> tuple[tuple[str, str], ...]:
    rendered = _chart().render(values=json.loads(values_json), name=RELEASE, namespace=NAMESPACE, is_install=True)
    return tuple(sorted(rendered.items()))


def render_files(values: dict | None = None) -> dict[str, str]:
    """Template path -> rendered text (NOTES.txt included)."""
    return dict(_render_json(json.dumps(values or {}, sort_keys=True)))


def render(values: dict | None = None) -> list[dict]:
    """Every rendered Kubernetes object (NOTES.txt left out)."""
    docs: list[dict] = []
    for path, text in render_files(values).items():
        if path.endswith("NOTES.txt"):
            continue
        docs.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return copy.deepcopy(docs)


def scenario(name: str) -> list[dict]:
    return render(SCENARIOS[name]())


def notes(values: dict | None = None) -> str:
    return next(text for path, text in render_files(values).items() if path.endswith("NOTES.txt"))


def objects(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def name_of(component: str) -> str:
    return f"{RELEASE}-{component}"


def lint(values: dict | None = None) -> dict:
    return helm.lint(CHART, values, strict=True, namespace=NAMESPACE, kube_version=f"v{KUBE_VERSION}")


def lint_errors(values: dict | None = None) -> list[str]:
    report = lint(values)
    return [m["error"] for m in report["messages"] if m["severity"] >= 2] + list(report["errors"])


@pytest.mark.parametrize("name", SCENARIOS)
def test_chart_lints_without_findings(name):
    report = lint(SCENARIOS[name]())
    assert report["total_charts_linted"] == 1
    assert lint_errors(SCENARIOS[name]()) == []


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_rendered_object_is_valid_kubernetes(name):
    docs = scenario(name)
    assert len(docs) > 30
    for doc in docs:
        if doc["kind"] in CUSTOM_KINDS:
            continue
        kubernetes_validate.validate(doc, KUBE_VERSION, strict=True)


def test_strict_validation_rejects_a_field_kubernetes_does_not_know():
    deployment = objects(scenario("default"), "Deployment")[name_of("router")]
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["grpcc"] = {"port": 1}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBE_VERSION, strict=True)


@pytest.mark.parametrize("name", ["prod", "operator"])
def test_external_secrets_are_well_formed(name):
    externals = objects(scenario(name), "ExternalSecret")
    assert set(externals) == {"radiant-secrets", name_of("migrations")}
    for es in externals.values():
        assert es["apiVersion"] == "external-secrets.io/v1"
        spec = es["spec"]
        assert spec["secretStoreRef"] == {"kind": "ClusterSecretStore", "name": "aws-secrets-manager"}
        assert spec["target"]["name"] == es["metadata"]["name"]
        assert spec["data"], es["metadata"]["name"]
        for entry in spec["data"]:
            assert set(entry) == {"secretKey", "remoteRef"}
            assert entry["remoteRef"]["key"].startswith("radiant-prod/")


def test_values_files_are_accepted_by_the_schema():
    for name in ("values-dev.yaml", "values-prod.yaml"):
        _chart().validate_schema(deep_merge(_chart().values, values_file(name)))


BAD_VALUES = [
    pytest.param({"router": {"replicas": "two"}}, "/router/replicas", id="wrong-type"),
    pytest.param({"routr": {"replicas": 2}}, "'routr' not allowed", id="unknown-top-level-key"),
    pytest.param({"auth": {"replica": 2}}, "'replica' not allowed", id="unknown-nested-key"),
    pytest.param({"env": "production"}, "/env", id="bad-enum-env"),
    pytest.param({"image": {"pullPolicy": "Sometimes"}}, "/image/pullPolicy", id="bad-enum-pull-policy"),
    pytest.param({"models": {"servers": [{"id": "m", "runtime": "llamacpp", "model": "x"}]}},
                 "/models/servers/0/runtime", id="bad-enum-runtime"),
    pytest.param({"metering": {"replicas": 0}}, "/metering/replicas", id="below-minimum"),
    pytest.param({"router": {"autoscaling": {"targetCPUUtilizationPercentage": 150}}},
                 "/router/autoscaling/targetCPUUtilizationPercentage", id="above-maximum"),
    pytest.param({"phi": {"resources": {"limits": {"memory": None}}}}, "/phi/resources/limits",
                 id="memory-limit-removed"),
    pytest.param({"auth": {"env": {"RADIANT_API_KEY_PEPPER": "plaintext"}}}, "RADIANT_API_KEY_PEPPER",
                 id="secret-in-configmap-env"),
    pytest.param({"router": {"env": {"RADIANT_DATABASE_URL": "postgresql://u:p@h/db"}}}, "RADIANT_DATABASE_URL",
                 id="database-url-in-configmap-env"),
    pytest.param({"auth": {"serviceAccount": {"roleArn": "radiant-auth"}}}, "/auth/serviceAccount/roleArn",
                 id="role-arn-not-an-arn"),
    pytest.param({"ingress": {"enabled": True, "host": "api.example.com"}}, "/ingress/certificateArn",
                 id="ingress-without-certificate"),
    pytest.param({"secrets": {"externalSecret": {"enabled": True}}}, "/secrets/externalSecret/data",
                 id="external-secret-without-data"),
    pytest.param({"networkPolicy": {"postgres": {"cidrs": ["10.0.0.0"], "port": 5432}}},
                 "/networkPolicy/postgres/cidrs/0", id="cidr-without-prefix"),
]


@pytest.mark.parametrize(("values", "where"), BAD_VALUES)
def test_lint_rejects_values_that_break_the_schema(values, where):
    errors = lint_errors(values)
    assert errors, f"lint accepted {values}"
    assert any(where in e for e in errors), errors


def test_render_refuses_values_that_break_the_schema():
    with pytest.raises(helm.HelmValuesError, match="/env"):
        render({"env": "production"})


def test_external_secret_must_cover_every_key_a_service_reads():
    values = deep_merge(values_file("values-prod.yaml"), {"router": {"secretEnv": {"RADIANT_GROQ_API_KEY": "groq-api-key"}}})
    with pytest.raises(helm.HelmRenderError, match='no entry "groq-api-key" \\(RADIANT_GROQ_API_KEY of router\\)'):
        render(values)


@pytest.mark.parametrize(("server", "where"), [
    ({"id": "Llama_3", "runtime": "vllm", "model": "m"}, "/models/servers/0/id"),
    ({"id": "llama", "runtime": "vllm"}, "'model'"),
    ({"id": "llama", "runtime": "vllm", "model": "m", "gpus": 0}, "/models/servers/0/gpus"),
    ({"id": "llama", "runtime": "vllm", "model": "m", "replicas": 3}, "'replicas' not allowed"),
])
def test_lint_rejects_bad_model_servers(server, where):
    errors = lint_errors({"models": {"servers": [server]}})
    assert any(where in e for e in errors), errors


def test_the_terraform_helm_values_overlay_shape_is_accepted_on_top_of_prod():
    """terraform output helm_values (terraform/modules/platform/helm_values.tf) is passed after values-prod.yaml."""
    registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com/radiant-prod"
    overlay = {svc: {"image": {"repository": f"{registry}/{svc}"},
                     "serviceAccount": {"roleArn": f"arn:aws:iam::123456789012:role/radiant-prod-{svc}"}}
               for svc in (*CORE_SERVICES, "operator")}
    overlay["metering"]["env"] = {"RADIANT_REQUEST_LOG_ARCHIVE_BUCKET": "radiant-prod-audit-archive-123456789012",
                                  "RADIANT_AWS_REGION": "us-east-1"}
    overlay |= {
        "cognito": {"jwksUrl": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc/.well-known/jwks.json",
                    "issuer": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc", "audience": "client"},
        "ingress": {"certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-0000-0000-0000-000000000000",
                    "wafAclArn": ""},
        "secrets": {"externalSecret": {"enabled": True, "data": {
            "auth-database-url": {"key": "radiant-prod/database", "property": "auth_url"}}}},
    }
    values = deep_merge(values_file("values-prod.yaml"), overlay)
    assert lint_errors(values) == []
    docs = render(values)
    router = objects(docs, "Deployment")[name_of("router")]["spec"]["template"]["spec"]
    assert router["containers"][0]["image"] == f"{registry}/router:0.1.0"
    ingress = objects(docs, "Ingress")[name_of("router")]["metadata"]["annotations"]
    assert "alb.ingress.kubernetes.io/wafv2-acl-arn" not in ingress  # no WAF below tier 2
    metering = objects(docs, "ConfigMap")[name_of("metering")]["data"]
    assert metering["RADIANT_REQUEST_LOG_ARCHIVE_BUCKET"] == "radiant-prod-audit-archive-123456789012"
