"""auth: API-key permissions and rotation, invitations, promotions

Existing keys get the permissions a key created without any gets now (completions, embeddings, health, plus admin for
keys with an admin role), so they keep doing what they did.

Revision ID: auth_0003_admin_identities
Revises: auth_0002_admission_limits
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.auth.permissions import default_permissions
from services.runtime.db import JSONType

revision = "auth_0003_admin_identities"
down_revision = "auth_0002_admission_limits"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("permissions", JSONType, nullable=True))
        batch.add_column(sa.Column("replaced_by", sa.String(64), nullable=False, server_default=""))
        batch.add_column(_ts("rotated_at", nullable=True))
    keys = sa.table("api_keys", sa.column("id", sa.String), sa.column("roles", JSONType),
                    sa.column("permissions", JSONType))
    conn = op.get_bind()
    for key_id, roles in conn.execute(sa.select(keys.c.id, keys.c.roles)).all():
        conn.execute(keys.update().where(keys.c.id == key_id).values(permissions=default_permissions(roles or [])))

    op.create_table(
        "invitations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("tenant_id", sa.String(64), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("invited_by", sa.String(128), nullable=False),
        sa.Column("driver", sa.String(16), nullable=False),
        sa.Column("send_count", sa.Integer, nullable=False, server_default="1"),
        sa.Column("user_id", sa.String(64), nullable=False, server_default=""),
        _ts("created_at"),
        _ts("last_sent_at"),
        _ts("expires_at"),
        _ts("accepted_at", nullable=True),
        _ts("revoked_at", nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_invitations_token_hash"),
        sa.CheckConstraint("status IN ('pending', 'accepted', 'revoked')", name="ck_invitations_status"),
    )
    op.create_index("ix_invitations_tenant_id", "invitations", ["tenant_id"])
    op.create_index("ix_invitations_tenant_email", "invitations", ["tenant_id", "email"])
    op.create_table(
        "promotions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("tenant_id", sa.String(64), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("previous_roles", JSONType, nullable=False),
        sa.Column("reason", sa.String(1000), nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("requested_by", sa.String(128), nullable=False),
        sa.Column("decided_by", sa.String(128), nullable=False, server_default=""),
        sa.Column("decision_reason", sa.String(1000), nullable=False, server_default=""),
        _ts("created_at"),
        _ts("expires_at"),
        _ts("decided_at", nullable=True),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="ck_promotions_status"),
    )
    op.create_index("ix_promotions_tenant_id", "promotions", ["tenant_id"])


def downgrade() -> None:
    op.drop_index("ix_promotions_tenant_id", table_name="promotions")
    op.drop_table("promotions")
    op.drop_index("ix_invitations_tenant_email", table_name="invitations")
    op.drop_index("ix_invitations_tenant_id", table_name="invitations")
    op.drop_table("invitations")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("rotated_at")
        batch.drop_column("replaced_by")
        batch.drop_column("permissions")
