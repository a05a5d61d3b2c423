"""Service-to-service authentication: who is calling (a service token) and for whom (a principal token).

Every process that calls another service holds an Ed25519 key of its own identity (router, auth, operator, cli).
On each call it sends a short-lived service token (EdDSA JWT: iss = its identity, aud = the called service), and,
when it acts for a request, the principal token that auth signed when it authenticated that request's credential
(tenant, user, roles; at most PRINCIPAL_TOKEN_SECONDS, never past the credential's own expiry). Servers verify both
with the public keys of every identity (RADIANT_SERVICE_PUBLIC_KEYS); only auth's key makes a principal token, so a
process that is not auth cannot claim a tenant it holds no token for.

Keys: RADIANT_SERVICE_KEY (this process's private key) or RADIANT_SERVICE_KEY_<IDENTITY> (several identities in one
environment, e.g. the local stack), each an Ed25519 private key as PEM (Terraform's tls_private_key) or the URL-safe
base64 of its 32 raw bytes (`radiant service-keys` makes a set); public keys in the same two forms."""
from __future__ import annotations

import base64
import contextvars
import json
import os
import time
from dataclasses import dataclass
from typing import Mapping

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (Encoding, PublicFormat, load_pem_private_key,
                                                          load_pem_public_key)

from radiant.common.v1 import common_pb2
from services.runtime.config import ConfigError
from services.runtime.errors import UnauthorizedError

IDENTITIES = ("router", "auth", "operator", "cli")
SERVICE_TOKEN_HEADER = "x-radiant-service-token"
PRINCIPAL_TOKEN_HEADER = "x-radiant-principal-token"
SERVICE_TOKEN_SECONDS = 300
PRINCIPAL_TOKEN_SECONDS = 600
# Tokens are re-minted this long before they expire, so one in flight never arrives expired.
_REFRESH_MARGIN = 60
_LEEWAY = 5
_PRINCIPAL_AUDIENCE = "radiant"
PUBLIC_KEYS_VAR = "RADIANT_SERVICE_PUBLIC_KEYS"
KEY_VAR = "RADIANT_SERVICE_KEY"

# The principal token of the request being served; outgoing calls made for it carry it.
principal_token_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("radiant_principal_token",
                                                                                 default=None)


def key_var(identity: str) -> str:
    return f"{KEY_VAR}_{identity.upper()}"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))


def generate_key() -> str:
    return _b64(Ed25519PrivateKey.generate().private_bytes_raw())


