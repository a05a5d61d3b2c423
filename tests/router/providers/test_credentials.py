"""Provider credentials resolve from the router's environment or from AWS Secrets Manager (moto), by reference."""
import json

import boto3
import pytest
from moto import mock_aws

from services.router.providers.credentials import CredentialResolver
from services.runtime.errors import ServiceUnavailableError


@pytest.fixture
def aws(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield boto3.client("secretsmanager", region_name="us-east-1")


async def test_environment_reference(monkeypatch):
    monkeypatch.setenv("RADIANT_TEST_PROVIDER_KEY", "sk-from-env")
    assert await CredentialResolver().resolve("openai", "RADIANT_TEST_PROVIDER_KEY") == "sk-from-env"


async def test_missing_environment_variable_names_the_reference_not_a_value(monkeypatch):
    monkeypatch.delenv("RADIANT_TEST_MISSING_KEY", raising=False)
    with pytest.raises(ServiceUnavailableError, match="set RADIANT_TEST_MISSING_KEY"):
        await CredentialResolver().resolve("openai", "RADIANT_TEST_MISSING_KEY")


async def test_secrets_manager_plain_and_json_key(aws):
    aws.create_secret(Name="radiant-prod/providers/openai", SecretString="sk-plain")
    aws.create_secret(Name="radiant-prod/providers/all", SecretString=json.dumps({"anthropic": "sk-ant-json"}))
    resolver = CredentialResolver(region="us-east-1")
    assert await resolver.resolve("openai", "secretsmanager:radiant-prod/providers/openai") == "sk-plain"
    assert await resolver.resolve("anthropic", "secretsmanager:radiant-prod/providers/all#anthropic") == "sk-ant-json"


async def test_secret_is_cached_until_its_ttl_then_rotation_is_picked_up(aws):
    aws.create_secret(Name="rotating", SecretString="first")
    cached = CredentialResolver(ttl=3600, region="us-east-1")
    fresh = CredentialResolver(ttl=0, region="us-east-1")
    assert await cached.resolve("p", "secretsmanager:rotating") == "first"
    assert await fresh.resolve("p", "secretsmanager:rotating") == "first"
    aws.put_secret_value(SecretId="rotating", SecretString="second")
    assert await cached.resolve("p", "secretsmanager:rotating") == "first"
    assert await fresh.resolve("p", "secretsmanager:rotating") == "second"


@pytest.mark.parametrize("ref, secret, message", [
    ("secretsmanager:does-not-exist", None, "cannot be read (ResourceNotFoundException)"),
    ("secretsmanager:empty", " ", "is empty"),
    ("secretsmanager:json#missing", json.dumps({"other": "x"}), "has no JSON key 'missing'"),
    ("secretsmanager:notjson#key", "sk-not-json", "has no JSON key 'key'"),
])
async def test_unusable_secrets_are_a_503_without_the_value(aws, ref, secret, message):
    name = ref.split(":", 1)[1].split("#")[0]
    if secret is not None:
        aws.create_secret(Name=name, SecretString=secret)
    with pytest.raises(ServiceUnavailableError) as err:
        await CredentialResolver(region="us-east-1").resolve("openai", ref)
    assert message in err.value.message and "sk-not-json" not in err.value.message
