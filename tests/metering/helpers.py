from __future__ import annotations

import uuid
from datetime import datetime

import grpc
import pytest
from radiant.metering.v1 import metering_pb2 as pb
from radiant.registry.v1 import registry_pb2

from services.runtime.errors import RadiantError, from_grpc_error
from services.runtime.timeutil import to_ts

DEMO_PRICING = registry_pb2.ModelPricing(input_per_million="0.50", output_per_million="1.50", billed_markup="0.20")


async def expect_error(awaitable, status: grpc.StatusCode) -> RadiantError:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await awaitable
    assert info.value.code() == status, info.value.details()
    return from_grpc_error(info.value)


def usage(tenant_id: str, prompt: int = 10, completion: int = 20, *, model_id: str = "model-a",
          provider_id: str = "provider-a", pricing: registry_pb2.ModelPricing = DEMO_PRICING,
          at: datetime | None = None, request_id: str | None = None, **kw) -> pb.RecordUsageRequest:
    kw = {"user_id": "u-1", "app_id": "app-1", **kw}
    return pb.RecordUsageRequest(
        request_id=request_id or uuid.uuid4().hex, tenant_id=tenant_id,
        model_id=model_id, provider_id=provider_id,
        usage={"prompt_tokens": prompt, "completion_tokens": completion}, pricing=pricing,
        request_type="chat.completion", latency_ms=42, status="success", created_at=to_ts(at), **kw)
