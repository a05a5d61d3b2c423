"""MappingStore against real Redis: every background write lands with its TTL, failures are logged without PHI."""
import asyncio
import logging

import pytest
import redis.asyncio as aioredis

from services.phi.mappings import MappingStore, mapping_key
from services.runtime.errors import NotFoundError

KEY = b"k" * 32


async def test_many_saves_in_flight_all_land_with_their_ttl(redis_url, tenant_id):
    redis = aioredis.Redis.from_url(redis_url)
    store = MappingStore(redis, KEY)
    try:
        ids = [store.save_soon(tenant_id, {"[PHI_NAME_1]": f"Patient {i}"}, 60) for i in range(40)]
        await store.drain()
        assert len(set(ids)) == 40
        for i, mapping_id in enumerate(ids):
            assert await store.load(tenant_id, mapping_id) == {"[PHI_NAME_1]": f"Patient {i}"}
            assert 0 < await redis.ttl(mapping_key(tenant_id, mapping_id)) <= 60
        # load() reads back a mapping whose write is still in flight
        later = store.save_soon(tenant_id, {"[PHI_EMAIL_1]": "a@b.org"}, 60)
        assert await store.load(tenant_id, later) == {"[PHI_EMAIL_1]": "a@b.org"}
    finally:
        await redis.aclose()


async def test_a_failed_write_is_logged_without_phi_and_the_store_keeps_working(redis_url, tenant_id, caplog):
    down = aioredis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    store = MappingStore(down, KEY)
    with caplog.at_level(logging.ERROR, logger="radiant.phi"):
        mapping_id = store.save_soon(tenant_id, {"[PHI_NAME_1]": "Eleanor Whitmore"}, 60)
        await asyncio.wait_for(store.drain(), 10)
    assert mapping_id and "PHI mapping could not be stored" in caplog.text
    assert "Eleanor" not in caplog.text
    assert not store._pending  # noqa: SLF001 - nothing left running after the failure
    await down.aclose()

    up = aioredis.Redis.from_url(redis_url)
    try:
        store.redis = up  # Redis is back: the next save lands
        again = store.save_soon(tenant_id, {"[PHI_NAME_1]": "Eleanor Whitmore"}, 60)
        assert await store.load(tenant_id, again) == {"[PHI_NAME_1]": "Eleanor Whitmore"}
        with pytest.raises(NotFoundError):
            await store.load(tenant_id, mapping_id)  # the failed one reads as expired
    finally:
        await up.aclose()
