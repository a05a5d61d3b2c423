from __future__ import annotations

import base64
import binascii

from pydantic import Field, SecretStr, field_validator, model_validator

from services.runtime.config import BaseServiceSettings

# Only for env=dev/test; prod must configure RADIANT_PHI_ENCRYPTION_KEY.
DEV_KEY = base64.b64encode(b"radiant-dev-phi-key-not-secret!!").decode()


class Settings(BaseServiceSettings):
    grpc_port: int = Field(50052, ge=0, le=65535)
    # Base64 of 32 random bytes (AES-256-GCM key for mapping values at rest).
    phi_encryption_key: SecretStr = SecretStr("")
    # Total characters one Sanitize call accepts.
    phi_max_chars: int = Field(2_000_000, ge=1)
    phi_policy_cache_seconds: float = Field(5.0, ge=0)

    @field_validator("phi_encryption_key")
    @classmethod
    def _key_shape(cls, v: SecretStr) -> SecretStr:
        if v.get_secret_value():
            try:
                raw = base64.b64decode(v.get_secret_value(), validate=True)
            except (binascii.Error, ValueError):
                raise ValueError("must be base64") from None
            if len(raw) != 32:
                raise ValueError("must decode to exactly 32 bytes")
        return v

    @model_validator(mode="after")
    def _key_required_in_prod(self) -> "Settings":
        if not self.phi_encryption_key.get_secret_value():
            if self.env in ("prod", "staging"):
                raise ValueError("RADIANT_PHI_ENCRYPTION_KEY is required outside dev/test")
            self.phi_encryption_key = SecretStr(DEV_KEY)
        return self

    def encryption_key(self) -> bytes:
        return base64.b64decode(self.phi_encryption_key.get_secret_value())
