"""schemathesis against the router's own OpenAPI document (app.openapi()), driven over real HTTP at the in-process
router with a valid API key: valid and invalid requests for every operation (one test each, so a finding names its
operation), and no answer may be a server error or break the documented response schema. Bounded and
derandomized: the same examples on every run."""
import asyncio

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from services.router.edge.app import create_app
from services.router.settings import Settings
from services.runtime.config import load_settings

CHECKS = [not_a_server_error, response_schema_conformance]
MAX_EXAMPLES = 6
# The document as the app builds it (no services needed); the running stack serves the same one. Invalid requests
# for every operation that takes any input.
_DOC = create_app(load_settings(Settings, env="test")).openapi()
CASES = [(path, method.upper(), mode) for path, item in _DOC["paths"].items() for method, op in item.items()
         for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
         if mode is GenerationMode.POSITIVE or op.get("parameters") or op.get("requestBody")]

def _check_operation(doc: dict, path: str, method: str, base_url: str, headers: dict, mode: GenerationMode) -> int:
    operation = schemathesis.openapi.from_dict(doc).find_operation_by_path(method, path)
    calls = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        nonlocal calls
        calls += 1
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        case.validate_response(response, checks=CHECKS)

    check()
    return calls


@pytest.mark.parametrize("path,method,mode", CASES, ids=[
    f"{m} {p} {'valid' if mode is GenerationMode.POSITIVE else 'invalid'}" for p, m, mode in CASES])
async def test_no_server_errors_and_responses_match_the_schema(stack, api_key, path, method, mode):
    calls = await asyncio.to_thread(_check_operation, stack.router_app.openapi(), path, method, stack.base_url,
                                    {"Authorization": f"Bearer {api_key}"}, mode)
    assert calls > 0


def test_document_uses_a_security_scheme_and_400_errors(stack):
    doc = stack.router_app.openapi()
    chat = doc["paths"]["/v1/chat/completions"]["post"]
    assert chat["security"] and not [p for p in chat.get("parameters", []) if p["name"].lower() == "authorization"]
    assert "422" not in chat["responses"] and "400" in chat["responses"]
    assert doc["paths"]["/api/v2/models"]["get"]["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/EnvelopeError"}
    assert doc["components"]["securitySchemes"]["apiKeyHeader"]["name"] == "X-API-Key"
