"""MeteringService: admission, the usage ledger, usage reports and the audit log."""
from __future__ import annotations

import logging
from datetime import datetime

from google.protobuf.json_format import MessageToDict
from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2 as pb
from radiant.metering.v1 import metering_pb2_grpc

from services.metering import validation as v
from services.metering.admission import admit
from services.metering.convert import audit_to_pb, usage_to_pb
from services.metering.request_log.consumer import count_cost
from services.metering.request_log.records import STATUSES, record_values, to_pb
from services.metering.request_log.store import Filters, RequestLogStore
from services.metering.store import MeteringStore
from services.metering.usage import usage_values
from services.runtime.pricing import decimal_str
from services.runtime.errors import ConflictError, NotFoundError, ValidationError
from services.runtime.paging import next_token, page_bounds
from services.runtime.timeutil import utcnow

log = logging.getLogger("radiant.metering")


def _iso(dt: datetime) -> str:
    return dt.isoformat().replace("+00:00", "Z")


class MeteringServicer(metering_pb2_grpc.MeteringServiceServicer):
    def __init__(self, store: MeteringStore, request_logs: RequestLogStore, default_retention_days: int = 30) -> None:
        self.store = store
        self.request_logs = request_logs
        self.default_retention_days = default_retention_days

    async def Admit(self, request: pb.AdmitRequest, context) -> pb.AdmitResponse:
        decision = admit(request)
        if not decision.allowed:
            log.info("admission denied", extra={"tenant_id": request.principal.tenant_id, "code": decision.code})
        return decision

    # --- usage ---------------------------------------------------------------
    async def RecordUsage(self, request: pb.RecordUsageRequest, context) -> pb.UsageRecord:
        values = usage_values(request)
        tenant_id, request_id = values["tenant_id"], values["request_id"]
        row, created = await self.store.record_usage(values)
        if row.tenant_id != tenant_id:
            # request ids are global; never reveal another tenant's record.
            raise ConflictError("request_id was already recorded for a different tenant",
                                details={"request_id": ["already used"]})
        if created:
            log.debug("usage recorded", extra={"tenant_id": tenant_id, "model_id": values["model_id"], "tokens": values["total_tokens"]})
        else:
            log.debug("duplicate usage ignored", extra={"tenant_id": tenant_id, "usage_request_id": request_id})
        return usage_to_pb(row)

    async def GetUsageReport(self, request: pb.UsageReportRequest, context) -> pb.UsageReport:
        tenant_id = v.required(request.tenant_id, "tenant_id")
        start, end = v.required_window(request)
        report = await self.store.report(tenant_id, start, end)
        return pb.UsageReport(
            tenant_id=tenant_id, period=f"{_iso(start)}/{_iso(end)}", total_cost=decimal_str(report.total_cost),
            total_billed=decimal_str(report.total_billed), total_requests=report.total_requests,
            breakdown=[pb.UsageBreakdown(provider_id=b.provider_id, model_id=b.model_id, requests=b.requests,
                                         input_tokens=b.input_tokens, output_tokens=b.output_tokens,
                                         cost=decimal_str(b.cost), billed=decimal_str(b.billed))
                       for b in report.breakdown])

    async def ListUsageRecords(self, request: pb.ListUsageRecordsRequest, context) -> pb.ListUsageRecordsResponse:
        tenant_id = v.required(request.tenant_id, "tenant_id")
        start, end = v.window(request)
        limit, offset = page_bounds(request.page.page_size, request.page.page_token)
        rows, total = await self.store.list_usage(tenant_id, start, end, limit, offset)
        return pb.ListUsageRecordsResponse(
            records=[usage_to_pb(r) for r in rows],
            page=common_pb2.PageResponse(next_page_token=next_token(offset, limit, total), total=total))

    # --- audit log -----------------------------------------------------------
    async def WriteAuditLog(self, request: pb.AuditLogEntry, context) -> pb.AuditLogEntry:
        values = dict(
            tenant_id=v.required(request.tenant_id, "tenant_id"), user_id=v.optional(request.user_id, "user_id"),
            admin_id=v.optional(request.admin_id, "admin_id"), action=v.required(request.action, "action"),
            resource_type=v.required(request.resource_type, "resource_type"),
            resource_id=v.optional(request.resource_id, "resource_id", 256),
            details=MessageToDict(request.details) if request.HasField("details") else {},
            ip_address=v.optional(request.ip_address, "ip_address", 64),
            user_agent=v.optional(request.user_agent, "user_agent", 512),
            request_id=v.optional(request.request_id, "request_id"),
            created_at=v.timestamp(request, "created_at") or utcnow())
        row = await self.store.write_audit(values)
        log.info("audit log written", extra={"tenant_id": row.tenant_id, "audit_id": row.id})
        return audit_to_pb(row)

    async def ListAuditLogs(self, request: pb.ListAuditLogsRequest, context) -> pb.ListAuditLogsResponse:
        tenant_id = v.required(request.tenant_id, "tenant_id")
        start, end = v.window(request)
        limit, offset = page_bounds(request.page.page_size, request.page.page_token)
        rows, total = await self.store.list_audit(tenant_id, request.action.strip() or None, start, end, limit,
                                                  offset)
        return pb.ListAuditLogsResponse(
            entries=[audit_to_pb(r) for r in rows],
            page=common_pb2.PageResponse(next_page_token=next_token(offset, limit, total), total=total))

    # --- request log ---------------------------------------------------------
    async def RecordRequestLogs(self, request: pb.RecordRequestLogsRequest, context) -> pb.RecordRequestLogsResponse:
        rows = [record_values(r, self.default_retention_days) for r in request.records]
        created = await self.request_logs.record_many(list({r["id"]: r for r in rows}.values()))
        count_cost(created)
        return pb.RecordRequestLogsResponse(recorded=len(created))

    async def ListRequestLogs(self, request: pb.ListRequestLogsRequest, context) -> pb.ListRequestLogsResponse:
        tenant_id = v.required(request.tenant_id, "tenant_id")
        start, end = v.window(request)
        status = request.status.strip()
        if status and status not in STATUSES:
            raise ValidationError(f"status must be one of {', '.join(STATUSES)}",
                                  details={"status": [f"one of {', '.join(STATUSES)}"]})
        filters = Filters(start, end, status or None, v.optional(request.model, "model", 256),
                          v.optional(request.user_id, "user_id"), v.optional(request.api_key_id, "api_key_id"),
                          v.optional(request.surface, "surface", 16), v.optional(request.app_id, "app_id"))
        limit, offset = page_bounds(request.page.page_size, request.page.page_token)
        rows, total = await self.request_logs.list(tenant_id, filters, limit, offset)
        return pb.ListRequestLogsResponse(
            records=[to_pb(r) for r in rows],
            page=common_pb2.PageResponse(next_page_token=next_token(offset, limit, total), total=total))

    async def GetRequestLog(self, request: pb.GetRequestLogRequest, context) -> pb.RequestLog:
        row = await self.request_logs.get(v.required(request.tenant_id, "tenant_id"), v.required(request.id, "id", 64))
        if row is None:
            raise NotFoundError("No request-log record with this id", details={"id": ["unknown for this tenant"]})
        return to_pb(row)
