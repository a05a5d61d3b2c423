"""The request-log stream between routers (producers) and metering (its own consumer group, apart from the usage
stream's): one Redis Stream entry per request, field "r" holding a serialized radiant.metering.v1.RequestLog. Metering
writes them in batches, idempotently by RequestLog.id (the gateway-minted request id), and acknowledges only after the
commit."""
from __future__ import annotations

FIELD = b"r"
GROUP = "metering-request-log"

