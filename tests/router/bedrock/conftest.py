import asyncio

import boto3
import pytest
import uvicorn
from botocore.config import Config

from tests.harness import free_port
from tests.router.bedrock.tls import self_signed


@pytest.fixture(scope="module")
async def tls_router(stack, tmp_path_factory):
    """The stack's router app also served over HTTPS (lifespan off: the stack's server owns the pipeline)."""
    cert, key = self_signed(tmp_path_factory.mktemp("tls"))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(stack.router_app, host="127.0.0.1", port=port, log_config=None,
                                           access_log=False, lifespan="off", loop="none", ssl_certfile=str(cert),
                                           ssl_keyfile=str(key)))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    yield f"https://127.0.0.1:{port}", str(cert)
    server.should_exit = True
    await task


def bedrock_client(endpoint: str, ca: str):
    return boto3.client("bedrock-runtime", endpoint_url=endpoint, region_name="us-east-1", verify=ca,
                        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))


@pytest.fixture
def bedrock(tls_router, api_key, monkeypatch):
    """boto3's bedrock-runtime client pointed at the router, authenticating with the Radiant key as a Bedrock API key
    (botocore sends `Authorization: Bearer` when AWS_BEARER_TOKEN_BEDROCK is set). Calls run in a thread: the stack
    serves on this test's event loop."""
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", api_key)
    client = bedrock_client(*tls_router)

    async def call(method: str, **kwargs):
        return await asyncio.to_thread(getattr(client, method), **kwargs)
    return call


ACCESS_KEY, SECRET_KEY = "AKIDRADIANTTEST", "radiant-test-secret"


@pytest.fixture
def aws_env(monkeypatch, tmp_path):
    """Test credentials for botocore's default chain (environment first); nothing else it could find."""
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
async def fake_bedrock():
    from tests.fakes.bedrock_server import FakeBedrock
    fake = await FakeBedrock(ACCESS_KEY, SECRET_KEY, bearer_token="bedrock-api-key-test").start()
    yield fake
    await fake.stop()


def aws_provider(fake, api_format, provider_id="aws-test", **config):
    from google.protobuf.struct_pb2 import Struct
    from radiant.registry.v1 import registry_pb2
    cfg = Struct()
    cfg.update({"region": "us-east-1", **config})
    return registry_pb2.Provider(id=provider_id, base_url=fake.base_url, api_format=api_format,
                                 auth_type=registry_pb2.AUTH_TYPE_IAM, config=cfg)


@pytest.fixture
async def fake_sagemaker():
    from tests.fakes.sagemaker_server import FakeSageMaker
    fake = await FakeSageMaker(ACCESS_KEY, SECRET_KEY, endpoints={"radiant-mistral-7b": "tgi",
                                                                  "radiant-llama-vllm": "vllm"}).start()
    yield fake
    await fake.stop()
