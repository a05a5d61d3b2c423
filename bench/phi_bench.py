"""The PHI sanitizer measured three ways in one run, on the same ~1 KB, ~2 KB and ~16 KB PHI-bearing texts:
in-process (services.phi.sanitizer.Sanitizer, placeholders included), over gRPC (PhiService.Sanitize on a phi
process started by services.stack with embedded Redis/SQLite, or RADIANT_REDIS_URL / RADIANT_DATABASE_URL), and
Presidio + spaCy en_core_web_sm (optional `bench` extra). Prints chars/s, p50/p99 per call and the speed-up.

For the typical 2 KB note it also measures the gRPC transport floor on this machine: a grpc.aio server (uvloop, like
the services) that only echoes the same bytes back, called the same way; and the server CPU time per call of both
(Linux /proc), which shows how much of a Sanitize call is the sanitizer and how much is gRPC itself.

    .venv/bin/python -m bench.phi_bench [--seconds 3]
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import secrets
import tempfile
from contextlib import contextmanager
from typing import Callable, Iterator

import grpc

from bench import internal_auth
from bench.phi_presidio_bench import SIZES, Stats, make_texts, measure, presidio_sanitizer, table
from radiant.phi.v1 import phi_pb2, phi_pb2_grpc
from services.phi.detection import DEFAULT_ENABLED, SECRET_CATEGORY
from services.phi.sanitizer import Sanitizer
from services.stack.config import free_ports_env
from services.stack.launcher import Stack


# A typical 2 KB clinical prompt: a handful of identifiers in narrative text (the generated texts above are
# deliberately PHI-dense, one identifier every few words).
TYPICAL_2KB = (
    "Please summarise this discharge note for the primary care team and list follow-up actions.\n\n"
    "Patient: Eleanor Whitmore, DOB 02/11/1947, MRN 00731942. Admitted on March 3 for community-acquired pneumonia "
    "with hypoxia. Past history includes type 2 diabetes, hypertension and stage 3 chronic kidney disease. On arrival "
    "she was febrile to 38.9 C, saturating 88% on room air, with right lower lobe consolidation on chest imaging. "
    "Blood cultures were negative. She was started on ceftriaxone and azithromycin, transitioned to oral amoxicillin "
    "on day three, and weaned to room air by day four. Glucose control was difficult while unwell; basal insulin was "
    "increased and then returned to her home dose before discharge. Renal function stayed at baseline throughout. "
    "Physiotherapy cleared her for discharge home with her daughter, who will stay with her for the first week. "
    "Medication changes: amoxicillin 500 mg three times daily for two more days; metformin held until renal function "
    "is rechecked; lisinopril continued. Follow-up: repeat chest imaging in six weeks, basic metabolic panel within "
    "one week, and a visit with Dr. Samuel Okafor in the pulmonary clinic. Her daughter can be reached at "
    "(617) 555-0148 and asked that letters go to 42 Linden Street, Apt 3B, Somerville, MA 02144. The patient asked "
    "whether she can resume gardening and her weekly swimming class; please address activity guidance, warning "
    "signs that should prompt a return to the emergency department, and the vaccination plan (pneumococcal and "
    "influenza) in plain language suitable for an older adult. Keep the summary under 250 words and use headings "
    "for diagnosis, hospital course, medications, follow-up and patient questions. Note that she lives alone "
    "outside that first week and relies on a neighbour for transport to appointments, so scheduling should "
    "consider morning slots. Insurance member ID XHP448102993 was verified at admission.")


def in_process() -> Callable[[str], str]:
    sanitizer, categories = Sanitizer(), DEFAULT_ENABLED | {SECRET_CATEGORY}
    return lambda text: sanitizer.sanitize([text], categories).texts[0]


def over_grpc(address: str, stack: Stack) -> Callable[[str], str]:
    stub = phi_pb2_grpc.PhiServiceStub(grpc.insecure_channel(address))
    tenant = "bench-" + secrets.token_hex(4)
    metadata = internal_auth.metadata("phi", stack)
    return lambda text: stub.Sanitize(phi_pb2.SanitizeRequest(tenant_id=tenant, texts=[text]), timeout=5,
                                      metadata=metadata).texts[0]


def _echo_server(ports: "multiprocessing.Queue[int]") -> None:
    async def echo(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
        return request

    async def serve() -> None:
        server = grpc.aio.server()
        server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
            "bench.Echo", {"Echo": grpc.unary_unary_rpc_method_handler(echo)}),))
        ports.put(server.add_insecure_port("127.0.0.1:0"))
        await server.start()
        await server.wait_for_termination()

    import uvloop
    uvloop.run(serve())


@contextmanager
def echo_floor() -> Iterator[tuple[Callable[[str], str], int]]:
    """A no-work gRPC echo server in its own process: (call, pid)."""
    # spawned, not forked: a fork of a process that already runs gRPC threads inherits a broken gRPC core
    ctx = multiprocessing.get_context("spawn")
    ports: multiprocessing.Queue[int] = ctx.Queue()
    proc = ctx.Process(target=_echo_server, args=(ports,), daemon=True)
    proc.start()
    try:
        echo = grpc.insecure_channel(f"127.0.0.1:{ports.get(timeout=30)}").unary_unary("/bench.Echo/Echo")
        yield (lambda text: echo(text.encode(), timeout=5).decode()), proc.pid
    finally:
        proc.kill()
        proc.join()


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (None where /proc is not available)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_with_cpu(name: str, fn: Callable[[str], str], texts: list[str], seconds: float,
                     pid: int) -> tuple[Stats, float | None]:
    """measure(), plus the server process's CPU milliseconds per call over the run."""
    before = cpu_seconds(pid)
    stats = measure(name, fn, texts, seconds)
    after = cpu_seconds(pid)
    # measure() makes two warm-up calls before the timed ones
    return stats, None if before is None or after is None else (after - before) * 1e3 / (stats.calls + 2)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args(argv)
    presidio = presidio_sanitizer()
    if presidio is None:
        print("presidio: not installed (pip install -e '.[bench]'); reporting Radiant only")
    env = {**free_ports_env(), "RADIANT_LOG_LEVEL": "warning"}
    with tempfile.TemporaryDirectory() as data_dir, Stack(env, data_dir, only=["phi"]) as stack, \
            echo_floor() as (echo, echo_pid):
        local, remote = in_process(), over_grpc(stack.grpc_addrs["phi"], stack)
        engines = [("radiant in-process", local), ("radiant over gRPC", remote)]
        if presidio is not None:
            engines.append(("presidio+spacy_sm", presidio))
        rows = [measure(name, fn, texts, args.seconds) for size in SIZES for texts in [make_texts(size)]
                for name, fn in engines]
        note = [TYPICAL_2KB]
        typical = [measure("radiant in-process (typical 2 KB note)", local, note, args.seconds)]
        sanitize, sanitize_cpu = measure_with_cpu("radiant over gRPC (typical 2 KB note)", remote, note,
                                                  args.seconds, stack.pids["phi"])
        floor, floor_cpu = measure_with_cpu("gRPC floor: echo of the same bytes, no work", echo, note,
                                            args.seconds, echo_pid)
        typical += [sanitize, floor]
        if presidio is not None:
            typical.append(measure("presidio+spacy_sm (typical 2 KB note)", presidio, note, args.seconds))
    print("PHI-dense generated texts:")
    print(table(rows))
    print(f"\nA typical clinical prompt ({len(TYPICAL_2KB)} characters, 10 identifiers):")
    print(table(typical))
    if sanitize_cpu is not None and floor_cpu is not None:
        print(f"\nServer CPU per call: PhiService.Sanitize {sanitize_cpu:.3f} ms, gRPC echo {floor_cpu:.3f} ms "
              f"(a single client: each call is CPU-bound on the server)")


if __name__ == "__main__":
    main()
