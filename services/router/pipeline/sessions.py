"""Conversation sessions (the seed's Session read model), owned by the router and kept in Redis for 30 days.

A chat request carrying `session_id` stores the conversation as the client sent it plus the provider's answer, both
as they crossed the PHI boundary (placeholders, never the original values), with the id of that request's PHI
mapping. Clients resend the whole conversation on every turn (as OpenAI clients do), so each turn replaces the stored
messages and one mapping covers all of them. Stored history is never prepended to a request: placeholders from an
older mapping would collide with the new request's numbering and restore to the wrong values.

Title and metadata strings are sanitized the same way, each under a mapping of its own (so changing one leaves the
other as it was). Reading a session restores the values through phi.Reidentify while the mappings live; after that
the placeholders are returned with `phiRestored: false` and the reason.

Layout, per tenant and user (another user's or tenant's session id is simply not found):
  radiant:session:{tenant}:{user}:{id}  hash: id, model, messages, mappingId, messageCount, title, titleMappingId,
                                        metadata, metadataMappingId, createdAt, updatedAt (TTL 30 days from the last
                                        update)
  radiant:sessions:{tenant}:{user}      zset: session id -> last update (µs), for listing newest first"""
from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import orjson
import redis.asyncio as aioredis

from radiant.common.v1 import common_pb2
from radiant.phi.v1 import phi_pb2
from services.phi.mapping_handoff import MappingHandoff
from services.router.pipeline.upstreams import Upstreams
from services.runtime.errors import ForbiddenError, NotFoundError, RadiantError, ValidationError
from services.runtime.grpc_client import call

if TYPE_CHECKING:
    from services.router.pipeline.core import Prepared

log = logging.getLogger("radiant.router")

SESSION_TTL_SECONDS = 30 * 24 * 3600

# Sets fields only on a session that exists (PATCH must not resurrect a deleted or expired session).
_UPDATE_IF_EXISTS = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], redis.call('HGET', KEYS[1], 'id'))
redis.call('EXPIRE', KEYS[2], ARGV[1])
return 1
"""


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def session_id(value: str | None, field: str = "session_id") -> str | None:
    """The seed's session ids are UUIDs; returned in canonical form."""
    if value is None:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValidationError(f"{field}: must be a UUID", details={field: ["must be a UUID"]}) from None


def _stored_message(msg: dict) -> dict:
    """What a session keeps of one message: role, text (content parts joined; images are not kept, since they cannot
    be sanitized), name and tool calls. Always a new dict, so later changes to the request do not reach the copy."""
    content = msg.get("content")
    if isinstance(content, list):
        content = "\n".join(part.get("text") or "" for part in content if part.get("type") == "text")
    out: dict[str, Any] = {"role": msg.get("role") or "assistant", "content": content}
    for key in ("name", "tool_call_id"):
        if msg.get(key):
            out[key] = msg[key]
    if msg.get("tool_calls"):
        out["tool_calls"] = [{"id": tc.get("id"), "type": tc.get("type") or "function",
                              "function": {"name": (tc.get("function") or {}).get("name"),
                                           "arguments": (tc.get("function") or {}).get("arguments") or ""}}
                             for tc in msg["tool_calls"]]
    return out


@dataclass(slots=True)
class Turn:
    """A chat turn to store once the provider answers: the sanitized conversation sent upstream."""
    session_id: str
    messages: list[dict]


