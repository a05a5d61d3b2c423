"""The embedded Redis of `radiant up` (fakeredis TcpFakeServer) serves what the services use, over real TCP."""
from __future__ import annotations

import asyncio

import pytest
import redis
import redis.asyncio as aioredis

from services.runtime.redis_client import create_redis
from services.stack.embedded_redis import EmbeddedRedis

INCR_WITH_TTL = """
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if v == tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return v
"""


@pytest.fixture(scope="module")
def server():
    with EmbeddedRedis("127.0.0.1", 0) as srv:
        yield srv


@pytest.fixture
async def r(server):
    client = create_redis(server.url)
    yield client
    await client.aclose()


async def test_set_with_expiry_and_get(r):
    assert await r.set("k:ex", "v1", ex=60)
    assert await r.get("k:ex") == b"v1"
    assert 0 < await r.ttl("k:ex") <= 60
    assert await r.set("k:px", "gone", px=1)
    await asyncio.sleep(0.05)
    assert await r.get("k:px") is None


async def test_hash(r):
    await r.hset("h:1", mapping={"a": "1", "b": "two"})
    await r.hset("h:1", "c", "3")
    assert await r.hgetall("h:1") == {b"a": b"1", b"b": b"two", b"c": b"3"}


async def test_lua_eval_and_evalsha(r):
    assert await r.eval(INCR_WITH_TTL, 1, "lua:counter", 5, 30) == 5
    assert await r.eval(INCR_WITH_TTL, 1, "lua:counter", 2, 30) == 7
    assert 0 < await r.ttl("lua:counter") <= 30
    script = r.register_script(INCR_WITH_TTL)  # EVALSHA with fallback to EVAL, as services do
    assert await script(keys=["lua:counter"], args=[1, 30]) == 8


async def test_streams(r):
    first = await r.xadd("s:usage", {"request_id": "r1", "tokens": "10"})
    await r.xadd("s:usage", {"request_id": "r2", "tokens": "20"})
    entries = await r.xread({"s:usage": "0-0"}, count=10)
    [(stream, items)] = entries
    assert stream == b"s:usage"
    assert [fields[b"request_id"] for _, fields in items] == [b"r1", b"r2"]
    assert items[0][0] == first
    # A consumer group as the metering writer would use it.
    await r.xgroup_create("s:usage", "writers", id="0")
    got = await r.xreadgroup("writers", "w1", {"s:usage": ">"}, count=10)
    ids = [i for i, _ in got[0][1]]
    assert await r.xack("s:usage", "writers", *ids) == 2


async def test_blocking_xread_wakes_up_on_xadd(r, server):
    other = aioredis.from_url(server.url)
    try:
        reader = asyncio.create_task(r.xread({"s:block": "$"}, block=2000))
        await asyncio.sleep(0.1)
        await other.xadd("s:block", {"x": "1"})
        result = await reader
        assert result and result[0][1][0][1] == {b"x": b"1"}
    finally:
        await other.aclose()


def test_stop_closes_the_port():
    srv = EmbeddedRedis("127.0.0.1", 0)
    srv.start()
    client = redis.Redis.from_url(srv.url, socket_connect_timeout=1)
    assert client.ping()
    client.close()
    srv.stop()
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(srv.url, socket_connect_timeout=1).ping()
