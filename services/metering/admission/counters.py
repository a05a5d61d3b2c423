"""metering's admission script (admission.lua) on metering's Redis keys: one call per admission (check and consume
every applicable limit), one per settlement (which the router pipelines with its usage event), one per status read."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import redis.asyncio as aioredis
from radiant.metering.v1 import metering_pb2 as pb

from services.metering.admission import rules
from services.metering.admission.decision import (Decision, LimitInfo, Threshold, budget_reason, oversize_reason,
                                                  period_name, rate_reason)
from services.metering.admission.rules import BUDGET_DIMS, DIMENSIONS, Scope
from services.metering.money import from_pico
from services.runtime.errors import BudgetExceededError, RateLimitError, ValidationError
from services.runtime.pricing import decimal_str
from services.runtime.timeutil import to_ts

log = logging.getLogger("radiant.metering")

LUA = (Path(__file__).resolve().parent / "admission.lua").read_text()
_DENIAL_KINDS = {"1": RateLimitError.code, "2": BudgetExceededError.code, "3": ValidationError.code}


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, timezone.utc)


def _period_id(dim: int, now_ms: int) -> str:
    day = _at(now_ms).date()
    return day.isoformat() if dim == rules.BD else f"{day.year:04d}-{day.month:02d}"


def _period_id_of(dim: int, period: str) -> str:
    """The script's period numbers: days since the epoch, or YYYYMM."""
    if dim == rules.BD:
        return (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(days=int(period))).date().isoformat()
    return f"{period[:4]}-{period[4:]}"


@dataclass(slots=True)
class Settlement:
    # "h": a held reservation was settled, "e": it had expired (and given back what it held), "n": none existed
    state: str
    thresholds: list[Threshold]


