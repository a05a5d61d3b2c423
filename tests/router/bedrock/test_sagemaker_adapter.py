"""The SageMaker adapter against a local SageMaker Runtime (SigV4 verified, PayloadPart event streams) serving a
TGI and a vLLM container."""
import pytest

from radiant.registry.v1 import registry_pb2
from services.router.pipeline import tokens
from services.router.formats import chat_templates
from services.router.providers.base import Timeouts, is_retryable
from services.router.providers.sagemaker import SageMakerProvider
from services.runtime.errors import ProviderError, RateLimitError, ServiceUnavailableError, ValidationError
from tests.router.bedrock.conftest import aws_provider

MISTRAL = "mistralai/Mistral-7B-Instruct-v0.2"
ENDPOINTS = {MISTRAL: "radiant-mistral-7b",
             "meta-llama/Llama-3.1-8B-Instruct": {"name": "radiant-llama-vllm", "container": "vllm"}}
MESSAGES = [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "What is lisinopril?"}]
PROMPT = "<s>[INST] Be terse.\n\nWhat is lisinopril? [/INST]"


@pytest.fixture
async def adapter(fake_sagemaker, aws_env):
    a = SageMakerProvider(aws_provider(fake_sagemaker, registry_pb2.API_FORMAT_SAGEMAKER, endpoints=ENDPOINTS),
                          Timeouts(total=10, connect=2))
    yield a
    await a.close()


def text_of(chunks):
    return "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])


async def test_tgi_prompt_follows_the_model_template(adapter, fake_sagemaker):
    out = await adapter.chat({"model": MISTRAL, "messages": MESSAGES, "max_tokens": 64, "temperature": 0,
                             "top_p": 1.0, "stop": "END"}, None)
    assert out["choices"][0]["message"] == {"role": "assistant", "content": f"TGI read {len(PROMPT)} characters"}
    assert out["choices"][0]["finish_reason"] == "stop"
    # Completion tokens as the container reported them; the prompt counted with tiktoken.
    assert out["usage"]["completion_tokens"] == 5 and out["usage"]["prompt_tokens"] == tokens.count_text(PROMPT)
    [seen] = fake_sagemaker.requests
    assert seen["path"] == "/endpoints/radiant-mistral-7b/invocations"
    assert "/us-east-1/sagemaker/aws4_request" in seen["headers"]["Authorization"]
    # temperature 0 is greedy decoding for TGI; top_p 1.0 is TGI's default and outside what it accepts.
    assert seen["body"] == {"inputs": PROMPT, "stream": False, "parameters": {
        "max_new_tokens": 64, "return_full_text": False, "details": True, "do_sample": False, "stop": ["END"]}}


async def test_tgi_length_finish(adapter):
    out = await adapter.chat({"model": MISTRAL, "messages": MESSAGES, "max_tokens": 2}, None)
    assert out["choices"][0]["message"]["content"] == "TGI read" and out["choices"][0]["finish_reason"] == "length"


async def test_tgi_stream_reassembles_lines_split_across_payload_parts(adapter, fake_sagemaker):
    chunks = [c async for c in adapter.stream_chat({"model": MISTRAL, "messages": MESSAGES}, None)]
    assert text_of(chunks) == f"TGI read {len(PROMPT)} characters"  # the special </s> token is not text
    assert "</s>" not in text_of(chunks)
    assert [c["choices"][0]["finish_reason"] for c in chunks if c["choices"] and c["choices"][0]["finish_reason"]] \
        == ["stop"]
    assert chunks[-1]["usage"]["completion_tokens"] == 5
    assert fake_sagemaker.requests[0]["path"] == "/endpoints/radiant-mistral-7b/invocations-response-stream"
    assert fake_sagemaker.requests[0]["body"]["stream"] is True


async def test_vllm_container_gets_the_openai_body(adapter, fake_sagemaker):
    body = {"model": "meta-llama/Llama-3.1-8B-Instruct", "messages": MESSAGES, "max_tokens": 20}
    out = await adapter.chat(body, None)
    assert out["choices"][0]["message"]["content"] == "vLLM heard: What is lisinopril?"
    assert out["usage"]["completion_tokens"] == 5
    assert fake_sagemaker.requests[0]["body"] == {**body, "stream": False}
    assert fake_sagemaker.requests[0]["path"] == "/endpoints/radiant-llama-vllm/invocations"


