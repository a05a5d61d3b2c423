"""Request body of `POST /v1/messages` (Anthropic Messages API), validated before translation.

Unknown top-level parameters are ignored rather than forwarded (anything sent upstream must pass the PHI filter);
content blocks this gateway cannot translate (documents, server tools) are refused with a 400 naming them."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.router.formats.anthropic import IMAGE_MEDIA_TYPES
from services.router.formats.openai_schemas import NAME_PATTERN, check_base64_image


class _Block(BaseModel):
    # cache_control, citations and similar annotations are accepted and not forwarded.
    model_config = ConfigDict(extra="ignore")


class TextBlock(_Block):
    type: Literal["text"]
    text: str


class Base64Source(_Block):
    type: Literal["base64"]
    media_type: Literal[IMAGE_MEDIA_TYPES]  # type: ignore[valid-type]
    data: str = Field(min_length=1)

    _data = field_validator("data")(lambda v: check_base64_image(v))


class UrlSource(_Block):
    type: Literal["url"]
    url: str = Field(pattern=r"^https?://", max_length=8192)


class ImageBlock(_Block):
    type: Literal["image"]
    source: Annotated[Base64Source | UrlSource, Field(discriminator="type")]


class ToolUseBlock(_Block):
    type: Literal["tool_use"]
    id: str = Field(min_length=1, max_length=256)
    name: str = Field(min_length=1, max_length=128)
    input: dict[str, Any]


class ToolResultBlock(_Block):
    type: Literal["tool_result"]
    tool_use_id: str = Field(min_length=1, max_length=256)
    content: str | list[TextBlock] | None = None
    is_error: bool | None = None


class ThinkingBlock(_Block):
    type: Literal["thinking"]
    thinking: str
    signature: str | None = None


class RedactedThinkingBlock(_Block):
    type: Literal["redacted_thinking"]
    data: str


ContentBlock = Annotated[TextBlock | ImageBlock | ToolUseBlock | ToolResultBlock | ThinkingBlock
                         | RedactedThinkingBlock, Field(discriminator="type")]
_ONLY_IN = {"tool_result": "user", "image": "user", "tool_use": "assistant", "thinking": "assistant",
            "redacted_thinking": "assistant"}


class MessageParam(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str | Annotated[list[ContentBlock], Field(min_length=1)]

    @model_validator(mode="after")
    def _blocks_fit_role(self) -> "MessageParam":
        for block in self.content if isinstance(self.content, list) else ():
            allowed = _ONLY_IN.get(block.type)
            if allowed and allowed != self.role:
                raise ValueError(f"'{block.type}' blocks are only allowed in {allowed} messages")
        return self


class Tool(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: Literal["custom"] | None = None
    # The gateway's limit for any provider (OpenAI's 64 characters; Anthropic's own is 128).
    name: str = Field(pattern=NAME_PATTERN)
    description: str | None = None
    input_schema: dict[str, Any]

    @field_validator("input_schema")
    @classmethod
    def _object_schema(cls, v: dict[str, Any]) -> dict[str, Any]:
        if v.get("type") != "object":
            raise ValueError("input_schema must be a JSON Schema with type 'object'")
        return v


class ToolChoice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["auto", "any", "tool", "none"]
    name: str | None = None
    disable_parallel_tool_use: bool | None = None

    @model_validator(mode="after")
    def _name_iff_tool(self) -> "ToolChoice":
        if (self.type == "tool") != (self.name is not None):
            raise ValueError("'name' is required when type is 'tool' and not allowed otherwise")
        return self


class Metadata(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: str | None = Field(None, max_length=256)


class MessagesRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    model: str = Field(min_length=1, max_length=256)
    messages: list[MessageParam] = Field(min_length=1, max_length=2048)
    max_tokens: int = Field(ge=1, le=128_000)
    system: str | list[TextBlock] | None = None
    metadata: Metadata | None = None
    stop_sequences: list[str] | None = Field(None, max_length=16)
    stream: bool = False
    temperature: float | None = Field(None, ge=0, le=1)
    top_p: float | None = Field(None, ge=0, le=1)
    top_k: int | None = Field(None, ge=0)
    tools: list[Tool] | None = Field(None, max_length=128)
    tool_choice: ToolChoice | None = None
    # Radiant extensions (as on /v1/chat/completions); SDKs send them with extra_body.
    session_id: str | None = Field(None, max_length=128)
    enable_phi: bool | None = None
    phi_categories: list[str] | None = Field(None, max_length=64)


class CountTokensRequest(MessagesRequest):
    """`POST /v1/messages/count_tokens`: the same body, max_tokens not needed."""
    max_tokens: int | None = Field(None, ge=1, le=128_000)


class CountTokensResponse(BaseModel):
    input_tokens: int


# --- responses (documented in the OpenAPI document; the route renders them with formats.anthropic) --------------

class ResponseTextBlock(BaseModel):
    type: Literal["text"]
    text: str


class ResponseToolUseBlock(BaseModel):
    type: Literal["tool_use"]
    id: str
    name: str
    input: dict[str, Any]


class Usage(BaseModel):
    input_tokens: int
    output_tokens: int


class MessageResponse(BaseModel):
    id: str
    type: Literal["message"]
    role: Literal["assistant"]
    model: str
    content: list[Annotated[ResponseTextBlock | ResponseToolUseBlock, Field(discriminator="type")]]
    stop_reason: Literal["end_turn", "max_tokens", "stop_sequence", "tool_use", "refusal"] | None
    stop_sequence: str | None
    usage: Usage


class ErrorDetail(BaseModel):
    type: str
    message: str


class ErrorResponse(BaseModel):
    type: Literal["error"]
    error: ErrorDetail
