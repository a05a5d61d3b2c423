"""Azure OpenAI: OpenAI's wire format (bodies, SSE framing, error bodies) at deployment URLs,
`{base}/openai/deployments/{deployment}/{operation}?api-version=...`, authenticated with an `api-key` header.
The deployment is the model's upstream name (the body's `model`); the API version comes from the provider's config
(`api_version`)."""
from __future__ import annotations

from urllib.parse import quote, urlencode

from radiant.registry.v1 import registry_pb2
from services.router.providers.base import Timeouts
from services.router.providers.openai_compat import OpenAICompatibleProvider

# The latest GA data-plane version (supports tools, json_schema response formats and stream usage).
DEFAULT_API_VERSION = "2024-10-21"


class AzureOpenAIProvider(OpenAICompatibleProvider):
    def __init__(self, provider: registry_pb2.Provider, timeouts: Timeouts) -> None:
        super().__init__(provider, timeouts)
        # Registry entries name either the resource endpoint or its /openai root; both mean the same resource.
        self.base_url = self.base_url.removesuffix("/openai")
        version = provider.config["api_version"] if "api_version" in provider.config else ""
        self.query = urlencode({"api-version": str(version or DEFAULT_API_VERSION)})

    def url(self, operation: str, body: dict) -> str:
        deployment = quote(str(body.get("model") or ""), safe="")
        return f"{self.base_url}/openai/deployments/{deployment}/{operation}?{self.query}"

    def headers(self, api_key: str | None, stream: bool = False) -> dict[str, str]:
        headers = super().headers(None, stream)
        if api_key:
            headers["api-key"] = api_key
        return headers
