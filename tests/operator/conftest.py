"""The operator against KMock (a Kubernetes API emulator) with the real `kubernetes` client, on a real registry and
metering (Postgres + Redis, a database per test). Demand is recorded the way routers record it (metering's
DemandRecorder on Redis); readiness is what the test writes into the Deployment's status, as a kubelet would."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import kmock
import pytest
import yaml
from radiant.registry.v1 import registry_pb2 as pb
from radiant.registry.v1 import registry_pb2_grpc

from services.metering.demand import DemandRecorder
from services.metering.server import build as build_metering
from services.metering.settings import Settings as MeteringSettings
from services.operator.server import build as build_operator
from services.operator.settings import Settings as OperatorSettings
from services.registry.server import build as build_registry
from services.registry.settings import Settings as RegistrySettings
from services.registry.store import RegistryStore
from services.runtime.db import create_engine
from services.runtime.redis_client import create_redis
from tests.grpc_helpers import internal_channel
from tests.eventually import eventually

DEPLOYMENTS = kmock.resource("apps", "v1", "deployments")
PODS = kmock.resource("", "v1", "pods")
LEASES = kmock.resource("coordination.k8s.io", "v1", "leases")
LABEL = "radiant.ai/model-id"
NAMESPACE = "radiant"


def write_kubeconfig(path: Path, server: str) -> Path:
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "kmock",
        "clusters": [{"name": "kmock", "cluster": {"server": server.rstrip("/")}}],
        "users": [{"name": "kmock", "user": {"token": "test-token"}}],
        "contexts": [{"name": "kmock", "context": {"cluster": "kmock", "user": "kmock", "namespace": NAMESPACE}}]}))
    return path


@dataclass
class Cluster:
    km: kmock.KubernetesEmulator
    url: str
    kubeconfig: Path

    def deployment(self, name: str, replicas: int = 0, *, labelled: bool = True, ready: int = 0,
                   namespace: str = NAMESPACE) -> None:
        labels = {"app.kubernetes.io/component": "model-server", **({LABEL: name} if labelled else {})}
        self.km.objects[DEPLOYMENTS, namespace, name] = {
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": namespace, "labels": labels},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {LABEL: name}},
                     "template": {"metadata": {"labels": {LABEL: name}}, "spec": {"containers": []}}},
            "status": {"replicas": replicas, "readyReplicas": ready}}

    def replicas(self, name: str, namespace: str = NAMESPACE) -> int:
        return int(self.km.objects[DEPLOYMENTS, namespace, name]["spec"]["replicas"])

    def set_ready(self, name: str, ready: int, namespace: str = NAMESPACE) -> None:
        """What the Deployment controller and kubelet would report once pods are up."""
        self.km.objects[DEPLOYMENTS, namespace, name].patch({"status": {"readyReplicas": ready}})

    def pod(self, deployment: str, name: str, status: dict[str, Any], namespace: str = NAMESPACE) -> None:
        self.km.objects[PODS, namespace, name] = {
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace, "labels": {LABEL: deployment}}, "status": status}

    def scale_calls(self, name: str | None = None) -> list:
        calls = list(self.km["patch", DEPLOYMENTS, kmock.subresource("scale")])
        return [c for c in calls if name is None or c.name == name]


@pytest.fixture
async def cluster(tmp_path):
    async with kmock.KubernetesEmulator() as km, kmock.Server(km) as server:
        km.resources[PODS] = {}
        km.resources[LEASES] = {}
        km.resources[DEPLOYMENTS] = {}
        yield Cluster(km, str(server.url), write_kubeconfig(tmp_path / "kubeconfig", str(server.url)))


@dataclass
class Backends:
    """registry + metering on a database of their own, and what the tests need to drive them."""
    registry_addr: str
    metering_addr: str
    registry: registry_pb2_grpc.RegistryServiceStub
    store: RegistryStore
    demand: DemandRecorder
    watch_channel: str
    provider_id: str = ""
    _cleanup: list = field(default_factory=list)

    async def model(self, state: str, *, name: str | None = None, min_i: int = 0, max_i: int = 2, idle_minutes: int = 15,
                    kind: str = "kubernetes", deployment: str | None = None, namespace: str = NAMESPACE,
                    target: int = 0, **kw: Any) -> pb.Model:
        name = name or f"m-{uuid.uuid4().hex[:8]}"
        cfg = {"state": state, "min_instances": min_i, "max_instances": max_i,
               "scale_to_zero_after_minutes": idle_minutes, "warmup_time_seconds": 60,
               "target_in_flight_per_replica": target}
        row = dict(id=str(uuid.uuid4()), provider_id=self.provider_id, name=name, display_name=name,
                   description=None, type="self-hosted", specialty="general", capabilities=["chat"],
                   context_window=None, max_output_tokens=None, supports_functions=False, supports_vision=False,
                   supports_streaming=True, has_thinking_mode=False, thinking_budget_tokens=None,
                   pricing={"input_per_million": "1", "output_per_million": "1"}, thermal_state=state,
                   thermal_config=cfg, status="active", release_date=None, deprecation_date=None,
                   upstream_model=None, deployment_kind=kind, deployment_name=deployment or name,
                   deployment_namespace=namespace, deployment_instance_type=None, observed=None)
        row.update(kw)
        await self.store.insert_absent([], [row])
        return await self.get(row["id"])

    async def get(self, model_id: str) -> pb.Model:
        return await self.registry.GetModel(pb.GetModelRequest(id=model_id))

    async def set_state(self, model: pb.Model, state: int, **cfg: int) -> None:
        current = (await self.get(model.id)).thermal_config
        config = pb.ThermalConfig()
        config.CopyFrom(current)
        config.state = state
        for key, value in cfg.items():
            setattr(config, key, value)
        await self.registry.UpdateModel(pb.UpdateModelRequest(id=model.id, thermal_state=state,
                                                              thermal_config=config))

    async def observed(self, model: pb.Model, ok) -> pb.ObservedState:
        got = await eventually(lambda: self.get(model.id), lambda m: ok(m.observed), timeout=20)
        return got.observed


async def _provider(store: RegistryStore, **kw: Any) -> str:
    pid = str(uuid.uuid4())
    row = dict(id=pid, name=f"gpu-{pid[:8]}", type="self-hosted", status="active", hipaa_compliant=True,
               baa_available=True, base_url=None, auth_type="none", api_format="openai", credential_ref=None,
               capabilities=["chat"], config={"service_url_template": "http://{name}.{namespace}.svc:8000/v1"})
    row.update(kw)
    await store.insert_absent([row], [])
    return pid


@pytest.fixture
async def backends(fresh_pg_url, redis_url):
    channel_name = f"radiant:registry:test:{uuid.uuid4().hex}"
    common = dict(database_url=fresh_pg_url, redis_url=redis_url, env="test", health_interval_seconds=60)
    registry = await build_registry(RegistrySettings(**common, seed_catalogue=False, watch_channel=channel_name),
                                    port=0)
    metering = await build_metering(MeteringSettings(**common, usage_stream=f"radiant:usage:test:{uuid.uuid4().hex}"),
                                    port=0)
    channel = internal_channel(registry.address)
    engine = create_engine(fresh_pg_url)
    redis = create_redis(redis_url)
    b = Backends(registry.address, metering.address, registry_pb2_grpc.RegistryServiceStub(channel),
                 RegistryStore(engine), DemandRecorder(redis), channel_name)
    b.provider_id = await _provider(b.store)
    yield b
    await channel.close()
    await redis.aclose()
    await engine.dispose()
    await metering.stop(0)
    await registry.stop(0)


def operator_settings(backends: Backends, cluster: Cluster | None, **overrides: Any) -> OperatorSettings:
    values: dict[str, Any] = dict(
        env="test", grpc_port=0, health_interval_seconds=60, registry_addr=backends.registry_addr,
        metering_addr=backends.metering_addr, operator_drivers="kubernetes", operator_namespace=NAMESPACE,
        operator_leader_election=False, operator_resync_seconds=1.0, operator_converge_seconds=0.2,
        operator_kubeconfig=str(cluster.kubeconfig) if cluster else "")
    values.update(overrides)
    return OperatorSettings(**values)


@pytest.fixture
async def start_operator():
    """start_operator(settings) -> the running operator server; every one started is stopped afterwards."""
    started = []

    async def start(settings: OperatorSettings):
        running = await build_operator(settings, port=0)
        started.append(running)
        return running

    yield start
    for running in reversed(started):
        await running.stop(0)
