"""Operator benchmarks, in one process: registry + metering (SQLite file + the embedded Redis-compatible server, or
RADIANT_DATABASE_URL / RADIANT_REDIS_URL when set), the operator with its Kubernetes driver (the real `kubernetes`
client) against KMock.

1. Warm-up request -> scale call: a COLD model at 0 replicas gets RegistryService.RequestWarmup (what the router
   sends); the time until KMock receives the operator's PATCH of the Deployment's scale subresource, p50/p99 over
   `--warmups` models, next to a direct PATCH of the same subresource from this process (the API round-trip floor).
2. One full resync over `--models` models (re-list from the registry, one Deployment list, demand for all, every
   model reconciled): once with nothing to change, once with every model to scale; the operator runs as its own
   process there, so its CPU is measured apart from KMock's.

    .venv/bin/python -m bench.operator_bench [--warmups 50] [--models 1000]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import kmock
from radiant.registry.v1 import registry_pb2 as pb
from radiant.registry.v1 import registry_pb2_grpc

from bench import internal_auth
from services.metering.server import build as build_metering
from services.metering.settings import Settings as MeteringSettings
from services.operator.server import build as build_operator
from services.operator.settings import Settings as OperatorSettings
from services.registry.server import build as build_registry
from services.registry.settings import Settings as RegistrySettings
from services.registry.store import RegistryStore
from services.runtime.db import create_engine
from services.stack.embedded_redis import EmbeddedRedis

DEPLOYMENTS = kmock.resource("apps", "v1", "deployments")
NAMESPACE = "radiant"
LABEL = "radiant.ai/model-id"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _deployment(name: str, replicas: int) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": NAMESPACE, "labels": {LABEL: name}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {LABEL: name}}},
            "status": {"replicas": replicas, "readyReplicas": replicas}}


def _cluster(km: kmock.KubernetesEmulator, url: str, path: Path) -> Path:
    km.resources[DEPLOYMENTS] = {}
    km.resources[kmock.resource("", "v1", "pods")] = {}
    path.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "k",
        "clusters": [{"name": "k", "cluster": {"server": url.rstrip("/")}}],
        "users": [{"name": "k", "user": {"token": "t"}}],
        "contexts": [{"name": "k", "context": {"cluster": "k", "user": "k"}}]}))
    return path


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _next_resync(log: Path, proc: subprocess.Popen, index: int) -> dict:
    """The index-th "resync done" line of the operator's JSON log, with the operator's CPU since the previous one."""
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"the operator exited ({proc.returncode}); see {log}")
        done = [json.loads(line) for line in log.read_text().splitlines()
                if line.startswith("{") and '"resync done"' in line]
        if len(done) > index:
            cpu = _cpu_seconds(proc.pid)
            previous = _next_resync.cpu.get(proc.pid, 0.0)  # type: ignore[attr-defined]
            _next_resync.cpu[proc.pid] = cpu  # type: ignore[attr-defined]
            return {**done[index], "index": index, "cpu": cpu - previous}
        await asyncio.sleep(0.05)


_next_resync.cpu = {}  # type: ignore[attr-defined]


def _model_row(provider_id: str, name: str, state: str, min_i: int) -> dict:
    cfg = {"state": state, "min_instances": min_i, "max_instances": 2, "scale_to_zero_after_minutes": 15,
           "warmup_time_seconds": 300}
    return dict(id=str(uuid.uuid4()), provider_id=provider_id, name=name, display_name=name, description=None,
                type="self-hosted", specialty="general", capabilities=["chat"], context_window=None,
                max_output_tokens=None, supports_functions=False, supports_vision=False, supports_streaming=True,
                has_thinking_mode=False, thinking_budget_tokens=None, pricing={}, thermal_state=state,
                thermal_config=cfg, status="active", release_date=None, deprecation_date=None, upstream_model=None,
                deployment_kind="kubernetes", deployment_name=name, deployment_namespace=NAMESPACE,
                deployment_instance_type=None, observed=None)


async def main_async(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="radiant-operator-bench-"))
    internal_auth.keys()  # the registry, metering and operator built below verify / sign with these
    redis = None
    redis_url = os.environ.get("RADIANT_REDIS_URL")
    if not redis_url:
        redis = EmbeddedRedis("127.0.0.1", 0)
        redis.start()
        redis_url = redis.url
    db_url = os.environ.get("RADIANT_DATABASE_URL") or f"sqlite:///{workdir / 'bench.db'}"
    common = dict(database_url=db_url, redis_url=redis_url, env="test", health_interval_seconds=60,
                  log_level="warning")
    registry = await build_registry(RegistrySettings(**common, seed_catalogue=False,
                                                     watch_channel=f"radiant:bench:{uuid.uuid4().hex}"), port=0)
    metering = await build_metering(MeteringSettings(**common, usage_stream=f"radiant:bench:{uuid.uuid4().hex}"),
                                    port=0)
    engine = create_engine(db_url)
    store = RegistryStore(engine)
    provider_id = str(uuid.uuid4())
    await store.insert_absent([dict(id=provider_id, name=f"bench-{provider_id[:8]}", type="self-hosted",
                                    status="active", hipaa_compliant=True, baa_available=True, base_url=None,
                                    auth_type="none", api_format="openai", credential_ref=None, capabilities=[],
                                    config={})], [])
    channel = internal_auth.channel(registry.address)
    stub = registry_pb2_grpc.RegistryServiceStub(channel)
    try:
        async with kmock.KubernetesEmulator() as km, kmock.Server(km) as server:
            kubeconfig = _cluster(km, str(server.url), workdir / "kubeconfig-warmup")
            scaled: dict[str, float] = {}

            def arrived(request):
                """When KMock receives a scale call; then `NotImplementedError` hands it to the emulator to apply."""
                scaled.setdefault(request.name, time.perf_counter())
                raise NotImplementedError

            km["patch", DEPLOYMENTS, kmock.subresource("scale")] << arrived

            # --- 1. warm-up request -> scale call -------------------------------------------------------------
            names = [f"warm-{i}-{uuid.uuid4().hex[:6]}" for i in range(args.warmups)]
            await store.insert_absent([], [_model_row(provider_id, n, "COLD", 0) for n in names])
            for n in names:
                km.objects[DEPLOYMENTS, NAMESPACE, n] = _deployment(n, 0)
            operator = await build_operator(OperatorSettings(
                env="test", log_level="warning", grpc_port=0, registry_addr=registry.address,
                metering_addr=metering.address, operator_drivers="kubernetes", operator_kubeconfig=str(kubeconfig),
                operator_namespace=NAMESPACE, operator_leader_election=False, operator_resync_seconds=3600,
                operator_workers=8), port=0)
            controller = operator.operator.controller
            while controller.resyncs < 1:
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)  # the Watch stream is open
            latencies = []
            for n in names:
                model = await stub.GetModel(pb.GetModelRequest(name=n))
                started = time.perf_counter()
                await stub.RequestWarmup(pb.RequestWarmupRequest(model_id=model.id))
                while n not in scaled:
                    await asyncio.sleep(0.001)
                latencies.append((scaled[n] - started) * 1000)
            direct = []
            from kubernetes import client as k8s
            from services.operator.kube import MERGE_PATCH, api_client
            apps = k8s.AppsV1Api(api_client(str(kubeconfig)))
            for n in names:
                started = time.perf_counter()
                await asyncio.to_thread(apps.patch_namespaced_deployment_scale, n, NAMESPACE,
                                        {"spec": {"replicas": 1}}, _content_type=MERGE_PATCH,
                                        _preload_content=False)
                direct.append((time.perf_counter() - started) * 1000)
            print("Warm-up request -> scale call (ms; noisy on a shared machine)")
            print("| path | n | p50 | p99 | max |")
            print("|---|---|---|---|---|")
            for label, values in (("RequestWarmup -> operator's PATCH .../scale", latencies),
                                  ("direct PATCH .../scale (API floor)", direct)):
                print(f"| {label} | {len(values)} | {statistics.median(values):.1f} | {_pct(values, 0.99):.1f} | "
                      f"{max(values):.1f} |")
            await operator.stop(0)

        # --- 2. one full resync over many models (a KMock of its own: reactions make KMock scan its history) ----
        async with kmock.KubernetesEmulator() as km, kmock.Server(km) as server:
            kubeconfig = _cluster(km, str(server.url), workdir / "kubeconfig-resync")
            bulk = [f"bulk-{i}-{uuid.uuid4().hex[:6]}" for i in range(args.models)]
            await store.insert_absent([], [_model_row(provider_id, n, "WARM", 1) for n in bulk])
            for n in bulk:
                km.objects[DEPLOYMENTS, NAMESPACE, n] = _deployment(n, 1)
            # The operator runs as a process of its own here, so its CPU is told apart from KMock's (whose request
            # matching grows with the requests it has served) and the registry's.
            log = workdir / "operator.log"
            env = {**os.environ, "RADIANT_ENV": "test", "RADIANT_GRPC_PORT": "0",
                   "RADIANT_REGISTRY_ADDR": registry.address, "RADIANT_METERING_ADDR": metering.address,
                   "RADIANT_OPERATOR_DRIVERS": "kubernetes", "RADIANT_OPERATOR_KUBECONFIG": str(kubeconfig),
                   "RADIANT_OPERATOR_NAMESPACE": NAMESPACE, "RADIANT_OPERATOR_LEADER_ELECTION": "false",
                   "RADIANT_OPERATOR_RESYNC_SECONDS": str(args.resync_seconds), "RADIANT_GRPC_DEADLINE_MS": "30000"}
            with open(log, "wb") as out:
                proc = subprocess.Popen([sys.executable, "-m", "services.operator"], env=env, stdout=out,
                                        stderr=subprocess.STDOUT)
            try:
                first = await _next_resync(log, proc, 0)  # reports every model's observed state once
                noop = await _next_resync(log, proc, first["index"] + 1)
                for n in bulk:
                    km.objects[DEPLOYMENTS, NAMESPACE, n].patch({"spec": {"replicas": 0},
                                                                  "status": {"readyReplicas": 0}})
                full = await _next_resync(log, proc, noop["index"] + 1)
            finally:
                proc.terminate()
                await asyncio.to_thread(proc.wait, 30)
            calls = len(list(km["patch", DEPLOYMENTS, kmock.subresource("scale")]))
            print()
            print(f"Full resync over {noop['models']} models in KMock (s; wall includes KMock, which runs in the "
                  "bench process; CPU is the operator process's over the resync period)")
            print("| resync | wall | operator CPU | operator CPU per model (ms) | scale calls |")
            print("|---|---|---|---|---|")
            for label, r, n_calls in (("nothing to change", noop, 0), ("every model to scale", full, calls)):
                print(f"| {label} | {r['seconds']:.2f} | {r['cpu']:.2f} | {1000 * r['cpu'] / r['models']:.2f} | "
                      f"{n_calls} |")
    finally:
        await channel.close()
        await engine.dispose()
        await metering.stop(0)
        await registry.stop(0)
        if redis is not None:
            redis.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warmups", type=int, default=50)
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--resync-seconds", type=float, default=20.0,
                        help="the operator's resync period in part 2 (longer than one resync takes)")
    asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
