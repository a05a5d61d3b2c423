"""Helpers for calling services over gRPC as an internal caller would, and for asserting on gRPC errors carrying the
taxonomy trailer."""
import grpc

from radiant.common.v1 import common_pb2
from services.runtime.errors import ERROR_TRAILER
from services.runtime.grpc_client import channel
from services.runtime.service_auth import (PRINCIPAL_TOKEN_HEADER, SERVICE_TOKEN_HEADER, Minter,
                                           generate_key_set)

# One key set per test process (conftest puts it in the environment, where every service started by a test finds it).
TEST_KEYS = generate_key_set()

# Tests that call a service directly act for a platform super admin unless they say otherwise: the service's own
# rules (not the caller's tenant) are what they test. Tests of the guard itself pass their own principal.
PLATFORM = common_pb2.Principal(user_id="test-platform", roles=["super_admin"], is_admin=True, is_super_admin=True)


def minter(identity: str = "router") -> Minter:
    return Minter.from_env(identity, TEST_KEYS)


def principal_token(principal: common_pb2.Principal = PLATFORM) -> str:
    return minter("auth").principal_token(principal)


def internal_channel(target: str, identity: str = "router", principal: common_pb2.Principal | None = PLATFORM,
                     timeout: float = 60.0) -> grpc.aio.Channel:
    """A channel whose calls carry `identity`'s service token and, unless principal is None, a principal token."""
    return channel(target, timeout, minter(identity), principal_token(principal) if principal is not None else None)


def internal_metadata(service: str, identity: str = "router",
                      principal: common_pb2.Principal | None = PLATFORM) -> list[tuple[str, str]]:
    """The same tokens as metadata, for sync channels and hand-made calls."""
    metadata = [(SERVICE_TOKEN_HEADER, minter(identity).service_token(service))]
    if principal is not None:
        metadata.append((PRINCIPAL_TOKEN_HEADER, principal_token(principal)))
    return metadata


def error_info(exc: grpc.aio.AioRpcError) -> common_pb2.ErrorInfo:
    for key, value in exc.trailing_metadata() or ():
        if key == ERROR_TRAILER:
            return common_pb2.ErrorInfo.FromString(value)
    raise AssertionError(f"no {ERROR_TRAILER} trailer on {exc.code()}: {exc.details()}")


def error_code(exc: grpc.aio.AioRpcError) -> str:
    return error_info(exc).code
