"""Signing keys fetched from a JWKS URL (as from Cognito), served here by a local HTTP server."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
import pytest
from radiant.auth.v1 import auth_pb2, auth_pb2_grpc

from services.auth.server import build
from services.auth.settings import Settings
from services.runtime.config import load_settings
from tests.grpc_helpers import internal_channel
from tests.auth.conftest import AUDIENCE, ISSUER, JWKS_JSON, PEPPER, claims, rpc_error, sign


class _JwksHandler(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802 - http.server API
        type(self).hits += 1
        body = JWKS_JSON.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def jwks_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _JwksHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    server.shutdown()
    server.server_close()


async def test_tokens_verified_with_keys_from_the_jwks_url(db_url, jwks_server, tenant_id):
    settings = load_settings(Settings, env="test", database_url=db_url, api_key_pepper=PEPPER, jwks_url=jwks_server,
                             jwt_issuer=ISSUER, jwt_audience=AUDIENCE)
    running = await build(settings, port=0)
    try:
        async with internal_channel(running.address) as channel:
            stub = auth_pb2_grpc.AuthServiceStub(channel)
            await stub.CreateTenant(auth_pb2.CreateTenantRequest(id=tenant_id, name="Url Tenant"))
            for _ in range(3):  # distinct tokens, so the decision cache is not what answers
                token = sign(claims(tenant_id, jti=str(_)))
                p = (await stub.Authenticate(auth_pb2.AuthenticateRequest(bearer_token=token))).principal
                assert p.tenant_id == tenant_id
            fetched = _JwksHandler.hits
            assert fetched >= 1

            unknown = sign(claims(tenant_id), kid="not-in-the-jwks")
            for _ in range(5):
                err = await rpc_error(stub.Authenticate(auth_pb2.AuthenticateRequest(bearer_token=unknown)))
                assert err.grpc_code == grpc.StatusCode.UNAUTHENTICATED and err.message == "unknown signing key"
            # Unknown kids are remembered for a while: junk tokens do not make us hammer the identity provider.
            assert _JwksHandler.hits <= fetched + 1
    finally:
        await running.stop(0)
