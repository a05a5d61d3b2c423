"""Provider credentials by reference: the registry names where the secret lives (``credential_ref``), never the value.

- ``RADIANT_OPENAI_API_KEY`` (a plain name): an environment variable of the router.
- ``secretsmanager:<secret id or ARN>`` optionally ``#<json key>``: an AWS Secrets Manager secret, read with the
  router's IRSA role (boto3's default credential chain), cached for ``ttl`` seconds so a rotated key is picked up.
A reference that resolves to nothing is a 503 naming the reference (never the value)."""
from __future__ import annotations

import asyncio
import json
import os
import time
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from services.runtime.errors import ServiceUnavailableError

SECRETS_MANAGER_PREFIX = "secretsmanager:"


class CredentialResolver:
    def __init__(self, ttl: float = 300.0, region: str | None = None) -> None:
        self.ttl = ttl
        self.region = region
        self._cache: dict[str, tuple[float, str]] = {}
        self._client: Any = None
        self._locks: dict[str, asyncio.Lock] = {}

    async def resolve(self, provider_id: str, ref: str) -> str:
        ref = ref.strip()
        if not ref.startswith(SECRETS_MANAGER_PREFIX):
            value = os.environ.get(ref) if ref else None
            if not value:
                raise ServiceUnavailableError(f"Provider '{provider_id}' has no credential configured "
                                              f"(set {ref or 'its credential variable'})")
            return value
        hit = self._cache.get(ref)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        async with self._locks.setdefault(ref, asyncio.Lock()):
            hit = self._cache.get(ref)
            if hit and hit[0] > time.monotonic():
                return hit[1]
            value = await asyncio.to_thread(self._fetch, provider_id, ref)
            self._cache[ref] = (time.monotonic() + self.ttl, value)
            return value

    def _secrets_manager(self) -> Any:
        if self._client is None:
            self._client = boto3.client("secretsmanager", region_name=self.region,
                                        config=Config(retries={"mode": "standard", "max_attempts": 3},
                                                      connect_timeout=3, read_timeout=5))
        return self._client

    def _fetch(self, provider_id: str, ref: str) -> str:
        secret_id, _, json_key = ref[len(SECRETS_MANAGER_PREFIX):].partition("#")
        try:
            raw = self._secrets_manager().get_secret_value(SecretId=secret_id).get("SecretString") or ""
        except (ClientError, BotoCoreError) as exc:
            raise ServiceUnavailableError(f"Provider '{provider_id}': its credential secret '{secret_id}' cannot be "
                                          f"read ({type(exc).__name__})") from None
        if json_key:
            try:
                raw = str(json.loads(raw)[json_key])
            except (ValueError, KeyError, TypeError):
                raise ServiceUnavailableError(f"Provider '{provider_id}': secret '{secret_id}' has no JSON key "
                                              f"'{json_key}'") from None
        if not raw.strip():
            raise ServiceUnavailableError(f"Provider '{provider_id}': its credential secret '{secret_id}' is empty")
        return raw.strip()
