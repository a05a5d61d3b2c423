"""Admission on the router's hot path: metering's admission code run here as metering's library (one Redis round trip
on metering's keys and script), or metering's Admit RPC (RADIANT_ADMISSION_MODE=metering). Either way the decision's
rate-limit headers go on the answer, a denial raises the taxonomy error, and an admitted request's reservation is
settled with its usage (by the usage publisher) or released when the request is not served."""
from __future__ import annotations

from dataclasses import dataclass

from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2, metering_pb2_grpc
from radiant.registry.v1 import registry_pb2
from services.metering.admission import Admission, Decision, Scope, audit_entries, estimate
from services.metering.admission.rules import principal_scopes
from services.router.pipeline.usage_publisher import UsagePublisher
from services.runtime.context import response_headers
from services.runtime import metrics
from services.runtime.grpc_client import call

# Output tokens assumed for a model that names no limit, when the request sets none either.
DEFAULT_MAX_OUTPUT = 4096


def worst_case_output(model: registry_pb2.Model, max_tokens: int | None, prompt_tokens: int) -> int:
    """The most output tokens a request may produce: its max_tokens, else the model's output limit, else what the
    context window leaves."""
    if max_tokens:
        return max_tokens
    if model.max_output_tokens:
        return model.max_output_tokens
    if model.context_window:
        return max(model.context_window - prompt_tokens, 0)
    return DEFAULT_MAX_OUTPUT


@dataclass(slots=True)
class Reservation:
    principal: common_pb2.Principal
    request_id: str
    decision: Decision
    scopes: list[Scope]
    open: bool = True  # not yet settled or released


class AdmissionGate:
    def __init__(self, mode: str, admission: Admission, metering: metering_pb2_grpc.MeteringServiceStub,
                 usage: UsagePublisher) -> None:
        self.mode = mode
        self.admission = admission
        self.metering = metering
        self.usage = usage

    async def admit(self, principal: common_pb2.Principal, request_id: str, *, model: registry_pb2.Model,
                    prompt_tokens: int, max_output_tokens: int, field: str = "max_tokens") -> Reservation:
        if self.mode == "metering":
            decision = Decision.from_pb(await call(self.metering.Admit(metering_pb2.AdmitRequest(
                principal=principal, model_id=model.id, provider_id=model.provider_id, request_id=request_id,
                prompt_tokens=prompt_tokens, max_output_tokens=max_output_tokens, pricing=model.pricing)),
                "metering"))
        else:
            tokens, cost = estimate(prompt_tokens, max_output_tokens, model.pricing)
            decision = await self.admission.admit(principal, request_id, tokens=tokens, cost_pico=cost, field=field)
            if decision.thresholds:
                self.usage.soon(self.usage.publish_audit(
                    audit_entries(principal.tenant_id, request_id, decision.thresholds)))
        response_headers().update(decision.headers())
        if not decision.allowed:
            reason = decision.code.lower()
            if decision.limited_by is not None:
                reason = f"{reason}:{decision.limited_by.dimension}"
            metrics.ADMISSION_DENIALS.labels(metrics.tenant(principal.tenant_id), reason).inc()
            raise decision.error()
        return Reservation(principal, request_id, decision, principal_scopes(principal))

    def release(self, reservation: Reservation | None) -> None:
        """The request was admitted but not served: give back its tokens, slot and budget now (not at expiry)."""
        if reservation is None or not reservation.open:
            return
        reservation.open = False
        if reservation.decision.held:
            self.usage.soon(self.usage.release(reservation.scopes, reservation.request_id))

    async def status(self, principal: common_pb2.Principal) -> metering_pb2.LimitsStatus:
        if self.mode == "metering":
            return await call(self.metering.GetLimits(metering_pb2.GetLimitsRequest(principal=principal)),
                              "metering")
        return await self.admission.status(principal)
