"""auth tables: tenants, apps, users, api_keys (only keyed hashes of API keys are stored), invitations (only keyed
hashes of their tokens) and promotions."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from services.runtime.db import Base, JSONType
from services.runtime.timeutil import utcnow

TENANT_STATUSES = ("active", "suspended", "deleted")
USER_STATUSES = ("active", "invited", "suspended", "deleted")
INVITATION_STATUSES = ("pending", "accepted", "revoked")  # "expired" is a pending one past expires_at
PROMOTION_STATUSES = ("pending", "approved", "rejected")  # likewise


class AuthBase(Base):
    __abstract__ = True
    metadata = sa.MetaData()


class Tenant(AuthBase):
    __tablename__ = "tenants"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    app_id: Mapped[str] = mapped_column(sa.String(64), default="default")
    name: Mapped[str] = mapped_column(sa.String(200))
    domain: Mapped[str] = mapped_column(sa.String(253), default="")
    status: Mapped[str] = mapped_column(sa.String(16), default="active", index=True)
    tier: Mapped[int] = mapped_column(sa.Integer, default=1)
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class App(AuthBase):
    __tablename__ = "apps"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "name", name="uq_apps_tenant_name"),)
    # App ids are per tenant (the same app, e.g. "default", exists in many tenants), hence the composite key.
    tenant_id: Mapped[str] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Rate limits, token quotas and budgets of this app (radiant.common.v1.Limits fields; absent = none).
    limits: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)


class User(AuthBase):
    __tablename__ = "users"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "email", name="uq_users_tenant_email"),
                      sa.Index("ix_users_tenant_subject", "tenant_id", "subject"))
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    app_id: Mapped[str] = mapped_column(sa.String(64))
    email: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(128), default="")
    roles: Mapped[list[str]] = mapped_column(JSONType, default=list)
    groups: Mapped[list[str]] = mapped_column(JSONType, default=list)
    status: Mapped[str] = mapped_column(sa.String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    limits: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)


class ApiKey(AuthBase):
    __tablename__ = "api_keys"
    # Public key id (embedded in generated keys, safe to log).
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    app_id: Mapped[str] = mapped_column(sa.String(64))
    user_id: Mapped[str] = mapped_column(sa.String(64), default="")
    name: Mapped[str] = mapped_column(sa.String(200))
    roles: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # None: the tenant's tier applies.
    tier: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)
    # HMAC-SHA256(pepper, key) hex; the plaintext is never stored.
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), nullable=True)
    limits: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    # Rate-limit tier: free, basic, premium, enterprise (None: no tier limits).
    key_tier: Mapped[str | None] = mapped_column(sa.String(16), nullable=True)
    # "completions", "embeddings", "admin", "health".
    permissions: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # Set when rotated: the replacement's id (the old key then works until expires_at, the end of its grace).
    replaced_by: Mapped[str] = mapped_column(sa.String(64), default="")
    rotated_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), nullable=True)


class Invitation(AuthBase):
    __tablename__ = "invitations"
    __table_args__ = (sa.Index("ix_invitations_tenant_email", "tenant_id", "email"),)
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[str] = mapped_column(sa.String(32))
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    # HMAC-SHA256(pepper, token) hex; a resend replaces it (the old token stops working).
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by: Mapped[str] = mapped_column(sa.String(128))
    driver: Mapped[str] = mapped_column(sa.String(16))
    send_count: Mapped[int] = mapped_column(sa.Integer, default=1)
    user_id: Mapped[str] = mapped_column(sa.String(64), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_sent_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), nullable=True)


class Promotion(AuthBase):
    __tablename__ = "promotions"
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(sa.String(64))
    role: Mapped[str] = mapped_column(sa.String(32))
    previous_roles: Mapped[list[str]] = mapped_column(JSONType, default=list)
    reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    requested_by: Mapped[str] = mapped_column(sa.String(128))
    decided_by: Mapped[str] = mapped_column(sa.String(128), default="")
    decision_reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), nullable=True)
