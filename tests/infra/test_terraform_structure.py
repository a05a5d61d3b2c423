"""Structure of terraform/: every file parses, every module is complete and pinned, every variable is typed and
described, every taggable AWS resource is tagged, and the environments call only existing modules with every
required input. Each rule is a function returning the problems it finds, so the negative tests can break a copy of
the tree and assert the rule names the breakage. The last tests pin the security-relevant settings the issue asks
for (least-privilege roles, scale-to-zero GPU nodes, prod deletion protection, admin MFA...)."""

from __future__ import annotations

import functools
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import hcl2
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TERRAFORM = REPO_ROOT / "terraform"
ENVIRONMENTS = ("dev", "prod")
MODULE_FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf")
META_ARGUMENTS = {"source", "version", "count", "for_each", "providers", "depends_on"}

# Resource types this code base creates that take tags; each must carry `tags` built from var.tags.
TAGGABLE = {
    "aws_acm_certificate",
    "aws_cloudwatch_log_group",
    "aws_cloudwatch_metric_alarm",
    "aws_cognito_user_pool",
    "aws_ecr_repository",
    "aws_elasticache_parameter_group",
    "aws_elasticache_replication_group",
    "aws_iam_policy",
    "aws_iam_role",
    "aws_kms_key",
    "aws_rds_cluster",
    "aws_rds_cluster_instance",
    "aws_rds_cluster_parameter_group",
    "aws_s3_bucket",
    "aws_sagemaker_endpoint",
    "aws_sagemaker_endpoint_configuration",
    "aws_sagemaker_model",
    "aws_secretsmanager_secret",
    "aws_security_group",
    "aws_sns_topic",
    "aws_vpc_security_group_egress_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_wafv2_web_acl",
    "awscc_sagemaker_inference_component",
}
# Resource types without a tags argument, with the reason.
NOT_TAGGABLE = {
    "aws_acm_certificate_validation": "a waiter for issuance, not an AWS object",
    "aws_route53_record": "DNS records have no tags",
    "aws_cognito_user_group": "Cognito groups have no tags argument",
    "aws_cognito_user_pool_client": "app clients have no tags argument",
    "aws_cognito_user_pool_domain": "pool domains have no tags argument",
    "aws_ecr_lifecycle_policy": "a policy of the tagged repository, no tags argument",
    "aws_iam_role_policy": "an inline policy is part of its (tagged) role",
    "aws_iam_role_policy_attachment": "an attachment, no tags argument",
    "aws_kms_alias": "aliases have no tags argument",
    "aws_s3_bucket_lifecycle_configuration": "configuration of the tagged bucket",
    "aws_s3_bucket_object_lock_configuration": "configuration of the tagged bucket",
    "aws_s3_bucket_ownership_controls": "configuration of the tagged bucket",
    "aws_s3_bucket_policy": "configuration of the tagged bucket",
    "aws_s3_bucket_public_access_block": "configuration of the tagged bucket",
    "aws_s3_bucket_server_side_encryption_configuration": "configuration of the tagged bucket",
    "aws_s3_bucket_versioning": "configuration of the tagged bucket",
    "aws_secretsmanager_secret_version": "a version is tagged through its secret",
    "aws_sns_topic_subscription": "subscriptions have no tags argument",
    "aws_wafv2_web_acl_logging_configuration": "logging configuration of the tagged web ACL, no tags argument",
    "helm_release": "a Kubernetes release, not an AWS resource",
    "random_bytes": "generated value, not an AWS resource",
    "random_password": "generated value, not an AWS resource",
    "tls_private_key": "generated key, not an AWS resource",
}
REQUIRED_TAG_KEYS = {"project", "environment", "tier", "managed-by"}


# ---------------------------------------------------------------------------------------------------------------
# Loading: python-hcl2 keeps the quotes of string literals and block labels and adds __markers__; normalise once.
# ---------------------------------------------------------------------------------------------------------------


def _unquote(value):
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def _normalise(node):
    if isinstance(node, dict):
        return {_unquote(k): _normalise(v) for k, v in node.items() if not k.startswith("__")}
    if isinstance(node, list):
        return [_normalise(v) for v in node]
    return _unquote(node)


def parse(path: Path) -> dict:
    return _parse_cached(path.resolve(), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=None)
def _parse_cached(path: Path, mtime_ns: int) -> dict:
    with path.open() as fh:
        return _normalise(hcl2.load(fh))


