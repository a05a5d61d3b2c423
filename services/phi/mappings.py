"""Placeholder -> original mappings in Redis, one key per (tenant, mapping id) holding the whole mapping encrypted with
AES-256-GCM, written with its TTL in a single SET (atomic: a mapping never exists without its expiry). The tenant and
mapping id are bound into the ciphertext as associated data, so a value copied under another key (or another tenant)
does not decrypt."""
from __future__ import annotations

import os
import uuid

import orjson
import redis.asyncio as aioredis
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.runtime.errors import InternalError, NotFoundError

_NONCE = 12


def mapping_key(tenant_id: str, mapping_id: str) -> str:
    return f"radiant:phi:map:{tenant_id}:{mapping_id}"


class MappingStore:
    def __init__(self, redis: aioredis.Redis, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("PHI encryption key must be 32 bytes")
        self.redis = redis
        self.aead = AESGCM(key)

    @staticmethod
    def _aad(tenant_id: str, mapping_id: str) -> bytes:
        return f"{tenant_id}\x1f{mapping_id}".encode()

    async def save(self, tenant_id: str, mapping: dict[str, str], ttl_seconds: int) -> str:
        mapping_id = uuid.uuid4().hex
        nonce = os.urandom(_NONCE)
        blob = nonce + self.aead.encrypt(nonce, orjson.dumps(mapping), self._aad(tenant_id, mapping_id))
        await self.redis.set(mapping_key(tenant_id, mapping_id), blob, ex=ttl_seconds)
        return mapping_id

    async def load(self, tenant_id: str, mapping_id: str) -> dict[str, str]:
        blob = await self.redis.get(mapping_key(tenant_id, mapping_id)) if mapping_id else None
        if not blob:
            raise NotFoundError("PHI mapping not found or expired")
        try:
            return orjson.loads(self.aead.decrypt(blob[:_NONCE], blob[_NONCE:], self._aad(tenant_id, mapping_id)))
        except InvalidTag:
            raise InternalError("PHI mapping cannot be decrypted with the configured key") from None

    async def delete(self, tenant_id: str, mapping_id: str) -> bool:
        return bool(await self.redis.delete(mapping_key(tenant_id, mapping_id)))
