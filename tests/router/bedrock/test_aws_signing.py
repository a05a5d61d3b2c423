"""SigV4 credentials for the AWS adapters: botocore's default chain resolved once per adapter, expiring credentials
(web identity / IRSA, instance roles) refreshed before they are used, a clear error when there are none."""
import datetime

import botocore.session
import pytest
from botocore.credentials import RefreshableCredentials

from radiant.registry.v1 import registry_pb2
from services.router.providers.aws import AwsSigner, aws_error, error_type_of, region_of
from services.runtime.errors import ProviderError, RateLimitError, ServiceUnavailableError


def _metadata(key: str, minutes: int) -> dict:
    expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=minutes)
    return {"access_key": key, "secret_key": f"secret-{key}", "token": f"token-{key}",
            "expiry_time": expiry.isoformat()}


class _Chain:
    def __init__(self, credentials):
        self.credentials, self.calls = credentials, 0

    def get_credentials(self):
        self.calls += 1
        return self.credentials


async def test_chain_resolved_once_and_expiring_credentials_refreshed(monkeypatch):
    issued = iter(["AKIDSECOND", "AKIDTHIRD"])
    # Expires in 5 minutes: inside botocore's refresh window, so the next use refreshes first.
    creds = RefreshableCredentials.create_from_metadata(
        _metadata("AKIDFIRST", 5), refresh_using=lambda: _metadata(next(issued), 60), method="test")
    chain = _Chain(creds)
    monkeypatch.setattr(botocore.session, "get_session", lambda: chain)
    signer = AwsSigner("bedrock", "eu-west-1", "p")
    first = await signer.sign("https://bedrock-runtime.eu-west-1.amazonaws.com/model/m/converse", b"{}",
                              {"content-type": "application/json"})
    second = await signer.sign("https://bedrock-runtime.eu-west-1.amazonaws.com/model/m/converse", b"{}",
                               {"content-type": "application/json"})
    assert chain.calls == 1
    for headers in (first, second):
        assert headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDSECOND/")
        assert "/eu-west-1/bedrock/aws4_request" in headers["Authorization"]
        assert headers["X-Amz-Security-Token"] == "token-AKIDSECOND"


async def test_no_credentials_is_a_clear_unavailable_error(monkeypatch):
    monkeypatch.setattr(botocore.session, "get_session", lambda: _Chain(None))
    with pytest.raises(ServiceUnavailableError) as err:
        await AwsSigner("sagemaker", "us-east-1", "sm").sign("https://x/endpoints/e/invocations", b"{}", {})
    assert "no AWS credentials" in err.value.message


def test_region_from_config_or_host():
    def provider(url, **config):
        from google.protobuf.struct_pb2 import Struct
        s = Struct()
        s.update(config)
        return registry_pb2.Provider(id="p", base_url=url, config=s)
    assert region_of(provider("https://bedrock-runtime.eu-central-1.amazonaws.com")) == "eu-central-1"
    assert region_of(provider("https://runtime.sagemaker.us-gov-west-1.amazonaws.com")) == "us-gov-west-1"
    assert region_of(provider("http://127.0.0.1:9000", region="ap-south-1")) == "ap-south-1"
    with pytest.raises(ServiceUnavailableError):
        region_of(provider("http://127.0.0.1:9000"))


def test_error_types_from_header_or_body():
    assert error_type_of({"x-amzn-errortype": "ValidationException:http://internal.amazon.com/"}, b"") == \
        "ValidationException"
    assert error_type_of({}, b'{"__type": "com.amazon.coral.service#ThrottlingException"}') == "ThrottlingException"
    assert error_type_of({}, b"<html>") is None
    assert isinstance(aws_error("p", 400, "ThrottlingException"), RateLimitError)
    assert isinstance(aws_error("p", 400, "ValidationException"), ProviderError)


@pytest.fixture
def irsa(monkeypatch, tmp_path):
    """EKS IRSA as the pod sees it: a role ARN and a projected service-account token, no keys. STS is moto's."""
    from moto.server import ThreadedMotoServer

    from tests.harness import free_port
    port = free_port()
    sts = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    sts.start()
    token = tmp_path / "token"
    token.write_text("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6cmFkaWFudDpyb3V0ZXIifQ.c2ln")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {"AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/radiant-router",
                        "AWS_WEB_IDENTITY_TOKEN_FILE": str(token), "AWS_ENDPOINT_URL_STS": f"http://127.0.0.1:{port}",
                        "AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": str(tmp_path / "none"),
                        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
                        "AWS_EC2_METADATA_DISABLED": "true"}.items():
        monkeypatch.setenv(name, value)
    yield
    sts.stop()


def _issued_secret(key: str) -> str | None:
    """The secret STS (moto) issued with this access key id."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sts.models import sts_backends
    return next((r.secret_access_key for r in sts_backends[DEFAULT_ACCOUNT_ID]["global"].assumed_roles
                 if r.access_key_id == key), None)


async def test_web_identity_credentials_sign_bedrock_requests(irsa):
    from radiant.registry.v1 import registry_pb2 as pb
    from services.router.providers.base import Timeouts
    from services.router.providers.bedrock import BedrockProvider
    from tests.fakes.bedrock_server import FakeBedrock
    from tests.router.bedrock.conftest import aws_provider
    fake = await FakeBedrock(secret_for=_issued_secret).start()
    adapter = BedrockProvider(aws_provider(fake, pb.API_FORMAT_BEDROCK), Timeouts(total=10, connect=2))
    try:
        out = await adapter.chat({"model": "m", "messages": [{"role": "user", "content": "hi"}]}, None)
    finally:
        await adapter.close()
        await fake.stop()
    assert out["choices"][0]["message"]["content"] == "You said: hi"  # the fake verified the signature
    headers = fake.requests[0]["headers"]
    assert headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=ASIA")  # temporary STS credentials
    assert headers["X-Amz-Security-Token"]
