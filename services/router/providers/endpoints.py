"""Where a model is reached when it is deployed by Radiant itself rather than hosted by its provider."""
from __future__ import annotations

from radiant.registry.v1 import registry_pb2
from services.router.providers.base import provider_config
from services.runtime.errors import ServiceUnavailableError

_DEFAULT_NAMESPACE = "default"


def provider_for_model(provider: registry_pb2.Provider, model: registry_pb2.Model) -> registry_pb2.Provider:
    """A model on its own Kubernetes Deployment is called at its in-cluster Service (the provider's
    ``config.service_url_template``, e.g. ``http://{name}.{namespace}.svc.cluster.local:8000/v1``); a model on a
    SageMaker endpoint is invoked at the endpoint its deployment names (and its inference component, when it has one).
    Other models use the provider as it is."""
    deployment = model.deployment
    if not deployment.name:
        return provider
    if deployment.kind == registry_pb2.DEPLOYMENT_KIND_KUBERNETES:
        template = provider_config(provider).get("service_url_template")
        if not template:
            return provider  # the provider's own base_url serves every model
        resolved = registry_pb2.Provider()
        resolved.CopyFrom(provider)
        try:
            resolved.base_url = str(template).format(name=deployment.name,
                                                     namespace=deployment.namespace or _DEFAULT_NAMESPACE)
        except (KeyError, IndexError, ValueError):
            raise ServiceUnavailableError(f"Provider '{provider.id}' has an invalid config.service_url_template "
                                          "(placeholders: {name}, {namespace})") from None
        return resolved
    if deployment.kind == registry_pb2.DEPLOYMENT_KIND_SAGEMAKER:
        config = provider_config(provider)
        endpoints = dict(config.get("endpoints") or {})
        upstream = model.upstream_model or model.name
        entry = endpoints.get(upstream)
        endpoints[upstream] = {**(entry if isinstance(entry, dict) else {}), "name": deployment.name}
        if deployment.inference_component:
            endpoints[upstream]["inference_component"] = deployment.inference_component
        resolved = registry_pb2.Provider()
        resolved.CopyFrom(provider)
        resolved.config.update({**config, "endpoints": endpoints})
        return resolved
    return provider


def endpoint_key(model: registry_pb2.Model) -> str:
    """Part of the adapter cache key: self-hosted models each get the adapter of their own endpoint."""
    return model.deployment.name if model.deployment.kind in (registry_pb2.DEPLOYMENT_KIND_KUBERNETES,
                                                              registry_pb2.DEPLOYMENT_KIND_SAGEMAKER) else ""
