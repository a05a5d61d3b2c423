import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PhiMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PHI_MODE_UNSPECIFIED: _ClassVar[PhiMode]
    PHI_MODE_AUTO: _ClassVar[PhiMode]
    PHI_MODE_MANUAL: _ClassVar[PhiMode]
    PHI_MODE_DISABLED: _ClassVar[PhiMode]

class SecretsAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SECRETS_ACTION_UNSPECIFIED: _ClassVar[SecretsAction]
    SECRETS_ACTION_REDACT: _ClassVar[SecretsAction]
    SECRETS_ACTION_REJECT: _ClassVar[SecretsAction]

class InjectionAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INJECTION_ACTION_UNSPECIFIED: _ClassVar[InjectionAction]
    INJECTION_ACTION_OFF: _ClassVar[InjectionAction]
    INJECTION_ACTION_FLAG: _ClassVar[InjectionAction]
    INJECTION_ACTION_BLOCK: _ClassVar[InjectionAction]

class PiiAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PII_ACTION_UNSPECIFIED: _ClassVar[PiiAction]
    PII_ACTION_REDACT: _ClassVar[PiiAction]
    PII_ACTION_BLOCK: _ClassVar[PiiAction]
PHI_MODE_UNSPECIFIED: PhiMode
PHI_MODE_AUTO: PhiMode
PHI_MODE_MANUAL: PhiMode
PHI_MODE_DISABLED: PhiMode
SECRETS_ACTION_UNSPECIFIED: SecretsAction
SECRETS_ACTION_REDACT: SecretsAction
SECRETS_ACTION_REJECT: SecretsAction
INJECTION_ACTION_UNSPECIFIED: InjectionAction
INJECTION_ACTION_OFF: InjectionAction
INJECTION_ACTION_FLAG: InjectionAction
INJECTION_ACTION_BLOCK: InjectionAction
PII_ACTION_UNSPECIFIED: PiiAction
PII_ACTION_REDACT: PiiAction
PII_ACTION_BLOCK: PiiAction

class ReidentificationPolicy(_message.Message):
    __slots__ = ("allowed", "requires_approval", "mapping_ttl_hours")
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_APPROVAL_FIELD_NUMBER: _ClassVar[int]
    MAPPING_TTL_HOURS_FIELD_NUMBER: _ClassVar[int]
    allowed: bool
    requires_approval: bool
    mapping_ttl_hours: int
    def __init__(self, allowed: _Optional[bool] = ..., requires_approval: _Optional[bool] = ..., mapping_ttl_hours: _Optional[int] = ...) -> None: ...

class PhiPolicy(_message.Message):
    __slots__ = ("tenant_id", "mode", "categories", "reidentification", "secrets_action", "is_default", "updated_at", "injection_action", "pii_action")
    class CategoriesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: bool
        def __init__(self, key: _Optional[str] = ..., value: _Optional[bool] = ...) -> None: ...
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    REIDENTIFICATION_FIELD_NUMBER: _ClassVar[int]
    SECRETS_ACTION_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    INJECTION_ACTION_FIELD_NUMBER: _ClassVar[int]
    PII_ACTION_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    mode: PhiMode
    categories: _containers.ScalarMap[str, bool]
    reidentification: ReidentificationPolicy
    secrets_action: SecretsAction
    is_default: bool
    updated_at: _timestamp_pb2.Timestamp
    injection_action: InjectionAction
    pii_action: PiiAction
    def __init__(self, tenant_id: _Optional[str] = ..., mode: _Optional[_Union[PhiMode, str]] = ..., categories: _Optional[_Mapping[str, bool]] = ..., reidentification: _Optional[_Union[ReidentificationPolicy, _Mapping]] = ..., secrets_action: _Optional[_Union[SecretsAction, str]] = ..., is_default: _Optional[bool] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., injection_action: _Optional[_Union[InjectionAction, str]] = ..., pii_action: _Optional[_Union[PiiAction, str]] = ...) -> None: ...

class SanitizeOptions(_message.Message):
    __slots__ = ("enable_phi", "categories")
    ENABLE_PHI_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    enable_phi: bool
    categories: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, enable_phi: _Optional[bool] = ..., categories: _Optional[_Iterable[str]] = ...) -> None: ...

class SanitizeRequest(_message.Message):
    __slots__ = ("tenant_id", "texts", "options", "session_id", "text_groups")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TEXTS_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_GROUPS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    texts: _containers.RepeatedScalarFieldContainer[str]
    options: SanitizeOptions
    session_id: str
    text_groups: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, tenant_id: _Optional[str] = ..., texts: _Optional[_Iterable[str]] = ..., options: _Optional[_Union[SanitizeOptions, _Mapping]] = ..., session_id: _Optional[str] = ..., text_groups: _Optional[_Iterable[int]] = ...) -> None: ...

class PhiMatch(_message.Message):
    __slots__ = ("category", "text_index", "start", "end", "placeholder", "confidence")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    TEXT_INDEX_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    PLACEHOLDER_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    category: str
    text_index: int
    start: int
    end: int
    placeholder: str
    confidence: float
    def __init__(self, category: _Optional[str] = ..., text_index: _Optional[int] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., placeholder: _Optional[str] = ..., confidence: _Optional[float] = ...) -> None: ...