@dataclass
class TfDir:
    path: Path
    files: dict[str, dict] = field(default_factory=dict)

    def blocks(self, kind: str):
        for fname, doc in self.files.items():
            for item in doc.get(kind, []):
                yield fname, item

    @property
    def variables(self) -> dict[str, dict]:
        return {name: body for _, item in self.blocks("variable") for name, body in item.items()}

    @property
    def resources(self) -> list[tuple[str, str, str, dict]]:
        return [
            (fname, rtype, rname, body)
            for fname, item in self.blocks("resource")
            for rtype, named in item.items()
            for rname, body in named.items()
        ]

    @property
    def module_calls(self) -> dict[str, dict]:
        return {name: body for _, item in self.blocks("module") for name, body in item.items()}

    @property
    def required_providers(self) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for _, terraform in self.blocks("terraform"):
            for entry in terraform.get("required_providers", []):
                found.update(entry)
        return found

    @property
    def locals(self) -> dict:
        merged: dict = {}
        for _, item in self.blocks("locals"):
            merged.update(item)
        return merged


def load_dir(path: Path) -> TfDir:
    tf = TfDir(path)
    for f in sorted(path.glob("*.tf")):
        tf.files[f.name] = parse(f)
    return tf


def module_dirs(root: Path) -> list[Path]:
    return sorted(p for p in (root / "modules").iterdir() if p.is_dir())


def env_dirs(root: Path) -> list[Path]:
    return [root / "envs" / env for env in ENVIRONMENTS]


# ---------------------------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------------------------


def problems_module_files(root: Path) -> list[str]:
    return [
        f"{d.relative_to(root)}: missing {name}"
        for d in module_dirs(root)
        for name in MODULE_FILES
        if not (d / name).is_file()
    ]


_PINNED = re.compile(r"^\s*(~>\s*\d+\.\d+(\.\d+)?|=?\s*\d+\.\d+\.\d+|>=\s*[\d.]+\s*,\s*<\s*[\d.]+)\s*$")
_EXACT = re.compile(r"^\d+\.\d+\.\d+$")


def problems_pinned_providers(root: Path) -> list[str]:
    """versions.tf sets required_version and pins every provider the module's resources use."""
    problems = []
    for d in module_dirs(root) + env_dirs(root):
        where = d.relative_to(root)
        tf = load_dir(d)
        if not any("required_version" in t for _, t in tf.blocks("terraform")):
            problems.append(f"{where}: no required_version")
        declared = tf.required_providers
        for name, spec in declared.items():
            if not isinstance(spec, dict) or not spec.get("source"):
                problems.append(f"{where}: provider {name} has no source")
            elif not _PINNED.match(str(spec.get("version", ""))):
                problems.append(f"{where}: provider {name} version {spec.get('version')!r} is not pinned")
        used = {rtype.split("_", 1)[0] for _, rtype, _, _ in tf.resources}
        for provider in sorted(used - set(declared)):
            problems.append(f"{where}: uses {provider} resources without declaring the provider")
    return problems


def problems_variables(root: Path) -> list[str]:
    problems = []
    for d in module_dirs(root) + [root / "envs" / "common"]:
        for name, body in load_dir(d).variables.items():
            where = f"{d.relative_to(root)}: variable {name}"
            if not body.get("type"):
                problems.append(f"{where} has no type")
            if not str(body.get("description", "")).strip():
                problems.append(f"{where} has no description")
    return problems


def problems_tags(root: Path) -> list[str]:
    problems = []
    for d in module_dirs(root):
        tf = load_dir(d)
        for fname, rtype, rname, body in tf.resources:
            where = f"{d.relative_to(root)}/{fname}: {rtype}.{rname}"
            if rtype in TAGGABLE:
                if "var.tags" not in str(body.get("tags", "")):
                    problems.append(f"{where} is taggable but not tagged with var.tags")
            elif rtype not in NOT_TAGGABLE:
                problems.append(f"{where}: unclassified resource type (add it to TAGGABLE or NOT_TAGGABLE)")
        for name, body in tf.module_calls.items():
            if not str(body["source"]).startswith(".") and "var.tags" not in str(body.get("tags", "")):
                problems.append(f"{d.relative_to(root)}: registry module {name} is not passed var.tags")
    return problems


