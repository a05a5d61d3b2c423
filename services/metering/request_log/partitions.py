"""The request log's partitions: one per expiry day (the day its records leave the database), so a retention run
drops whole partitions and never deletes rows one by one, however many live records there are.

- Postgres: declarative partitioning. `request_logs` is the partitioned parent (migration 0002); a partition
  `request_logs_pYYYYMMDD` covers [day, day + 1) of expires_on and is created when the first record for that day
  arrives. Reads and inserts go through the parent.
- SQLite (the embedded default): one table per expiry day and a view named `request_logs` over all of them (rebuilt
  when a partition is added or dropped); inserts go to the day's table, reads through the view. Dropping a table
  frees its own pages only.

Partition DDL is built from the RequestLog model, so a partition always has the model's columns and indexes."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.metering.models import RequestLog

PARENT = RequestLog.__tablename__
_NAME = re.compile(rf"{PARENT}_p(\d{{8}})")
# SQLite refuses a compound SELECT of more than 500 terms: the view nests them in groups.
_SQLITE_GROUP = 200


def partition_name(day: date) -> str:
    return f"{PARENT}_p{day:%Y%m%d}"


def partition_day(name: str) -> date | None:
    match = _NAME.fullmatch(name)
    return datetime.strptime(match.group(1), "%Y%m%d").date() if match else None


class Partitions:
    def __init__(self, engine: AsyncEngine) -> None:
        self.sqlite = engine.dialect.name == "sqlite"
        self._known: set[date] = set()
        self._tables: dict[date, sa.Table] = {}
        self._metadata = sa.MetaData()

    def insert_target(self, day: date) -> sa.Table:
        """Where records expiring on `day` are inserted."""
        if not self.sqlite:
            return RequestLog.__table__
        table = self._tables.get(day)
        if table is None:
            table = self._tables[day] = _copy(self._metadata, partition_name(day))
        return table

    async def ensure(self, engine: AsyncEngine, days: set[date]) -> None:
        """Create the partitions of `days` that do not exist yet (each in a short transaction of its own)."""
        missing = days - self._known
        if not missing:
            return
        async with engine.begin() as conn:
            existing = set(await self.days(conn))
            todo = sorted(missing - existing)
            if todo:
                if self.sqlite:
                    for day in todo:
                        await conn.run_sync(lambda sync, d=day: self.insert_target(d).create(sync, checkfirst=True))
                    await self._rebuild_view(conn, sorted(existing | set(todo)))
                else:
                    # Serializes concurrent creators (several metering replicas): IF NOT EXISTS alone can still race.
                    await conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('radiant.request_logs.ddl'))"))
                    for day in todo:
                        await conn.execute(sa.text(
                            f"CREATE TABLE IF NOT EXISTS {partition_name(day)} PARTITION OF {PARENT} "
                            f"FOR VALUES FROM ('{day.isoformat()}') TO ('{(day + timedelta(days=1)).isoformat()}')"))
        self._known |= missing | existing

    async def days(self, conn: AsyncConnection) -> list[date]:
        """The expiry days that have a partition, oldest first."""
        if self.sqlite:
            rows = await conn.execute(sa.text(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB :pattern"),
                {"pattern": f"{PARENT}_p[0-9]*"})
        else:
            rows = await conn.execute(sa.text(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = CAST(:parent AS regclass)"), {"parent": PARENT})
        return sorted(d for (name,) in rows if (d := partition_day(name)) is not None)

    async def drop(self, conn: AsyncConnection, day: date) -> None:
        """Drop one whole partition (its records with it), in the caller's transaction."""
        if self.sqlite:
            remaining = [d for d in await self.days(conn) if d != day]
            await self._rebuild_view(conn, remaining)
        await conn.execute(sa.text(f"DROP TABLE IF EXISTS {partition_name(day)}"))
        self._known.discard(day)
        self._tables.pop(day, None)

    async def _rebuild_view(self, conn: AsyncConnection, days: list[date]) -> None:
        # pysqlite opens its implicit transaction before DML only and runs DDL outside one: without a DML statement
        # first, DROP VIEW would commit on its own and readers would briefly find no request_logs at all.
        await conn.execute(sa.text(f"DELETE FROM {PARENT}_template WHERE 0"))
        columns = ", ".join(c.name for c in RequestLog.__table__.columns)
        selects = [f"SELECT {columns} FROM {name}" for name in
                   [f"{PARENT}_template", *(partition_name(d) for d in days)]]
        if len(selects) > _SQLITE_GROUP:
            selects = [f"SELECT {columns} FROM ({' UNION ALL '.join(selects[i:i + _SQLITE_GROUP])})"
                       for i in range(0, len(selects), _SQLITE_GROUP)]
        await conn.execute(sa.text(f"DROP VIEW IF EXISTS {PARENT}"))
        await conn.execute(sa.text(f"CREATE VIEW {PARENT} AS {' UNION ALL '.join(selects)}"))


def _copy(metadata: sa.MetaData, name: str) -> sa.Table:
    """The model's table under another name, its indexes renamed after it."""
    table = RequestLog.__table__.to_metadata(metadata, name=name)
    for index in table.indexes:
        index.name = index.name.replace(f"ix_{PARENT}_", f"ix_{name}_")
    return table
