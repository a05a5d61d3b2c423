"""Adapter for SageMaker real-time endpoints: InvokeEndpoint and InvokeEndpointWithResponseStream (POST
/endpoints/{name}/invocations[-response-stream]), SigV4-signed for service `sagemaker`. The stream is AWS event-stream
framing of PayloadPart events whose bytes are the container's own stream; a line may be split across parts.

Two container families, chosen by provider config `container` (per endpoint overridable):
- `tgi` (Hugging Face TGI): `{"inputs": <prompt from the model's chat template>, "parameters": {...}}`, answered
  `[{"generated_text", "details"}]`; streamed as `data:{"token": {"text", "special"}, ..., "details"}` lines.
- `vllm` (vLLM / LMI OpenAI-compatible): the chat-completions body as is, answered with OpenAI JSON / SSE lines.

Provider config: `container` (tgi | vllm, default tgi), `chat_template` (llama2 | mistral | llama3 | chatml; default
guessed from the model id), `endpoints`: upstream model id -> endpoint name, or -> {"name", "container",
"chat_template", "inference_component"}. Without a mapping the model id itself is the endpoint name. An endpoint
that hosts inference components is invoked for the entry's `inference_component` (the registry deployment's).
Usage comes from the container when it reports it, else it is counted with tiktoken."""
from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import orjson

from radiant.registry.v1 import registry_pb2
from services.router.pipeline import tokens
from services.router.formats import chat_templates
from services.router.formats.openai_shapes import OpenAIShapes, refuse_unsupported
from services.router.formats.openai_shapes import usage as openai_usage
from services.router.providers.aws import AwsClient, not_json
from services.router.providers.base import Timeouts, provider_config
from services.runtime.errors import ProviderError, ServiceUnavailableError, ValidationError

CONTAINERS = ("tgi", "vllm")
DEFAULT_MAX_NEW_TOKENS = 512
_ENDPOINT_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
_JSON = "application/json"
_TGI_FINISH = {"length": "length"}  # eos_token and stop_sequence both end the answer normally


@dataclass(frozen=True, slots=True)
class Endpoint:
    name: str
    container: str
    template: str
    inference_component: str = ""

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        """An endpoint hosting inference components is invoked for one of them (InferenceComponentName)."""
        if self.inference_component:
            return {**headers, "x-amzn-sagemaker-inference-component": self.inference_component}
        return headers


