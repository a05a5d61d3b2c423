"""The first rule of admission: only an active tenant's requests are admitted."""
from __future__ import annotations

from radiant.common.v1 import common_pb2

from services.metering.admission.decision import Decision, denied
from services.runtime.errors import ForbiddenError, ValidationError

_DENIED_STATUS = {
    common_pb2.TENANT_STATUS_SUSPENDED: "suspended",
    common_pb2.TENANT_STATUS_DELETED: "deleted",
}


def check_principal(principal: common_pb2.Principal, present: bool = True) -> None:
    if not present:
        raise ValidationError("principal is required", details={"principal": ["is required"]})
    if not principal.tenant_id.strip():
        raise ValidationError("principal.tenant_id is required", details={"principal.tenant_id": ["is required"]})


def status_denial(principal: common_pb2.Principal) -> Decision | None:
    status = principal.tenant_status
    if status == common_pb2.TENANT_STATUS_ACTIVE:
        return None
    word = _DENIED_STATUS.get(status, "not active (status unknown)")
    return denied(ForbiddenError.code, f"tenant {principal.tenant_id} is {word}")
