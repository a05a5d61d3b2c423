"""Short-lived cache of authentication decisions in the router (saves the auth hop on the hot path).

Entries live at most `ttl` seconds (and never past the credential's own expiry), are keyed by a salted hash of the
credential (the credential itself is not kept), and are evicted at once when auth announces a revocation or tenant
change on the invalidation channel. While the router is not subscribed to that channel nothing is cached.

The tenant's settings (policies) arrive with each decision and are kept per tenant: refreshed on every Authenticate
call, dropped when the tenant changes, so a settings update is enforced from the next request on."""
from __future__ import annotations

import hashlib
import os
import time

import redis.asyncio as aioredis

from radiant.auth.v1 import auth_pb2
from radiant.common.v1 import common_pb2
from services.runtime.auth_events import CHANNEL, decode
from services.runtime.invalidation import Follower


class AuthCache:
    def __init__(self, ttl: float, max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._follower = Follower(CHANNEL, lambda data: self.evict(*decode(data)), self.stop_caching, "auth")
        self._salt = os.urandom(16)
        self._entries: dict[bytes, tuple[float, common_pb2.Principal, str]] = {}
        self._settings: dict[str, auth_pb2.TenantSettings] = {}

    @property
    def subscribed(self) -> bool:
        return self._follower.subscribed

    @property
    def active(self) -> bool:
        return self.ttl > 0 and self._follower.subscribed

    def key(self, credential: auth_pb2.AuthenticateRequest) -> bytes:
        return hashlib.blake2b(credential.SerializeToString(), key=self._salt, digest_size=16).digest()

    def get(self, key: bytes) -> tuple[common_pb2.Principal, str] | None:
        """The principal and its principal token, while the entry lives."""
        if not self.active:
            return None
        hit = self._entries.get(key)
        if hit is None:
            return None
        if hit[0] <= time.time():
            self._entries.pop(key, None)
            return None
        return hit[1], hit[2]

    def put(self, key: bytes, principal: common_pb2.Principal,
            settings: auth_pb2.TenantSettings | None = None, token: str = "") -> None:
        if settings is not None:
            if len(self._settings) >= self.max_entries:
                self._settings.clear()
            self._settings[principal.tenant_id] = settings
        if not self.active:
            return
        expires = time.time() + self.ttl
        if principal.HasField("expires_at") and principal.expires_at.seconds:
            expires = min(expires, principal.expires_at.seconds)
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (expires, principal, token)

    def tenant_settings(self, tenant_id: str) -> auth_pb2.TenantSettings | None:
        """The settings that came with this tenant's latest authentication; None when not known (fetch them)."""
        return self._settings.get(tenant_id)

    def evict(self, tenant_id: str, key_id: str) -> None:
        if not key_id:
            self._settings.pop(tenant_id, None)
        for k, (_, p, _token) in list(self._entries.items()):
            if (key_id and p.key_id == key_id) or (not key_id and p.tenant_id == tenant_id):
                self._entries.pop(k, None)

    def stop_caching(self) -> None:
        self._entries.clear()
        self._settings.clear()

    async def listen(self, redis: aioredis.Redis) -> None:
        """Runs for the life of the process; reconnects with backoff."""
        if self.ttl <= 0:
            return
        await self._follower.run(redis)
