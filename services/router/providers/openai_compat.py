"""Adapter for upstreams that speak OpenAI's chat-completions wire format (OpenAI, the demo provider, vLLM/TGI
self-hosted servers). One pooled keep-alive HTTP client per provider."""
from __future__ import annotations

import httpx
import orjson

from services.runtime.errors import ProviderError, RateLimitError, ServiceUnavailableError


class OpenAICompatibleProvider:
    def __init__(self, name: str, base_url: str, timeout: float, connect_timeout: float) -> None:
        self.name = name
        self.client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), timeout=httpx.Timeout(timeout, connect=connect_timeout),
            limits=httpx.Limits(max_connections=512, max_keepalive_connections=128, keepalive_expiry=60))

    async def chat(self, body: dict, api_key: str | None) -> dict:
        headers = {"content-type": "application/json"}
        if api_key:
            headers["authorization"] = f"Bearer {api_key}"
        try:
            resp = await self.client.post("/chat/completions", content=orjson.dumps(body), headers=headers)
        except httpx.TimeoutException:
            raise ServiceUnavailableError(f"Provider '{self.name}' timed out") from None
        except httpx.TransportError:
            raise ServiceUnavailableError(f"Provider '{self.name}' is unreachable") from None
        _raise_for_status(self.name, resp)
        try:
            return orjson.loads(resp.content)
        except orjson.JSONDecodeError:
            raise ProviderError(f"Provider '{self.name}' returned a response that is not JSON") from None

    async def close(self) -> None:
        await self.client.aclose()


def _raise_for_status(name: str, resp: httpx.Response) -> None:
    """Seed mapping (upstream client): 429 -> RATE_LIMITED with Retry-After, 5xx -> SERVICE_UNAVAILABLE, other
    errors -> PROVIDER_ERROR. The provider's own message is not echoed (it may quote the prompt)."""
    status = resp.status_code
    if status < 400:
        return
    if status == 429:
        try:
            retry = int(resp.headers.get("retry-after", "60"))
        except ValueError:
            retry = 60
        raise RateLimitError(f"Provider '{name}' is rate limiting requests", retry_after=retry)
    if status >= 500:
        raise ServiceUnavailableError(f"Provider '{name}' failed with HTTP {status}")
    raise ProviderError(f"Provider '{name}' rejected the request with HTTP {status}")
