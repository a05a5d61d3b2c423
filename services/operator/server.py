"""Operator process assembly: gRPC health (and metrics) on the shared runtime, the drivers it is configured for, and
the control loop, behind leader election when it drives Kubernetes."""
from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass, field

from radiant.metering.v1 import demand_pb2_grpc
from radiant.registry.v1 import registry_pb2 as pb
from radiant.registry.v1 import registry_pb2_grpc

from services.operator.controller import Controller
from services.operator.demand import DemandClient
from services.operator.drivers import Driver
from services.operator.leader import LeaseElector
from services.operator.reconciler import Reconciler
from services.operator.settings import Settings
from services.runtime.grpc_client import channel
from services.runtime.grpc_server import RunningServer, start_server
from services.runtime.service_auth import Minter
from services.runtime.tasks import cancel_and_wait

log = logging.getLogger("radiant.operator")


@dataclass
class Operator:
    """What build() starts; tests reach the controller and the elector through it."""
    controller: Controller
    drivers: dict[int, Driver]
    elector: LeaseElector | None
    tasks: list[asyncio.Task] = field(default_factory=list)


def _drivers(settings: Settings, registry: registry_pb2_grpc.RegistryServiceStub) -> tuple[dict[int, Driver], object]:
    drivers: dict[int, Driver] = {}
    kube = None
    if "kubernetes" in settings.drivers:
        from services.operator.drivers.kubernetes import KubernetesDriver
        from services.operator.kube import Kube, api_client
        kube = Kube(api_client(settings.operator_kubeconfig), settings.operator_kube_timeout_seconds)
        drivers[pb.DEPLOYMENT_KIND_KUBERNETES] = KubernetesDriver(kube, settings.operator_model_label,
                                                                 settings.operator_namespace)
    if "sagemaker" in settings.drivers:
        from services.operator.drivers import sagemaker
        drivers[pb.DEPLOYMENT_KIND_SAGEMAKER] = sagemaker.SageMakerDriver(
            sagemaker.client(settings.operator_aws_region, settings.operator_sagemaker_endpoint_url))
    if "local" in settings.drivers:
        from services.operator.drivers.local import LocalDriver
        drivers[pb.DEPLOYMENT_KIND_LOCAL] = LocalDriver(registry, settings.operator_local_state_dir)
    return drivers, kube


async def build(settings: Settings, port: int | None = None) -> RunningServer:
    running = await start_server("operator", settings, lambda server: None, [], port=port)
    timeout = settings.grpc_deadline_ms / 1000
    minter = Minter.when(settings.internal_auth, "operator")
    channels = [channel(settings.registry_addr, timeout, minter), channel(settings.metering_addr, timeout, minter)]
    registry = registry_pb2_grpc.RegistryServiceStub(channels[0])
    demand = DemandClient(demand_pb2_grpc.DemandServiceStub(channels[1]))
    drivers, kube = _drivers(settings, registry)
    reconciler = Reconciler(registry, drivers, idle_override=settings.operator_scale_to_zero_after_seconds,
                            default_target=settings.operator_target_in_flight,
                            converge_seconds=settings.operator_converge_seconds)
    controller = Controller(registry, demand, reconciler, resync_seconds=settings.operator_resync_seconds,
                            workers=settings.operator_workers)
    elector = None
    if settings.lease_enabled and kube is not None:
        identity = settings.operator_pod_name or f"{socket.gethostname()}-{os.getpid()}"
        elector = LeaseElector(kube, settings.operator_namespace, settings.operator_lease_name, identity,
                               settings.operator_lease_seconds, settings.operator_lease_retry_seconds)
        main = asyncio.create_task(elector.run(controller.run))
    else:
        main = asyncio.create_task(controller.run())
    operator = Operator(controller, drivers, elector, [main])
    log.info("operator started", extra={"drivers": settings.drivers, "leader_election": elector is not None})

    async def stop() -> None:
        await cancel_and_wait(*operator.tasks)  # the elector releases its Lease on the way out
        for driver in drivers.values():
            await driver.close()
        if kube is not None:
            kube.close()
        for ch in channels:
            await ch.close()

    running.on_stop.append(stop)
    running.operator = operator  # type: ignore[attr-defined]
    return running
