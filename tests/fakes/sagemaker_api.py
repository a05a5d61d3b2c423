"""A local SageMaker control plane for what moto lacks (inference components) and for states moto skips (moto applies
an update at once; real endpoints spend minutes `Updating`). It speaks SageMaker's JSON protocol (awsJson1_1: POST /
with `X-Amz-Target: SageMaker.<Action>`), checks SigV4 for service `sagemaker`, and answers:

- DescribeInferenceComponent / UpdateInferenceComponentRuntimeConfig (copy count, 0 allowed)
- DescribeEndpoint / UpdateEndpointWeightsAndCapacities (instance count; below 1 is a ValidationException)

An update puts the resource in `Updating` for the next `updating_for` Describe calls, then `InService` with the new
count. Like SageMaker, an update while `Updating` is refused (ValidationException), and every Update call is recorded
with the status the resource had, so a test can prove none was sent while Updating. Failures (ThrottlingException,
ValidationException, ...) are scripted with `fail(...)`."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import orjson
from aiohttp import web

from tests.fakes.aws_fake import AwsFakeServer, failure_response
from tests.fakes.aws_fake import error_response as _aws_error

ACCOUNT = "123456789012"
REGION = "us-east-1"


def error_response(status: int, error_type: str, message: str) -> web.Response:
    """The JSON protocol names the error in the body's `__type` too (botocore reads it from there)."""
    return _aws_error(status, error_type, message, **{"__type": error_type})


@dataclass
class Resource:
    kind: str  # "inference-component" | "endpoint"
    name: str
    desired: int
    current: int
    status: str = "InService"
    updating_left: int = 0
    variant: str = "AllTraffic"


