from __future__ import annotations

import grpc
import pytest
from radiant.registry.v1 import registry_pb2 as pb

from services.runtime.errors import RadiantError, from_grpc_error


async def expect_error(awaitable, status: grpc.StatusCode) -> RadiantError:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await awaitable
    assert info.value.code() == status, info.value.details()
    return from_grpc_error(info.value)


async def all_models(stub, **filters) -> list[pb.Model]:
    resp = await stub.ListModels(pb.ListModelsRequest(page={"page_size": 500}, **filters))
    assert not resp.page.next_page_token
    return list(resp.models)


async def all_providers(stub, **filters) -> list[pb.Provider]:
    resp = await stub.ListProviders(pb.ListProvidersRequest(page={"page_size": 500}, **filters))
    assert not resp.page.next_page_token
    return list(resp.providers)
