"""Adapter for Anthropic's Messages API (`POST {base_url}/v1/messages`, `x-api-key`, `anthropic-version`): the
internal chat-completions body is translated by formats.anthropic, answers and SSE events are translated back.
One pooled keep-alive aiohttp session per provider."""
from __future__ import annotations

from collections.abc import AsyncIterator

import orjson

from radiant.registry.v1 import registry_pb2
from services.router.formats import anthropic as fmt
from services.router.providers.base import Timeouts, provider_config, status_error
from services.router.providers.http import ProviderHttp, sse_data
from services.runtime.errors import ProviderError, ValidationError


class AnthropicProvider:
    def __init__(self, provider: registry_pb2.Provider, timeouts: Timeouts) -> None:
        self.name = provider.id
        base = provider.base_url.rstrip("/")
        # The registry stores the API root (https://api.anthropic.com); accept one that already ends in /v1.
        self.url = f"{base}/messages" if base.endswith("/v1") else f"{base}/v1/messages"
        config = provider_config(provider)
        self.version = str(config.get("anthropic_version") or fmt.ANTHROPIC_VERSION)
        self.http = ProviderHttp(provider.id, timeouts)

    def _headers(self, api_key: str | None, stream: bool) -> dict[str, str]:
        headers = {"content-type": "application/json", "anthropic-version": self.version,
                   "accept": "text/event-stream" if stream else "application/json"}
        if api_key:
            headers["x-api-key"] = api_key
        return headers

    async def chat(self, body: dict, api_key: str | None) -> dict:
        payload = fmt.request_from_openai({**body, "stream": False})
        message = await self.http.post_json(self.url, orjson.dumps(payload), self._headers(api_key, False))
        return fmt.response_to_openai(message, legacy_functions=bool(body.get("functions")))

    async def stream_chat(self, body: dict, api_key: str | None) -> AsyncIterator[dict]:
        """Yields chat.completion.chunk dicts translated from Anthropic's SSE events, the last one carrying usage."""
        payload = fmt.request_from_openai({**body, "stream": True})
        converter = fmt.StreamToOpenAI(legacy_functions=bool(body.get("functions")))
        async with self.http.post(self.url, orjson.dumps(payload), self._headers(api_key, True), stream=True) as resp:
            async for data in sse_data(resp):  # `event:` lines repeat the type that is also inside the data
                try:
                    event = orjson.loads(data)
                except orjson.JSONDecodeError:
                    raise ProviderError(f"Provider '{self.name}' sent a malformed stream event") from None
                if event.get("type") == "error":
                    raise self._stream_error(event)
                for chunk in converter.feed(event):
                    yield chunk
                if event.get("type") == "message_stop":
                    return
        raise ProviderError(f"Provider '{self.name}' ended the stream without message_stop")

    def _stream_error(self, event: dict):
        """An `error` event after the 200 (e.g. overloaded_error mid-stream), mapped like the HTTP status it names."""
        kind = (event.get("error") or {}).get("type", "api_error")
        return status_error(self.name, fmt.ERROR_TYPE_STATUS.get(kind, 500))

    async def embeddings(self, body: dict, api_key: str | None) -> dict:
        raise ValidationError(f"Provider '{self.name}' (Anthropic) has no embeddings API; choose an embeddings model "
                              "of another provider", details={"model": ["does not support embeddings"]})

    async def close(self) -> None:
        await self.http.close()
