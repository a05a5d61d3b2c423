"""Request validation helpers; every failure names the field (ValidationError details)."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from services.runtime.errors import ValidationError

ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_DOMAIN_RE = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_ROLE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.\-]{0,63}")
# Model names as providers spell them: "gpt-4o", "anthropic.claude-3-5-sonnet-20240620-v1:0", "meta-llama/Llama-3.1-8B".
_MODEL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:./@+\-]{0,255}")
MAX_MODELS = 500
MAX_NAME = 200
MAX_ROLES = 50


def fail(field: str, problem: str) -> ValidationError:
    return ValidationError(f"{field}: {problem}", details={field: [problem]})


def ident(value: str, field: str = "id") -> str:
    if not value:
        raise fail(field, "is required")
    if not ID_RE.fullmatch(value):
        raise fail(field, "must match [a-z0-9][a-z0-9-]{0,63}")
    return value


def name(value: str, field: str = "name") -> str:
    value = value.strip()
    if not value:
        raise fail(field, "must not be empty")
    if len(value) > MAX_NAME:
        raise fail(field, f"must be at most {MAX_NAME} characters")
    return value


def tier(value: int, field: str = "tier") -> int:
    if not 1 <= value <= 5:
        raise fail(field, "must be between 1 and 5")
    return value


def email(value: str, field: str = "email") -> str:
    value = value.strip().lower()
    if not value:
        raise fail(field, "is required")
    if len(value) > 254 or not _EMAIL_RE.fullmatch(value):
        raise fail(field, "is not a valid email address")
    return value


def domain(value: str, field: str = "domain") -> str:
    value = value.strip().lower()
    if value and not _DOMAIN_RE.fullmatch(value):
        raise fail(field, "is not a valid domain name")
    return value


def labels(values: list[str] | tuple[str, ...], field: str) -> list[str]:
    if len(values) > MAX_ROLES:
        raise fail(field, f"at most {MAX_ROLES} entries")
    out: list[str] = []
    for v in values:
        if not _ROLE_RE.fullmatch(v):
            raise fail(field, "entries must be 1-64 characters of letters, digits, '_', ':', '.', '-'")
        if v not in out:
            out.append(v)
    return out


def model_name(value: str, field: str) -> str:
    value = value.strip()
    if value and not _MODEL_RE.fullmatch(value):
        raise fail(field, "must be a model name of letters, digits and '_:./@+-' (at most 256 characters)")
    return value


def model_names(values: list[str] | tuple[str, ...], field: str) -> list[str]:
    if len(values) > MAX_MODELS:
        raise fail(field, f"at most {MAX_MODELS} entries")
    out: list[str] = []
    for value in values:
        value = model_name(value, field)
        if not value:
            raise fail(field, "entries must not be empty")
        if value not in out:
            out.append(value)
    return out


def non_negative(value: int, field: str) -> int:
    if value < 0:
        raise fail(field, "must be >= 0")
    return value


def money(value: str, field: str) -> str:
    if not value:
        return ""
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise fail(field, "must be a decimal number") from None
    if not amount.is_finite() or amount < 0:
        raise fail(field, "must be a non-negative decimal number")
    return str(amount)


# Counted in Redis: a request-window limit keeps one entry per request counted, so its size bounds the memory.
MAX_REQUEST_LIMIT = 1_000_000
MAX_TOKEN_LIMIT = 10**12
MAX_CONCURRENCY = 1_000_000
# Budgets are counted in integer pico-USD (int64).
MAX_BUDGET = Decimal(9_000_000)
_COUNT_BOUNDS = {"requests_per_minute": MAX_REQUEST_LIMIT, "requests_per_hour": MAX_REQUEST_LIMIT,
                 "tokens_per_minute": MAX_TOKEN_LIMIT, "tokens_per_day": MAX_TOKEN_LIMIT,
                 "concurrent_requests": MAX_CONCURRENCY}


def limits(values: dict, field: str) -> dict:
    """A Limits message as a dict of the limits that are set, each checked (every problem reported at once)."""
    out: dict = {}
    details: dict[str, list[str]] = {}
    for name, value in values.items():
        where = f"{field}.{name}"
        try:
            if name in _COUNT_BOUNDS:
                if not 0 <= value <= _COUNT_BOUNDS[name]:
                    raise fail(where, f"must be between 0 and {_COUNT_BOUNDS[name]} (0 = no limit)")
                out[name] = value
            else:
                amount = money(value, where)
                if Decimal(amount) > MAX_BUDGET:
                    raise fail(where, f"must be at most {MAX_BUDGET} USD")
                out[name] = format(Decimal(amount), "f") if amount else ""
        except ValidationError as exc:
            details.update(exc.details)
    if details:
        reasons = "; ".join(f"{name} {msgs[0]}" for name, msgs in details.items())
        raise ValidationError(f"Invalid {field}: {reasons}", details=details)
    return {k: v for k, v in out.items() if v and Decimal(str(v)) != 0}
