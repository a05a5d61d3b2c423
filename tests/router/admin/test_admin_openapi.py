"""schemathesis over the administration routes with a super admin (who may call all of them), on a database of its
own: valid and invalid requests for each operation, and no answer may be a server error or break the documented
response schema. (tests/router/openai/test_openapi_schema.py drives every route with a tenant admin.)"""
import asyncio

import pytest
from schemathesis import GenerationMode

from services.router.edge.app import create_app
from services.router.settings import Settings
from services.runtime.config import load_settings
from tests.router.openai.test_openapi_schema import _check_operation

_DOC = create_app(load_settings(Settings, env="test")).openapi()
_ADMIN = ("/api/v2/admin/", "/api/v2/invitations/", "/api/v2/health")
CASES = [(path, method.upper(), mode) for path, item in _DOC["paths"].items() for method, op in item.items()
         for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
         if (path.startswith(_ADMIN) or method in ("put", "patch") and path.startswith(("/api/v2/models/",
                                                                                      "/api/v2/providers/")))
         and (mode is GenerationMode.POSITIVE or op.get("parameters") or op.get("requestBody"))]


@pytest.mark.parametrize("path,method,mode", CASES, ids=[
    f"{m} {p} {'valid' if mode is GenerationMode.POSITIVE else 'invalid'}" for p, m, mode in CASES])
async def test_no_server_errors_as_super_admin(stack, world, path, method, mode):
    calls = await asyncio.to_thread(_check_operation, stack.router_app.openapi(), path, method, stack.base_url,
                                    world.who["super_admin"].headers, mode)
    assert calls > 0


def test_every_admin_route_is_exercised():
    assert len({(p, m) for p, m, _ in CASES}) >= 55
