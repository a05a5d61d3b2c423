"""The seed's `limit` / `nextToken` paging over the REST views' offset paging (services.runtime.paging tokens)."""
from __future__ import annotations

from services.runtime.errors import ValidationError
from services.runtime.paging import next_token, page_bounds

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


def bounds(limit: int | None, next_token_: str | None) -> tuple[int, int]:
    """(limit, offset); a limit outside 1-100 or a token this API did not hand out is a VALIDATION_ERROR."""
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"limit: must be between 1 and {MAX_LIMIT}",
                              details={"limit": [f"must be between 1 and {MAX_LIMIT}"]})
    try:
        _, offset = page_bounds(1, next_token_ or "")
    except ValidationError:
        raise ValidationError("nextToken is not valid", details={"nextToken": ["not a token from this API"]}) from None
    return limit or DEFAULT_LIMIT, offset


def page(items: list, limit: int, offset: int) -> tuple[list, str | None, int]:
    return items[offset:offset + limit], next_token(offset, limit, len(items)) or None, len(items)


def token_after(offset: int, limit: int, total: int) -> str | None:
    return next_token(offset, limit, total) or None
