"""The audit trail of administrative writes: actor role and key, before / after, queries by actor, resource, action,
tenant (or every tenant) and time; append-only by contract (no RPC changes or removes an entry); usage counts for
catalogue deletes."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import grpc
from google.protobuf.struct_pb2 import Struct
from radiant.metering.v1 import metering_pb2 as pb

from services.runtime.timeutil import to_ts
from tests.metering.helpers import expect_error


def _struct(data: dict) -> Struct:
    s = Struct()
    s.update(data)
    return s


async def test_before_after_and_queries(metering, tenant_id):
    other = f"{tenant_id}-b"
    base = datetime(2031, 3, 1, tzinfo=timezone.utc)
    rows = [(tenant_id, "alice", "model.update", "model", "m-1", 0), (tenant_id, "bob", "user.disable", "user",
                                                                     "u-1", 1),
            (tenant_id, "alice", "user.create", "user", "u-1", 2), (other, "carol", "model.update", "model", "m-1", 3)]
    for tenant, actor, action, rtype, rid, minute in rows:
        await metering.WriteAuditLog(pb.AuditLogEntry(
            tenant_id=tenant, admin_id=actor, actor_role="admin", actor_key_id="key123", action=action,
            resource_type=rtype, resource_id=rid, before=_struct({"status": "active"}),
            after=_struct({"status": "suspended"}), created_at=to_ts(base + timedelta(minutes=minute))))
    got = (await metering.ListAuditLogs(pb.ListAuditLogsRequest(tenant_id=tenant_id, admin_id="alice"))).entries
    assert [e.action for e in got] == ["user.create", "model.update"]
    assert got[0].actor_role == "admin" and got[0].actor_key_id == "key123"
    assert dict(got[0].before) == {"status": "active"} and dict(got[0].after) == {"status": "suspended"}
    got = (await metering.ListAuditLogs(pb.ListAuditLogsRequest(tenant_id=tenant_id, resource_type="user",
                                                                resource_id="u-1"))).entries
    assert [e.admin_id for e in got] == ["alice", "bob"]
    window = pb.ListAuditLogsRequest(tenant_id=tenant_id, start=to_ts(base + timedelta(minutes=1)),
                                     end=to_ts(base + timedelta(minutes=2)))
    assert [e.action for e in (await metering.ListAuditLogs(window)).entries] == ["user.disable"]
    everywhere = await metering.ListAuditLogs(pb.ListAuditLogsRequest(all_tenants=True, resource_id="m-1",
                                                                      action="model.update"))
    assert {e.tenant_id for e in everywhere.entries} == {tenant_id, other}
    err = await expect_error(metering.ListAuditLogs(pb.ListAuditLogsRequest()), grpc.StatusCode.INVALID_ARGUMENT)
    assert "tenant_id" in err.details
    err = await expect_error(metering.ListAuditLogs(pb.ListAuditLogsRequest(tenant_id=tenant_id, action="a\x00")),
                             grpc.StatusCode.INVALID_ARGUMENT)
    assert "action" in err.details
    written = await metering.WriteAuditLog(pb.AuditLogEntry(tenant_id=tenant_id, action="x.create",
                                                            resource_type="x"))
    assert not written.HasField("before") and not written.HasField("after")


def test_no_rpc_changes_or_removes_an_entry():
    methods = set(pb.DESCRIPTOR.services_by_name["MeteringService"].methods_by_name)
    audit = {m for m in methods if "Audit" in m}
    assert audit == {"WriteAuditLog", "ListAuditLogs"}


async def test_count_usage(metering, tenant_id):
    model = f"m-{uuid.uuid4().hex[:8]}"
    for i in range(3):
        await metering.RecordUsage(pb.RecordUsageRequest(
            request_id=f"{model}-{i}", tenant_id=tenant_id if i else f"{tenant_id}-b", model_id=model,
            provider_id="p-1", usage={"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            pricing={"input_per_million": "1", "output_per_million": "1"}, request_type="chat.completion",
            status="success"))
    assert (await metering.CountUsage(pb.CountUsageRequest(model_id=model))).requests == 3  # every tenant
    assert (await metering.CountUsage(pb.CountUsageRequest(model_id="never-used"))).requests == 0
    await expect_error(metering.CountUsage(pb.CountUsageRequest()), grpc.StatusCode.INVALID_ARGUMENT)
