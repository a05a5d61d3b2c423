"""cancel_and_wait stops background tasks even when one swallows a cancellation (as redis-py can in a blocking read,
redis/redis-py#2028), and never raises what the tasks raised."""
import asyncio

from services.runtime.tasks import cancel_and_wait


async def _swallows_first_cancel(log: list[str]) -> None:
    try:
        await asyncio.sleep(30)
    except asyncio.CancelledError:
        log.append("swallowed")  # carries on as if nothing happened
    while True:
        await asyncio.sleep(0.01)


async def test_a_task_that_swallows_its_cancellation_is_stopped_anyway():
    log: list[str] = []
    stubborn = asyncio.create_task(_swallows_first_cancel(log))
    await asyncio.sleep(0)
    stubborn.cancel()  # what a plain cancel-and-await does: the task keeps running
    await asyncio.sleep(0.05)
    assert log == ["swallowed"] and not stubborn.done()
    await asyncio.wait_for(cancel_and_wait(stubborn, retry_seconds=0.05), 5)
    assert stubborn.cancelled()


async def test_finished_failed_and_running_tasks_together():
    async def fails() -> None:
        raise RuntimeError("boom")

    done = asyncio.create_task(asyncio.sleep(0))
    failed = asyncio.create_task(fails())
    running = asyncio.create_task(asyncio.sleep(30))
    await asyncio.sleep(0.01)
    await asyncio.wait_for(cancel_and_wait(done, failed, running), 5)
    assert done.done() and not done.cancelled()
    assert isinstance(failed.exception(), RuntimeError)
    assert running.cancelled()
    await cancel_and_wait()  # nothing to do


async def test_a_cancelled_redis_blocking_read_stops(redis_url):
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url)
    stream = "radiant:test:cancel:" + str(id(client))

    async def consume() -> None:
        while True:
            try:
                await client.xread({stream: "$"}, block=200)
            except aioredis.RedisError:
                await asyncio.sleep(0)

    try:
        for delay in (0, 0.001, 0.003, 0.01, 0.05):
            task = asyncio.create_task(consume())
            await asyncio.sleep(delay)
            await asyncio.wait_for(cancel_and_wait(task, retry_seconds=0.1), 10)
            assert task.done()
    finally:
        await client.aclose()