class Counters:
    def __init__(self, redis: aioredis.Redis, reservation_seconds: float) -> None:
        self.redis = redis
        self.ttl_ms = int(reservation_seconds * 1000)
        self.script = redis.register_script(LUA)

    # --- admit -------------------------------------------------------------------------------------------------------
    async def admit(self, scopes: list[Scope], reservation_id: str, tokens: int, cost_pico: int,
                    field: str = "max_tokens") -> Decision:
        args = ["admit", reservation_id, str(self.ttl_ms), str(tokens), str(cost_pico), str(len(scopes)),
                *(s.arg for s in scopes)]
        out = [v.decode() for v in await self.script(keys=[rules.base_key(scopes[0].scope_id)], args=args)]
        now_ms = int(out[18])
        decision = Decision(out[0] == "1", reservation_id, held=out[0] == "1" and out[1] == "1",
                            requests=self._info(out[8:13], scopes), tokens=self._info(out[13:18], scopes))
        if not decision.allowed:
            self._explain(decision, out, scopes, tokens, cost_pico, field, now_ms)
        return decision

    @staticmethod
    def _info(values: list[str], scopes: list[Scope]) -> LimitInfo | None:
        limit, remaining, reset, scope_index, dim = values
        if not limit:
            return None
        scope, d = scopes[int(scope_index) - 1], int(dim) - 1
        return LimitInfo(int(limit), int(remaining), int(reset), scope.rules[d].source, DIMENSIONS[d])

    @staticmethod
    def _explain(decision: Decision, out: list[str], scopes: list[Scope], tokens: int, cost_pico: int, field: str,
                 now_ms: int) -> None:
        kind, scope, d, retry_ms = out[1], scopes[int(out[2]) - 1], int(out[3]) - 1, int(out[4])
        limit, used, source, dimension = out[5], out[6], scope.rules[d].source, DIMENSIONS[d]
        decision.code = _DENIAL_KINDS[kind]
        budget = d in BUDGET_DIMS
        if kind == "3":
            decision.field = field
            decision.reason = oversize_reason(source, scope.scope_id, dimension,
                                              decimal_str(from_pico(limit)) if budget else limit,
                                              decimal_str(from_pico(cost_pico)) if budget else str(tokens))
            decision.limited_by = LimitInfo(int(limit), 0, 0, source, dimension)
            return
        decision.retry_after_ms = retry_ms
        if kind == "2":
            until = _at(now_ms + retry_ms)
            decision.resets_at = until
            decision.limited_by = LimitInfo(int(limit), 0, retry_ms, source, dimension)
            decision.reason = budget_reason(source, scope.scope_id, dimension, from_pico(limit),
                                            from_pico(Decimal(used).to_integral_value()), from_pico(cost_pico), until)
            if out[7] == "1":
                decision.thresholds.append(Threshold(scope.kind, scope.scope_id, period_name(d),
                                                     _period_id(d, now_ms), 100, from_pico(Decimal(used)
                                                                                           .to_integral_value()),
                                                     from_pico(limit)))
            return
        decision.limited_by = LimitInfo(int(limit), 0, retry_ms, source, dimension)
        decision.reason = rate_reason(decision.limited_by, scope.scope_id, int(float(used)), retry_ms)

    # --- settle ------------------------------------------------------------------------------------------------------
    def settle_call(self, scopes: list[Scope], reservation_id: str, tokens: int,
                    billed_pico: int) -> tuple[str, list[str]]:
        """(key, args) of the settle operation, for callers that send it in a pipeline of their own."""
        args = ["settle", reservation_id, str(tokens), str(billed_pico), str(len(scopes)), *(s.arg for s in scopes)]
        return rules.base_key(scopes[0].scope_id), args

    async def settle(self, scopes: list[Scope], reservation_id: str, tokens: int, billed_pico: int) -> Settlement:
        key, args = self.settle_call(scopes, reservation_id, tokens, billed_pico)
        return self.parse_settlement(await self.script(keys=[key], args=args), scopes)

    @staticmethod
    def parse_settlement(out: list[bytes], scopes: list[Scope]) -> Settlement:
        values = [v.decode() for v in out]
        thresholds = []
        for i in range(1, len(values) - 5, 6):
            prefix, dim, percent, period, spent, cap = values[i:i + 6]
            scope = rules.scope_of_prefix(scopes, prefix)
            if scope is None:
                continue
            d = int(dim) - 1
            thresholds.append(Threshold(scope.kind, scope.scope_id, period_name(d), _period_id_of(d, period),
                                        int(percent), from_pico(spent), from_pico(cap)))
        return Settlement(values[0], thresholds)

    # --- status ------------------------------------------------------------------------------------------------------
    async def status(self, scopes: list[Scope]) -> pb.LimitsStatus:
        limited = [s for s in scopes if s.limited]
        msg = pb.LimitsStatus()
        if not limited:
            return msg
        args = ["status", str(len(limited)), *(s.arg for s in limited)]
        out = [v.decode() for v in await self.script(keys=[rules.base_key(scopes[0].scope_id)], args=args)]
        now_ms = int(out[0])
        msg.now.CopyFrom(to_ts(_at(now_ms)))
        best: dict[str, tuple[Decimal, pb.LimitState]] = {}
        for i in range(3, len(out) - 4, 5):
            scope, d = limited[int(out[i]) - 1], int(out[i + 1]) - 1
            rule = scope.rules[d]
            used, held, reset_ms = Decimal(out[i + 2]), Decimal(out[i + 3]), int(out[i + 4])
            limit = Decimal(rule.value)
            left = max(limit - used - held, Decimal(0))
            money = from_pico if d in BUDGET_DIMS else (lambda v: v)
            state = msg.limits.add(scope=rule.source, scope_id=scope.scope_id, dimension=DIMENSIONS[d],
                                   limit=decimal_str(money(limit)), used=decimal_str(money(used)),
                                   reserved=decimal_str(money(held)), remaining=decimal_str(money(left)),
                                   reset_ms=reset_ms)
            if reset_ms:
                state.resets_at.CopyFrom(to_ts(_at(now_ms + reset_ms)))
            ratio = left / limit
            if DIMENSIONS[d] not in best or ratio < best[DIMENSIONS[d]][0]:
                best[DIMENSIONS[d]] = (ratio, state)
        for _, state in best.values():
            state.tightest = True
        return msg
