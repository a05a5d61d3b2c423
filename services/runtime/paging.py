"""Opaque cursor tokens for List RPCs (offset based) and page-size bounds."""
from __future__ import annotations

import base64

import orjson

from services.runtime.errors import ValidationError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def page_bounds(page_size: int, page_token: str) -> tuple[int, int]:
    """Return (limit, offset) for a PageRequest; a bad token or size is a VALIDATION_ERROR."""
    if page_size < 0:
        raise ValidationError("page_size must be >= 0", details={"page_size": ["must be >= 0"]})
    limit = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    if not page_token:
        return limit, 0
    try:
        offset = int(orjson.loads(base64.urlsafe_b64decode(page_token.encode()))["o"])
        if offset < 0:
            raise ValueError
    except Exception:  # noqa: BLE001 - any malformed token is the caller's error
        raise ValidationError("page_token is not valid", details={"page_token": ["not a token from this API"]}) from None
    return limit, offset


def offset_token(offset: int) -> str:
    """The page token of the page starting at `offset` ("" for the first)."""
    return base64.urlsafe_b64encode(orjson.dumps({"o": offset})).decode() if offset else ""


def next_token(offset: int, limit: int, total: int) -> str:
    nxt = offset + limit
    return offset_token(nxt) if nxt < total else ""
