"""Every free-text field of the internal (OpenAI-shaped) request that reaches a provider, in one place: each one is
sent through the request's single PHI Sanitize call, and what cannot carry a placeholder is refused.

All surfaces (OpenAI, Anthropic `/v1/messages`, Bedrock Converse, `/api/v2`, the gRPC RouterService, embeddings)
are translated into this one body first, so the list below covers them all:

| field (internal body)                                       | from (other surfaces)                           | how |
|-------------------------------------------------------------|-------------------------------------------------|-----|
| messages[].content (string or text parts)                   | Anthropic system + text blocks + tool_result,   | sanitized (one group: detection runs across the |
| messages[].tool_calls[].function.arguments                  | Bedrock system + text / toolUse / toolResult    | boundaries of consecutive message texts)        |
| messages[].function_call.arguments                          |                                                 |                                                 |
| stop (string or list)                                       | Anthropic stop_sequences, Bedrock stopSequences | sanitized                                       |
| tools[] / functions[]: description, and in parameters every | Anthropic tools description / input_schema,     | sanitized; a changed number becomes the         |
| annotation (description, title, $comment, unknown keywords),| Bedrock toolConfig toolSpec                     | placeholder string; the schema must still be a  |
| pattern, and the data in default / const / enum / examples  |                                                 | valid JSON Schema                               |
| response_format.json_schema: description, schema (as above) |                                                 | sanitized                                       |
| names: tools[].function.name, functions[].name,             | Anthropic / Bedrock tool names                  | refused with 400 when they hold PHI (a          |
| tool_calls[].function.name, function_call.name,             |                                                 | placeholder would break the name's syntax and   |
| messages[].name (function results), json_schema.name,       |                                                 | the caller's dispatch)                          |
| schema property names, required, keys of data objects       |                                                 |                                                 |
| image_url.url (http/https): path segments, query values,    | Anthropic / Bedrock image URLs                  | refused with 400 when they hold PHI (the URL    |
| fragment, percent-decoded                                   |                                                 | must stay fetchable)                            |
| tool_calls[].id, tool_call_id                               | Anthropic tool_use id / tool_use_id, Bedrock    | an id that holds PHI is replaced by one minted  |
|                                                             | toolUseId                                       | for the request (the same in calls and results),|
|                                                             |                                                 | restored in the answer and its stream           |
| user                                                        | Anthropic metadata.user_id                      | per-tenant pseudonym (core._pseudonym)          |
| embeddings input (each input its own group)                 |                                                 | sanitized (core.Pipeline.embed)                 |

Never forwarded: `metadata`, `session_id`, `enable_phi`, `phi_categories`, message `name` of non-function roles,
refusal / annotations / audio of replayed messages, unknown fields (the request models ignore them). Not free
text: model (resolved in the catalogue), logit_bias (token ids), numbers and enums of sampling parameters, data: URL
images (bytes), JSON Schema keywords that are structure (type, format, $ref, $id, $schema, $anchor, ...).
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus, urlsplit

from services.router.formats.openai_schemas import _check_json_schema
from services.runtime.errors import PiiDetectedError, PromptInjectionError, RadiantError, ValidationError

TEXT, NAME, URL, NUMBER, ID = "text", "name", "url", "number", "id"
MESSAGES_GROUP = 0

# JSON Schema keywords whose string values are structure, not prose.
_STRUCTURAL = frozenset({"type", "format", "$ref", "$id", "$schema", "$anchor", "$dynamicRef", "$dynamicAnchor",
                         "$vocabulary", "contentEncoding", "contentMediaType"})
# Keywords holding a map from names to sub-schemas (or to lists of names).
_NAMED = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
                    "dependentRequired", "dependencies"})
_DATA = frozenset({"default", "const", "enum", "examples"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _humanize(name: str) -> str:
    """"lookup_john_smith" / "getJohnSmith" as words, so the detector reads the name as it would prose."""
    return _CAMEL.sub(" ", name).replace("_", " ").replace("-", " ").replace(".", " ")


@dataclass(slots=True)
class _Slot:
    kind: str
    path: str                       # for errors: "messages[1].content[0].text"
    text: str                       # what is sent to Sanitize
    put: Callable[[Any], None]      # writes the sanitized value back
    group: int


@dataclass(slots=True)
class ForwardedTexts:
    """The body's free-text fields, collected once; ``apply`` writes the sanitized texts back."""
    slots: list[_Slot] = field(default_factory=list)
    schemas: list[tuple[str, dict]] = field(default_factory=list)  # (path, schema) to re-check after sanitizing
    phi_ids: set[str] = field(default_factory=set)  # tool call ids that hold PHI (see mint_tool_call_ids)
    _next_group: int = MESSAGES_GROUP + 1

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.slots]

    @property
    def groups(self) -> list[int]:
        return [s.group for s in self.slots]

    @property
    def paths(self) -> list[str]:
        return [s.path for s in self.slots]

    # --- collecting ----------------------------------------------------------------------------------------------
    def _add(self, kind: str, path: str, text: str, put: Callable[[Any], None], group: int | None = None) -> None:
        if group is None:
            group, self._next_group = self._next_group, self._next_group + 1
        self.slots.append(_Slot(kind, path, text, put, group))

    def _text(self, path: str, holder: dict | list, key: Any, group: int | None = None) -> None:
        def put(value: Any) -> None:
            holder[key] = value
        self._add(TEXT, path, holder[key], put, group)

    def _name(self, path: str, name: Any) -> None:
        if isinstance(name, str) and name:
            self._add(NAME, path, _humanize(name), lambda value: None)

    def _id(self, path: str, value: Any) -> None:
        if isinstance(value, str) and value:
            self._add(ID, path, _CAMEL.sub(" ", value).replace("_", " "), lambda sanitized: self.phi_ids.add(value))

    def _url(self, path: str, url: str) -> None:
        if url.startswith("data:"):
            return
        parts = urlsplit(url)
        pieces = [unquote_plus(p) for p in parts.path.split("/") if p]
        for pair in parts.query.split("&") if parts.query else ():
            key, _, value = pair.partition("=")
            pieces += [unquote_plus(key), unquote_plus(value)]
        if parts.fragment:
            pieces.append(unquote_plus(parts.fragment))
        for piece in pieces:
            if piece:
                self._add(URL, path, piece, lambda value: None)

    def _data(self, path: str, holder: dict | list, key: Any) -> None:
        value = holder[key]
        if isinstance(value, str):
            self._text(path, holder, key)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            def put(sanitized: str) -> None:
                if sanitized != str(value):
                    holder[key] = sanitized
            self._add(NUMBER, path, str(value), put)
        elif isinstance(value, dict):
            for k in value:
                self._name(f"{path}.{k}", k)
                self._data(f"{path}.{k}", value, k)
        elif isinstance(value, list):
            for i in range(len(value)):
                self._data(f"{path}[{i}]", value, i)

    def _schema(self, path: str, node: Any) -> None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                self._schema(f"{path}[{i}]", item)
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            where = f"{path}.{key}"
            if key in _NAMED and isinstance(value, dict):
                for name, sub in value.items():
                    if key != "patternProperties":
                        self._name(f"{where}.{name}", name)
                    if isinstance(sub, list):
                        for i, item in enumerate(sub):
                            self._name(f"{where}.{name}[{i}]", item)
                    else:
                        self._schema(f"{where}.{name}", sub)
                if key == "patternProperties":
                    self._pattern_keys(where, value)
            elif key == "required" and isinstance(value, list):
                for i, item in enumerate(value):
                    self._name(f"{where}[{i}]", item)
            elif key in _DATA:
                self._data(where, node, key)
            elif key in _STRUCTURAL:
                continue
            elif isinstance(value, str):
                self._text(where, node, key)
            else:
                self._schema(where, value)

    def _pattern_keys(self, where: str, patterns: dict) -> None:
        """patternProperties keys are regular expressions (free text): rename the key when sanitized."""
        for key in list(patterns):
            def put(value: str, key: str = key) -> None:
                if value != key:
                    patterns[value] = patterns.pop(key)
            self._add(TEXT, f"{where}.{key}", key, put)

    def _function(self, path: str, fn: dict) -> None:
        self._name(f"{path}.name", fn.get("name"))
        if isinstance(fn.get("description"), str):
            self._text(f"{path}.description", fn, "description")
        if isinstance(fn.get("parameters"), dict):
            self._schema(f"{path}.parameters", fn["parameters"])
            self.schemas.append((f"{path}.parameters", fn["parameters"]))

    @classmethod
    def collect(cls, body: dict) -> "ForwardedTexts":
        out = cls()
        for i, msg in enumerate(body.get("messages") or ()):
            where = f"messages[{i}]"
            content = msg.get("content")
            if isinstance(content, str):
                out._text(f"{where}.content", msg, "content", MESSAGES_GROUP)
            elif isinstance(content, list):
                for j, part in enumerate(content):
                    if part.get("type") == "text":
                        out._text(f"{where}.content[{j}].text", part, "text", MESSAGES_GROUP)
                    elif part.get("type") == "image_url":
                        out._url(f"{where}.content[{j}].image_url.url", part["image_url"]["url"])
            for k, tc in enumerate(msg.get("tool_calls") or ()):
                out._text(f"{where}.tool_calls[{k}].function.arguments", tc["function"], "arguments", MESSAGES_GROUP)
                out._name(f"{where}.tool_calls[{k}].function.name", tc["function"].get("name"))
                out._id(f"{where}.tool_calls[{k}].id", tc.get("id"))
            out._id(f"{where}.tool_call_id", msg.get("tool_call_id"))
            fc = msg.get("function_call")
            if isinstance(fc, dict):
                if isinstance(fc.get("arguments"), str):
                    out._text(f"{where}.function_call.arguments", fc, "arguments", MESSAGES_GROUP)
                out._name(f"{where}.function_call.name", fc.get("name"))
            if msg.get("role") == "function":
                out._name(f"{where}.name", msg.get("name"))
        stop = body.get("stop")
        if isinstance(stop, str):
            out._text("stop", body, "stop")
        elif isinstance(stop, list):
            body["stop"] = stop = list(stop)  # the request's own list stays as sent
            for i in range(len(stop)):
                out._text(f"stop[{i}]", stop, i)
        for key in ("tools", "functions"):
            for i, item in enumerate(body.get(key) or ()):
                out._function(f"{key}[{i}].function" if key == "tools" else f"{key}[{i}]",
                              item["function"] if key == "tools" else item)
        fmt = body.get("response_format")
        if isinstance(fmt, dict) and isinstance(fmt.get("json_schema"), dict):
            js = fmt["json_schema"]
            out._name("response_format.json_schema.name", js.get("name"))
            if isinstance(js.get("description"), str):
                out._text("response_format.json_schema.description", js, "description")
            if isinstance(js.get("schema"), dict):
                out._schema("response_format.json_schema.schema", js["schema"])
                out.schemas.append(("response_format.json_schema.schema", js["schema"]))
        return out

    # --- writing back --------------------------------------------------------------------------------------------
    def apply(self, sanitized: list[str], categories: dict[int, set[str]]) -> None:
        """Write sanitized texts back. ``categories``: text index -> categories found there. A name or URL that
        held PHI is refused (nothing is sent); a schema must still be valid once sanitized."""
        refused: dict[str, set[str]] = {}
        for index, (slot, text) in enumerate(zip(self.slots, sanitized, strict=True)):
            if text == slot.text:
                continue
            if slot.kind in (NAME, URL):
                refused.setdefault(slot.path, set()).update(categories.get(index, ()))
                continue
            slot.put(text)
        if refused:
            named = {path: ", ".join(sorted(cats)) or "PHI" for path, cats in refused.items()}
            raise PiiDetectedError(
                "PHI found in fields that cannot carry a placeholder: "
                + "; ".join(f"{path} ({cats})" for path, cats in named.items())
                + ". Names must not hold PHI, and an image URL must not hold PHI in its path, query or fragment "
                "(send the image inline as a data URL)",
                details={path: [f"holds PHI: {cats}"] for path, cats in named.items()})
        for path, schema in self.schemas:
            try:
                _check_json_schema(schema, path)
            except ValueError as exc:
                raise ValidationError(f"{path}: not a valid JSON Schema once PHI is replaced with placeholders "
                                      f"({exc})", details={path: ["invalid after PHI replacement"]}) from None


