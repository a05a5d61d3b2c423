"""Adapter for Amazon Bedrock's Converse / ConverseStream API (POST /model/{modelId}/converse[-stream]), SigV4-signed
for service `bedrock` (or a Bedrock API key as bearer token when the registry provider uses one). The stream is AWS
event-stream framing, decoded with botocore."""
from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import quote

import orjson

from radiant.registry.v1 import registry_pb2
from services.router.formats.bedrock import ConverseChunkReader, converse_response_to_openai, openai_to_converse
from services.router.providers.aws import AwsClient, not_json
from services.router.providers.base import Timeouts
from services.runtime.errors import ProviderError, ValidationError

_JSON = "application/json"


class BedrockProvider:
    def __init__(self, provider: registry_pb2.Provider, timeouts: Timeouts) -> None:
        self.name = provider.id
        self.client = AwsClient(provider, timeouts, "bedrock")

    @staticmethod
    def _path(body: dict, operation: str) -> str:
        # Model ids carry ':' (e.g. "...-v2:0") and ARNs '/': percent-encoded, as the AWS SDKs do.
        return f"/model/{quote(body['model'], safe='')}/{operation}"

    async def chat(self, body: dict, credential: str | None) -> dict:
        payload = orjson.dumps(openai_to_converse(body))
        async with self.client.post(self._path(body, "converse"), payload,
                                    {"content-type": _JSON, "accept": _JSON}, stream=False,
                                    bearer=credential) as resp:
            raw = await resp.read()
        try:
            return converse_response_to_openai(orjson.loads(raw), body["model"])
        except (orjson.JSONDecodeError, AttributeError, KeyError, TypeError):
            raise not_json(self.name) from None

    async def stream_chat(self, body: dict, credential: str | None) -> AsyncIterator[dict]:
        payload = orjson.dumps(openai_to_converse(body))
        reader = ConverseChunkReader(body["model"])
        async with self.client.post(self._path(body, "converse-stream"), payload,
                                    {"content-type": _JSON, "accept": "application/vnd.amazon.eventstream"},
                                    stream=True, bearer=credential) as resp:
            async for event_type, raw in self.client.events(resp):
                try:
                    chunk = reader.feed(event_type, orjson.loads(raw))
                except (orjson.JSONDecodeError, AttributeError, TypeError):
                    raise ProviderError(f"Provider '{self.name}' sent a malformed stream event") from None
                if chunk is not None:
                    yield chunk
        if not reader.stopped:
            raise ProviderError(f"Provider '{self.name}' ended the stream before messageStop")

    async def embeddings(self, body: dict, credential: str | None) -> dict:
        raise ValidationError("Embeddings are not available for Bedrock models through this gateway",
                              details={"model": ["a Bedrock chat model has no embeddings endpoint here"]})

    async def close(self) -> None:
        await self.client.close()
