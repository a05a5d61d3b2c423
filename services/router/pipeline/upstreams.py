"""gRPC stubs of the services the router orchestrates (one long-lived channel per target)."""
from __future__ import annotations

from dataclasses import dataclass

import grpc
from grpc_health.v1 import health_pb2_grpc

from radiant.auth.v1 import auth_pb2_grpc
from radiant.metering.v1 import metering_pb2_grpc
from radiant.phi.v1 import phi_pb2_grpc
from radiant.registry.v1 import registry_pb2_grpc
from services.router.settings import Settings
from services.runtime.grpc_client import channel
from services.runtime.service_auth import Minter


@dataclass(frozen=True)
class Upstreams:
    auth: auth_pb2_grpc.AuthServiceStub
    phi: phi_pb2_grpc.PhiServiceStub
    registry: registry_pb2_grpc.RegistryServiceStub
    metering: metering_pb2_grpc.MeteringServiceStub
    health: dict[str, health_pb2_grpc.HealthStub]
    channels: tuple[grpc.aio.Channel, ...]

    @classmethod
    def connect(cls, settings: Settings) -> "Upstreams":
        timeout = settings.grpc_deadline_ms / 1000
        addrs = {"auth": settings.auth_addr, "phi": settings.phi_addr, "registry": settings.registry_addr,
                 "metering": settings.metering_addr}
        minter = Minter.when(settings.internal_auth, "router")
        chans = {name: channel(addr, timeout, minter) for name, addr in addrs.items()}
        return cls(auth=auth_pb2_grpc.AuthServiceStub(chans["auth"]), phi=phi_pb2_grpc.PhiServiceStub(chans["phi"]),
                   registry=registry_pb2_grpc.RegistryServiceStub(chans["registry"]),
                   metering=metering_pb2_grpc.MeteringServiceStub(chans["metering"]),
                   health={name: health_pb2_grpc.HealthStub(ch) for name, ch in chans.items()},
                   channels=tuple(chans.values()))

    async def close(self) -> None:
        for ch in self.channels:
            await ch.close()
