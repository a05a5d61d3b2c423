"""A small closed-loop HTTP load generator: N concurrent clients, each sending its next request when the previous
answer arrives, for a fixed time. Reports requests/s and latency percentiles. Loopback targets only."""
from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

import aiohttp
import orjson


@dataclass
class Result:
    name: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, int(round(p / 100 * (len(data) - 1))))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p99(self) -> float:
        return self.pct(99)


async def _first_event_ms(resp: aiohttp.ClientResponse, t0: float) -> float | None:
    """Time to the first SSE `data:` event (time to first token for a chat stream); the rest is read too."""
    first = None
    async for line in resp.content:
        if first is None and line.startswith(b"data:"):
            first = (time.perf_counter() - t0) * 1000
    return first


async def run(name: str, url: str, body: dict, headers: dict[str, str], concurrency: int, seconds: float,
              max_requests: int = 1_000_000) -> Result:
    """Latency is the whole answer, or the time to the first event when the body asks for a stream."""
    assert url.startswith(("http://127.", "http://localhost", "http://[::1]")), "load tests target loopback only"
    payload = orjson.dumps(body)
    hdrs = {"content-type": "application/json", **headers}
    streaming = bool(body.get("stream"))
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def client() -> None:
            nonlocal errors, sent
            while time.perf_counter() < deadline and sent < max_requests:
                sent += 1
                t0 = time.perf_counter()
                try:
                    async with session.post(url, data=payload, headers=hdrs) as resp:
                        if streaming and resp.status == 200:
                            first = await _first_event_ms(resp, t0)
                        else:
                            await resp.read()
                            first = (time.perf_counter() - t0) * 1000
                        ok = resp.status == 200 and first is not None
                except aiohttp.ClientError:
                    ok = False
                if ok:
                    latencies.append(first)
                else:
                    errors += 1
        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return Result(name, concurrency, len(latencies), errors, elapsed, latencies)


def table(results: list[Result], baseline: dict[int, Result] | None = None) -> str:
    lines = ["| target | clients | requests | errors | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        base = (baseline or {}).get(r.concurrency)
        added = (f"{r.p50 - base.p50:.2f} | {r.p99 - base.p99:.2f}" if base and base is not r else "- | -")
        lines.append(f"| {r.name} | {r.concurrency} | {r.requests} | {r.errors} | {r.rps:.0f} | {r.p50:.2f} | "
                     f"{r.p99:.2f} | {added} |")
    return "\n".join(lines)
