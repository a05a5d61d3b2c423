"""Service-to-service credentials for benchmarks that call services directly (as the router would, for a platform
admin): the keys of a Stack the bench started (its secrets.json), or, for services a bench builds in-process, a set
put into this process's environment."""
from __future__ import annotations

import json
import os
from typing import Mapping

import grpc

from radiant.common.v1 import common_pb2
from services.runtime.grpc_client import channel as runtime_channel
from services.runtime.service_auth import (PRINCIPAL_TOKEN_HEADER, PUBLIC_KEYS_VAR, SERVICE_TOKEN_HEADER, Minter,
                                           generate_key_set)
from services.stack.launcher import Stack
from services.stack.secrets import SECRETS_FILE

PLATFORM = common_pb2.Principal(user_id="bench", roles=["super_admin"], is_admin=True, is_super_admin=True)


def keys(stack: Stack | None = None) -> Mapping[str, str]:
    if stack is not None:
        return {**stack.env, **json.loads((stack.data_dir / SECRETS_FILE).read_text())}
    if not os.environ.get(PUBLIC_KEYS_VAR):
        os.environ.update(generate_key_set())
    return os.environ


def channel(target: str, stack: Stack | None = None, timeout: float = 30.0) -> grpc.aio.Channel:
    env = keys(stack)
    return runtime_channel(target, timeout, Minter.from_env("router", env),
                           Minter.from_env("auth", env).principal_token(PLATFORM))


def metadata(service: str, stack: Stack | None = None) -> list[tuple[str, str]]:
    """The same credentials for a sync channel's calls."""
    env = keys(stack)
    return [(SERVICE_TOKEN_HEADER, Minter.from_env("router", env).service_token(service)),
            (PRINCIPAL_TOKEN_HEADER, Minter.from_env("auth", env).principal_token(PLATFORM))]
