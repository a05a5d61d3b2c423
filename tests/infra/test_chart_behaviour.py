"""What the rendered chart does: resources per service, who may talk to whom, secrets only by reference, images
from values, hardened pods, the migrations hook, the operator's RBAC and the GPU model servers."""
from __future__ import annotations

import re

import pytest

import yaml

from services.registry import catalogue_file
from tests.infra.test_chart_render import (
    CORE_SERVICES,
    DATABASE_SERVICES,
    MODEL_SERVERS,
    NAMESPACE,
    RELEASE,
    SCENARIOS,
    deep_merge,
    name_of,
    notes,
    objects,
    render,
    scenario,
    values_file,
)

WORKLOAD_KINDS = ("Deployment", "Job")


def pod_specs(docs: list[dict]) -> dict[str, dict]:
    return {f"{d['kind']}/{d['metadata']['name']}": d["spec"]["template"]["spec"]
            for d in docs if d["kind"] in WORKLOAD_KINDS}


def container(docs: list[dict], component: str) -> dict:
    return objects(docs, "Deployment")[name_of(component)]["spec"]["template"]["spec"]["containers"][0]


def env_of(c: dict) -> dict[str, dict]:
    return {e["name"]: e for e in c.get("env", [])}


def configmap(docs: list[dict], component: str) -> dict[str, str]:
    return objects(docs, "ConfigMap")[name_of(component)]["data"]


def component_labels(component: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": "radiant", "app.kubernetes.io/instance": RELEASE,
            "app.kubernetes.io/component": component}


def selects(selector: dict, labels: dict) -> bool:
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expr in selector.get("matchExpressions", []):
        if expr["operator"] == "Exists" and expr["key"] not in labels:
            return False
    return True


def rule_set(rules: list[dict], direction: str) -> set[tuple]:
    """NetworkPolicy rules as (peer, protocol, port) tuples; peers by component, ipBlock or namespace."""
    out = set()
    for rule in rules:
        for peer in rule[direction]:
            if "ipBlock" in peer:
                key = ("cidr", peer["ipBlock"]["cidr"], tuple(peer["ipBlock"].get("except", ())))
            elif "namespaceSelector" in peer:
                key = ("namespace", tuple(sorted(peer["namespaceSelector"].get("matchLabels", {}).items())),
                       tuple(sorted(peer.get("podSelector", {}).get("matchLabels", {}).items())))
            else:
                labels = peer["podSelector"].get("matchLabels", {})
                key = ("pods", labels.get("app.kubernetes.io/component") or
                       str(peer["podSelector"].get("matchExpressions")))
            for port in rule["ports"]:
                out.add((key, port["protocol"], port["port"]))
    return out


def policy(docs: list[dict], component: str) -> dict:
    return objects(docs, "NetworkPolicy")[name_of(component)]["spec"]


DNS = {(("namespace", (("kubernetes.io/metadata.name", "kube-system"),), (("k8s-app", "kube-dns"),)), proto, 53)
       for proto in ("UDP", "TCP")}
VPC = ("cidr", "10.0.0.0/16", ())
MONITORING = ("namespace", (("kubernetes.io/metadata.name", "monitoring"),), ())
# The internet without the VPC, other private ranges and the instance metadata service.
PUBLIC_INTERNET = ("cidr", "0.0.0.0/0", ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"))
PROD_NETWORK = values_file("values-prod.yaml")["networkPolicy"]
GRPC_PORTS = {"router": 50050, "auth": 50051, "phi": 50052, "registry": 50053, "metering": 50054}


# ---- one set of resources per service -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["default", "prod"])
def test_every_service_has_its_full_set_of_resources(name):
    docs = scenario(name)
    for kind in ("Deployment", "Service", "ServiceAccount", "ConfigMap", "HorizontalPodAutoscaler",
                 "PodDisruptionBudget", "NetworkPolicy"):
        assert {name_of(s) for s in CORE_SERVICES} <= set(objects(docs, kind)), kind


def test_autoscaled_deployments_leave_replicas_to_the_hpa():
    docs = scenario("prod")
    hpas = objects(docs, "HorizontalPodAutoscaler")
    for service in CORE_SERVICES:
        deployment = objects(docs, "Deployment")[name_of(service)]
        assert "replicas" not in deployment["spec"]
        hpa = hpas[name_of(service)]["spec"]
        assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name_of(service)}
        assert 2 <= hpa["minReplicas"] < hpa["maxReplicas"]
    assert hpas[name_of("router")]["spec"]["minReplicas"] == 3


