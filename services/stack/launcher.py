"""The local stack as a library: `Stack(env, data_dir).start()` runs the demo provider and every service as separate
processes on loopback, on the embedded default (SQLite files + in-process Redis) unless env points elsewhere
(RADIANT_DATABASE_URL / RADIANT_<SVC>_DATABASE_URL / RADIANT_REDIS_URL). Used by `radiant up` and end-to-end tests."""
from __future__ import annotations

import asyncio
import atexit
import json
import logging
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any, Mapping, Sequence

from services.stack.children import Child, LogTarget
from services.stack.config import HOST, SERVICES, StackConfig, StackError, check_ports, resolve_config
from services.stack.embedded_redis import EmbeddedRedis
from services.runtime.service_auth import KEY_VAR, PUBLIC_KEYS_VAR
from services.stack.secrets import SECRET_VARS, load_or_create_secrets
from services.stack.tls import LocalTLS, ensure_local_tls

log = logging.getLogger("radiant.stack")

STATE_FILE = "stack.json"
_POLL_SECONDS = 0.1
_STABLE_SECONDS = 60.0  # a child that ran this long before dying failed slowly: its restart count starts again
_MAX_BACKOFF_SECONDS = 30.0


class ServiceFailedError(StackError):
    """A child exited or never became ready; `service` names it and `tail` holds its last output lines."""

    def __init__(self, service: str, message: str, tail: str) -> None:
        super().__init__(f"{message}\n  last output of {service}:\n{tail}")
        self.service = service
        self.tail = tail


