"""Full request path vs a direct call to the same upstream, in the same run.

Starts the whole stack as separate processes (services.stack.Stack) on free loopback ports, on the embedded default
or on RADIANT_DATABASE_URL / RADIANT_REDIS_URL when set, then drives POST /v1/chat/completions through the router
and POST /v1/chat/completions on the demo provider directly, with the same body, and prints req/s and p50/p99;
then the same with `stream: true`, where the latency is the time to the first streamed event (time to first token).

The whole comparison runs once per request-log setting (`--request-log on,off`: one request-log record per request
published to metering, or none), each on a fresh stack, so the cost of the request log shows next to the same
direct upstream in the same run.

    .venv/bin/python -m bench.full_path [--seconds 10] [--clients 8,32] [--stream-clients 1,8] [--request-log on,off]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import tempfile

from bench.loadgen import run, table
from services.stack.config import free_ports_env
from services.stack.launcher import Stack

BODY = {"model": "radiant-demo", "max_tokens": 64, "messages": [
    {"role": "system", "content": "You are a careful clinical assistant."},
    {"role": "user", "content": "Patient John Smith, DOB 03/14/1962, phone (617) 555-0134, reports chest pain "
                                "after exercise; summarise the next steps."}]}


async def compare(stack: Stack, api_key: str, seconds: float, clients: list[int], body: dict,
                  label: str = "") -> str:
    router = f"{stack.http_url}/v1/chat/completions"
    direct = f"{stack.demo_provider_url.rstrip('/')}/chat/completions"
    auth = {"authorization": f"Bearer {api_key}"}
    results, baseline = [], {}
    for n in clients:
        d = await run("direct demo provider", direct, body, {}, n, seconds)
        f = await run(f"full path (router{label})", router, body, auth, n, seconds)
        baseline[n] = d
        results += [d, f]
    return table(results, baseline)


async def bench(stack: Stack, api_key: str, seconds: float, clients: list[int], stream_clients: list[int],
                label: str = "") -> None:
    await run("warmup", f"{stack.http_url}/v1/chat/completions", BODY,
              {"authorization": f"Bearer {api_key}"}, 4, 2)
    print(f"non-streaming (latency = whole answer){label}")
    print(await compare(stack, api_key, seconds, clients, BODY, label))
    if stream_clients:
        print(f"\nstreaming (latency = time to first token){label}")
        print(await compare(stack, api_key, seconds, stream_clients, {**BODY, "stream": True}, label))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--clients", default="8,32")
    ap.add_argument("--stream-clients", default="1,8", help="concurrency of the streaming runs ('' skips them)")
    ap.add_argument("--request-log", default="on,off", help="request-log settings to compare (on, off, or both)")
    args = ap.parse_args()
    for setting in args.request_log.split(","):
        api_key = "bench-" + secrets.token_urlsafe(16)
        env = {**free_ports_env(), "RADIANT_BOOTSTRAP_API_KEY": api_key, "RADIANT_LOG_LEVEL": "warning",
               "RADIANT_REQUEST_LOG_ENABLED": "true" if setting == "on" else "false"}
        label = f", request log {setting}"
        with tempfile.TemporaryDirectory() as data_dir, Stack(env, data_dir) as stack:
            where = "external" if os.environ.get("RADIANT_DATABASE_URL") else "embedded SQLite"
            print(f"\nstack up ({where}, redis {'external' if os.environ.get('RADIANT_REDIS_URL') else 'embedded'}"
                  f"{label}); {os.cpu_count()} CPUs; {args.seconds:.0f}s per run")
            asyncio.run(bench(stack, api_key, args.seconds, [int(c) for c in args.clients.split(",")],
                              [int(c) for c in args.stream_clients.split(",") if c], label))


if __name__ == "__main__":
    main()
