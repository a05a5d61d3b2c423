"""Conversions between auth rows and protobuf messages."""
from __future__ import annotations

from typing import Any

from radiant.auth.v1 import auth_pb2
from radiant.common.v1 import common_pb2

from services.auth import keys
from services.auth.models import ApiKey, App, Invitation, Promotion, Tenant, User
from services.runtime.timeutil import as_utc, to_ts, utcnow

STATUS_TO_PB = {
    "active": common_pb2.TENANT_STATUS_ACTIVE,
    "suspended": common_pb2.TENANT_STATUS_SUSPENDED,
    "deleted": common_pb2.TENANT_STATUS_DELETED,
}
STATUS_FROM_PB = {v: k for k, v in STATUS_TO_PB.items()}
KEY_TIER_TO_PB = {
    "free": common_pb2.KEY_TIER_FREE,
    "basic": common_pb2.KEY_TIER_BASIC,
    "premium": common_pb2.KEY_TIER_PREMIUM,
    "enterprise": common_pb2.KEY_TIER_ENTERPRISE,
}
KEY_TIER_FROM_PB = {v: k for k, v in KEY_TIER_TO_PB.items()}
LIMIT_COUNTS = ("requests_per_minute", "requests_per_hour", "tokens_per_minute", "tokens_per_day",
                "concurrent_requests")
LIMIT_BUDGETS = ("daily_budget", "monthly_budget")
# TenantSettings' seed names of three limits (kept equal to settings.limits).
_LEGACY_LIMITS = ("requests_per_minute", "tokens_per_day", "monthly_budget")


def limits_to_dict(pb: common_pb2.Limits) -> dict[str, Any]:
    """Only the limits that are set (0 / empty means none)."""
    out: dict[str, Any] = {f: getattr(pb, f) for f in LIMIT_COUNTS if getattr(pb, f)}
    out.update({f: getattr(pb, f) for f in LIMIT_BUDGETS if getattr(pb, f)})
    return out


def limits_to_pb(data: dict[str, Any] | None) -> common_pb2.Limits:
    data = data or {}
    return common_pb2.Limits(**{f: int(data.get(f) or 0) for f in LIMIT_COUNTS},
                             **{f: str(data.get(f) or "") for f in LIMIT_BUDGETS})


def _set_limits(data: dict[str, Any] | None) -> common_pb2.Limits | None:
    return limits_to_pb(data) if data else None


def applied_limits(tenant_settings: dict[str, Any] | None, app: dict[str, Any] | None, user: dict[str, Any] | None,
                   key: dict[str, Any] | None = None) -> common_pb2.AppliedLimits:
    """The limits that come with an authentication decision; levels without limits are left unset."""
    out = common_pb2.AppliedLimits(admit_when_uncounted=bool((tenant_settings or {}).get("admit_when_uncounted")))
    tenant = tenant_limits(tenant_settings)
    if tenant.ByteSize():
        out.tenant.CopyFrom(tenant)
    for name, data in (("app", app), ("user", user), ("key", key)):
        if data:
            getattr(out, name).CopyFrom(limits_to_pb(data))
    return out


def settings_to_dict(pb: auth_pb2.TenantSettings) -> dict[str, Any]:
    """The stored form; `limits` wins over the seed names where both are set."""
    limits = limits_to_dict(pb.limits)
    for name in _LEGACY_LIMITS:
        if getattr(pb, name) and name not in limits:
            limits[name] = getattr(pb, name)
    return {
        "default_model": pb.default_model,
        "allowed_providers": list(pb.allowed_providers),
        "max_tokens_per_request": pb.max_tokens_per_request,
        "requests_per_minute": limits.get("requests_per_minute", 0),
        "tokens_per_day": limits.get("tokens_per_day", 0),
        "monthly_budget": limits.get("monthly_budget", ""),
        "allowed_models": list(pb.allowed_models),
        "blocked_models": list(pb.blocked_models),
        "context_providers": list(pb.context_providers),
        "limits": limits,
        "admit_when_uncounted": pb.admit_when_uncounted,
        "request_log_retention_days": pb.request_log_retention_days,
        "request_log_content": pb.request_log_content,
    }


def tenant_limits(data: dict[str, Any] | None) -> common_pb2.Limits:
    """A tenant's limits from its stored settings (settings written before `limits` existed use the seed names)."""
    data = data or {}
    limits = dict(data.get("limits") or {})
    for name in _LEGACY_LIMITS:
        if data.get(name) and name not in limits:
            limits[name] = data[name]
    return limits_to_pb(limits)


