"""Placeholder -> original mappings in Redis, keyed by tenant and mapping id, values encrypted with AES-GCM.
The tenant, mapping id and placeholder are bound into each ciphertext as associated data, so a value copied to
another key (or another tenant) does not decrypt."""
from __future__ import annotations

import os
import uuid

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

    def _aad(self, tenant_id: str, mapping_id: str, placeholder: str) -> bytes:
        return f"{tenant_id}\x1f{mapping_id}\x1f{placeholder}".encode()

    async def save(self, tenant_id: str, mapping: dict[str, str], ttl_seconds: int) -> str:
        mapping_id = uuid.uuid4().hex
        fields = {}
        for ph, original in mapping.items():
            nonce = os.urandom(_NONCE)
            fields[ph] = nonce + self.aead.encrypt(nonce, original.encode(), self._aad(tenant_id, mapping_id, ph))
        key = mapping_key(tenant_id, mapping_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=fields)
            pipe.expire(key, ttl_seconds)
            await pipe.execute()
        return mapping_id

    async def load(self, tenant_id: str, mapping_id: str) -> dict[str, str]:
        raw = await self.redis.hgetall(mapping_key(tenant_id, mapping_id)) if mapping_id else {}
        if not raw:
            raise NotFoundError("PHI mapping not found or expired")
        out = {}
        for ph, blob in raw.items():
            ph = ph.decode()
            try:
                out[ph] = self.aead.decrypt(blob[:_NONCE], blob[_NONCE:], self._aad(tenant_id, mapping_id, ph)).decode()
            except InvalidTag:
                raise InternalError("PHI mapping cannot be decrypted with the configured key") from None
        return out

    async def delete(self, tenant_id: str, mapping_id: str) -> bool:
        return bool(await self.redis.delete(mapping_key(tenant_id, mapping_id)))