def problems_module_calls(root: Path) -> list[str]:
    """Local sources resolve to modules, registry sources are pinned, required inputs are set, no unknown inputs."""
    problems = []
    for d in module_dirs(root) + env_dirs(root):
        for name, body in load_dir(d).module_calls.items():
            where = f"{d.relative_to(root)}: module {name}"
            source = str(body["source"])
            if not source.startswith("."):
                if not _EXACT.match(str(body.get("version", ""))):
                    problems.append(f"{where}: registry source {source} needs an exact version")
                continue
            target = (d / source).resolve()
            if not (target / "variables.tf").is_file():
                problems.append(f"{where}: source {source} is not a module")
                continue
            declared = load_dir(target).variables
            args = set(body) - META_ARGUMENTS
            for var in sorted(v for v, spec in declared.items() if "default" not in spec):
                if var not in args:
                    problems.append(f"{where}: required variable {var} is not set")
            for arg in sorted(args - set(declared)):
                problems.append(f"{where}: {arg} is not a variable of {source}")
    return problems


def problems_env_inputs(root: Path) -> list[str]:
    """Root variables without a default get a value from the environment's terraform.tfvars."""
    problems = []
    variables = load_dir(root / "envs" / "common").variables
    for d in env_dirs(root):
        tfvars = d / "terraform.tfvars"
        values = parse(tfvars) if tfvars.is_file() else {}
        for var in sorted(v for v, spec in variables.items() if "default" not in spec):
            if var not in values:
                problems.append(f"{d.relative_to(root)}: variable {var} has no value in terraform.tfvars")
    return problems


_REF_VAR = re.compile(r"\bvar\.([A-Za-z_][\w-]*)")
_REF_LOCAL = re.compile(r"\blocal\.([A-Za-z_][\w-]*)")
_REF_MODULE = re.compile(r"\bmodule\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.([A-Za-z_][\w-]*)")
_REF_RESOURCE = re.compile(r"(?<![\w.])((?:aws|awscc|random|helm)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)")
_REF_DATA = re.compile(r"\bdata\.([a-z0-9_]+)\.([A-Za-z_][\w-]*)")


def _code(d: Path) -> str:
    """The directory's HCL without full-line comments (comments may mention names that are not references)."""
    return "\n".join(
        line for f in sorted(d.glob("*.tf")) for line in f.read_text().splitlines() if not line.lstrip().startswith("#")
    )


def problems_references(root: Path) -> list[str]:
    """var.*, local.*, data.*, resource and module.<local module>.<output> references name things that exist (what
    terraform validate would check, without providers)."""
    problems = []
    for d in module_dirs(root) + env_dirs(root):
        where = d.relative_to(root)
        tf = load_dir(d)
        code = _code(d)
        for name in sorted(set(_REF_VAR.findall(code)) - set(tf.variables)):
            problems.append(f"{where}: var.{name} is not declared")
        for name in sorted(set(_REF_LOCAL.findall(code)) - set(tf.locals)):
            problems.append(f"{where}: local.{name} is not defined")
        resources = {(rtype, rname) for _, rtype, rname, _ in tf.resources}
        for ref in sorted(set(_REF_RESOURCE.findall(code)) - resources):
            problems.append(f"{where}: {ref[0]}.{ref[1]} is not a resource here")
        data = {(dtype, dname) for _, item in tf.blocks("data") for dtype, named in item.items() for dname in named}
        for ref in sorted(set(_REF_DATA.findall(code)) - data):
            problems.append(f"{where}: data.{ref[0]}.{ref[1]} is not a data source here")
        calls = tf.module_calls
        for call, attr in sorted(set(_REF_MODULE.findall(code))):
            if call not in calls:
                problems.append(f"{where}: module.{call} is not called here")
            elif str(calls[call]["source"]).startswith("."):
                outputs = {n for _, item in load_dir((d / calls[call]["source"]).resolve()).blocks("output") for n in item}
                if attr not in outputs:
                    problems.append(f"{where}: module.{call}.{attr} is not an output of {calls[call]['source']}")
    return problems


RULES = {
    "module_files": problems_module_files,
    "pinned_providers": problems_pinned_providers,
    "variables": problems_variables,
    "tags": problems_tags,
    "module_calls": problems_module_calls,
    "env_inputs": problems_env_inputs,
    "references": problems_references,
}


