"""Exact money columns on both databases.

Postgres: NUMERIC(20, 12). SQLite has no exact decimal type (NUMERIC there is a float), so the same column holds an
integer count of 10^-12 USD; SUM() over it is exact integer arithmetic in SQL (and fails loudly on overflow, at
about 9.2 million USD in one sum, instead of rounding). Either way Python sees Decimal, never float."""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

SCALE = 12
QUANTUM = Decimal(1).scaleb(-SCALE)
# NUMERIC(20, 12) keeps 8 digits before the point.
MAX_AMOUNT = Decimal(10) ** 8


def quantize(value: Decimal) -> Decimal:
    return value.quantize(QUANTUM, rounding=ROUND_HALF_EVEN)


def to_pico(value: Decimal, *, up: bool = True) -> int:
    """USD -> integer pico-USD (the ledger's quantum): admission counters add these in Redis, so budget spend sums
    exactly what the ledger stores. Reservations round up, caps down."""
    return int(value.scaleb(SCALE).to_integral_value(ROUND_CEILING if up else ROUND_FLOOR))


def from_pico(value: int | str) -> Decimal:
    return Decimal(str(value)).scaleb(-SCALE)


def column_type() -> sa.types.TypeEngine:
    """The migration's type for a money column (what Money stores on each dialect)."""
    return sa.Numeric(20, SCALE).with_variant(sa.BigInteger(), "sqlite")


class Money(TypeDecorator):
    impl = sa.Numeric(20, SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.BigInteger())
        return dialect.type_descriptor(sa.Numeric(20, SCALE, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        amount = quantize(Decimal(value))
        return int(amount.scaleb(SCALE)) if dialect.name == "sqlite" else amount

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-SCALE)
        return Decimal(value)
