"""The usage-event stream between routers (producers) and metering (consumer group): one Redis Stream entry per
request, field "r" holding a serialized radiant.metering.v1.RecordUsageRequest. Metering writes them to the ledger
in batches, idempotently by request_id, and acknowledges only after the commit."""
from __future__ import annotations

FIELD = b"r"
GROUP = "metering"


def dead_letter_stream(stream: str) -> str:
    return f"{stream}:dead"
