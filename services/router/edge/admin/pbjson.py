"""REST JSON <-> protobuf for the admin API, generically: a body is parsed into the owning service's request message
(google.protobuf.json_format), so a field another change adds to a message (tenant, app, key settings...) is accepted
and returned without code here. Field names are the proto names (snake_case); enums are the seed's strings where the
registry defines them ("self-hosted", "OFF", "active") and otherwise the value name without its type prefix, in lower
case ("suspended"); int64 values are JSON numbers; timestamps RFC 3339. A body that does not fit the message is a
400 naming the field."""
from __future__ import annotations

import re
from typing import Any

from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor
from google.protobuf.json_format import MessageToDict, ParseDict, ParseError
from google.protobuf.message import Message

from services.registry import enums as registry_enums
from services.runtime.errors import ValidationError

_INT64 = (FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT64,
          FieldDescriptor.TYPE_FIXED64, FieldDescriptor.TYPE_SFIXED64)
_WELL_KNOWN = ("google.protobuf.",)
_NULLABLE = ("google.protobuf.Timestamp", "google.protobuf.Struct")
# The registry's enums have the seed's spellings (what /api/v2 shows everywhere else).
_SEED_NAMES: dict[str, dict[int, str]] = {
    m.proto_enum.DESCRIPTOR.full_name: m.to_db_map
    for m in (registry_enums.PROVIDER_TYPE, registry_enums.STATUS, registry_enums.AUTH_TYPE,
              registry_enums.API_FORMAT, registry_enums.THERMAL_STATE, registry_enums.DEPLOYMENT_KIND)}


def _prefix(enum: EnumDescriptor) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", enum.name).upper() + "_"


def enum_to_json(enum: EnumDescriptor, number: int) -> str | None:
    if number == 0:
        return None
    seed = _SEED_NAMES.get(enum.full_name)
    if seed and number in seed:
        return seed[number]
    value = enum.values_by_number.get(number)
    return value.name.removeprefix(_prefix(enum)).lower() if value else str(number)


def _enum_from_json(enum: EnumDescriptor, value: Any, path: str) -> Any:
    if not isinstance(value, str):
        return value  # numbers are ParseDict's to check
    seed = _SEED_NAMES.get(enum.full_name, {})
    for number, name in seed.items():
        if name == value:
            return enum.values_by_number[number].name
    candidate = _prefix(enum) + value.upper().replace("-", "_")
    if candidate in enum.values_by_name and enum.values_by_name[candidate].number != 0:
        return candidate
    if value in enum.values_by_name and enum.values_by_name[value].number != 0:
        return value
    allowed = [enum_to_json(enum, v.number) for v in enum.values if v.number != 0]
    raise ValidationError(f"{path}: must be one of {', '.join(allowed)}",
                          details={path: [f"must be one of {', '.join(allowed)}"]})


def _field(desc: Descriptor, key: str) -> FieldDescriptor | None:
    return desc.fields_by_name.get(key) or next((f for f in desc.fields if f.json_name == key), None)


def _to_canonical(desc: Descriptor, data: Any, path: str) -> Any:
    """Replace the REST spellings of enums with proto names, recursively (other checks are ParseDict's)."""
    if not isinstance(data, dict) or desc.full_name.startswith(_WELL_KNOWN):
        return data
    out = {}
    for key, value in data.items():
        field = _field(desc, key)
        here = f"{path}.{key}" if path else key
        if field is None:
            raise ValidationError(f"{here}: unknown field", details={here: ["unknown field"]})
        out[key] = _convert(field, value, here)
    return out


def _convert(field: FieldDescriptor, value: Any, path: str) -> Any:
    if value is None:
        return None
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        value_field = field.message_type.fields_by_name["value"]
        return {k: _convert(value_field, v, f"{path}.{k}") for k, v in value.items()} if isinstance(value, dict) \
            else value
    if _repeated(field) and isinstance(value, list):
        return [_single(field, v, f"{path}[{i}]") for i, v in enumerate(value)]
    return _single(field, value, path)


