"""A RecordUsageRequest validated and priced into the values of one usage_records row. Shared by the RecordUsage
RPC and the usage-event stream consumer."""
from __future__ import annotations

from typing import Any

from radiant.metering.v1 import metering_pb2 as pb

from services.metering import validation as v
from services.metering.cost import calculate_cost
from services.metering.money import MAX_AMOUNT, quantize
from services.runtime.errors import ValidationError
from services.runtime.timeutil import utcnow


def usage_values(request: pb.RecordUsageRequest) -> dict[str, Any]:
    request_id = v.required(request.request_id, "request_id")
    tenant_id = v.required(request.tenant_id, "tenant_id")
    model_id = v.required(request.model_id, "model_id")
    prompt = v.tokens(request.usage.prompt_tokens, "usage.prompt_tokens")
    completion = v.tokens(request.usage.completion_tokens, "usage.completion_tokens")
    total = v.tokens(request.usage.total_tokens, "usage.total_tokens") or prompt + completion
    if not request.HasField("pricing"):
        # Without it the record would silently cost nothing.
        raise ValidationError("pricing is required", details={"pricing": ["is required (the model's pricing)"]})
    if request.latency_ms < 0:
        raise ValidationError("latency_ms must not be negative", details={"latency_ms": ["must be >= 0"]})
    amounts = calculate_cost(prompt, completion, request.pricing)
    if amounts.billed >= MAX_AMOUNT:
        raise ValidationError("the billed amount of one request is too large",
                              details={"pricing": [f"cost of one request must be below {MAX_AMOUNT} USD"]})
    return dict(
        request_id=request_id, tenant_id=tenant_id, user_id=v.optional(request.user_id, "user_id"),
        client_request_id=v.optional(request.client_request_id, "client_request_id"),
        key_id=v.optional(request.key_id, "key_id", 64), uncounted=request.uncounted,
        app_id=v.optional(request.app_id, "app_id"), session_id=v.optional(request.session_id, "session_id"),
        model_id=model_id, provider_id=v.bounded(request.provider_id.strip(), "provider_id"),
        input_tokens=prompt, output_tokens=completion, total_tokens=total,
        cost=quantize(amounts.cost), billed_amount=quantize(amounts.billed),
        request_type=v.bounded(request.request_type.strip(), "request_type", 64) or "chat.completion",
        latency_ms=request.latency_ms, status=v.bounded(request.status.strip(), "status", 32) or "success",
        created_at=v.timestamp(request, "created_at") or utcnow())
