"""Local driver (`radiant up`, no cluster): a model's replica is a local OpenAI-compatible server process (the demo
provider) listening where the router calls the model (its provider's base_url). One process per model: one URL.

A pid file per running replica (`<state dir>/<model id>.json`) lets a restarted operator adopt the processes the
last one started; a pid is only signalled after checking it is still such a server. Ready = it answers
GET /healthz. On a graceful shutdown the operator stops its replicas, so nothing is left behind."""
from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from radiant.registry.v1 import registry_pb2 as pb
from radiant.registry.v1 import registry_pb2_grpc

from services.operator.drivers import Actual, DriverError, observe_each
from services.runtime.errors import RadiantError
from services.runtime.grpc_client import call

log = logging.getLogger("radiant.operator")

MODULE = "services.demo_provider"
_STOP_GRACE_SECONDS = 5.0
CEILING_REASON = "the local driver runs one process per model"


def _alive_server(pid: int) -> bool:
    """Is `pid` a running demo-provider process (not a recycled pid of something else)?"""
    proc = Path(f"/proc/{pid}/cmdline")
    try:
        if proc.exists():
            return MODULE.encode() in proc.read_bytes()
        out = subprocess.run(["ps", "-p", str(pid), "-o", "command="], capture_output=True, text=True, timeout=5)
        return MODULE in out.stdout
    except (OSError, subprocess.SubprocessError):
        return False


class LocalDriver:
    kind = pb.DEPLOYMENT_KIND_LOCAL

    def __init__(self, registry: registry_pb2_grpc.RegistryServiceStub, state_dir: str | Path,
                 env: dict[str, str] | None = None) -> None:
        self.registry = registry
        self.state_dir = Path(state_dir)
        self.env = dict(os.environ if env is None else env)
        self._children: dict[str, subprocess.Popen] = {}
        self._http = httpx.AsyncClient(timeout=1.0, trust_env=False)

    def _pidfile(self, model: pb.Model) -> Path:
        return self.state_dir / f"{model.id}.json"

    def _running_pid(self, model: pb.Model) -> int | None:
        child = self._children.get(model.id)
        if child is not None:
            if child.poll() is None:
                return child.pid
            del self._children[model.id]
            self._pidfile(model).unlink(missing_ok=True)
            return None
        try:
            pid = int(json.loads(self._pidfile(model).read_text())["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if _alive_server(pid):
            return pid
        self._pidfile(model).unlink(missing_ok=True)
        return None

    async def _address(self, model: pb.Model) -> tuple[str, int]:
        try:
            provider = await call(self.registry.GetProvider(pb.GetProviderRequest(id=model.provider_id)), "registry")
        except RadiantError as exc:
            raise DriverError(f"cannot read the provider of {model.name}: {exc.message}") from None
        url = urlsplit(provider.base_url)
        if url.scheme != "http" or url.hostname not in ("127.0.0.1", "localhost", "::1") or not url.port:
            raise DriverError(f"provider {provider.name} base_url {provider.base_url!r} is not an http://127.0.0.1:<port> "
                              "URL the local driver can serve", permanent=True)
        return url.hostname, url.port

    async def observe(self, model: pb.Model) -> Actual:
        host, port = await self._address(model)
        pid = await asyncio.to_thread(self._running_pid, model)
        ready = 0
        if pid is not None:
            try:
                ready = int((await self._http.get(f"http://{host}:{port}/healthz")).status_code == 200)
            except httpx.HTTPError:
                ready = 0
        return Actual(desired=int(pid is not None), ready=ready, ceiling=1, ceiling_reason=CEILING_REASON,
                      message="" if ready or pid is None else f"process {pid} starting on port {port}")

    async def observe_many(self, models: Sequence[pb.Model]) -> dict[str, Actual | DriverError]:
        return await observe_each(self, models)

    async def scale(self, model: pb.Model, replicas: int, actual: Actual) -> None:
        if replicas > 0:
            host, port = await self._address(model)
            await asyncio.to_thread(self._start, model, host, port)
        else:
            await asyncio.to_thread(self._stop, model)

    def _start(self, model: pb.Model, host: str, port: int) -> None:
        if self._running_pid(model) is not None:
            return
        self.state_dir.mkdir(parents=True, exist_ok=True)
        env = {**self.env, "RADIANT_DEMO_PROVIDER_HOST": host, "RADIANT_DEMO_PROVIDER_PORT": str(port),
               "PYTHONUNBUFFERED": "1"}
        with open(self.state_dir / f"{model.name}.log", "ab") as out:
            child = subprocess.Popen([sys.executable, "-m", MODULE], env=env, stdin=subprocess.DEVNULL, stdout=out,
                                     stderr=subprocess.STDOUT)
        self._children[model.id] = child
        self._pidfile(model).write_text(json.dumps({"pid": child.pid, "model": model.name, "port": port,
                                                    "started_at": time.time()}))
        log.info("local replica started", extra={"model": model.name, "pid": child.pid, "port": port})

    def _stop(self, model: pb.Model) -> None:
        pid = self._running_pid(model)
        child = self._children.pop(model.id, None)
        if pid is not None:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + _STOP_GRACE_SECONDS
            while time.monotonic() < deadline and (child.poll() is None if child else _alive_server(pid)):
                time.sleep(0.05)
            if child.poll() is None if child else _alive_server(pid):
                os.kill(pid, signal.SIGKILL)
            if child is not None:
                child.wait(5)
            log.info("local replica stopped", extra={"model": model.name, "pid": pid})
        self._pidfile(model).unlink(missing_ok=True)

    async def close(self) -> None:
        """Graceful shutdown: stop every replica this driver knows of (started here or adopted)."""
        await self._http.aclose()
        for path in self.state_dir.glob("*.json") if self.state_dir.exists() else ():
            model = pb.Model(id=path.stem)
            await asyncio.to_thread(self._stop, model)
