"""Request checks for metering: each problem names its field."""
from __future__ import annotations

from datetime import datetime

from services.runtime.errors import ValidationError
from services.runtime.timeutil import from_ts

ID_MAX = 128
MAX_TOKENS = 10**12


def required(value: str, field: str, max_len: int = ID_MAX) -> str:
    value = value.strip()
    if not value:
        raise ValidationError(f"{field} is required", details={field: ["is required"]})
    return bounded(value, field, max_len)


def bounded(value: str, field: str, max_len: int = ID_MAX) -> str:
    if len(value) > max_len:
        raise ValidationError(f"{field} is too long", details={field: [f"must be at most {max_len} characters"]})
    if "\x00" in value:  # PostgreSQL text cannot hold it
        raise ValidationError(f"{field} must not contain NUL characters", details={field: ["contains NUL"]})
    return value


def optional(value: str, field: str, max_len: int = ID_MAX) -> str | None:
    return bounded(value.strip(), field, max_len) or None


def tokens(value: int, field: str) -> int:
    if value < 0:
        raise ValidationError(f"{field} must not be negative", details={field: ["must be >= 0"]})
    if value > MAX_TOKENS:
        raise ValidationError(f"{field} is too large", details={field: [f"must be <= {MAX_TOKENS}"]})
    return value


def timestamp(msg, field: str) -> datetime | None:
    """An optional Timestamp field (unset -> None)."""
    return from_ts(getattr(msg, field)) if msg.HasField(field) else None


def window(msg) -> tuple[datetime | None, datetime | None]:
    """Optional [start, end) fields of a request; when both are set start must be before end."""
    start, end = timestamp(msg, "start"), timestamp(msg, "end")
    if start is not None and end is not None and start >= end:
        raise ValidationError("start must be before end", details={"start": ["must be before end"]})
    return start, end


def required_window(msg) -> tuple[datetime, datetime]:
    start, end = window(msg)
    if start is None:
        raise ValidationError("start is required", details={"start": ["is required"]})
    if end is None:
        raise ValidationError("end is required", details={"end": ["is required"]})
    return start, end

