"""router: product catalogue of the product-catalogue context provider

Revision ID: router_0001
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "router_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "context_products",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("product_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(100), nullable=False, server_default=""),
        sa.Column("brand", sa.String(100), nullable=False, server_default=""),
        sa.Column("price", sa.Numeric(12, 2), nullable=True),
        sa.Column("availability", sa.String(16), nullable=False, server_default="in-stock"),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("rating", sa.Numeric(2, 1), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "product_id", name="uq_context_products_tenant_product"),
    )
    op.create_index("ix_context_products_tenant_id", "context_products", ["tenant_id"])


def downgrade() -> None:
    op.drop_index("ix_context_products_tenant_id", table_name="context_products")
    op.drop_table("context_products")
