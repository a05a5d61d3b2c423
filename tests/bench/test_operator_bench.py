"""The operator benchmark runs end to end on a handful of models (numbers are printed, never asserted)."""
import re

from bench import operator_bench


def test_operator_bench_reports_warmup_latency_and_resync_time(capsys):
    operator_bench.main(["--warmups", "3", "--models", "20", "--resync-seconds", "2"])
    out = capsys.readouterr().out
    assert re.search(r"\| RequestWarmup -> operator's PATCH \.\.\./scale \| 3 \| [\d.]+ \| [\d.]+ \| [\d.]+ \|", out)
    assert re.search(r"\| direct PATCH \.\.\./scale \(API floor\) \| 3 \|", out)
    assert "Full resync over 23 models in KMock" in out
    assert re.search(r"\| nothing to change \| [\d.]+ \| [\d.]+ \| [\d.]+ \| 0 \|", out)
    assert re.search(r"\| every model to scale \| [\d.]+ \| [\d.]+ \| [\d.]+ \| 20 \|", out)