# ---------------------------------------------------------------------------------------------------------------
# The tree as committed
# ---------------------------------------------------------------------------------------------------------------

TF_FILES = sorted(p for p in TERRAFORM.rglob("*.tf") if ".terraform" not in p.parts)


def test_the_tree_has_modules_and_environments():
    names = {d.name for d in module_dirs(TERRAFORM)}
    assert {"network", "eks", "aurora", "redis", "cognito", "secrets", "kms", "ecr", "audit-archive", "waf",
            "sagemaker", "service-roles", "certificate", "tier", "platform"} <= names
    assert all((d / "main.tf").is_file() for d in env_dirs(TERRAFORM))


@pytest.mark.parametrize("path", TF_FILES, ids=[str(p.relative_to(TERRAFORM)) for p in TF_FILES])
def test_every_file_parses(path):
    doc = parse(path)
    assert doc, f"{path} parsed to nothing"


@pytest.mark.parametrize("rule", sorted(RULES))
def test_rule_holds_for_the_tree(rule):
    assert RULES[rule](TERRAFORM) == []


# ---------------------------------------------------------------------------------------------------------------
# Each rule catches its breakage in a copy of the tree
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "terraform"
    shutil.copytree(TERRAFORM, root, symlinks=True, ignore=shutil.ignore_patterns(".terraform"))
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_missing_outputs_file_is_reported(tree):
    (tree / "modules/ecr/outputs.tf").unlink()
    assert problems_module_files(tree) == ["modules/ecr: missing outputs.tf"]


def test_unpinned_provider_is_reported(tree):
    _edit(tree / "modules/redis/versions.tf", 'version = "~> 3.6"', 'version = ">= 3.0"')
    assert problems_pinned_providers(tree) == ["modules/redis: provider random version '>= 3.0' is not pinned"]


def test_undeclared_provider_is_reported(tree):
    versions = tree / "modules/sagemaker/versions.tf"
    text = versions.read_text()
    versions.write_text(re.sub(r"\n    awscc = \{.*?\n    \}", "", text, flags=re.S))
    assert problems_pinned_providers(tree) == ["modules/sagemaker: uses awscc resources without declaring the provider"]


def test_variable_without_description_is_reported(tree):
    _edit(tree / "modules/waf/variables.tf", 'description = "Web ACL name, e.g. radiant-prod."', 'description = " "')
    assert problems_variables(tree) == ["modules/waf: variable name has no description"]


def test_variable_without_type_is_reported(tree):
    _edit(tree / "modules/aurora/variables.tf", '  description = "Aurora PostgreSQL engine version."\n  type        = string\n',
          '  description = "Aurora PostgreSQL engine version."\n')
    assert problems_variables(tree) == ["modules/aurora: variable engine_version has no type"]


def test_untagged_resource_is_reported(tree):
    _edit(tree / "modules/ecr/main.tf", "  tags = var.tags\n", "")
    assert problems_tags(tree) == ["modules/ecr/main.tf: aws_ecr_repository.service is taggable but not tagged with var.tags"]


def test_unclassified_resource_type_is_reported(tree):
    with (tree / "modules/ecr/main.tf").open("a") as fh:
        fh.write('\nresource "aws_ecr_registry_scanning_configuration" "this" {\n  scan_type = "ENHANCED"\n}\n')
    assert problems_tags(tree) == [
        "modules/ecr/main.tf: aws_ecr_registry_scanning_configuration.this: unclassified resource type "
        "(add it to TAGGABLE or NOT_TAGGABLE)"
    ]


def test_registry_module_without_tags_is_reported(tree):
    _edit(tree / "modules/eks/main.tf", "  attach_ebs_csi_policy = true\n", "  attach_ebs_csi_policy = true\n  #\n")
    text = (tree / "modules/eks/main.tf").read_text()
    block_start = text.index('module "ebs_csi_irsa"')
    block_end = text.index('module "load_balancer_controller_irsa"')
    block = text[block_start:block_end].replace("  tags = var.tags\n", "")
    (tree / "modules/eks/main.tf").write_text(text[:block_start] + block + text[block_end:])
    assert problems_tags(tree) == ["modules/eks: registry module ebs_csi_irsa is not passed var.tags"]


def test_module_source_that_does_not_exist_is_reported(tree):
    _edit(tree / "envs/prod/main.tf", 'source = "../../modules/platform"', 'source = "../../modules/platfrom"')
    assert problems_module_calls(tree) == ["envs/prod: module platform: source ../../modules/platfrom is not a module"]


