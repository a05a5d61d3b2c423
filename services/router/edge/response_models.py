"""Response bodies of the OpenAI surface and of the seed's /api/v2 envelope, for the OpenAPI document only: handlers
render plain dicts (orjson, no second validation on the hot path), and the schema test holds them to these models.
Extra fields are allowed, as providers add their own (Azure's content-filter results, system_fingerprint)."""
from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


# --- OpenAI ----------------------------------------------------------------------------------------------------------
class OpenAIErrorBody(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None
    details: dict[str, list[str]] | None = None


class OpenAIError(BaseModel):
    error: OpenAIErrorBody


class FunctionCallOut(BaseModel):
    name: str | None = None
    arguments: str | None = None


class ToolCallOut(BaseModel):
    id: str | None = None
    type: Literal["function"] | None = None
    function: FunctionCallOut


class AssistantMessage(BaseModel):
    role: Literal["assistant"]
    content: str | None = None
    refusal: str | None = None
    tool_calls: list[ToolCallOut] | None = None
    function_call: FunctionCallOut | None = None


class Choice(BaseModel):
    index: int
    message: AssistantMessage
    finish_reason: str | None = None
    logprobs: dict[str, Any] | None = None


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[Choice]
    usage: Usage


class Embedding(BaseModel):
    object: Literal["embedding"]
    index: int
    embedding: list[float] | str  # floats, or base64 of little-endian float32 when encoding_format is base64


class EmbeddingUsage(BaseModel):
    prompt_tokens: int
    total_tokens: int


class EmbeddingList(BaseModel):
    object: Literal["list"]
    model: str
    data: list[Embedding]
    usage: EmbeddingUsage


class ModelObject(BaseModel):
    id: str
    object: Literal["model"]
    created: int
    owned_by: str
    display_name: str
    description: str
    capabilities: list[str] = Field(description="e.g. chat, streaming, vision, functions, embeddings")


class ModelList(BaseModel):
    object: Literal["list"]
    data: list[ModelObject]


# --- the seed's envelope ----------------------------------------------------------------------------------------------
class Timing(BaseModel):
    duration: float


class PageMeta(BaseModel):
    page: int
    limit: int
    total: int
    hasMore: bool


class Meta(BaseModel):
    requestId: str | None = None
    timing: Timing | None = None
    pagination: PageMeta | None = None


class Envelope(BaseModel, Generic[T]):
    success: Literal[True]
    data: T
    meta: Meta


class EnvelopeErrorBody(BaseModel):
    code: str
    message: str
    details: dict[str, list[str]] | None = None


class EnvelopeError(BaseModel):
    success: Literal[False]
    error: EnvelopeErrorBody
    meta: Meta | None = None


class V2ChatCompletion(ChatCompletion):
    session_id: str | None = None
    phi_mapping_id: str | None = None


class Pagination(BaseModel):
    limit: int
    offset: int
    total: int
    hasMore: bool


class SeedPricing(BaseModel):
    inputTokens: str | None
    outputTokens: str | None
    perImage: str | None
    perMinuteAudio: str | None
    perMinuteVideo: str | None
    per3DModel: str | None
    billedMarkup: str | None


class SeedThermalConfig(BaseModel):
    state: str | None
    minInstances: int
    maxInstances: int
    scaleToZeroAfterMinutes: int
    warmupTimeSeconds: int


class SeedModel(BaseModel):
    id: str
    providerId: str
    name: str
    displayName: str
    description: str | None
    type: str | None
    specialty: str | None
    capabilities: list[str]
    contextWindow: int | None
    maxOutputTokens: int | None
    supportsFunctions: bool
    supportsVision: bool
    supportsStreaming: bool
    hasThinkingMode: bool
    thinkingBudgetTokens: int | None
    pricing: SeedPricing
    thermalState: str | None
    thermalConfig: SeedThermalConfig | None
    status: str | None
    releaseDate: str | None
    deprecationDate: str | None
    createdAt: str | None
    updatedAt: str | None


class SeedModelSummary(BaseModel):
    id: str
    name: str
    displayName: str
    specialty: str | None
    status: str | None
    thermalState: str | None


class SeedProvider(BaseModel):
    id: str
    name: str
    type: str | None
    status: str | None
    hipaaCompliant: bool
    baaAvailable: bool
    baseUrl: str | None
    authType: str | None
    capabilities: list[str]
    createdAt: str | None
    updatedAt: str | None


class ModelsPage(BaseModel):
    models: list[SeedModel]
    pagination: Pagination


class OneModel(BaseModel):
    model: SeedModel


class ProvidersPage(BaseModel):
    providers: list[SeedProvider]
    pagination: Pagination


class OneProvider(BaseModel):
    provider: SeedProvider


class ProviderModels(BaseModel):
    providerId: str
    models: list[SeedModelSummary]


def ok(model: type, description: str = "Success") -> dict:
    """A `responses=` entry documenting a 200 JSON body."""
    return {200: {"model": model, "description": description}}
