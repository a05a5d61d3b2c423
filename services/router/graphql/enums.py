"""The seed's GraphQL enums and their mapping to the REST views' strings (services.registry.enums spells those)."""
from __future__ import annotations

from enum import Enum
from typing import TypeVar

import strawberry

E = TypeVar("E", bound=Enum)


@strawberry.enum
class ModelType(Enum):
    EXTERNAL = "EXTERNAL"
    SELF_HOSTED = "SELF_HOSTED"


@strawberry.enum
class ModelSpecialty(Enum):
    TEXT_GENERATION = "TEXT_GENERATION"
    TEXT_REASONING = "TEXT_REASONING"
    IMAGE_UNDERSTANDING = "IMAGE_UNDERSTANDING"
    IMAGE_GENERATION = "IMAGE_GENERATION"
    VIDEO_GENERATION = "VIDEO_GENERATION"
    AUDIO_TRANSCRIPTION = "AUDIO_TRANSCRIPTION"
    AUDIO_GENERATION = "AUDIO_GENERATION"
    TEXT_TO_SPEECH = "TEXT_TO_SPEECH"
    CODE_GENERATION = "CODE_GENERATION"
    EMBEDDINGS = "EMBEDDINGS"
    THREE_D_GENERATION = "THREE_D_GENERATION"
    COMPUTER_VISION = "COMPUTER_VISION"
    SCIENTIFIC = "SCIENTIFIC"
    MEDICAL = "MEDICAL"
    GEOSPATIAL = "GEOSPATIAL"


@strawberry.enum
class ModelStatus(Enum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    DEPRECATED = "DEPRECATED"
    COMING_SOON = "COMING_SOON"


@strawberry.enum
class ThermalState(Enum):
    OFF = "OFF"
    COLD = "COLD"
    WARM = "WARM"
    HOT = "HOT"
    AUTOMATIC = "AUTOMATIC"


@strawberry.enum
class ProviderType(Enum):
    EXTERNAL = "EXTERNAL"
    SELF_HOSTED = "SELF_HOSTED"
    MID_TIER = "MID_TIER"


@strawberry.enum
class ProviderStatus(Enum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    DEPRECATED = "DEPRECATED"


@strawberry.enum
class AuthType(Enum):
    API_KEY = "API_KEY"
    OAUTH = "OAUTH"
    IAM = "IAM"
    NONE = "NONE"


@strawberry.enum
class MessageRole(Enum):
    system = "system"
    user = "user"
    assistant = "assistant"
    function = "function"


# The registry's specialty is free text; the seed catalogue's own words for two of the enum's values.
_SPECIALTY_WORDS = {"general": ModelSpecialty.TEXT_GENERATION, "coding": ModelSpecialty.CODE_GENERATION,
                    "code": ModelSpecialty.CODE_GENERATION, "reasoning": ModelSpecialty.TEXT_REASONING,
                    "embedding": ModelSpecialty.EMBEDDINGS, "vision": ModelSpecialty.IMAGE_UNDERSTANDING}
_REGISTRY_SPECIALTY = {ModelSpecialty.TEXT_GENERATION: "general", ModelSpecialty.CODE_GENERATION: "coding"}


def from_view(enum: type[E], value: str | None) -> E | None:
    """A REST view's string ("self-hosted", "coming_soon", "OFF") as the GraphQL enum value."""
    if not value:
        return None
    return enum[value.upper().replace("-", "_")]


def to_view(value: Enum | None) -> str | None:
    """The GraphQL enum value as the REST views' string (the inverse of from_view)."""
    if value is None:
        return None
    return value.value if isinstance(value, ThermalState) else value.value.lower()


def to_registry_type(value: Enum | None) -> str | None:
    return to_view(value).replace("_", "-") if value is not None else None


def specialty(value: str | None) -> ModelSpecialty:
    """Unknown free-text specialties read as TEXT_GENERATION, the seed's default for a chat model."""
    word = (value or "").strip().lower()
    if word in _SPECIALTY_WORDS:
        return _SPECIALTY_WORDS[word]
    try:
        return ModelSpecialty[word.upper()]
    except KeyError:
        return ModelSpecialty.TEXT_GENERATION


def registry_specialty(value: ModelSpecialty) -> str:
    return _REGISTRY_SPECIALTY.get(value, value.value.lower())


def message_role(role: str) -> MessageRole:
    """Tool results are the seed's `function` messages."""
    return MessageRole.function if role == "tool" else MessageRole(role) if role in MessageRole.__members__ \
        else MessageRole.assistant
