"""Metering settings (env RADIANT_<FIELD>)."""
from __future__ import annotations

from pydantic import Field

from services.runtime.config import BaseServiceSettings


class Settings(BaseServiceSettings):
    grpc_port: int = Field(50054, ge=0, le=65535)
