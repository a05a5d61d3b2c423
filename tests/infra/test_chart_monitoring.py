"""The chart's observability as code: every alert rule and every dashboard query parses as PromQL and names only
metrics the services register (the catalogue in services/runtime/metrics.py and the circuit gauge), the seeds' alerts
are all there with the thresholds from values, the dashboards ship as Grafana ConfigMaps, and trace export reaches the
pods' configuration and their egress."""
from __future__ import annotations

import json

import promql_parser
import pytest
from prometheus_client import REGISTRY

import services.metering.server  # noqa: F401 - registers every service's metrics in this process
import services.phi.servicer  # noqa: F401
import services.router.edge.app  # noqa: F401
from tests.infra.test_chart_render import deep_merge, name_of, objects, render, values_file

_SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}


def registered_metrics() -> set[str]:
    names = set()
    for family in REGISTRY.collect():
        names |= {family.name + suffix for suffix in _SUFFIXES.get(family.type, ("",))}
    return names


def metric_names(expr: str) -> set[str]:
    """Every metric an expression selects (a syntax error raises)."""
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, promql_parser.VectorSelector):
            found.add(node.name)
            return
        if isinstance(node, promql_parser.MatrixSelector):
            walk(node.vector_selector)
            return
        for attr in ("lhs", "rhs", "expr", "param"):
            child = getattr(node, attr, None)
            if child is not None:
                walk(child)
        for arg in getattr(node, "args", None) or ():
            walk(arg)

    walk(promql_parser.parse(expr))
    return found


PROD = deep_merge(values_file("values-prod.yaml"), {"monitoring": {"prometheusRule": {"errors5xxPer10m": 3}}})


def rules() -> dict[str, dict]:
    [rule] = objects(render(PROD), "PrometheusRule").values()
    return {r["alert"]: r for group in rule["spec"]["groups"] for r in group["rules"]}


def dashboards(values: dict) -> dict[str, dict]:
    maps = objects(render(values), "ConfigMap")
    return {name: json.loads(next(iter(cm["data"].values()))) for name, cm in maps.items() if "-dashboard-" in name}


def test_the_checker_finds_unknown_metrics_and_refuses_bad_syntax():
    known = registered_metrics()
    assert metric_names('sum(rate(radiant_requests_total{status="error"}[5m])) / on(x) nope_total > 3') == {
        "radiant_requests_total", "nope_total"}
    assert "nope_total" not in known and "radiant_requests_total" in known
    with pytest.raises(Exception):
        metric_names("sum(rate(radiant_requests_total[5m])")


def test_every_alert_expression_names_registered_metrics():
    known = registered_metrics()
    for name, rule in rules().items():
        used = metric_names(rule["expr"])
        assert used and used <= known, (name, used - known)


def test_the_seeds_alerts_are_there_with_thresholds_from_values():
    found = rules()
    assert {"RadiantHigh5xxRate", "RadiantHighLatency", "RadiantAuthenticationFailureBurst", "RadiantCostPerHour",
            "RadiantProviderCircuitOpen", "RadiantDatabasePoolNearlyFull", "RadiantUsageStreamLag"} <= set(found)
    assert found["RadiantHigh5xxRate"]["expr"].endswith("[10m])) > 3")
    assert found["RadiantHighLatency"]["for"] == "15m" and found["RadiantHighLatency"]["expr"].endswith("> 5")
    assert found["RadiantCostPerHour"]["expr"] == "sum(increase(radiant_cost_usd_total[1h])) > 100"
    assert found["RadiantDatabasePoolNearlyFull"]["expr"].endswith("> 0.8")
    assert found["RadiantAuthenticationFailureBurst"]["labels"]["topic"] == "security"


def test_three_dashboards_whose_queries_name_registered_metrics():
    known = registered_metrics()
    boards = dashboards(PROD)
    assert sorted(boards) == [f"{name_of('dashboard')}-{n}" for n in ("business", "operational", "security")]
    for name, board in boards.items():
        exprs = [t["expr"] for panel in board["panels"] for t in panel["targets"]]
        assert len(exprs) >= 8, name
        for expr in exprs:
            used = metric_names(expr)
            assert used and used <= known, (name, expr, used - known)


def test_prometheus_operator_objects_only_when_asked_for():
    default = render({})
    assert not objects(default, "ServiceMonitor") and not objects(default, "PrometheusRule")
    assert dashboards({})  # plain ConfigMaps: no CRD needed
    [monitor] = objects(render(PROD), "ServiceMonitor").values()
    assert monitor["spec"]["endpoints"][0]["port"] == "metrics"


def test_trace_export_reaches_every_service_and_its_egress():
    values = deep_merge(PROD, {"monitoring": {"tracing": {"exporter": "otlp", "port": 4317,
                                                          "endpoint": "http://otel-collector.monitoring:4317"}}})
    docs = render(values)
    for service in ("router", "auth", "phi", "registry", "metering"):
        data = objects(docs, "ConfigMap")[name_of(service)]["data"]
        assert data["RADIANT_OTEL_EXPORTER"] == "otlp"
        assert data["RADIANT_OTEL_ENDPOINT"] == "http://otel-collector.monitoring:4317"
        egress = objects(docs, "NetworkPolicy")[name_of(service)]["spec"]["egress"]
        assert any(rule["ports"] == [{"protocol": "TCP", "port": 4317}] for rule in egress), service
    plain = objects(render(PROD), "ConfigMap")[name_of("phi")]["data"]
    assert "RADIANT_OTEL_EXPORTER" not in plain and plain["RADIANT_METRICS_TENANT_LABEL"] == "true"
