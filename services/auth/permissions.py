"""The permission matrix: what each admin role and each API-key permission allows, in one place.

auth owns identities and roles, so the rules live here; the router's edge runs them (as auth's library code) on every
REST route and on its gRPC API, the coming GraphQL API and console call the same functions, and auth itself uses them
for the checks it must make server-side (who may grant which role).

- Roles: super_admin (every tenant), admin (its own tenant), operator (the catalogue's thermal state and status),
  auditor (read-only, the audit log included). A principal's roles are its roles and groups that name one of these.
- API-key permissions: completions (chat, also Anthropic and Bedrock, and sessions), embeddings, admin (the admin API,
  with the key's roles), health (the detailed health report). JWTs carry all four; their roles decide the admin work.
- A principal of a tenant that is not active is refused everything."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from radiant.common.v1 import common_pb2

from services.runtime.errors import ForbiddenError, ValidationError

SUPER_ADMIN, ADMIN, OPERATOR, AUDITOR = "super_admin", "admin", "operator", "auditor"
ROLES = (SUPER_ADMIN, ADMIN, OPERATOR, AUDITOR)
COMPLETIONS, EMBEDDINGS, ADMIN_API, HEALTH = "completions", "embeddings", "admin", "health"
PERMISSIONS = (COMPLETIONS, EMBEDDINGS, ADMIN_API, HEALTH)

_ALL = frozenset(ROLES)
_READERS = frozenset({SUPER_ADMIN, ADMIN, AUDITOR})
_WRITERS = frozenset({SUPER_ADMIN, ADMIN})
_CATALOGUE_OPERATORS = frozenset({SUPER_ADMIN, OPERATOR})
_PLATFORM = frozenset({SUPER_ADMIN})


@dataclass(frozen=True)
class Rule:
    # The API-key permission the credential must carry (None: any credential).
    permission: str | None
    # The roles that may (None: any authenticated principal of an active tenant).
    roles: frozenset[str] | None


MATRIX: dict[str, Rule] = {
    # Data plane.
    "chat": Rule(COMPLETIONS, None),
    "sessions": Rule(COMPLETIONS, None),
    "embeddings": Rule(EMBEDDINGS, None),
    "models.read": Rule(None, None),
    # Who the caller is and what the matrix allows it (the console shows only the controls it may use).
    "identity.read": Rule(None, None),
    "usage.read": Rule(None, None),
    "limits.read": Rule(None, None),
    # Own requests for everyone; the whole tenant's for its admins, operators and auditors (the route scopes it).
    "requests.read": Rule(None, None),
    "health.read": Rule(HEALTH, None),
    # Administration (tenant-scoped unless noted; only super_admin reaches other tenants).
    "tenants.read": Rule(ADMIN_API, _ALL),
    "tenants.write": Rule(ADMIN_API, _PLATFORM),
    "apps.read": Rule(ADMIN_API, _READERS),
    "apps.write": Rule(ADMIN_API, _WRITERS),
    "users.read": Rule(ADMIN_API, _READERS),
    "users.write": Rule(ADMIN_API, _WRITERS),
    "keys.read": Rule(ADMIN_API, _READERS),
    "keys.write": Rule(ADMIN_API, _WRITERS),
    "invitations.read": Rule(ADMIN_API, _READERS),
    "invitations.write": Rule(ADMIN_API, _WRITERS),
    "promotions.read": Rule(ADMIN_API, _READERS),
    "promotions.write": Rule(ADMIN_API, _WRITERS),
    "audit.read": Rule(ADMIN_API, _READERS),
    "phi_policy.read": Rule(ADMIN_API, _ALL),
    "phi_policy.write": Rule(ADMIN_API, _WRITERS),
    "products.read": Rule(ADMIN_API, _ALL),
    "products.write": Rule(ADMIN_API, _WRITERS),
    # The catalogue is global: every tenant routes to it.
    "catalog.read": Rule(ADMIN_API, _ALL),
    "catalog.operate": Rule(ADMIN_API, _CATALOGUE_OPERATORS),  # thermal state and status
    "catalog.write": Rule(ADMIN_API, _PLATFORM),  # create, edit, delete
}

# Who may grant a role (by invitation, or by requesting / approving a promotion).
_GRANTORS = {SUPER_ADMIN: _PLATFORM, ADMIN: _WRITERS, OPERATOR: _WRITERS, AUDITOR: _WRITERS}


def roles_of(principal: common_pb2.Principal) -> set[str]:
    return _ALL.intersection([*principal.roles, *principal.groups])


def is_super_admin(principal: common_pb2.Principal) -> bool:
    return SUPER_ADMIN in roles_of(principal)


def require_active_tenant(principal: common_pb2.Principal) -> None:
    status = principal.tenant_status
    if status != common_pb2.TENANT_STATUS_ACTIVE:
        word = {common_pb2.TENANT_STATUS_SUSPENDED: "suspended",
                common_pb2.TENANT_STATUS_DELETED: "deleted"}.get(status, "not active")
        raise ForbiddenError(f"Tenant {principal.tenant_id} is {word}")


def denial(principal: common_pb2.Principal, action: str) -> str | None:
    """Why the principal may not perform the action (None: it may). The tenant's status is checked too."""
    rule = MATRIX[action]
    if principal.tenant_status != common_pb2.TENANT_STATUS_ACTIVE:
        return "tenant is not active"
    if rule.permission is not None and rule.permission not in principal.permissions:
        return f"This API key lacks the '{rule.permission}' permission"
    if rule.roles is not None:
        roles = roles_of(principal)
        if not roles:
            return "Admin access required"
        if not roles & rule.roles:
            return f"Requires one of the roles: {', '.join(r for r in ROLES if r in rule.roles)}"
    return None


