"""Authenticate: API keys (keyed hash lookup) and Cognito-style RS256 JWTs (JWKS) -> Principal plus the tenant's
settings, with a short-lived decision cache and off-path last_used_at updates."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import jwt
from google.protobuf.timestamp_pb2 import Timestamp
from radiant.auth.v1 import auth_pb2
from radiant.common.v1 import common_pb2

from services.auth import keys
from services.auth.cache import DecisionCache
from services.auth.jwks import SigningKeys
from services.auth.messages import KEY_TIER_TO_PB, STATUS_TO_PB, applied_limits, limits_to_pb, settings_to_pb
from services.auth.models import Tenant
from services.auth.settings import Settings
from services.auth.store import AuthStore
from services.auth.validation import ID_RE
from services.runtime.errors import UnauthorizedError
from services.runtime.timeutil import as_utc, to_ts, utcnow

log = logging.getLogger("radiant.auth")

ADMIN_GROUPS = frozenset({"super_admin", "admin", "operator", "auditor"})
JWT_LEEWAY_SECONDS = 5
LAST_USED_INTERVAL_SECONDS = 60.0
_MAX_TOUCHED = 10_000


class Authenticator:
    def __init__(self, store: AuthStore, settings: Settings) -> None:
        self.store = store
        self.pepper = settings.api_key_pepper.get_secret_value().encode()
        self.cache = DecisionCache(self.pepper, settings.auth_cache_seconds, settings.auth_cache_max_entries)
        self.signing_keys = SigningKeys(settings.jwks_url, settings.jwks_json)
        self.issuer = settings.jwt_issuer or None
        self.audience = settings.jwt_audience
        self.tier_limits = {name: limits_to_pb(values) for name, values in settings.key_tier_limits.items()}
        self._touched: dict[str, float] = {}
        self._tasks: set[asyncio.Task] = set()

    async def authenticate(self, request: auth_pb2.AuthenticateRequest) -> auth_pb2.AuthenticateResponse:
        kind = request.WhichOneof("credential")
        if kind == "api_key":
            credential = request.api_key
            if not credential:
                raise UnauthorizedError("missing API key")
        elif kind == "bearer_token":
            credential = request.bearer_token.removeprefix("Bearer ").strip()
            if not credential:
                raise UnauthorizedError("missing bearer token")
        else:
            raise UnauthorizedError("no credential provided (bearer_token or api_key)")
        cache_key = self.cache.key(kind, credential)
        decision = self.cache.get(cache_key)
        if decision is None:
            if kind == "api_key":
                principal, tenant, expires = await self._from_api_key(credential)
            else:
                principal, tenant, expires = await self._from_jwt(credential)
            decision = auth_pb2.AuthenticateResponse(principal=principal,
                                                     tenant_settings=settings_to_pb(tenant.settings))
            self.cache.put(cache_key, decision, expires)
        if decision.principal.key_id:
            self._touch(decision.principal.key_id)
        return decision

    # --- API keys ------------------------------------------------------------------------------------------------
    async def _from_api_key(self, api_key: str) -> tuple[common_pb2.Principal, Tenant, float | None]:
        if not keys.well_formed(api_key):
            raise UnauthorizedError("malformed API key")
        digest = keys.key_hash(self.pepper, api_key)
        found = await self.store.key_by_hash(digest)
        if found is None or not keys.same_hash(found[0].key_hash, digest):
            raise UnauthorizedError("invalid API key")
        key, tenant, app_limits, user_limits = found
        if key.revoked_at is not None:
            raise UnauthorizedError("API key has been revoked")
        expires = as_utc(key.expires_at) if key.expires_at is not None else None
        if expires is not None and expires <= utcnow():
            raise UnauthorizedError("API key has expired")
        self._check_tenant(tenant)
        roles = list(key.roles or [])
        principal = common_pb2.Principal(
            tenant_id=tenant.id, app_id=key.app_id, user_id=key.user_id or f"apikey:{key.id}", roles=roles,
            tier=key.tier or tenant.tier, key_id=key.id, auth_method=common_pb2.AUTH_METHOD_API_KEY,
            is_admin=bool(ADMIN_GROUPS.intersection(roles)), is_super_admin="super_admin" in roles,
            tenant_status=STATUS_TO_PB[tenant.status], expires_at=to_ts(expires),
            limits=applied_limits(tenant.settings, app_limits, user_limits, key.limits))
        if key.key_tier in self.tier_limits:
            principal.limits.key_tier = KEY_TIER_TO_PB[key.key_tier]
            principal.limits.tier.CopyFrom(self.tier_limits[key.key_tier])
        log.debug("api key authenticated", extra={"key_id": key.id, "tenant": tenant.id})
        return principal, tenant, expires.timestamp() if expires is not None else None

    def _touch(self, key_id: str) -> None:
        """Record last use at most once a minute per key, in a background task (never on the request path)."""
        now = time.monotonic()
        last = self._touched.get(key_id)
        if last is not None and now - last < LAST_USED_INTERVAL_SECONDS:
            return
        if len(self._touched) >= _MAX_TOUCHED:
            self._touched.clear()
        self._touched[key_id] = now
        task = asyncio.create_task(self._write_last_used(key_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _write_last_used(self, key_id: str) -> None:
        try:
            await self.store.touch_key(key_id, utcnow())
        except Exception as exc:  # noqa: BLE001 - best effort; never fails a request
            log.warning("could not record API key use", extra={"key_id": key_id, "error_type": type(exc).__name__})

    async def close(self) -> None:
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def forget_decisions(self) -> None:
        """Called after revocations and tenant changes, so this replica stops honouring stale decisions at once."""
        self.cache.clear()
        self._touched.clear()

    # --- JWT -----------------------------------------------------------------------------------------------------
    async def _from_jwt(self, token: str) -> tuple[common_pb2.Principal, Tenant, float | None]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise UnauthorizedError("malformed token") from None
        if header.get("alg") != "RS256":
            raise UnauthorizedError("unsupported token algorithm (RS256 required)")
        if not self.signing_keys.configured:
            raise UnauthorizedError("JWT authentication is not configured")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise UnauthorizedError("unknown signing key")
        claims = self._decode(token, await self.signing_keys.get(kid))
        tenant_id = claims.get("custom:tenantId") or claims.get("custom:tenant_id")
        if not isinstance(tenant_id, str) or not tenant_id:
            raise UnauthorizedError("token has no tenant")
        tenant = await self.store.find_tenant(tenant_id) if ID_RE.fullmatch(tenant_id) else None
        if tenant is None:
            raise UnauthorizedError("unknown tenant")
        self._check_tenant(tenant)
        groups = [g for g in claims.get("cognito:groups") or [] if isinstance(g, str)]
        role = claims.get("custom:role")
        exp = int(claims["exp"])
        app_id = _str(claims.get("custom:appId")) or _str(claims.get("custom:app_id")) or "default"
        app_limits, user_limits = await self.store.member_limits(tenant.id, app_id, _str(claims["sub"]))
        principal = common_pb2.Principal(
            tenant_id=tenant.id, app_id=app_id,
            user_id=_str(claims["sub"]),
            email=_str(claims.get("email")) or _str(claims.get("cognito:username")),
            roles=[role] if isinstance(role, str) and role else [], groups=groups, tier=tenant.tier,
            auth_method=common_pb2.AUTH_METHOD_JWT, is_admin=bool(ADMIN_GROUPS.intersection(groups)),
            is_super_admin="super_admin" in groups, tenant_status=STATUS_TO_PB[tenant.status],
            expires_at=Timestamp(seconds=exp),
            limits=applied_limits(tenant.settings, app_limits, user_limits))
        log.debug("jwt authenticated", extra={"tenant": tenant.id})
        return principal, tenant, float(exp)

    def _decode(self, token: str, key: Any) -> dict[str, Any]:
        try:
            claims = jwt.decode(token, key, algorithms=["RS256"], issuer=self.issuer, leeway=JWT_LEEWAY_SECONDS,
                                options={"require": ["exp", "sub"], "verify_aud": False})
        except jwt.ExpiredSignatureError:
            raise UnauthorizedError("token has expired") from None
        except jwt.InvalidSignatureError:
            raise UnauthorizedError("invalid token signature") from None
        except jwt.MissingRequiredClaimError as exc:
            raise UnauthorizedError(f"token has no {exc.claim} claim") from None
        except jwt.InvalidIssuerError:
            raise UnauthorizedError("token issuer does not match") from None
        except jwt.ImmatureSignatureError:
            raise UnauthorizedError("token is not yet valid") from None
        except jwt.InvalidTokenError:
            raise UnauthorizedError("invalid token") from None
        if self.audience:
            # Cognito ID tokens carry `aud`; access tokens carry `client_id` instead.
            aud = claims.get("aud", claims.get("client_id"))
            auds = [aud] if isinstance(aud, str) else list(aud or [])
            if self.audience not in auds:
                raise UnauthorizedError("token audience does not match")
        return claims

    @staticmethod
    def _check_tenant(tenant: Tenant) -> None:
        # Suspended tenants authenticate (tenant_status says so; admission denies later); deleted ones do not.
        if tenant.status == "deleted":
            raise UnauthorizedError("tenant has been deleted")


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""