def test_dev_runs_one_replica_of_everything_without_autoscaling_and_with_the_demo_provider():
    docs = scenario("dev")
    assert objects(docs, "HorizontalPodAutoscaler") == {}
    deployments = objects(docs, "Deployment")
    assert {d: deployments[d]["spec"]["replicas"] for d in deployments} == {
        name_of(s): 1 for s in (*CORE_SERVICES, "demo-provider")}
    registry = configmap(docs, "registry")
    assert registry["RADIANT_DEMO_PROVIDER_URL"] == f"http://{name_of('demo-provider')}.{NAMESPACE}.svc.cluster.local:8090/v1"
    assert configmap(docs, "router")["RADIANT_ENV"] == "dev"
    assert name_of("demo-provider") not in objects(scenario("prod"), "Deployment")


def test_pdbs_and_policies_select_the_pods_of_their_deployment():
    docs = scenario("operator")
    pods = {n: d["spec"]["template"]["metadata"]["labels"] for n, d in objects(docs, "Deployment").items()}
    pods.update({f"job/{n}": d["spec"]["template"]["metadata"]["labels"] for n, d in objects(docs, "Job").items()})
    for pdb_name, pdb in objects(docs, "PodDisruptionBudget").items():
        assert [p for p, labels in pods.items() if selects(pdb["spec"]["selector"], labels)] == [pdb_name]
    unguarded = [p for p, labels in pods.items()
                 if not any(selects(np["spec"]["podSelector"], labels) for np in objects(docs, "NetworkPolicy").values())]
    assert unguarded == []


# ---- network policies -----------------------------------------------------------------------------------------------

def test_router_accepts_only_the_load_balancer_and_prometheus():
    spec = policy(scenario("prod"), "router")
    assert spec["policyTypes"] == ["Ingress", "Egress"]
    assert rule_set(spec["ingress"], "from") == {(VPC, "TCP", 8080), (MONITORING, "TCP", 9090)}


def test_router_calls_exactly_the_backends_its_stores_and_public_providers():
    spec = policy(scenario("prod"), "router")
    backends = {(("pods", s), "TCP", GRPC_PORTS[s]) for s in ("auth", "phi", "registry", "metering")}
    stores = {(("cidr", cidr, ()), "TCP", PROD_NETWORK[store]["port"])
              for store in ("postgres", "redis") for cidr in PROD_NETWORK[store]["cidrs"]}
    providers = {(PUBLIC_INTERNET, "TCP", 443)}
    assert rule_set(spec["egress"], "to") == DNS | backends | stores | providers


def test_router_reaches_the_demo_provider_and_model_servers_only_when_they_exist():
    dev = rule_set(policy(scenario("dev"), "router")["egress"], "to")
    assert (("pods", "demo-provider"), "TCP", 8090) in dev
    with_models = rule_set(policy(scenario("operator"), "router")["egress"], "to")
    model_rules = {r for r in with_models if r[0][0] == "pods" and "model-id" in r[0][1]}
    assert {port for _, _, port in model_rules} == {8000, 8080}
    assert not any("model-id" in str(r) or "demo-provider" in str(r) for r in rule_set(policy(scenario("prod"), "router")["egress"], "to"))


@pytest.mark.parametrize("service", ["auth", "phi"])
def test_backends_only_the_router_calls_accept_only_the_router(service):
    spec = policy(scenario("operator"), service)
    assert rule_set(spec["ingress"], "from") == {(("pods", "router"), "TCP", GRPC_PORTS[service]),
                                                 (MONITORING, "TCP", 9090)}


@pytest.mark.parametrize("service", ["registry", "metering"])
def test_registry_and_metering_also_accept_the_operator_when_it_runs(service):
    with_operator = rule_set(policy(scenario("operator"), service)["ingress"], "from")
    assert {(("pods", "router"), "TCP", GRPC_PORTS[service]),
            (("pods", "operator"), "TCP", GRPC_PORTS[service])} <= with_operator
    without = rule_set(policy(scenario("prod"), service)["ingress"], "from")
    assert (("pods", "operator"), "TCP", GRPC_PORTS[service]) not in without


def test_phi_can_reach_nothing_but_dns_postgres_and_redis():
    spec = policy(scenario("prod"), "phi")
    rules = rule_set(spec["egress"], "to")
    assert rules - DNS == {(("cidr", cidr, ()), "TCP", PROD_NETWORK[store]["port"])
                           for store in ("postgres", "redis") for cidr in PROD_NETWORK[store]["cidrs"]}


def test_registry_needs_postgres_and_redis_and_backends_call_no_peers():
    # Redis carries Watch events between registry replicas.
    registry = rule_set(policy(scenario("prod"), "registry")["egress"], "to")
    assert {port for _, _, port in registry} == {53, 5432, 6379}
    for service in ("auth", "phi", "registry", "metering"):
        assert not [r for r in rule_set(policy(scenario("prod"), service)["egress"], "to") if r[0][0] == "pods"]


def test_operator_reaches_registry_metering_the_kubernetes_api_and_aws():
    rules = rule_set(policy(scenario("operator"), "operator")["egress"], "to")
    assert rules - DNS == {(("pods", "registry"), "TCP", 50053), (("pods", "metering"), "TCP", 50054),
                           (VPC, "TCP", 443), (PUBLIC_INTERNET, "TCP", 443)}


