"""An AuditLogEntry validated into the values of one audit_logs row. Shared by the WriteAuditLog RPC and the event
stream consumer (budget thresholds travel on the usage stream)."""
from __future__ import annotations

import uuid
from typing import Any

from google.protobuf.json_format import MessageToDict
from radiant.metering.v1 import metering_pb2 as pb

from services.metering import validation as v
from services.runtime.timeutil import utcnow


def audit_values(request: pb.AuditLogEntry, *, keep_id: bool = False) -> dict[str, Any]:
    """keep_id: use the entry's own id (events carry one so a redelivery is written once); else a new one."""
    return dict(
        id=(v.optional(request.id, "id", 36) if keep_id else None) or str(uuid.uuid4()),
        tenant_id=v.required(request.tenant_id, "tenant_id"), user_id=v.optional(request.user_id, "user_id"),
        admin_id=v.optional(request.admin_id, "admin_id"), action=v.required(request.action, "action"),
        resource_type=v.required(request.resource_type, "resource_type"),
        resource_id=v.optional(request.resource_id, "resource_id", 256),
        details=MessageToDict(request.details) if request.HasField("details") else {},
        ip_address=v.optional(request.ip_address, "ip_address", 64),
        user_agent=v.optional(request.user_agent, "user_agent", 512),
        request_id=v.optional(request.request_id, "request_id"),
        created_at=v.timestamp(request, "created_at") or utcnow(),
        actor_role=v.optional(request.actor_role, "actor_role", 32),
        actor_key_id=v.optional(request.actor_key_id, "actor_key_id", 64),
        before=MessageToDict(request.before) if request.HasField("before") else None,
        after=MessageToDict(request.after) if request.HasField("after") else None)
