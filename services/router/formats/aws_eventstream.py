"""AWS event stream framing (application/vnd.amazon.eventstream), the binary framing of Bedrock ConverseStream and
SageMaker InvokeEndpointWithResponseStream responses.

Each message: prelude (total length u32, headers length u32, CRC32 of those 8 bytes), headers, payload, CRC32 of
everything before it; all integers big-endian. Only string headers (type 7) are written: every header AWS sends on
these APIs is a string. Decoding is botocore's EventStreamBuffer (the decoder the AWS SDK itself uses)."""
from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator, Iterable

import orjson
from botocore.eventstream import EventStreamBuffer, EventStreamMessage, ParserError

CONTENT_TYPE = "application/vnd.amazon.eventstream"
_STRING = 7
_PRELUDE = struct.Struct("!II")
_CRC = struct.Struct("!I")


def _headers(headers: Iterable[tuple[str, str]]) -> bytes:
    out = bytearray()
    for name, value in headers:
        raw_name, raw_value = name.encode(), value.encode()
        out += bytes((len(raw_name),)) + raw_name + bytes((_STRING,)) + struct.pack("!H", len(raw_value)) + raw_value
    return bytes(out)


def encode_message(headers: dict[str, str], payload: bytes) -> bytes:
    head = _headers(headers.items())
    prelude = _PRELUDE.pack(16 + len(head) + len(payload), len(head))
    prelude += _CRC.pack(zlib.crc32(prelude))
    message = prelude + head + payload
    return message + _CRC.pack(zlib.crc32(message))


def event(event_type: str, payload: dict | bytes, content_type: str = "application/json") -> bytes:
    """An `event` message; dict payloads are JSON."""
    body = payload if isinstance(payload, bytes) else orjson.dumps(payload)
    return encode_message({":event-type": event_type, ":content-type": content_type, ":message-type": "event"}, body)


def exception(exception_type: str, message: str) -> bytes:
    """A modelled `exception` message (e.g. throttlingException), the way AWS reports failures mid-stream."""
    return encode_message({":exception-type": exception_type, ":content-type": "application/json",
                           ":message-type": "exception"}, orjson.dumps({"message": message}))


async def decode(chunks: AsyncIterator[bytes]) -> AsyncIterator[EventStreamMessage]:
    """Messages from a byte stream whose chunks may split or join messages anywhere. Raises botocore's ParserError
    subclasses (e.g. ChecksumMismatch) on a corrupt stream."""
    buffer = EventStreamBuffer()
    async for chunk in chunks:
        buffer.add_data(chunk)
        for message in buffer:
            yield message


__all__ = ["CONTENT_TYPE", "ParserError", "decode", "encode_message", "event", "exception"]
