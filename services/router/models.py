"""Router tables (its own Alembic history, version table alembic_version_router): the product catalogue behind the
product-catalogue context provider. Sessions live in Redis (services.router.pipeline.sessions)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Mapped, mapped_column

from services.runtime.config import BaseServiceSettings
from services.runtime.db import Base, create_engine, migrate
from services.runtime.timeutil import utcnow

AVAILABILITY = ("in-stock", "limited", "out-of-stock")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version_router"


def open_database(settings: BaseServiceSettings) -> AsyncEngine:
    """Migrates at start unless RADIANT_DB_AUTO_MIGRATE=false (then `python -m services.migrate router` does)."""
    if settings.db_auto_migrate:
        migrate(settings.database_url, MIGRATIONS, VERSION_TABLE)
    return create_engine(settings.database_url)


class RouterBase(Base):
    __abstract__ = True
    metadata = sa.MetaData()


class Product(RouterBase):
    """One catalogue entry of a tenant (the seed's product-catalog item)."""
    __tablename__ = "context_products"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "product_id", name="uq_context_products_tenant_product"),)
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    product_id: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(200))
    category: Mapped[str] = mapped_column(sa.String(100), default="")
    brand: Mapped[str] = mapped_column(sa.String(100), default="")
    price: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2), nullable=True)
    availability: Mapped[str] = mapped_column(sa.String(16), default="in-stock")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    rating: Mapped[Decimal | None] = mapped_column(sa.Numeric(2, 1), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
