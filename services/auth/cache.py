"""Bounded in-process cache of successful Authenticate decisions (principal and tenant settings). Keys are HMACs of the credential (never the
credential itself); entries expire after the configured TTL or when the credential itself expires. Nothing is cached
while the replica is not subscribed to the invalidation channel (another auth replica's revocation must reach it).""" 
from __future__ import annotations

import hashlib
import hmac
import time
from collections import OrderedDict

from radiant.auth.v1 import auth_pb2

from services.runtime.auth_events import CHANNEL
from services.runtime.invalidation import Follower


class DecisionCache:
    def __init__(self, pepper: bytes, ttl_seconds: float, max_entries: int) -> None:
        # A key derived from the pepper, so cache keys never equal the stored API-key hashes.
        self._key = hmac.new(pepper, b"radiant-auth-decision-cache", hashlib.sha256).digest()
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._entries: OrderedDict[bytes, tuple[float, auth_pb2.AuthenticateResponse]] = OrderedDict()
        # Another auth replica's revocation or tenant change arrives on the invalidation channel.
        self.follower = Follower(CHANNEL, lambda _: self.clear(), self.clear, "auth decision")

    def key(self, kind: str, credential: str) -> bytes:
        return hmac.new(self._key, f"{kind}:{credential}".encode(), hashlib.sha256).digest()

    def get(self, key: bytes) -> auth_pb2.AuthenticateResponse | None:
        entry = self._entries.get(key) if self.follower.subscribed else None
        if entry is None:
            return None
        if entry[0] <= time.monotonic():
            self._entries.pop(key, None)
            return None
        return entry[1]

    def put(self, key: bytes, decision: auth_pb2.AuthenticateResponse, credential_expires_at: float | None = None) -> None:
        """credential_expires_at: epoch seconds when the credential stops being valid (token exp, key expiry)."""
        if self.ttl <= 0 or not self.follower.subscribed:
            return
        ttl = self.ttl
        if credential_expires_at is not None:
            ttl = min(ttl, credential_expires_at - time.time())
        if ttl <= 0:
            return
        self._entries[key] = (time.monotonic() + ttl, decision)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
