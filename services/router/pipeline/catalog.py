"""Router-side view of the registry: models by name and providers by id, cached for a few seconds."""
from __future__ import annotations

import time

from radiant.common.v1 import common_pb2
from radiant.registry.v1 import registry_pb2
from services.router.pipeline.upstreams import Upstreams
from services.runtime.errors import NotFoundError, ServiceUnavailableError
from services.runtime.grpc_client import call
from services.runtime.single_flight import SingleFlight

_ACTIVE = registry_pb2.STATUS_ACTIVE


class Catalog:
    def __init__(self, upstreams: Upstreams, ttl: float) -> None:
        self.up = upstreams
        self.ttl = ttl
        self._models: dict[str, tuple[float, registry_pb2.Model]] = {}
        self._providers: dict[str, tuple[float, registry_pb2.Provider]] = {}
        self._models_by_id: dict[str, tuple[float, registry_pb2.Model | None]] = {}
        self._fetching: SingleFlight = SingleFlight()  # a burst of misses asks the registry once

    async def model(self, name: str) -> tuple[registry_pb2.Model, registry_pb2.Provider]:
        now = time.monotonic()
        hit = self._models.get(name)
        if hit and hit[0] > now:
            model = hit[1]
        else:
            try:
                model = await self._fetching.run(("model", name), lambda: call(
                    self.up.registry.GetModel(registry_pb2.GetModelRequest(name=name)), "registry"))
            except NotFoundError:
                raise NotFoundError(f"The model '{name}' does not exist", details={"model": ["unknown model"]}) from None
            self._models[name] = (now + self.ttl, model)
        if model.status != _ACTIVE:
            raise NotFoundError(f"The model '{name}' is not available", details={"model": ["model is not active"]})
        provider = await self.provider(model.provider_id)
        if provider.status != _ACTIVE:
            raise ServiceUnavailableError(f"The provider of model '{name}' is not active")
        return model, provider

    async def provider(self, provider_id: str) -> registry_pb2.Provider:
        now = time.monotonic()
        hit = self._providers.get(provider_id)
        if hit and hit[0] > now:
            return hit[1]
        provider = await self._fetching.run(("provider", provider_id), lambda: call(
            self.up.registry.GetProvider(registry_pb2.GetProviderRequest(id=provider_id)), "registry"))
        self._providers[provider_id] = (now + self.ttl, provider)
        return provider

    async def model_by_id(self, model_id: str) -> registry_pb2.Model | None:
        """Any model by id, whatever its status (for naming it in reports); None when the registry has none."""
        now = time.monotonic()
        hit = self._models_by_id.get(model_id)
        if hit and hit[0] > now:
            return hit[1]
        try:
            model = await call(self.up.registry.GetModel(registry_pb2.GetModelRequest(id=model_id)), "registry")
        except NotFoundError:
            model = None
        self._models_by_id[model_id] = (now + self.ttl, model)
        return model

    async def provider_or_none(self, provider_id: str) -> registry_pb2.Provider | None:
        try:
            return await self.provider(provider_id)
        except NotFoundError:
            return None

    async def active_models(self) -> list[registry_pb2.Model]:
        models: list[registry_pb2.Model] = []
        token = ""
        while True:
            resp = await call(self.up.registry.ListModels(registry_pb2.ListModelsRequest(
                status=_ACTIVE, page=common_pb2.PageRequest(page_size=500, page_token=token))), "registry")
            models.extend(resp.models)
            token = resp.page.next_page_token
            if not token:
                return models
