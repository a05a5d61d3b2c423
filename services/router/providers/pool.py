"""Provider adapters by registry provider, built once and reused; credentials come from the environment variable the
registry names (credential_ref), never from the registry itself."""
from __future__ import annotations

import os

from radiant.registry.v1 import registry_pb2
from services.router.providers.anthropic import AnthropicProvider
from services.router.providers.azure_openai import AzureOpenAIProvider
from services.router.providers.base import AdapterFactory, ProviderAdapter, Timeouts
from services.router.providers.bedrock import BedrockProvider
from services.router.providers.openai_compat import OpenAICompatibleProvider
from services.router.providers.sagemaker import SageMakerProvider
from services.runtime.errors import ServiceUnavailableError

# One line per wire format; adapters for the other formats are added here as they land.
ADAPTERS: dict[int, AdapterFactory] = {
    registry_pb2.API_FORMAT_OPENAI: OpenAICompatibleProvider,
    registry_pb2.API_FORMAT_AZURE_OPENAI: AzureOpenAIProvider,
    registry_pb2.API_FORMAT_ANTHROPIC: AnthropicProvider,
    registry_pb2.API_FORMAT_BEDROCK: BedrockProvider,
    registry_pb2.API_FORMAT_SAGEMAKER: SageMakerProvider,
}


class ProviderPool:
    def __init__(self, timeout: float, connect_timeout: float) -> None:
        self.timeouts = Timeouts(total=timeout, connect=connect_timeout)
        self._clients: dict[tuple[str, str, int], ProviderAdapter] = {}

    def get(self, provider: registry_pb2.Provider) -> tuple[ProviderAdapter, str | None]:
        factory = ADAPTERS.get(provider.api_format)
        if factory is None:
            raise ServiceUnavailableError(f"Provider '{provider.id}' uses a wire format this gateway cannot call yet")
        if not provider.base_url:
            raise ServiceUnavailableError(f"Provider '{provider.id}' has no base URL configured")
        api_key = None
        if provider.auth_type == registry_pb2.AUTH_TYPE_API_KEY:
            api_key = os.environ.get(provider.credential_ref or "") or None
            if not api_key:
                raise ServiceUnavailableError(f"Provider '{provider.id}' has no credential configured "
                                              f"(set {provider.credential_ref or 'its credential variable'})")
        key = (provider.id, provider.base_url, provider.api_format)
        client = self._clients.get(key)
        if client is None:
            client = self._clients[key] = factory(provider, self.timeouts)
        return client, api_key

    async def close(self) -> None:
        for client in self._clients.values():
            await client.close()
        self._clients.clear()
