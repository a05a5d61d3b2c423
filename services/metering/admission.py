"""Admission: may this principal make this request now? Today only the tenant's status; rate limits and budgets
(Redis counters) come later and will fill RateLimitInfo."""
from __future__ import annotations

from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2 as pb

from services.runtime.errors import ForbiddenError, ValidationError

_DENIED_STATUS = {
    common_pb2.TENANT_STATUS_SUSPENDED: "suspended",
    common_pb2.TENANT_STATUS_DELETED: "deleted",
}


def admit(request: pb.AdmitRequest) -> pb.AdmitResponse:
    if not request.HasField("principal"):
        raise ValidationError("principal is required", details={"principal": ["is required"]})
    tenant_id = request.principal.tenant_id.strip()
    if not tenant_id:
        raise ValidationError("principal.tenant_id is required", details={"principal.tenant_id": ["is required"]})
    status = request.principal.tenant_status
    if status == common_pb2.TENANT_STATUS_ACTIVE:
        return pb.AdmitResponse(allowed=True)
    word = _DENIED_STATUS.get(status, "not active (status unknown)")
    return pb.AdmitResponse(allowed=False, code=ForbiddenError.code, reason=f"tenant {tenant_id} is {word}")
