"""Shared fixtures. Postgres and Redis are real servers (127.0.0.1:5432 / :6379 unless RADIANT_TEST_PG_ADMIN_URL /
RADIANT_TEST_REDIS_URL say otherwise); a test that needs them fails loudly when they are down, it never skips."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg
import pytest
import redis
from hypothesis import settings as hypothesis_settings

from tests.grpc_helpers import TEST_KEYS

# CI explores the same examples on every run (a red build is then a real, reproducible finding); locally each run
# explores new ones.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

# Service-to-service keys for every service a test starts, in-process or as processes (they inherit the environment).
os.environ.update(TEST_KEYS)

PG_ADMIN_URL = os.environ.get("RADIANT_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("RADIANT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _create_pg_database() -> tuple[str, str]:
    name = f"radiant_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is required for this test and is not reachable at {PG_ADMIN_URL}: {exc}")
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return name, f"{base}/{name}"


def _drop_pg_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_url():
    """A fresh Postgres database for the whole test session."""
    name, url = _create_pg_database()
    yield url
    _drop_pg_database(name)


@pytest.fixture
def fresh_pg_url():
    """A Postgres database of its own, for tests whose services seed data (e.g. the registry catalogue) that others
    edit in the shared session database."""
    name, url = _create_pg_database()
    yield url
    _drop_pg_database(name)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'radiant.db'}"


@pytest.fixture(scope="session", params=["postgres", "sqlite"])
def db_url(request) -> str:
    """Run a test once on Postgres and once on SQLite (the code claims to support both)."""
    return request.getfixturevalue("pg_url" if request.param == "postgres" else "sqlite_url")


@pytest.fixture(scope="session")
def redis_url() -> str:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is required for this test and is not reachable at {REDIS_URL}: {exc}")
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def tenant_id() -> str:
    """A tenant id no other test uses, so tests sharing Postgres/Redis never see each other's data."""
    return f"t-{uuid.uuid4().hex[:12]}"


REPO_ROOT = Path(__file__).resolve().parent.parent
