"""Filters, cursor pagination and lookups by id and name."""
from __future__ import annotations

import grpc
import pytest
from radiant.registry.v1 import registry_pb2 as pb

from tests.registry.helpers import all_models, all_providers, expect_error


async def test_model_filters_match_the_catalogue(registry):
    everything = await all_models(registry)
    providers = {p.name: p.id for p in await all_providers(registry)}
    cases = [
        ({"provider_id": providers["openai"]}, lambda m: m.provider_id == providers["openai"]),
        ({"specialty": "coding"}, lambda m: m.specialty == "coding"),
        ({"status": pb.STATUS_ACTIVE}, lambda m: m.status == pb.STATUS_ACTIVE),
        ({"type": pb.PROVIDER_TYPE_SELF_HOSTED}, lambda m: m.type == pb.PROVIDER_TYPE_SELF_HOSTED),
        ({"supports_vision": True}, lambda m: m.supports_vision),
        ({"supports_vision": False}, lambda m: not m.supports_vision),
        ({"supports_streaming": True}, lambda m: m.supports_streaming),
        ({"thermal_state": pb.THERMAL_STATE_WARM}, lambda m: m.thermal_state == pb.THERMAL_STATE_WARM),
        ({"type": pb.PROVIDER_TYPE_EXTERNAL, "supports_vision": True},
         lambda m: m.type == pb.PROVIDER_TYPE_EXTERNAL and m.supports_vision),
    ]
    for filters, keep in cases:
        got = await all_models(registry, **filters)
        want = [m.id for m in everything if keep(m)]
        assert want, f"catalogue has nothing for {filters}"
        assert [m.id for m in got] == want, filters
    names = {m.name for m in await all_models(registry, provider_id=providers["openai"])}
    assert {"gpt-4o", "gpt-4o-mini"} <= names


async def test_provider_filters(registry):
    everything = await all_providers(registry)
    assert [p.name for p in everything] == sorted(p.name for p in everything)  # ordered by name
    for filters, keep in [
        ({"type": pb.PROVIDER_TYPE_SELF_HOSTED}, lambda p: p.type == pb.PROVIDER_TYPE_SELF_HOSTED),
        ({"status": pb.STATUS_ACTIVE}, lambda p: p.status == pb.STATUS_ACTIVE),
        ({"hipaa_compliant": True}, lambda p: p.hipaa_compliant),
    ]:
        got = await all_providers(registry, **filters)
        assert [p.id for p in got] == [p.id for p in everything if keep(p)], filters
    assert "demo" in {p.name for p in await all_providers(registry, status=pb.STATUS_ACTIVE)}


@pytest.mark.parametrize("page_size", [1, 3, 4])
async def test_paging_through_everything(registry, page_size):
    full = await all_models(registry)
    seen, token, pages = [], "", 0
    while True:
        resp = await registry.ListModels(pb.ListModelsRequest(page={"page_size": page_size, "page_token": token}))
        assert resp.page.total == len(full)
        assert len(resp.models) <= page_size
        seen.extend(m.id for m in resp.models)
        pages += 1
        token = resp.page.next_page_token
        if not token:
            break
    assert seen == [m.id for m in full]  # same order, no duplicates, nothing missed
    assert pages == -(-len(full) // page_size)

    providers = await all_providers(registry)
    seen, token = [], ""
    while True:
        resp = await registry.ListProviders(pb.ListProvidersRequest(page={"page_size": page_size,
                                                                          "page_token": token}))
        seen.extend(p.id for p in resp.providers)
        token = resp.page.next_page_token
        if not token:
            break
    assert seen == [p.id for p in providers]


async def test_bad_page_token_and_filter_value(registry):
    err = await expect_error(registry.ListModels(pb.ListModelsRequest(page={"page_token": "nope"})),
                             grpc.StatusCode.INVALID_ARGUMENT)
    assert err.code == "VALIDATION_ERROR" and "page_token" in err.details
    err = await expect_error(registry.ListModels(pb.ListModelsRequest(status=42)), grpc.StatusCode.INVALID_ARGUMENT)
    assert "status" in err.details


async def test_get_by_name_and_id(registry):
    by_name = await registry.GetModel(pb.GetModelRequest(name="gpt-4o"))
    by_id = await registry.GetModel(pb.GetModelRequest(id=by_name.id))
    assert by_id == by_name
    provider = await registry.GetProvider(pb.GetProviderRequest(id=by_name.provider_id))
    assert provider.name == "openai"

    err = await expect_error(registry.GetModel(pb.GetModelRequest(name="no-such-model")), grpc.StatusCode.NOT_FOUND)
    assert err.code == "NOT_FOUND" and "no-such-model" in err.message and "name" in err.details
    err = await expect_error(registry.GetModel(pb.GetModelRequest(id="missing-id")), grpc.StatusCode.NOT_FOUND)
    assert "missing-id" in err.message and "id" in err.details
    err = await expect_error(registry.GetProvider(pb.GetProviderRequest(id="missing-provider")),
                             grpc.StatusCode.NOT_FOUND)
    assert "missing-provider" in err.message
    await expect_error(registry.GetModel(pb.GetModelRequest()), grpc.StatusCode.INVALID_ARGUMENT)