def test_an_irsa_role_opens_https_to_aws_for_that_service_only():
    values = {"auth": {"serviceAccount": {"roleArn": "arn:aws:iam::123456789012:role/radiant-auth"}}}
    docs = render(values)
    assert (PUBLIC_INTERNET, "TCP", 443) in rule_set(policy(docs, "auth")["egress"], "to")
    assert (PUBLIC_INTERNET, "TCP", 443) not in rule_set(policy(docs, "phi")["egress"], "to")
    sa = objects(docs, "ServiceAccount")
    assert sa[name_of("auth")]["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/radiant-auth"}
    assert "annotations" not in sa[name_of("phi")]["metadata"]


def test_network_policies_can_be_turned_off():
    assert objects(render({"networkPolicy": {"enabled": False}}), "NetworkPolicy") == {}


# ---- peers, probes, ports -------------------------------------------------------------------------------------------

def test_router_gets_the_grpc_address_of_every_backend_and_backends_are_headless():
    docs = scenario("default")
    services = objects(docs, "Service")
    router_config = configmap(docs, "router")
    for backend in ("auth", "phi", "registry", "metering"):
        target = router_config[f"RADIANT_{backend.upper()}_ADDR"]
        assert target == f"dns:///{name_of(backend)}.{NAMESPACE}.svc.cluster.local:{GRPC_PORTS[backend]}"
        svc = services[name_of(backend)]["spec"]
        assert svc["clusterIP"] == "None"
        assert {"name": "grpc", "port": GRPC_PORTS[backend], "targetPort": "grpc", "protocol": "TCP",
                "appProtocol": "grpc"} in svc["ports"]
        assert not [k for k in configmap(docs, backend) if k.endswith("_ADDR")]
    assert services[name_of("router")]["spec"]["type"] == "ClusterIP"


def test_services_listen_on_all_interfaces_and_export_metrics():
    docs = scenario("default")
    for service in CORE_SERVICES:
        cfg = configmap(docs, service)
        assert cfg["RADIANT_GRPC_HOST"] == "0.0.0.0"
        assert cfg["RADIANT_GRPC_PORT"] == str(GRPC_PORTS[service])
        assert cfg["RADIANT_METRICS_PORT"] == "9090"
        assert {"name": "metrics", "containerPort": 9090, "protocol": "TCP"} in container(docs, service)["ports"]
    assert configmap(docs, "router")["RADIANT_HTTP_HOST"] == "0.0.0.0"
    assert configmap(docs, "router")["RADIANT_HTTP_PORT"] == "8080"


