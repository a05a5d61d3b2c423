"""The in-process stack for the OpenAI-surface tests, on a database of its own: the seed catalogue plus demo models
with the capabilities these tests need (vision, embeddings, none of the extras), and the catalogue's Azure OpenAI
provider pointed at a local fake Azure resource."""
from __future__ import annotations

import os

import grpc
import httpx
import openai
import pytest

from radiant.registry.v1 import registry_pb2, registry_pb2_grpc
from services.registry import catalogue
from services.registry.store import RegistryStore
from services.runtime.db import create_engine
from tests.grpc_helpers import internal_channel
from tests.conftest import _create_pg_database, _drop_pg_database
from tests.fakes.azure_openai import AzureOpenAIFake
from tests.harness import InProcessStack

AZURE_KEY_VAR = "RADIANT_AZURE_OPENAI_API_KEY"
VISION = "radiant-demo-vision"
EMBEDDING = "radiant-demo-embedding"
PLAIN = "radiant-demo-plain"          # no function calling, no vision
AZURE_CHAT = "azure-gpt-4o"           # catalogue entry; deployment "gpt-4o"
AZURE_EMBEDDING = "azure-embed-small"  # deployment "embed-small"

_PRICING = {"input_per_million": "0.50", "output_per_million": "1.50", "billed_markup": "0.20"}


def _extra_models() -> list[dict]:
    """Models the seeded catalogue does not have (radiant-demo-vision and radiant-demo-embedding it has)."""
    chat = ["chat", "streaming"]
    return [
        catalogue._model(catalogue.DEMO_PROVIDER, PLAIN, "Radiant Demo Plain", status="active", capabilities=chat,
                         context_window=8192, max_output_tokens=512, pricing=_PRICING),
        catalogue._model("azure-openai", AZURE_EMBEDDING, "Embeddings (Azure OpenAI)", status="active",
                         capabilities=["embeddings"], context_window=8191, max_output_tokens=None,
                         supports_streaming=False, upstream_model="embed-small",
                         pricing={**_PRICING, "output_per_million": "0"}),
    ]


@pytest.fixture(scope="package")
def openai_pg_url():
    name, url = _create_pg_database()
    yield url
    _drop_pg_database(name)


@pytest.fixture(scope="package")
async def azure_fake():
    fake = await AzureOpenAIFake().start()
    previous = os.environ.get(AZURE_KEY_VAR)
    os.environ[AZURE_KEY_VAR] = fake.api_key
    yield fake
    if previous is None:
        os.environ.pop(AZURE_KEY_VAR, None)
    else:
        os.environ[AZURE_KEY_VAR] = previous
    await fake.stop()


@pytest.fixture(scope="package")
async def stack(openai_pg_url, redis_url, azure_fake):
    """One stack for the package. Stopping a router closes every gRPC channel of the event loop, so no test here
    starts and stops a stack of its own."""
    s = await InProcessStack(openai_pg_url, redis_url).start()
    engine = create_engine(openai_pg_url)
    await RegistryStore(engine).insert_absent([], _extra_models())
    await engine.dispose()
    async with internal_channel(s.services["registry"].address) as ch:
        registry = registry_pb2_grpc.RegistryServiceStub(ch)
        await registry.UpdateProvider(registry_pb2.UpdateProviderRequest(
            id=catalogue.provider_id("azure-openai"), status=registry_pb2.STATUS_ACTIVE,
            base_url=f"{azure_fake.url}/openai"))
        await registry.UpdateModel(registry_pb2.UpdateModelRequest(
            id=catalogue.model_id(AZURE_CHAT), status=registry_pb2.STATUS_ACTIVE))
    yield s
    await s.stop()


@pytest.fixture
async def provider_saw(stack):
    """What the demo provider received (bodies, oldest first), starting from an empty record."""
    async with httpx.AsyncClient() as c:
        await c.delete(stack.demo_app_requests_url)

    async def fetch() -> list[dict]:
        async with httpx.AsyncClient() as c:
            return (await c.get(stack.demo_app_requests_url)).json()
    return fetch


@pytest.fixture
def aclient(stack, api_key) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=api_key, max_retries=0)


@pytest.fixture
def client(stack, api_key) -> openai.OpenAI:
    """The synchronous SDK; call it through asyncio.to_thread, since the stack runs in the test's event loop."""
    return openai.OpenAI(base_url=f"{stack.base_url}/v1", api_key=api_key, max_retries=0)
