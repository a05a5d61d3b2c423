"""Who is calling and what it may do: the one place the router turns a request's credentials into a principal and
checks it, for the REST edge (services.router.edge.deps) and the gRPC API (services.router.grpc_api) alike.

credentials (one Authorization or one X-API-Key; a repeated header is a 400) -> auth's decision (cached) -> the
tenant's status and the permission matrix of services.auth.permissions for the action the route performs. A later
signed principal for internal calls extends this module, nothing else."""
from __future__ import annotations

from collections.abc import Sequence

from radiant.auth.v1 import auth_pb2
from radiant.common.v1 import common_pb2
from services.auth import permissions
from services.runtime.errors import UnauthorizedError, ValidationError


def credential(authorization: Sequence[str], x_api_key: Sequence[str]) -> auth_pb2.AuthenticateRequest:
    """`Authorization: Bearer <jwt | api key>` (what the OpenAI SDK sends) or `X-API-Key: <key>`, each at most
    once: with two, which one counts would depend on the proxy in front, so neither does."""
    for name, values in (("Authorization", authorization), ("X-API-Key", x_api_key)):
        if len(values) > 1:
            raise ValidationError(f"Send one {name} header, not {len(values)}",
                                  details={name.lower(): ["sent more than once"]})
    if x_api_key and x_api_key[0].strip():
        return auth_pb2.AuthenticateRequest(api_key=x_api_key[0].strip())
    if not authorization or not authorization[0].strip():
        raise UnauthorizedError("Missing credentials: send 'Authorization: Bearer <API key or JWT>' or 'X-API-Key'")
    scheme, _, token = authorization[0].strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise UnauthorizedError("Malformed Authorization header: expected 'Bearer <API key or JWT>'")
    if token.startswith("eyJ") and token.count(".") == 2:
        return auth_pb2.AuthenticateRequest(bearer_token=token)
    return auth_pb2.AuthenticateRequest(api_key=token)


async def authorize(pipeline, authorization: Sequence[str], x_api_key: Sequence[str],
                    action: str) -> common_pb2.Principal:
    """The principal behind the credentials, once it may perform `action` (an entry of permissions.MATRIX):
    401 without valid credentials, 403 for a tenant that is not active or an action its roles / key do not allow."""
    principal = await pipeline.authenticate(credential(authorization, x_api_key))
    permissions.authorize(principal, action)
    return principal
