"""Tenant PHI policy (seed DBPhiConfig) and how a request's options combine with it: a request may ask for more
protection, never for less than its tenant requires."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from radiant.phi.v1 import phi_pb2
from services.phi.detection import CATEGORIES, DEFAULT_ENABLED, SECRET_CATEGORY
from services.runtime.errors import ForbiddenError, ValidationError
from services.runtime.timeutil import to_ts

MODES = {"auto": phi_pb2.PHI_MODE_AUTO, "manual": phi_pb2.PHI_MODE_MANUAL, "disabled": phi_pb2.PHI_MODE_DISABLED}
SECRETS_ACTIONS = {"redact": phi_pb2.SECRETS_ACTION_REDACT, "reject": phi_pb2.SECRETS_ACTION_REJECT}
INJECTION_ACTIONS = {"off": phi_pb2.INJECTION_ACTION_OFF, "flag": phi_pb2.INJECTION_ACTION_FLAG,
                     "block": phi_pb2.INJECTION_ACTION_BLOCK}
PII_ACTIONS = {"redact": phi_pb2.PII_ACTION_REDACT, "block": phi_pb2.PII_ACTION_BLOCK}
PHI_CATEGORIES = tuple(c for c in CATEGORIES if c != SECRET_CATEGORY)
MAX_TTL_HOURS = 24 * 30


@dataclass(frozen=True, slots=True)
class Policy:
    tenant_id: str
    mode: str = "auto"
    categories: dict[str, bool] = field(default_factory=dict)  # overrides of the defaults
    reid_allowed: bool = True
    reid_requires_approval: bool = True
    mapping_ttl_hours: int = 24
    secrets_action: str = "redact"
    injection_action: str = "flag"  # off | flag (reported for the audit log) | block
    pii_action: str = "redact"      # redact | block
    is_default: bool = True
    updated_at: datetime | None = None

    def enabled_categories(self) -> frozenset[str]:
        enabled = {c for c in PHI_CATEGORIES if self.categories.get(c, c in DEFAULT_ENABLED)}
        return frozenset(enabled)

    def to_proto(self) -> phi_pb2.PhiPolicy:
        enabled = self.enabled_categories()
        return phi_pb2.PhiPolicy(
            tenant_id=self.tenant_id, mode=MODES[self.mode],
            categories={c: c in enabled for c in PHI_CATEGORIES},
            reidentification=phi_pb2.ReidentificationPolicy(allowed=self.reid_allowed,
                                                            requires_approval=self.reid_requires_approval,
                                                            mapping_ttl_hours=self.mapping_ttl_hours),
            secrets_action=SECRETS_ACTIONS[self.secrets_action], is_default=self.is_default,
            updated_at=to_ts(self.updated_at), injection_action=INJECTION_ACTIONS[self.injection_action],
            pii_action=PII_ACTIONS[self.pii_action])


def policy_from_proto(msg: phi_pb2.PhiPolicy) -> Policy:
    """Validate a policy sent by an admin; every bad field is named."""
    errors: dict[str, list[str]] = {}
    tenant = msg.tenant_id.strip()
    if not tenant:
        errors["tenant_id"] = ["is required"]
    mode = next((k for k, v in MODES.items() if v == msg.mode), None)
    if msg.mode == phi_pb2.PHI_MODE_UNSPECIFIED:
        mode = "auto"
    if mode is None:
        errors["mode"] = ["must be auto, manual or disabled"]
    unknown = sorted(set(msg.categories) - set(PHI_CATEGORIES))
    if unknown:
        errors["categories"] = [f"unknown categories: {', '.join(unknown)}; known: {', '.join(PHI_CATEGORIES)}"]
    reid = msg.reidentification if msg.HasField("reidentification") else None
    ttl = reid.mapping_ttl_hours if reid and reid.mapping_ttl_hours else 24
    if not 1 <= ttl <= MAX_TTL_HOURS:
        errors["reidentification.mapping_ttl_hours"] = [f"must be between 1 and {MAX_TTL_HOURS}"]
    action = next((k for k, v in SECRETS_ACTIONS.items() if v == msg.secrets_action), "redact")
    injection = _choice(msg.injection_action, INJECTION_ACTIONS, "flag", "injection_action", errors)
    pii = _choice(msg.pii_action, PII_ACTIONS, "redact", "pii_action", errors)
    if errors:
        raise ValidationError("Invalid PHI policy", details=errors)
    return Policy(tenant_id=tenant, mode=mode or "auto", categories=dict(msg.categories),
                  reid_allowed=reid.allowed if reid else True,
                  reid_requires_approval=reid.requires_approval if reid else True,
                  mapping_ttl_hours=ttl, secrets_action=action, injection_action=injection, pii_action=pii,
                  is_default=False)


def _choice(value: int, names: dict[str, int], default: str, field_name: str, errors: dict[str, list[str]]) -> str:
    """The name of an enum value; unspecified (0) is the default; an unknown number is an error."""
    if value == 0:
        return default
    name = next((k for k, v in names.items() if v == value), None)
    if name is None:
        errors[field_name] = [f"must be one of {', '.join(names)}"]
        return default
    return name


def default_policy(tenant_id: str) -> Policy:
    return Policy(tenant_id=tenant_id)


@dataclass(frozen=True, slots=True)
class Plan:
    """What one request gets: which categories to replace, whether secrets are rejected, whether PHI found is a
    reason to refuse the request (PII block mode) rather than to redact it."""
    categories: frozenset[str]
    reject_secrets: bool
    phi_applied: bool
    block_phi: bool = False


def plan_for_request(policy: Policy, enable_phi: bool | None, extra: list[str]) -> Plan:
    unknown = sorted({c.upper() for c in extra} - set(PHI_CATEGORIES))
    if unknown:
        raise ValidationError("Unknown PHI categories", details={
            "phi_categories": [f"unknown: {', '.join(unknown)}; known: {', '.join(PHI_CATEGORIES)}"]})
    if policy.mode == "auto" and enable_phi is False:
        raise ForbiddenError("PHI protection is required by this tenant's policy and cannot be turned off per request",
                             details={"enable_phi": ["false is not allowed for this tenant"]})
    applied = policy.mode == "auto" or (policy.mode == "manual" and enable_phi is True)
    categories = (policy.enabled_categories() | {c.upper() for c in extra}) if applied else frozenset()
    # Secrets are guarded whatever the PHI mode: a key pasted into a prompt is never the provider's business.
    return Plan(categories | {SECRET_CATEGORY}, policy.secrets_action == "reject", applied,
                applied and policy.pii_action == "block")


