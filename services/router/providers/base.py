"""What every provider adapter offers the pipeline, and how upstream failures become taxonomy errors.

The pipeline speaks one internal format: an OpenAI chat-completions request body (``model`` already set to the
provider's model id) in, an OpenAI ``chat.completion`` dict or ``chat.completion.chunk`` dicts out. Each adapter
translates that to and from its provider's wire format."""
from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from google.protobuf.json_format import MessageToDict

from radiant.registry.v1 import registry_pb2
from services.runtime.errors import ProviderError, RadiantError, RateLimitError, ServiceUnavailableError


@dataclass(frozen=True, slots=True)
class Timeouts:
    total: float
    connect: float


class ProviderAdapter(Protocol):
    name: str

    async def chat(self, body: dict, credential: str | None) -> dict: ...

    def stream_chat(self, body: dict, credential: str | None) -> AsyncIterator[dict]: ...

    async def embeddings(self, body: dict, credential: str | None) -> dict: ...

    async def close(self) -> None: ...


# api_format -> factory(provider, timeouts). Adapter modules register themselves in providers/registry_of_adapters.
AdapterFactory = Callable[[registry_pb2.Provider, Timeouts], ProviderAdapter]


def provider_config(provider: registry_pb2.Provider) -> dict[str, Any]:
    """The provider's free-form registry config as a dict (empty when unset)."""
    return MessageToDict(provider.config) if provider.HasField("config") else {}


def mark_retryable(err: RadiantError) -> RadiantError:
    """Upstream 429, 5xx, timeouts and connection failures may be retried (before the first streamed byte)."""
    err.retryable = True  # type: ignore[attr-defined]
    return err


def is_retryable(err: BaseException) -> bool:
    return bool(getattr(err, "retryable", False))


def parse_retry_after(value: str | None, default: int = 60) -> int:
    try:
        return max(0, int(float(value))) if value else default
    except ValueError:
        return default


def status_error(name: str, status: int, retry_after: str | None = None) -> RadiantError | None:
    """Seed mapping (upstream client): 429 -> RATE_LIMITED with Retry-After, 5xx -> SERVICE_UNAVAILABLE, other
    errors -> PROVIDER_ERROR. The provider's own message is not echoed (it may quote the prompt)."""
    if status < 400:
        return None
    if status == 429:
        err = RateLimitError(f"Provider '{name}' is rate limiting requests", retry_after=parse_retry_after(retry_after))
        # Only a Retry-After the provider sent is waited for; without one, retries back off exponentially.
        err.upstream_retry_after = retry_after is not None  # type: ignore[attr-defined]
        return mark_retryable(err)
    if status >= 500:
        return mark_retryable(ServiceUnavailableError(f"Provider '{name}' failed with HTTP {status}"))
    return ProviderError(f"Provider '{name}' rejected the request with HTTP {status}")


def unreachable(name: str, timed_out: bool) -> RadiantError:
    what = "timed out" if timed_out else "is unreachable"
    return mark_retryable(ServiceUnavailableError(f"Provider '{name}' {what}"))
