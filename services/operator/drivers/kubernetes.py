"""Kubernetes driver: a model's replicas are its GPU Deployment's (the chart renders one per declared model at 0
replicas). Reads the Deployment (spec.replicas, status.readyReplicas) and, while replicas are missing, its pods'
scheduling conditions and container states for observed.message; scales through the `scale` subresource with the
resourceVersion it read (a 409 means someone changed it meanwhile: read again). A Deployment without the model label
is never scaled, whatever the registry says."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from radiant.registry.v1 import registry_pb2 as pb

from services.operator.drivers import Actual, DriverError
from services.operator.kube import MERGE_PATCH, Kube

_WAITING_PROBLEMS = ("ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff", "CreateContainerConfigError",
                     "CreateContainerError", "InvalidImageName")


def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    match = (selector or {}).get("matchLabels") or {}
    return bool(match) and all(labels.get(k) == v for k, v in match.items())


def pod_problem(pods: list[dict[str, Any]]) -> str:
    """Why pods are not ready, in the scheduler's / kubelet's words: unschedulable first, then container states."""
    unschedulable: list[str] = []
    waiting: list[str] = []
    for pod in pods:
        status = pod.get("status") or {}
        for cond in status.get("conditions") or ():
            if cond.get("type") == "PodScheduled" and cond.get("status") == "False":
                unschedulable.append(cond.get("message") or cond.get("reason") or "unschedulable")
        for cs in status.get("containerStatuses") or ():
            state = (cs.get("state") or {}).get("waiting") or {}
            if state.get("reason") in _WAITING_PROBLEMS:
                waiting.append(f"{state['reason']}: {state.get('message') or cs.get('name')}")
    if unschedulable:
        count = len(unschedulable)
        return f"{count} pod{'s' if count > 1 else ''} unschedulable: {unschedulable[0]}"
    if waiting:
        return waiting[0]
    return ""


class KubernetesDriver:
    kind = pb.DEPLOYMENT_KIND_KUBERNETES

    def __init__(self, kube: Kube, label: str, default_namespace: str) -> None:
        self.kube = kube
        self.label = label
        self.default_namespace = default_namespace

    def _where(self, model: pb.Model) -> tuple[str, str]:
        return model.deployment.namespace or self.default_namespace, model.deployment.name

    def _actual(self, namespace: str, deployment: dict[str, Any], pods: list[dict[str, Any]] | None) -> Actual:
        name = deployment["metadata"]["name"]
        labels = deployment["metadata"].get("labels") or {}
        if self.label not in labels:
            raise DriverError(f"Deployment {namespace}/{name} is not labelled {self.label}: the operator leaves it "
                              "alone", permanent=True)
        spec, status = deployment.get("spec") or {}, deployment.get("status") or {}
        desired = int(spec.get("replicas") if spec.get("replicas") is not None else 1)
        ready = int(status.get("readyReplicas") or 0)
        message = ""
        if ready < desired and pods is not None:
            selector = spec.get("selector") or {}
            message = pod_problem([p for p in pods if _selects(selector, (p.get("metadata") or {}).get("labels") or {})])
        return Actual(desired=desired, ready=ready, message=message,
                      version=str(deployment["metadata"].get("resourceVersion") or ""))

    async def _pods(self, namespace: str) -> list[dict[str, Any]] | None:
        """The model pods of a namespace; None when they cannot be listed (they only explain, never decide)."""
        try:
            listed = await self.kube.call(f"listing pods in {namespace}", self.kube.core.list_namespaced_pod,
                                          namespace, label_selector=self.label)
        except DriverError:
            return None
        return listed.get("items") or []

    async def observe(self, model: pb.Model) -> Actual:
        namespace, name = self._where(model)
        deployment = await self.kube.call(f"reading Deployment {namespace}/{name}",
                                          self.kube.apps.read_namespaced_deployment, name, namespace)
        actual = self._actual(namespace, deployment, None)
        if actual.ready < actual.desired:
            actual = self._actual(namespace, deployment, await self._pods(namespace))
        return actual

    async def observe_many(self, models: Sequence[pb.Model]) -> dict[str, Actual | DriverError]:
        """One Deployment list (and at most one pod list) per namespace."""
        out: dict[str, Actual | DriverError] = {}
        by_namespace: dict[str, list[pb.Model]] = {}
        for model in models:
            by_namespace.setdefault(self._where(model)[0], []).append(model)
        for namespace, group in by_namespace.items():
            try:
                listed = await self.kube.call(f"listing Deployments in {namespace}",
                                              self.kube.apps.list_namespaced_deployment, namespace,
                                              label_selector=self.label)
            except DriverError as exc:
                out.update({m.id: exc for m in group})
                continue
            found = {d["metadata"]["name"]: d for d in listed.get("items") or ()
                     if self.label in (d["metadata"].get("labels") or {})}
            pods: list[dict[str, Any]] | None = None
            listed_pods = False
            for model in group:
                deployment = found.get(model.deployment.name)
                try:
                    if deployment is None:  # absent or unlabelled: the single read says which
                        out[model.id] = await self.observe(model)
                        continue
                    actual = self._actual(namespace, deployment, None)
                    if actual.ready < actual.desired:
                        if not listed_pods:
                            pods, listed_pods = await self._pods(namespace), True
                        actual = self._actual(namespace, deployment, pods)
                    out[model.id] = actual
                except DriverError as exc:
                    out[model.id] = exc
        return out

    async def scale(self, model: pb.Model, replicas: int, actual: Actual) -> None:
        namespace, name = self._where(model)
        body: dict[str, Any] = {"spec": {"replicas": replicas}}
        if actual.version:
            body["metadata"] = {"resourceVersion": actual.version}
        await self.kube.call(f"scaling Deployment {namespace}/{name}",
                             self.kube.apps.patch_namespaced_deployment_scale, name, namespace, body,
                             _content_type=MERGE_PATCH)

    async def close(self) -> None:
        return None
