"""Full request path vs a direct call to the same upstream, in the same run, with and without admission limits.

Starts the whole stack as separate processes (services.stack.Stack) on free loopback ports, on the embedded default
or on RADIANT_DATABASE_URL / RADIANT_REDIS_URL when set, then drives POST /v1/chat/completions on the demo provider
directly, through the router as a tenant without limits, and through the router as a tenant with limits and budgets
at every level (tenant, app, user, API key: requests per minute and hour, tokens per minute and day, concurrency,
daily and monthly budgets; set high enough that nothing is refused, so every request pays the full admission and
settlement). Prints req/s, p50/p99 and the CPU time per request of each process (from /proc); then the same with
`stream: true`, where the latency is the time to the first streamed event (time to first token).

It does this once per admission mode (--admission-modes): "library" runs metering's admission script from the
router (one Redis round trip), "metering" asks metering's Admit RPC (a gRPC hop); and once per PHI mode
(--phi-modes): "service" asks phi's Sanitize RPC, "library" runs phi's detector in the router (mappings handed to phi
in batches).

Each configuration (`--admission-modes` x `--phi-modes` x `--request-log`) runs on a fresh stack, so the cost of admission's
placement and of the request log (one record per request published to metering, or none) shows next to the same
direct upstream in the same run.

    .venv/bin/python -m bench.full_path [--seconds 10] [--clients 8,32] [--stream-clients 1,8]
                                        [--admission-modes library,metering] [--phi-modes service,library]
                                        [--request-log on,off]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import tempfile

from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
from radiant.common.v1 import common_pb2

from bench import internal_auth
from bench.loadgen import Result, run, table
from services.stack.config import free_ports_env
from services.stack.launcher import Stack

BODY = {"model": "radiant-demo", "max_tokens": 64, "messages": [
    {"role": "system", "content": "You are a careful clinical assistant."},
    {"role": "user", "content": "Patient John Smith, DOB 03/14/1962, phone (617) 555-0134, reports chest pain "
                                "after exercise; summarise the next steps."}]}
# High enough never to refuse a benchmark request, so each one is checked, counted, reserved and settled.
HIGH = common_pb2.Limits(requests_per_minute=1_000_000, requests_per_hour=1_000_000, tokens_per_minute=10**12,
                         tokens_per_day=10**12, concurrent_requests=100_000, daily_budget="1000000",
                         monthly_budget="9000000")
PROCESSES = ("router", "auth", "phi", "registry", "metering", "demo_provider")
_TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def cpu_ms(pids: dict[str, int]) -> dict[str, float]:
    out = {}
    for name, pid in pids.items():
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        out[name] = (int(fields[11]) + int(fields[12])) * _TICK_MS  # utime + stime
    return out


async def limited_key(stack: Stack) -> str:
    """A tenant with limits and budgets on every level, and a key of one of its users."""
    async with internal_auth.channel(stack.grpc_addrs["auth"], stack) as ch:
        auth = auth_pb2_grpc.AuthServiceStub(ch)
        tenant_id = f"bench-{secrets.token_hex(4)}"
        await auth.CreateTenant(auth_pb2.CreateTenantRequest(id=tenant_id, name="Bench (limited)",
                                                             settings=auth_pb2.TenantSettings(limits=HIGH)))
        await auth.UpdateApp(auth_pb2.UpdateAppRequest(tenant_id=tenant_id, id="default", limits=HIGH))
        user = await auth.CreateUser(auth_pb2.CreateUserRequest(tenant_id=tenant_id, email="bench@example.org",
                                                                limits=HIGH))
        key = await auth.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant_id, name="bench",
                                                                   user_id=user.id, limits=HIGH))
        return key.secret


async def measured(stack: Stack, name: str, url: str, body: dict, headers: dict, clients: int,
                   seconds: float) -> tuple[Result, dict[str, float]]:
    pids = {n: p for n, p in stack.pids.items() if n in PROCESSES}
    before = cpu_ms(pids)
    result = await run(name, url, body, headers, clients, seconds)
    after = cpu_ms(pids)
    per_request = {n: (after[n] - before[n]) / max(result.requests, 1) for n in pids}
    return result, per_request


def cpu_table(rows: list[tuple[Result, dict[str, float]]]) -> str:
    names = [n for n in PROCESSES if n in rows[0][1]]
    lines = ["| target | clients | " + " | ".join(names) + " | Radiant total (all but demo) |",
             "|---|---|" + "---|" * (len(names) + 1)]
    for result, cpu in rows:
        radiant = sum(v for n, v in cpu.items() if n != "demo_provider")
        lines.append(f"| {result.name} | {result.concurrency} | " + " | ".join(f"{cpu[n]:.3f}" for n in names)
                     + f" | {radiant:.3f} |")
    return "\n".join(lines)


async def compare(stack: Stack, keys: dict[str, str], seconds: float, clients: list[int], body: dict) -> str:
    router = f"{stack.http_url}/v1/chat/completions"
    direct = f"{stack.demo_provider_url.rstrip('/')}/chat/completions"
    results, baseline, cpu_rows, added = [], {}, [], []
    for n in clients:
        d = await measured(stack, "direct demo provider", direct, body, {}, n, seconds)
        rows = [d]
        for label, key in keys.items():
            rows.append(await measured(stack, label, router, body, {"authorization": f"Bearer {key}"}, n, seconds))
        baseline[n] = d[0]
        results += [r for r, _ in rows]
        cpu_rows += rows
        (_, without), (_, limited) = rows[1], rows[2]
        radiant = [n_ for n_ in without if n_ != "demo_provider"]
        parts = ", ".join(f"{n_} {1000 * (limited[n_] - without[n_]):+.0f}" for n_ in radiant)
        total = 1000 * sum(limited[n_] - without[n_] for n_ in radiant)
        added.append(f"{n} clients: {total:+.0f} us ({parts})")
    return (table(results, baseline) + "\n\nCPU ms per request, per process (from /proc):\n" + cpu_table(cpu_rows)
            + "\n\nCPU per request added by limits + budgets (limited minus unlimited, Radiant processes):\n"
            + "\n".join(added))


async def bench(stack: Stack, api_key: str, seconds: float, clients: list[int], stream_clients: list[int]) -> None:
    keys = {"full path, no limits": api_key, "full path, limits + budgets": await limited_key(stack)}
    for key in keys.values():
        await run("warmup", f"{stack.http_url}/v1/chat/completions", BODY, {"authorization": f"Bearer {key}"}, 4, 2)
    print("non-streaming (latency = whole answer)")
    print(await compare(stack, keys, seconds, clients, BODY))
    if stream_clients:
        print("\nstreaming (latency = time to first token)")
        print(await compare(stack, keys, seconds, stream_clients, {**BODY, "stream": True}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--clients", default="8,32")
    ap.add_argument("--stream-clients", default="1,8", help="concurrency of the streaming runs ('' skips them)")
    ap.add_argument("--admission-modes", default="library",
                    help="where the router checks admission: library (metering's script from the router), "
                         "metering (the Admit RPC)")
    ap.add_argument("--phi-modes", default="library",
                    help="where prompts are sanitized: library (phi's detector in the router), service (Sanitize RPC)")
    ap.add_argument("--request-log", default="on,off", help="request-log settings to compare (on, off, or both)")
    args = ap.parse_args()
    configurations = [(mode, phi, log) for mode in args.admission_modes.split(",") if mode
                      for phi in args.phi_modes.split(",") if phi for log in args.request_log.split(",") if log]
    for mode, phi_mode, request_log in configurations:
        api_key = "bench-" + secrets.token_urlsafe(16)
        env = {**free_ports_env(), "RADIANT_BOOTSTRAP_API_KEY": api_key, "RADIANT_LOG_LEVEL": "warning",
               "RADIANT_ADMISSION_MODE": mode, "RADIANT_PHI_MODE": phi_mode,
               "RADIANT_REQUEST_LOG_ENABLED": "true" if request_log == "on" else "false",
               # a stream of its own, so no other stack on the same Redis consumes this run's usage events
               "RADIANT_USAGE_STREAM": os.environ.get("RADIANT_USAGE_STREAM") or f"radiant:usage:bench:{api_key}"}
        with tempfile.TemporaryDirectory() as data_dir, Stack(env, data_dir) as stack:
            where = "external" if os.environ.get("RADIANT_DATABASE_URL") else "embedded SQLite"
            print(f"\n## admission mode: {mode}, PHI mode: {phi_mode}, request log {request_log}\n"
                  f"stack up ({where}, redis "
                  f"{'external' if os.environ.get('RADIANT_REDIS_URL') else 'embedded'}); {os.cpu_count()} CPUs; "
                  f"{args.seconds:.0f}s per run; load generator on the same machine")
            asyncio.run(bench(stack, api_key, args.seconds, [int(c) for c in args.clients.split(",")],
                              [int(c) for c in args.stream_clients.split(",") if c]))


if __name__ == "__main__":
    main()
