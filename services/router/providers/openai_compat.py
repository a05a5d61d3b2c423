"""Adapter for upstreams that speak OpenAI's chat-completions wire format (OpenAI, the demo provider, vLLM/TGI
self-hosted servers). One pooled keep-alive HTTP client per provider (aiohttp: markedly less CPU per request than
httpx on the hot path). Variants of the format (Azure OpenAI) override `url` and `headers` only."""
from __future__ import annotations

from collections.abc import AsyncIterator

import orjson

from radiant.registry.v1 import registry_pb2
from services.router.providers.base import Timeouts
from services.router.providers.http import ProviderHttp, sse_data
from services.runtime.errors import ProviderError

CHAT = "chat/completions"
EMBEDDINGS = "embeddings"


class OpenAICompatibleProvider:
    def __init__(self, provider: registry_pb2.Provider, timeouts: Timeouts) -> None:
        self.name = provider.id
        self.base_url = provider.base_url.rstrip("/")
        self.http = ProviderHttp(provider.id, timeouts)

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

    async def chat(self, body: dict, api_key: str | None) -> dict:
        return await self.http.post_json(self.url(CHAT, body), orjson.dumps(body), self.headers(api_key))

    async def embeddings(self, body: dict, api_key: str | None) -> dict:
        return await self.http.post_json(self.url(EMBEDDINGS, body), orjson.dumps(body), self.headers(api_key))

    async def stream_chat(self, body: dict, api_key: str | None) -> AsyncIterator[dict]:
        """Yields the provider's SSE chunks (parsed JSON) until `data: [DONE]`."""
        async with self.http.post(self.url(CHAT, body), orjson.dumps(body), self.headers(api_key, stream=True),
                                  stream=True) as resp:
            async for data in sse_data(resp):
                if data == b"[DONE]":
                    return
                try:
                    yield orjson.loads(data)
                except orjson.JSONDecodeError:
                    raise ProviderError(f"Provider '{self.name}' sent a malformed stream chunk") from None

    async def close(self) -> None:
        await self.http.close()