def test_grpc_services_use_native_grpc_probes_and_the_router_its_http_health_routes():
    docs = scenario("default")
    for service in ("auth", "phi", "registry", "metering"):
        c = container(docs, service)
        assert c["readinessProbe"]["grpc"] == {"port": GRPC_PORTS[service]}
        assert c["startupProbe"]["grpc"] == {"port": GRPC_PORTS[service]}
        # Liveness must not follow the dependency-driven health status (see _component.tpl).
        assert c["livenessProbe"]["tcpSocket"] == {"port": "grpc"}
    router = container(docs, "router")
    assert router["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert router["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert router["lifecycle"]["preStop"] == {"sleep": {"seconds": 15}}


def test_each_container_runs_its_own_service_module():
    docs = scenario("operator")
    for service in (*CORE_SERVICES, "operator"):
        assert container(docs, service)["command"] == ["python", "-m", f"services.{service}"]
    assert container(scenario("dev"), "demo-provider")["command"] == ["python", "-m", "services.demo_provider"]


def test_metering_consumers_are_named_after_their_pod():
    env = env_of(container(scenario("default"), "metering"))
    assert env["RADIANT_USAGE_CONSUMER_NAME"]["valueFrom"] == {"fieldRef": {"fieldPath": "metadata.name"}}


def test_cognito_settings_reach_auth_only():
    docs = scenario("prod")
    auth = configmap(docs, "auth")
    assert auth["RADIANT_JWKS_URL"].startswith("https://cognito-idp.us-east-1.amazonaws.com/")
    assert auth["RADIANT_JWT_ISSUER"] and auth["RADIANT_JWT_AUDIENCE"] == "example-app-client-id"
    assert not [k for s in ("router", "phi") for k in configmap(docs, s) if "JW" in k]


def test_admin_pool_identity_driver_tier_and_cors_reach_their_services():
    docs = render({"cognito": {"admin": {"jwksUrl": "https://cognito-idp.us-east-1.amazonaws.com/p/.well-known/jwks.json",
                                         "issuer": "https://cognito-idp.us-east-1.amazonaws.com/p",
                                         "audience": "admin-client", "poolId": "us-east-1_Abc123"}},
                   "identity": {"driver": "cognito", "sesSender": "noreply@example.org",
                                "invitationUrl": "https://admin.example.org/accept-invitation"},
                   "tier": 3, "cors": {"allowedOrigins": ["https://admin.example.org", "https://example.org"]}})
    auth, router = configmap(docs, "auth"), configmap(docs, "router")
    assert (auth["RADIANT_ADMIN_JWT_ISSUER"], auth["RADIANT_ADMIN_JWT_AUDIENCE"], auth["RADIANT_IDENTITY_DRIVER"],
            auth["RADIANT_COGNITO_ADMIN_POOL_ID"], auth["RADIANT_SES_SENDER"]) == (
        "https://cognito-idp.us-east-1.amazonaws.com/p", "admin-client", "cognito", "us-east-1_Abc123",
        "noreply@example.org")
    assert auth["RADIANT_ADMIN_JWKS_URL"].endswith("/jwks.json")
    assert router["RADIANT_TIER"] == "3"
    assert router["RADIANT_CORS_ALLOWED_ORIGINS"] == "https://admin.example.org,https://example.org"
    assert not [k for k in router if "ADMIN" in k or "IDENTITY" in k]
    defaults = configmap(scenario("default"), "auth")
    assert defaults["RADIANT_IDENTITY_DRIVER"] == "local" and "RADIANT_CORS_ALLOWED_ORIGINS" not in configmap(
        scenario("default"), "router")


def test_extra_env_lands_in_the_configmap_and_changes_the_pod_checksum():
    before = objects(scenario("default"), "Deployment")[name_of("router")]["spec"]["template"]["metadata"]
    docs = render({"router": {"env": {"RADIANT_PROVIDER_TIMEOUT_SECONDS": "30"}}})
    after = objects(docs, "Deployment")[name_of("router")]["spec"]["template"]["metadata"]
    assert configmap(docs, "router")["RADIANT_PROVIDER_TIMEOUT_SECONDS"] == "30"
    assert before["annotations"]["checksum/config"] != after["annotations"]["checksum/config"]


# ---- secrets only by reference --------------------------------------------------------------------------------------

SECRET_VARS = re.compile(r"(DATABASE_URL|REDIS_URL|PEPPER|ENCRYPTION_KEY|API_KEY|TOKEN|PASSWORD)")


@pytest.mark.parametrize("name", ["default", "dev", "prod", "operator"])
def test_no_secret_values_are_rendered(name):
    docs = scenario(name)
    assert objects(docs, "Secret") == {}
    for cm in objects(docs, "ConfigMap").values():
        assert not [k for k in cm["data"] if SECRET_VARS.search(k)], cm["metadata"]["name"]
    for where, spec in pod_specs(docs).items():
        for c in spec["containers"]:
            for env in c.get("env", []):
                if SECRET_VARS.search(env["name"]):
                    assert set(env) == {"name", "valueFrom"} and "secretKeyRef" in env["valueFrom"], (where, env)


def test_each_service_reads_only_its_own_secrets():
    """Each service its own database URL and keys; the service-to-service key only to the identities that call
    others (the operator's is checked with the operator), the public-key set to every service."""
    public = {"RADIANT_SERVICE_PUBLIC_KEYS": "service-public-keys"}
    docs = scenario("prod")
    secret_refs = {s: {n: e["valueFrom"]["secretKeyRef"] for n, e in env_of(container(docs, s)).items()
                       if "secretKeyRef" in e.get("valueFrom", {})} for s in CORE_SERVICES}
    assert {s: {n: ref["key"] for n, ref in refs.items()} for s, refs in secret_refs.items()} == {
        "router": {"RADIANT_DATABASE_URL": "router-database-url", "RADIANT_REDIS_URL": "redis-url",
                   "RADIANT_OPENAI_API_KEY": "openai-api-key",
                   "RADIANT_ANTHROPIC_API_KEY": "anthropic-api-key",
                   "RADIANT_AZURE_OPENAI_API_KEY": "azure-openai-api-key",
                   "RADIANT_SERVICE_KEY": "router-service-key", **public},
        "auth": {"RADIANT_DATABASE_URL": "auth-database-url", "RADIANT_REDIS_URL": "redis-url",
                 "RADIANT_API_KEY_PEPPER": "api-key-pepper", "RADIANT_SERVICE_KEY": "auth-service-key", **public},
        "phi": {"RADIANT_DATABASE_URL": "phi-database-url", "RADIANT_REDIS_URL": "redis-url",
                "RADIANT_PHI_ENCRYPTION_KEY": "phi-encryption-key", **public},
        "registry": {"RADIANT_DATABASE_URL": "registry-database-url", "RADIANT_REDIS_URL": "redis-url", **public},
        "metering": {"RADIANT_DATABASE_URL": "metering-database-url", "RADIANT_REDIS_URL": "redis-url", **public},
    }
    assert {ref["name"] for refs in secret_refs.values() for ref in refs.values()} == {"radiant-secrets"}
    operator = {n: e["valueFrom"]["secretKeyRef"]["key"] for n, e in env_of(container(scenario("operator"),
                                                                                     "operator")).items()
                if "secretKeyRef" in e.get("valueFrom", {})}
    assert operator == {"RADIANT_SERVICE_KEY": "operator-service-key"}


def test_external_secret_maps_secrets_manager_entries_without_values():
    es = objects(scenario("prod"), "ExternalSecret")["radiant-secrets"]["spec"]
    prod = values_file("values-prod.yaml")["secrets"]["externalSecret"]["data"]
    assert {e["secretKey"]: e["remoteRef"] for e in es["data"]} == prod
    assert es["target"] == {"name": "radiant-secrets", "creationPolicy": "Owner"}


# ---- images ---------------------------------------------------------------------------------------------------------

def test_images_come_from_values_per_component_with_global_fallback_and_digest_pinning():
    digest = "sha256:" + "ab" * 32
    values = {
        "image": {"repository": "123456789012.dkr.ecr.us-east-1.amazonaws.com/radiant", "tag": "g1"},
        "router": {"image": {"repository": "ecr.example/radiant-router", "tag": "r7"}},
        "phi": {"image": {"digest": digest}},
    }
    docs = render(values)
    images = {s: container(docs, s)["image"] for s in CORE_SERVICES}
    assert images == {
        "router": "ecr.example/radiant-router:r7",
        "auth": "123456789012.dkr.ecr.us-east-1.amazonaws.com/radiant:g1",
        "phi": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/radiant@{digest}",
        "registry": "123456789012.dkr.ecr.us-east-1.amazonaws.com/radiant:g1",
        "metering": "123456789012.dkr.ecr.us-east-1.amazonaws.com/radiant:g1",
    }
    # Each schema is migrated by the image of the service that owns it.
    job = objects(docs, "Job")[name_of("migrations")]["spec"]["template"]["spec"]
    assert {c["name"]: c["image"] for c in job["containers"]} == {s: images[s] for s in DATABASE_SERVICES}


def test_default_tag_is_the_chart_app_version_never_latest():
    for spec in pod_specs(scenario("default")).values():
        for c in spec["containers"]:
            assert c["image"].endswith(":0.1.0"), c["image"]


# ---- hardened pods --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["default", "dev", "operator"])
def test_every_pod_runs_non_root_read_only_without_capabilities(name):
    specs = pod_specs(scenario(name))
    assert specs
    for where, spec in specs.items():
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True and pod["runAsUser"] >= 10000, where
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}, where
        tmp_volumes = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
        for c in spec["containers"]:
            sc = c["securityContext"]
            assert sc["runAsNonRoot"] is True and sc["runAsUser"] >= 10000, where
            assert sc["allowPrivilegeEscalation"] is False and sc["privileged"] is False, where
            assert sc["readOnlyRootFilesystem"] is True, where
            assert sc["capabilities"] == {"drop": ["ALL"]}, where
            assert sc["seccompProfile"] == {"type": "RuntimeDefault"}, where
            assert any(m["mountPath"] == "/tmp" and m["name"] in tmp_volumes for m in c["volumeMounts"]), where
            assert set(c["resources"]) == {"requests", "limits"}, where
        expected_token = where == f"Deployment/{name_of('operator')}"
        assert spec["automountServiceAccountToken"] is expected_token, where


