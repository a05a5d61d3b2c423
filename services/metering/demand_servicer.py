"""DemandService: the operator's view of demand on self-hosted models (demand.py holds the keys and the rules)."""
from __future__ import annotations

from redis.exceptions import RedisError

from radiant.metering.v1 import demand_pb2 as pb
from radiant.metering.v1 import demand_pb2_grpc

from services.metering.demand import DemandReader
from services.runtime.errors import ServiceUnavailableError, ValidationError

MAX_IDS = 5000


class DemandServicer(demand_pb2_grpc.DemandServiceServicer):
    def __init__(self, reader: DemandReader) -> None:
        self.reader = reader

    async def GetDemand(self, request: pb.GetDemandRequest, context) -> pb.GetDemandResponse:
        ids = list(request.model_ids)
        if len(ids) > MAX_IDS:
            raise ValidationError(f"at most {MAX_IDS} model ids per call",
                                  details={"model_ids": [f"{len(ids)} given, at most {MAX_IDS} allowed"]})
        if any(not i.strip() or len(i) > 256 for i in ids):
            raise ValidationError("model ids must be non-empty and at most 256 characters",
                                  details={"model_ids": ["empty or too long id"]})
        try:
            demand = await self.reader.read(ids)
        except RedisError as exc:
            raise ServiceUnavailableError(f"demand is unknown for now (Redis: {type(exc).__name__})") from None
        out = pb.GetDemandResponse()
        for d in demand:
            entry = out.models.add(model_id=d.model_id, in_flight=d.in_flight, held=d.held)
            if d.last_request_ms is not None:
                entry.last_request_at.FromMilliseconds(d.last_request_ms)
        return out
