"""An admission decision: allowed or why not, the tightest limits for the response headers, and how it travels
(taxonomy error for the REST edge, AdmitResponse for the Admit RPC)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field as dataclass_field
from datetime import datetime, timezone
from decimal import Decimal

from google.protobuf.struct_pb2 import Struct
from radiant.metering.v1 import metering_pb2 as pb

from services.metering.admission.rules import BD
from services.runtime.errors import BY_CODE, ForbiddenError, RadiantError, ServiceUnavailableError, ValidationError
from services.runtime.pricing import decimal_str
from services.runtime.timeutil import from_ts, to_ts

_SCOPE_WORDS = {"tenant": "tenant", "app": "app", "user": "user", "key": "API key"}
UNITS = {"requests_per_minute": "requests per minute", "requests_per_hour": "requests per hour",
         "tokens_per_minute": "tokens per minute", "tokens_per_day": "tokens per day",
         "concurrent_requests": "concurrent requests", "daily_budget": "daily budget",
         "monthly_budget": "monthly budget"}


@dataclass(slots=True)
class LimitInfo:
    limit: int
    remaining: int
    reset_ms: int
    scope: str  # "tenant", "app", "user", "key" or "tier:<name>"
    dimension: str

    def to_pb(self) -> pb.RateLimitInfo:
        return pb.RateLimitInfo(limit=self.limit, remaining=self.remaining, reset_ms=self.reset_ms,
                                reset_seconds=math.ceil(self.reset_ms / 1000), scope=self.scope,
                                dimension=self.dimension)

    @classmethod
    def from_pb(cls, msg: pb.RateLimitInfo) -> "LimitInfo":
        return cls(msg.limit, msg.remaining, msg.reset_ms or msg.reset_seconds * 1000, msg.scope, msg.dimension)


@dataclass(frozen=True, slots=True)
class Threshold:
    """A budget passed 50, 80 or 100 % of its cap in its period (reported once per period, as an audit event)."""
    scope: str
    scope_id: str
    period: str  # "daily" or "monthly"
    period_id: str  # "2025-01-31" or "2025-01"
    percent: int
    spent: Decimal
    budget: Decimal

    def audit_entry(self, tenant_id: str, request_id: str, entry_id: str) -> pb.AuditLogEntry:
        details = Struct()
        details.update({"scope": self.scope, "scope_id": self.scope_id, "period": self.period,
                        "period_id": self.period_id, "threshold_percent": self.percent,
                        "spent": decimal_str(self.spent), "budget": decimal_str(self.budget)})
        return pb.AuditLogEntry(id=entry_id, tenant_id=tenant_id, action="budget.threshold", resource_type="budget",
                                resource_id=f"{self.scope}:{self.scope_id}:{self.period}", details=details,
                                request_id=request_id)


def period_name(dimension: int) -> str:
    return "daily" if dimension == BD else "monthly"


def duration(ms: int) -> str:
    """OpenAI's reset format: "20ms", "1s", "6m0s", "1h2m3.5s"."""
    if ms < 1000:
        return f"{max(ms, 0)}ms"
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds = f"{rest / 1000:.3f}".rstrip("0").rstrip(".")
    if hours:
        return f"{hours}h{minutes}m{seconds}s"
    return f"{minutes}m{seconds}s" if minutes else f"{seconds}s"


def who(scope: str, scope_id: str) -> str:
    if scope.startswith("tier:"):
        return f"API key {scope_id} (tier {scope[5:]})"
    return f"{_SCOPE_WORDS.get(scope, scope)} {scope_id}"


