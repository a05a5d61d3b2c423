"""Admission: metering's rules for whether a request may run now, and what it holds while it runs.

The tenant must be active; then every rate limit, token quota and budget that applies to the principal (they arrive
with the authentication decision, `Principal.limits`) is checked and consumed in one Redis script call: all or
nothing, on counters shared by every replica. An admitted request holds a reservation (its estimated tokens, its
worst-case cost, a concurrency slot) until it is settled with the real usage or released; a reservation never settled
(a crashed router) expires. If Redis cannot be reached the request is refused (503), or admitted and flagged as
uncounted where the tenant's policy says so; counting never falls back to one process.

Metering's Admit RPC runs this code, and the router runs it as metering's library against the same keys and script
(one Redis round trip instead of a gRPC hop)."""
from __future__ import annotations

import logging
import uuid

import redis.asyncio as aioredis
from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2 as pb
from radiant.registry.v1 import registry_pb2

from services.metering.admission.counters import Counters, Settlement
from services.metering.admission.decision import Decision, Threshold, unavailable
from services.metering.admission.rules import Scope, principal_scopes, scopes
from services.metering.admission.status import check_principal, status_denial
from services.metering.cost import calculate_cost
from services.metering.money import quantize, to_pico
from services.runtime.errors import ServiceUnavailableError

log = logging.getLogger("radiant.metering")

__all__ = ["Admission", "Decision", "Scope", "Settlement", "Threshold", "check_principal", "estimate", "scopes"]


def estimate(prompt_tokens: int, max_output_tokens: int,
             pricing: registry_pb2.ModelPricing | None) -> tuple[int, int]:
    """(tokens, pico-USD) a request may use at most: its prompt estimate plus every output token it may produce,
    at the model's price and markup."""
    tokens = max(prompt_tokens, 0) + max(max_output_tokens, 0)
    if pricing is None:
        return tokens, 0
    return tokens, to_pico(calculate_cost(prompt_tokens, max_output_tokens, pricing).billed)


def billed_pico(prompt_tokens: int, completion_tokens: int, pricing: registry_pb2.ModelPricing) -> int:
    """The billed amount exactly as the ledger stores it, in pico-USD."""
    return to_pico(quantize(calculate_cost(prompt_tokens, completion_tokens, pricing).billed))


def audit_entries(tenant_id: str, request_id: str, thresholds: list[Threshold]) -> list[pb.AuditLogEntry]:
    return [t.audit_entry(tenant_id, request_id, str(uuid.uuid4())) for t in thresholds]


class Admission:
    def __init__(self, redis: aioredis.Redis, reservation_seconds: float) -> None:
        self.counters = Counters(redis, reservation_seconds)

    async def admit(self, principal: common_pb2.Principal, reservation_id: str, *, tokens: int, cost_pico: int,
                    field: str = "max_tokens") -> Decision:
        denial = status_denial(principal)
        if denial is not None:
            return denial
        counted = principal_scopes(principal)
        if not any(s.limited for s in counted):
            return Decision(True, reservation_id)
        try:
            return await self.counters.admit(counted, reservation_id, tokens, cost_pico, field)
        except aioredis.RedisError as exc:
            if principal.limits.admit_when_uncounted:
                log.warning("admission counters unavailable; admitted uncounted by tenant policy",
                            extra={"tenant_id": principal.tenant_id, "error_type": type(exc).__name__})
                return Decision(True, reservation_id, uncounted=True)
            log.error("admission counters unavailable; refusing", extra={"tenant_id": principal.tenant_id,
                                                                          "error_type": type(exc).__name__})
            return unavailable()

    async def settle(self, counted: list[Scope], reservation_id: str, tokens: int, billed: int) -> Settlement | None:
        """Replace the reservation by the real usage (tokens, billed pico-USD) and add the spend; None when Redis
        failed (the reservation then expires, logged)."""
        try:
            return await self.counters.settle(counted, reservation_id, tokens, billed)
        except aioredis.RedisError as exc:
            log.warning("could not settle an admission reservation; it will expire",
                        extra={"tenant_id": counted[0].scope_id, "error_type": type(exc).__name__})
            return None

    async def status(self, principal: common_pb2.Principal) -> pb.LimitsStatus:
        try:
            return await self.counters.status(principal_scopes(principal))
        except aioredis.RedisError:
            raise ServiceUnavailableError("The rate-limit and budget counters cannot be reached; retry shortly",
                                          retry_after=1) from None