def authorize(principal: common_pb2.Principal, action: str) -> None:
    """Raise ForbiddenError unless the principal (of an active tenant) may perform the action."""
    require_active_tenant(principal)
    reason = denial(principal, action)
    if reason is not None:
        raise ForbiddenError(reason)


def allowed(principal: common_pb2.Principal, action: str) -> bool:
    return denial(principal, action) is None


def acting_role(principal: common_pb2.Principal, action: str) -> str:
    """The highest of the principal's roles that allows the action (what the audit trail records)."""
    rule = MATRIX[action]
    roles = roles_of(principal)
    return next((r for r in ROLES if r in roles and (rule.roles is None or r in rule.roles)), "")


def tenant_scope(principal: common_pb2.Principal, tenant_id: str | None) -> str:
    """The tenant an admin request acts on: the principal's own, or any named one for a super admin."""
    if not tenant_id or tenant_id == principal.tenant_id:
        return principal.tenant_id
    if not is_super_admin(principal):
        raise ForbiddenError("Access to tenant denied")
    return tenant_id


def check_grant(principal: common_pb2.Principal, role: str, field: str = "role") -> None:
    """May this principal give someone this admin role (invite with it, request or approve a promotion to it)?"""
    if role not in ROLES:
        raise ValidationError(f"{field}: must be one of {', '.join(ROLES)}", details={field: [
            f"must be one of {', '.join(ROLES)}"]})
    if not roles_of(principal) & _GRANTORS[role]:
        raise ForbiddenError(f"Only {' or '.join(r for r in ROLES if r in _GRANTORS[role])} may grant the role "
                             f"{role}")


def check_role_change(before: Iterable[str], after: Iterable[str]) -> None:
    """A direct edit of a user's roles may drop admin roles, never add one: admin roles are granted by invitation or
    by an approved promotion only."""
    added = _ALL.intersection(after) - set(before)
    if added:
        raise ForbiddenError(f"Admin roles ({', '.join(sorted(added))}) are granted through an invitation or an "
                             "approved promotion, not by editing the user")


def default_permissions(roles: Iterable[str]) -> list[str]:
    """What a key gets when it is created without permissions."""
    out = [COMPLETIONS, EMBEDDINGS, HEALTH]
    if _ALL.intersection(roles):
        out.insert(2, ADMIN_API)
    return out


def key_permissions(values: Iterable[str], roles: Iterable[str], field: str = "permissions") -> list[str]:
    values = list(values)
    unknown = sorted(set(values) - set(PERMISSIONS))
    if unknown:
        raise ValidationError(f"{field}: unknown permission {', '.join(unknown)}", details={field: [
            f"each must be one of {', '.join(PERMISSIONS)}"]})
    if not values:
        return default_permissions(roles)
    return [p for p in PERMISSIONS if p in values]
