"""Shared body of every service's alembic env.py (online mode only: migrations run against a live database)."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

SQLITE_BUSY_SECONDS = 30


def run() -> None:
    cfg = context.config
    version_table = cfg.attributes.get("version_table", "alembic_version")
    url = cfg.get_main_option("sqlalchemy.url")
    # SQLite: wait for a writer of another service sharing the file instead of failing at once.
    options = {"connect_args": {"timeout": SQLITE_BUSY_SECONDS}} if url.startswith("sqlite") else {}
    engine = create_engine(url, poolclass=pool.NullPool, **options)
    with engine.connect() as connection:
        context.configure(connection=connection, version_table=version_table, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
