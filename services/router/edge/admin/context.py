"""What every admin operation gets: the checked principal, the services, and the request facts the audit trail
records. Routes obtain it with `Depends(admin("<action>"))` (services.router.edge.deps.allow underneath); the
resource functions of this package take it, so another surface (GraphQL, the console) reuses them as they are."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Query, Request

from radiant.common.v1 import common_pb2
from services.auth import permissions
from services.router.edge import deps
from services.router.pipeline.core import Pipeline
from services.router.pipeline.upstreams import Upstreams
from services.runtime.context import current_request_id
from services.runtime.paging import offset_token

# Query parameters shared by the list routes (the seed's limit / offset pagination).
Limit = Query(50, ge=1, le=500, description="Page size")
Offset = Query(0, ge=0, le=1_000_000, description="Items to skip")
TenantParam = Query(None, pattern=r"^[a-z0-9][a-z0-9-]{0,63}$",
                    description="Another tenant (super_admin only); default: the caller's")


@dataclass
class AdminContext:
    principal: common_pb2.Principal
    pipeline: Pipeline
    action: str
    ip: str = ""
    user_agent: str = ""
    request_id: str = ""

    @property
    def up(self) -> Upstreams:
        return self.pipeline.up

    def tenant(self, tenant_id: str | None) -> str:
        """The tenant acted on: the caller's own, or a named one for a super admin (403 otherwise)."""
        return permissions.tenant_scope(self.principal, tenant_id)

    def require(self, action: str) -> None:
        """A finer check than the route's (e.g. a field only some roles may change)."""
        permissions.authorize(self.principal, action)

    @property
    def role(self) -> str:
        return permissions.acting_role(self.principal, self.action)


def admin(action: str):
    allow = deps.allow(action)

    async def context(request: Request, principal=Depends(allow)) -> AdminContext:
        return AdminContext(principal, request.app.state.pipeline, action,
                            ip=request.client.host if request.client else "",
                            user_agent=request.headers.get("user-agent", "")[:512],
                            request_id=current_request_id() or "")

    return context


def page(limit: int, offset: int) -> common_pb2.PageRequest:
    return common_pb2.PageRequest(page_size=limit, page_token=offset_token(offset))


def pagination(limit: int, offset: int, total: int, count: int) -> dict[str, Any]:
    return {"limit": limit, "offset": offset, "total": total, "hasMore": offset + count < total}
