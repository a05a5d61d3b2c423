"""Retention of the request log: expired partitions are archived to S3 (moto) per tenant, then dropped whole; live
records stay; a run's cost (SQL statements, rows read) depends on what expired, not on how many records live."""
from __future__ import annotations

import gzip
import uuid
from datetime import datetime, timedelta, timezone

import boto3
import orjson
import pytest
import sqlalchemy as sa
from moto import mock_aws
from sqlalchemy import event

from services.metering.request_log.archive import Archive, ArchiveTarget
from services.metering.request_log.partitions import partition_name
from services.metering.request_log.records import expiry, record_values
from services.metering.request_log.retention import Retention
from services.metering.request_log.store import Filters, RequestLogStore
from services.metering.server import MIGRATIONS
from services.runtime.db import create_engine, migrate
from services.runtime.timeutil import to_ts
from tests.metering.test_request_log import record

BUCKET = "radiant-test-audit-archive"


@pytest.fixture
def s3():
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        key = boto3.client("kms", region_name="us-east-1").create_key()["KeyMetadata"]["Arn"]
        yield client, key


@pytest.fixture(params=["postgres", "sqlite"])
async def engine(request, tmp_path):
    """A database of its own: a retention run drops every expired partition it finds."""
    url = request.getfixturevalue("fresh_pg_url") if request.param == "postgres" else f"sqlite:///{tmp_path}/m.db"
    migrate(url, MIGRATIONS, "alembic_version_metering")
    engine = create_engine(url)
    yield engine
    await engine.dispose()


def rows_at(tenant_id: str, created: datetime, count: int, retention_days: int = 0) -> list[dict]:
    return [record_values(record(tenant_id, created_at=to_ts(created), retention_days=retention_days,
                                 prompt_redacted='[{"role": "user", "content": "[PHI_NAME_1] called"}]'), 30)
            for _ in range(count)]


def archived(client, prefix: str = "request-logs/") -> dict[str, list[dict]]:
    out = {}
    for obj in client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", []):
        body = client.get_object(Bucket=BUCKET, Key=obj["Key"])
        out[obj["Key"]] = [orjson.loads(line) for line in gzip.decompress(body["Body"].read()).splitlines()]
    return out


async def test_expired_partitions_are_archived_per_tenant_then_dropped(engine, s3, tenant_id):
    client, kms_key = s3
    other = f"t-{uuid.uuid4().hex[:12]}"
    today = datetime.now(timezone.utc).date() + timedelta(days=400)  # a day of this test's own
    written = datetime.combine(today - timedelta(days=40), datetime.min.time(), tzinfo=timezone.utc)
    store = RequestLogStore(engine)
    expired = rows_at(tenant_id, written, 3) + rows_at(other, written, 2)       # 30 days (the default)
    kept = rows_at(tenant_id, written, 2, retention_days=90)                     # the tenant keeps 90 days
    await store.record_many(expired + kept, today=written.date())
    prefix = f"request-logs/{uuid.uuid4().hex}/"
    archive = Archive(ArchiveTarget(BUCKET, prefix, kms_key), client)

    result = await Retention(engine, store.partitions, archive).run(today=today)

    day = expiry(written.date(), 30)
    assert result.dropped == [day] and result.archived_records == 5
    objects = archived(client, prefix)
    mine = objects[f"{prefix}tenant={tenant_id}/expires={day}/{partition_name(day)}.jsonl.gz"]
    theirs = objects[f"{prefix}tenant={other}/expires={day}/{partition_name(day)}.jsonl.gz"]
    assert sorted(r["id"] for r in mine) == sorted(r["id"] for r in expired[:3])
    assert sorted(r["id"] for r in theirs) == sorted(r["id"] for r in expired[3:])
    assert mine[0]["tenant_id"] == tenant_id and mine[0]["cost"] == "0.0035" and mine[0]["status"] == "success"
    head = client.head_object(Bucket=BUCKET, Key=f"{prefix}tenant={tenant_id}/expires={day}/{partition_name(day)}"
                                                 f".jsonl.gz")
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == kms_key
    async with engine.connect() as conn:
        assert day not in await store.partitions.days(conn)
        left = (await conn.execute(sa.text("SELECT id FROM request_logs WHERE tenant_id IN (:a, :b)"),
                                   {"a": tenant_id, "b": other})).scalars().all()
    assert sorted(left) == sorted(r["id"] for r in kept)
    rows, total = await store.list(tenant_id, Filters(), 50, 0, today=today)
    assert total == 2


async def test_a_retention_run_costs_the_same_whatever_the_number_of_live_records(engine, s3, tenant_id):
    client, kms_key = s3
    store = RequestLogStore(engine)
    base = datetime.now(timezone.utc).date() + timedelta(days=800)

    async def run_with(live: int, offset_days: int) -> tuple[int, int]:
        today = base + timedelta(days=offset_days)
        old = datetime.combine(today - timedelta(days=31), datetime.min.time(), tzinfo=timezone.utc)
        fresh = datetime.combine(today, datetime.min.time(), tzinfo=timezone.utc)
        await store.record_many(rows_at(tenant_id, old, 5), today=old.date())
        await store.record_many(rows_at(tenant_id, fresh, live), today=today)
        statements = []
        listener = lambda conn, cursor, statement, *rest: statements.append(statement)  # noqa: E731
        event.listen(engine.sync_engine, "before_cursor_execute", listener)
        try:
            result = await Retention(engine, store.partitions,
                                     Archive(ArchiveTarget(BUCKET, f"cost/{uuid.uuid4().hex}/", kms_key), client)
                                     ).run(today=today)
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", listener)
        assert result.dropped == [expiry(old.date(), 30)]
        return len(statements), result.archived_records

    few = await run_with(10, 0)
    many = await run_with(2000, 3)
    assert few == many  # same statements, same rows read: only the expired partition is touched
    assert few[1] == 5
