"""Metering settings (env RADIANT_<FIELD>)."""
from __future__ import annotations

from pydantic import Field

from services.metering.admission.settings import AdmissionSettings
from services.runtime.config import BaseServiceSettings


class Settings(BaseServiceSettings, AdmissionSettings):
    grpc_port: int = Field(50054, ge=0, le=65535)
    # Name of this consumer in the usage-stream group; stable per replica so a restart re-reads its own pending
    # entries (the pod name in Kubernetes). Empty: the host name.
    usage_consumer_name: str = ""
    usage_batch_size: int = Field(500, ge=1, le=10_000)
    # Entries pending this long in another consumer (one that died) are taken over.
    usage_claim_idle_ms: int = Field(30_000, ge=100)
