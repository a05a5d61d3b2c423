"""Which limits apply to a principal, per counter.

Counters belong to four scopes: the tenant, the app, the user and the API key. The key's tier limits count on the
key's own counters, so on each dimension the key scope enforces the smaller of the key's and its tier's limit, and
names the one that decides ("key" or "tier:free"). Every scope's counters live under the tenant's base key, so one
script call checks and consumes all of them atomically (and, on Redis Cluster, in one hash slot)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from radiant.common.v1 import common_pb2

from services.metering.money import to_pico
from services.runtime.errors import ValidationError

DIMENSIONS = ("requests_per_minute", "requests_per_hour", "tokens_per_minute", "tokens_per_day",
              "concurrent_requests", "daily_budget", "monthly_budget")
RPM, RPH, TPM, TPD, CONC, BD, BM = range(7)
REQUEST_DIMS, TOKEN_DIMS, BUDGET_DIMS = (RPM, RPH), (TPM, TPD), (BD, BM)
WINDOW_MS = {RPM: 60_000, RPH: 3_600_000, TPM: 60_000, TPD: 86_400_000}
TIER_NAMES = {common_pb2.KEY_TIER_FREE: "free", common_pb2.KEY_TIER_BASIC: "basic",
              common_pb2.KEY_TIER_PREMIUM: "premium", common_pb2.KEY_TIER_ENTERPRISE: "enterprise"}
KEY_PREFIX = "radiant:adm"


@dataclass(frozen=True, slots=True)
class Rule:
    value: int  # a count, or pico-USD for budgets
    source: str  # "tenant", "app", "user", "key" or "tier:<name>"


@dataclass(frozen=True, slots=True)
class Scope:
    kind: str  # tenant, app, user, key
    scope_id: str
    prefix: str
    rules: tuple[Rule | None, ...]  # one per dimension
    limited: bool = False
    arg: str = ""  # the script's argument for this scope: the seven limits, then the key prefix

    @classmethod
    def of(cls, kind: str, scope_id: str, prefix: str, rules: tuple[Rule | None, ...]) -> "Scope":
        values = " ".join(str(r.value) if r else "0" for r in rules)
        return cls(kind, scope_id, prefix, rules, any(r is not None for r in rules), f"{values} {prefix}")


def base_key(tenant_id: str) -> str:
    return f"{KEY_PREFIX}:{{{tenant_id}}}"


def _values(limits: common_pb2.Limits, where: str) -> tuple[int, ...]:
    return (limits.requests_per_minute, limits.requests_per_hour, limits.tokens_per_minute, limits.tokens_per_day,
            limits.concurrent_requests, _budget(limits.daily_budget, f"{where}.daily_budget"),
            _budget(limits.monthly_budget, f"{where}.monthly_budget"))


def _budget(text: str, field: str) -> int:
    if not text.strip():
        return 0
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"{field} is not a non-negative decimal amount", details={field: ["invalid amount"]})
    # A cap below one pico-dollar is still a cap (nothing that costs anything fits), not "no cap".
    return max(to_pico(amount, up=False), 1) if amount > 0 else 0


def _rules(values: tuple[int, ...], source: str) -> tuple[Rule | None, ...]:
    return tuple(Rule(v, source) if v > 0 else None for v in values)


def _tightest(a: tuple[Rule | None, ...], b: tuple[Rule | None, ...]) -> tuple[Rule | None, ...]:
    return tuple(x if y is None or (x is not None and x.value <= y.value) else y for x, y in zip(a, b))


def user_scope_id(user_id: str, key_id: str) -> str:
    """An API key without a user authenticates as "apikey:<key id>": that is the key, not a user of its own."""
    return "" if key_id and user_id == f"apikey:{key_id}" else user_id


def scopes(tenant_id: str, app_id: str, user_id: str, key_id: str,
           limits: common_pb2.AppliedLimits | None = None) -> list[Scope]:
    """The counters a request of this principal touches (tenant first), with the limits that apply to each."""
    base = base_key(tenant_id)
    lim = limits if limits is not None else common_pb2.AppliedLimits()
    out = [Scope.of("tenant", tenant_id, f"{base}:tenant", _rules(_values(lim.tenant, "limits.tenant"), "tenant"))]
    if app_id:
        out.append(Scope.of("app", app_id, f"{base}:app:{app_id}", _rules(_values(lim.app, "limits.app"), "app")))
    user = user_scope_id(user_id, key_id)
    if user:
        out.append(Scope.of("user", user, f"{base}:user:{user}", _rules(_values(lim.user, "limits.user"), "user")))
    if key_id:
        rules = _rules(_values(lim.key, "limits.key"), "key")
        tier = TIER_NAMES.get(lim.key_tier)
        if tier:
            rules = _tightest(rules, _rules(_values(lim.tier, "limits.tier"), f"tier:{tier}"))
        out.append(Scope.of("key", key_id, f"{base}:key:{key_id}", rules))
    return out


_CACHE_MAX = 10_000
_cache: dict[bytes, list[Scope]] = {}


def principal_scopes(principal: common_pb2.Principal) -> list[Scope]:
    """scopes() of a principal, remembered by the principal's content (the same principal comes back for every
    request of a credential), so the hot path does not rebuild them."""
    key = principal.SerializeToString()
    found = _cache.get(key)
    if found is None:
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        found = _cache[key] = scopes(principal.tenant_id, principal.app_id, principal.user_id, principal.key_id,
                                     principal.limits)
    return found


def scope_of_prefix(items: list[Scope], prefix: str) -> Scope | None:
    return next((s for s in items if s.prefix == prefix), None)
