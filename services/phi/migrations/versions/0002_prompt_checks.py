"""phi policies: prompt-injection action and PII action (prompt checks)

Revision ID: phi_0002_prompt_checks
"""
import sqlalchemy as sa
from alembic import op

revision = "phi_0002_prompt_checks"
down_revision = "phi_0001"


def upgrade() -> None:
    op.add_column("phi_policies", sa.Column("injection_action", sa.String(16), nullable=False, server_default="flag"))
    op.add_column("phi_policies", sa.Column("pii_action", sa.String(16), nullable=False, server_default="redact"))


def downgrade() -> None:
    op.drop_column("phi_policies", "pii_action")
    op.drop_column("phi_policies", "injection_action")