class _Lines:
    """Reassembles newline-terminated lines from PayloadPart bytes split anywhere."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[bytes]:
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        return [line.strip() for line in lines if line.strip()]

    def rest(self) -> list[bytes]:
        rest, self._buffer = self._buffer.strip(), b""
        return [rest] if rest else []


def _sse_data(line: bytes) -> bytes | None:
    return line[5:].strip() if line.startswith(b"data:") else None


class SageMakerProvider:
    def __init__(self, provider: registry_pb2.Provider, timeouts: Timeouts) -> None:
        self.name = provider.id
        self.client = AwsClient(provider, timeouts, "sagemaker")
        config = provider_config(provider)
        self.container = str(config.get("container") or "tgi")
        self.template = config.get("chat_template")
        self.endpoints: dict[str, Any] = dict(config.get("endpoints") or {})

    def endpoint(self, model: str) -> Endpoint:
        entry = self.endpoints.get(model) or {}
        if isinstance(entry, str):
            entry = {"name": entry}
        name = entry.get("name") or model
        container = entry.get("container") or self.container
        template = entry.get("chat_template") or self.template or chat_templates.guess(model)
        if not _ENDPOINT_NAME.match(name):
            raise ServiceUnavailableError(f"Provider '{self.name}' has no SageMaker endpoint for model '{model}': "
                                          "map the model to its endpoint name in config.endpoints")
        if container not in CONTAINERS or template not in chat_templates.TEMPLATES:
            raise ServiceUnavailableError(f"Provider '{self.name}' is misconfigured for model '{model}': container "
                                          f"must be one of {', '.join(CONTAINERS)}, chat_template one of "
                                          f"{', '.join(chat_templates.TEMPLATES)}")
        return Endpoint(name, container, template, str(entry.get("inference_component") or ""))

    # --- request bodies ---------------------------------------------------------------------------------------------
    @staticmethod
    def _tgi_body(body: dict, prompt: str, stream: bool) -> bytes:
        if body.get("tools") or body.get("functions"):
            raise ValidationError("This model's container does not support tool calling; remove 'tools'",
                                  details={"tools": ["not supported by this model"]})
        params: dict[str, Any] = {"max_new_tokens": body.get("max_completion_tokens") or body.get("max_tokens")
                                  or DEFAULT_MAX_NEW_TOKENS, "return_full_text": False, "details": True}
        temperature = body.get("temperature")
        if temperature == 0:
            params["do_sample"] = False  # TGI rejects temperature 0: greedy decoding is the equivalent
        elif temperature is not None:
            params.update(temperature=temperature, do_sample=True)
        if body.get("top_p") is not None and 0 < body["top_p"] < 1:  # TGI accepts 0 < top_p < 1 only
            params["top_p"] = body["top_p"]
        if body.get("stop"):
            params["stop"] = [body["stop"]] if isinstance(body["stop"], str) else list(body["stop"])
        if body.get("seed") is not None:
            params["seed"] = body["seed"]
        return orjson.dumps({"inputs": prompt, "parameters": params, "stream": stream})

    def _request(self, body: dict, stream: bool) -> tuple[Endpoint, bytes, str]:
        target = self.endpoint(body["model"])
        if target.container == "vllm":
            return target, orjson.dumps({**body, "stream": stream}), ""
        refuse_unsupported(body, "TGI endpoints")
        prompt = chat_templates.render(target.template, body["messages"])
        return target, self._tgi_body(body, prompt, stream), prompt

    # --- calls ------------------------------------------------------------------------------------------------------
    async def chat(self, body: dict, credential: str | None) -> dict:
        target, payload, prompt = self._request(body, stream=False)
        async with self.client.post(f"/endpoints/{quote(target.name, safe='')}/invocations", payload,
                                    target.headers({"content-type": _JSON, "accept": _JSON}), stream=False,
                                    bearer=credential) as resp:
            raw = await resp.read()
        try:
            answer = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise not_json(self.name) from None
        if target.container == "vllm":
            return self._openai_answer(answer, body)
        return self._tgi_answer(answer, body, prompt)

    def _openai_answer(self, answer: Any, body: dict) -> dict:
        if not isinstance(answer, dict) or not isinstance(answer.get("choices"), list):
            raise ProviderError(f"Provider '{self.name}' returned no choices")
        if not answer.get("usage"):
            text = "".join((c.get("message") or {}).get("content") or "" for c in answer["choices"])
            answer["usage"] = openai_usage(tokens.count_prompt(body["messages"]), tokens.count_completion(text))
        return answer

    def _tgi_answer(self, answer: Any, body: dict, prompt: str) -> dict:
        first = answer[0] if isinstance(answer, list) and answer else answer
        if not isinstance(first, dict) or not isinstance(first.get("generated_text"), str):
            raise ProviderError(f"Provider '{self.name}' returned no generated_text")
        text, details = first["generated_text"], first.get("details") or {}
        return OpenAIShapes(body["model"]).completion({"role": "assistant", "content": text},
                                                      _TGI_FINISH.get(details.get("finish_reason"), "stop"),
                                                      _tgi_usage(prompt, text, details))

    async def stream_chat(self, body: dict, credential: str | None) -> AsyncIterator[dict]:
        target, payload, prompt = self._request(body, stream=True)
        lines = _Lines()
        parse = self._openai_line if target.container == "vllm" else _TgiStream(body["model"], prompt, self.name).line
        async with self.client.post(f"/endpoints/{quote(target.name, safe='')}/invocations-response-stream",
                                    payload, target.headers({"content-type": _JSON, "x-amzn-sagemaker-accept": _JSON}),
                                    stream=True, bearer=credential) as resp:
            async for event_type, part in self.client.events(resp):
                if event_type != "PayloadPart":
                    continue
                for line in lines.feed(part):
                    for chunk in parse(line):
                        yield chunk
            for line in lines.rest():
                for chunk in parse(line):
                    yield chunk

    def _openai_line(self, line: bytes) -> list[dict]:
        data = _sse_data(line)
        if data is None or data == b"[DONE]":
            return []
        try:
            chunk = orjson.loads(data)
        except orjson.JSONDecodeError:
            raise ProviderError(f"Provider '{self.name}' sent a malformed stream chunk") from None
        if isinstance(chunk, dict) and "error" in chunk:
            raise ProviderError(f"Provider '{self.name}' failed while streaming")
        return [chunk]

    async def embeddings(self, body: dict, credential: str | None) -> dict:
        raise ValidationError("Embeddings are not available for SageMaker models through this gateway",
                              details={"model": ["a SageMaker chat endpoint has no embeddings here"]})

    async def close(self) -> None:
        await self.client.close()


def _tgi_usage(prompt: str, text: str, details: dict) -> dict:
    return openai_usage(tokens.count_text(prompt),
                        int(details.get("generated_tokens") or tokens.count_completion(text)))


class _TgiStream(OpenAIShapes):
    """TGI stream lines -> OpenAI chunks: a role chunk first, one content chunk per non-special token, and at the
    final line (the one with `details`) the finish reason and usage."""

    def __init__(self, model: str, prompt: str, provider: str) -> None:
        super().__init__(model)
        self.prompt, self.provider = prompt, provider
        self.started = False
        self.text = ""

    def line(self, line: bytes) -> list[dict]:
        data = _sse_data(line)
        if data is None:
            return []
        try:
            event = orjson.loads(data)
        except orjson.JSONDecodeError:
            raise ProviderError(f"Provider '{self.provider}' sent a malformed stream line") from None
        if not isinstance(event, dict) or "error" in event:
            raise ProviderError(f"Provider '{self.provider}' failed while streaming")
        out: list[dict] = []
        if not self.started:
            self.started = True
            out.append(self.chunk({"role": "assistant", "content": ""}))
        token = event.get("token") or {}
        if token.get("text") and not token.get("special"):
            self.text += token["text"]
            out.append(self.chunk({"content": token["text"]}))
        details = event.get("details")
        if details:
            out.append(self.chunk({}, finish=_TGI_FINISH.get(details.get("finish_reason"), "stop")))
            out.append(self.chunk(None, usage=_tgi_usage(self.prompt, self.text, details)))
        return out
