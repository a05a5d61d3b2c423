"""AppSync's scalars, as the seed's schema names them: AWSDateTime (an ISO 8601 string in UTC) and AWSJSON (a JSON
value sent and returned as a JSON string)."""
from __future__ import annotations

from typing import Any, NewType

import orjson
import strawberry


def _parse_json(value: Any) -> Any:
    if not isinstance(value, str):
        return value  # a variable already decoded by the client library
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        raise ValueError("AWSJSON must be a JSON string") from None


AWSDateTime = strawberry.scalar(NewType("AWSDateTime", str), description="ISO 8601 date-time (UTC)",
                                serialize=str, parse_value=str)
AWSJSON = strawberry.scalar(NewType("AWSJSON", object), description="A JSON value, as a JSON string",
                            serialize=lambda v: orjson.dumps(v).decode(), parse_value=_parse_json)
