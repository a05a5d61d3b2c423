"""RouterService for internal gRPC callers: same pipeline, credentials in metadata."""
import grpc
import pytest

from radiant.common.v1 import common_pb2
from radiant.router.v1 import router_pb2, router_pb2_grpc
from services.router.grpc_api import RouterServicer
from services.router.edge.app import build_pipeline
from services.runtime.grpc_server import start_server
from tests.grpc_helpers import internal_channel, error_code


@pytest.fixture(scope="module")
async def router_stub(stack):
    app_pipeline = build_pipeline(stack.router_settings)
    running = await start_server("router", stack.router_settings, lambda s: router_pb2_grpc.add_RouterServiceServicer_to_server(
        RouterServicer(app_pipeline), s), ["radiant.router.v1.RouterService"], port=0)
    channel = internal_channel(running.address)
    yield router_pb2_grpc.RouterServiceStub(channel)
    await channel.close()
    await running.stop(0)
    await app_pipeline.close()


def _req(text: str) -> router_pb2.ChatCompletionRequest:
    return router_pb2.ChatCompletionRequest(model="radiant-demo", messages=[common_pb2.ChatMessage(role="user", text=text)])


async def test_unary_and_streaming_chat(router_stub, api_key):
    md = (("authorization", f"Bearer {api_key}"),)
    text = "Patient John Smith, SSN 123-45-6789."
    resp = await router_stub.CreateChatCompletion(_req(text), metadata=md)
    assert resp.choices[0].message.text == text and resp.usage.total_tokens > 0 and resp.phi_mapping_id
    chunks = [c async for c in router_stub.StreamChatCompletion(_req(text), metadata=md)]
    assert "".join(ch.content for c in chunks for ch in c.choices) == text
    assert chunks[-1].usage.completion_tokens > 0
    models = await router_stub.ListModels(router_pb2.ListModelsRequest(), metadata=md)
    assert "radiant-demo" in {m.id for m in models.models}


async def test_errors_map_to_status(router_stub, api_key):
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await router_stub.CreateChatCompletion(_req("hi"))
    assert exc.value.code() == grpc.StatusCode.UNAUTHENTICATED and error_code(exc.value) == "UNAUTHORIZED"
    bad = router_pb2.ChatCompletionRequest(model="radiant-demo", temperature=5,
                                           messages=[common_pb2.ChatMessage(role="user", text="x")])
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await router_stub.CreateChatCompletion(bad, metadata=(("x-api-key", api_key),))
    assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "temperature" in exc.value.details()