def test_missing_required_variable_is_reported(tree):
    _edit(tree / "envs/dev/main.tf", "  deletion_protection                  = false\n", "")
    assert problems_module_calls(tree) == ["envs/dev: module platform: required variable deletion_protection is not set"]


def test_unknown_module_input_is_reported(tree):
    _edit(tree / "modules/platform/main.tf", "  rate_limit_per_5min   =", "  rate_limit_per_minute =")
    assert problems_module_calls(tree) == [
        "modules/platform: module waf: required variable rate_limit_per_5min is not set",
        "modules/platform: module waf: rate_limit_per_minute is not a variable of ../waf",
    ]


def test_registry_module_with_a_version_range_is_reported(tree):
    _edit(tree / "modules/network/main.tf", 'version = "5.21.0"', 'version = "~> 5.21"')
    assert problems_module_calls(tree) == [
        "modules/network: module vpc: registry source terraform-aws-modules/vpc/aws needs an exact version"
    ]


def test_root_variable_without_value_is_reported(tree):
    _edit(tree / "envs/prod/terraform.tfvars", 'vpc_cidr = "10.50.0.0/16"\n', "")
    assert problems_env_inputs(tree) == ["envs/prod: variable vpc_cidr has no value in terraform.tfvars"]


def test_reference_to_a_missing_module_output_is_reported(tree):
    _edit(tree / "modules/platform/helm_values.tf", "module.secrets.app_secret_name, property = \"api_key_pepper\"",
          "module.secrets.app_secret, property = \"api_key_pepper\"")
    assert problems_references(tree) == ["modules/platform: module.secrets.app_secret is not an output of ../secrets"]


def test_reference_to_a_missing_resource_is_reported(tree):
    _edit(tree / "modules/sagemaker/main.tf", "aws_iam_role.execution.arn\n  # Models", "aws_iam_role.exec.arn\n  # Models")
    assert problems_references(tree) == ["modules/sagemaker: aws_iam_role.exec is not a resource here"]


def test_reference_to_an_undeclared_variable_is_reported(tree):
    _edit(tree / "modules/redis/main.tf", "var.snapshot_retention_days", "var.snapshot_retention")
    assert problems_references(tree) == ["modules/redis: var.snapshot_retention is not declared"]


# ---------------------------------------------------------------------------------------------------------------
# Settings the issue asks for
# ---------------------------------------------------------------------------------------------------------------


def _module(name: str) -> TfDir:
    return load_dir(TERRAFORM / "modules" / name)


def _env_platform_inputs(env: str) -> dict:
    return load_dir(TERRAFORM / "envs" / env).module_calls["platform"]


def test_environments_tag_everything_through_provider_default_tags():
    common = load_dir(TERRAFORM / "envs" / "common")
    aws = next(item["aws"] for _, item in common.blocks("provider") if "aws" in item)
    assert aws["default_tags"][0]["tags"] == "${local.tags}"
    for env in ENVIRONMENTS:
        tags = load_dir(TERRAFORM / "envs" / env).locals["tags"]
        assert set(tags) == REQUIRED_TAG_KEYS
        assert tags["environment"] == "${local.environment}"
        assert _env_platform_inputs(env)["tags"] == "${local.tags}"


def test_prod_is_protected_and_keeps_backups_longer_than_dev():
    dev, prod = _env_platform_inputs("dev"), _env_platform_inputs("prod")
    assert prod["deletion_protection"] is True
    assert (dev["backup_retention_days"], prod["backup_retention_days"]) == (7, 30)
    aurora = _module("aurora").resources
    cluster = next(body for _, rtype, _, body in aurora if rtype == "aws_rds_cluster")
    assert cluster["deletion_protection"] == "${var.deletion_protection}"
    assert cluster["backup_retention_period"] == "${var.backup_retention_days}"
    assert cluster["iam_database_authentication_enabled"] is True
    assert cluster["storage_encrypted"] is True
    assert cluster["enabled_cloudwatch_logs_exports"] == ["postgresql"]


