"""Admission by tenant status."""
from __future__ import annotations

import grpc
from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2 as pb

from tests.metering import helpers
from tests.metering.helpers import expect_error


def _admit(tenant_id: str, status: int) -> pb.AdmitRequest:
    return pb.AdmitRequest(principal=common_pb2.Principal(tenant_id=tenant_id, tenant_status=status),
                           model_id="m", provider_id="p", estimated_tokens=100, request_id="r")


async def test_active_tenant_is_admitted(metering, tenant_id):
    resp = await metering.Admit(_admit(tenant_id, common_pb2.TENANT_STATUS_ACTIVE))
    assert resp.allowed and not resp.code and not resp.reason
    assert not resp.HasField("rate_limit")


async def test_suspended_and_deleted_tenants_are_refused(metering, tenant_id):
    resp = await metering.Admit(_admit(tenant_id, common_pb2.TENANT_STATUS_SUSPENDED))
    assert (resp.allowed, resp.code, resp.reason) == (False, "FORBIDDEN", f"tenant {tenant_id} is suspended")
    resp = await metering.Admit(_admit(tenant_id, common_pb2.TENANT_STATUS_DELETED))
    assert (resp.allowed, resp.code, resp.reason) == (False, "FORBIDDEN", f"tenant {tenant_id} is deleted")
    resp = await metering.Admit(_admit(tenant_id, common_pb2.TENANT_STATUS_UNSPECIFIED))
    assert not resp.allowed and resp.code == "FORBIDDEN"


async def test_missing_principal_or_tenant_is_a_validation_error(metering):
    err = await expect_error(metering.Admit(pb.AdmitRequest(model_id="m")), grpc.StatusCode.INVALID_ARGUMENT)
    assert err.code == "VALIDATION_ERROR" and "principal" in err.details
    err = await expect_error(metering.Admit(_admit("", common_pb2.TENANT_STATUS_ACTIVE)),
                             grpc.StatusCode.INVALID_ARGUMENT)
    assert "principal.tenant_id" in err.details


# --- limits through the RPCs (the same library the router runs) ---------------------------------------------------
def _limited(tenant_id: str, **key_limits) -> common_pb2.Principal:
    return common_pb2.Principal(
        tenant_id=tenant_id, app_id="default", user_id="apikey:k1", key_id="k1",
        tenant_status=common_pb2.TENANT_STATUS_ACTIVE,
        limits=common_pb2.AppliedLimits(key=common_pb2.Limits(**key_limits)))


async def test_admit_rpc_enforces_limits_and_names_the_reservation(metering, tenant_id):
    principal = _limited(tenant_id, requests_per_minute=2)
    first = await metering.Admit(pb.AdmitRequest(principal=principal, request_id="req-1"))
    assert first.allowed and first.reservation_id == "req-1"
    assert (first.requests.limit, first.requests.remaining, first.requests.scope) == (2, 1, "key")
    minted = await metering.Admit(pb.AdmitRequest(principal=principal))
    assert minted.allowed and len(minted.reservation_id) == 32  # one the gateway minted
    denied = await metering.Admit(pb.AdmitRequest(principal=principal))
    assert (denied.allowed, denied.code) == (False, "RATE_LIMITED")
    assert denied.rate_limit.dimension == "requests_per_minute" and 0 < denied.retry_after_seconds <= 60
    assert denied.retry_after_ms > 0 and "2 of 2 requests per minute" in denied.reason


async def test_release_and_record_usage_settle_a_reservation_once(metering, tenant_id):
    principal = _limited(tenant_id, concurrent_requests=1, daily_budget="1")
    pricing = helpers.DEMO_PRICING
    held = await metering.Admit(pb.AdmitRequest(principal=principal, request_id=f"{tenant_id}-a", prompt_tokens=10,
                                                max_output_tokens=100, pricing=pricing))
    assert held.allowed
    assert not (await metering.Admit(pb.AdmitRequest(principal=principal))).allowed  # the slot is taken
    released = await metering.Release(pb.ReleaseRequest(tenant_id=tenant_id, request_id=held.reservation_id))
    assert released.released
    assert not (await metering.Release(pb.ReleaseRequest(tenant_id=tenant_id, request_id=held.reservation_id))).released

    again = await metering.Admit(pb.AdmitRequest(principal=principal, request_id=f"{tenant_id}-b", prompt_tokens=10,
                                                 max_output_tokens=100, pricing=pricing))
    record = helpers.usage(tenant_id, 10, 20, request_id=again.reservation_id, key_id="k1", app_id="default",
                           user_id="apikey:k1")
    row = await metering.RecordUsage(record)
    await metering.RecordUsage(record)  # a retry: the ledger keeps one row, the budget counts it once
    status = await metering.GetLimits(pb.GetLimitsRequest(principal=principal))
    daily = next(s for s in status.limits if s.dimension == "daily_budget")
    assert (daily.used, daily.reserved) == (row.billed_amount, "0")
    assert next(s for s in status.limits if s.dimension == "concurrent_requests").used == "0"


async def test_a_budget_threshold_is_written_to_the_audit_log(metering, tenant_id):
    principal = _limited(tenant_id, monthly_budget="0.00001")
    admitted = await metering.Admit(pb.AdmitRequest(principal=principal, request_id=f"{tenant_id}-t"))
    await metering.RecordUsage(helpers.usage(tenant_id, 10, 20, request_id=admitted.reservation_id, key_id="k1",
                                             app_id="default", user_id="apikey:k1"))  # 0.000042 USD: past 100 %
    entries = (await metering.ListAuditLogs(pb.ListAuditLogsRequest(tenant_id=tenant_id,
                                                                    action="budget.threshold"))).entries
    assert sorted(int(e.details["threshold_percent"]) for e in entries) == [50, 80, 100]
    assert {e.resource_id for e in entries} == {"key:k1:monthly"}
    assert all(e.request_id == admitted.reservation_id and e.details["budget"] == "0.00001" for e in entries)
