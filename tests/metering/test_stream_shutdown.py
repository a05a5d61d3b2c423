"""A consumer stopped while it writes a batch (a shutdown, cancelled again and again while it has not finished)
finishes that batch first: nothing half-written, no connection left checked out holding a write lock, and the
database takes the next writer at once, on Postgres and SQLite."""
from __future__ import annotations

import asyncio
import uuid

import redis.asyncio as aioredis
import sqlalchemy as sa

from services.metering.stream_consumer import StreamConsumer
from services.runtime.db import create_engine
from services.runtime.tasks import cancel_and_wait


class SlowConsumer(StreamConsumer):
    """Writes each batch in one transaction that stays open a while after its first insert."""

    def __init__(self, engine, table: sa.Table, **kw) -> None:
        super().__init__(**kw)
        self.engine = engine
        self.table = table
        self.writing = asyncio.Event()

    def decode(self, payload: bytes) -> dict:
        return {"id": payload.decode()}

    async def store(self, rows: list[dict]) -> int:
        async with self.engine.begin() as conn:
            for row in rows:
                await conn.execute(sa.insert(self.table), [row])
                self.writing.set()
                await asyncio.sleep(0.05)
        return len(rows)


async def test_a_consumer_stopped_mid_batch_commits_the_batch_and_releases_its_connection(db_url, redis_url):
    redis_client = aioredis.from_url(redis_url)
    engine = create_engine(db_url)
    table = sa.Table(f"shutdown_{uuid.uuid4().hex[:12]}", sa.MetaData(), sa.Column("id", sa.String, primary_key=True))
    stream = f"radiant:shutdown:test:{uuid.uuid4().hex}"
    try:
        async with engine.begin() as conn:
            await conn.run_sync(table.metadata.create_all)
        ids = [uuid.uuid4().hex for _ in range(10)]
        for i in ids:
            await redis_client.xadd(stream, {b"r": i.encode()})
        consumer = SlowConsumer(engine, table, redis=redis_client, stream=stream, group="g", consumer="c", batch=10)
        task = asyncio.create_task(consumer.run())
        await asyncio.wait_for(consumer.writing.wait(), 10)
        await cancel_and_wait(task, retry_seconds=0.01)

        assert task.cancelled()
        assert engine.pool.checkedout() == 0
        async with engine.begin() as conn:
            assert sorted((await conn.execute(sa.select(table.c.id))).scalars()) == sorted(ids)
            await conn.execute(sa.insert(table), [{"id": "next-writer"}])
    finally:
        async with engine.begin() as conn:
            await conn.run_sync(table.metadata.drop_all)
        await engine.dispose()
        await redis_client.delete(stream)
        await redis_client.aclose()
