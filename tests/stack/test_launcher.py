"""The launcher without the other services: port checks, configuration errors, dev secrets, child lifecycle and
failure reporting (using the demo provider as the child)."""
from __future__ import annotations

import base64
import json
import os
import signal
import socket
import stat
import subprocess
import sys

import httpx
import openai
import pytest

from services.stack.config import StackError, free_ports_env
from services.stack.launcher import STATE_FILE, ServiceFailedError, Stack
from services.runtime.service_auth import (IDENTITIES, PUBLIC_KEYS_VAR, Minter, Verifier, generate_key_set,
                                           public_keys)
from services.stack.secrets import SECRET_VARS, SERVICE_KEY_VARS, load_or_create_secrets


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def listening_socket():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    yield sock.getsockname()[1]
    sock.close()


@pytest.mark.parametrize("var, label", [("RADIANT_HTTP_PORT", "router HTTP"), ("RADIANT_AUTH_PORT", "auth gRPC"),
                                        ("RADIANT_EMBEDDED_REDIS_PORT", "embedded Redis")])
def test_radiant_up_fails_at_once_naming_a_port_in_use(tmp_path, listening_socket, var, label):
    env = {**os.environ, **free_ports_env(), var: str(listening_socket)}
    result = subprocess.run([sys.executable, "-m", "services.cli", "up", "--data-dir", str(tmp_path)], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert f"port {listening_socket} ({label}) is already in use" in result.stderr
    assert var in result.stderr
    assert not (tmp_path / STATE_FILE).exists()  # nothing was started


def test_external_redis_needs_no_embedded_port(tmp_path, listening_socket):
    env = {**free_ports_env(), "RADIANT_EMBEDDED_REDIS_PORT": str(listening_socket),
           "RADIANT_REDIS_URL": "redis://127.0.0.1:6379/0"}
    stack = Stack(env, tmp_path, inherit_env=False)
    assert not stack.embedded_redis
    assert "redis" not in stack.ports
    from services.stack.config import check_ports
    check_ports(stack.config)  # the busy embedded-Redis port does not matter


@pytest.mark.parametrize("env, message", [
    ({"RADIANT_HTTP_PORT": "eighty"}, "RADIANT_HTTP_PORT must be an integer"),
    ({"RADIANT_START_TIMEOUT": "-1"}, "RADIANT_START_TIMEOUT must be a number"),
    ({"RADIANT_AUTH_PORT": "50099", "RADIANT_PHI_PORT": "50099"}, "port 50099 is configured for both auth gRPC"),
])
def test_bad_configuration_is_a_clear_error(tmp_path, env, message):
    with pytest.raises(StackError, match=message):
        Stack(env, tmp_path, inherit_env=False)


def test_defaults_and_per_service_database_urls(tmp_path):
    stack = Stack({"RADIANT_DATA_DIR": str(tmp_path / "d")}, inherit_env=False)
    assert stack.data_dir == (tmp_path / "d").resolve()
    assert stack.http_url == "http://127.0.0.1:8080"
    assert stack.demo_provider_url == "http://127.0.0.1:8090/v1"
    assert stack.ports == {"http": 8080, "router_grpc": 50050, "auth": 50051, "phi": 50052, "registry": 50053,
                           "metering": 50054, "operator": 50055, "demo_provider": 8090, "redis": 6399,
                           "local_model": 8091}
    assert stack.database_urls["auth"] == f"sqlite:///{stack.data_dir}/auth.db"
    assert stack.redis_url == "redis://127.0.0.1:6399/0"
    assert stack.embedded_database and stack.embedded_redis

    shared = Stack({"RADIANT_DATABASE_URL": "postgresql://u:p@db/radiant",
                    "RADIANT_AUTH_DATABASE_URL": "postgresql://u:p@db/auth"}, tmp_path, inherit_env=False)
    assert shared.database_urls["auth"] == "postgresql://u:p@db/auth"
    assert {shared.database_urls[s] for s in ("phi", "registry", "metering", "router")} == {"postgresql://u:p@db/radiant"}
    assert not shared.embedded_database


def test_dev_secrets_are_generated_once_private_and_reused(tmp_path):
    first = load_or_create_secrets(tmp_path, {})
    assert set(first) == {*SECRET_VARS, PUBLIC_KEYS_VAR}
    for var in SECRET_VARS:
        decode = base64.urlsafe_b64decode if var in SERVICE_KEY_VARS else base64.b64decode
        assert len(decode(first[var] + "=" * (-len(first[var]) % 4))) == 32, var
    # The public-key set is derived from the service keys, one per identity, and verifies their tokens.
    public = json.loads(first[PUBLIC_KEYS_VAR])
    assert set(public) == set(IDENTITIES)
    token = Minter.from_env("router", first).service_token("phi")
    assert Verifier("phi", public_keys(first)).service(token) == "router"
    path = tmp_path / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secrets(tmp_path, {}) == first
    assert json.loads(path.read_text()) == {var: first[var] for var in SECRET_VARS}


def test_secrets_from_env_win_and_are_not_written(tmp_path):
    env = {var: f"from-env-{var}" for var in SECRET_VARS if var not in SERVICE_KEY_VARS}
    env.update(generate_key_set())
    assert load_or_create_secrets(tmp_path, env) == env
    assert not (tmp_path / "secrets.json").exists()
    partial = load_or_create_secrets(tmp_path, {"RADIANT_API_KEY_PEPPER": "from-env-pepper"})
    assert partial["RADIANT_API_KEY_PEPPER"] == "from-env-pepper"
    assert json.loads((tmp_path / "secrets.json").read_text()) == {
        var: partial[var] for var in SECRET_VARS if var != "RADIANT_API_KEY_PEPPER"}


def test_secrets_file_that_is_not_json_is_a_clear_error(tmp_path):
    (tmp_path / "secrets.json").write_text("{oops")
    with pytest.raises(StackError, match="secrets.json is not valid JSON"):
        Stack(free_ports_env(), tmp_path, only=["demo_provider"]).start()


def test_stack_runs_the_demo_provider_as_a_process_and_stops_it(tmp_path):
    stack = Stack(free_ports_env(), tmp_path, only=["demo_provider"])
    with stack:
        pid = stack.pids["demo_provider"]
        state = json.loads((tmp_path / STATE_FILE).read_text())
        assert state["services"]["demo_provider"]["pid"] == pid
        sdk = openai.OpenAI(base_url=stack.demo_provider_url, api_key="demo", max_retries=0)
        chunks = sdk.chat.completions.create(model="radiant-demo", stream=True,
                                             messages=[{"role": "user", "content": "over a real socket"}])
        assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "over a real socket"
        recorded = httpx.get(stack.demo_provider_url.removesuffix("/v1") + "/_demo/requests").json()
        assert recorded[-1]["messages"] == [{"role": "user", "content": "over a real socket"}]
        child = stack.children[0]
        assert not set(SECRET_VARS) & set(child.env)  # secrets go only to the services that own them
    assert gone(pid)
    assert not (tmp_path / STATE_FILE).exists()
    assert "listening" in (tmp_path / "logs" / "demo_provider.log").read_text()
    # A restart keeps the dev secrets.
    secrets_before = (tmp_path / "secrets.json").read_text()
    with Stack(free_ports_env(), tmp_path, only=["demo_provider"]):
        pass
    assert (tmp_path / "secrets.json").read_text() == secrets_before


def test_child_that_exits_during_start_is_named_with_its_output(tmp_path):
    stack = Stack(free_ports_env(), tmp_path, only=["demo_provider"],
                  child_env={"demo_provider": {"RADIANT_DEMO_PROVIDER_PORT": "not-a-port"}})
    with pytest.raises(ServiceFailedError) as failed:
        stack.start()
    assert failed.value.service == "demo_provider"
    assert "demo_provider exited with code" in str(failed.value)
    assert "RADIANT_DEMO_PROVIDER_PORT" in failed.value.tail
    assert not stack.running


def test_child_that_never_gets_ready_times_out_and_is_stopped(tmp_path):
    env = free_ports_env()
    elsewhere = free_ports_env()["RADIANT_DEMO_PROVIDER_PORT"]
    stack = Stack({**env, "RADIANT_START_TIMEOUT": "2"}, tmp_path, only=["demo_provider"],
                  child_env={"demo_provider": {"RADIANT_DEMO_PROVIDER_PORT": elsewhere}})
    with pytest.raises(ServiceFailedError, match=r"demo_provider did not become ready within 2s .*RADIANT_START_TIMEOUT"):
        stack.start()
    assert all(gone(c.pid) for c in stack.children)


def test_wait_reports_a_child_that_dies_while_running(tmp_path):
    with Stack(free_ports_env(), tmp_path, only=["demo_provider"]) as stack:
        os.kill(stack.pids["demo_provider"], signal.SIGKILL)
        dead = stack.wait(interval=0.05)
        assert dead is not None and dead.name == "demo_provider"
        assert dead.exit_code() == -signal.SIGKILL

