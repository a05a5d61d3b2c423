"""Admin REST API (/api/v2/admin): the caller's tenant PHI policy. Reading needs any admin role; changing it needs admin
or super_admin (services.auth.permissions). A super admin may name another tenant with ?tenant_id=. Every change is
written to the audit log with the policy before and after."""
from __future__ import annotations

import time
from typing import Literal

from fastapi import APIRouter, Depends
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, ConfigDict, Field

from radiant.phi.v1 import phi_pb2
from services.router.edge.admin import audit_trail
from services.router.edge.admin.context import AdminContext, TenantParam, admin
from services.router.edge.v2 import envelope
from services.runtime.grpc_client import call

router = APIRouter(prefix="/api/v2/admin")

_MODES = {"auto": phi_pb2.PHI_MODE_AUTO, "manual": phi_pb2.PHI_MODE_MANUAL, "disabled": phi_pb2.PHI_MODE_DISABLED}
_ACTIONS = {"redact": phi_pb2.SECRETS_ACTION_REDACT, "reject": phi_pb2.SECRETS_ACTION_REJECT}
_INJECTION = {"off": phi_pb2.INJECTION_ACTION_OFF, "flag": phi_pb2.INJECTION_ACTION_FLAG,
              "block": phi_pb2.INJECTION_ACTION_BLOCK}
_PII = {"redact": phi_pb2.PII_ACTION_REDACT, "block": phi_pb2.PII_ACTION_BLOCK}


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


@router.get("/phi/policy")
async def get_policy(tenant_id: str | None = TenantParam, ctx: AdminContext = Depends(admin("phi_policy.read"))):
    started = time.perf_counter()
    policy = await call(ctx.up.phi.GetPolicy(phi_pb2.GetPolicyRequest(tenant_id=ctx.tenant(tenant_id))), "phi")
    return envelope(_policy_json(policy), started)


@router.put("/phi/policy")
async def put_policy(body: PhiPolicyBody, tenant_id: str | None = TenantParam,
                     ctx: AdminContext = Depends(admin("phi_policy.write"))):
    started = time.perf_counter()
    tenant = ctx.tenant(tenant_id)
    before = await call(ctx.up.phi.GetPolicy(phi_pb2.GetPolicyRequest(tenant_id=tenant)), "phi")
    msg = phi_pb2.PhiPolicy(
        tenant_id=tenant, mode=_MODES[body.mode], categories={k.upper(): v for k, v in body.categories.items()},
        reidentification=phi_pb2.ReidentificationPolicy(**body.reidentification.model_dump()),
        secrets_action=_ACTIONS[body.secrets_action], injection_action=_INJECTION[body.injection_action],
        pii_action=_PII[body.pii_action])
    saved = await call(ctx.up.phi.PutPolicy(phi_pb2.PutPolicyRequest(policy=msg)), "phi")
    await audit_trail.record(ctx, "phi_policy.updated", "phi_policy", tenant, tenant_id=tenant,
                             before=_policy_json(before), after=_policy_json(saved),
                             details={"mode": body.mode, "secrets_action": body.secrets_action,
                                      "injection_action": body.injection_action, "pii_action": body.pii_action,
                                      "categories_changed": sorted(body.categories)})
    return envelope(_policy_json(saved), started)


@router.delete("/phi/policy")
async def delete_policy(tenant_id: str | None = TenantParam, ctx: AdminContext = Depends(admin("phi_policy.write"))):
    started = time.perf_counter()
    tenant = ctx.tenant(tenant_id)
    before = await call(ctx.up.phi.GetPolicy(phi_pb2.GetPolicyRequest(tenant_id=tenant)), "phi")
    policy = await call(ctx.up.phi.DeletePolicy(phi_pb2.GetPolicyRequest(tenant_id=tenant)), "phi")
    await audit_trail.record(ctx, "phi_policy.reset", "phi_policy", tenant, tenant_id=tenant,
                             before=_policy_json(before), after=_policy_json(policy))
    return envelope(_policy_json(policy), started)
