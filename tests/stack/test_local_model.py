"""The newcomer's scale-to-zero loop on the embedded default: `radiant up` runs the operator with its local driver;
the self-hosted demo model starts at zero, a request wakes it (held, then answered with the PHI restored; a held
stream sends keep-alives first), it goes back to zero after its idle window (shortened here), and nothing is left
running once the stack stops."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx

from services.stack.config import free_ports_env
from services.stack.launcher import Stack
from tests.conftest import REPO_ROOT
from tests.eventually import eventually_sync
from tests.stack.test_radiant_up import gone

KEY = "local-model-key"
MODEL = "radiant-demo-local"


def _models(data_dir) -> str:
    out = subprocess.run([sys.executable, "-m", "services.cli", "models", "--data-dir", str(data_dir)],
                         capture_output=True, text=True, timeout=60, cwd=REPO_ROOT,
                         env={k: v for k, v in os.environ.items() if k != "RADIANT_REGISTRY_ADDR"})
    assert out.returncode == 0, out.stderr
    return next(line for line in out.stdout.splitlines() if line.startswith(MODEL))


def _replica_pids(data_dir) -> list[int]:
    return [json.loads(p.read_text())["pid"] for p in (data_dir / "operator").glob("*.json")]


def test_the_local_model_wakes_on_a_request_and_goes_back_to_zero(tmp_path):
    env = {**free_ports_env(), "RADIANT_BOOTSTRAP_API_KEY": KEY, "RADIANT_OPERATOR_SCALE_TO_ZERO_AFTER_SECONDS": "3",
           "RADIANT_OPERATOR_CONVERGE_SECONDS": "0.3", "RADIANT_WARMUP_POLL_SECONDS": "0.2",
           "RADIANT_WARMUP_KEEPALIVE_SECONDS": "0.2"}
    for var in ("RADIANT_DATABASE_URL", "RADIANT_REDIS_URL"):
        env[var] = ""
    with Stack(env, tmp_path, log_target="files") as stack:
        headers = {"Authorization": f"Bearer {KEY}"}
        at_zero = eventually_sync(lambda: _models(tmp_path), lambda line: "ScaledToZero" in line, timeout=30)
        assert "COLD" in at_zero and "0/0" in at_zero and _replica_pids(tmp_path) == []

        r = httpx.post(f"{stack.http_url}/v1/chat/completions", headers=headers, timeout=60, json={
            "model": MODEL, "messages": [{"role": "user", "content": "Patient John Smith, SSN 123-45-6789."}]})
        assert r.status_code == 200, r.text
        assert r.json()["choices"][0]["message"]["content"] == "Patient John Smith, SSN 123-45-6789."
        seen = httpx.get(f"http://127.0.0.1:{stack.ports['local_model']}/_demo/requests", timeout=5).json()
        assert "John Smith" not in json.dumps(seen) and "[PHI_SSN_1]" in json.dumps(seen)
        [pid] = _replica_pids(tmp_path)
        assert "Ready" in _models(tmp_path) and not gone(pid)

        back = eventually_sync(lambda: _models(tmp_path), lambda line: "ScaledToZero" in line, timeout=60)
        assert "no request for 3 s" in back
        eventually_sync(lambda: gone(pid), bool, timeout=15)
        assert gone(pid) and _replica_pids(tmp_path) == []

        # Cold again: a stream is held with keep-alives, then streams the answer.
        with httpx.stream("POST", f"{stack.http_url}/v1/chat/completions", headers=headers, timeout=60, json={
                "model": MODEL, "stream": True, "messages": [{"role": "user", "content": "streamed after waking"}]}
                          ) as stream:
            assert stream.status_code == 200
            lines = [line for line in stream.iter_lines() if line]
        assert lines[0] == ": keep-alive"
        data = [line for line in lines if line.startswith("data: ")]
        assert data[-1] == "data: [DONE]"
        text = "".join((json.loads(line[6:])["choices"] or [{}])[0].get("delta", {}).get("content") or ""
                       for line in data[:-1])
        assert text == "streamed after waking"
        [pid] = _replica_pids(tmp_path)
    assert gone(pid)  # the stack stopped the operator, which stopped its replica
