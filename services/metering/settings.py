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
    # After a short read of the usage or request-log stream, wait this long so the next read gathers a batch (one
    # commit for many events; entries stay in the stream meanwhile, so waiting loses nothing).
    stream_linger_seconds: float = Field(0.2, ge=0, le=5)
    # Entries pending this long in another consumer (one that died) are taken over.
    usage_claim_idle_ms: int = Field(30_000, ge=100)
    # Request log: records a tenant sets no retention for are kept this many days; expired partitions are archived to
    # this S3 bucket (the Terraform audit-archive bucket; empty: dropped without archive) with this KMS key, then
    # dropped. Retention runs every request_log_retention_interval_seconds (0: never, e.g. a replica kept out).
    request_log_default_retention_days: int = Field(30, ge=1, le=3650)
    request_log_retention_interval_seconds: float = Field(3600.0, ge=0)
    request_log_archive_bucket: str = ""
    request_log_archive_prefix: str = "request-logs/"
    request_log_archive_kms_key_id: str = ""
    # S3 endpoint override (tests, S3-compatible stores); empty: AWS.
    s3_endpoint_url: str = ""
    aws_region: str = ""
