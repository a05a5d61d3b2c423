"""In-process stack for router tests: every gRPC service on an ephemeral port, the demo provider on real HTTP, and
the router's FastAPI app (driven through httpx with the real uvicorn server)."""
from __future__ import annotations

import asyncio
import uuid
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import grpc
import uvicorn

from radiant.auth.v1 import auth_pb2, auth_pb2_grpc
from radiant.registry.v1 import registry_pb2, registry_pb2_grpc
from services.auth.server import build as build_auth
from services.auth.settings import Settings as AuthSettings
from services.demo_provider.app import create_app as create_demo
from services.metering.server import build as build_metering
from services.metering.settings import Settings as MeteringSettings
from services.phi.server import build as build_phi
from services.phi.settings import Settings as PhiSettings
from services.registry.catalogue import model_id, provider_id
from services.registry.server import build as build_registry
from services.registry.settings import Settings as RegistrySettings
from services.router.edge.app import create_app
from services.router.settings import Settings as RouterSettings
from services.runtime.config import load_settings
from tests.grpc_helpers import internal_channel


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def serve_asgi(app) -> tuple[uvicorn.Server, asyncio.Task, int]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False,
                                           lifespan="on", loop="none"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    return server, task, port


@dataclass
class InProcessStack:
    db_url: str
    redis_url: str
    services: dict = field(default_factory=dict)
    # Extra settings of auth / the router (e.g. the admin identity pool, the identity driver, CORS origins).
    auth_settings: dict = field(default_factory=dict)
    router_overrides: dict = field(default_factory=dict)
    router_port: int = 0
    demo_port: int = 0
    _servers: list = field(default_factory=list)
    _channels: list = field(default_factory=list)

    async def start(self) -> "InProcessStack":
        # Streams of its own, so no other stack's metering consumes this stack's usage events or request-log records.
        run = uuid.uuid4().hex
        common = dict(database_url=self.db_url, redis_url=self.redis_url, env="test", health_interval_seconds=0.2,
                      usage_stream=f"radiant:usage:test:{run}", request_log_stream=f"radiant:requests:test:{run}",
                      watch_channel=f"radiant:registry:test:{run}")
        demo_server, demo_task, self.demo_port = await serve_asgi(create_demo())
        self._servers.append((demo_server, demo_task))
        self.demo_app_requests_url = f"http://127.0.0.1:{self.demo_port}/_demo/requests"
        self.services["auth"] = await build_auth(load_settings(AuthSettings, **common, **self.auth_settings), port=0)
        self.services["phi"] = await build_phi(load_settings(PhiSettings, **common), port=0)
        self.services["registry"] = await build_registry(load_settings(
            RegistrySettings, demo_provider_url=f"http://127.0.0.1:{self.demo_port}/v1", **common), port=0)
        self.services["metering"] = await build_metering(load_settings(MeteringSettings, **common), port=0)
        # The catalogue is seeded once per database and never overwritten; point it at this run's demo provider.
        async with internal_channel(self.services["registry"].address) as ch:
            registry = registry_pb2_grpc.RegistryServiceStub(ch)
            providers = (await registry.ListProviders(registry_pb2.ListProvidersRequest())).providers
            self.demo_provider_id = next(p.id for p in providers if p.name == "demo")
            await registry.UpdateProvider(registry_pb2.UpdateProviderRequest(
                id=self.demo_provider_id, base_url=f"http://127.0.0.1:{self.demo_port}/v1"))
        # A generous deadline for the router's calls: tests assert outcomes, never deadlines, and a loaded machine
        # must not turn a slow answer of auth into a 503 (phi keeps its own, RADIANT_PHI_TIMEOUT_MS).
        self.router_settings = load_settings(RouterSettings, **{**common, "registry_cache_seconds": 0,
                                                                "grpc_deadline_ms": 10_000, **self.router_overrides},
                                             **{f"{n}_addr": s.address for n, s in self.services.items()})
        self.router_app, self.router_port = await self.start_router()
        return self

    async def start_router(self):
        """Another router replica on the same services (stopped with the stack); returns (app, port)."""
        app = create_app(self.router_settings)
        router_server, router_task, port = await serve_asgi(app)
        self._servers.append((router_server, router_task))
        return app, port

    async def auth_stub(self):
        """A channel to auth, closed with the stack."""
        ch = internal_channel(self.services["auth"].address)
        self._channels.append(ch)
        return auth_pb2_grpc.AuthServiceStub(ch)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.router_port}"

    async def new_tenant_key(self, tenant_id: str, roles: tuple[str, ...] = ("admin",)) -> str:
        async with internal_channel(self.services["auth"].address) as ch:
            stub = auth_pb2_grpc.AuthServiceStub(ch)
            await stub.CreateTenant(auth_pb2.CreateTenantRequest(id=tenant_id, name=f"Tenant {tenant_id}", tier=1))
            created = await stub.CreateApiKey(auth_pb2.CreateApiKeyRequest(tenant_id=tenant_id, name="test",
                                                                           roles=list(roles)))
        return created.secret

    @asynccontextmanager
    async def seeded_provider_at(self, provider: str, base_url: str, model: str, config: dict | None = None,
                                 ready_replicas: int | None = None) -> AsyncIterator[registry_pb2_grpc.RegistryServiceStub]:
        """Activate a seeded (inactive) catalogue provider and one of its models against a local fake (optionally with
        provider config and a reported replica count); everything is put back afterwards, since other test modules
        share the catalogue database. Yields the registry stub."""
        async with internal_channel(self.services["registry"].address) as ch:
            registry = registry_pb2_grpc.RegistryServiceStub(ch)
            before = await registry.GetProvider(registry_pb2.GetProviderRequest(id=provider_id(provider)))
            model_before = await registry.GetModel(registry_pb2.GetModelRequest(id=model_id(model)))
            update = registry_pb2.UpdateProviderRequest(id=before.id, base_url=base_url,
                                                        status=registry_pb2.STATUS_ACTIVE)
            if config is not None:
                update.config.update(config)
            await registry.UpdateProvider(update)
            await registry.UpdateModel(registry_pb2.UpdateModelRequest(id=model_before.id,
                                                                       status=registry_pb2.STATUS_ACTIVE))
            if ready_replicas is not None:
                await registry.ReportObservedState(registry_pb2.ReportObservedStateRequest(
                    model_id=model_before.id, observed=registry_pb2.ObservedState(
                        ready_replicas=ready_replicas, desired_replicas=ready_replicas, phase="InService")))
            try:
                yield registry
            finally:
                if ready_replicas is not None:
                    await registry.ReportObservedState(registry_pb2.ReportObservedStateRequest(
                        model_id=model_before.id, observed=model_before.observed))
                await registry.UpdateModel(registry_pb2.UpdateModelRequest(id=model_before.id,
                                                                           status=model_before.status))
                await registry.UpdateProvider(registry_pb2.UpdateProviderRequest(
                    id=before.id, base_url=before.base_url, status=before.status, config=before.config))

    async def stop_service(self, name: str) -> None:
        await self.services.pop(name).stop(0)

    async def stop(self) -> None:
        for ch in self._channels:
            await ch.close()
        for server, task in reversed(self._servers):
            server.should_exit = True
            await task
        for running in self.services.values():
            await running.stop(0)