class SanitizeResponse(_message.Message):
    __slots__ = ("texts", "mapping_id", "matches", "applied", "reidentify_allowed", "category_counts", "mode", "restore", "injection")
    class CategoryCountsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class RestoreEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TEXTS_FIELD_NUMBER: _ClassVar[int]
    MAPPING_ID_FIELD_NUMBER: _ClassVar[int]
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    REIDENTIFY_ALLOWED_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_COUNTS_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    RESTORE_FIELD_NUMBER: _ClassVar[int]
    INJECTION_FIELD_NUMBER: _ClassVar[int]
    texts: _containers.RepeatedScalarFieldContainer[str]
    mapping_id: str
    matches: _containers.RepeatedCompositeFieldContainer[PhiMatch]
    applied: bool
    reidentify_allowed: bool
    category_counts: _containers.ScalarMap[str, int]
    mode: PhiMode
    restore: _containers.ScalarMap[str, str]
    injection: _containers.RepeatedCompositeFieldContainer[PromptFinding]
    def __init__(self, texts: _Optional[_Iterable[str]] = ..., mapping_id: _Optional[str] = ..., matches: _Optional[_Iterable[_Union[PhiMatch, _Mapping]]] = ..., applied: _Optional[bool] = ..., reidentify_allowed: _Optional[bool] = ..., category_counts: _Optional[_Mapping[str, int]] = ..., mode: _Optional[_Union[PhiMode, str]] = ..., restore: _Optional[_Mapping[str, str]] = ..., injection: _Optional[_Iterable[_Union[PromptFinding, _Mapping]]] = ...) -> None: ...

class PromptFinding(_message.Message):
    __slots__ = ("kind", "text_index", "start", "end")
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEXT_INDEX_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    kind: str
    text_index: int
    start: int
    end: int
    def __init__(self, kind: _Optional[str] = ..., text_index: _Optional[int] = ..., start: _Optional[int] = ..., end: _Optional[int] = ...) -> None: ...

class ReidentifyRequest(_message.Message):
    __slots__ = ("tenant_id", "mapping_id", "texts", "caller_is_admin", "for_response")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    MAPPING_ID_FIELD_NUMBER: _ClassVar[int]
    TEXTS_FIELD_NUMBER: _ClassVar[int]
    CALLER_IS_ADMIN_FIELD_NUMBER: _ClassVar[int]
    FOR_RESPONSE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    mapping_id: str
    texts: _containers.RepeatedScalarFieldContainer[str]
    caller_is_admin: bool
    for_response: bool
    def __init__(self, tenant_id: _Optional[str] = ..., mapping_id: _Optional[str] = ..., texts: _Optional[_Iterable[str]] = ..., caller_is_admin: _Optional[bool] = ..., for_response: _Optional[bool] = ...) -> None: ...

class ReidentifyResponse(_message.Message):
    __slots__ = ("texts", "replaced")
    TEXTS_FIELD_NUMBER: _ClassVar[int]
    REPLACED_FIELD_NUMBER: _ClassVar[int]
    texts: _containers.RepeatedScalarFieldContainer[str]
    replaced: int
    def __init__(self, texts: _Optional[_Iterable[str]] = ..., replaced: _Optional[int] = ...) -> None: ...

class ReidentifyStreamRequest(_message.Message):
    __slots__ = ("start", "chunk")
    START_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    start: StreamStart
    chunk: StreamChunk
    def __init__(self, start: _Optional[_Union[StreamStart, _Mapping]] = ..., chunk: _Optional[_Union[StreamChunk, _Mapping]] = ...) -> None: ...

class StreamStart(_message.Message):
    __slots__ = ("tenant_id", "mapping_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    MAPPING_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    mapping_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., mapping_id: _Optional[str] = ...) -> None: ...

class StreamChunk(_message.Message):
    __slots__ = ("channel", "text")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    channel: int
    text: str
    def __init__(self, channel: _Optional[int] = ..., text: _Optional[str] = ...) -> None: ...

class ReidentifyStreamResponse(_message.Message):
    __slots__ = ("channel", "text")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    channel: int
    text: str
    def __init__(self, channel: _Optional[int] = ..., text: _Optional[str] = ...) -> None: ...

class DeleteMappingRequest(_message.Message):
    __slots__ = ("tenant_id", "mapping_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    MAPPING_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    mapping_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., mapping_id: _Optional[str] = ...) -> None: ...

class DeleteMappingResponse(_message.Message):
    __slots__ = ("deleted",)
    DELETED_FIELD_NUMBER: _ClassVar[int]
    deleted: bool
    def __init__(self, deleted: _Optional[bool] = ...) -> None: ...

class GetPolicyRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class PutPolicyRequest(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: PhiPolicy
    def __init__(self, policy: _Optional[_Union[PhiPolicy, _Mapping]] = ...) -> None: ...

class StoredMapping(_message.Message):
    __slots__ = ("tenant_id", "mapping_id", "mapping", "ttl_seconds")
    class MappingEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    MAPPING_ID_FIELD_NUMBER: _ClassVar[int]
    MAPPING_FIELD_NUMBER: _ClassVar[int]
    TTL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    mapping_id: str
    mapping: _containers.ScalarMap[str, str]
    ttl_seconds: int
    def __init__(self, tenant_id: _Optional[str] = ..., mapping_id: _Optional[str] = ..., mapping: _Optional[_Mapping[str, str]] = ..., ttl_seconds: _Optional[int] = ...) -> None: ...

class StoreMappingsRequest(_message.Message):
    __slots__ = ("mappings",)
    MAPPINGS_FIELD_NUMBER: _ClassVar[int]
    mappings: _containers.RepeatedCompositeFieldContainer[StoredMapping]
    def __init__(self, mappings: _Optional[_Iterable[_Union[StoredMapping, _Mapping]]] = ...) -> None: ...

class StoreMappingsResponse(_message.Message):
    __slots__ = ("stored",)
    STORED_FIELD_NUMBER: _ClassVar[int]
    stored: int
    def __init__(self, stored: _Optional[int] = ...) -> None: ...
