"""The official Kubernetes client as the operator uses it: one ApiClient (kubeconfig file or the in-cluster service
account), calls run in worker threads with a timeout, raw JSON bodies (no model deserialisation: a resync reads
hundreds of objects), and every failure turned into a DriverError that says what happened."""
from __future__ import annotations

import asyncio
import functools
import json
from typing import Any, Callable

import urllib3
from kubernetes import client as k8s
from kubernetes import config as k8s_config
from kubernetes.client.exceptions import ApiException

from services.operator.drivers import ConflictError, DriverError

MERGE_PATCH = "application/merge-patch+json"
# Errors retrying cannot fix until someone changes something (RBAC, a missing or invalid object).
_PERMANENT = {400, 401, 403, 404, 422}


def api_client(kubeconfig: str) -> k8s.ApiClient:
    cfg = k8s.Configuration()
    if kubeconfig:
        k8s_config.load_kube_config(config_file=kubeconfig, client_configuration=cfg)
    else:
        k8s_config.load_incluster_config(client_configuration=cfg)
    cfg.retries = False  # failures come back at once; the operator retries with its own backoff
    return k8s.ApiClient(cfg)


def status_message(exc: ApiException) -> str:
    try:
        body = json.loads(exc.body or b"{}")
    except (TypeError, ValueError):
        body = {}
    message = body.get("message") if isinstance(body, dict) else None
    return f"{exc.status} {exc.reason or ''}".strip() + (f": {message}" if message else "")


class Kube:
    def __init__(self, api: k8s.ApiClient, timeout: float) -> None:
        self.api = api
        self.timeout = timeout
        self.apps = k8s.AppsV1Api(api)
        self.core = k8s.CoreV1Api(api)
        self.coordination = k8s.CoordinationV1Api(api)

    async def call(self, what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """fn(*args, **kwargs) in a thread; the parsed JSON body, or DriverError / ConflictError naming `what`."""
        call = functools.partial(fn, *args, _preload_content=False, _request_timeout=self.timeout, **kwargs)
        try:
            resp = await asyncio.to_thread(call)
        except ApiException as exc:
            message = f"{what}: {status_message(exc)}"
            if exc.status == 409:
                raise ConflictError(message, status=409) from None
            raise DriverError(message, permanent=exc.status in _PERMANENT, status=exc.status) from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise DriverError(f"{what}: the Kubernetes API is unreachable ({type(exc).__name__})") from None
        try:
            return json.loads(resp.data or b"{}")
        except ValueError:
            raise DriverError(f"{what}: the Kubernetes API answered something that is not JSON") from None

    def close(self) -> None:
        self.api.close()
