"""The HTTP side every provider adapter shares: one pooled keep-alive aiohttp session per provider endpoint (created
lazily inside the serving event loop), POSTs whose failures become taxonomy errors, SSE `data:` lines."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import aiohttp
import orjson
from yarl import URL

from services.router.providers.base import Timeouts, status_error, unreachable
from services.runtime.errors import ProviderError, RadiantError

# (response, its body) of an HTTP error answer -> the error to raise
ErrorMapper = Callable[[aiohttp.ClientResponse, bytes], RadiantError]


class ProviderHttp:
    def __init__(self, name: str, timeouts: Timeouts, on_error: ErrorMapper | None = None) -> None:
        self.name = name
        self.timeout = aiohttp.ClientTimeout(total=timeouts.total, connect=timeouts.connect)
        # Streams: the read timeout applies between chunks, not to the whole (possibly long) generation.
        self.stream_timeout = aiohttp.ClientTimeout(total=None, connect=timeouts.connect, sock_read=timeouts.total)
        self.on_error = on_error or self._status_error
        self._session: aiohttp.ClientSession | None = None

    def _status_error(self, resp: aiohttp.ClientResponse, body: bytes) -> RadiantError:
        return status_error(self.name, resp.status, resp.headers.get("retry-after"))

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=512, keepalive_timeout=60, ttl_dns_cache=300),
                timeout=self.timeout)
        return self._session

    @asynccontextmanager
    async def post(self, url: str | URL, body: bytes, headers: dict[str, str], *,
                   stream: bool = False) -> AsyncIterator[aiohttp.ClientResponse]:
        """A successful response; error answers raise what `on_error` maps them to, timeouts and connection failures
        (also while the caller reads the body) raise a retryable SERVICE_UNAVAILABLE."""
        try:
            async with self._client().post(url, data=body, headers=headers,
                                           timeout=self.stream_timeout if stream else self.timeout) as resp:
                if resp.status >= 400:
                    raise self.on_error(resp, await resp.read())
                yield resp
        except asyncio.TimeoutError:
            raise unreachable(self.name, timed_out=True) from None
        except aiohttp.ClientError:
            raise unreachable(self.name, timed_out=False) from None

    async def post_json(self, url: str | URL, body: bytes, headers: dict[str, str]) -> dict:
        """POST and parse the answer, which must be a JSON object."""
        async with self.post(url, body, headers) as resp:
            raw = await resp.read()
        try:
            answer = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise ProviderError(f"Provider '{self.name}' returned a response that is not JSON") from None
        if not isinstance(answer, dict):
            raise ProviderError(f"Provider '{self.name}' returned a response that is not a JSON object")
        return answer

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


async def sse_data(resp: aiohttp.ClientResponse) -> AsyncIterator[bytes]:
    """The payload of each `data:` line of a text/event-stream body (`event:` and comment lines are skipped)."""
    async for raw in resp.content:
        line = raw.strip()
        if line.startswith(b"data:"):
            yield line[5:].strip()
