"""registry: per-model fallback chains and warm-up requests

Revision ID: registry_0002
Revises: registry_0001
"""
from alembic import op
import sqlalchemy as sa

from services.runtime.db import JSONType

revision = "registry_0002"
down_revision = "registry_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("models") as batch:
        batch.add_column(sa.Column("fallback_models", JSONType, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("warmup_requested_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("models") as batch:
        batch.drop_column("warmup_requested_at")
        batch.drop_column("fallback_models")
