"""metering: audit trail of administrative writes (actor role and key, before / after), indexes for its queries

Revision ID: metering_0004_audit_trail
Revises: metering_0003_admission
"""
from alembic import op
import sqlalchemy as sa

from services.runtime.db import JSONType

revision = "metering_0004_audit_trail"
down_revision = "metering_0003_admission"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_logs") as batch:
        batch.add_column(sa.Column("actor_role", sa.String(32)))
        batch.add_column(sa.Column("actor_key_id", sa.String(64)))
        batch.add_column(sa.Column("before", JSONType))
        batch.add_column(sa.Column("after", JSONType))
    op.create_index("ix_audit_logs_created", "audit_logs", ["created_at"])
    op.create_index("ix_audit_logs_tenant_admin", "audit_logs", ["tenant_id", "admin_id"])
    op.create_index("ix_audit_logs_resource", "audit_logs", ["resource_type", "resource_id"])
    op.create_index("ix_usage_records_model", "usage_records", ["model_id"])
    op.create_index("ix_usage_records_provider", "usage_records", ["provider_id"])


def downgrade() -> None:
    op.drop_index("ix_usage_records_provider", table_name="usage_records")
    op.drop_index("ix_usage_records_model", table_name="usage_records")
    op.drop_index("ix_audit_logs_resource", table_name="audit_logs")
    op.drop_index("ix_audit_logs_tenant_admin", table_name="audit_logs")
    op.drop_index("ix_audit_logs_created", table_name="audit_logs")
    with op.batch_alter_table("audit_logs") as batch:
        batch.drop_column("after")
        batch.drop_column("before")
        batch.drop_column("actor_key_id")
        batch.drop_column("actor_role")
