"""The one helper every administrative write goes through to the audit log (owned by metering): actor, the role it
acted with, its key, tenant, action, resource, before / after, IP, user agent, request id. Secrets never reach it:
fields that hold one are dropped from before / after. The change has happened when this runs; if metering cannot
take the entry after a few attempts, the entry is logged in full at ERROR (for replay) rather than lost silently."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from google.protobuf.json_format import MessageToDict
from google.protobuf.struct_pb2 import Struct

from radiant.metering.v1 import metering_pb2
from services.router.edge.admin.context import AdminContext
from services.runtime.errors import RadiantError
from services.runtime.grpc_client import call

log = logging.getLogger("radiant.router")

SECRET_FIELDS = frozenset({"secret", "api_key", "token", "token_hash", "key_hash", "link", "password"})
_ATTEMPTS = 3


def scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if k not in SECRET_FIELDS}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def _struct(data: dict | None) -> Struct | None:
    if data is None:
        return None
    s = Struct()
    s.update(scrub(data))
    return s


async def record(ctx: AdminContext, action: str, resource_type: str, resource_id: str, *,
                 tenant_id: str | None = None, before: dict | None = None, after: dict | None = None,
                 details: dict | None = None, actor: str | None = None, role: str | None = None) -> None:
    """tenant_id: the tenant whose resource changed (default: the caller's; global resources such as models are
    recorded under the caller's tenant, as the seed does). actor / role: for writes made by someone who is not yet a
    principal (an invitation being accepted)."""
    p = ctx.principal
    entry = metering_pb2.AuditLogEntry(
        tenant_id=tenant_id or p.tenant_id, admin_id=actor if actor is not None else p.user_id,
        actor_role=role if role is not None else ctx.role, actor_key_id=p.key_id, action=action,
        resource_type=resource_type, resource_id=resource_id, ip_address=ctx.ip[:64], user_agent=ctx.user_agent,
        request_id=ctx.request_id, before=_struct(before), after=_struct(after), details=_struct(details or {}))
    for attempt in range(_ATTEMPTS):
        try:
            await call(ctx.up.metering.WriteAuditLog(entry), "metering")
            return
        except RadiantError as exc:
            if exc.http_status < 500 or attempt == _ATTEMPTS - 1:
                log.error("audit entry not written", extra={"error_code": exc.code,
                                                            "audit_entry": MessageToDict(entry)})
                return
            await asyncio.sleep(0.2 * 2 ** attempt)
