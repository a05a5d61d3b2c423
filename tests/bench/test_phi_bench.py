"""The PHI benchmark runs end to end (numbers are printed, never asserted: no timed assertions in tests)."""
import re

from bench import phi_bench


def test_phi_bench_reports_every_engine_and_the_grpc_floor(capsys, monkeypatch):
    monkeypatch.setattr(phi_bench, "presidio_sanitizer", lambda: None)  # the optional extra is not needed here
    phi_bench.main(["--seconds", "0.05"])
    out = capsys.readouterr().out
    for size in ("1024", "2048", "16384"):
        assert re.search(rf"\| radiant in-process \| {size} \| \d+ \|", out)
        assert re.search(rf"\| radiant over gRPC \| {size} \| \d+ \|", out)
    n = len(phi_bench.TYPICAL_2KB)
    assert f"| radiant over gRPC (typical 2 KB note) | {n} |" in out
    assert f"| gRPC floor: echo of the same bytes, no work | {n} |" in out
    assert re.search(r"Server CPU per call: PhiService.Sanitize \d+\.\d+ ms, gRPC echo \d+\.\d+ ms", out)
