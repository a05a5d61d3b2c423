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


def settings_to_dict(pb: auth_pb2.TenantSettings) -> dict[str, Any]:
    return {
        "default_model": pb.default_model,
        "allowed_providers": list(pb.allowed_providers),
        "max_tokens_per_request": pb.max_tokens_per_request,
        "requests_per_minute": pb.requests_per_minute,
        "tokens_per_day": pb.tokens_per_day,
        "monthly_budget": pb.monthly_budget,
        "allowed_models": list(pb.allowed_models),
        "blocked_models": list(pb.blocked_models),
        "context_providers": list(pb.context_providers),
    }


def settings_to_pb(data: dict[str, Any] | None) -> auth_pb2.TenantSettings:
    data = data or {}
    return auth_pb2.TenantSettings(
        default_model=data.get("default_model", ""),
        allowed_providers=data.get("allowed_providers", []),
        max_tokens_per_request=int(data.get("max_tokens_per_request", 0)),
        requests_per_minute=int(data.get("requests_per_minute", 0)),
        tokens_per_day=int(data.get("tokens_per_day", 0)),
        monthly_budget=str(data.get("monthly_budget", "")),
        allowed_models=data.get("allowed_models", []),
        blocked_models=data.get("blocked_models", []),
        context_providers=data.get("context_providers", []),
    )


def tenant_pb(t: Tenant) -> auth_pb2.Tenant:
    return auth_pb2.Tenant(id=t.id, app_id=t.app_id, name=t.name, domain=t.domain, status=STATUS_TO_PB[t.status],
                           tier=t.tier, settings=settings_to_pb(t.settings), created_at=to_ts(t.created_at),
                           updated_at=to_ts(t.updated_at))


def app_pb(a: App) -> auth_pb2.App:
    return auth_pb2.App(id=a.id, tenant_id=a.tenant_id, name=a.name, created_at=to_ts(a.created_at))


def user_pb(u: User) -> auth_pb2.User:
    return auth_pb2.User(id=u.id, tenant_id=u.tenant_id, app_id=u.app_id, email=u.email, subject=u.subject,
                         roles=u.roles or [], groups=u.groups or [], status=u.status, created_at=to_ts(u.created_at),
                         updated_at=to_ts(u.updated_at))


def key_pb(k: ApiKey) -> auth_pb2.ApiKey:
    """Never includes the hash (and the plaintext is not stored at all)."""
    return auth_pb2.ApiKey(id=k.id, tenant_id=k.tenant_id, app_id=k.app_id, user_id=k.user_id, name=k.name,
                           roles=k.roles or [], tier=k.tier or 0, revoked=k.revoked_at is not None,
                           created_at=to_ts(k.created_at), expires_at=to_ts(k.expires_at),
                           revoked_at=to_ts(k.revoked_at), last_used_at=to_ts(k.last_used_at),
                           permissions=k.permissions or [], prefix=keys.display_prefix(k.id),
                           replaced_by=k.replaced_by or "", rotated_at=to_ts(k.rotated_at))


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