def _string_slots(tree: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every string in a JSON tree (a wrapper dict or list, so even a bare string has a slot)."""
    slots: list[tuple[Any, Any]] = []
    items = tree.items() if isinstance(tree, dict) else enumerate(tree) if isinstance(tree, list) else ()
    for key, value in items:
        if isinstance(value, str):
            slots.append((tree, key))
        else:
            slots.extend(_string_slots(value))
    return slots


def _score(now: datetime) -> int:
    """Index score: last update in microseconds (sessions created back to back still list in order)."""
    return int(now.timestamp() * 1_000_000)


class SessionStore:
    def __init__(self, redis: aioredis.Redis, upstreams: Upstreams, phi_mappings: MappingHandoff | None = None,
                 ttl_seconds: int = SESSION_TTL_SECONDS) -> None:
        self.redis = redis
        self.up = upstreams
        # Mappings phi's library made here and has yet to hand to phi: with phi before they are read or deleted.
        self.phi_mappings = phi_mappings
        self.ttl = ttl_seconds
        self._update = redis.register_script(_UPDATE_IF_EXISTS)

    @staticmethod
    def _scope(principal: common_pb2.Principal) -> str:
        return f"{principal.tenant_id}:{quote(principal.user_id, safe='')}"

    def key(self, principal: common_pb2.Principal, sid: str) -> str:
        return f"radiant:session:{self._scope(principal)}:{sid}"

    def index_key(self, principal: common_pb2.Principal) -> str:
        return f"radiant:sessions:{self._scope(principal)}"

    # --- chat turns ----------------------------------------------------------------------------------------------
    @staticmethod
    def start_turn(sid: str | None, messages: list[dict]) -> Turn | None:
        """Snapshot of the sanitized conversation (before any injected context) when the request names a session."""
        if not sid:
            return None
        return Turn(sid, [_stored_message(m) for m in messages])

    async def finish_turn(self, p: Prepared, answer: dict | None) -> None:
        """Store the conversation and the provider's (still sanitized) answer. A failure is logged, not raised: the
        client has its answer already, and losing a history entry must not lose the response."""
        turn, principal = p.turn, p.principal
        if turn is None:
            return
        messages = turn.messages + ([_stored_message(answer)] if answer else [])
        now = _now()
        key, index = self.key(principal, turn.session_id), self.index_key(principal)
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.hsetnx(key, "id", turn.session_id)
                pipe.hsetnx(key, "createdAt", _iso(now))
                pipe.hset(key, mapping={"model": p.model.name, "messages": orjson.dumps(messages),
                                        "mappingId": p.mapping_id, "messageCount": len(messages),
                                        "updatedAt": _iso(now)})
                pipe.expire(key, self.ttl)
                pipe.zadd(index, {turn.session_id: _score(now)})
                pipe.expire(index, self.ttl)
                await pipe.execute()
        except aioredis.RedisError as exc:
            log.error("session could not be stored", extra={"error_type": type(exc).__name__})

    # --- CRUD ----------------------------------------------------------------------------------------------------
    async def _protect(self, tenant: str, value: Any) -> tuple[Any, str]:
        """Every string in `value` through the PHI sanitizer: (sanitized value, mapping id or "")."""
        wrapper = [value]
        slots = _string_slots(wrapper)
        if not slots:
            return value, ""
        resp = await call(self.up.phi.Sanitize(phi_pb2.SanitizeRequest(
            tenant_id=tenant, texts=[c[k] for c, k in slots])), "phi")
        for (container, k), text in zip(slots, resp.texts, strict=True):
            container[k] = text
        return wrapper[0], resp.mapping_id

    async def _put_labels(self, tenant: str, labels: dict[str, Any]) -> dict[str, Any]:
        """Hash fields for the given labels (title, metadata), each sanitized under a mapping of its own."""
        names = list(labels)
        protected = await asyncio.gather(*(self._protect(tenant, labels[n]) for n in names))
        fields: dict[str, Any] = {}
        for name, (value, mapping_id) in zip(names, protected):
            fields[name], fields[_mapping_field(name)] = orjson.dumps(value), mapping_id
        return fields

    async def create(self, principal: common_pb2.Principal, model: str, title: str | None,
                     metadata: Any) -> dict:
        sid, now = str(uuid.uuid4()), _now()
        fields = {"id": sid, "model": model, "messages": b"[]", "mappingId": "", "messageCount": 0,
                  "createdAt": _iso(now), "updatedAt": _iso(now),
                  **await self._put_labels(principal.tenant_id, {"title": title, "metadata": metadata})}
        key, index = self.key(principal, sid), self.index_key(principal)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=fields)
            pipe.expire(key, self.ttl)
            pipe.zadd(index, {sid: _score(now)})
            pipe.expire(index, self.ttl)
            await pipe.execute()
        return await self.get(principal, sid)

    async def update(self, principal: common_pb2.Principal, sid: str, changes: dict[str, Any]) -> dict:
        """Changes title and/or metadata; only on a session that exists (never resurrects a deleted one)."""
        key = self.key(principal, sid)
        replaced = await self.redis.hmget(key, *(_mapping_field(name) for name in changes)) if changes else []
        fields = await self._put_labels(principal.tenant_id, changes)
        now = _now()
        args: list[Any] = [self.ttl, _score(now), "updatedAt", _iso(now)]
        for name, value in fields.items():
            args += [name, value]
        if not await self._update(keys=[key, self.index_key(principal)], args=args):
            await self._drop_mappings(principal.tenant_id, [fields[_mapping_field(n)] for n in changes])
            raise _not_found(sid)
        await self._drop_mappings(principal.tenant_id, replaced)
        return await self.get(principal, sid)

    async def delete(self, principal: common_pb2.Principal, sid: str) -> None:
        key = self.key(principal, sid)
        mappings = await self.redis.hmget(key, *_MAPPING_FIELDS)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.zrem(self.index_key(principal), sid)
            deleted, _ = await pipe.execute()
        if not deleted:
            raise _not_found(sid)
        await self._drop_mappings(principal.tenant_id, mappings)

    async def _drop_mappings(self, tenant: str, mapping_ids: list[bytes | str | None]) -> None:
        """PHI mappings no longer referenced go at once (best effort: they expire on their own anyway)."""
        ids = {m.decode() if isinstance(m, bytes) else m for m in mapping_ids if m}
        if ids and self.phi_mappings is not None:
            await self.phi_mappings.flush()
        for mapping_id in ids:
            try:
                await call(self.up.phi.DeleteMapping(phi_pb2.DeleteMappingRequest(
                    tenant_id=tenant, mapping_id=mapping_id)), "phi")
            except RadiantError as exc:
                log.warning("session PHI mapping not deleted", extra={"error_code": exc.code})

    async def _raw(self, principal: common_pb2.Principal, sid: str) -> dict[str, Any]:
        raw = await self.redis.hgetall(self.key(principal, sid))
        if not raw or b"id" not in raw:
            raise _not_found(sid)
        return _decode(raw)

    async def get(self, principal: common_pb2.Principal, sid: str) -> dict:
        return await self._read_model(principal, await self._raw(principal, sid), with_messages=True)

    async def list(self, principal: common_pb2.Principal, limit: int, offset: int) -> tuple[list[dict], int]:
        """Newest first, without messages (messageCount says how many); expired entries are pruned on the way."""
        index = self.index_key(principal)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(index, "-inf", f"({_score(_now()) - self.ttl * 1_000_000}")
            pipe.zcard(index)
            pipe.zrevrange(index, offset, offset + limit - 1)
            _, total, ids = await pipe.execute()
        async with self.redis.pipeline(transaction=False) as pipe:
            for sid in ids:
                pipe.hgetall(self.key(principal, sid.decode()))
            rows = await pipe.execute()
        gone = [sid for sid, raw in zip(ids, rows) if not raw]
        if gone:
            await self.redis.zrem(index, *gone)
        items = await asyncio.gather(*(self._read_model(principal, _decode(raw), with_messages=False)
                                       for raw in rows if raw))
        return list(items), int(total) - len(gone)

    # --- PHI restoration -----------------------------------------------------------------------------------------
    async def _reveal(self, tenant: str, value: Any, mapping_id: str) -> tuple[Any, str]:
        """`value` with its placeholders restored and "", or unchanged and why it could not be restored. The caller
        reads back its own conversation, which it was shown restored, hence for_response (no approval step)."""
        wrapper = [value]
        slots = _string_slots(wrapper)
        if not mapping_id or not slots:
            return value, ""
        if self.phi_mappings is not None:
            await self.phi_mappings.flush()
        try:
            resp = await call(self.up.phi.Reidentify(phi_pb2.ReidentifyRequest(
                tenant_id=tenant, mapping_id=mapping_id, texts=[c[k] for c, k in slots], for_response=True)), "phi")
        except NotFoundError:
            return value, "mapping_expired"
        except ForbiddenError:
            return value, "not_allowed"
        except RadiantError as exc:
            log.warning("session PHI not restored", extra={"error_code": exc.code})
            return value, "phi_unavailable"
        for (container, k), text in zip(slots, resp.texts, strict=True):
            container[k] = text
        return wrapper[0], ""

    async def _read_model(self, principal: common_pb2.Principal, row: dict, with_messages: bool) -> dict:
        """The seed's Session type, PHI restored where the mappings still live (phiRestored says whether all were)."""
        parts = ["title", "metadata", *(["messages"] if with_messages else [])]
        revealed = await asyncio.gather(*(self._reveal(principal.tenant_id, row[p], row[_mapping_field(p)])
                                          for p in parts))
        out = {"id": row["id"], "tenantId": principal.tenant_id, "userId": principal.user_id,
               "model": row["model"], "messageCount": row["messageCount"], "createdAt": row["createdAt"],
               "updatedAt": row["updatedAt"], "phiMappingId": row["mappingId"] or None}
        out.update({p: value for p, (value, _) in zip(parts, revealed)})
        reasons = [reason for _, reason in revealed if reason]
        out["phiRestored"] = not reasons
        if reasons:
            out["phiRestoreReason"] = reasons[0]
        return out


_MAPPING_FIELDS = ("mappingId", "titleMappingId", "metadataMappingId")


def _mapping_field(part: str) -> str:
    return "mappingId" if part == "messages" else f"{part}MappingId"


def _not_found(sid: str) -> NotFoundError:
    return NotFoundError(f"Session {sid} not found", details={"id": ["no such session"]})


def _decode(raw: dict[bytes, bytes]) -> dict[str, Any]:
    def text(name: str) -> str:
        return raw.get(name.encode(), b"").decode()

    def json(name: str, default: bytes) -> Any:
        return orjson.loads(raw.get(name.encode(), default))

    return {"id": text("id"), "model": text("model"), "title": json("title", b"null"),
            "metadata": json("metadata", b"null"), "messages": json("messages", b"[]"),
            "messageCount": int(raw.get(b"messageCount", b"0")), "createdAt": text("createdAt"),
            "updatedAt": text("updatedAt"), **{f: text(f) for f in _MAPPING_FIELDS}}
