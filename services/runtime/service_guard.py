"""What each internal caller may do, enforced by every gRPC server that authenticates its callers (the Guard).

A call must carry a valid service token of an identity allowed to reach the service (the network policy's edges,
checked again here). Calls a service makes on its own account are listed in SERVICE_CALLS; every other call acts
for a request and must carry auth's principal token, and then every tenant the request names (any `tenant_id`
field, at any depth, in every message of a stream) must be the principal's tenant, and any principal the request
carries must not claim more than the token does. Only a super admin's token may name other tenants."""
from __future__ import annotations

from typing import AsyncIterator, Iterable, Mapping

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from services.runtime.errors import ForbiddenError, UnauthorizedError
from services.runtime.service_auth import (PRINCIPAL_TOKEN_HEADER, SERVICE_TOKEN_HEADER, Caller, PrincipalClaims,
                                           Verifier, public_keys)

CALLERS: dict[str, frozenset[str]] = {
    "auth": frozenset({"router"}),
    "phi": frozenset({"router"}),
    "metering": frozenset({"router", "operator"}),
    "registry": frozenset({"router", "operator", "cli"}),
}

_CATALOGUE_READS = frozenset({"ListModels", "GetModel", "ListProviders", "GetProvider", "Watch"})

# (caller, service) -> methods it calls on its own account: no request's principal behind them.
SERVICE_CALLS: dict[tuple[str, str], frozenset[str]] = {
    # The credential exchange itself, and an invitee accepting with the invitation's token (no account yet).
    ("router", "auth"): frozenset({"Authenticate", "AcceptInvitation"}),
    # The catalogue is shared by every tenant; warm-up requests come from the router's own cold-model handling.
    ("router", "registry"): _CATALOGUE_READS | {"RequestWarmup"},
    # Usage, request logs and audit entries are the router's own records, written in batches after the request.
    ("router", "metering"): frozenset({"RecordUsage", "RecordRequestLogs", "WriteAuditLog", "Release"}),
    # PHI mappings made by phi's library in the router, handed to phi's vault in batches across tenants.
    ("router", "phi"): frozenset({"StoreMappings"}),
    ("operator", "registry"): _CATALOGUE_READS | {"ReportObservedState"},
    ("operator", "metering"): frozenset({"GetDemand"}),
    # `radiant models`: the platform team's tool (it holds the cli key).
    ("cli", "registry"): _CATALOGUE_READS | {"UpdateModel"},
}

# Calls only a super admin's principal may make.
PLATFORM_CALLS: dict[str, frozenset[str]] = {"auth": frozenset({"CreateTenant", "ListTenants"})}

_PRINCIPAL_TYPE = "radiant.common.v1.Principal"
# Per message type, the fields the walk visits: (name, kind, repeated), kind one of tenant / principal / message /
# map (a map whose values are messages). Planned once per type: the walk runs on every call of a guarded server.
_Plan = tuple[tuple[str, str, bool], ...]
_plans: dict[str, _Plan] = {}


def _plan(descriptor) -> _Plan:
    plan = _plans.get(descriptor.full_name)
    if plan is not None:
        return plan
    fields = []
    for field in descriptor.fields:
        if field.type == FieldDescriptor.TYPE_MESSAGE:
            target = field.message_type
            if target.GetOptions().map_entry:
                value = target.fields_by_name["value"]
                if value.type == FieldDescriptor.TYPE_MESSAGE and not value.message_type.full_name.startswith(
                        "google.protobuf."):
                    fields.append((field.name, "map", True))
            elif not target.full_name.startswith("google.protobuf."):
                kind = "principal" if target.full_name == _PRINCIPAL_TYPE else "message"
                fields.append((field.name, kind, field.is_repeated))
        elif field.name == "tenant_id" and field.type == FieldDescriptor.TYPE_STRING and not field.is_repeated:
            fields.append((field.name, "tenant", False))
    plan = _plans[descriptor.full_name] = tuple(fields)
    return plan


def _tenants_and_principals(message: Message, depth: int = 0):
    """Yield ("tenant", value) for every non-empty tenant_id and ("principal", msg) for every Principal inside."""
    if depth > 32:
        return
    for name, kind, repeated in _plan(message.DESCRIPTOR):
        if kind == "tenant":
            value = getattr(message, name)
            if value:
                yield "tenant", value
            continue
        if kind == "map":
            items = getattr(message, name).values()
        elif repeated:
            items = getattr(message, name)
        elif message.HasField(name):
            items = (getattr(message, name),)
        else:
            continue
        for item in items:
            if kind == "principal":
                yield "principal", item
            yield from _tenants_and_principals(item, depth + 1)


def check_request(caller: Caller, message: Message) -> None:
    """Refuse a request that names a tenant, or carries a principal, the caller's principal token does not cover."""
    principal = caller.principal
    if principal is None or principal.is_super_admin:
        return
    for kind, value in _tenants_and_principals(message):
        if kind == "tenant":
            if value != principal.tenant_id:
                raise ForbiddenError("the request names a tenant its principal does not belong to")
        elif (not set(value.roles) <= principal.roles or (value.is_admin and not principal.is_admin)
              or value.is_super_admin):
            raise ForbiddenError("the request claims roles its principal does not hold")


class Guard:
    """Authenticates the callers of one service."""

    def __init__(self, service: str, verifier: Verifier) -> None:
        self.service = service
        self.verifier = verifier
        self.callers = CALLERS.get(service, frozenset())

    @classmethod
    def from_env(cls, service: str, env: Mapping[str, str] | None = None) -> "Guard":
        return cls(service, Verifier(service, public_keys(env)))

    def admit(self, method: str, metadata: Iterable[tuple[str, object]]) -> Caller:
        service_token = principal_token = None
        for key, value in metadata:
            if key == SERVICE_TOKEN_HEADER and isinstance(value, str):
                service_token = value
            elif key == PRINCIPAL_TOKEN_HEADER and isinstance(value, str):
                principal_token = value
        if service_token is None:
            raise UnauthorizedError(f"{self.service} accepts only authenticated service calls: no service token")
        identity = self.verifier.service(service_token)
        if identity not in self.callers:
            raise ForbiddenError(f"{identity} may not call {self.service}")
        short = method.rsplit("/", 1)[-1]
        if short in SERVICE_CALLS.get((identity, self.service), ()):
            return Caller(identity, None)
        if principal_token is None:
            raise UnauthorizedError(f"{self.service}/{short} acts for a principal: no principal token")
        principal: PrincipalClaims = self.verifier.principal(principal_token)
        if short in PLATFORM_CALLS.get(self.service, ()) and not principal.is_super_admin:
            raise ForbiddenError(f"{self.service}/{short} is for platform super admins")
        return Caller(identity, principal)

    async def checked_stream(self, caller: Caller, requests: AsyncIterator[Message]) -> AsyncIterator[Message]:
        async for message in requests:
            check_request(caller, message)
            yield message
