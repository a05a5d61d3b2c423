"""Rows -> metering protos."""
from __future__ import annotations

from google.protobuf.struct_pb2 import Struct
from radiant.metering.v1 import metering_pb2 as pb

from services.metering.models import AuditLog, UsageRecord
from services.runtime.pricing import decimal_str
from services.runtime.timeutil import to_ts


def usage_to_pb(row: UsageRecord) -> pb.UsageRecord:
    return pb.UsageRecord(
        id=row.id, request_id=row.request_id, tenant_id=row.tenant_id, user_id=row.user_id or "",
        app_id=row.app_id or "", session_id=row.session_id or "", model_id=row.model_id,
        provider_id=row.provider_id, input_tokens=row.input_tokens, output_tokens=row.output_tokens,
        total_tokens=row.total_tokens, cost=decimal_str(row.cost), billed_amount=decimal_str(row.billed_amount),
        request_type=row.request_type, latency_ms=row.latency_ms, status=row.status,
        created_at=to_ts(row.created_at), client_request_id=row.client_request_id or "", key_id=row.key_id or "",
        uncounted=bool(row.uncounted))


def _struct(data: dict | None) -> Struct | None:
    if data is None:
        return None
    s = Struct()
    s.update(data)
    return s


def audit_to_pb(row: AuditLog) -> pb.AuditLogEntry:
    return pb.AuditLogEntry(
        id=row.id, tenant_id=row.tenant_id, user_id=row.user_id or "", admin_id=row.admin_id or "",
        action=row.action, resource_type=row.resource_type, resource_id=row.resource_id or "",
        details=_struct(row.details or {}), ip_address=row.ip_address or "", user_agent=row.user_agent or "",
        request_id=row.request_id or "", created_at=to_ts(row.created_at), actor_role=row.actor_role or "",
        actor_key_id=row.actor_key_id or "", before=_struct(row.before), after=_struct(row.after))