def test_only_the_operator_service_account_mounts_a_token():
    accounts = objects(scenario("operator"), "ServiceAccount")
    assert {n for n, sa in accounts.items() if sa["automountServiceAccountToken"]} == {name_of("operator")}


def test_pods_spread_over_zones_and_nodes():
    spec = objects(scenario("prod"), "Deployment")[name_of("phi")]["spec"]["template"]["spec"]
    keys = {c["topologyKey"] for c in spec["topologySpreadConstraints"]}
    assert keys == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}
    for c in spec["topologySpreadConstraints"]:
        assert c["labelSelector"]["matchLabels"] == component_labels("phi")
    term = spec["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"][0]["podAffinityTerm"]
    assert term["labelSelector"]["matchLabels"] == component_labels("phi")


# ---- migrations hook ------------------------------------------------------------------------------------------------

def hook(doc: dict) -> tuple[str, int]:
    annotations = doc["metadata"]["annotations"]
    assert annotations["helm.sh/hook-delete-policy"] == "before-hook-creation,hook-succeeded"
    return annotations["helm.sh/hook"], int(annotations["helm.sh/hook-weight"])


def test_migrations_run_as_a_pre_install_pre_upgrade_hook_one_container_per_database_service():
    docs = scenario("default")
    job = objects(docs, "Job")[name_of("migrations")]
    assert hook(job) == ("pre-install,pre-upgrade", 0)
    spec = job["spec"]["template"]["spec"]
    assert spec["restartPolicy"] == "Never"
    containers = {c["name"]: c for c in spec["containers"]}
    assert set(containers) == set(DATABASE_SERVICES)
    for service, c in containers.items():
        assert c["command"] == ["python", "-m", "services.migrate", service]
        assert env_of(c)["RADIANT_DATABASE_URL"]["valueFrom"]["secretKeyRef"] == {
            "name": "radiant-secrets", "key": f"{service}-database-url"}
    # Its ServiceAccount is a hook created before it (hooks run before the release's own resources exist).
    sa = objects(docs, "ServiceAccount")[name_of("migrations")]
    assert hook(sa) == ("pre-install,pre-upgrade", -20) and spec["serviceAccountName"] == name_of("migrations")
    for service in DATABASE_SERVICES:
        assert configmap(docs, service)["RADIANT_DB_AUTO_MIGRATE"] == "false"


