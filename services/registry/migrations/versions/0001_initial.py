"""registry: providers and models

Revision ID: registry_0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

from services.runtime.db import JSONType

revision = "registry_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "providers",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("hipaa_compliant", sa.Boolean, nullable=False),
        sa.Column("baa_available", sa.Boolean, nullable=False),
        sa.Column("base_url", sa.String(1024)),
        sa.Column("auth_type", sa.String(32), nullable=False),
        sa.Column("capabilities", JSONType, nullable=False),
        sa.Column("config", JSONType, nullable=False),
        sa.Column("api_format", sa.String(32), nullable=False),
        sa.Column("credential_ref", sa.String(256)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name", name="uq_providers_name"),
    )
    op.create_table(
        "models",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("provider_id", sa.String(64), sa.ForeignKey("providers.id", name="fk_models_provider_id"),
                  nullable=False),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("display_name", sa.String(256), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("specialty", sa.String(64), nullable=False),
        sa.Column("capabilities", JSONType, nullable=False),
        sa.Column("context_window", sa.Integer),
        sa.Column("max_output_tokens", sa.Integer),
        sa.Column("supports_functions", sa.Boolean, nullable=False),
        sa.Column("supports_vision", sa.Boolean, nullable=False),
        sa.Column("supports_streaming", sa.Boolean, nullable=False),
        sa.Column("has_thinking_mode", sa.Boolean, nullable=False),
        sa.Column("thinking_budget_tokens", sa.Integer),
        sa.Column("pricing", JSONType, nullable=False),
        sa.Column("thermal_state", sa.String(16)),
        sa.Column("thermal_config", JSONType),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("release_date", sa.String(32)),
        sa.Column("deprecation_date", sa.String(32)),
        sa.Column("upstream_model", sa.String(256)),
        sa.Column("deployment_kind", sa.String(32), nullable=False),
        sa.Column("deployment_name", sa.String(256)),
        sa.Column("deployment_namespace", sa.String(256)),
        sa.Column("deployment_instance_type", sa.String(64)),
        sa.Column("observed", JSONType),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name", name="uq_models_name"),
    )
    op.create_index("ix_models_provider_id", "models", ["provider_id"])
    op.create_index("ix_models_display_name", "models", ["display_name", "id"])


def downgrade() -> None:
    op.drop_table("models")
    op.drop_table("providers")
