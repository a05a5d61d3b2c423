"""SQLAlchemy 2 async engines for Postgres (psycopg 3) and SQLite (aiosqlite) from one URL, and Alembic
migrations per service (each service keeps its own version table, so services may share one database)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

from services.runtime import metrics

_POOL_SIZE, _MAX_OVERFLOW = 10, 20
JSONType = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")


class Base(DeclarativeBase):
    """Each service subclasses this with its own metadata."""
    __abstract__ = True


def async_url(url: str) -> str:
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres", "postgresql+psycopg2", "postgresql+asyncpg"):
        u = u.set(drivername="postgresql+psycopg")
    elif u.drivername == "sqlite":
        u = u.set(drivername="sqlite+aiosqlite")
    return u.render_as_string(hide_password=False)


def sync_url(url: str) -> str:
    u = make_url(url)
    if u.drivername.startswith("postgres"):
        u = u.set(drivername="postgresql+psycopg")
    elif u.drivername.startswith("sqlite"):
        u = u.set(drivername="sqlite")
    return u.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).drivername.startswith("sqlite")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    # The embedded default may have several services (and their stream consumers) on one file: a writer waits for
    # another's short transaction rather than failing.
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def create_engine(url: str) -> AsyncEngine:
    url = async_url(url)
    if is_sqlite(url):
        engine = create_async_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        engine = create_async_engine(url, pool_size=_POOL_SIZE, max_overflow=_MAX_OVERFLOW, pool_pre_ping=True,
                                     pool_recycle=1800)
        _watch_pool(engine)
    return engine


def dialect_insert(engine: AsyncEngine):
    """The engine's INSERT construct with ON CONFLICT support (Postgres and SQLite both have it)."""
    return postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert


def _watch_pool(engine: AsyncEngine) -> None:
    """Connections in use against the pool's ceiling, for the "database connections above 80 % of the pool" alert."""
    metrics.DB_POOL_MAX.inc(_POOL_SIZE + _MAX_OVERFLOW)
    event.listen(engine.sync_engine, "engine_disposed", lambda *_: metrics.DB_POOL_MAX.dec(_POOL_SIZE + _MAX_OVERFLOW))
    event.listen(engine.sync_engine, "checkout", lambda *_: metrics.DB_POOL_IN_USE.inc())
    event.listen(engine.sync_engine, "checkin", lambda *_: metrics.DB_POOL_IN_USE.dec())


def sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


def migrate(url: str, migrations_dir: Path, version_table: str, revision: str = "head") -> None:
    """Upgrade the service schema. Runs synchronously (called once at start, or by `radiant migrate`)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    cfg.attributes["version_table"] = version_table
    command.upgrade(cfg, revision)


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(sa.text("SELECT 1"))


async def page(session: Any, stmt: sa.Select, order: Any, limit: int, offset: int) -> tuple[list[Any], int]:
    """One page of `stmt`'s entities and how many match in all.

    The total rides on the page's own statement (a window count), so both come from one snapshot: two statements
    could count rows that a concurrent commit added between them (a page of 3 with a total of 0). Only a page past
    the end needs a separate count."""
    rows = (await session.execute(stmt.add_columns(sa.func.count().over()).order_by(*order)
                                  .limit(limit).offset(offset))).all()
    if rows or not offset:
        return [r[0] for r in rows], int(rows[0][-1]) if rows else 0
    total = await session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    return [], int(total or 0)
