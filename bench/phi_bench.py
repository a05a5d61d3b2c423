"""The PHI sanitizer measured three ways in one run, on the same ~1 KB, ~2 KB and ~16 KB PHI-bearing texts:
in-process (services.phi.sanitizer.Sanitizer, placeholders included), over gRPC (PhiService.Sanitize on a phi
process started by services.stack with embedded Redis/SQLite, or RADIANT_REDIS_URL / RADIANT_DATABASE_URL), and
Presidio + spaCy en_core_web_sm (optional `bench` extra). Prints chars/s, p50/p99 per call and the speed-up.

    .venv/bin/python -m bench.phi_bench [--seconds 3]
"""
from __future__ import annotations

import argparse
import secrets
import tempfile
from typing import Callable

import grpc

from bench.phi_presidio_bench import SIZES, Stats, make_texts, measure, presidio_sanitizer
from radiant.phi.v1 import phi_pb2, phi_pb2_grpc
from services.phi.detection import DEFAULT_ENABLED, SECRET_CATEGORY
from services.phi.sanitizer import Sanitizer
from services.stack.config import free_ports_env
from services.stack.launcher import Stack


def in_process() -> Callable[[str], str]:
    sanitizer, categories = Sanitizer(), DEFAULT_ENABLED | {SECRET_CATEGORY}
    return lambda text: sanitizer.sanitize([text], categories).texts[0]


def over_grpc(address: str) -> Callable[[str], str]:
    stub = phi_pb2_grpc.PhiServiceStub(grpc.insecure_channel(address))
    tenant = "bench-" + secrets.token_hex(4)
    return lambda text: stub.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant, texts=[text]), timeout=5).texts[0]


def table(rows: list[Stats]) -> str:
    lines = ["| engine | text size | calls | chars/s | p50 ms | p99 ms | speed-up vs presidio |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        ref = next((x for x in rows if x.size == r.size and x.name.startswith("presidio")), None)
        ratio = f"{r.chars_per_s / ref.chars_per_s:.1f}x" if ref and r is not ref else "-"
        lines.append(f"| {r.name} | {r.size} | {r.calls} | {r.chars_per_s:,.0f} | {r.p50_ms:.3f} | {r.p99_ms:.3f} "
                     f"| {ratio} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()
    presidio = presidio_sanitizer()
    if presidio is None:
        print("presidio: not installed (pip install -e '.[bench]'); reporting Radiant only")
    env = {**free_ports_env(), "RADIANT_LOG_LEVEL": "warning"}
    with tempfile.TemporaryDirectory() as data_dir, Stack(env, data_dir, only=["phi"]) as stack:
        engines = [("radiant in-process", in_process()), ("radiant over gRPC", over_grpc(stack.grpc_addrs["phi"]))]
        if presidio is not None:
            engines.append(("presidio+spacy_sm", presidio))
        rows = [measure(name, fn, texts, args.seconds) for size in SIZES for texts in [make_texts(size)]
                for name, fn in engines]
    print(table(rows))


if __name__ == "__main__":
    main()
