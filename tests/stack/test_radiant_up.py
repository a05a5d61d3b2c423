"""`radiant up` end to end: every service as its own process. Needs all services (auth, phi, registry, metering,
router) to exist and start."""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading

import httpx
import openai

from services.stack.config import free_ports_env
from services.stack.launcher import STATE_FILE, Stack
from tests.eventually import eventually_sync

BOOTSTRAP_KEY = "rk-stack-test-0123456789abcdef"


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def read_until_banner(proc: subprocess.Popen) -> str:
    """stdout up to the banner's last line (or EOF when the launcher gave up: it has its own start timeout)."""
    out = []
    for line in proc.stdout:
        out.append(line)
        if "Press Ctrl-C to stop" in line:
            break
    return "".join(out)


def start_radiant_up(data_dir, ports: dict[str, str], extra_args: list[str] = ()
                     ) -> tuple[subprocess.Popen, list[str], threading.Thread]:
    """`radiant up` on the embedded default (env free of external database/Redis/secrets)."""
    env = {**os.environ, **ports, "RADIANT_BOOTSTRAP_API_KEY": BOOTSTRAP_KEY, "RADIANT_START_TIMEOUT": "60"}
    for var in ("RADIANT_DATABASE_URL", "RADIANT_REDIS_URL", "RADIANT_API_KEY_PEPPER", "RADIANT_PHI_ENCRYPTION_KEY"):
        env.pop(var, None)
    proc = subprocess.Popen([sys.executable, "-m", "services.cli", "up", "--data-dir", str(data_dir),
                             *extra_args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stderr: list[str] = []
    drain = threading.Thread(target=lambda: stderr.extend(proc.stderr), daemon=True)
    drain.start()
    return proc, stderr, drain


def test_radiant_up_starts_everything_and_stops_on_sigint(tmp_path):
    ports = free_ports_env()
    proc, stderr, drain = start_radiant_up(tmp_path, ports)
    try:
        banner = read_until_banner(proc)
        assert "Radiant is up." in banner, f"radiant up did not start:\n{banner}\n{''.join(stderr)[-4000:]}"
        http_url = f"http://127.0.0.1:{ports['RADIANT_HTTP_PORT']}"
        assert http_url in banner and str(tmp_path) in banner
        assert "embedded SQLite" in banner and "embedded (in-process" in banner

        assert httpx.get(f"{http_url}/healthz", timeout=5).status_code == 200
        state = json.loads((tmp_path / STATE_FILE).read_text())
        pids = {name: s["pid"] for name, s in state["services"].items()}
        assert set(pids) == {"demo_provider", "auth", "phi", "registry", "metering", "router"}
        assert all(not gone(pid) for pid in pids.values())

        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        drain.join(timeout=5)
    assert all(gone(pid) for pid in pids.values())
    secrets_file = tmp_path / "secrets.json"
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    output = banner + "".join(stderr)
    for secret in [BOOTSTRAP_KEY, *json.loads(secrets_file.read_text()).values()]:
        assert secret not in output
    assert (tmp_path / "auth.db").exists()


def test_stack_library_on_postgres_and_redis_serves_the_banner_example(tmp_path, fresh_pg_url, redis_url):
    env = {**free_ports_env(), "RADIANT_DATABASE_URL": fresh_pg_url, "RADIANT_REDIS_URL": redis_url,
           "RADIANT_BOOTSTRAP_API_KEY": BOOTSTRAP_KEY}
    with Stack(env, tmp_path, log_target="files") as stack:
        assert not stack.embedded_redis and not stack.embedded_database
        assert "redis" not in stack.ports
        sdk = openai.OpenAI(base_url=f"{stack.http_url}/v1", api_key=BOOTSTRAP_KEY, max_retries=0)
        completion = sdk.chat.completions.create(
            model="radiant-demo", messages=[{"role": "user", "content": "What is the boiling point of water?"}])
        assert completion.choices[0].message.content == "What is the boiling point of water?"
        pids = list(stack.pids.values())
    assert all(gone(pid) for pid in pids)


def test_radiant_up_restarts_a_service_that_dies(tmp_path):
    """Issue 11 (a): a dead child is restarted (and says so); the stack keeps serving."""
    ports = free_ports_env()
    proc, stderr, drain = start_radiant_up(tmp_path, ports)
    try:
        banner = read_until_banner(proc)
        assert "Radiant is up." in banner, f"radiant up did not start:\n{banner}\n{''.join(stderr)[-4000:]}"
        pids = {name: s["pid"] for name, s in json.loads((tmp_path / STATE_FILE).read_text())["services"].items()}
        os.kill(pids["metering"], signal.SIGKILL)

        def restarted():
            state = json.loads((tmp_path / STATE_FILE).read_text())["services"]
            return state["metering"]["pid"] != pids["metering"] and "metering restarted and ready" in "".join(stderr)
        assert eventually_sync(restarted, bool, timeout=60), ''.join(stderr)[-3000:]
        assert proc.poll() is None
        assert "metering exited with code -9; restarting it in" in "".join(stderr)
        sdk = openai.OpenAI(base_url=f"http://127.0.0.1:{ports['RADIANT_HTTP_PORT']}/v1", api_key=BOOTSTRAP_KEY,
                            max_retries=3)
        reply = sdk.chat.completions.create(model="radiant-demo", messages=[{"role": "user", "content": "ok?"}])
        assert reply.choices[0].message.content == "ok?"
        new_pid = json.loads((tmp_path / STATE_FILE).read_text())["services"]["metering"]["pid"]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        drain.join(timeout=5)
    assert all(gone(pid) for pid in [*pids.values(), new_pid])


def test_radiant_up_gives_up_on_a_service_that_keeps_failing(tmp_path):
    ports = free_ports_env()
    env_ports = {**ports, "RADIANT_RESTART_BACKOFF_SECONDS": "0.1", "RADIANT_MAX_FAST_RESTARTS": "2"}
    proc, stderr, drain = start_radiant_up(tmp_path, env_ports)
    killed, every_pid = [], set()
    try:
        banner = read_until_banner(proc)
        assert "Radiant is up." in banner, f"radiant up did not start:\n{banner}\n{''.join(stderr)[-4000:]}"

        def kill_current_phi():
            if proc.poll() is not None:
                return True
            try:
                services = json.loads((tmp_path / STATE_FILE).read_text())["services"]
            except FileNotFoundError:
                return False  # stopping
            every_pid.update(s["pid"] for s in services.values())
            pid = services["phi"]["pid"]
            if pid not in killed and not gone(pid):
                killed.append(pid)
                os.kill(pid, signal.SIGKILL)
            return proc.poll() is not None
        assert eventually_sync(kill_current_phi, bool, timeout=120), ''.join(stderr)[-3000:]
        assert proc.returncode == 1
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        drain.join(timeout=5)
    output = "".join(stderr)
    assert "phi keeps failing" in output and "phi kept failing" in output and "stopped everything" in output
    assert len(killed) == 3  # the first death and two quick restarts, then it gives up
    assert not (tmp_path / STATE_FILE).exists()  # the stack is down: nothing left running
    assert all(gone(pid) for pid in every_pid)