@dataclass(slots=True)
class Decision:
    allowed: bool
    reservation_id: str = ""
    # A reservation record exists (tokens, a concurrency slot or budget held): settle or release it.
    held: bool = False
    requests: LimitInfo | None = None
    tokens: LimitInfo | None = None
    code: str = ""
    reason: str = ""
    field: str = ""
    retry_after_ms: int = 0
    limited_by: LimitInfo | None = None
    resets_at: datetime | None = None
    # Counters unreachable, admitted by the tenant's policy.
    uncounted: bool = False
    thresholds: list[Threshold] = dataclass_field(default_factory=list)

    def headers(self) -> dict[str, str]:
        """x-ratelimit-* (OpenAI's names) and the seed's X-RateLimit-* for the tightest request limit."""
        out: dict[str, str] = {}
        for kind, info in (("requests", self.requests), ("tokens", self.tokens)):
            if info is not None:
                out[f"x-ratelimit-limit-{kind}"] = str(info.limit)
                out[f"x-ratelimit-remaining-{kind}"] = str(info.remaining)
                out[f"x-ratelimit-reset-{kind}"] = duration(info.reset_ms)
        if self.requests is not None:
            out["X-RateLimit-Limit"] = str(self.requests.limit)
            out["X-RateLimit-Remaining"] = str(self.requests.remaining)
            out["X-RateLimit-Reset"] = str(math.ceil(self.requests.reset_ms / 1000))
        if self.uncounted:
            out["x-radiant-admission"] = "uncounted"
        return out

    def error(self) -> RadiantError:
        headers = self.headers()
        retry = None
        if self.retry_after_ms:
            retry = math.ceil(self.retry_after_ms / 1000)
            headers["retry-after-ms"] = str(self.retry_after_ms)
        if self.limited_by is not None:
            headers["x-radiant-limited-by"] = f"{self.limited_by.scope}.{self.limited_by.dimension}"
        if self.code == ValidationError.code:
            return ValidationError(self.reason, details={self.field or "max_tokens": [self.reason]}, headers=headers)
        cls = BY_CODE.get(self.code, ForbiddenError)
        return cls(self.reason or "Request not admitted", retry_after=retry, headers=headers)

    # --- the Admit RPC ---------------------------------------------------------------------------------------------
    def to_pb(self) -> pb.AdmitResponse:
        msg = pb.AdmitResponse(allowed=self.allowed, code=self.code, reason=self.reason, field=self.field,
                               reservation_id=self.reservation_id, uncounted=self.uncounted, held=self.held,
                               retry_after_ms=self.retry_after_ms,
                               retry_after_seconds=math.ceil(self.retry_after_ms / 1000))
        for name in ("requests", "tokens", "limited_by"):
            info = getattr(self, name)
            if info is not None:
                getattr(msg, "rate_limit" if name == "limited_by" else name).CopyFrom(info.to_pb())
        if self.resets_at is not None:
            msg.resets_at.CopyFrom(to_ts(self.resets_at))
        return msg

    @classmethod
    def from_pb(cls, msg: pb.AdmitResponse) -> "Decision":
        def info(name: str) -> LimitInfo | None:
            return LimitInfo.from_pb(getattr(msg, name)) if msg.HasField(name) else None

        return cls(allowed=msg.allowed, reservation_id=msg.reservation_id, held=msg.held,
                   requests=info("requests"), tokens=info("tokens"), code=msg.code, reason=msg.reason,
                   field=msg.field, retry_after_ms=msg.retry_after_ms or msg.retry_after_seconds * 1000,
                   limited_by=info("rate_limit"), uncounted=msg.uncounted,
                   resets_at=from_ts(msg.resets_at) if msg.HasField("resets_at") else None)


def denied(code: str, reason: str, *, retry_after_ms: int = 0) -> Decision:
    return Decision(False, code=code, reason=reason, retry_after_ms=retry_after_ms)


def unavailable() -> Decision:
    return denied(ServiceUnavailableError.code, "Admission is unavailable (the rate-limit and budget counters "
                  "cannot be reached), so the request was not sent; retry shortly", retry_after_ms=1000)


def rate_reason(info: LimitInfo, scope_id: str, used: int, retry_ms: int) -> str:
    what = who(info.scope, scope_id)
    if info.dimension == "concurrent_requests":
        return f"Too many concurrent requests for {what}: the limit is {info.limit}; retry when one finishes"
    return (f"Rate limit reached for {what}: {used} of {info.limit} {UNITS[info.dimension]} used; retry in "
            f"{math.ceil(retry_ms / 1000)} s")


def budget_reason(info_scope: str, scope_id: str, dimension: str, cap: Decimal, used: Decimal, cost: Decimal,
                  until: datetime) -> str:
    return (f"The {UNITS[dimension]} of {decimal_str(cap)} USD for {who(info_scope, scope_id)} is spent "
            f"({decimal_str(used)} USD used or held by requests in flight; this request may cost up to "
            f"{decimal_str(cost)} USD) until {until.astimezone(timezone.utc).isoformat().replace('+00:00', 'Z')}")


def oversize_reason(info_scope: str, scope_id: str, dimension: str, limit: str, amount: str) -> str:
    unit = UNITS[dimension]
    if dimension in ("daily_budget", "monthly_budget"):
        return (f"This request may cost up to {amount} USD, more than the whole {unit} of {limit} USD for "
                f"{who(info_scope, scope_id)}; lower max_tokens")
    return (f"This request may use up to {amount} tokens (prompt estimate + max output tokens), more than the "
            f"{limit} {unit} allowed for {who(info_scope, scope_id)}; lower max_tokens")