def test_every_service_that_has_migrations_is_migrated_by_the_hook():
    from services.migrate import migratable_services

    job = objects(scenario("default"), "Job")[name_of("migrations")]["spec"]["template"]["spec"]
    assert sorted(c["name"] for c in job["containers"]) == migratable_services()


def test_with_external_secrets_the_job_reads_a_hook_secret_holding_only_database_urls():
    docs = scenario("prod")
    es = objects(docs, "ExternalSecret")[name_of("migrations")]
    assert hook(es) == ("pre-install,pre-upgrade", -10)
    assert {e["secretKey"] for e in es["spec"]["data"]} == {f"{s}-database-url" for s in DATABASE_SERVICES}
    job = objects(docs, "Job")[name_of("migrations")]["spec"]["template"]["spec"]
    assert {env_of(c)["RADIANT_DATABASE_URL"]["valueFrom"]["secretKeyRef"]["name"] for c in job["containers"]} == {
        name_of("migrations")}
    assert "helm.sh/hook" not in objects(docs, "ExternalSecret")["radiant-secrets"]["metadata"].get("annotations", {})


def test_without_the_migrations_job_services_migrate_at_start():
    docs = render({"migrations": {"enabled": False}})
    assert objects(docs, "Job") == {}
    for service in DATABASE_SERVICES:
        assert configmap(docs, service)["RADIANT_DB_AUTO_MIGRATE"] == "true"


def test_the_migrations_pod_may_reach_only_dns_and_postgres():
    spec = policy(scenario("prod"), "migrations")
    assert spec["ingress"] == []
    assert {port for _, _, port in rule_set(spec["egress"], "to")} == {53, 5432}


# ---- ingress --------------------------------------------------------------------------------------------------------

def test_router_ingress_is_an_alb_with_tls_waf_and_https_redirect():
    ingress = objects(scenario("prod"), "Ingress")[name_of("router")]
    annotations = ingress["metadata"]["annotations"]
    prod = values_file("values-prod.yaml")["ingress"]
    assert ingress["spec"]["ingressClassName"] == "alb"
    assert annotations["alb.ingress.kubernetes.io/certificate-arn"] == prod["certificateArn"]
    assert annotations["alb.ingress.kubernetes.io/wafv2-acl-arn"] == prod["wafAclArn"]
    assert annotations["alb.ingress.kubernetes.io/ssl-redirect"] == "443"
    assert annotations["alb.ingress.kubernetes.io/backend-protocol"] == "HTTP"
    assert annotations["alb.ingress.kubernetes.io/target-type"] == "ip"
    assert annotations["alb.ingress.kubernetes.io/listen-ports"] == '[{"HTTP": 80}, {"HTTPS": 443}]'
    assert "idle_timeout.timeout_seconds=300" in annotations["alb.ingress.kubernetes.io/load-balancer-attributes"]
    rule = ingress["spec"]["rules"][0]
    assert rule["host"] == prod["host"] and ingress["spec"]["tls"] == [{"hosts": [prod["host"]]}]
    assert rule["http"]["paths"][0]["backend"]["service"] == {"name": name_of("router"), "port": {"name": "http"}}
    assert objects(scenario("default"), "Ingress") == {}


# ---- operator and GPU model servers ---------------------------------------------------------------------------------

def _operator_docs(docs: list[dict]) -> list[dict]:
    return [d for d in docs if d["metadata"]["labels"].get("app.kubernetes.io/component") == "operator"]


def test_operator_is_off_without_self_hosted_models_and_notes_say_why():
    assert not _operator_docs(scenario("default")) and not _operator_docs(scenario("prod"))
    assert "Operator: disabled (operator.enabled=auto: no self-hosted model is declared)" in notes()
    forced = render(deep_merge(SCENARIOS["operator"](), {"operator": {"enabled": False}}))
    assert not _operator_docs(forced)


