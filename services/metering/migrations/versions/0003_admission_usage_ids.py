"""metering: usage keyed by the gateway-minted id; the client's X-Request-Id kept for correlation; key id and the
uncounted flag of admission

Revision ID: metering_0003_admission
Revises: metering_0002_request_log
"""
from alembic import op
import sqlalchemy as sa

revision = "metering_0003_admission"
down_revision = "metering_0002_request_log"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("usage_records") as batch:
        batch.add_column(sa.Column("client_request_id", sa.String(128)))
        batch.add_column(sa.Column("key_id", sa.String(64)))
        batch.add_column(sa.Column("uncounted", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_index("ix_usage_records_tenant_client_request", "usage_records", ["tenant_id", "client_request_id"])


def downgrade() -> None:
    op.drop_index("ix_usage_records_tenant_client_request", "usage_records")
    with op.batch_alter_table("usage_records") as batch:
        batch.drop_column("uncounted")
        batch.drop_column("key_id")
        batch.drop_column("client_request_id")
