"""The seed's GraphQL object types, built from the REST edge's views (services.router.edge.model_views, the session
store's read model, the usage report), so both APIs show the same fields the same way."""
from __future__ import annotations

from typing import Any

import strawberry

from services.router.graphql import enums
from services.router.graphql.enums import (AuthType, MessageRole, ModelSpecialty, ModelStatus, ModelType,
                                           ProviderStatus, ProviderType, ThermalState)
from services.router.graphql.scalars import AWSJSON, AWSDateTime


def _money(value: str | None) -> float | None:
    # The seed's schema types prices as Float; REST keeps the registry's decimal strings.
    return float(value) if value else None


@strawberry.type
class ModelPricing:
    input_tokens: float | None
    output_tokens: float | None
    per_image: float | None
    per_minute_audio: float | None
    per_minute_video: float | None
    per_3d_model: float | None = strawberry.field(name="per3DModel")
    billed_markup: float

    @classmethod
    def from_view(cls, p: dict[str, Any]) -> "ModelPricing":
        return cls(input_tokens=_money(p["inputTokens"]), output_tokens=_money(p["outputTokens"]),
                   per_image=_money(p["perImage"]), per_minute_audio=_money(p["perMinuteAudio"]),
                   per_minute_video=_money(p["perMinuteVideo"]), per_3d_model=_money(p["per3DModel"]),
                   billed_markup=_money(p["billedMarkup"]) or 0.0)


@strawberry.type
class Model:
    id: strawberry.ID
    provider_id: strawberry.ID
    name: str
    display_name: str
    description: str | None
    type: ModelType
    specialty: ModelSpecialty
    capabilities: list[str]
    context_window: int | None
    max_output_tokens: int | None
    supports_functions: bool | None
    supports_vision: bool | None
    supports_streaming: bool | None
    has_thinking_mode: bool | None
    thinking_budget_tokens: int | None
    pricing: ModelPricing
    thermal_state: ThermalState | None
    status: ModelStatus
    release_date: AWSDateTime | None
    deprecation_date: AWSDateTime | None
    created_at: AWSDateTime
    updated_at: AWSDateTime

    @strawberry.field
    async def provider(self, info: strawberry.Info) -> "Provider | None":
        return await info.context.provider(self.provider_id)

    @classmethod
    def from_view(cls, m: dict[str, Any]) -> "Model":
        return cls(id=m["id"], provider_id=m["providerId"], name=m["name"], display_name=m["displayName"],
                   description=m["description"], type=enums.from_view(ModelType, m["type"]) or ModelType.EXTERNAL,
                   specialty=enums.specialty(m["specialty"]), capabilities=m["capabilities"],
                   context_window=m["contextWindow"], max_output_tokens=m["maxOutputTokens"],
                   supports_functions=m["supportsFunctions"], supports_vision=m["supportsVision"],
                   supports_streaming=m["supportsStreaming"], has_thinking_mode=m["hasThinkingMode"],
                   thinking_budget_tokens=m["thinkingBudgetTokens"], pricing=ModelPricing.from_view(m["pricing"]),
                   thermal_state=enums.from_view(ThermalState, m["thermalState"]),
                   status=enums.from_view(ModelStatus, m["status"]) or ModelStatus.INACTIVE,
                   release_date=m["releaseDate"], deprecation_date=m["deprecationDate"],
                   created_at=m["createdAt"] or "", updated_at=m["updatedAt"] or "")


@strawberry.type
class Provider:
    id: strawberry.ID
    name: str
    type: ProviderType
    status: ProviderStatus
    hipaa_compliant: bool
    baa_available: bool
    base_url: str | None
    auth_type: AuthType
    capabilities: list[str]
    created_at: AWSDateTime
    updated_at: AWSDateTime

    @strawberry.field(description="The provider's active models the caller's tenant may use")
    async def models(self, info: strawberry.Info) -> list[Model] | None:
        return await info.context.provider_models(self.id)

    @classmethod
    def from_view(cls, p: dict[str, Any]) -> "Provider":
        return cls(id=p["id"], name=p["name"], type=enums.from_view(ProviderType, p["type"]) or ProviderType.EXTERNAL,
                   status=enums.from_view(ProviderStatus, p["status"]) or ProviderStatus.INACTIVE,
                   hipaa_compliant=p["hipaaCompliant"], baa_available=p["baaAvailable"], base_url=p["baseUrl"],
                   auth_type=enums.from_view(AuthType, p["authType"]) or AuthType.NONE,
                   capabilities=p["capabilities"], created_at=p["createdAt"] or "", updated_at=p["updatedAt"] or "")


@strawberry.type
class ModelConnection:
    items: list[Model]
    next_token: str | None
    total_count: int | None


@strawberry.type
class ProviderConnection:
    items: list[Provider]
    next_token: str | None
    total_count: int | None


@strawberry.type
class Message:
    role: MessageRole
    content: str
    name: str | None = None

    @classmethod
    def from_view(cls, m: dict[str, Any]) -> "Message":
        return cls(role=enums.message_role(m.get("role") or "assistant"), content=m.get("content") or "",
                   name=m.get("name"))


@strawberry.type
class TokenUsage:
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


@strawberry.type
class ChatResponse:
    id: strawberry.ID
    session_id: strawberry.ID
    model: str
    message: Message
    usage: TokenUsage
    finish_reason: str | None
    created_at: AWSDateTime


@strawberry.type
class ChatStreamResponse:
    id: strawberry.ID
    session_id: strawberry.ID
    delta: str | None
    finish_reason: str | None


@strawberry.type
class Session:
    id: strawberry.ID
    user_id: strawberry.ID
    tenant_id: strawberry.ID
    title: str | None
    model: str
    metadata: AWSJSON | None
    created_at: AWSDateTime
    updated_at: AWSDateTime
    _messages: strawberry.Private[list[dict] | None] = None

    @strawberry.field
    async def messages(self, info: strawberry.Info) -> list[Message]:
        # Listings carry no messages; read the session only when they are asked for.
        rows = self._messages if self._messages is not None else (await info.context.session(self.id))["messages"]
        return [Message.from_view(m) for m in rows or ()]

    @classmethod
    def from_view(cls, s: dict[str, Any]) -> "Session":
        title = s.get("title")
        return cls(id=s["id"], user_id=s["userId"], tenant_id=s["tenantId"],
                   title=title if isinstance(title, str) else None, model=s["model"], metadata=s.get("metadata"),
                   created_at=s["createdAt"], updated_at=s["updatedAt"], _messages=s.get("messages"))


@strawberry.type
class SessionConnection:
    items: list[Session]
    next_token: str | None
    total_count: int | None


@strawberry.type
class UsageBreakdown:
    provider_id: strawberry.ID
    model_id: strawberry.ID
    requests: int
    input_tokens: int
    output_tokens: int
    cost: float
    billed: float


@strawberry.type
class UsageReport:
    tenant_id: strawberry.ID
    period: str
    total_cost: float
    total_billed: float
    breakdown: list[UsageBreakdown]

    @classmethod
    def from_view(cls, u: dict[str, Any]) -> "UsageReport":
        return cls(tenant_id=u["tenantId"], period=u["period"], total_cost=float(u["totalCost"] or 0),
                   total_billed=float(u["totalBilled"] or 0), breakdown=[UsageBreakdown(
                       provider_id=b["providerId"], model_id=b["modelId"], requests=b["requests"],
                       input_tokens=b["inputTokens"], output_tokens=b["outputTokens"], cost=float(b["cost"] or 0),
                       billed=float(b["billed"] or 0)) for b in u["breakdown"]])
