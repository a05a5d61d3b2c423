"""A client that goes away cancels the upstream call (the fake sees its connection closed), and an abandoned stream
is still metered for the text generated until then."""
import asyncio
import json

import pytest

from tests.eventually import eventually
from tests.fakes.openai_server import Step
from tests.router.resilience.conftest import chat, usage_rows

LONG = " ".join(f"word{i}" for i in range(400))


@pytest.fixture
async def solo(world):
    provider, prefix = await world.provider()
    return await world.model(provider), prefix


async def _send(stack, api_key: str, body: dict,
                request_id: str = "") -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A raw HTTP/1.1 request, so the test decides exactly when the connection closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", stack.router_port)
    payload = json.dumps(body).encode()
    rid = f"x-request-id: {request_id}\r\n" if request_id else ""
    writer.write(b"POST /v1/chat/completions HTTP/1.1\r\nhost: router\r\ncontent-type: application/json\r\n"
                 + f"authorization: Bearer {api_key}\r\n{rid}content-length: {len(payload)}\r\n\r\n".encode()
                 + payload)
    await writer.drain()
    return reader, writer


async def _hang_up(writer: asyncio.StreamWriter) -> None:
    writer.close()
    await writer.wait_closed()


async def test_client_disconnect_cancels_the_upstream_call(stack, api_key, fake, solo):
    model, prefix = solo
    fake.script(prefix, Step(delay=60))
    _, writer = await _send(stack, api_key, chat(model, "slow one"))
    await eventually(lambda: _seen(fake, prefix), lambda seen: len(seen) == 1)
    await _hang_up(writer)
    [call] = await eventually(lambda: _seen(fake, prefix), lambda seen: seen[0].cancelled)
    assert call.cancelled and not call.completed
    # The router is unharmed: the next request is served.
    fake.script(prefix, Step(text="fine"))
    reader, writer = await _send(stack, api_key, chat(model))
    status = await reader.readline()
    await _hang_up(writer)
    assert status.startswith(b"HTTP/1.1 200")


async def test_abandoned_stream_stops_the_upstream_and_is_metered(stack, http, api_key, headers, fake, solo):
    model, prefix = solo
    fake.script(prefix, Step(text=LONG, usage=False, chunk_size=10, chunk_delay=0.02))
    reader, writer = await _send(stack, api_key, chat(model, "tell me a long story", stream=True))
    while b"word" not in await reader.readline():  # the first content chunk has arrived
        pass
    await _hang_up(writer)
    [call] = await eventually(lambda: _seen(fake, prefix), lambda seen: seen[0].cancelled)
    assert call.cancelled and not call.completed and 0 < call.chunks_sent < len(LONG) // 10
    [row] = await usage_rows(http, headers, 1)
    # Counted from what was generated (the provider never sent usage): more than nothing, less than the whole text.
    assert 0 < row["outputTokens"] < 400 * 2
    assert row["inputTokens"] > 0


async def _seen(fake, prefix: str):
    return fake.seen(prefix)