class SageMakerApiServer(AwsFakeServer):
    service = "sagemaker"

    def __init__(self, *, updating_for: int = 2, **kw: Any) -> None:
        super().__init__(**kw)
        self.updating_for = updating_for
        self.resources: dict[tuple[str, str], Resource] = {}
        self.updates: list[dict[str, Any]] = []  # every Update call: {"action", "name", "count", "status_then"}

    def fail(self, status: int, error_type: str, message: str = "injected failure", **kw: Any) -> None:
        super().fail(status, error_type, message, extra={"__type": error_type}, **kw)

    def inference_component(self, name: str, copies: int = 0, status: str = "InService") -> Resource:
        res = self.resources[("inference-component", name)] = Resource("inference-component", name, copies, copies,
                                                                        status)
        return res

    def endpoint(self, name: str, instances: int = 1, status: str = "InService") -> Resource:
        res = self.resources[("endpoint", name)] = Resource("endpoint", name, instances, instances, status)
        return res

    def routes(self) -> list[web.RouteDef]:
        return [web.post("/", self._handle)]

    async def _handle(self, request: web.Request) -> web.Response:
        target = request.headers.get("x-amz-target", "")
        body, refused = await self.admit(request, target=target)
        if refused is not None:
            return refused
        action = target.removeprefix("SageMaker.")
        failure = self.next_failure(streaming=False)
        if failure is not None:
            return failure_response(failure)
        handler = {"DescribeInferenceComponent": self._describe_ic,
                   "UpdateInferenceComponentRuntimeConfig": self._update_ic,
                   "DescribeEndpoint": self._describe_endpoint,
                   "UpdateEndpointWeightsAndCapacities": self._update_endpoint}.get(action)
        if handler is None:
            return error_response(400, "UnknownOperationException", f"unknown operation {target!r}")
        return handler(body or {})

    @staticmethod
    def _json(data: dict[str, Any]) -> web.Response:
        return web.Response(body=orjson.dumps(data), content_type="application/x-amz-json-1.1")

    def _find(self, kind: str, name: str) -> Resource | None:
        res = self.resources.get((kind, name))
        if res is not None and res.updating_left > 0:
            res.updating_left -= 1
            if res.updating_left == 0:
                res.status, res.current = "InService", res.desired
        return res

    def _arn(self, res: Resource) -> str:
        return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:{res.kind}/{res.name}"

    def _missing(self, kind: str, name: str) -> web.Response:
        what = "inference component" if kind == "inference-component" else "endpoint"
        return error_response(400, "ValidationException",
                              f'Could not find {what} "arn:aws:sagemaker:{REGION}:{ACCOUNT}:{kind}/{name}".')

    def _start_update(self, res: Resource, action: str, count: int) -> web.Response | None:
        self.updates.append({"action": action, "name": res.name, "count": count, "status_then": res.status})
        if res.status != "InService":
            return error_response(400, "ValidationException",
                                  f"Cannot update {res.kind} {res.name} while it is in {res.status} status.")
        res.desired, res.status, res.updating_left = count, "Updating", self.updating_for
        if self.updating_for == 0:
            res.status, res.current = "InService", count
        return None

    def _describe_ic(self, body: dict[str, Any]) -> web.Response:
        name = str(body.get("InferenceComponentName") or "")
        res = self._find("inference-component", name)
        if res is None:
            return self._missing("inference-component", name)
        now = time.time()
        return self._json({"InferenceComponentName": name, "InferenceComponentArn": self._arn(res),
                           "EndpointName": name, "EndpointArn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/{name}",
                           "VariantName": res.variant, "InferenceComponentStatus": res.status,
                           "RuntimeConfig": {"DesiredCopyCount": res.desired, "CurrentCopyCount": res.current},
                           "CreationTime": now, "LastModifiedTime": now})

    def _update_ic(self, body: dict[str, Any]) -> web.Response:
        name = str(body.get("InferenceComponentName") or "")
        count = (body.get("DesiredRuntimeConfig") or {}).get("CopyCount")
        res = self.resources.get(("inference-component", name))
        if res is None:
            return self._missing("inference-component", name)
        if not isinstance(count, int) or count < 0:
            return error_response(400, "ValidationException", "CopyCount must be a non-negative integer")
        refused = self._start_update(res, "UpdateInferenceComponentRuntimeConfig", count)
        return refused or self._json({"InferenceComponentArn": self._arn(res)})

    def _describe_endpoint(self, body: dict[str, Any]) -> web.Response:
        name = str(body.get("EndpointName") or "")
        res = self._find("endpoint", name)
        if res is None:
            return self._missing("endpoint", name)
        now = time.time()
        return self._json({"EndpointName": name, "EndpointArn": self._arn(res), "EndpointConfigName": f"{name}-cfg",
                           "EndpointStatus": res.status, "CreationTime": now, "LastModifiedTime": now,
                           "ProductionVariants": [{"VariantName": res.variant, "CurrentWeight": 1.0,
                                                   "DesiredWeight": 1.0, "CurrentInstanceCount": res.current,
                                                   "DesiredInstanceCount": res.desired}]})

    def _update_endpoint(self, body: dict[str, Any]) -> web.Response:
        name = str(body.get("EndpointName") or "")
        res = self.resources.get(("endpoint", name))
        if res is None:
            return self._missing("endpoint", name)
        [variant] = body.get("DesiredWeightsAndCapacities") or [{}]
        count = variant.get("DesiredInstanceCount")
        if variant.get("VariantName") != res.variant:
            return error_response(400, "ValidationException",
                                  f'The variant name(s) "{variant.get("VariantName")}" is/are not present.')
        if not isinstance(count, int) or count < 1:
            return error_response(400, "ValidationException",
                                  "1 validation error detected: Value at 'desiredWeightsAndCapacities.1.member."
                                  "desiredInstanceCount' failed to satisfy constraint: Member must have value greater "
                                  "than or equal to 1")
        refused = self._start_update(res, "UpdateEndpointWeightsAndCapacities", count)
        return refused or self._json({"EndpointArn": self._arn(res)})
