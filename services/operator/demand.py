"""Demand on the models, from metering's DemandService (metering owns it; the operator never reads its keys)."""
from __future__ import annotations

import logging
from collections.abc import Sequence

from radiant.metering.v1 import demand_pb2, demand_pb2_grpc

from services.operator.desired import Demand
from services.runtime.errors import RadiantError
from services.runtime.grpc_client import call

log = logging.getLogger("radiant.operator")
_BATCH = 5000


class DemandClient:
    def __init__(self, stub: demand_pb2_grpc.DemandServiceStub) -> None:
        self.stub = stub

    async def get(self, model_ids: Sequence[str]) -> dict[str, Demand] | None:
        """Demand per model id; None when metering cannot say (the operator then never scales down)."""
        out: dict[str, Demand] = {}
        try:
            for i in range(0, len(model_ids), _BATCH):
                resp = await call(self.stub.GetDemand(demand_pb2.GetDemandRequest(
                    model_ids=list(model_ids[i:i + _BATCH]))), "metering")
                for d in resp.models:
                    last = d.last_request_at.ToMilliseconds() / 1000 if d.HasField("last_request_at") else None
                    out[d.model_id] = Demand(last, d.in_flight, d.held)
        except RadiantError as exc:
            log.warning("demand unknown", extra={"error_code": exc.code})
            return None
        return out
