"""CPU the REST edge itself costs per request, in-process and without any other service: the router's ASGI app
(middleware, routing, dependencies, body validation, response) serving POST /v1/chat/completions around a stub
pipeline (authentication and the chat answer return at once), driven by direct ASGI calls (no HTTP server, no
sockets). Far less noisy than bench.full_path on a shared machine, so it can tell edge changes of tens of
microseconds apart; it measures only the edge (uvicorn's protocol, PHI, Redis and the provider call are not in it).

    .venv/bin/python -m bench.edge_overhead [--requests 2000] [--rounds 5]

Prints CPU microseconds per request (process time) of each round and their minimum.
"""
from __future__ import annotations

import argparse
import asyncio
import time

import orjson
import uvloop

from bench.full_path import BODY
from radiant.common.v1 import common_pb2
from services.router.edge.app import create_app
from services.router.pipeline.core import ChatOutcome
from services.router.settings import Settings

_ANSWER = {"id": "chatcmpl-1", "object": "chat.completion", "choices": [
    {"index": 0, "message": {"role": "assistant", "content": "hello"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}


class StubPipeline:
    request_log = None

    def __init__(self) -> None:
        self.principal = common_pb2.Principal(tenant_id="t", user_id="u", key_id="k",
                                              tenant_status=common_pb2.TENANT_STATUS_ACTIVE,
                                              permissions=["completions"])

    async def authenticate(self, credential) -> common_pb2.Principal:
        return self.principal

    async def chat(self, principal, req) -> ChatOutcome:
        return ChatOutcome(_ANSWER, "")


async def measure(requests: int, rounds: int) -> list[float]:
    app = create_app(Settings())
    app.state.pipeline = StubPipeline()
    body = orjson.dumps(BODY)
    headers = [(b"host", b"radiant"), (b"authorization", b"Bearer bench-key"), (b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]

    async def one() -> int:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
                 "scheme": "http", "path": "/v1/chat/completions", "raw_path": b"/v1/chat/completions",
                 "root_path": "", "query_string": b"", "headers": list(headers), "client": ("127.0.0.1", 1),
                 "server": ("127.0.0.1", 80), "state": {}}
        pending = [{"type": "http.request", "body": body, "more_body": False}]
        done = asyncio.Event()
        status = 0

        async def receive():
            if pending:
                return pending.pop()
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(scope, receive, send)
        done.set()
        return status

    assert await one() == 200
    for _ in range(500):  # warm-up
        await one()
    out = []
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(requests):
            await one()
        out.append((time.process_time() - started) / requests * 1e6)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    rounds = uvloop.run(measure(args.requests, args.rounds))
    print("edge CPU us per request, per round: " + " ".join(f"{r:.0f}" for r in rounds)
          + f"; min {min(rounds):.0f}")


if __name__ == "__main__":
    main()