def test_tier_table_covers_every_setting_for_all_five_tiers():
    settings = _module("tier").locals["settings"]
    lists = {k: v for k, v in settings.items() if "[local.i]" in str(v)}
    assert {"aurora_min_acu", "aurora_max_acu", "redis_node_type", "gpu_instance_types", "gpu_max_size"} <= set(lists)
    for key, expr in lists.items():
        table = expr.split("][local.i]")[0]
        depth = 0
        entries = 1
        for ch in table[3:]:  # skip "${["
            depth += ch in "[{("
            depth -= ch in "]})"
            entries += ch == "," and depth == 0
        assert entries == 5, f"{key} has {entries} entries, one per tier expected"


def test_gpu_node_group_is_tainted_labelled_and_scales_from_zero():
    eks = _module("eks")
    groups = eks.module_calls["eks"]["eks_managed_node_groups"]
    gpu = groups["gpu"]
    assert (gpu["min_size"], gpu["desired_size"]) == (0, 0)
    assert gpu["labels"]["radiant.io/pool"] == "gpu"
    assert gpu["taints"] == {"gpu": "${local.gpu_taint}"}
    assert eks.locals["gpu_taint"] == {"key": "nvidia.com/gpu", "value": "true", "effect": "NO_SCHEDULE"}
    addons = eks.module_calls["eks"]["cluster_addons"]
    assert set(addons) == {"vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver", "eks-pod-identity-agent"}
    charts = {body["chart"] for _, rtype, _, body in eks.resources if rtype == "helm_release"}
    assert "nvidia-device-plugin" in charts


def _role_actions(statements: list) -> set[str]:
    """Actions of a role's statements; a reference to local.decrypt_secrets stands for kms:Decrypt."""
    actions: set[str] = set()
    for st in statements:
        if st == "${local.decrypt_secrets}":
            actions.add("kms:Decrypt")
        else:
            actions.update(st["actions"])
    return actions


def test_service_roles_grant_only_what_each_service_calls():
    roles = _module("service-roles").locals
    statements = roles["statements"]
    assert set(statements) == {"router", "operator", "metering", "auth", "external-secrets"}, "phi, registry get nothing"
    assert _role_actions(statements["auth"]) == {
        "cognito-idp:AdminCreateUser", "cognito-idp:AdminGetUser", "cognito-idp:AdminAddUserToGroup",
        "cognito-idp:AdminRemoveUserFromGroup", "ses:SendEmail", "ses:SendRawEmail"}
    assert [st["resources"] for st in statements["auth"]] == [["${var.admin_pool_arn}"], "${var.ses_identity_arns}"]
    assert _role_actions(statements["operator"]) == {
        "sagemaker:DescribeEndpoint",
        "sagemaker:UpdateEndpointWeightsAndCapacities",
        "sagemaker:DescribeInferenceComponent",
        "sagemaker:UpdateInferenceComponentRuntimeConfig",
    }
    assert _role_actions(statements["router"]) == {
        "secretsmanager:GetSecretValue",
        "kms:Decrypt",
        "sagemaker:InvokeEndpoint",
        "sagemaker:InvokeEndpointWithResponseStream",
        "bedrock:InvokeModel",
        "bedrock:InvokeModelWithResponseStream",
    }
    assert _role_actions(statements["metering"]) == {"s3:PutObject", "kms:GenerateDataKey", "kms:Decrypt"}
    assert _role_actions(statements["external-secrets"]) == {
        "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "kms:Decrypt",
    }
    # Resources are scoped: the provider-key secrets, the Radiant endpoints and components, the archive's objects.
    router = {st["sid"]: st for st in statements["router"] if isinstance(st, dict)}
    assert router["ReadProviderKeys"]["resources"] == "${var.provider_secret_arns}"
    assert router["InvokeSelfHostedModels"]["resources"] == [
        "${local.sagemaker_arn}:endpoint/${var.sagemaker_name_prefix}*"
    ]
    operator_resources = [r for st in statements["operator"] for r in st["resources"]]
    assert operator_resources == [
        "${local.sagemaker_arn}:endpoint/${var.sagemaker_name_prefix}*",
        "${local.sagemaker_arn}:inference-component/${var.sagemaker_name_prefix}*",
    ]
    # Key use only through the service that owns the data.
    assert roles["decrypt_secrets"]["via_service"] == "secretsmanager.${local.region}.amazonaws.com"
    metering_kms = next(st for st in statements["metering"] if "kms:GenerateDataKey" in st["actions"])
    assert metering_kms["via_service"] == "s3.${local.region}.amazonaws.com"


