"""Signing keys for JWT verification: an inline/file JWKS, or a Cognito JWKS URL fetched with PyJWT's PyJWKClient."""
from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import jwt
from jwt import PyJWK, PyJWKClient, PyJWKSet
from jwt.exceptions import PyJWKClientConnectionError, PyJWKClientError, PyJWKError, PyJWKSetError

from services.runtime.errors import ServiceUnavailableError, UnauthorizedError

# An unknown kid makes PyJWKClient refetch the JWKS; remember misses briefly so junk tokens cannot hammer the IdP.
_MISS_TTL_SECONDS = 60.0
_MAX_MISSES = 1024
# Keys found through the URL are re-checked this often, so a key removed from the JWKS stops being accepted.
_KEY_TTL_SECONDS = 300.0


def load_jwks_json(value: str) -> dict[str, Any]:
    """Parse inline JWKS JSON or read it from a file path; ValueError says what is wrong."""
    text = value.strip()
    if not text.startswith("{"):
        path = Path(text).expanduser()
        try:
            text = path.read_text()
        except OSError as exc:
            raise ValueError(f"not inline JSON and not a readable file ({type(exc).__name__})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON (line {exc.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise ValueError('not a JWKS (expected an object with a "keys" list)')
    try:
        PyJWKSet.from_dict(data)
    except (PyJWKSetError, PyJWKError) as exc:
        raise ValueError(f"no usable keys in the JWKS ({exc})") from None
    return data


class SigningKeys:
    """kid -> RSA public key. Lookups are in-memory; only a JWKS-URL miss goes to the network (in a thread)."""

    def __init__(self, jwks_url: str = "", jwks_json: str = "") -> None:
        self._static: dict[str, PyJWK] = {}
        self._client: PyJWKClient | None = None
        self._found: dict[str, tuple[PyJWK, float]] = {}
        self._misses: dict[str, float] = {}
        if jwks_json.strip():
            for key in PyJWKSet.from_dict(load_jwks_json(jwks_json)).keys:
                if key.key_id:
                    self._static[key.key_id] = key
        if jwks_url:
            # The JWK set is cached by the client (lifespan); per-kid caching with expiry is ours (_found).
            self._client = PyJWKClient(jwks_url, cache_keys=False, cache_jwk_set=True, lifespan=_KEY_TTL_SECONDS,
                                       timeout=5)

    @property
    def configured(self) -> bool:
        return bool(self._static) or self._client is not None

    async def get(self, kid: str) -> Any:
        key = self._static.get(kid)
        if key is None and self._client is not None:
            found = self._found.get(kid)
            if found is not None and time.monotonic() - found[1] < _KEY_TTL_SECONDS:
                key = found[0]
            else:
                key = await self._fetch(kid)
        if key is None or key.key_type != "RSA":
            raise UnauthorizedError("unknown signing key")
        return key.key

    async def _fetch(self, kid: str) -> PyJWK | None:
        now = time.monotonic()
        missed = self._misses.get(kid)
        if missed is not None and now - missed < _MISS_TTL_SECONDS:
            return None
        assert self._client is not None
        try:
            key = await asyncio.to_thread(self._client.get_signing_key, kid)
        except PyJWKClientConnectionError:
            raise ServiceUnavailableError("the identity provider's signing keys are unreachable") from None
        except (PyJWKClientError, PyJWKError, jwt.DecodeError):
            self._found.pop(kid, None)
            if len(self._misses) >= _MAX_MISSES:
                self._misses.clear()
            self._misses[kid] = now
            return None
        self._found[kid] = (key, now)
        self._misses.pop(kid, None)
        return key