def settings_to_pb(data: dict[str, Any] | None) -> auth_pb2.TenantSettings:
    data = data or {}
    limits = tenant_limits(data)
    return auth_pb2.TenantSettings(
        default_model=data.get("default_model", ""),
        allowed_providers=data.get("allowed_providers", []),
        max_tokens_per_request=int(data.get("max_tokens_per_request", 0)),
        requests_per_minute=limits.requests_per_minute,
        tokens_per_day=limits.tokens_per_day,
        monthly_budget=limits.monthly_budget,
        allowed_models=data.get("allowed_models", []),
        blocked_models=data.get("blocked_models", []),
        context_providers=data.get("context_providers", []),
        limits=limits if limits.ByteSize() else None,
        admit_when_uncounted=bool(data.get("admit_when_uncounted", False)),
        request_log_retention_days=int(data.get("request_log_retention_days", 0)),
        request_log_content=bool(data.get("request_log_content", False)),
    )


def tenant_pb(t: Tenant) -> auth_pb2.Tenant:
    return auth_pb2.Tenant(id=t.id, app_id=t.app_id, name=t.name, domain=t.domain, status=STATUS_TO_PB[t.status],
                           tier=t.tier, settings=settings_to_pb(t.settings), created_at=to_ts(t.created_at),
                           updated_at=to_ts(t.updated_at))


def app_pb(a: App) -> auth_pb2.App:
    return auth_pb2.App(id=a.id, tenant_id=a.tenant_id, name=a.name, created_at=to_ts(a.created_at),
                        limits=_set_limits(a.limits))


def user_pb(u: User) -> auth_pb2.User:
    return auth_pb2.User(id=u.id, tenant_id=u.tenant_id, app_id=u.app_id, email=u.email, subject=u.subject,
                         roles=u.roles or [], groups=u.groups or [], status=u.status, created_at=to_ts(u.created_at),
                         limits=_set_limits(u.limits), updated_at=to_ts(u.updated_at))


def key_pb(k: ApiKey) -> auth_pb2.ApiKey:
    """Never includes the hash (and the plaintext is not stored at all)."""
    return auth_pb2.ApiKey(id=k.id, tenant_id=k.tenant_id, app_id=k.app_id, user_id=k.user_id, name=k.name,
                           roles=k.roles or [], tier=k.tier or 0, revoked=k.revoked_at is not None,
                           created_at=to_ts(k.created_at), expires_at=to_ts(k.expires_at),
                           revoked_at=to_ts(k.revoked_at), last_used_at=to_ts(k.last_used_at),
                           permissions=k.permissions or [], prefix=keys.display_prefix(k.id),
                           replaced_by=k.replaced_by or "", rotated_at=to_ts(k.rotated_at),
                           limits=_set_limits(k.limits), key_tier=KEY_TIER_TO_PB.get(k.key_tier or "", 0))


def _lapsed(status: str, expires_at) -> str:
    """A pending invitation or promotion past its expiry reads as expired (it can no longer be acted on)."""
    return "expired" if status == "pending" and as_utc(expires_at) <= utcnow() else status


def invitation_pb(i: Invitation) -> auth_pb2.Invitation:
    """Never includes the token or its hash."""
    return auth_pb2.Invitation(
        id=i.id, tenant_id=i.tenant_id, email=i.email, role=i.role, status=_lapsed(i.status, i.expires_at),
        invited_by=i.invited_by, created_at=to_ts(i.created_at), expires_at=to_ts(i.expires_at),
        accepted_at=to_ts(i.accepted_at), revoked_at=to_ts(i.revoked_at), send_count=i.send_count,
        last_sent_at=to_ts(i.last_sent_at), user_id=i.user_id or "", driver=i.driver)


def promotion_pb(p: Promotion) -> auth_pb2.Promotion:
    return auth_pb2.Promotion(
        id=p.id, tenant_id=p.tenant_id, user_id=p.user_id, role=p.role, previous_roles=p.previous_roles or [],
        reason=p.reason or "", status=_lapsed(p.status, p.expires_at), requested_by=p.requested_by,
        decided_by=p.decided_by or "", decision_reason=p.decision_reason or "", created_at=to_ts(p.created_at),
        expires_at=to_ts(p.expires_at), decided_at=to_ts(p.decided_at))