def _run_coroutine(coro: Any) -> Any:
    """Run a coroutine to completion on a private loop (works whether or not the caller is inside an event loop)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="stack-bootstrap")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


class Stack:
    """Start/stop the whole local stack.

    env: overrides on top of os.environ (inherit_env=True) or the whole environment (inherit_env=False).
    data_dir: where SQLite files, secrets.json, logs/ and stack.json live (default RADIANT_DATA_DIR or ./.radiant).
    only: start just these services (names from services.stack.config.SERVICE_NAMES), e.g. ["demo_provider"].
    child_env: extra env per service name, applied last (e.g. {"router": {"RADIANT_LOG_LEVEL": "debug"}}).
    log_target: "files" (<data dir>/logs/<svc>.log) or "stderr" (prefixed with the service name).
    tls: serve the REST edge over HTTPS with a local CA in <data dir>/tls (default: RADIANT_TLS).
    """

    def __init__(self, env: Mapping[str, str] | None = None, data_dir: str | os.PathLike[str] | None = None, *,
                 inherit_env: bool = True, only: Sequence[str] | None = None,
                 child_env: Mapping[str, Mapping[str, str]] | None = None, log_target: LogTarget = "files",
                 tls: bool | None = None) -> None:
        self.env: dict[str, str] = {**(os.environ if inherit_env else {}), **(env or {})}
        self.config: StackConfig = resolve_config(self.env, data_dir, only, tls)
        self.tls: LocalTLS | None = None
        self.child_env = {k: dict(v) for k, v in (child_env or {}).items()}
        self.log_target = log_target
        self.children: list[Child] = []
        self._redis: EmbeddedRedis | None = None
        self._lock = threading.RLock()
        self._started = False
        self._secrets: Mapping[str, str] = {}
        self._held: set[str] = set()  # stopped on purpose: not restarted
        self._fast_failures: dict[str, int] = {}

    # --- where things are ------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        return self.config.data_dir

    @property
    def log_dir(self) -> Path:
        return self.config.data_dir / "logs"

    @property
    def ports(self) -> dict[str, int]:
        """{"http": router REST, "router_grpc", "auth", "phi", "registry", "metering", "operator", "demo_provider",
        "redis", "local_model"} (the last two when used)."""
        c = self.config
        ports = {"http": c.http_ports["router"], "router_grpc": c.grpc_ports["router"],
                 **{name: port for name, port in c.grpc_ports.items() if name != "router"},
                 "demo_provider": c.http_ports["demo_provider"]}
        if c.embedded_redis:
            ports["redis"] = c.redis_port
        if c.local_model_url:
            ports["local_model"] = c.local_model_port
        return ports

    @property
    def http_url(self) -> str:
        """The REST edge (router), e.g. http://127.0.0.1:8080 (https:// in TLS mode)."""
        scheme = "https" if self.config.tls else "http"
        return f"{scheme}://{HOST}:{self.config.http_ports['router']}"

    @property
    def demo_provider_url(self) -> str:
        """OpenAI base URL of the demo provider, e.g. http://127.0.0.1:8090/v1."""
        return f"http://{HOST}:{self.config.http_ports['demo_provider']}/v1"

    @property
    def grpc_addrs(self) -> dict[str, str]:
        """gRPC address per service: auth, phi, registry, metering, router."""
        return {name: f"{HOST}:{port}" for name, port in self.config.grpc_ports.items()}

    @property
    def redis_url(self) -> str:
        return self.config.redis_url

    @property
    def database_urls(self) -> dict[str, str]:
        return dict(self.config.database_urls)

    @property
    def embedded_redis(self) -> bool:
        return self.config.embedded_redis

    @property
    def embedded_database(self) -> bool:
        """True when every started service uses its embedded SQLite file."""
        return all(self.config.embedded_database.get(s.name, True) for s in self.config.services)

    @property
    def pids(self) -> dict[str, int]:
        return {c.name: c.pid for c in self.children if c.pid is not None}

    @property
    def running(self) -> bool:
        return self._started

    # --- lifecycle -------------------------------------------------------------
    def start(self) -> "Stack":
        """Check ports, prepare secrets, start Redis, bootstrap, start every service stage by stage and wait until
        each is ready. Raises StackError (ServiceFailedError for a child) after stopping whatever it started."""
        with self._lock:
            if self._started:
                return self
            check_ports(self.config)
            self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                secrets = self._secrets = load_or_create_secrets(self.data_dir, self.env)
            except (OSError, ValueError) as exc:
                raise StackError(f"cannot prepare dev secrets: {exc}") from None
            if self.config.tls:
                try:
                    self.tls = ensure_local_tls(self.data_dir)
                except (OSError, ValueError) as exc:
                    raise StackError(f"cannot prepare the local TLS certificate: {exc}") from None
            self._started = True
            atexit.register(self.stop)
            try:
                if self.config.embedded_redis:
                    self._redis = EmbeddedRedis(HOST, self.config.redis_port)
                    try:
                        self._redis.start()
                    except OSError as exc:
                        raise StackError(f"port {self.config.redis_port} (embedded Redis) is not usable: "
                                         f"{exc.strerror}; set RADIANT_EMBEDDED_REDIS_PORT or RADIANT_REDIS_URL") from None
                for stage in sorted({s.stage for s in self.config.services}):
                    specs = [s for s in self.config.services if s.stage == stage]
                    if self.config.bootstrap_api_key and any(s.name == "auth" for s in specs):
                        self._bootstrap(secrets["RADIANT_API_KEY_PEPPER"])
                    stage_children = [self._child(spec.name, secrets) for spec in specs]
                    for child in stage_children:
                        self.children.append(child)
                        child.spawn()
                    self._wait_ready(stage_children)
                self._write_state()
            except BaseException:
                self.stop()
                raise
            return self

    def stop(self) -> None:
        """SIGTERM every child in reverse start order (stage by stage), SIGKILL whatever outlives the grace period,
        stop the embedded Redis. Idempotent."""
        with self._lock:
            if not self._started:
                return
            deadline = time.monotonic() + self.config.shutdown_grace
            for stage in sorted({s.stage for s in SERVICES}, reverse=True):
                names = {s.name for s in SERVICES if s.stage == stage}
                group = [c for c in reversed(self.children) if c.name in names]
                for child in group:
                    child.signal(signal.SIGTERM)
                for child in group:
                    if not child.wait(deadline - time.monotonic()):
                        log.warning(f"{child.name} did not stop within the grace period; killing it")
                        child.signal(signal.SIGKILL)
                        child.wait(5)
            for child in self.children:
                child.close()
            if self._redis is not None:
                self._redis.stop()
                self._redis = None
            (self.data_dir / STATE_FILE).unlink(missing_ok=True)
            self._started = False
            atexit.unregister(self.stop)

    def poll(self) -> Child | None:
        """The first child that has exited (and was not stopped on purpose), if any."""
        return next((c for c in self.children if c.exit_code() is not None and c.name not in self._held), None)

    def wait(self, stop: threading.Event | None = None, interval: float = 0.5) -> Child | None:
        """Block until `stop` is set (returns None) or a child dies (returns it)."""
        stop = stop or threading.Event()
        while not stop.wait(interval):
            dead = self.poll()
            if dead is not None:
                return dead
        return None

    def supervise(self, stop: threading.Event | None = None, interval: float = 0.5) -> Child | None:
        """Keep every child running until `stop` is set (returns None): a child that exits is restarted after a
        backoff that doubles with each quick failure (RADIANT_RESTART_BACKOFF_SECONDS, capped at 30 s). A child that
        fails quickly RADIANT_MAX_FAST_RESTARTS times in a row (it did not stay up for a minute) is given up on and
        returned, so the caller can stop the stack."""
        stop = stop or threading.Event()
        while not stop.wait(interval):
            dead = self.poll()
            while dead is not None and not stop.is_set():
                dead = self._restart(dead, stop)
                if dead is not None and self._fast_failures.get(dead.name, 0) > self.config.max_fast_restarts:
                    return dead
        return None

    def stop_service(self, name: str) -> None:
        """Stop one service on purpose (it is not restarted until start_service)."""
        with self._lock:
            child = self._find(name)
            self._held.add(name)
            child.signal(signal.SIGTERM)
            if not child.wait(self.config.shutdown_grace):
                child.signal(signal.SIGKILL)
                child.wait(5)

    def start_service(self, name: str) -> None:
        """Start a service stopped with stop_service (or dead) again and wait until it is ready."""
        with self._lock:
            self._held.discard(name)
            self._respawn(self._find(name))

    def _find(self, name: str) -> Child:
        try:
            return next(c for c in self.children if c.name == name)
        except StopIteration:
            raise StackError(f"no service {name!r} in this stack") from None

    def _respawn(self, old: Child) -> Child:
        old.close()
        new = self._child(old.name, self._secrets)
        self.children[self.children.index(old)] = new
        new.spawn()
        self._wait_ready([new])
        self._write_state()
        return new

    def _restart(self, dead: Child, stop: threading.Event) -> Child | None:
        """One restart of a dead child after its backoff; the child again if it failed (to start) once more."""
        quick = time.monotonic() - dead.started_at < _STABLE_SECONDS
        failures = self._fast_failures[dead.name] = self._fast_failures.get(dead.name, 0) + 1 if quick else 1
        if failures > self.config.max_fast_restarts:
            log.error(f"{dead.name} keeps failing ({failures - 1} quick restarts); giving up",
                      extra={"service": dead.name})
            return dead
        delay = min(self.config.restart_backoff * 2 ** (failures - 1), _MAX_BACKOFF_SECONDS)
        log.warning(f"{dead.name} exited with code {dead.exit_code()}; restarting it in {delay:g}s "
                    f"(quick failure {failures} of {self.config.max_fast_restarts})\n"
                    f"  last output of {dead.name}:\n{dead.tail_text()}", extra={"service": dead.name})
        if stop.wait(delay):
            return None
        with self._lock:
            if not self._started or dead.name in self._held:
                return None
            try:
                new = self._respawn(dead)
            except ServiceFailedError:
                failed = self._find(dead.name)
                failed.signal(signal.SIGKILL)
                failed.wait(5)
                return failed
        log.warning(f"{new.name} restarted and ready", extra={"service": new.name, "pid": new.pid})
        return None

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- internals -------------------------------------------------------------
    def _child(self, name: str, secrets: Mapping[str, str]) -> Child:
        spec = next(s for s in SERVICES if s.name == name)
        c = self.config
        env = {k: v for k, v in self.env.items()
               if k not in SECRET_VARS and k not in ("RADIANT_BOOTSTRAP_API_KEY", KEY_VAR)}
        env.update({
            "PYTHONUNBUFFERED": "1",
            "RADIANT_REDIS_URL": c.redis_url,
            "RADIANT_GRPC_HOST": HOST,
            **{f"RADIANT_{svc.upper()}_ADDR": addr for svc, addr in self.grpc_addrs.items() if svc != "router"},
            "RADIANT_ROUTER_ADDR": self.grpc_addrs["router"],
        })
        for var in spec.secrets:
            env[var] = secrets[var]
        env[PUBLIC_KEYS_VAR] = secrets[PUBLIC_KEYS_VAR]
        if spec.database:
            env["RADIANT_DATABASE_URL"] = c.database_urls[name]
        if spec.grpc_port_var:
            env["RADIANT_GRPC_PORT"] = str(c.grpc_ports[name])
        if name == "demo_provider":
            env["RADIANT_DEMO_PROVIDER_HOST"] = HOST
            env["RADIANT_DEMO_PROVIDER_PORT"] = str(c.http_ports[name])
        if name == "registry":
            env["RADIANT_DEMO_PROVIDER_URL"] = self.demo_provider_url
            env["RADIANT_LOCAL_MODEL_URL"] = c.local_model_url or ""
        if name == "operator":
            env.setdefault("RADIANT_OPERATOR_DRIVERS", "local")
            env["RADIANT_OPERATOR_LOCAL_STATE_DIR"] = str(self.data_dir / "operator")
        http_url = f"http://{HOST}:{c.http_ports[name]}" if spec.http_port_var else None
        if name == "router":
            # A request to the cold self-hosted demo model waits for its replica instead of a 503.
            env.setdefault("RADIANT_WARMUP_HOLD_SECONDS", "30")
            env["RADIANT_HTTP_HOST"] = HOST
            env["RADIANT_HTTP_PORT"] = str(c.http_ports[name])
            if self.tls is not None:
                env["RADIANT_HTTP_TLS_CERT_FILE"] = str(self.tls.cert_file)
                env["RADIANT_HTTP_TLS_KEY_FILE"] = str(self.tls.key_file)
                http_url = self.http_url
        env.update(self.child_env.get(name, {}))
        grpc_addr = f"{HOST}:{c.grpc_ports[name]}" if spec.grpc_port_var else None
        return Child(name, spec.module, env, grpc_addr=grpc_addr, http_url=http_url,
                     log_target=self.log_target, log_dir=self.log_dir,
                     ca_file=self.tls.ca_file if self.tls is not None and name == "router" else None)

    def _wait_ready(self, children: list[Child]) -> None:
        pending = list(children)
        reasons: dict[str, str] = {}
        deadline = time.monotonic() + self.config.start_timeout
        while pending:
            for child in list(pending):
                code = child.exit_code()
                if code is not None:
                    raise ServiceFailedError(child.name, f"{child.name} exited with code {code} before becoming ready",
                                             child.tail_text())
                reason = child.probe()
                if reason is None:
                    child.status = "ready"
                    pending.remove(child)
                    log.info("service ready", extra={"service": child.name, "pid": child.pid})
                else:
                    reasons[child.name] = reason
            if not pending:
                return
            if time.monotonic() > deadline:
                child = pending[0]
                raise ServiceFailedError(child.name, f"{child.name} did not become ready within "
                                         f"{self.config.start_timeout:g}s ({reasons.get(child.name, '?')}); "
                                         f"raise RADIANT_START_TIMEOUT if it is just slow", child.tail_text())
            time.sleep(_POLL_SECONDS)

    def _bootstrap(self, pepper: str) -> None:
        key = self.config.bootstrap_api_key
        assert key
        try:
            from services.auth.bootstrap import ensure_bootstrap_key
        except ImportError as exc:
            raise StackError(f"RADIANT_BOOTSTRAP_API_KEY is set but services.auth.bootstrap cannot be imported "
                             f"({type(exc).__name__}: {exc})") from None
        try:
            _run_coroutine(ensure_bootstrap_key(self.config.database_urls["auth"], pepper, key, tenant_id="default"))
        except Exception as exc:  # noqa: BLE001 - reported without the key
            detail = str(exc).replace(key, "***")
            raise StackError(f"bootstrap of RADIANT_BOOTSTRAP_API_KEY failed: {type(exc).__name__}: {detail}") from None

    def _write_state(self) -> None:
        state = {"launcher_pid": os.getpid(), "http_url": self.http_url, "data_dir": str(self.data_dir),
                 "tls_ca_file": str(self.tls.ca_file) if self.tls is not None else None,
                 "services": {c.name: {"pid": c.pid, "grpc": c.grpc_addr, "http": c.http_url} for c in self.children},
                 "redis_url": self.redis_url if self.embedded_redis else "external"}
        tmp = self.data_dir / f".{STATE_FILE}.tmp"
        tmp.write_text(json.dumps(state, indent=2) + "\n")
        tmp.replace(self.data_dir / STATE_FILE)  # readers never see a half-written file
