import pytest

from tests.conftest import _create_pg_database, _drop_pg_database
from tests.harness import InProcessStack
from tests.router.policy.support import Tenants


@pytest.fixture(scope="module")
def policy_db_url():
    """A database of its own: these tests add models to the registry, which other modules list."""
    name, url = _create_pg_database()
    yield url
    _drop_pg_database(name)


@pytest.fixture(scope="module")
async def stack(policy_db_url, redis_url):
    s = await InProcessStack(policy_db_url, redis_url).start()
    yield s
    await s.stop()


@pytest.fixture
def tenants(stack) -> Tenants:
    return Tenants(stack)
