"""metering: request_logs, partitioned by expiry day

Postgres: a declaratively partitioned table (PARTITION BY RANGE (expires_on)); metering creates one partition per
expiry day as records arrive and drops whole partitions once they expire. SQLite: an empty template table and a view
named request_logs over it; metering adds one table per expiry day and rebuilds the view.

Revision ID: metering_0002_request_log
Revises: metering_0001
"""
from alembic import op
import sqlalchemy as sa

from services.metering.money import column_type as money
from services.runtime.db import JSONType

revision = "metering_0002_request_log"
down_revision = "metering_0001"
branch_labels = None
depends_on = None


def _columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("expires_on", sa.Date, nullable=False),
        sa.Column("correlation_id", sa.String(128)),
        sa.Column("tenant_id", sa.String(128), nullable=False),
        sa.Column("app_id", sa.String(128)),
        sa.Column("user_id", sa.String(128)),
        sa.Column("api_key_id", sa.String(128)),
        sa.Column("surface", sa.String(16), nullable=False),
        sa.Column("operation", sa.String(32), nullable=False),
        sa.Column("stream", sa.Boolean, nullable=False),
        sa.Column("requested_model", sa.String(256)),
        sa.Column("model_id", sa.String(128)),
        sa.Column("model", sa.String(256)),
        sa.Column("provider_id", sa.String(128)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error_code", sa.String(64)),
        sa.Column("http_status", sa.Integer, nullable=False),
        sa.Column("latency_ms", sa.BigInteger, nullable=False),
        sa.Column("ttft_ms", sa.BigInteger),
        sa.Column("input_tokens", sa.BigInteger, nullable=False),
        sa.Column("output_tokens", sa.BigInteger, nullable=False),
        sa.Column("cost", money(), nullable=False),
        sa.Column("billed_amount", money(), nullable=False),
        sa.Column("phi_categories", JSONType, nullable=False),
        sa.Column("fallbacks", sa.Integer, nullable=False),
        sa.Column("retries", sa.Integer, nullable=False),
        sa.Column("finish_reason", sa.String(64)),
        sa.Column("session_id", sa.String(128)),
        sa.Column("prompt_redacted", sa.Text),
        sa.Column("response_redacted", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_table("request_logs", *_columns(), sa.PrimaryKeyConstraint("id", "expires_on"),
                        postgresql_partition_by="RANGE (expires_on)")
        op.create_index("ix_request_logs_tenant_created", "request_logs", ["tenant_id", "created_at"])
        op.create_index("ix_request_logs_tenant_user_created", "request_logs", ["tenant_id", "user_id", "created_at"])
        return
    columns = _columns()
    op.create_table("request_logs_template", *columns, sa.PrimaryKeyConstraint("id", "expires_on"))
    names = ", ".join(c.name for c in columns)
    op.execute(f"CREATE VIEW request_logs AS SELECT {names} FROM request_logs_template")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_table("request_logs")  # drops every partition with it
        return
    tables = [r[0] for r in op.get_bind().execute(sa.text(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'request_logs_p%'"))]
    op.execute("DROP VIEW IF EXISTS request_logs")
    for name in tables:
        op.drop_table(name)
    op.drop_table("request_logs_template")
