"""Admission by tenant status."""
from __future__ import annotations

import grpc
from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2 as pb

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