def test_every_service_has_an_image_repository_that_is_immutable_and_scanned():
    ecr = _module("ecr")
    assert ecr.variables["services"]["default"] == ["router", "auth", "phi", "registry", "metering", "operator"]
    repo = next(body for _, rtype, _, body in ecr.resources if rtype == "aws_ecr_repository")
    assert repo["image_tag_mutability"] == "IMMUTABLE"
    assert repo["image_scanning_configuration"][0]["scan_on_push"] is True


def test_provider_keys_have_no_value_in_code():
    secrets = _module("secrets")
    versions = [rname for _, rtype, rname, _ in secrets.resources if rtype == "aws_secretsmanager_secret_version"]
    assert "provider" not in versions, "provider key values are put out of band, never by Terraform"
    for _, rtype, _, body in secrets.resources:
        if rtype == "aws_secretsmanager_secret_version":
            assert "random_" in body["secret_string"] or "tls_private_key" in body["secret_string"], \
                "only generated values are written"


def test_cognito_pools_follow_the_seed():
    cognito = _module("cognito")
    pools = {rname: body for _, rtype, rname, body in cognito.resources if rtype == "aws_cognito_user_pool"}
    users, admins = pools["users"], pools["admins"]
    assert users["username_attributes"] == admins["username_attributes"] == ["email"]
    assert users["password_policy"][0]["minimum_length"] == 12
    assert admins["password_policy"][0]["minimum_length"] == 16
    assert admins["admin_create_user_config"][0]["allow_admin_create_user_only"] is True
    assert admins["mfa_configuration"] == '${local.is_prod ? "ON" : "OPTIONAL"}'
    assert cognito.locals["is_prod"] == '${var.environment == "prod"}'
    assert {"tenantId", "appId", "role"} <= set(cognito.locals["user_custom_attributes"])
    groups = cognito.locals["admin_groups"]
    assert {name: g["precedence"] for name, g in groups.items()} == {
        "super_admin": 1, "admin": 2, "operator": 3, "auditor": 4,
    }


def test_audit_archive_moves_to_glacier_after_90_days_and_blocks_public_access():
    archive = _module("audit-archive")
    assert archive.variables["glacier_after_days"]["default"] == 90
    by_type = {rtype: body for _, rtype, _, body in archive.resources}
    rule = by_type["aws_s3_bucket_lifecycle_configuration"]["rule"][0]
    assert rule["transition"][0] == {"days": "${var.glacier_after_days}", "storage_class": "GLACIER"}
    block = by_type["aws_s3_bucket_public_access_block"]
    assert all(block[k] is True for k in ("block_public_acls", "block_public_policy", "ignore_public_acls",
                                          "restrict_public_buckets"))
    assert by_type["aws_s3_bucket_versioning"]["versioning_configuration"][0]["status"] == "Enabled"
    sse = by_type["aws_s3_bucket_server_side_encryption_configuration"]["rule"][0]
    assert sse["apply_server_side_encryption_by_default"][0]["sse_algorithm"] == "aws:kms"


def test_sagemaker_endpoints_start_scaled_to_zero_and_leave_the_copy_count_to_the_operator():
    sagemaker = _module("sagemaker")
    by_type = {rtype: body for _, rtype, _, body in sagemaker.resources}
    variant = by_type["aws_sagemaker_endpoint_configuration"]["production_variants"][0]
    assert variant["managed_instance_scaling"][0]["min_instance_count"] == 0
    component = by_type["awscc_sagemaker_inference_component"]
    assert component["runtime_config"] == {"copy_count": "${each.value.initial_copy_count}"}
    assert component["lifecycle"][0]["ignore_changes"] == ["runtime_config"]
    model_type = sagemaker.variables["models"]["type"]
    assert "initial_copy_count = optional(number, 0)" in model_type.replace("${", "").replace("}", "")


