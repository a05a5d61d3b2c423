import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from radiant.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ProviderType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROVIDER_TYPE_UNSPECIFIED: _ClassVar[ProviderType]
    PROVIDER_TYPE_EXTERNAL: _ClassVar[ProviderType]
    PROVIDER_TYPE_SELF_HOSTED: _ClassVar[ProviderType]
    PROVIDER_TYPE_MID_TIER: _ClassVar[ProviderType]

class ApiFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    API_FORMAT_UNSPECIFIED: _ClassVar[ApiFormat]
    API_FORMAT_OPENAI: _ClassVar[ApiFormat]
    API_FORMAT_ANTHROPIC: _ClassVar[ApiFormat]
    API_FORMAT_AZURE_OPENAI: _ClassVar[ApiFormat]
    API_FORMAT_BEDROCK: _ClassVar[ApiFormat]
    API_FORMAT_SAGEMAKER: _ClassVar[ApiFormat]

class Status(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STATUS_UNSPECIFIED: _ClassVar[Status]
    STATUS_ACTIVE: _ClassVar[Status]
    STATUS_INACTIVE: _ClassVar[Status]
    STATUS_DEPRECATED: _ClassVar[Status]
    STATUS_COMING_SOON: _ClassVar[Status]

class AuthType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AUTH_TYPE_UNSPECIFIED: _ClassVar[AuthType]
    AUTH_TYPE_API_KEY: _ClassVar[AuthType]
    AUTH_TYPE_OAUTH: _ClassVar[AuthType]
    AUTH_TYPE_IAM: _ClassVar[AuthType]
    AUTH_TYPE_NONE: _ClassVar[AuthType]

class ThermalState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    THERMAL_STATE_UNSPECIFIED: _ClassVar[ThermalState]
    THERMAL_STATE_OFF: _ClassVar[ThermalState]
    THERMAL_STATE_COLD: _ClassVar[ThermalState]
    THERMAL_STATE_WARM: _ClassVar[ThermalState]
    THERMAL_STATE_HOT: _ClassVar[ThermalState]
    THERMAL_STATE_AUTOMATIC: _ClassVar[ThermalState]

class DeploymentKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEPLOYMENT_KIND_UNSPECIFIED: _ClassVar[DeploymentKind]
    DEPLOYMENT_KIND_NONE: _ClassVar[DeploymentKind]
    DEPLOYMENT_KIND_KUBERNETES: _ClassVar[DeploymentKind]
    DEPLOYMENT_KIND_SAGEMAKER: _ClassVar[DeploymentKind]
    DEPLOYMENT_KIND_LOCAL: _ClassVar[DeploymentKind]
PROVIDER_TYPE_UNSPECIFIED: ProviderType
PROVIDER_TYPE_EXTERNAL: ProviderType
PROVIDER_TYPE_SELF_HOSTED: ProviderType
PROVIDER_TYPE_MID_TIER: ProviderType
API_FORMAT_UNSPECIFIED: ApiFormat
API_FORMAT_OPENAI: ApiFormat
API_FORMAT_ANTHROPIC: ApiFormat
API_FORMAT_AZURE_OPENAI: ApiFormat
API_FORMAT_BEDROCK: ApiFormat
API_FORMAT_SAGEMAKER: ApiFormat
STATUS_UNSPECIFIED: Status
STATUS_ACTIVE: Status
STATUS_INACTIVE: Status
STATUS_DEPRECATED: Status
STATUS_COMING_SOON: Status
AUTH_TYPE_UNSPECIFIED: AuthType
AUTH_TYPE_API_KEY: AuthType
AUTH_TYPE_OAUTH: AuthType
AUTH_TYPE_IAM: AuthType
AUTH_TYPE_NONE: AuthType
THERMAL_STATE_UNSPECIFIED: ThermalState
THERMAL_STATE_OFF: ThermalState
THERMAL_STATE_COLD: ThermalState
THERMAL_STATE_WARM: ThermalState
THERMAL_STATE_HOT: ThermalState
THERMAL_STATE_AUTOMATIC: ThermalState
DEPLOYMENT_KIND_UNSPECIFIED: DeploymentKind
DEPLOYMENT_KIND_NONE: DeploymentKind
DEPLOYMENT_KIND_KUBERNETES: DeploymentKind
DEPLOYMENT_KIND_SAGEMAKER: DeploymentKind
DEPLOYMENT_KIND_LOCAL: DeploymentKind

class Provider(_message.Message):
    __slots__ = ("id", "name", "type", "status", "hipaa_compliant", "baa_available", "base_url", "auth_type", "capabilities", "config", "api_format", "credential_ref", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HIPAA_COMPLIANT_FIELD_NUMBER: _ClassVar[int]
    BAA_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    AUTH_TYPE_FIELD_NUMBER: _ClassVar[int]
    CAPABILITIES_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    API_FORMAT_FIELD_NUMBER: _ClassVar[int]
    CREDENTIAL_REF_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    type: ProviderType
    status: Status
    hipaa_compliant: bool
    baa_available: bool
    base_url: str
    auth_type: AuthType
    capabilities: _containers.RepeatedScalarFieldContainer[str]
    config: _struct_pb2.Struct
    api_format: ApiFormat
    credential_ref: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[_Union[ProviderType, str]] = ..., status: _Optional[_Union[Status, str]] = ..., hipaa_compliant: _Optional[bool] = ..., baa_available: _Optional[bool] = ..., base_url: _Optional[str] = ..., auth_type: _Optional[_Union[AuthType, str]] = ..., capabilities: _Optional[_Iterable[str]] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., api_format: _Optional[_Union[ApiFormat, str]] = ..., credential_ref: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ModelPricing(_message.Message):
    __slots__ = ("input_per_million", "output_per_million", "per_image", "per_minute_audio", "per_minute_video", "per_3d_model", "billed_markup")
    INPUT_PER_MILLION_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_PER_MILLION_FIELD_NUMBER: _ClassVar[int]
    PER_IMAGE_FIELD_NUMBER: _ClassVar[int]
    PER_MINUTE_AUDIO_FIELD_NUMBER: _ClassVar[int]
    PER_MINUTE_VIDEO_FIELD_NUMBER: _ClassVar[int]
    PER_3D_MODEL_FIELD_NUMBER: _ClassVar[int]
    BILLED_MARKUP_FIELD_NUMBER: _ClassVar[int]
    input_per_million: str
    output_per_million: str
    per_image: str
    per_minute_audio: str
    per_minute_video: str
    per_3d_model: str
    billed_markup: str
    def __init__(self, input_per_million: _Optional[str] = ..., output_per_million: _Optional[str] = ..., per_image: _Optional[str] = ..., per_minute_audio: _Optional[str] = ..., per_minute_video: _Optional[str] = ..., per_3d_model: _Optional[str] = ..., billed_markup: _Optional[str] = ...) -> None: ...

class ThermalConfig(_message.Message):
    __slots__ = ("state", "min_instances", "max_instances", "scale_to_zero_after_minutes", "warmup_time_seconds", "target_in_flight_per_replica")
    STATE_FIELD_NUMBER: _ClassVar[int]
    MIN_INSTANCES_FIELD_NUMBER: _ClassVar[int]
    MAX_INSTANCES_FIELD_NUMBER: _ClassVar[int]
    SCALE_TO_ZERO_AFTER_MINUTES_FIELD_NUMBER: _ClassVar[int]
    WARMUP_TIME_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TARGET_IN_FLIGHT_PER_REPLICA_FIELD_NUMBER: _ClassVar[int]
    state: ThermalState
    min_instances: int
    max_instances: int
    scale_to_zero_after_minutes: int
    warmup_time_seconds: int
    target_in_flight_per_replica: int
    def __init__(self, state: _Optional[_Union[ThermalState, str]] = ..., min_instances: _Optional[int] = ..., max_instances: _Optional[int] = ..., scale_to_zero_after_minutes: _Optional[int] = ..., warmup_time_seconds: _Optional[int] = ..., target_in_flight_per_replica: _Optional[int] = ...) -> None: ...

class DeploymentTarget(_message.Message):
    __slots__ = ("kind", "name", "namespace", "instance_type", "inference_component")
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_TYPE_FIELD_NUMBER: _ClassVar[int]
    INFERENCE_COMPONENT_FIELD_NUMBER: _ClassVar[int]
    kind: DeploymentKind
    name: str
    namespace: str
    instance_type: str
    inference_component: str
    def __init__(self, kind: _Optional[_Union[DeploymentKind, str]] = ..., name: _Optional[str] = ..., namespace: _Optional[str] = ..., instance_type: _Optional[str] = ..., inference_component: _Optional[str] = ...) -> None: ...

class ObservedState(_message.Message):
    __slots__ = ("ready_replicas", "desired_replicas", "phase", "message", "observed_at")
    READY_REPLICAS_FIELD_NUMBER: _ClassVar[int]
    DESIRED_REPLICAS_FIELD_NUMBER: _ClassVar[int]
    PHASE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    OBSERVED_AT_FIELD_NUMBER: _ClassVar[int]
    ready_replicas: int
    desired_replicas: int
    phase: str
    message: str
    observed_at: _timestamp_pb2.Timestamp
    def __init__(self, ready_replicas: _Optional[int] = ..., desired_replicas: _Optional[int] = ..., phase: _Optional[str] = ..., message: _Optional[str] = ..., observed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Model(_message.Message):
    __slots__ = ("id", "provider_id", "name", "display_name", "description", "type", "specialty", "capabilities", "context_window", "max_output_tokens", "supports_functions", "supports_vision", "supports_streaming", "has_thinking_mode", "thinking_budget_tokens", "pricing", "thermal_state", "thermal_config", "status", "release_date", "deprecation_date", "upstream_model", "deployment", "observed", "created_at", "updated_at", "fallback_models", "warmup_requested_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    SPECIALTY_FIELD_NUMBER: _ClassVar[int]
    CAPABILITIES_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_WINDOW_FIELD_NUMBER: _ClassVar[int]
    MAX_OUTPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    SUPPORTS_FUNCTIONS_FIELD_NUMBER: _ClassVar[int]
    SUPPORTS_VISION_FIELD_NUMBER: _ClassVar[int]
    SUPPORTS_STREAMING_FIELD_NUMBER: _ClassVar[int]
    HAS_THINKING_MODE_FIELD_NUMBER: _ClassVar[int]
    THINKING_BUDGET_TOKENS_FIELD_NUMBER: _ClassVar[int]
    PRICING_FIELD_NUMBER: _ClassVar[int]
    THERMAL_STATE_FIELD_NUMBER: _ClassVar[int]
    THERMAL_CONFIG_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RELEASE_DATE_FIELD_NUMBER: _ClassVar[int]
    DEPRECATION_DATE_FIELD_NUMBER: _ClassVar[int]
    UPSTREAM_MODEL_FIELD_NUMBER: _ClassVar[int]
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    OBSERVED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_MODELS_FIELD_NUMBER: _ClassVar[int]
    WARMUP_REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    provider_id: str
    name: str
    display_name: str
    description: str
    type: ProviderType
    specialty: str
    capabilities: _containers.RepeatedScalarFieldContainer[str]
    context_window: int
    max_output_tokens: int
    supports_functions: bool
    supports_vision: bool
    supports_streaming: bool
    has_thinking_mode: bool
    thinking_budget_tokens: int
    pricing: ModelPricing
    thermal_state: ThermalState
    thermal_config: ThermalConfig
    status: Status
    release_date: str
    deprecation_date: str
    upstream_model: str
    deployment: DeploymentTarget
    observed: ObservedState
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    fallback_models: _containers.RepeatedScalarFieldContainer[str]
    warmup_requested_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., provider_id: _Optional[str] = ..., name: _Optional[str] = ..., display_name: _Optional[str] = ..., description: _Optional[str] = ..., type: _Optional[_Union[ProviderType, str]] = ..., specialty: _Optional[str] = ..., capabilities: _Optional[_Iterable[str]] = ..., context_window: _Optional[int] = ..., max_output_tokens: _Optional[int] = ..., supports_functions: _Optional[bool] = ..., supports_vision: _Optional[bool] = ..., supports_streaming: _Optional[bool] = ..., has_thinking_mode: _Optional[bool] = ..., thinking_budget_tokens: _Optional[int] = ..., pricing: _Optional[_Union[ModelPricing, _Mapping]] = ..., thermal_state: _Optional[_Union[ThermalState, str]] = ..., thermal_config: _Optional[_Union[ThermalConfig, _Mapping]] = ..., status: _Optional[_Union[Status, str]] = ..., release_date: _Optional[str] = ..., deprecation_date: _Optional[str] = ..., upstream_model: _Optional[str] = ..., deployment: _Optional[_Union[DeploymentTarget, _Mapping]] = ..., observed: _Optional[_Union[ObservedState, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., fallback_models: _Optional[_Iterable[str]] = ..., warmup_requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListProvidersRequest(_message.Message):
    __slots__ = ("page", "type", "status", "hipaa_compliant")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HIPAA_COMPLIANT_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    type: ProviderType
    status: Status
    hipaa_compliant: bool
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., type: _Optional[_Union[ProviderType, str]] = ..., status: _Optional[_Union[Status, str]] = ..., hipaa_compliant: _Optional[bool] = ...) -> None: ...

class ListProvidersResponse(_message.Message):
    __slots__ = ("providers", "page")
    PROVIDERS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    providers: _containers.RepeatedCompositeFieldContainer[Provider]
    page: _common_pb2.PageResponse
    def __init__(self, providers: _Optional[_Iterable[_Union[Provider, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class GetProviderRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class UpdateProviderRequest(_message.Message):
    __slots__ = ("id", "status", "hipaa_compliant", "config", "base_url", "credential_ref", "baa_available")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HIPAA_COMPLIANT_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    CREDENTIAL_REF_FIELD_NUMBER: _ClassVar[int]
    BAA_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: Status
    hipaa_compliant: bool
    config: _struct_pb2.Struct
    base_url: str
    credential_ref: str
    baa_available: bool
    def __init__(self, id: _Optional[str] = ..., status: _Optional[_Union[Status, str]] = ..., hipaa_compliant: _Optional[bool] = ..., config: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., base_url: _Optional[str] = ..., credential_ref: _Optional[str] = ..., baa_available: _Optional[bool] = ...) -> None: ...

class CreateProviderRequest(_message.Message):
    __slots__ = ("provider",)
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    provider: Provider
    def __init__(self, provider: _Optional[_Union[Provider, _Mapping]] = ...) -> None: ...

class DeleteProviderRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteProviderResponse(_message.Message):
    __slots__ = ("provider", "removed")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    REMOVED_FIELD_NUMBER: _ClassVar[int]
    provider: Provider
    removed: bool
    def __init__(self, provider: _Optional[_Union[Provider, _Mapping]] = ..., removed: _Optional[bool] = ...) -> None: ...

class CreateModelRequest(_message.Message):
    __slots__ = ("model",)
    MODEL_FIELD_NUMBER: _ClassVar[int]
    model: Model
    def __init__(self, model: _Optional[_Union[Model, _Mapping]] = ...) -> None: ...

class DeleteModelRequest(_message.Message):
    __slots__ = ("id", "in_use")
    ID_FIELD_NUMBER: _ClassVar[int]
    IN_USE_FIELD_NUMBER: _ClassVar[int]
    id: str
    in_use: bool
    def __init__(self, id: _Optional[str] = ..., in_use: _Optional[bool] = ...) -> None: ...

class DeleteModelResponse(_message.Message):
    __slots__ = ("model", "removed")
    MODEL_FIELD_NUMBER: _ClassVar[int]
    REMOVED_FIELD_NUMBER: _ClassVar[int]
    model: Model
    removed: bool
    def __init__(self, model: _Optional[_Union[Model, _Mapping]] = ..., removed: _Optional[bool] = ...) -> None: ...

class ListModelsRequest(_message.Message):
    __slots__ = ("page", "provider_id", "specialty", "status", "type", "supports_vision", "supports_streaming", "thermal_state")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    SPECIALTY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    SUPPORTS_VISION_FIELD_NUMBER: _ClassVar[int]
    SUPPORTS_STREAMING_FIELD_NUMBER: _ClassVar[int]
    THERMAL_STATE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    provider_id: str
    specialty: str
    status: Status
    type: ProviderType
    supports_vision: bool
    supports_streaming: bool
    thermal_state: ThermalState
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ..., provider_id: _Optional[str] = ..., specialty: _Optional[str] = ..., status: _Optional[_Union[Status, str]] = ..., type: _Optional[_Union[ProviderType, str]] = ..., supports_vision: _Optional[bool] = ..., supports_streaming: _Optional[bool] = ..., thermal_state: _Optional[_Union[ThermalState, str]] = ...) -> None: ...

class ListModelsResponse(_message.Message):
    __slots__ = ("models", "page")
    MODELS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    models: _containers.RepeatedCompositeFieldContainer[Model]
    page: _common_pb2.PageResponse
    def __init__(self, models: _Optional[_Iterable[_Union[Model, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class GetModelRequest(_message.Message):
    __slots__ = ("id", "name")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class UpdateModelRequest(_message.Message):
    __slots__ = ("id", "status", "thermal_state", "thermal_config", "display_name", "description", "pricing", "fallback_models", "upstream_model", "context_window", "max_output_tokens", "deprecation_date")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    THERMAL_STATE_FIELD_NUMBER: _ClassVar[int]
    THERMAL_CONFIG_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    PRICING_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_MODELS_FIELD_NUMBER: _ClassVar[int]
    UPSTREAM_MODEL_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_WINDOW_FIELD_NUMBER: _ClassVar[int]
    MAX_OUTPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    DEPRECATION_DATE_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: Status
    thermal_state: ThermalState
    thermal_config: ThermalConfig
    display_name: str
    description: str
    pricing: ModelPricing
    fallback_models: FallbackModels
    upstream_model: str
    context_window: int
    max_output_tokens: int
    deprecation_date: str
    def __init__(self, id: _Optional[str] = ..., status: _Optional[_Union[Status, str]] = ..., thermal_state: _Optional[_Union[ThermalState, str]] = ..., thermal_config: _Optional[_Union[ThermalConfig, _Mapping]] = ..., display_name: _Optional[str] = ..., description: _Optional[str] = ..., pricing: _Optional[_Union[ModelPricing, _Mapping]] = ..., fallback_models: _Optional[_Union[FallbackModels, _Mapping]] = ..., upstream_model: _Optional[str] = ..., context_window: _Optional[int] = ..., max_output_tokens: _Optional[int] = ..., deprecation_date: _Optional[str] = ...) -> None: ...

class FallbackModels(_message.Message):
    __slots__ = ("names",)
    NAMES_FIELD_NUMBER: _ClassVar[int]
    names: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, names: _Optional[_Iterable[str]] = ...) -> None: ...

class RequestWarmupRequest(_message.Message):
    __slots__ = ("model_id",)
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    def __init__(self, model_id: _Optional[str] = ...) -> None: ...

class ReportObservedStateRequest(_message.Message):
    __slots__ = ("model_id", "observed")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    OBSERVED_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    observed: ObservedState
    def __init__(self, model_id: _Optional[str] = ..., observed: _Optional[_Union[ObservedState, _Mapping]] = ...) -> None: ...

class WatchRequest(_message.Message):
    __slots__ = ("include_snapshot",)
    INCLUDE_SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    include_snapshot: bool
    def __init__(self, include_snapshot: _Optional[bool] = ...) -> None: ...

class ChangeEvent(_message.Message):
    __slots__ = ("kind", "model", "provider", "revision")
    class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        KIND_UNSPECIFIED: _ClassVar[ChangeEvent.Kind]
        KIND_SNAPSHOT: _ClassVar[ChangeEvent.Kind]
        KIND_UPSERT: _ClassVar[ChangeEvent.Kind]
        KIND_DELETE: _ClassVar[ChangeEvent.Kind]
        KIND_SNAPSHOT_END: _ClassVar[ChangeEvent.Kind]
    KIND_UNSPECIFIED: ChangeEvent.Kind
    KIND_SNAPSHOT: ChangeEvent.Kind
    KIND_UPSERT: ChangeEvent.Kind
    KIND_DELETE: ChangeEvent.Kind
    KIND_SNAPSHOT_END: ChangeEvent.Kind
    KIND_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    kind: ChangeEvent.Kind
    model: Model
    provider: Provider
    revision: int
    def __init__(self, kind: _Optional[_Union[ChangeEvent.Kind, str]] = ..., model: _Optional[_Union[Model, _Mapping]] = ..., provider: _Optional[_Union[Provider, _Mapping]] = ..., revision: _Optional[int] = ...) -> None: ...
