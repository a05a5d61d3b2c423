"""Placeholder -> original mappings in Redis, one key per (tenant, mapping id) holding the whole mapping encrypted with
AES-256-GCM, written with its TTL in a single SET (atomic: a mapping never exists without its expiry). The tenant and
mapping id are bound into the ciphertext as associated data, so a value copied under another key (or another tenant)
does not decrypt."""
from __future__ import annotations

import asyncio
import logging
import os
import re
import uuid

import orjson
import redis.asyncio as aioredis
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.phi.policy import MAX_TTL_HOURS
from services.runtime.errors import InternalError, NotFoundError, ValidationError

_NONCE = 12
_MAPPING_ID = re.compile(r"[0-9a-f]{32}")
log = logging.getLogger("radiant.phi")


def new_mapping_id() -> str:
    return uuid.uuid4().hex


def mapping_key(tenant_id: str, mapping_id: str) -> str:
    return f"radiant:phi:map:{tenant_id}:{mapping_id}"


class MappingStore:
    def __init__(self, redis: aioredis.Redis, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("PHI encryption key must be 32 bytes")
        self.redis = redis
        self.aead = AESGCM(key)
        self._pending: set[asyncio.Task] = set()

    @staticmethod
    def _aad(tenant_id: str, mapping_id: str) -> bytes:
        return f"{tenant_id}\x1f{mapping_id}".encode()

    def _seal(self, tenant_id: str, mapping: dict[str, str], mapping_id: str | None = None) -> tuple[str, bytes]:
        mapping_id = mapping_id or new_mapping_id()
        nonce = os.urandom(_NONCE)
        return mapping_id, nonce + self.aead.encrypt(nonce, orjson.dumps(mapping), self._aad(tenant_id, mapping_id))

    async def save_many(self, mappings) -> int:
        """Mappings made by phi's library in another process (StoredMapping messages), in one round trip; raises on
        Redis errors so the sender keeps them and retries. Never overwrites: a mapping id that exists keeps its
        values (a retried batch changes nothing, and no caller can replace a mapping it learnt the id of). Returns
        how many were new."""
        checked = []
        for m in mappings:
            if not m.tenant_id or not _MAPPING_ID.fullmatch(m.mapping_id) or not m.mapping:
                raise ValidationError("Each mapping needs a tenant_id, a mapping_id (32 hex digits) and values",
                                      details={"mappings": ["invalid entry"]})
            ttl = min(max(m.ttl_seconds, 1), MAX_TTL_HOURS * 3600)
            checked.append((mapping_key(m.tenant_id, m.mapping_id), self._seal(m.tenant_id, dict(m.mapping),
                                                                            m.mapping_id)[1], ttl))
        async with self.redis.pipeline(transaction=False) as pipe:
            for key, blob, ttl in checked:
                pipe.set(key, blob, ex=ttl, nx=True)
            return sum(1 for written in await pipe.execute() if written)

    def save_soon(self, tenant_id: str, mapping: dict[str, str], ttl_seconds: int) -> str:
        """Encrypt now, write in the background: the caller restores its own answer from the mapping it is returned,
        so the request does not wait for Redis. The stored copy serves standalone and later re-identification; a
        failed write is logged (that mapping id then reads as expired)."""
        mapping_id, blob = self._seal(tenant_id, mapping)
        task = asyncio.create_task(self._write(mapping_key(tenant_id, mapping_id), blob, ttl_seconds))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)
        return mapping_id

    async def _write(self, key: str, blob: bytes, ttl_seconds: int) -> None:
        try:
            await self.redis.set(key, blob, ex=ttl_seconds)
        except aioredis.RedisError as exc:
            log.error("PHI mapping could not be stored", extra={"error_type": type(exc).__name__})

    async def drain(self) -> None:
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    async def load(self, tenant_id: str, mapping_id: str) -> dict[str, str]:
        await self.drain()  # a mapping this replica is still writing is read back consistently
        blob = await self.redis.get(mapping_key(tenant_id, mapping_id)) if mapping_id else None
        if not blob:
            raise NotFoundError("PHI mapping not found or expired")
        try:
            return orjson.loads(self.aead.decrypt(blob[:_NONCE], blob[_NONCE:], self._aad(tenant_id, mapping_id)))
        except InvalidTag:
            raise InternalError("PHI mapping cannot be decrypted with the configured key") from None

    async def delete(self, tenant_id: str, mapping_id: str) -> bool:
        return bool(await self.redis.delete(mapping_key(tenant_id, mapping_id)))
