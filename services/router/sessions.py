"""Conversation sessions (the seed's Session read model), owned by the router and kept in Redis for 30 days.

A chat request carrying `session_id` stores the conversation as the client sent it plus the provider's answer, both
as they crossed the PHI boundary (placeholders, never the original values), with the id of that request's PHI
mapping. Clients resend the whole conversation on every turn (as OpenAI clients do), so each turn replaces the stored
messages and one mapping covers all of them. Stored history is never prepended to a request: placeholders from an
older mapping would collide with the new request's numbering and restore to the wrong values.

Title and metadata strings are sanitized the same way (their own mapping). Reading a session restores the values
through phi.Reidentify while the mappings live; after that the placeholders are returned with `phiRestored: false`.

Layout, per tenant and user (another user's or tenant's session id is simply not found):
  radiant:session:{tenant}:{user}:{id}  hash  (fields below; TTL 30 days from the last update)
  radiant:sessions:{tenant}:{user}      zset  session id -> last update (ms), for listing newest first"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import orjson
import redis.asyncio as aioredis

from radiant.common.v1 import common_pb2
from radiant.phi.v1 import phi_pb2
from services.router.upstreams import Upstreams
from services.runtime.errors import ForbiddenError, NotFoundError, RadiantError, ValidationError
from services.runtime.grpc_client import call

if TYPE_CHECKING:
    from services.router.pipeline import Prepared

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


def _texts(messages: list[dict]) -> list[tuple[dict, str | None]]:
    """(holder, key) of every restorable text: message contents and tool-call arguments."""
    slots: list[tuple[dict, str | None]] = []
    for msg in messages:
        if isinstance(msg.get("content"), str):
            slots.append((msg, "content"))
        for tc in msg.get("tool_calls") or ():
            slots.append((tc["function"], "arguments"))
    return slots


def _label_texts(title: str | None, metadata: Any) -> list[tuple[Any, Any]]:
    """(container, key) of the title and every string inside metadata; container None stands for the title."""
    slots: list[tuple[Any, Any]] = [(None, "title")] if title else []

    def walk(node: Any) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if isinstance(value, str):
                slots.append((node, key))
            else:
                walk(value)
    walk(metadata)
    return slots


class SessionStore:
    def __init__(self, redis: aioredis.Redis, upstreams: Upstreams, ttl_seconds: int = SESSION_TTL_SECONDS) -> None:
        self.redis = redis
        self.up = upstreams
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
                pipe.zadd(index, {turn.session_id: int(now.timestamp() * 1000)})
                pipe.expire(index, self.ttl)
                await pipe.execute()
        except aioredis.RedisError as exc:
            log.error("session could not be stored", extra={"error_type": type(exc).__name__})

    # --- CRUD ----------------------------------------------------------------------------------------------------
    async def _sanitize_labels(self, tenant: str, title: str | None, metadata: Any) -> tuple[str | None, Any, str]:
        slots = _label_texts(title, metadata)
        if not slots:
            return title, metadata, ""
        texts = [title if c is None else c[k] for c, k in slots]
        resp = await call(self.up.phi.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant, texts=texts)), "phi")
        for (container, k), text in zip(slots, resp.texts, strict=True):
            if container is None:
                title = text
            else:
                container[k] = text
        return title, metadata, resp.mapping_id

    async def create(self, principal: common_pb2.Principal, model: str, title: str | None,
                     metadata: Any) -> dict:
        sid = str(uuid.uuid4())
        title, metadata, labels_mapping = await self._sanitize_labels(principal.tenant_id, title, metadata)
        now = _iso(_now())
        fields = {"id": sid, "model": model, "title": orjson.dumps(title), "metadata": orjson.dumps(metadata),
                  "labelsMappingId": labels_mapping, "messages": b"[]", "mappingId": "", "messageCount": 0,
                  "createdAt": now, "updatedAt": now}
        key, index = self.key(principal, sid), self.index_key(principal)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=fields)
            pipe.expire(key, self.ttl)
            pipe.zadd(index, {sid: int(time.time() * 1000)})
            pipe.expire(index, self.ttl)
            await pipe.execute()
        return await self.get(principal, sid)

    async def update(self, principal: common_pb2.Principal, sid: str, changes: dict[str, Any]) -> dict:
        """Title and metadata share one mapping, so both are sanitized again (the unchanged one as restored)."""
        fields: dict[str, Any] = {}
        if changes:
            current = await self._restore_labels(principal, await self._raw(principal, sid))
            title = changes["title"] if "title" in changes else current["title"]
            metadata = changes["metadata"] if "metadata" in changes else current["metadata"]
            title, metadata, labels_mapping = await self._sanitize_labels(principal.tenant_id, title, metadata)
            fields = {"title": orjson.dumps(title), "metadata": orjson.dumps(metadata),
                      "labelsMappingId": labels_mapping}
        now = _now()
        args: list[Any] = [self.ttl, int(now.timestamp() * 1000), "updatedAt", _iso(now)]
        for name, value in fields.items():
            args += [name, value]
        if not await self._update(keys=[self.key(principal, sid), self.index_key(principal)], args=args):
            raise _not_found(sid)
        return await self.get(principal, sid)

    async def delete(self, principal: common_pb2.Principal, sid: str) -> None:
        key = self.key(principal, sid)
        mappings = await self.redis.hmget(key, "mappingId", "labelsMappingId")
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.zrem(self.index_key(principal), sid)
            deleted, _ = await pipe.execute()
        if not deleted:
            raise _not_found(sid)
        # The session's PHI mappings go with it (best effort: they expire on their own anyway).
        for mapping_id in {m.decode() for m in mappings if m}:
            try:
                await call(self.up.phi.DeleteMapping(phi_pb2.DeleteMappingRequest(
                    tenant_id=principal.tenant_id, mapping_id=mapping_id)), "phi")
            except RadiantError as exc:
                log.warning("session PHI mapping not deleted", extra={"error_code": exc.code})

    async def _raw(self, principal: common_pb2.Principal, sid: str) -> dict[str, Any]:
        raw = await self.redis.hgetall(self.key(principal, sid))
        if not raw or b"id" not in raw:
            raise _not_found(sid)
        return _decode(raw)

    async def get(self, principal: common_pb2.Principal, sid: str) -> dict:
        row = await self._raw(principal, sid)
        labels = await self._restore_labels(principal, row)
        messages, restored, reason = await self._restore(principal, row["mappingId"], row["messages"])
        restored = restored and labels["restored"]
        return _read_model(principal, row, labels, messages=messages, restored=restored,
                           reason=reason if reason else labels["reason"])

    async def list(self, principal: common_pb2.Principal, limit: int, offset: int) -> tuple[list[dict], int]:
        """Newest first, without messages (messageCount says how many); expired entries are pruned on the way."""
        index = self.index_key(principal)
        oldest_live = int((time.time() - self.ttl) * 1000)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(index, "-inf", f"({oldest_live}")
            pipe.zcard(index)
            pipe.zrevrange(index, offset, offset + limit - 1)
            _, total, ids = await pipe.execute()
        async with self.redis.pipeline(transaction=False) as pipe:
            for sid in ids:
                pipe.hgetall(self.key(principal, sid.decode()))
            rows = await pipe.execute()
        gone = [sid for sid, raw in zip(ids, rows) if not raw]
        found = [_decode(raw) for raw in rows if raw]
        labels = await asyncio.gather(*(self._restore_labels(principal, row) for row in found))
        out = [_read_model(principal, row, label, messages=None, restored=label["restored"], reason=label["reason"])
               for row, label in zip(found, labels)]
        if gone:
            await self.redis.zrem(index, *gone)
        return out, int(total) - len(gone)

    # --- PHI restoration -----------------------------------------------------------------------------------------
    async def _reidentify(self, tenant: str, mapping_id: str, texts: list[str]) -> tuple[list[str], str]:
        """Restored texts and "" , or the texts unchanged and why they could not be restored."""
        try:
            resp = await call(self.up.phi.Reidentify(phi_pb2.ReidentifyRequest(
                tenant_id=tenant, mapping_id=mapping_id, texts=texts, for_response=True)), "phi")
        except NotFoundError:
            return texts, "mapping_expired"
        except ForbiddenError:
            return texts, "not_allowed"
        except RadiantError as exc:
            log.warning("session PHI not restored", extra={"error_code": exc.code})
            return texts, "phi_unavailable"
        return list(resp.texts), ""

    async def _restore(self, principal: common_pb2.Principal, mapping_id: str,
                       messages: list[dict]) -> tuple[list[dict], bool, str]:
        slots = _texts(messages)
        if not mapping_id or not slots:
            return messages, True, ""
        texts, reason = await self._reidentify(principal.tenant_id, mapping_id, [h[k] for h, k in slots])
        for (holder, k), text in zip(slots, texts, strict=True):
            holder[k] = text
        return messages, not reason, reason

    async def _restore_labels(self, principal: common_pb2.Principal, row: dict) -> dict:
        title, metadata = row["title"], row["metadata"]
        slots = _label_texts(title, metadata)
        reason = ""
        if row["labelsMappingId"] and slots:
            texts, reason = await self._reidentify(principal.tenant_id, row["labelsMappingId"],
                                                   [title if c is None else c[k] for c, k in slots])
            for (container, k), text in zip(slots, texts, strict=True):
                if container is None:
                    title = text
                else:
                    container[k] = text
        return {"title": title, "metadata": metadata, "restored": not reason, "reason": reason}


def _not_found(sid: str) -> NotFoundError:
    return NotFoundError(f"Session {sid} not found", details={"id": ["no such session"]})


def _decode(raw: dict[bytes, bytes]) -> dict[str, Any]:
    get = lambda name, default=b"": raw.get(name.encode(), default)  # noqa: E731
    return {"id": get("id").decode(), "model": get("model").decode(), "title": orjson.loads(get("title", b"null")),
            "metadata": orjson.loads(get("metadata", b"null")), "labelsMappingId": get("labelsMappingId").decode(),
            "messages": orjson.loads(get("messages", b"[]")), "mappingId": get("mappingId").decode(),
            "messageCount": int(get("messageCount", b"0")), "createdAt": get("createdAt").decode(),
            "updatedAt": get("updatedAt").decode()}


def _read_model(principal: common_pb2.Principal, row: dict, labels: dict, *, messages: list[dict] | None,
                restored: bool, reason: str) -> dict:
    out = {"id": row["id"], "tenantId": principal.tenant_id, "userId": principal.user_id, "title": labels["title"],
           "model": row["model"], "metadata": labels["metadata"], "messageCount": row["messageCount"],
           "createdAt": row["createdAt"], "updatedAt": row["updatedAt"],
           "phiMappingId": row["mappingId"] or None, "phiRestored": restored}
    if messages is not None:
        out["messages"] = messages
    if not restored:
        out["phiRestoreReason"] = reason
    return out
