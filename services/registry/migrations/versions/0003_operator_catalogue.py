"""registry: SageMaker inference components as deployment targets; hashes of declared catalogue entries

Revision ID: registry_0003_operator_catalogue
Revises: registry_0002
"""
from alembic import op
import sqlalchemy as sa

revision = "registry_0003_operator_catalogue"
down_revision = "registry_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("models") as batch:
        batch.add_column(sa.Column("deployment_inference_component", sa.String(256)))
        batch.add_column(sa.Column("declared_hash", sa.String(64)))
    with op.batch_alter_table("providers") as batch:
        batch.add_column(sa.Column("declared_hash", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("providers") as batch:
        batch.drop_column("declared_hash")
    with op.batch_alter_table("models") as batch:
        batch.drop_column("declared_hash")
        batch.drop_column("deployment_inference_component")
