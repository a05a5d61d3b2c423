"""Adapter for Anthropic's Messages API (`POST {base_url}/v1/messages`, `x-api-key`, `anthropic-version`): the
internal chat-completions body is translated by formats.anthropic, answers and SSE events are translated back.
One pooled keep-alive aiohttp session per provider."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import orjson
from google.protobuf.json_format import MessageToDict

from radiant.registry.v1 import registry_pb2
from services.router.formats import anthropic as fmt
from services.router.providers.base import Timeouts, raise_for_status, status_error, unreachable
from services.runtime.errors import ProviderError, ValidationError


class AnthropicProvider:
    def __init__(self, provider: registry_pb2.Provider, timeouts: Timeouts) -> None:
        self.name = provider.id
        base = provider.base_url.rstrip("/")
        # The registry stores the API root (https://api.anthropic.com); accept one that already ends in /v1.
        self.url = f"{base}/messages" if base.endswith("/v1") else f"{base}/v1/messages"
        config = MessageToDict(provider.config) if provider.HasField("config") else {}
        self.version = str(config.get("anthropic_version") or fmt.ANTHROPIC_VERSION)
        self.timeout = aiohttp.ClientTimeout(total=timeouts.total, connect=timeouts.connect)
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        # Created lazily inside the serving event loop.
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=512, keepalive_timeout=60, ttl_dns_cache=300),
                timeout=self.timeout)
        return self._session

    def _headers(self, api_key: str | None, stream: bool) -> dict[str, str]:
        headers = {"content-type": "application/json", "anthropic-version": self.version,
                   "accept": "text/event-stream" if stream else "application/json"}
        if api_key:
            headers["x-api-key"] = api_key
        return headers

    async def chat(self, body: dict, api_key: str | None) -> dict:
        payload = fmt.request_from_openai({**body, "stream": False})
        try:
            async with self._client().post(self.url, data=orjson.dumps(payload),
                                           headers=self._headers(api_key, False)) as resp:
                raw = await resp.read()
                status, retry_after = resp.status, resp.headers.get("retry-after")
        except asyncio.TimeoutError:
            raise unreachable(self.name, timed_out=True) from None
        except aiohttp.ClientError:
            raise unreachable(self.name, timed_out=False) from None
        raise_for_status(self.name, status, retry_after)
        try:
            message = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise ProviderError(f"Provider '{self.name}' returned a response that is not JSON") from None
        return fmt.response_to_openai(message, legacy_functions=bool(body.get("functions")))

    async def stream_chat(self, body: dict, api_key: str | None) -> AsyncIterator[dict]:
        """Yields chat.completion.chunk dicts translated from Anthropic's SSE events, the last one carrying usage.
        The read timeout applies between events, not to the whole generation."""
        payload = fmt.request_from_openai({**body, "stream": True})
        converter = fmt.StreamToOpenAI(legacy_functions=bool(body.get("functions")))
        timeout = aiohttp.ClientTimeout(total=None, connect=self.timeout.connect, sock_read=self.timeout.total)
        try:
            async with self._client().post(self.url, data=orjson.dumps(payload), headers=self._headers(api_key, True),
                                           timeout=timeout) as resp:
                if resp.status >= 400:
                    await resp.read()
                    raise_for_status(self.name, resp.status, resp.headers.get("retry-after"))
                async for raw in resp.content:
                    line = raw.strip()
                    if not line.startswith(b"data:"):
                        continue  # `event:` lines repeat the type that is also inside the data
                    try:
                        event = orjson.loads(line[5:])
                    except orjson.JSONDecodeError:
                        raise ProviderError(f"Provider '{self.name}' sent a malformed stream event") from None
                    if event.get("type") == "error":
                        raise self._stream_error(event)
                    for chunk in converter.feed(event):
                        yield chunk
                    if event.get("type") == "message_stop":
                        return
        except asyncio.TimeoutError:
            raise unreachable(self.name, timed_out=True) from None
        except aiohttp.ClientError:
            raise unreachable(self.name, timed_out=False) from None
        raise ProviderError(f"Provider '{self.name}' ended the stream without message_stop")

    def _stream_error(self, event: dict):
        """An `error` event after the 200 (e.g. overloaded_error mid-stream), mapped like the HTTP status it names."""
        kind = (event.get("error") or {}).get("type", "api_error")
        return status_error(self.name, fmt.ERROR_TYPE_STATUS.get(kind, 500))

    async def embeddings(self, body: dict, api_key: str | None) -> dict:
        raise ValidationError(f"Provider '{self.name}' (Anthropic) has no embeddings API; choose an embeddings model "
                              "of another provider", details={"model": ["does not support embeddings"]})

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
