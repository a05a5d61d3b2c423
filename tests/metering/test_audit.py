"""Audit log: write, read back, tenant isolation, filters, newest first."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import grpc
from google.protobuf.struct_pb2 import Struct
from radiant.metering.v1 import metering_pb2 as pb

from services.runtime.timeutil import to_ts
from tests.metering.helpers import expect_error


def _entry(tenant_id: str, action: str, at: datetime | None = None) -> pb.AuditLogEntry:
    details = Struct()
    details.update({"fields": ["status"], "count": 2})
    return pb.AuditLogEntry(tenant_id=tenant_id, admin_id="admin-1", action=action, resource_type="model",
                            resource_id="model-1", details=details, ip_address="10.0.0.7",
                            user_agent="radiant-test/1.0", request_id="req-123", created_at=to_ts(at))


async def test_round_trip_and_isolation(metering, tenant_id):
    written = await metering.WriteAuditLog(_entry(tenant_id, "model.update"))
    assert written.id and written.HasField("created_at")
    listed = await metering.ListAuditLogs(pb.ListAuditLogsRequest(tenant_id=tenant_id))
    assert list(listed.entries) == [written]
    got = listed.entries[0]
    assert (got.admin_id, got.action, got.resource_type, got.resource_id, got.ip_address, got.user_agent,
            got.request_id) == ("admin-1", "model.update", "model", "model-1", "10.0.0.7", "radiant-test/1.0",
                                "req-123")
    assert dict(got.details) == {"fields": ["status"], "count": 2}
    other = await metering.ListAuditLogs(pb.ListAuditLogsRequest(tenant_id=f"{tenant_id}-other"))
    assert not other.entries and other.page.total == 0


async def test_newest_first_paginated_and_filtered(metering, tenant_id):
    base = datetime(2032, 5, 1, tzinfo=timezone.utc)
    ids = []
    for i in range(5):
        action = "key.create" if i % 2 else "model.update"
        ids.append((await metering.WriteAuditLog(_entry(tenant_id, action, base + timedelta(minutes=i)))).id)
    seen, token = [], ""
    while True:
        page = await metering.ListAuditLogs(pb.ListAuditLogsRequest(tenant_id=tenant_id,
                                                                    page={"page_size": 2, "page_token": token}))
        seen.extend(e.id for e in page.entries)
        token = page.page.next_page_token
        if not token:
            break
    assert seen == ids[::-1]
    keys = await metering.ListAuditLogs(pb.ListAuditLogsRequest(tenant_id=tenant_id, action="key.create"))
    assert [e.id for e in keys.entries] == [ids[3], ids[1]]
    window = await metering.ListAuditLogs(pb.ListAuditLogsRequest(
        tenant_id=tenant_id, start=to_ts(base + timedelta(minutes=1)), end=to_ts(base + timedelta(minutes=2))))
    assert [e.id for e in window.entries] == [ids[1]]


async def test_required_fields(metering, tenant_id):
    for entry, field in [(pb.AuditLogEntry(action="a", resource_type="r"), "tenant_id"),
                         (pb.AuditLogEntry(tenant_id=tenant_id, resource_type="r"), "action"),
                         (pb.AuditLogEntry(tenant_id=tenant_id, action="a"), "resource_type")]:
        err = await expect_error(metering.WriteAuditLog(entry), grpc.StatusCode.INVALID_ARGUMENT)
        assert field in err.details
    await expect_error(metering.ListAuditLogs(pb.ListAuditLogsRequest()), grpc.StatusCode.INVALID_ARGUMENT)
