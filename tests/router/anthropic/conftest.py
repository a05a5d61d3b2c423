import pytest

from tests.fakes.anthropic_server import FakeAnthropic, create_app
from tests.harness import serve_asgi


@pytest.fixture(scope="module")
async def fake_anthropic():
    fake = FakeAnthropic()
    server, task, port = await serve_asgi(create_app(fake))
    fake.base_url = f"http://127.0.0.1:{port}"
    yield fake
    server.should_exit = True
    await task


@pytest.fixture
def fake(fake_anthropic):
    fake_anthropic.requests.clear()
    fake_anthropic.faults.clear()
    return fake_anthropic
