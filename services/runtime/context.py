"""Per-request context carried across hops (request id, tenant id) for logs and outgoing calls."""
from __future__ import annotations

import contextvars
import uuid

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("radiant_request_id", default=None)
tenant_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("radiant_tenant_id", default=None)
# Minted by the gateway for every request it serves (never taken from the client, unlike the request id above, which
# is the client's X-Request-Id when it sends one): the idempotency key of what the request is billed and logged as.
gateway_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("radiant_gateway_id", default=None)

# Headers for this request's answer gathered on the way (e.g. admission's x-ratelimit-*); the REST edge adds them to
# whatever it answers, errors and streams included. A mutable holder, so values set in tasks the request spawned
# (asyncio.gather copies the context) still reach the answer.
response_headers_var: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "radiant_response_headers", default=None)

REQUEST_ID_HEADER = "x-request-id"
TENANT_ID_HEADER = "x-radiant-tenant-id"


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return request_id_var.get()


def current_gateway_id() -> str:
    """This request's gateway-minted id (minted now if the caller entered no request scope, e.g. a background task)."""
    gid = gateway_id_var.get()
    if gid is None:
        gid = new_request_id()
        gateway_id_var.set(gid)
    return gid


def response_headers() -> dict[str, str]:
    """This request's extra response headers (a throwaway dict outside a request scope)."""
    headers = response_headers_var.get()
    return headers if headers is not None else {}


def set_tenant(tenant_id: str | None) -> None:
    tenant_id_var.set(tenant_id)
