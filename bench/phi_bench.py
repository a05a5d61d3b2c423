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
        typical = [measure(f"{name} (typical 2 KB note)", fn, [TYPICAL_2KB], args.seconds) for name, fn in engines]
    print("PHI-dense generated texts:")
    print(table(rows))
    print(f"\nA typical clinical prompt ({len(TYPICAL_2KB)} characters, 10 identifiers):")
    print(table(typical))


if __name__ == "__main__":
    main()
