import httpx
import pytest

from tests.harness import InProcessStack


@pytest.fixture(scope="module")
async def stack(pg_url, redis_url):
    s = await InProcessStack(pg_url, redis_url).start()
    yield s
    await s.stop()


@pytest.fixture
async def http(stack):
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=10) as client:
        yield client


@pytest.fixture
async def api_key(stack, tenant_id):
    return await stack.new_tenant_key(tenant_id)