def _repeated(field: FieldDescriptor) -> bool:
    return getattr(field, "is_repeated", None) if hasattr(field, "is_repeated") else \
        field.label == FieldDescriptor.LABEL_REPEATED


def _single(field: FieldDescriptor, value: Any, path: str) -> Any:
    if field.enum_type is not None:
        return _enum_from_json(field.enum_type, value, path)
    if field.message_type is not None:
        return _to_canonical(field.message_type, value, path)
    return value


def _path_of(exc: ParseError, root: str) -> str:
    message = str(exc)
    parts = re.findall(r"Failed to parse (\w+) field", message)
    unknown = re.search(r'has no field named "([^"]+)"', message)
    if unknown:
        parts.append(unknown.group(1))
    return ".".join([p for p in (root, *parts) if p]) or "body"


def parse(data: Any, message: Message, root: str = "") -> Message:
    """Fill `message` from a JSON body (merging into what it holds); ValidationError names the field at fault."""
    if not isinstance(data, dict):
        field = root or "body"
        raise ValidationError(f"{field}: must be a JSON object", details={field: ["must be a JSON object"]})
    canonical = _to_canonical(message.DESCRIPTOR, data, root)
    try:
        ParseDict(canonical, message)
    except ParseError as exc:
        field = _path_of(exc, root)
        reason = str(exc).split(": ")[-1].split(" at ")[0].rstrip(".") or "invalid value"
        raise ValidationError(f"{field}: {reason}", details={field: [reason]}) from None
    return message


def render(message: Message) -> dict[str, Any]:
    """A message as REST JSON: every field (defaults included), enums and int64 as described above."""
    data = MessageToDict(message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)
    return _from_canonical(message.DESCRIPTOR, data)


def _from_canonical(desc: Descriptor, data: Any) -> Any:
    if not isinstance(data, dict) or desc.full_name.startswith(_WELL_KNOWN):
        return data
    for field in desc.fields:  # unset times and objects read as null (a key that never expires: "expires_at": null)
        if field.message_type is not None and field.message_type.full_name in _NULLABLE and not _repeated(field):
            data.setdefault(field.name, None)
    for key, value in list(data.items()):
        field = desc.fields_by_name.get(key)
        if field is None or value is None:
            continue
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            data[key] = {k: _out(value_field, v) for k, v in value.items()}
        elif _repeated(field) and isinstance(value, list):
            data[key] = [_out(field, v) for v in value]
        else:
            data[key] = _out(field, value)
    return data


def _out(field: FieldDescriptor, value: Any) -> Any:
    if field.enum_type is not None:
        number = field.enum_type.values_by_name[value].number if isinstance(value, str) else value
        return enum_to_json(field.enum_type, number)
    if field.type in _INT64 and isinstance(value, str):
        return int(value)
    if field.message_type is not None:
        return _from_canonical(field.message_type, value)
    return value


def parse_body(body: Any, message: Message, *, reserved: tuple[str, ...] = (), require_some: bool = False) -> Message:
    """A request body into `message`: fields the path or the caller's scope sets (reserved) may not be sent, and an
    update with nothing in it is the seed's 400 "No updates provided"."""
    if not isinstance(body, dict):
        raise ValidationError("body: must be a JSON object", details={"body": ["must be a JSON object"]})
    for name in reserved:
        if name in body:
            raise ValidationError(f"{name}: set by the URL, not the body", details={name: ["not allowed here"]})
    if require_some and not body:
        raise ValidationError("No updates provided", details={"body": ["send at least one field to change"]})
    return parse(body, message)


def unprefixed(exc, prefix: str):
    """An error of the owning service about `<prefix>.<field>` of a payload that is the whole REST body, renamed to
    the body's own field names."""
    if exc.details:
        exc.details = {k.removeprefix(prefix): v for k, v in exc.details.items()}
        exc.message = exc.message.replace(prefix, "")
    return exc
