"""Adapter for upstreams that speak OpenAI's chat-completions wire format (OpenAI, the demo provider, vLLM/TGI
self-hosted servers). One pooled keep-alive HTTP client per provider (aiohttp: markedly less CPU per request than
httpx on the hot path)."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import orjson

from services.runtime.errors import ProviderError, RateLimitError, ServiceUnavailableError


class OpenAICompatibleProvider:
    def __init__(self, name: str, base_url: str, timeout: float, connect_timeout: float) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout, connect=connect_timeout)
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        # Created lazily inside the serving event loop.
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=512, keepalive_timeout=60, ttl_dns_cache=300),
                timeout=self.timeout, json_serialize=lambda o: orjson.dumps(o).decode())
        return self._session

    async def chat(self, body: dict, api_key: str | None) -> dict:
        headers = {"content-type": "application/json"}
        if api_key:
            headers["authorization"] = f"Bearer {api_key}"
        try:
            async with self._client().post(f"{self.base_url}/chat/completions", data=orjson.dumps(body),
                                           headers=headers) as resp:
                payload = await resp.read()
                status, retry_after = resp.status, resp.headers.get("retry-after")
        except asyncio.TimeoutError:
            raise ServiceUnavailableError(f"Provider '{self.name}' timed out") from None
        except aiohttp.ClientError:
            raise ServiceUnavailableError(f"Provider '{self.name}' is unreachable") from None
        raise_for_status(self.name, status, retry_after)
        try:
            return orjson.loads(payload)
        except orjson.JSONDecodeError:
            raise ProviderError(f"Provider '{self.name}' returned a response that is not JSON") from None

    async def stream_chat(self, body: dict, api_key: str | None) -> AsyncIterator[dict]:
        """Yields the provider's SSE chunks (parsed JSON) until `data: [DONE]`. The read timeout applies between
        chunks, not to the whole (possibly long) generation."""
        headers = {"content-type": "application/json", "accept": "text/event-stream"}
        if api_key:
            headers["authorization"] = f"Bearer {api_key}"
        timeout = aiohttp.ClientTimeout(total=None, connect=self.timeout.connect, sock_read=self.timeout.total)
        try:
            async with self._client().post(f"{self.base_url}/chat/completions", data=orjson.dumps(body),
                                           headers=headers, timeout=timeout) as resp:
                if resp.status >= 400:
                    await resp.read()
                    raise_for_status(self.name, resp.status, resp.headers.get("retry-after"))
                async for raw in resp.content:
                    line = raw.strip()
                    if not line.startswith(b"data:"):
                        continue
                    data = line[5:].strip()
                    if data == b"[DONE]":
                        return
                    try:
                        yield orjson.loads(data)
                    except orjson.JSONDecodeError:
                        raise ProviderError(f"Provider '{self.name}' sent a malformed stream chunk") from None
        except asyncio.TimeoutError:
            raise ServiceUnavailableError(f"Provider '{self.name}' timed out") from None
        except aiohttp.ClientError:
            raise ServiceUnavailableError(f"Provider '{self.name}' is unreachable") from None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def raise_for_status(name: str, status: int, retry_after: str | None) -> None:
    """Seed mapping (upstream client): 429 -> RATE_LIMITED with Retry-After, 5xx -> SERVICE_UNAVAILABLE, other
    errors -> PROVIDER_ERROR. The provider's own message is not echoed (it may quote the prompt)."""
    if status < 400:
        return
    if status == 429:
        try:
            retry = int(retry_after or "60")
        except ValueError:
            retry = 60
        raise RateLimitError(f"Provider '{name}' is rate limiting requests", retry_after=retry)
    if status >= 500:
        raise ServiceUnavailableError(f"Provider '{name}' failed with HTTP {status}")
    raise ProviderError(f"Provider '{name}' rejected the request with HTTP {status}")
