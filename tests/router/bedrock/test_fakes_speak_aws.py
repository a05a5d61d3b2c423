"""The fakes speak AWS's real wire formats: boto3's own bedrock-runtime and sagemaker-runtime clients (which sign
with SigV4 and decode event streams themselves) work against them unchanged."""
import asyncio

import boto3
import orjson
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EventStreamError

from tests.router.bedrock.conftest import ACCESS_KEY, SECRET_KEY


def client(service, fake, secret=SECRET_KEY):
    return boto3.client(service, endpoint_url=fake.base_url, region_name="us-east-1", aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=secret,
                        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))


async def test_boto3_converse_and_converse_stream_against_the_bedrock_fake(fake_bedrock):
    bedrock = client("bedrock-runtime", fake_bedrock)
    messages = [{"role": "user", "content": [{"text": "hello there"}]}]
    r = await asyncio.to_thread(bedrock.converse, modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=messages)
    assert r["output"]["message"]["content"] == [{"text": "You said: hello there"}]
    assert fake_bedrock.requests[0]["model"] == "anthropic.claude-3-haiku-20240307-v1:0"

    def stream():
        resp = bedrock.converse_stream(modelId="m", messages=messages)
        return list(resp["stream"])
    events = await asyncio.to_thread(stream)
    assert "".join(e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e) \
        == "You said: hello there"
    assert events[-1]["metadata"]["usage"] == {"inputTokens": 2, "outputTokens": 4, "totalTokens": 6}


async def test_bedrock_fake_errors_are_what_boto3_expects(fake_bedrock):
    bad = client("bedrock-runtime", fake_bedrock, secret="wrong")
    with pytest.raises(ClientError) as err:
        await asyncio.to_thread(bad.converse, modelId="m", messages=[{"role": "user", "content": [{"text": "x"}]}])
    assert err.value.response["Error"]["Code"] == "InvalidSignatureException"
    bedrock = client("bedrock-runtime", fake_bedrock)
    fake_bedrock.fail(429, "ThrottlingException", "Too many requests, please wait before trying again.")
    with pytest.raises(bedrock.exceptions.ThrottlingException):
        await asyncio.to_thread(bedrock.converse, modelId="m", messages=[{"role": "user", "content": [{"text": "x"}]}])
    with pytest.raises(bedrock.exceptions.ValidationException) as err:
        await asyncio.to_thread(bedrock.converse, modelId="m", messages=[
            {"role": "user", "content": [{"text": "x"}]}, {"role": "user", "content": [{"text": "y"}]}])
    assert "alternate" in err.value.response["Error"]["Message"]
    fake_bedrock.fail(400, "throttlingException", "slow down", mid_stream=True, after=2)

    def stream():
        return list(bedrock.converse_stream(modelId="m", messages=[{"role": "user", "content": [{"text": "x"}]}])
                    ["stream"])
    with pytest.raises(EventStreamError) as err:
        await asyncio.to_thread(stream)
    assert err.value.response["Error"]["Code"] == "throttlingException"


async def test_boto3_invoke_endpoint_against_the_sagemaker_fake(fake_sagemaker):
    sm = client("sagemaker-runtime", fake_sagemaker)
    r = await asyncio.to_thread(sm.invoke_endpoint, EndpointName="radiant-mistral-7b", ContentType="application/json",
                                Body=orjson.dumps({"inputs": "0123456789", "parameters": {"max_new_tokens": 50}}))
    assert orjson.loads(r["Body"].read())[0]["generated_text"] == "TGI read 10 characters"

    def stream():
        resp = sm.invoke_endpoint_with_response_stream(
            EndpointName="radiant-llama-vllm", ContentType="application/json",
            Body=orjson.dumps({"messages": [{"role": "user", "content": "hi"}], "stream": True}))
        return b"".join(e["PayloadPart"]["Bytes"] for e in resp["Body"])
    raw = await asyncio.to_thread(stream)
    assert raw.endswith(b"data: [DONE]\n\n")
    chunks = [orjson.loads(line[6:]) for line in raw.split(b"\n\n") if line.startswith(b"data: {")]
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"]) == "vLLM heard: hi"
    with pytest.raises(ClientError) as err:
        await asyncio.to_thread(sm.invoke_endpoint, EndpointName="nope", Body=b"{}")
    assert err.value.response["Error"]["Code"] == "ValidationError"
    with pytest.raises(sm.exceptions.ModelError) as err:
        await asyncio.to_thread(sm.invoke_endpoint, EndpointName="radiant-mistral-7b", Body=b'{"messages": []}')
    assert err.value.response["OriginalStatusCode"] == 422
