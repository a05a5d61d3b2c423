"""Prometheus metrics shared by every service: the one catalogue of names (the chart's alert rules and dashboards are
tested against it). GenAI metrics use the OpenTelemetry GenAI semantic conventions' names and attributes, written the
way the OpenTelemetry Prometheus exporter writes them (dots become underscores, seconds get a `_seconds` suffix).

Labels hold names, codes and ids the gateway controls, never tenant data: a model label is set only once the
registry resolved the name (an unknown name the client sent never becomes a label value), and the tenant label can be
switched off (`RADIANT_METRICS_TENANT_LABEL=false`: the label stays, always empty) to bound cardinality."""
from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, start_http_server

_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
# The GenAI conventions' advice for gen_ai.client.operation.duration and time to first token.
_GENAI_SECONDS = (0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92)
# ... and for gen_ai.client.token.usage.
_TOKEN_BUCKETS = (1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304)

GRPC_SERVER_HANDLED = Counter("radiant_grpc_server_handled_total", "gRPC calls handled", ["service", "method", "code"])
GRPC_SERVER_LATENCY = Histogram("radiant_grpc_server_handling_seconds", "gRPC server handling time",
                                ["service", "method"], buckets=_BUCKETS)
GRPC_CLIENT_HANDLED = Counter("radiant_grpc_client_handled_total", "gRPC calls made", ["target", "method", "code"])
HTTP_REQUESTS = Counter("radiant_http_requests_total", "HTTP requests", ["route", "method", "status"])
HTTP_LATENCY = Histogram("radiant_http_request_seconds", "HTTP request latency", ["route", "method"], buckets=_BUCKETS)

# --- GenAI requests through the gateway (router) ----------------------------------------------------------------
# The label set of a request: who (tenant), where it came in (surface), what it asked (operation, model, provider).
OPERATION = "gen_ai_operation_name"
MODEL = "gen_ai_request_model"
PROVIDER = "gen_ai_provider_name"
REQUEST_LABELS = ["tenant", "surface", OPERATION, MODEL, PROVIDER]

REQUESTS = Counter("radiant_requests_total", "Inference requests by outcome (status: success, error, blocked; "
                   "error_type: the taxonomy code)", [*REQUEST_LABELS, "status", "error_type",
                                                      "http_response_status_code"])
REQUEST_DURATION = Histogram("gen_ai_server_request_duration_seconds",
                             "Whole request at the gateway, as its client sees it", [*REQUEST_LABELS, "status"],
                             buckets=_GENAI_SECONDS)
TIME_TO_FIRST_TOKEN = Histogram("gen_ai_server_time_to_first_token_seconds",
                                "Streams: time from the request to its first chunk", REQUEST_LABELS,
                                buckets=_GENAI_SECONDS)
TOKEN_USAGE = Histogram("gen_ai_client_token_usage", "Tokens per request (gen_ai_token_type: input, output)",
                        [*REQUEST_LABELS, "gen_ai_token_type"], buckets=_TOKEN_BUCKETS)
PROVIDER_CALL_DURATION = Histogram("gen_ai_client_operation_duration_seconds",
                                   "One call to a model provider (each retry is a call); error_type empty on success",
                                   ["tenant", OPERATION, MODEL, PROVIDER, "error_type"], buckets=_GENAI_SECONDS)
ADMISSION_DENIALS = Counter("radiant_admission_denials_total", "Requests admission refused, by reason",
                            ["tenant", "reason"])
WARMUP_REQUESTS = Counter("radiant_warmup_requests_total", "Warm-ups asked for cold self-hosted models",
                          ["model", "outcome"])
REQUEST_LOG_PUBLISH_FAILURES = Counter("radiant_request_log_publish_failures_total",
                                       "Request-log records neither the stream nor metering took (lost)", [])

# --- PHI (phi) ------------------------------------------------------------------------------------------------
PHI_DETECTIONS = Counter("radiant_phi_detections_total", "PHI values replaced by placeholders, by category",
                         ["tenant", "category"])
PHI_MAPPINGS_LOST = Counter("radiant_phi_mappings_lost_total",
                            "PHI mappings made by phi's library that phi never took (dropped after a long outage)", [])

# --- metering: ledger, request log, streams ---------------------------------------------------------------------
COST = Counter("radiant_cost_usd_total", "Provider cost of the requests recorded in the request log, in USD",
               ["tenant", "surface", MODEL, PROVIDER])
BILLED = Counter("radiant_billed_usd_total", "Billed amount (cost with the model's markup), in USD",
                 ["tenant", "surface", MODEL, PROVIDER])
STREAM_EVENTS = Counter("radiant_stream_events_total", "Events consumed from a durable stream, by outcome "
                        "(recorded, duplicate, dead_letter)", ["stream", "outcome"])
STREAM_LAG = Gauge("radiant_stream_consumer_lag", "Entries of a stream its consumer group has not processed yet "
                   "(never delivered + delivered but unacknowledged)", ["stream"])
RETENTION_PARTITIONS_DROPPED = Counter("radiant_request_log_partitions_dropped_total",
                                       "Expired request-log partitions archived to S3 and dropped", [])
RETENTION_ARCHIVED = Counter("radiant_request_log_archived_records_total",
                             "Request-log records written to the archive bucket", [])
RETENTION_LAST_SUCCESS = Gauge("radiant_request_log_retention_last_success_timestamp_seconds",
                               "When the last retention run finished without error (Unix time)", [])

# --- databases (every service with one) --------------------------------------------------------------------------
DB_POOL_IN_USE = Gauge("radiant_db_pool_connections_in_use", "Database connections checked out of the pool", [])
DB_POOL_MAX = Gauge("radiant_db_pool_connections_max", "Most connections the pool opens (size + overflow)", [])

# --- operator (reconciles) and registry (warm-ups) -----------------------------------------------------------------
OPERATOR_RECONCILES = Counter("radiant_operator_reconciles_total", "Reconciles of one model, by result "
                              "(ok, error, skipped)", ["model", "result"])
OPERATOR_RECONCILE_DURATION = Histogram("radiant_operator_reconcile_duration_seconds", "One model's reconcile",
                                        ["driver"], buckets=_BUCKETS)
OPERATOR_REPLICAS = Gauge("radiant_operator_replicas", "Replicas of a self-hosted model (kind: desired, ready)",
                          ["model", "kind"])

_tenant_label = True


def configure_metrics(tenant_label: bool = True) -> None:
    global _tenant_label
    _tenant_label = tenant_label


def tenant(tenant_id: str | None) -> str:
    """The tenant label value: the id, or empty when tenant labels are switched off."""
    return (tenant_id or "") if _tenant_label else ""


def serve_metrics(port: int, host: str = "127.0.0.1") -> None:
    if port:
        start_http_server(port, addr=host)