async def test_vllm_stream_with_and_without_container_usage(adapter):
    body = {"model": "meta-llama/Llama-3.1-8B-Instruct", "messages": MESSAGES}
    chunks = [c async for c in adapter.stream_chat({**body, "stream_options": {"include_usage": True}}, None)]
    assert text_of(chunks) == "vLLM heard: What is lisinopril?"
    assert chunks[-1]["usage"]["completion_tokens"] == 5
    chunks = [c async for c in adapter.stream_chat(body, None)]
    assert text_of(chunks) == "vLLM heard: What is lisinopril?" and not any(c.get("usage") for c in chunks)


async def test_unmapped_model_without_a_valid_endpoint_name_is_a_clear_config_error(adapter, fake_sagemaker):
    with pytest.raises(ServiceUnavailableError) as err:
        await adapter.chat({"model": "org/unmapped-model", "messages": MESSAGES}, None)
    assert "config.endpoints" in err.value.message and not fake_sagemaker.requests


async def test_unknown_endpoint_is_a_provider_error(adapter):
    with pytest.raises(ProviderError) as err:
        await adapter.chat({"model": "no-such-endpoint", "messages": MESSAGES}, None)
    assert "ValidationError" in err.value.message and not is_retryable(err.value)


async def test_tools_images_and_several_choices_are_refused_for_tgi(adapter, fake_sagemaker):
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
    with pytest.raises(ValidationError):
        await adapter.chat({"model": MISTRAL, "messages": MESSAGES, "tools": tools}, None)
    image = {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AA=="}}]}
    with pytest.raises(ValidationError):
        await adapter.chat({"model": MISTRAL, "messages": [image]}, None)
    with pytest.raises(ValidationError) as err:
        await adapter.chat({"model": MISTRAL, "messages": MESSAGES, "n": 3}, None)
    assert "n" in err.value.details
    assert not fake_sagemaker.requests


@pytest.mark.parametrize("status,error_type,expected,retryable", [
    (400, "ThrottlingException", RateLimitError, True),
    (429, "ModelNotReadyException", RateLimitError, True),
    (503, "ServiceUnavailable", ServiceUnavailableError, True),
    (500, "InternalFailure", ServiceUnavailableError, True),
    (424, "ModelError", ProviderError, False),
    (424, "ModelError:503", ServiceUnavailableError, True),  # the container itself was overloaded
    (424, "ModelError:429", RateLimitError, True),
])
async def test_errors_map_to_the_taxonomy(adapter, fake_sagemaker, status, error_type, expected, retryable):
    error_type, _, original = error_type.partition(":")
    extra = {"OriginalStatusCode": int(original)} if original else {}
    fake_sagemaker.fail(status, error_type, "container said something about the prompt", extra=extra)
    with pytest.raises(expected) as err:
        await adapter.chat({"model": MISTRAL, "messages": MESSAGES}, None)
    assert is_retryable(err.value) is retryable and error_type in err.value.message
    assert "prompt" not in err.value.message


async def test_model_stream_error_mid_stream(adapter, fake_sagemaker):
    fake_sagemaker.fail(400, "ModelStreamError", "StreamBroken", mid_stream=True, after=5)
    got = []
    with pytest.raises(ProviderError) as err:
        async for chunk in adapter.stream_chat({"model": MISTRAL, "messages": MESSAGES}, None):
            got.append(chunk)
    full = f"TGI read {len(PROMPT)} characters"
    assert "ModelStreamError" in err.value.message
    assert full.startswith(text_of(got)) and 0 < len(text_of(got)) < len(full)


@pytest.mark.parametrize("template,expected", [
    ("llama2", "<s>[INST] <<SYS>>\nBe terse.\n<</SYS>>\n\nHi [/INST] Hello </s><s>[INST] Dose? [/INST]"),
    ("mistral", "<s>[INST] Be terse.\n\nHi [/INST] Hello</s>[INST] Dose? [/INST]"),
    ("llama3", "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe terse.<|eot_id|>"
               "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>"
               "\n\nHello<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nDose?<|eot_id|>"
               "<|start_header_id|>assistant<|end_header_id|>\n\n"),
    ("chatml", "<|im_start|>system\nBe terse.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
               "Hello<|im_end|>\n<|im_start|>user\nDose?<|im_end|>\n<|im_start|>assistant\n"),
])
def test_chat_templates(template, expected):
    messages = [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "Hi"},
                {"role": "assistant", "content": "Hello"}, {"role": "user", "content": "Dose?"}]
    assert chat_templates.render(template, messages) == expected


def test_template_guessed_from_the_model_id():
    assert chat_templates.guess(MISTRAL) == "mistral"
    assert chat_templates.guess("meta-llama/Llama-2-70b-chat-hf") == "llama2"
    assert chat_templates.guess("meta-llama/Llama-3.1-8B-Instruct") == "llama3"
    assert chat_templates.guess("Qwen/Qwen2-7B-Instruct") == "chatml"
