"""`radiant models`: the self-hosted models as the operator sees them (thermal state, replicas, phase, message), and
`radiant models set-state NAME STATE` to switch one, over the registry's gRPC API. The registry is found through
--registry, RADIANT_REGISTRY_ADDR, or the state file of a running `radiant up` (<data dir>/stack.json)."""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Sequence

import grpc
from radiant.common.v1 import common_pb2
from radiant.registry.v1 import registry_pb2 as pb
from radiant.registry.v1 import registry_pb2_grpc

from services.registry import enums
from services.runtime.grpc_client import channel
from services.runtime.service_auth import KEY_VAR, Minter, key_var
from services.stack.secrets import stored_secret

_SELF_HOSTED = (pb.DEPLOYMENT_KIND_KUBERNETES, pb.DEPLOYMENT_KIND_SAGEMAKER, pb.DEPLOYMENT_KIND_LOCAL)


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir or os.environ.get("RADIANT_DATA_DIR") or ".radiant")


def _registry_addr(args: argparse.Namespace) -> str:
    if args.registry:
        return args.registry
    if os.environ.get("RADIANT_REGISTRY_ADDR"):
        return os.environ["RADIANT_REGISTRY_ADDR"]
    data_dir = _data_dir(args)
    try:
        state = json.loads((data_dir / "stack.json").read_text())
        return state["services"]["registry"]["grpc"]
    except (OSError, ValueError, KeyError, TypeError):
        raise SystemExit(f"radiant models: no running `radiant up` found in {data_dir} (no stack.json); "
                         "pass --registry HOST:PORT or --data-dir") from None


def _row(m: pb.Model) -> str:
    state = enums.THERMAL_STATE.to_db_map.get(m.thermal_state, "-")
    o = m.observed
    replicas = f"{o.ready_replicas}/{o.desired_replicas}" if m.HasField("observed") else "-"
    return f"{m.name:<28} {state:<10} {replicas:<8} {o.phase or '-':<13} {o.message}"


async def _list(stub: registry_pb2_grpc.RegistryServiceStub) -> int:
    models, token = [], ""
    while True:
        resp = await stub.ListModels(pb.ListModelsRequest(page=common_pb2.PageRequest(page_size=500,
                                                                                   page_token=token)))
        models.extend(m for m in resp.models if m.deployment.kind in _SELF_HOSTED)
        token = resp.page.next_page_token
        if not token:
            break
    print(f"{'MODEL':<28} {'STATE':<10} {'READY':<8} {'PHASE':<13} MESSAGE")
    for m in sorted(models, key=lambda m: m.name):
        print(_row(m))
    return 0


async def _set_state(stub: registry_pb2_grpc.RegistryServiceStub, name: str, state: str) -> int:
    model = await stub.GetModel(pb.GetModelRequest(name=name))
    value = enums.THERMAL_STATE.to_pb_map[state]
    updated = await stub.UpdateModel(pb.UpdateModelRequest(id=model.id, thermal_state=value))
    print(_row(updated))
    return 0


def _minter(args: argparse.Namespace) -> Minter:
    """The cli's service key: RADIANT_SERVICE_KEY_CLI / RADIANT_SERVICE_KEY, else the running `radiant up`'s."""
    env = dict(os.environ)
    if not (env.get(key_var("cli")) or env.get(KEY_VAR)):
        stored = stored_secret(_data_dir(args), key_var("cli"))
        if stored is None:
            raise SystemExit(f"radiant models: set {key_var('cli')} (the cli's service key) to call the registry")
        env[key_var("cli")] = stored
    return Minter.from_env("cli", env)


async def _run(args: argparse.Namespace) -> int:
    async with channel(_registry_addr(args), 10.0, _minter(args)) as chan:
        stub = registry_pb2_grpc.RegistryServiceStub(chan)
        try:
            if args.action == "set-state":
                return await _set_state(stub, args.name, args.state)
            return await _list(stub)
        except grpc.aio.AioRpcError as exc:
            print(f"radiant models: {exc.code().name}: {exc.details()}", file=sys.stderr)
            return 1


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="radiant models", description=__doc__.split("\n\n")[0])
    parser.add_argument("--registry", help="registry gRPC address (default: from the running radiant up)")
    parser.add_argument("--data-dir", help="data dir of the running radiant up (default: $RADIANT_DATA_DIR or "
                                           "./.radiant)")
    sub = parser.add_subparsers(dest="action")
    sub.add_parser("list", help="self-hosted models, their thermal state and replicas (the default)")
    set_state = sub.add_parser("set-state", help="switch a model's thermal state")
    set_state.add_argument("name")
    set_state.add_argument("state", choices=sorted(enums.THERMAL_STATE.to_pb_map))
    args = parser.parse_args(list(argv))
    return asyncio.run(_run(args))
