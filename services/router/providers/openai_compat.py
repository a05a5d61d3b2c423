"""Adapter for upstreams that speak OpenAI's chat-completions wire format (OpenAI, the demo provider, vLLM/TGI
self-hosted servers). One pooled keep-alive HTTP client per provider (aiohttp: markedly less CPU per request than
httpx on the hot path). Variants of the format (Azure OpenAI) override `url` and `headers` only."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import orjson

from radiant.registry.v1 import registry_pb2
from services.router.providers.base import Timeouts, raise_for_status, unreachable
from services.runtime.errors import ProviderError

CHAT = "chat/completions"
EMBEDDINGS = "embeddings"


class OpenAICompatibleProvider:
    def __init__(self, provider: registry_pb2.Provider, timeouts: Timeouts) -> None:
        self.name = provider.id
        self.base_url = provider.base_url.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeouts.total, connect=timeouts.connect)
        self._session: aiohttp.ClientSession | None = None

    def url(self, operation: str, body: dict) -> str:
        """Where an operation (CHAT or EMBEDDINGS) of this body is sent."""
        return f"{self.base_url}/{operation}"

    def headers(self, api_key: str | None, stream: bool = False) -> dict[str, str]:
        headers = {"content-type": "application/json"}
        if stream:
            headers["accept"] = "text/event-stream"
        if api_key:
            headers["authorization"] = f"Bearer {api_key}"
        return headers

    def _client(self) -> aiohttp.ClientSession:
        # Created lazily inside the serving event loop.
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=512, keepalive_timeout=60, ttl_dns_cache=300),
                timeout=self.timeout, json_serialize=lambda o: orjson.dumps(o).decode())
        return self._session

    async def _post_json(self, operation: str, body: dict, api_key: str | None) -> dict:
        try:
            async with self._client().post(self.url(operation, body), data=orjson.dumps(body),
                                           headers=self.headers(api_key)) as resp:
                payload = await resp.read()
                status, retry_after = resp.status, resp.headers.get("retry-after")
        except asyncio.TimeoutError:
            raise unreachable(self.name, timed_out=True) from None
        except aiohttp.ClientError:
            raise unreachable(self.name, timed_out=False) from None
        raise_for_status(self.name, status, retry_after)
        try:
            answer = orjson.loads(payload)
        except orjson.JSONDecodeError:
            raise ProviderError(f"Provider '{self.name}' returned a response that is not JSON") from None
        if not isinstance(answer, dict):
            raise ProviderError(f"Provider '{self.name}' returned a response that is not a JSON object")
        return answer

    async def chat(self, body: dict, api_key: str | None) -> dict:
        return await self._post_json(CHAT, body, api_key)

    async def embeddings(self, body: dict, api_key: str | None) -> dict:
        return await self._post_json(EMBEDDINGS, body, api_key)

    async def stream_chat(self, body: dict, api_key: str | None) -> AsyncIterator[dict]:
        """Yields the provider's SSE chunks (parsed JSON) until `data: [DONE]`. The read timeout applies between
        chunks, not to the whole (possibly long) generation."""
        timeout = aiohttp.ClientTimeout(total=None, connect=self.timeout.connect, sock_read=self.timeout.total)
        try:
            async with self._client().post(self.url(CHAT, body), data=orjson.dumps(body),
                                           headers=self.headers(api_key, stream=True), timeout=timeout) as resp:
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
            raise unreachable(self.name, timed_out=True) from None
        except aiohttp.ClientError:
            raise unreachable(self.name, timed_out=False) from None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
