"""The usage-event stream between routers (producers) and metering (consumer group): one Redis Stream entry per
request, field "r" holding a serialized radiant.metering.v1.RecordUsageRequest. Metering writes them to the ledger
in batches, idempotently by request_id (the gateway-minted id), and acknowledges only after the commit. Entries with
field "a" instead hold a radiant.metering.v1.AuditLogEntry raised on the request path (a budget threshold reached),
written once by its id."""
from __future__ import annotations

FIELD = b"r"
AUDIT_FIELD = b"a"
GROUP = "metering"


def dead_letter_stream(stream: str) -> str:
    return f"{stream}:dead"
