"""The AWS event-stream encoder, checked by botocore's own decoder (the one every AWS SDK client in Python uses)."""
import struct
import zlib

import pytest
from botocore.eventstream import ChecksumMismatch, EventStreamBuffer
from hypothesis import given
from hypothesis import strategies as st

from services.router.formats import aws_eventstream


def decode_all(data: bytes, cut: int | None = None):
    buffer, out = EventStreamBuffer(), []
    pieces = [data] if cut is None else [data[k:k + cut] for k in range(0, len(data), cut)]
    for piece in pieces:
        buffer.add_data(piece)
        out.extend(buffer)
    return out


def test_event_frame_layout_and_botocore_decoding():
    frame = aws_eventstream.event("contentBlockDelta", {"delta": {"text": "Hé"}, "contentBlockIndex": 0})
    total, headers_len, prelude_crc = struct.unpack("!III", frame[:12])
    assert total == len(frame) and prelude_crc == zlib.crc32(frame[:8])
    assert struct.unpack("!I", frame[-4:])[0] == zlib.crc32(frame[:-4])
    [msg] = decode_all(frame)
    assert msg.headers == {":event-type": "contentBlockDelta", ":content-type": "application/json",
                           ":message-type": "event"}
    assert msg.payload == '{"delta":{"text":"Hé"},"contentBlockIndex":0}'.encode()
    assert headers_len == len(frame) - 16 - len(msg.payload)


def test_exception_frame_is_what_botocore_turns_into_an_error():
    [msg] = decode_all(aws_eventstream.exception("throttlingException", "slow down"))
    assert msg.headers[":message-type"] == "exception" and msg.headers[":exception-type"] == "throttlingException"
    assert msg.to_response_dict()["status_code"] == 400 and msg.payload == b'{"message":"slow down"}'


def test_corruption_is_detected():
    frame = bytearray(aws_eventstream.event("messageStart", {"role": "assistant"}))
    frame[-6] ^= 0xFF
    with pytest.raises(ChecksumMismatch):
        decode_all(bytes(frame))


@given(events=st.lists(st.tuples(st.sampled_from(["messageStart", "PayloadPart", "metadata"]), st.binary(max_size=300)),
                       min_size=1, max_size=8),
       cut=st.integers(min_value=1, max_value=64))
def test_any_stream_cut_anywhere_decodes_to_the_same_events(events, cut):
    data = b"".join(aws_eventstream.event(name, payload, "application/octet-stream") for name, payload in events)
    got = decode_all(data, cut)
    assert [(m.headers[":event-type"], m.payload) for m in got] == events


async def test_async_decode_over_split_chunks():
    data = aws_eventstream.event("a", {"n": 1}) + aws_eventstream.event("b", {"n": 2})

    async def chunks():
        for k in range(0, len(data), 5):
            yield data[k:k + 5]
    assert [m.headers[":event-type"] async for m in aws_eventstream.decode(chunks())] == ["a", "b"]