def test_helm_values_overlay_fits_the_chart():
    """Every key of the helm_values output exists in charts/radiant/values.yaml, and the External Secrets mapping
    provides exactly the Secret keys the chart's components read."""
    import yaml

    chart = yaml.safe_load((REPO_ROOT / "charts" / "radiant" / "values.yaml").read_text())
    platform = load_dir(TERRAFORM / "modules" / "platform")
    text = (TERRAFORM / "modules" / "platform" / "helm_values.tf").read_text()

    services = _module("ecr").variables["services"]["default"]
    for svc in services:
        assert "repository" in chart[svc]["image"], svc
        assert "roleArn" in chart[svc]["serviceAccount"], svc
    assert {"jwksUrl", "issuer", "audience"} <= set(chart["cognito"])
    assert {"certificateArn", "wafAclArn"} <= set(chart["ingress"])
    assert {"enabled", "data"} <= set(chart["secrets"]["externalSecret"])
    policy = chart["networkPolicy"]
    assert "routerHttpFrom" in policy and "cidrs" in policy["postgres"] and "cidrs" in policy["redis"]
    assert all("ipBlocks" in policy[k] for k in ("kubeApi", "awsApis", "providers"))
    # The overlay replaces the awsApis/providers lists, so it must repeat the chart's public block unchanged.
    assert platform.locals["public_https"] == policy["awsApis"]["ipBlocks"][0] == policy["providers"]["ipBlocks"][0]
    for key in ("jwksUrl", "issuer", "audience", "certificateArn", "wafAclArn", "externalSecret", "serviceAccount",
                "routerHttpFrom", "postgres", "redis", "kubeApi", "awsApis", "providers"):
        assert re.search(rf"\b{key}\s*=", text), f"helm_values.tf no longer sets {key}"

    provided = {f"{svc}-database-url" for svc in platform.locals["database_services"]}
    provided |= set(re.findall(r'"([a-z-]+)"\s*=\s*\{\s*key\s*=', text))
    wanted = {key for svc in services for key in (chart[svc].get("secretEnv") or {}).values()}
    assert wanted == provided


def test_every_security_group_is_attached_to_what_it_protects():
    """Stands in for checkov's CKV2_AWS_5 (skipped: it does not see SageMaker vpc_config): each group is used."""
    for d in module_dirs(TERRAFORM):
        tf = load_dir(d)
        groups = [rname for _, rtype, rname, _ in tf.resources if rtype == "aws_security_group"]
        for rname in groups:
            users = [
                f"{rtype}.{other}"
                for _, rtype, other, body in tf.resources
                if rtype not in {"aws_security_group", "aws_vpc_security_group_ingress_rule",
                                 "aws_vpc_security_group_egress_rule"}
                and f"aws_security_group.{rname}.id" in str(body)
            ]
            assert users, f"{d.name}: aws_security_group.{rname} is attached to nothing"


def test_aws_alarms_of_the_seeds_reach_the_alert_and_security_topics():
    monitoring = _module("monitoring")
    alarms = {name: body for _, rtype, name, body in monitoring.resources if rtype == "aws_cloudwatch_metric_alarm"}
    metrics = {name: (body["namespace"], body["metric_name"]) for name, body in alarms.items()}
    assert metrics == {"aurora_connections": ("AWS/RDS", "DatabaseConnections"),
                       "aurora_cpu": ("AWS/RDS", "CPUUtilization"),
                       "redis_memory": ("AWS/ElastiCache", "DatabaseMemoryUsagePercentage"),
                       "alb_5xx": ("AWS/ApplicationELB", "${each.value}"),
                       "waf_blocked": ("AWS/WAFV2", "BlockedRequests")}
    # Both the ALB's own 5xx and its targets' 5xx (created once the ingress ALB's ARN suffix is known).
    assert 'elb = "HTTPCode_ELB_5XX_Count"' in alarms["alb_5xx"]["for_each"]
    assert 'target = "HTTPCode_Target_5XX_Count"' in alarms["alb_5xx"]["for_each"]
    assert (alarms["alb_5xx"]["threshold"], alarms["alb_5xx"]["period"]) == (10, 600)  # > 10 in 10 minutes
    for name in ("aurora_connections", "aurora_cpu", "redis_memory", "alb_5xx"):
        assert alarms[name]["alarm_actions"] == "${local.alerts}", name
    assert monitoring.locals["alerts"] == ["${aws_sns_topic.alerts.arn}"]
    assert alarms["waf_blocked"]["alarm_actions"] == ["${aws_sns_topic.security.arn}"]
    topics = {name: body for _, rtype, name, body in monitoring.resources if rtype == "aws_sns_topic"}
    assert set(topics) == {"alerts", "security"}
    assert all(body["kms_master_key_id"] == "${var.kms_key_arn}" for body in topics.values())
    platform = _module("platform").module_calls["monitoring"]
    assert platform["source"] == "../monitoring"
