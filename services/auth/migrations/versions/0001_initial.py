"""auth: tenants, apps, users, api_keys

Revision ID: auth_0001
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.runtime.db import JSONType

revision = "auth_0001"
down_revision = None
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "tenants",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("app_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("domain", sa.String(253), nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False, server_default="active"),
        sa.Column("tier", sa.Integer, nullable=False, server_default="1"),
        sa.Column("settings", JSONType, nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.CheckConstraint("status IN ('active', 'suspended', 'deleted')", name="ck_tenants_status"),
        sa.CheckConstraint("tier BETWEEN 1 AND 5", name="ck_tenants_tier"),
    )
    op.create_index("ix_tenants_status", "tenants", ["status"])
    op.create_table(
        "apps",
        sa.Column("tenant_id", sa.String(64), sa.ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        _ts("created_at"),
        sa.UniqueConstraint("tenant_id", "name", name="uq_apps_tenant_name"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("tenant_id", sa.String(64), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("app_id", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(128), nullable=False, server_default=""),
        sa.Column("roles", JSONType, nullable=False),
        sa.Column("groups", JSONType, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="active"),
        _ts("created_at"),
        _ts("updated_at"),
        sa.UniqueConstraint("tenant_id", "email", name="uq_users_tenant_email"),
    )
    op.create_index("ix_users_tenant_id", "users", ["tenant_id"])
    op.create_index("ix_users_tenant_subject", "users", ["tenant_id", "subject"])
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("tenant_id", sa.String(64), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("app_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("roles", JSONType, nullable=False),
        sa.Column("tier", sa.Integer, nullable=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        _ts("created_at"),
        _ts("expires_at", nullable=True),
        _ts("revoked_at", nullable=True),
        _ts("last_used_at", nullable=True),
        sa.UniqueConstraint("key_hash", name="uq_api_keys_key_hash"),
    )
    op.create_index("ix_api_keys_tenant_id", "api_keys", ["tenant_id"])


def downgrade() -> None:
    op.drop_table("api_keys")
    op.drop_table("users")
    op.drop_table("apps")
    op.drop_index("ix_tenants_status", table_name="tenants")
    op.drop_table("tenants")