def test_operator_is_on_by_default_once_models_are_declared_with_two_replicas_and_its_lease():
    docs = scenario("operator")
    deployment = objects(docs, "Deployment")[name_of("operator")]
    assert deployment["spec"]["replicas"] == 2
    assert objects(docs, "PodDisruptionBudget")[name_of("operator")]["spec"]["maxUnavailable"] == 1
    config = configmap(docs, "operator")
    assert config["RADIANT_OPERATOR_LEASE_NAME"] == name_of("operator")  # the one Lease the Role allows
    assert config["RADIANT_OPERATOR_DRIVERS"] == "kubernetes,sagemaker"
    assert config["RADIANT_OPERATOR_MODEL_LABEL"] == "radiant.ai/model-id"
    env = env_of(container(docs, "operator"))
    assert env["RADIANT_OPERATOR_NAMESPACE"]["valueFrom"] == {"fieldRef": {"fieldPath": "metadata.namespace"}}
    assert env["RADIANT_OPERATOR_POD_NAME"]["valueFrom"] == {"fieldRef": {"fieldPath": "metadata.name"}}
    assert "Operator: enabled (2 replicas" in notes(SCENARIOS["operator"]())
    # A SageMaker model declared in the catalogue alone turns it on too.
    sagemaker_only = render(deep_merge(values_file("values-prod.yaml"), {"catalogue": {"models": [
        {"name": "mistral-7b", "provider": "sagemaker",
         "deployment": {"kind": "sagemaker", "name": "radiant-prod-mistral-7b"}}]}}))
    assert _operator_docs(sagemaker_only)


def test_operator_rbac_scales_only_the_chart_model_servers():
    docs = scenario("operator")
    role = objects(docs, "Role")[name_of("operator")]
    servers = sorted(f"{RELEASE}-model-{m['id']}" for m in MODEL_SERVERS)
    rules = {(tuple(r["apiGroups"]), tuple(r["resources"]), tuple(r.get("resourceNames", ()))): set(r["verbs"])
             for r in role["rules"]}
    # Least privilege: read Deployments and pods, scale only the chart's servers, hold one named Lease.
    assert rules == {
        (("apps",), ("deployments",), ()): {"get", "list"},
        (("apps",), ("deployments/scale",), tuple(servers)): {"patch"},
        (("",), ("pods",), ()): {"list"},
        (("coordination.k8s.io",), ("leases",), ()): {"create"},
        (("coordination.k8s.io",), ("leases",), (name_of("operator"),)): {"get", "patch"},
    }
    binding = objects(docs, "RoleBinding")[name_of("operator")]
    assert binding["roleRef"]["name"] == name_of("operator")
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": name_of("operator"), "namespace": NAMESPACE}]
    assert objects(docs, "ClusterRole") == {}


