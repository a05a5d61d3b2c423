"""Admin REST API (/api/v2/admin): the caller's tenant PHI policy. Reading needs an admin principal (admin, operator,
auditor, super_admin); changing it needs admin or super_admin. A super admin may name another tenant with ?tenant_id=.
Every change is written to the audit log."""
from __future__ import annotations

import time
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from google.protobuf.json_format import MessageToDict
from google.protobuf.struct_pb2 import Struct
from pydantic import BaseModel, ConfigDict, Field

from radiant.common.v1 import common_pb2
from radiant.metering.v1 import metering_pb2
from radiant.phi.v1 import phi_pb2
from services.router.edge import deps
from services.router.edge.v2 import envelope
from services.runtime.context import current_request_id
from services.runtime.errors import ForbiddenError, RadiantError
from services.runtime.grpc_client import call

router = APIRouter(prefix="/api/v2/admin")

_MODES = {"auto": phi_pb2.PHI_MODE_AUTO, "manual": phi_pb2.PHI_MODE_MANUAL, "disabled": phi_pb2.PHI_MODE_DISABLED}
_ACTIONS = {"redact": phi_pb2.SECRETS_ACTION_REDACT, "reject": phi_pb2.SECRETS_ACTION_REJECT}
_INJECTION = {"off": phi_pb2.INJECTION_ACTION_OFF, "flag": phi_pb2.INJECTION_ACTION_FLAG,
              "block": phi_pb2.INJECTION_ACTION_BLOCK}
_PII = {"redact": phi_pb2.PII_ACTION_REDACT, "block": phi_pb2.PII_ACTION_BLOCK}
_WRITERS = {"admin", "super_admin"}


class Reidentification(BaseModel):
    model_config = ConfigDict(extra="forbid")
    allowed: bool = True
    requires_approval: bool = True
    mapping_ttl_hours: int = Field(24, ge=1, le=720)


class PhiPolicyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mode: Literal["auto", "manual", "disabled"] = "auto"
    categories: dict[str, bool] = Field(default_factory=dict)
    reidentification: Reidentification = Field(default_factory=Reidentification)
    secrets_action: Literal["redact", "reject"] = "redact"
    # prompt checks: prompt-injection findings ignored, flagged in the audit log, or refused with 400
    injection_action: Literal["off", "flag", "block"] = "flag"
    # PHI found: replaced with placeholders, or the request refused with 400 PII_DETECTED
    pii_action: Literal["redact", "block"] = "redact"


def _target_tenant(principal: common_pb2.Principal, tenant_id: str | None, write: bool) -> str:
    roles = set(principal.roles) | set(principal.groups)
    if not principal.is_admin or (write and not (roles & _WRITERS or principal.is_super_admin)):
        raise ForbiddenError("Admin access required" if not principal.is_admin else
                             "Changing the PHI policy requires the admin role")
    if tenant_id and tenant_id != principal.tenant_id:
        if not principal.is_super_admin:
            raise ForbiddenError("Access to tenant denied")
        return tenant_id
    return principal.tenant_id


def _policy_json(p: phi_pb2.PhiPolicy) -> dict:
    return {"tenant_id": p.tenant_id,
            "mode": next(k for k, v in _MODES.items() if v == p.mode),
            "categories": dict(sorted(p.categories.items())),
            "reidentification": {"allowed": p.reidentification.allowed,
                                 "requires_approval": p.reidentification.requires_approval,
                                 "mapping_ttl_hours": p.reidentification.mapping_ttl_hours},
            "secrets_action": next(k for k, v in _ACTIONS.items() if v == p.secrets_action),
            "injection_action": next((k for k, v in _INJECTION.items() if v == p.injection_action), "flag"),
            "pii_action": next((k for k, v in _PII.items() if v == p.pii_action), "redact"),
            "is_default": p.is_default,
            "updated_at": MessageToDict(p)["updatedAt"] if p.HasField("updated_at") else None}


async def _audit(request: Request, principal, tenant: str, action: str, details: dict) -> None:
    pipeline = request.app.state.pipeline
    entry = metering_pb2.AuditLogEntry(
        tenant_id=tenant, admin_id=principal.user_id, action=action, resource_type="phi_policy", resource_id=tenant,
        ip_address=request.client.host if request.client else "", user_agent=request.headers.get("user-agent", "")[:256],
        request_id=current_request_id() or "")
    struct = Struct()
    struct.update(details)
    entry.details.CopyFrom(struct)
    try:
        await call(pipeline.up.metering.WriteAuditLog(entry), "metering")
    except RadiantError:
        pass  # the policy change itself succeeded; the metering service logs its own failure


@router.get("/phi/policy")
async def get_policy(tenant_id: str | None = Query(None), principal=Depends(deps.principal),
                     pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    tenant = _target_tenant(principal, tenant_id, write=False)
    policy = await call(pipeline.up.phi.GetPolicy(phi_pb2.GetPolicyRequest(tenant_id=tenant)), "phi")
    return envelope(_policy_json(policy), started)


@router.put("/phi/policy")
async def put_policy(body: PhiPolicyBody, request: Request, tenant_id: str | None = Query(None),
                     principal=Depends(deps.principal), pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    tenant = _target_tenant(principal, tenant_id, write=True)
    msg = phi_pb2.PhiPolicy(
        tenant_id=tenant, mode=_MODES[body.mode], categories={k.upper(): v for k, v in body.categories.items()},
        reidentification=phi_pb2.ReidentificationPolicy(**body.reidentification.model_dump()),
        secrets_action=_ACTIONS[body.secrets_action], injection_action=_INJECTION[body.injection_action],
        pii_action=_PII[body.pii_action])
    saved = await call(pipeline.up.phi.PutPolicy(phi_pb2.PutPolicyRequest(policy=msg)), "phi")
    await _audit(request, principal, tenant, "phi_policy.updated",
                 {"mode": body.mode, "secrets_action": body.secrets_action,
                  "injection_action": body.injection_action, "pii_action": body.pii_action,
                  "categories_changed": sorted(body.categories)})
    return envelope(_policy_json(saved), started)


@router.delete("/phi/policy")
async def delete_policy(request: Request, tenant_id: str | None = Query(None), principal=Depends(deps.principal),
                        pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    tenant = _target_tenant(principal, tenant_id, write=True)
    policy = await call(pipeline.up.phi.DeletePolicy(phi_pb2.GetPolicyRequest(tenant_id=tenant)), "phi")
    await _audit(request, principal, tenant, "phi_policy.reset", {})
    return envelope(_policy_json(policy), started)
