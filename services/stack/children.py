"""One child process of the stack: spawn, log pumping (prefixed stderr or a log file, plus a tail kept for error
messages), readiness probes (grpc.health.v1 Check, HTTP GET /healthz) and termination."""
from __future__ import annotations

import os
import signal
import ssl
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path
from typing import IO, Literal, Mapping

import grpc
import httpx
from grpc_health.v1 import health_pb2, health_pb2_grpc

LogTarget = Literal["stderr", "files"]
TAIL_LINES = 40
_stderr_lock = threading.Lock()


class Child:
    def __init__(self, name: str, module: str, env: Mapping[str, str], *, grpc_addr: str | None,
                 http_url: str | None, log_target: LogTarget, log_dir: Path, ca_file: Path | None = None) -> None:
        self.name = name
        self.module = module
        self.env = dict(env)
        self.grpc_addr = grpc_addr
        self.http_url = http_url
        self.ca_file = ca_file  # the local CA that signed this child's HTTPS certificate (TLS mode)
        self.log_target = log_target
        self.log_path = log_dir / f"{name}.log"
        self.tail: deque[str] = deque(maxlen=TAIL_LINES)
        self.proc: subprocess.Popen[bytes] | None = None
        self.status = "not started"
        self.started_at = 0.0
        self._pump: threading.Thread | None = None
        self._log_file: IO[str] | None = None
        self._channel: grpc.Channel | None = None
        self._http: httpx.Client | None = None

    # --- lifecycle -----------------------------------------------------------
    def spawn(self) -> None:
        if self.log_target == "files":
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = open(self.log_path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115
        # Own process group: a Ctrl-C in the terminal reaches only the launcher, which then stops the children in order.
        self.proc = subprocess.Popen([sys.executable, "-m", self.module], env=self.env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, process_group=0)
        self.status = "starting"
        self.started_at = time.monotonic()
        self._pump = threading.Thread(target=self._pump_output, name=f"log-{self.name}", daemon=True)
        self._pump.start()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def exit_code(self) -> int | None:
        return None if self.proc is None else self.proc.poll()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig: signal.Signals) -> None:
        if self.alive():
            try:
                os.killpg(self.proc.pid, sig)  # type: ignore[union-attr]
            except ProcessLookupError:
                pass

    def wait(self, timeout: float) -> bool:
        if self.proc is None:
            return True
        try:
            self.proc.wait(timeout=max(timeout, 0))
            return True
        except subprocess.TimeoutExpired:
            return False

    def close(self) -> None:
        """After the process is gone: finish the log pump, close probes and the log file."""
        if self._pump is not None:
            self._pump.join(timeout=2)
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self._http is not None:
            self._http.close()
            self._http = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def tail_text(self) -> str:
        return "\n".join(f"    {line}" for line in self.tail) or "    (no output)"

    # --- readiness -----------------------------------------------------------
    def probe(self) -> str | None:
        """None when ready; else a short reason (kept for the timeout message)."""
        if self.grpc_addr:
            if self._channel is None:
                self._channel = grpc.insecure_channel(self.grpc_addr)
            try:
                reply = health_pb2_grpc.HealthStub(self._channel).Check(health_pb2.HealthCheckRequest(service=""),
                                                                         timeout=1.0)
            except grpc.RpcError as exc:
                return f"gRPC health check on {self.grpc_addr}: {exc.code().name}"  # type: ignore[attr-defined]
            if reply.status != health_pb2.HealthCheckResponse.SERVING:
                return f"gRPC health on {self.grpc_addr}: {health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)}"
        if self.http_url:
            if self._http is None:
                self._http = httpx.Client(timeout=1.0, trust_env=False,
                                          verify=ssl.create_default_context(cafile=str(self.ca_file))
                                          if self.ca_file else True)
            try:
                response = self._http.get(f"{self.http_url}/healthz")
            except httpx.HTTPError as exc:
                return f"GET {self.http_url}/healthz: {type(exc).__name__}"
            if response.status_code != 200:
                return f"GET {self.http_url}/healthz: HTTP {response.status_code}"
        return None

    # --- output --------------------------------------------------------------
    def _pump_output(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        prefix = f"{self.name:<13}| "
        for raw in iter(self.proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.tail.append(line)
            try:
                if self._log_file is not None:
                    self._log_file.write(line + "\n")
                else:
                    with _stderr_lock:
                        sys.stderr.write(prefix + line + "\n")
                        sys.stderr.flush()
            except (OSError, ValueError):
                pass  # a closed terminal or log file must not kill the pump (the tail is still kept)
        self.proc.stdout.close()