def test_gpu_model_servers_start_at_zero_on_gpu_nodes_labelled_for_the_operator():
    docs = scenario("operator")
    deployments = objects(docs, "Deployment")
    for model in MODEL_SERVERS:
        d = deployments[f"{RELEASE}-model-{model['id']}"]
        assert d["spec"]["replicas"] == 0
        assert d["metadata"]["labels"]["radiant.ai/model-id"] == model["id"]
        assert d["spec"]["selector"]["matchLabels"]["radiant.ai/model-id"] == model["id"]
        spec = d["spec"]["template"]["spec"]
        c = spec["containers"][0]
        gpus = str(model.get("gpus", 1))
        assert str(c["resources"]["limits"]["nvidia.com/gpu"]) == gpus
        assert str(c["resources"]["requests"]["nvidia.com/gpu"]) == gpus
        assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in spec["tolerations"]
        assert spec["nodeSelector"] == {"radiant.io/pool": "gpu"}
        assert {"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "8Gi"}} in spec["volumes"]
        assert c["readinessProbe"]["httpGet"]["path"] == "/health"
    vllm = deployments[f"{RELEASE}-model-llama-3-8b"]["spec"]["template"]["spec"]["containers"][0]
    assert vllm["image"] == "vllm/vllm-openai:v0.6.3"
    assert vllm["args"] == ["--model=meta-llama/Meta-Llama-3-8B-Instruct", "--served-model-name=llama-3-8b",
                            "--host=0.0.0.0", "--port=8000", "--max-model-len", "8192"]
    assert env_of(vllm)["HF_TOKEN"]["valueFrom"]["secretKeyRef"] == {"name": "radiant-secrets", "key": "hf-token"}
    tgi = deployments[f"{RELEASE}-model-mistral-7b"]["spec"]["template"]["spec"]["containers"][0]
    # Two GPUs: the model is sharded over both.
    assert tgi["args"] == ["--model-id=mistralai/Mistral-7B-Instruct-v0.3", "--hostname=0.0.0.0", "--port=8080",
                           "--num-shard=2"]
    sharded = render(deep_merge(values_file("values-prod.yaml"), {"models": {"servers": [
        {"id": "llama-70b", "runtime": "vllm", "model": "meta-llama/Meta-Llama-3-70B-Instruct", "gpus": 4}]}}))
    args = objects(sharded, "Deployment")[f"{RELEASE}-model-llama-70b"]["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "--tensor-parallel-size=4" in args
    services = objects(docs, "Service")
    assert services[f"{RELEASE}-model-mistral-7b"]["spec"]["ports"][0]["port"] == 8080


def test_model_servers_accept_only_the_router():
    rules = rule_set(policy(scenario("operator"), "model-server")["ingress"], "from")
    assert rules == {(("pods", "router"), "TCP", 8000), (("pods", "router"), "TCP", 8080)}


def test_model_servers_without_the_operator_are_flagged_in_the_notes():
    text = notes(deep_merge(values_file("values-dev.yaml"), {"models": {"servers": MODEL_SERVERS[:1]},
                                                             "operator": {"enabled": False}}))
    assert "the 1 model server(s) below stay at 0 replicas" in text
    assert f"{RELEASE}-model-llama-3-8b (vllm" in text


def test_without_metrics_no_metrics_port_is_opened_and_the_operator_accepts_nothing():
    docs = render(deep_merge(values_file("values-prod.yaml"), {"metricsPort": 0, "operator": {"enabled": True}}))
    for service in (*CORE_SERVICES, "operator"):
        assert "RADIANT_METRICS_PORT" not in configmap(docs, service)
        assert "metrics" not in {p["name"] for p in container(docs, service)["ports"]}
        assert 9090 not in {port for _, _, port in rule_set(policy(docs, service)["ingress"], "from")}
    assert policy(docs, "operator")["ingress"] == []


def _catalogue(docs: list[dict]) -> dict:
    return yaml.safe_load(objects(docs, "ConfigMap")[f"{RELEASE}-catalogue"]["data"]["catalogue.yaml"])


def test_a_declared_model_yields_its_catalogue_entry_which_the_registry_accepts(tmp_path):
    docs = scenario("operator")
    declared = _catalogue(docs)
    assert [p["name"] for p in declared["providers"]] == [f"{RELEASE}-vllm", f"{RELEASE}-tgi"]
    vllm = declared["providers"][0]
    assert vllm["config"]["service_url_template"] == "http://{name}.{namespace}.svc.cluster.local:8000/v1"
    llama = next(m for m in declared["models"] if m["name"] == "llama-3-8b")
    assert llama["provider"] == f"{RELEASE}-vllm" and llama["upstream_model"] == "llama-3-8b"
    assert llama["deployment"] == {"kind": "kubernetes", "name": f"{RELEASE}-model-llama-3-8b",
                                   "namespace": NAMESPACE, "instance_type": "g5.xlarge"}
    assert llama["thermal"] == {"state": "COLD", "min_instances": 0, "max_instances": 2,
                                "scale_to_zero_after_minutes": 15, "warmup_time_seconds": 300,
                                "target_in_flight_per_replica": 0}
    assert llama["pricing"] == {"input_per_million": "0.10", "output_per_million": "0.10", "billed_markup": "0.20"}
    assert llama["display_name"] == "Llama 3 8B Instruct" and llama["context_window"] == 8192
    # The registry's own loader accepts what the chart renders.
    path = tmp_path / "catalogue.yaml"
    path.write_text(objects(docs, "ConfigMap")[f"{RELEASE}-catalogue"]["data"]["catalogue.yaml"])
    loaded = catalogue_file.load(path)
    assert {m.name for m in loaded.models} == {"llama-3-8b", "mistral-7b"}


def test_the_registry_mounts_the_catalogue_and_rolls_when_a_model_is_added():
    docs = scenario("operator")
    registry = objects(docs, "Deployment")[name_of("registry")]["spec"]["template"]
    assert configmap(docs, "registry")["RADIANT_CATALOGUE_FILE"] == "/etc/radiant/catalogue/catalogue.yaml"
    assert {"name": "catalogue", "configMap": {"name": f"{RELEASE}-catalogue"}} in registry["spec"]["volumes"]
    mount = next(m for m in registry["spec"]["containers"][0]["volumeMounts"] if m["name"] == "catalogue")
    assert mount == {"name": "catalogue", "mountPath": "/etc/radiant/catalogue", "readOnly": True}
    more = render(deep_merge(SCENARIOS["operator"](), {"models": {"servers": [*MODEL_SERVERS, {
        "id": "qwen-7b", "runtime": "vllm", "model": "Qwen/Qwen2-7B-Instruct"}]}}))
    before = registry["metadata"]["annotations"]["checksum/catalogue"]
    after = objects(more, "Deployment")[name_of("registry")]["spec"]["template"]["metadata"]["annotations"]
    assert after["checksum/catalogue"] != before
    assert "qwen-7b" in {m["name"] for m in _catalogue(more)["models"]}
    # Without declared models there is no catalogue to mount.
    prod = scenario("prod")
    assert f"{RELEASE}-catalogue" not in objects(prod, "ConfigMap")
    assert "RADIANT_CATALOGUE_FILE" not in configmap(prod, "registry")
