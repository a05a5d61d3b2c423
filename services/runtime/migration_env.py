"""Shared body of every service's alembic env.py (online mode only: migrations run against a live database)."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool


def run() -> None:
    cfg = context.config
    version_table = cfg.attributes.get("version_table", "alembic_version")
    engine = create_engine(cfg.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, version_table=version_table, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
