"""Registry tables: providers and models (seed DBProvider / DBModel plus api_format, credential_ref, upstream_model,
deployment target and observed state). Enum-like columns hold the seed's strings (see enums.py); pricing is a JSON
object of decimal strings, never floats."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, registry

from services.runtime.db import Base, JSONType
from services.runtime.timeutil import utcnow


class RegistryBase(Base):
    __abstract__ = True
    metadata = sa.MetaData()
    registry = registry(metadata=metadata)


class Provider(RegistryBase):
    __tablename__ = "providers"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(128), unique=True)
    type: Mapped[str] = mapped_column(sa.String(32))
    status: Mapped[str] = mapped_column(sa.String(32))
    hipaa_compliant: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    baa_available: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    base_url: Mapped[str | None] = mapped_column(sa.String(1024))
    auth_type: Mapped[str] = mapped_column(sa.String(32))
    capabilities: Mapped[list[str]] = mapped_column(JSONType, default=list)
    config: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    api_format: Mapped[str] = mapped_column(sa.String(32))
    # Name of the env var / secret holding the credential; never the value.
    credential_ref: Mapped[str | None] = mapped_column(sa.String(256))
    # Hash of the catalogue-file entry last applied to this row (None: not declared in a file); see catalogue_file.py.
    declared_hash: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Model(RegistryBase):
    __tablename__ = "models"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    provider_id: Mapped[str] = mapped_column(sa.ForeignKey("providers.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(256), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(256))
    description: Mapped[str | None] = mapped_column(sa.Text)
    type: Mapped[str] = mapped_column(sa.String(32))
    specialty: Mapped[str] = mapped_column(sa.String(64))
    capabilities: Mapped[list[str]] = mapped_column(JSONType, default=list)
    context_window: Mapped[int | None] = mapped_column(sa.Integer)
    max_output_tokens: Mapped[int | None] = mapped_column(sa.Integer)
    supports_functions: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    supports_vision: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    supports_streaming: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    has_thinking_mode: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    thinking_budget_tokens: Mapped[int | None] = mapped_column(sa.Integer)
    # {"input_per_million": "0.50", ..., "billed_markup": "0.20"}: decimal strings.
    pricing: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    thermal_state: Mapped[str | None] = mapped_column(sa.String(16))
    # {"state": "COLD", "min_instances": 0, "max_instances": 2, "scale_to_zero_after_minutes": 15,
    #  "warmup_time_seconds": 300}
    thermal_config: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(sa.String(32))
    release_date: Mapped[str | None] = mapped_column(sa.String(32))
    deprecation_date: Mapped[str | None] = mapped_column(sa.String(32))
    upstream_model: Mapped[str | None] = mapped_column(sa.String(256))
    deployment_kind: Mapped[str] = mapped_column(sa.String(32), default="none")
    deployment_name: Mapped[str | None] = mapped_column(sa.String(256))
    deployment_namespace: Mapped[str | None] = mapped_column(sa.String(256))
    deployment_instance_type: Mapped[str | None] = mapped_column(sa.String(64))
    # SageMaker: the endpoint's inference component serving this model (None: a classic endpoint variant).
    deployment_inference_component: Mapped[str | None] = mapped_column(sa.String(256))
    # What the operator last observed: {"ready_replicas", "desired_replicas", "phase", "message", "observed_at"}.
    observed: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # Model names tried in order when this one fails retryably or its provider's circuit is open.
    fallback_models: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # Last time the router asked for a warm-up (the operator scales the deployment up).
    warmup_requested_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    declared_hash: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
