"""Self-hosted models are reached at their own endpoint: a Kubernetes Deployment through its in-cluster Service, a
SageMaker model through the endpoint its deployment names."""
import grpc
import httpx
import pytest
from google.protobuf import struct_pb2

from radiant.registry.v1 import registry_pb2, registry_pb2_grpc
from services.registry import catalogue
from services.router.providers.endpoints import provider_for_model
from services.router.providers.pool import ProviderPool
from services.router.providers.sagemaker import SageMakerProvider
from services.runtime.errors import ServiceUnavailableError
from tests.grpc_helpers import internal_channel
from tests.harness import InProcessStack

TEMPLATE = "http://{name}.{namespace}.svc.cluster.local:8000/v1"


def _provider(fmt=registry_pb2.API_FORMAT_OPENAI, **config) -> registry_pb2.Provider:
    p = registry_pb2.Provider(id="p1", api_format=fmt, base_url="https://runtime.sagemaker.us-east-1.amazonaws.com",
                              auth_type=registry_pb2.AUTH_TYPE_NONE)
    p.config.update(config)
    return p


def _model(kind, name="llama-3-1-8b", namespace="radiant-models", upstream="meta-llama/Llama-3.1-8B-Instruct"):
    return registry_pb2.Model(id="m1", name="llama", upstream_model=upstream,
                              deployment=registry_pb2.DeploymentTarget(kind=kind, name=name, namespace=namespace))


def test_kubernetes_model_gets_its_service_url():
    resolved = provider_for_model(_provider(service_url_template=TEMPLATE),
                                  _model(registry_pb2.DEPLOYMENT_KIND_KUBERNETES))
    assert resolved.base_url == "http://llama-3-1-8b.radiant-models.svc.cluster.local:8000/v1"


def test_kubernetes_template_with_unknown_placeholder_is_a_clear_503():
    with pytest.raises(ServiceUnavailableError, match="service_url_template"):
        provider_for_model(_provider(service_url_template="http://{host}/v1"),
                           _model(registry_pb2.DEPLOYMENT_KIND_KUBERNETES))


def test_sagemaker_model_is_invoked_at_its_deployment_endpoint():
    provider = _provider(registry_pb2.API_FORMAT_SAGEMAKER, region="us-east-1",
                         endpoints={"meta-llama/Llama-3.1-8B-Instruct": {"chat_template": "llama3"}})
    resolved = provider_for_model(provider, _model(registry_pb2.DEPLOYMENT_KIND_SAGEMAKER, name="radiant-llama-8b"))
    endpoint = SageMakerProvider(resolved, ProviderPool(1, 1).timeouts).endpoint("meta-llama/Llama-3.1-8B-Instruct")
    assert endpoint.name == "radiant-llama-8b" and endpoint.template == "llama3"


def test_a_sagemaker_inference_component_is_named_on_every_invocation():
    provider = _provider(registry_pb2.API_FORMAT_SAGEMAKER, region="us-east-1")
    model = _model(registry_pb2.DEPLOYMENT_KIND_SAGEMAKER, name="radiant-prod-llama")
    model.deployment.inference_component = "radiant-prod-llama-ic"
    endpoint = SageMakerProvider(provider_for_model(provider, model),
                                 ProviderPool(1, 1).timeouts).endpoint("meta-llama/Llama-3.1-8B-Instruct")
    assert endpoint.name == "radiant-prod-llama" and endpoint.inference_component == "radiant-prod-llama-ic"
    assert endpoint.headers({"accept": "application/json"}) == {
        "accept": "application/json", "x-amzn-sagemaker-inference-component": "radiant-prod-llama-ic"}
    model.deployment.inference_component = ""  # a classic endpoint: no header
    plain = SageMakerProvider(provider_for_model(provider, model), ProviderPool(1, 1).timeouts).endpoint(
        "meta-llama/Llama-3.1-8B-Instruct")
    assert plain.headers({"accept": "application/json"}) == {"accept": "application/json"}


def test_local_models_use_their_provider_url_as_is():
    provider = _provider(service_url_template=TEMPLATE)
    model = _model(registry_pb2.DEPLOYMENT_KIND_LOCAL, name="radiant-demo-local")
    assert provider_for_model(provider, model) is provider


def test_models_without_a_deployment_use_the_provider_as_is():
    provider = _provider(service_url_template=TEMPLATE)
    assert provider_for_model(provider, _model(registry_pb2.DEPLOYMENT_KIND_NONE, name="")) is provider


async def test_two_self_hosted_models_of_one_provider_get_their_own_adapters():
    pool = ProviderPool(1, 1)
    provider = _provider(service_url_template=TEMPLATE)
    a, _ = await pool.get(provider, _model(registry_pb2.DEPLOYMENT_KIND_KUBERNETES, name="model-a"))
    b, _ = await pool.get(provider, _model(registry_pb2.DEPLOYMENT_KIND_KUBERNETES, name="model-b"))
    assert a is not b and a.base_url != b.base_url
    await pool.close()


@pytest.fixture
async def own_stack(fresh_pg_url, redis_url):
    s = await InProcessStack(fresh_pg_url, redis_url).start()
    yield s
    await s.stop()


async def test_chat_reaches_a_warm_kubernetes_model_through_its_service(own_stack, tenant_id):
    """The seeded vLLM model on the self-hosted Kubernetes provider; its Service URL template points at the demo
    provider here (standing in for the in-cluster vLLM Service; the {name}/{namespace} substitution is covered
    above, loopback has no per-Service host names)."""
    stack = own_stack
    key = await stack.new_tenant_key(tenant_id)
    model_id = catalogue.model_id("llama-3.1-8b-instruct")
    config = struct_pb2.Struct()
    config.update({"runtime": "vllm", "service_url_template": f"http://127.0.0.1:{stack.demo_port}/v1"})
    async with internal_channel(stack.services["registry"].address) as ch:
        registry = registry_pb2_grpc.RegistryServiceStub(ch)
        await registry.UpdateProvider(registry_pb2.UpdateProviderRequest(
            id=catalogue.provider_id("self-hosted-kubernetes"), status=registry_pb2.STATUS_ACTIVE, config=config))
        await registry.UpdateModel(registry_pb2.UpdateModelRequest(id=model_id, status=registry_pb2.STATUS_ACTIVE))
        headers = {"Authorization": f"Bearer {key}"}
        body = {"model": "llama-3.1-8b-instruct", "messages": [{"role": "user", "content": "Hello there"}]}
        async with httpx.AsyncClient(base_url=stack.base_url, timeout=10) as http:
            cold = await http.post("/v1/chat/completions", headers=headers, json=body)
            assert cold.status_code == 503 and cold.headers["retry-after"] == "300"  # no ready replica yet
            await registry.ReportObservedState(registry_pb2.ReportObservedStateRequest(
                model_id=model_id, observed=registry_pb2.ObservedState(ready_replicas=1, desired_replicas=1)))
            await http.delete(stack.demo_app_requests_url)
            warm = await http.post("/v1/chat/completions", headers=headers, json=body)
            assert warm.status_code == 200, warm.text
            [seen] = (await http.get(stack.demo_app_requests_url)).json()
    assert seen["model"] == "meta-llama/Llama-3.1-8B-Instruct"
    assert warm.json()["model"] == "llama-3.1-8b-instruct"