def relabel(err: RadiantError, paths: list[str]) -> RadiantError:
    """phi's prompt-check errors name texts by index ("texts.3"); the caller wants the request's field names (and
    to see them in the message, which is all that Anthropic's and Bedrock's error shapes carry)."""
    if not isinstance(err, (PiiDetectedError, PromptInjectionError)):
        return err
    details: dict[str, list[str]] = {}
    where: list[str] = []
    for key, items in err.details.items():
        if key.startswith("texts.") and key[6:].isdigit() and int(key[6:]) < len(paths):
            path = paths[int(key[6:])]
            details.setdefault(path, []).extend(items)
            where.append(f"{path}: {', '.join(items)}")
        else:
            details[key] = items
    message = err.message + (" (" + "; ".join(where) + ")" if where else "")
    return type(err)(message, details=details)


# --- tool call ids ---------------------------------------------------------------------------------------------
def mint_tool_call_ids(messages: list[dict], phi_ids: set[str]) -> dict[str, str]:
    """Replace the tool call ids that hold PHI (in assistant tool_calls[].id and tool results' tool_call_id) by an id
    minted for this request: a placeholder would not fit the providers' id syntax, and the same id gets the same new
    id in calls and results. Returns new id -> original, to restore in the answer."""
    minted: dict[str, str] = {}
    back: dict[str, str] = {}
    if not phi_ids:
        return back

    def new(original: str) -> str:
        if original not in phi_ids:
            return original
        if original not in minted:
            minted[original] = f"call_{uuid.uuid4().hex[:24]}"
            back[minted[original]] = original
        return minted[original]

    for msg in messages:
        for tc in msg.get("tool_calls") or ():
            if isinstance(tc.get("id"), str):
                tc["id"] = new(tc["id"])
        if isinstance(msg.get("tool_call_id"), str):
            msg["tool_call_id"] = new(msg["tool_call_id"])
    return back


def restore_tool_call_ids(tool_calls: Any, ids: dict[str, str]) -> None:
    """Put the caller's ids back where the provider echoed a minted one (answers and stream deltas)."""
    for tc in tool_calls if ids and isinstance(tool_calls, list) else ():
        if isinstance(tc, dict) and tc.get("id") in ids:
            tc["id"] = ids[tc["id"]]
