"""The seed's GraphQL input types."""
from __future__ import annotations

import strawberry

from services.router.graphql.enums import MessageRole, ModelStatus, ProviderStatus, ThermalState
from services.router.graphql.scalars import AWSJSON


@strawberry.input
class ImageInput:
    url: str | None = None
    base64: str | None = None
    media_type: str | None = None


@strawberry.input
class MessageInput:
    role: MessageRole
    content: str
    name: str | None = None
    images: list[ImageInput] | None = None


@strawberry.input
class ChatInput:
    session_id: strawberry.ID | None = None
    model: str
    messages: list[MessageInput]
    max_tokens: int | None = None
    temperature: float | None = None
    stream: bool | None = None
    enable_phi: bool | None = strawberry.field(default=None, name="enablePHI")
    phi_categories: list[str] | None = None


@strawberry.input
class CreateSessionInput:
    title: str | None = None
    model: str
    metadata: AWSJSON | None = None


@strawberry.input
class UpdateSessionInput:
    id: strawberry.ID
    title: str | None = strawberry.UNSET
    metadata: AWSJSON | None = strawberry.UNSET


@strawberry.input
class UpdateProviderInput:
    id: strawberry.ID
    status: ProviderStatus | None = None
    hipaa_compliant: bool | None = None


@strawberry.input
class UpdateModelInput:
    id: strawberry.ID
    status: ModelStatus | None = None
    thermal_state: ThermalState | None = None
    display_name: str | None = None
    description: str | None = None
