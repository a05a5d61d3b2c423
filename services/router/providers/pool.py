"""Provider adapters by registry provider (and, for self-hosted models, by endpoint), built once and reused.
Credentials are resolved from the reference the registry holds (credential_ref), never stored in the registry."""
from __future__ import annotations

from radiant.registry.v1 import registry_pb2
from services.router.providers.anthropic import AnthropicProvider
from services.router.providers.azure_openai import AzureOpenAIProvider
from services.router.providers.base import AdapterFactory, ProviderAdapter, Timeouts
from services.router.providers.bedrock import BedrockProvider
from services.router.providers.credentials import CredentialResolver
from services.router.providers.endpoints import endpoint_key, provider_for_model
from services.router.providers.openai_compat import OpenAICompatibleProvider
from services.router.providers.sagemaker import SageMakerProvider
from services.runtime.errors import ServiceUnavailableError

# One line per wire format.
ADAPTERS: dict[int, AdapterFactory] = {
    registry_pb2.API_FORMAT_OPENAI: OpenAICompatibleProvider,
    registry_pb2.API_FORMAT_AZURE_OPENAI: AzureOpenAIProvider,
    registry_pb2.API_FORMAT_ANTHROPIC: AnthropicProvider,
    registry_pb2.API_FORMAT_BEDROCK: BedrockProvider,
    registry_pb2.API_FORMAT_SAGEMAKER: SageMakerProvider,
}


class ProviderPool:
    def __init__(self, timeout: float, connect_timeout: float, credentials: CredentialResolver | None = None) -> None:
        self.timeouts = Timeouts(total=timeout, connect=connect_timeout)
        self.credentials = credentials or CredentialResolver()
        self._clients: dict[tuple[str, int, str, int, str], ProviderAdapter] = {}

    async def get(self, provider: registry_pb2.Provider,
                  model: registry_pb2.Model | None = None) -> tuple[ProviderAdapter, str | None]:
        factory = ADAPTERS.get(provider.api_format)
        if factory is None:
            raise ServiceUnavailableError(f"Provider '{provider.id}' uses a wire format this gateway cannot call yet")
        api_key = None
        if provider.auth_type == registry_pb2.AUTH_TYPE_API_KEY:
            api_key = await self.credentials.resolve(provider.id, provider.credential_ref)
        # A provider edited in the registry (new URL, config) gets a new adapter; self-hosted models one per endpoint.
        key = (provider.id, provider.updated_at.ToNanoseconds(), provider.base_url, provider.api_format,
               endpoint_key(model) if model else "")
        client = self._clients.get(key)
        if client is None:
            resolved = provider_for_model(provider, model) if model is not None else provider
            if not resolved.base_url:
                raise ServiceUnavailableError(f"Provider '{provider.id}' has no base URL configured")
            client = self._clients[key] = factory(resolved, self.timeouts)
        return client, api_key

    async def close(self) -> None:
        for client in self._clients.values():
            await client.close()
        self._clients.clear()
