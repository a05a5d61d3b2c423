"""Conversions between auth rows and protobuf messages."""
from __future__ import annotations

from typing import Any

from radiant.auth.v1 import auth_pb2
from radiant.common.v1 import common_pb2

from services.auth.models import ApiKey, App, Tenant, User
from services.runtime.timeutil import to_ts

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
        "request_log_retention_days": pb.request_log_retention_days,
        "request_log_content": pb.request_log_content,
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
        request_log_retention_days=int(data.get("request_log_retention_days", 0)),
        request_log_content=bool(data.get("request_log_content", False)),
    )


def tenant_pb(t: Tenant) -> auth_pb2.Tenant:
    return auth_pb2.Tenant(id=t.id, app_id=t.app_id, name=t.name, domain=t.domain, status=STATUS_TO_PB[t.status],
                           tier=t.tier, settings=settings_to_pb(t.settings), created_at=to_ts(t.created_at),
                           updated_at=to_ts(t.updated_at))


def app_pb(a: App) -> auth_pb2.App:
    return auth_pb2.App(id=a.id, tenant_id=a.tenant_id, name=a.name, created_at=to_ts(a.created_at))


def user_pb(u: User) -> auth_pb2.User:
    return auth_pb2.User(id=u.id, tenant_id=u.tenant_id, app_id=u.app_id, email=u.email, subject=u.subject,
                         roles=u.roles or [], groups=u.groups or [], status=u.status, created_at=to_ts(u.created_at))


def key_pb(k: ApiKey) -> auth_pb2.ApiKey:
    """Never includes the hash (and the plaintext is not stored at all)."""
    return auth_pb2.ApiKey(id=k.id, tenant_id=k.tenant_id, app_id=k.app_id, user_id=k.user_id, name=k.name,
                           roles=k.roles or [], tier=k.tier or 0, revoked=k.revoked_at is not None,
                           created_at=to_ts(k.created_at), expires_at=to_ts(k.expires_at),
                           revoked_at=to_ts(k.revoked_at), last_used_at=to_ts(k.last_used_at))
