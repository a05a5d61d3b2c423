"""auth settings (env RADIANT_<FIELD>)."""
from __future__ import annotations

import logging
from typing import Any

from typing import Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator

from services.auth import validation
from services.auth.jwks import load_jwks_json
from services.auth.messages import LIMIT_BUDGETS, LIMIT_COUNTS
from services.runtime.config import BaseServiceSettings
from services.runtime.errors import ValidationError

log = logging.getLogger("radiant.auth")

# Default limits of the API-key tiers. The gateway guide's numbers: free 10 requests per minute and 100 per hour,
# premium 1000 per minute; basic and enterprise (and premium's hourly cap) are Radiant's. A key with no tier has no
# tier limits.
DEFAULT_KEY_TIER_LIMITS: dict[str, dict[str, Any]] = {
    "free": {"requests_per_minute": 10, "requests_per_hour": 100},
    "basic": {"requests_per_minute": 100, "requests_per_hour": 2_000},
    "premium": {"requests_per_minute": 1_000, "requests_per_hour": 30_000},
    "enterprise": {"requests_per_minute": 10_000},
}

# Only for dev/test: a fixed pepper keeps local API keys valid across restarts. Refused when env=prod.
DEV_PEPPER = "radiant-dev-pepper-not-for-production"


class Settings(BaseServiceSettings):
    grpc_port: int = Field(50051, ge=0, le=65535)
    # HMAC-SHA256 key for stored API-key hashes (and the decision-cache keys). Required when env=prod.
    api_key_pepper: SecretStr = Field(default=None, validate_default=True)  # type: ignore[assignment]
    # Cognito JWKS URL (https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json), fetched and cached.
    jwks_url: str = ""
    # Inline JWKS JSON, or the path of a JSON file holding it (tests, air-gapped installs).
    jwks_json: str = ""
    # Checked when set (Cognito: https://cognito-idp.<region>.amazonaws.com/<pool>; audience: the app client id).
    jwt_issuer: str = ""
    jwt_audience: str = ""
    # The admin identity pool (Cognito admin pool; Terraform outputs cognito.admin_pool_*): its tokens are told apart
    # by their issuer, verified with its own JWKS and audience, and their cognito:groups claim gives the roles.
    admin_jwks_url: str = ""
    admin_jwks_json: str = ""
    admin_jwt_issuer: str = ""
    admin_jwt_audience: str = ""
    # How invitations and role changes reach the identity provider: "local" (the embedded default: the acceptance
    # link is handed to the inviting admin, accepting yields an API key) or "cognito" (users created in the admin
    # pool with AdminCreateUser / AdminAddUserToGroup, invitation e-mails sent through SES).
    identity_driver: Literal["local", "cognito"] = "local"
    cognito_admin_pool_id: str = ""
    ses_sender: str = ""
    aws_region: str = ""
    # Where an invitation link points; the token is appended as ?token=... (the console's acceptance page).
    invitation_url: str = "http://127.0.0.1:8080/console/accept-invitation"
    invitation_ttl_hours: int = Field(7 * 24, ge=1, le=30 * 24)
    promotion_ttl_hours: int = Field(72, ge=1, le=30 * 24)
    # Successful Authenticate decisions are cached in-process this long (0 disables), keyed by an HMAC of the credential.
    auth_cache_seconds: float = Field(5.0, ge=0, le=300)
    auth_cache_max_entries: int = Field(10_000, ge=1, le=1_000_000)
    # Limits of each API-key tier, as radiant.common.v1.Limits fields, e.g.
    # {"free": {"requests_per_minute": 20, "tokens_per_day": 100000}}: a tier given here replaces its defaults.
    key_tier_limits: dict[str, dict[str, Any]] = Field(default_factory=lambda: dict(DEFAULT_KEY_TIER_LIMITS))

    @field_validator("api_key_pepper", mode="before")
    @classmethod
    def _pepper(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        env = info.data.get("env", "dev")
        if value is None or value == "":
            if env == "prod":
                raise ValueError("required when RADIANT_ENV=prod (the HMAC key for stored API-key hashes)")
            log.warning("RADIANT_API_KEY_PEPPER is not set; using the fixed development pepper (env=%s)", env)
            return DEV_PEPPER
        if env == "prod" and value == DEV_PEPPER:
            raise ValueError("must not be the development pepper when RADIANT_ENV=prod")
        return value

    @field_validator("key_tier_limits")
    @classmethod
    def _tiers(cls, value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        unknown = sorted(set(value) - set(DEFAULT_KEY_TIER_LIMITS))
        if unknown:
            raise ValueError(f"unknown tier(s) {', '.join(unknown)}; tiers are {', '.join(DEFAULT_KEY_TIER_LIMITS)}")
        fields = set(LIMIT_COUNTS) | set(LIMIT_BUDGETS)
        merged = dict(DEFAULT_KEY_TIER_LIMITS)
        for tier, limits in value.items():
            bad = sorted(set(limits) - fields)
            if bad:
                raise ValueError(f"{tier}: unknown limit(s) {', '.join(bad)}; limits are {', '.join(sorted(fields))}")
            try:
                merged[tier] = validation.limits(limits, tier)
            except ValidationError as exc:
                raise ValueError(exc.message) from None
        return merged

    @field_validator("jwks_json", "admin_jwks_json")
    @classmethod
    def _jwks_json(cls, value: str) -> str:
        if value.strip():
            load_jwks_json(value)  # raises ValueError with a readable reason
        return value

    @field_validator("jwks_url", "admin_jwks_url", "invitation_url")
    @classmethod
    def _jwks_url(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return value

    @model_validator(mode="after")
    def _admin_pool(self) -> "Settings":
        if (self.admin_jwks_url or self.admin_jwks_json) and not self.admin_jwt_issuer:
            raise ValueError("RADIANT_ADMIN_JWT_ISSUER is required with an admin JWKS (admin tokens are recognised "
                             "by their issuer)")
        if self.admin_jwt_issuer and self.admin_jwt_issuer == self.jwt_issuer:
            raise ValueError("RADIANT_ADMIN_JWT_ISSUER must differ from RADIANT_JWT_ISSUER")
        if self.identity_driver == "cognito":
            missing = [name for name, value in (("RADIANT_COGNITO_ADMIN_POOL_ID", self.cognito_admin_pool_id),
                                                ("RADIANT_SES_SENDER", self.ses_sender)) if not value]
            if missing:
                raise ValueError(f"{' and '.join(missing)} required with RADIANT_IDENTITY_DRIVER=cognito")
        return self
