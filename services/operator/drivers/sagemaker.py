"""SageMaker driver (boto3). A model on an inference component is scaled by its copy count
(UpdateInferenceComponentRuntimeConfig; 0 allowed, and the endpoint's managed instance scaling then releases the
instances); a model on a classic endpoint by its variant's instance count (UpdateEndpointWeightsAndCapacities), which
cannot go below 1: observed.message says so when its state asks for 0.

Nothing is asked while the resource is Creating/Updating/Deleting (SageMaker refuses concurrent updates): the model
stays Scaling and is looked at again. Throttling is retried by botocore (standard retry mode: exponential backoff
with jitter); if it persists, the reconcile is retried later. A validation error (no such endpoint or component,
an impossible count) becomes phase Failed with AWS's message."""
from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from radiant.registry.v1 import registry_pb2 as pb

from services.operator.drivers import Actual, DriverError, observe_each

_BUSY = {"Creating", "Updating", "Deleting", "SystemUpdating", "RollingBack"}
_FAILED = {"Failed", "UpdateRollbackFailed", "OutOfService"}
_PERMANENT = {"ValidationException", "ValidationError", "ResourceNotFound", "AccessDeniedException",
              "UnrecognizedClientException", "InvalidSignatureException"}
CLASSIC_FLOOR_REASON = ("a classic SageMaker endpoint keeps at least 1 instance: host the model as an inference "
                        "component to scale it to zero")


def client(region: str, endpoint_url: str = "", max_attempts: int = 5):
    config = Config(region_name=region, retries={"mode": "standard", "max_attempts": max_attempts},
                    connect_timeout=5, read_timeout=30)
    return boto3.client("sagemaker", endpoint_url=endpoint_url or None, config=config)


class SageMakerDriver:
    kind = pb.DEPLOYMENT_KIND_SAGEMAKER

    def __init__(self, sagemaker) -> None:
        self.sagemaker = sagemaker

    async def _call(self, what: str, method: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return await asyncio.to_thread(getattr(self.sagemaker, method), **kwargs)
        except ClientError as exc:
            error = exc.response.get("Error") or {}
            code = str(error.get("Code") or "")
            message = f"{what}: {code}: {error.get('Message') or exc}"
            raise DriverError(message, permanent=code in _PERMANENT,
                              status=exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")) from None
        except BotoCoreError as exc:
            raise DriverError(f"{what}: the SageMaker API is unreachable ({type(exc).__name__})") from None

    async def observe(self, model: pb.Model) -> Actual:
        dep = model.deployment
        if dep.inference_component:
            ic = await self._call(f"describing inference component {dep.inference_component}",
                                  "describe_inference_component", InferenceComponentName=dep.inference_component)
            status = str(ic.get("InferenceComponentStatus") or "")
            runtime = ic.get("RuntimeConfig") or {}
            return self._actual(status, int(runtime.get("DesiredCopyCount") or 0),
                                int(runtime.get("CurrentCopyCount") or 0), ic.get("FailureReason"), 0, "",
                                f"inference component {dep.inference_component}")
        endpoint = await self._call(f"describing endpoint {dep.name}", "describe_endpoint", EndpointName=dep.name)
        variants = endpoint.get("ProductionVariants") or []
        if not variants:
            raise DriverError(f"endpoint {dep.name} has no production variant", permanent=True)
        variant = variants[0]
        current = int(variant.get("CurrentInstanceCount") or 0)
        desired = int(variant.get("DesiredInstanceCount") if variant.get("DesiredInstanceCount") is not None
                      else current)
        actual = self._actual(str(endpoint.get("EndpointStatus") or ""), desired, current,
                              endpoint.get("FailureReason"), 1, CLASSIC_FLOOR_REASON, f"endpoint {dep.name}")
        actual.version = str(variant.get("VariantName") or "")
        return actual

    @staticmethod
    def _actual(status: str, desired: int, current: int, failure: str | None, floor: int, floor_reason: str,
                what: str) -> Actual:
        if status in _FAILED:
            raise DriverError(f"{what} is {status}" + (f": {failure}" if failure else ""), permanent=True)
        busy = status in _BUSY
        ready = current if status == "InService" or busy else 0
        return Actual(desired=desired, ready=ready, busy=busy, floor=floor, floor_reason=floor_reason,
                      message=f"{what} is {status}" if busy else "")

    async def observe_many(self, models: Sequence[pb.Model]) -> dict[str, Actual | DriverError]:
        return await observe_each(self, models)  # SageMaker has no batch describe

    async def scale(self, model: pb.Model, replicas: int, actual: Actual) -> None:
        dep = model.deployment
        if dep.inference_component:
            await self._call(f"scaling inference component {dep.inference_component}",
                             "update_inference_component_runtime_config",
                             InferenceComponentName=dep.inference_component,
                             DesiredRuntimeConfig={"CopyCount": replicas})
            return
        await self._call(f"scaling endpoint {dep.name}", "update_endpoint_weights_and_capacities",
                         EndpointName=dep.name,
                         DesiredWeightsAndCapacities=[{"VariantName": actual.version,
                                                       "DesiredInstanceCount": replicas}])

    async def close(self) -> None:
        await asyncio.to_thread(self.sagemaker.close)