def public_key_of(private: str) -> str:
    key = Ed25519PrivateKey.from_private_bytes(_unb64(private))
    return _b64(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def generate_key_set() -> dict[str, str]:
    """{RADIANT_SERVICE_KEY_<ID>: private, ..., RADIANT_SERVICE_PUBLIC_KEYS: json} for every identity."""
    private = {identity: generate_key() for identity in IDENTITIES}
    env = {key_var(identity): key for identity, key in private.items()}
    env[PUBLIC_KEYS_VAR] = json.dumps({identity: public_key_of(key) for identity, key in private.items()},
                                      separators=(",", ":"))
    return env


def private_key(identity: str, env: Mapping[str, str] | None = None) -> Ed25519PrivateKey:
    env = os.environ if env is None else env
    var = key_var(identity) if env.get(key_var(identity)) else KEY_VAR
    value = env.get(var, "")
    if not value:
        raise ConfigError(f"{KEY_VAR} (or {key_var(identity)}) is not set: the {identity} service needs its "
                          f"service key to call other services (see `radiant service-keys`)")
    try:
        if value.lstrip().startswith("-----BEGIN"):
            key = load_pem_private_key(value.encode(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError
            return key
        return Ed25519PrivateKey.from_private_bytes(_unb64(value))
    except (ValueError, TypeError):
        raise ConfigError(f"{var}: not an Ed25519 private key (PEM, or URL-safe base64 of its 32 bytes)") from None


def _public_key(value: str) -> Ed25519PublicKey:
    if value.lstrip().startswith("-----BEGIN"):
        key = load_pem_public_key(value.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError
        return key
    return Ed25519PublicKey.from_public_bytes(_unb64(value))


def public_keys(env: Mapping[str, str] | None = None) -> dict[str, Ed25519PublicKey]:
    env = os.environ if env is None else env
    raw = env.get(PUBLIC_KEYS_VAR, "")
    if not raw:
        raise ConfigError(f"{PUBLIC_KEYS_VAR} is not set: services verify their callers with these keys "
                          f"(see `radiant service-keys`)")
    try:
        entries = json.loads(raw)
        if not isinstance(entries, dict):
            raise ValueError
        keys = {name: _public_key(value) for name, value in entries.items() if name in IDENTITIES}
    except (ValueError, TypeError):
        raise ConfigError(f"{PUBLIC_KEYS_VAR}: must be a JSON object of identity -> URL-safe base64 Ed25519 "
                          f"public key") from None
    if "auth" not in keys:
        raise ConfigError(f"{PUBLIC_KEYS_VAR}: has no key for auth (principal tokens cannot be verified)")
    return keys


def audience_of(method: str) -> str:
    """The service a method path belongs to: /radiant.phi.v1.PhiService/Sanitize -> phi."""
    parts = method.lstrip("/").split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "radiant" else ""


class Minter:
    """Signs this process's service tokens (one per audience, reused until shortly before it expires)."""

    def __init__(self, identity: str, key: Ed25519PrivateKey) -> None:
        self.identity = identity
        self._key = key
        self._tokens: dict[str, tuple[float, str]] = {}

    @classmethod
    def from_env(cls, identity: str, env: Mapping[str, str] | None = None) -> "Minter":
        return cls(identity, private_key(identity, env))

    @classmethod
    def when(cls, enabled: bool, identity: str) -> "Minter | None":
        """This process's minter when internal authentication is on (ConfigError without its key)."""
        return cls.from_env(identity) if enabled else None

    def service_token(self, audience: str) -> str:
        now = time.time()
        cached = self._tokens.get(audience)
        if cached is not None and cached[0] - _REFRESH_MARGIN > now:
            return cached[1]
        exp = int(now) + SERVICE_TOKEN_SECONDS
        token = jwt.encode({"iss": self.identity, "aud": audience, "typ": "service", "iat": int(now), "exp": exp},
                           self._key, algorithm="EdDSA", headers={"kid": self.identity})
        self._tokens[audience] = (exp, token)
        return token

    def principal_token(self, principal: common_pb2.Principal) -> str:
        """Auth only: a token other services accept as proof that a request acts for `principal`."""
        now = int(time.time())
        exp = now + PRINCIPAL_TOKEN_SECONDS
        if principal.HasField("expires_at") and principal.expires_at.seconds:
            exp = min(exp, principal.expires_at.seconds)
        claims = {"iss": self.identity, "aud": _PRINCIPAL_AUDIENCE, "typ": "principal", "iat": now, "exp": exp,
                  "tid": principal.tenant_id, "sub": principal.user_id, "app": principal.app_id,
                  "kid": principal.key_id, "roles": list(principal.roles), "adm": principal.is_admin,
                  "sa": principal.is_super_admin}
        return jwt.encode(claims, self._key, algorithm="EdDSA", headers={"kid": self.identity})


@dataclass(frozen=True)
class PrincipalClaims:
    tenant_id: str
    user_id: str
    roles: frozenset[str]
    is_admin: bool
    is_super_admin: bool
    expires: int


@dataclass(frozen=True)
class Caller:
    identity: str
    principal: PrincipalClaims | None


# The verified caller of the gRPC call being served (None on servers that do not authenticate their callers).
caller_var: contextvars.ContextVar[Caller | None] = contextvars.ContextVar("radiant_caller", default=None)


def current_principal() -> PrincipalClaims | None:
    caller = caller_var.get()
    return caller.principal if caller is not None else None


class Verifier:
    """Checks service and principal tokens addressed to one service. Verified tokens are remembered until they
    expire (a caller reuses each for minutes), so a call costs a dictionary lookup, not a signature check."""

    def __init__(self, audience: str, keys: Mapping[str, Ed25519PublicKey], max_entries: int = 20_000) -> None:
        self.audience = audience
        self._keys = dict(keys)
        self._max = max_entries
        self._services: dict[str, tuple[int, str]] = {}
        self._principals: dict[str, PrincipalClaims] = {}

    def _remember(self, cache: dict, token: str, value: object) -> None:
        if len(cache) >= self._max:
            cache.clear()
        cache[token] = value

    def _decode(self, token: str, audience: str, what: str) -> dict:
        try:
            issuer = jwt.get_unverified_header(token).get("kid")
            key = self._keys.get(issuer) if isinstance(issuer, str) else None
            if key is None:
                raise UnauthorizedError(f"{what} token is signed by an unknown identity")
            return jwt.decode(token, key, algorithms=["EdDSA"], audience=audience, issuer=issuer, leeway=_LEEWAY,
                              options={"require": ["exp", "iat", "iss", "aud"]})
        except jwt.ExpiredSignatureError:
            raise UnauthorizedError(f"{what} token has expired") from None
        except jwt.InvalidTokenError:
            raise UnauthorizedError(f"{what} token is not valid for {self.audience}") from None

    def service(self, token: str) -> str:
        """The identity a service token proves."""
        hit = self._services.get(token)
        if hit is not None and hit[0] + _LEEWAY > time.time():
            return hit[1]
        claims = self._decode(token, self.audience, "service")
        if claims.get("typ") != "service":
            raise UnauthorizedError(f"service token is not valid for {self.audience}")
        self._remember(self._services, token, (int(claims["exp"]), claims["iss"]))
        return claims["iss"]

    def principal(self, token: str) -> PrincipalClaims:
        hit = self._principals.get(token)
        if hit is not None and hit.expires + _LEEWAY > time.time():
            return hit
        claims = self._decode(token, _PRINCIPAL_AUDIENCE, "principal")
        if claims.get("typ") != "principal" or claims.get("iss") != "auth":
            raise UnauthorizedError("principal token was not issued by auth")
        roles = claims.get("roles")
        principal = PrincipalClaims(str(claims.get("tid") or ""), str(claims.get("sub") or ""),
                                    frozenset(r for r in roles if isinstance(r, str)) if isinstance(roles, list)
                                    else frozenset(), claims.get("adm") is True, claims.get("sa") is True,
                                    int(claims["exp"]))
        self._remember(self._principals, token, principal)
        return principal
