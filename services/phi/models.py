from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from services.runtime.db import Base, JSONType


class PhiBase(Base):
    __abstract__ = True
    metadata = sa.MetaData()


class PhiPolicyRow(PhiBase):
    __tablename__ = "phi_policies"

    tenant_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    mode: Mapped[str] = mapped_column(sa.String(16))
    categories: Mapped[dict] = mapped_column(JSONType, default=dict)
    reid_allowed: Mapped[bool] = mapped_column(sa.Boolean)
    reid_requires_approval: Mapped[bool] = mapped_column(sa.Boolean)
    mapping_ttl_hours: Mapped[int] = mapped_column(sa.Integer)
    secrets_action: Mapped[str] = mapped_column(sa.String(16))
    injection_action: Mapped[str] = mapped_column(sa.String(16), default="flag")
    pii_action: Mapped[str] = mapped_column(sa.String(16), default="redact")
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
