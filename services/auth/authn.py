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

from services.auth import keys, permissions
from services.auth.cache import DecisionCache
from services.auth.jwks import SigningKeys
from services.auth.messages import KEY_TIER_TO_PB, STATUS_TO_PB, applied_limits, limits_to_pb, settings_to_pb
from services.auth.models import Tenant, User
from services.auth.settings import Settings
from services.auth.store import AuthStore
from services.auth.validation import ID_RE
from services.runtime.errors import UnauthorizedError
from services.runtime.service_auth import Minter
from services.runtime.timeutil import as_utc, to_ts, utcnow

log = logging.getLogger("radiant.auth")

ADMIN_GROUPS = frozenset(permissions.ROLES)
JWT_LEEWAY_SECONDS = 5
LAST_USED_INTERVAL_SECONDS = 60.0
_MAX_TOUCHED = 10_000


class Authenticator:
    def __init__(self, store: AuthStore, settings: Settings) -> None:
        self.store = store
        self.pepper = settings.api_key_pepper.get_secret_value().encode()
        self.cache = DecisionCache(self.pepper, settings.auth_cache_seconds, settings.auth_cache_max_entries)
        self.users_pool = JwtVerifier(SigningKeys(settings.jwks_url, settings.jwks_json), settings.jwt_issuer,
                                      settings.jwt_audience)
        self.admin_pool = JwtVerifier(SigningKeys(settings.admin_jwks_url, settings.admin_jwks_json),
                                      settings.admin_jwt_issuer, settings.admin_jwt_audience) \
            if settings.admin_jwt_issuer else None
        self.tier_limits = {name: limits_to_pb(values) for name, values in settings.key_tier_limits.items()}
        self._touched: dict[str, float] = {}
        self._tasks: set[asyncio.Task] = set()
        self.signer = Minter.when(settings.internal_auth, "auth")

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
        if self.signer is not None:
            # Signed per answer, not cached: the router may keep the decision for its own cache's lifetime.
            decision = auth_pb2.AuthenticateResponse(principal=decision.principal,
                                                     tenant_settings=decision.tenant_settings,
                                                     principal_token=self.signer.principal_token(decision.principal))
        return decision

    # --- API keys ------------------------------------------------------------------------------------------------
    async def _from_api_key(self, api_key: str) -> tuple[common_pb2.Principal, Tenant, float | None]:
        if not keys.well_formed(api_key):
            raise UnauthorizedError("malformed API key")
        digest = keys.key_hash(self.pepper, api_key)
        found = await self.store.key_by_hash(digest)
        if found is None or not keys.same_hash(found[0].key_hash, digest):
            raise UnauthorizedError("invalid API key")
        key, tenant, user, app_limits = found
        if key.revoked_at is not None:
            raise UnauthorizedError("API key has been revoked")
        expires = as_utc(key.expires_at) if key.expires_at is not None else None
        if expires is not None and expires <= utcnow():
            raise UnauthorizedError("API key was rotated and its grace period has ended" if key.replaced_by
                                    else "API key has expired")
        self._check_tenant(tenant)
        if key.user_id:
            self._check_user(user)
        # A key bound to a user acts with the user's roles (a promotion or a disable applies to its keys at once);
        # a key of no user carries its own.
        roles = list(user.roles or []) if user is not None else list(key.roles or [])
        principal = common_pb2.Principal(
            tenant_id=tenant.id, app_id=key.app_id, user_id=key.user_id or f"apikey:{key.id}", roles=roles,
            email=user.email if user is not None else "", tier=key.tier or tenant.tier, key_id=key.id,
            auth_method=common_pb2.AUTH_METHOD_API_KEY, is_admin=bool(ADMIN_GROUPS.intersection(roles)),
            is_super_admin="super_admin" in roles, tenant_status=STATUS_TO_PB[tenant.status],
            expires_at=to_ts(expires), permissions=key.permissions or permissions.default_permissions(roles),
            limits=applied_limits(tenant.settings, app_limits, user.limits if user is not None else None,
                                  key.limits))
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
        """Called after revocations and tenant changes, so this replica stops honouring stale decisions at once (the
        cache also empties itself on the invalidation channel, for changes made through other replicas)."""
        self.cache.clear()
        self._touched.clear()

    async def follow_invalidations(self, redis) -> None:
        """Runs for the life of the process (decisions are cached only while it is subscribed)."""
        await self.cache.follower.run(redis)

    # --- JWT -----------------------------------------------------------------------------------------------------
    async def _from_jwt(self, token: str) -> tuple[common_pb2.Principal, Tenant, float | None]:
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.InvalidTokenError:
            raise UnauthorizedError("malformed token") from None
        if header.get("alg") != "RS256":
            raise UnauthorizedError("unsupported token algorithm (RS256 required)")
        # Admin-pool tokens are told apart by their issuer (checked again when the signature is verified).
        admin = self.admin_pool is not None and unverified.get("iss") == self.admin_pool.issuer
        claims = await (self.admin_pool if admin else self.users_pool).verify(token, header)
        tenant_id = claims.get("custom:tenantId") or claims.get("custom:tenant_id")
        if not isinstance(tenant_id, str) or not tenant_id:
            raise UnauthorizedError("token has no tenant")
        tenant = await self.store.find_tenant(tenant_id) if ID_RE.fullmatch(tenant_id) else None
        if tenant is None:
            raise UnauthorizedError("unknown tenant")
        self._check_tenant(tenant)
        subject = _str(claims["sub"])
        # A signed-in person known to auth (e.g. an accepted invitation) is that user: same id as its API keys, and
        # refused once disabled or deleted.
        user = await self.store.find_user_by_subject(tenant.id, subject) if subject else None
        if user is not None:
            self._check_user(user)
        groups = [g for g in claims.get("cognito:groups") or [] if isinstance(g, str)]
        role = claims.get("custom:role")
        if admin:
            roles = [g for g in groups if g in ADMIN_GROUPS]
        else:
            roles = [role] if isinstance(role, str) and role else []
        exp = int(claims["exp"])
        app_id = _str(claims.get("custom:appId")) or _str(claims.get("custom:app_id")) or tenant.app_id
        app_limits = await self.store.app_limits(tenant.id, app_id)
        principal = common_pb2.Principal(
            tenant_id=tenant.id, app_id=app_id,
            user_id=user.id if user is not None else subject,
            email=_str(claims.get("email")) or _str(claims.get("cognito:username")),
            roles=roles, groups=groups, tier=tenant.tier,
            auth_method=common_pb2.AUTH_METHOD_JWT, is_admin=bool(ADMIN_GROUPS.intersection(groups)),
            is_super_admin="super_admin" in groups, tenant_status=STATUS_TO_PB[tenant.status],
            expires_at=Timestamp(seconds=exp), permissions=list(permissions.PERMISSIONS),
            limits=applied_limits(tenant.settings, app_limits, user.limits if user is not None else None))
        log.debug("jwt authenticated", extra={"tenant": tenant.id, "admin_pool": admin})
        return principal, tenant, float(exp)

    @staticmethod
    def _check_user(user: User | None) -> None:
        if user is None or user.status == "deleted":
            raise UnauthorizedError("the user of this credential has been deleted")
        if user.status != "active":
            raise UnauthorizedError(f"the user of this credential is {user.status}")

    @staticmethod
    def _check_tenant(tenant: Tenant) -> None:
        # Suspended tenants authenticate (tenant_status says so; admission denies later); deleted ones do not.
        if tenant.status == "deleted":
            raise UnauthorizedError("tenant has been deleted")


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


class JwtVerifier:
    """One identity pool: its signing keys, issuer (checked when set) and audience (checked when set)."""

    def __init__(self, signing_keys: SigningKeys, issuer: str, audience: str) -> None:
        self.signing_keys = signing_keys
        self.issuer = issuer or None
        self.audience = audience

    async def verify(self, token: str, header: dict[str, Any]) -> dict[str, Any]:
        if not self.signing_keys.configured:
            raise UnauthorizedError("JWT authentication is not configured")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise UnauthorizedError("unknown signing key")
        return self._decode(token, await self.signing_keys.get(kid))

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
