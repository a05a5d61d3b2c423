"""phi policies

Revision ID: phi_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "phi_0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "phi_policies",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("categories", sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("reid_allowed", sa.Boolean, nullable=False),
        sa.Column("reid_requires_approval", sa.Boolean, nullable=False),
        sa.Column("mapping_ttl_hours", sa.Integer, nullable=False),
        sa.Column("secrets_action", sa.String(16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("phi_policies")
