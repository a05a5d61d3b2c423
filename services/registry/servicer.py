"""RegistryService: list/get/update providers and models, observed state from the operator, and the change stream."""
from __future__ import annotations

import logging
from typing import AsyncIterator

from radiant.common.v1 import common_pb2
from radiant.registry.v1 import registry_pb2 as pb
from radiant.registry.v1 import registry_pb2_grpc

from services.registry import enums, payloads, validation
from services.registry.broadcaster import Broadcaster
from services.registry.convert import model_to_pb, provider_to_pb
from services.registry.store import ModelFilter, ProviderFilter, RegistryStore
from services.runtime.errors import NotFoundError, ValidationError
from services.runtime.paging import next_token, page_bounds

log = logging.getLogger("radiant.registry")


def _opt_enum(mapping: enums.EnumMap, value: int, field: str) -> str | None:
    return mapping.to_db(value, field) if value else None


class RegistryServicer(registry_pb2_grpc.RegistryServiceServicer):
    def __init__(self, store: RegistryStore, broadcaster: Broadcaster) -> None:
        self.store = store
        self.broadcaster = broadcaster

    # --- providers -----------------------------------------------------------
    async def ListProviders(self, request: pb.ListProvidersRequest, context) -> pb.ListProvidersResponse:
        limit, offset = page_bounds(request.page.page_size, request.page.page_token)
        flt = ProviderFilter(
            type=_opt_enum(enums.PROVIDER_TYPE, request.type, "type"),
            status=_opt_enum(enums.STATUS, request.status, "status"),
            hipaa_compliant=request.hipaa_compliant if request.HasField("hipaa_compliant") else None)
        rows, total = await self.store.list_providers(flt, limit, offset)
        return pb.ListProvidersResponse(
            providers=[provider_to_pb(r) for r in rows],
            page=common_pb2.PageResponse(next_page_token=next_token(offset, limit, total), total=total))

    async def GetProvider(self, request: pb.GetProviderRequest, context) -> pb.Provider:
        validation.require_id(request.id)
        return provider_to_pb(await self.store.get_provider(request.id))

    async def UpdateProvider(self, request: pb.UpdateProviderRequest, context) -> pb.Provider:
        columns = validation.provider_changes(request)
        if not columns:
            return provider_to_pb(await self.store.get_provider(request.id))
        provider = provider_to_pb(await self.store.update_provider(request.id, columns))
        revision = self.broadcaster.publish(provider=provider)
        log.info("provider updated", extra={"provider_id": request.id, "fields": sorted(columns),
                                            "revision": revision})
        return provider

    async def CreateProvider(self, request: pb.CreateProviderRequest, context) -> pb.Provider:
        provider = provider_to_pb(await self.store.create_provider(payloads.provider_row(request.provider)))
        revision = self.broadcaster.publish(provider=provider)
        log.info("provider created", extra={"provider_id": provider.id, "revision": revision})
        return provider

    async def DeleteProvider(self, request: pb.DeleteProviderRequest, context) -> pb.DeleteProviderResponse:
        validation.require_id(request.id)
        row, removed = await self.store.delete_provider(request.id)
        provider = provider_to_pb(row)
        if removed:
            revision = self.broadcaster.publish(provider=provider, kind=pb.ChangeEvent.KIND_DELETE)
        else:
            revision = self.broadcaster.publish(provider=provider)
        log.info("provider deleted" if removed else "provider deprecated (it still has models)",
                 extra={"provider_id": request.id, "revision": revision})
        return pb.DeleteProviderResponse(provider=provider, removed=removed)

    # --- models --------------------------------------------------------------
    async def CreateModel(self, request: pb.CreateModelRequest, context) -> pb.Model:
        payload = request.model
        if not payload.provider_id.strip():
            raise ValidationError("model.provider_id is required", details={"model.provider_id": ["is required"]})
        try:
            provider = await self.store.get_provider(payload.provider_id)
        except NotFoundError:
            raise ValidationError("model.provider_id names no provider",
                                  details={"model.provider_id": [f"no provider {payload.provider_id!r}"]}) from None
        row = payloads.model_row(payload, provider.type)
        if row["fallback_models"]:
            validation.fallback_references(row["name"], row["fallback_models"],
                                           await self.store.existing_model_names(row["fallback_models"]))
        model = model_to_pb(await self.store.create_model(row))
        revision = self.broadcaster.publish(model=model)
        log.info("model created", extra={"model_id": model.id, "revision": revision})
        return model

    async def DeleteModel(self, request: pb.DeleteModelRequest, context) -> pb.DeleteModelResponse:
        validation.require_id(request.id)
        row, removed = await self.store.delete_model(request.id, request.in_use)
        model = model_to_pb(row)
        if removed:
            revision = self.broadcaster.publish(model=model, kind=pb.ChangeEvent.KIND_DELETE)
        else:
            revision = self.broadcaster.publish(model=model)
        log.info("model deleted" if removed else "model deprecated (in use)",
                 extra={"model_id": request.id, "revision": revision})
        return pb.DeleteModelResponse(model=model, removed=removed)

    async def ListModels(self, request: pb.ListModelsRequest, context) -> pb.ListModelsResponse:
        limit, offset = page_bounds(request.page.page_size, request.page.page_token)
        flt = ModelFilter(
            provider_id=request.provider_id or None, specialty=request.specialty or None,
            status=_opt_enum(enums.STATUS, request.status, "status"),
            type=_opt_enum(enums.PROVIDER_TYPE, request.type, "type"),
            supports_vision=request.supports_vision if request.HasField("supports_vision") else None,
            supports_streaming=request.supports_streaming if request.HasField("supports_streaming") else None,
            thermal_state=_opt_enum(enums.THERMAL_STATE, request.thermal_state, "thermal_state"))
        rows, total = await self.store.list_models(flt, limit, offset)
        return pb.ListModelsResponse(
            models=[model_to_pb(r) for r in rows],
            page=common_pb2.PageResponse(next_page_token=next_token(offset, limit, total), total=total))

    async def GetModel(self, request: pb.GetModelRequest, context) -> pb.Model:
        key = request.WhichOneof("key")
        if key == "id" and request.id:
            return model_to_pb(await self.store.get_model(request.id))
        if key == "name" and request.name:
            return model_to_pb(await self.store.get_model_by_name(request.name))
        raise ValidationError("id or name is required", details={"key": ["set id or name"]})

    async def UpdateModel(self, request: pb.UpdateModelRequest, context) -> pb.Model:
        changes = validation.model_changes(request)
        if "fallback_models" in changes.columns:
            chain = changes.columns["fallback_models"]
            current = await self.store.get_model(request.id)
            validation.fallback_references(current.name, chain, await self.store.existing_model_names(chain))
        if not (changes.columns or changes.pricing or changes.thermal_config is not None):
            return model_to_pb(await self.store.get_model(request.id))
        model = model_to_pb(await self.store.update_model(request.id, changes))
        revision = self.broadcaster.publish(model=model)
        fields = sorted([*changes.columns, *(["pricing"] if changes.pricing else []),
                         *(["thermal_config"] if changes.thermal_config is not None else [])])
        log.info("model updated", extra={"model_id": request.id, "fields": fields, "revision": revision})
        return model

    async def ReportObservedState(self, request: pb.ReportObservedStateRequest, context) -> pb.Model:
        observed = validation.observed_state(request)
        model = model_to_pb(await self.store.set_observed(request.model_id, observed))
        self.broadcaster.publish(model=model)
        return model

    async def RequestWarmup(self, request: pb.RequestWarmupRequest, context) -> pb.Model:
        validation.require_id(request.model_id, "model_id")
        model = model_to_pb(await self.store.request_warmup(request.model_id))
        revision = self.broadcaster.publish(model=model)
        log.info("warm-up requested", extra={"model_id": request.model_id, "revision": revision})
        return model

    # --- change stream -------------------------------------------------------
    async def Watch(self, request: pb.WatchRequest, context) -> AsyncIterator[pb.ChangeEvent]:
        # Subscribe before reading the snapshot, so a change committed meanwhile is never missed (at worst it
        # arrives twice: in the snapshot and as an UPSERT, which a client applies idempotently).
        sub = self.broadcaster.subscribe()
        log.info("watch started", extra={"subscribers": self.broadcaster.subscribers,
                                         "include_snapshot": request.include_snapshot})
        try:
            if request.include_snapshot:
                snap = pb.ChangeEvent.KIND_SNAPSHOT
                for row in await self.store.all_providers():
                    yield pb.ChangeEvent(kind=snap, provider=provider_to_pb(row), revision=sub.revision)
                for row in await self.store.all_models():
                    yield pb.ChangeEvent(kind=snap, model=model_to_pb(row), revision=sub.revision)
                yield pb.ChangeEvent(kind=pb.ChangeEvent.KIND_SNAPSHOT_END, revision=sub.revision)
            async for event in sub.events():
                yield event
        finally:
            self.broadcaster.unsubscribe(sub)
