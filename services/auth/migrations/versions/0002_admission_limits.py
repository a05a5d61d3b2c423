"""auth: rate limits, token quotas and budgets on apps, users and API keys; the API key's rate-limit tier

Revision ID: auth_0002_admission_limits
Revises: auth_0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.runtime.db import JSONType

revision = "auth_0002_admission_limits"
down_revision = "auth_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("apps", "users", "api_keys"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("limits", JSONType, nullable=True))
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("key_tier", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("key_tier")
    for table in ("apps", "users", "api_keys"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("limits")
