"""Per-request context carried across hops (request id, tenant id) for logs and outgoing calls."""
from __future__ import annotations

import contextvars
import uuid

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("radiant_request_id", default=None)
tenant_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("radiant_tenant_id", default=None)

REQUEST_ID_HEADER = "x-request-id"
TENANT_ID_HEADER = "x-radiant-tenant-id"


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return request_id_var.get()


def set_tenant(tenant_id: str | None) -> None:
    tenant_id_var.set(tenant_id)
