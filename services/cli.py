"""The `radiant` command: `radiant up` (the local stack), `radiant version`, `radiant phi ...` (PHI tools),
`radiant models ...` (self-hosted models and their thermal state)."""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from importlib import metadata
from typing import Sequence


def _version() -> str:
    try:
        return metadata.version("radiant-gateway")
    except metadata.PackageNotFoundError:
        return "0.0.0+unknown"


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def _stack_messages_to_stderr() -> None:
    """Restarts and give-ups of the supervised children, prefixed like the launcher's own messages."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("radiant up: %(message)s"))
    stack_log = logging.getLogger("radiant.stack")
    stack_log.addHandler(handler)
    stack_log.setLevel(logging.WARNING)
    stack_log.propagate = False


def cmd_up(args: argparse.Namespace) -> int:
    _stack_messages_to_stderr()
    from services.stack.banner import banner
    from services.stack.config import StackError
    from services.stack.launcher import ServiceFailedError, Stack

    try:
        stack = Stack(data_dir=args.data_dir, log_target=args.logs, tls=True if args.tls else None)
    except StackError as exc:
        print(f"radiant up: {exc}", file=sys.stderr)
        return 2
    # While starting, SIGINT and SIGTERM abort the start (Stack.start stops what it started).
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        stack.start()
    except KeyboardInterrupt:
        print("radiant up: interrupted while starting; stopped", file=sys.stderr)
        return 0
    except ServiceFailedError as exc:
        print(f"radiant up: {exc}\nradiant up: stopped everything", file=sys.stderr)
        return 1
    except StackError as exc:
        print(f"radiant up: {exc}", file=sys.stderr)
        return 1

    stop = threading.Event()
    for sig in previous:
        signal.signal(sig, lambda *_: stop.set())
    print(banner(stack, bootstrap_key_set=bool(stack.config.bootstrap_api_key)), flush=True)
    try:
        dead = stack.supervise(stop)  # restarts a child that dies; gives up on one that keeps failing
    finally:
        print("\nradiant up: stopping...", file=sys.stderr, flush=True)
        stack.stop()
    if dead is not None:
        print(f"radiant up: {dead.name} kept failing (last exit code {dead.exit_code()}); stopped everything\n"
              f"  last output of {dead.name}:\n{dead.tail_text()}", file=sys.stderr)
        return 1
    print("radiant up: stopped", file=sys.stderr)
    return 0


def cmd_version(_args: argparse.Namespace) -> int:
    print(f"radiant {_version()}")
    return 0


def cmd_service_keys(args: argparse.Namespace) -> int:
    """A fresh key per identity and the public-key set, as KEY=value lines (or JSON) for a secret store."""
    import json

    from services.runtime.service_auth import IDENTITIES, PUBLIC_KEYS_VAR, generate_key_set, key_var

    keys = generate_key_set()
    if args.format == "json":
        print(json.dumps(keys, indent=2))
    elif args.format == "kubectl":
        # The chart's Secret keys (values.yaml secretEnv): <identity>-service-key and service-public-keys.
        names = {key_var(identity): f"{identity}-service-key" for identity in IDENTITIES if identity != "cli"}
        names[PUBLIC_KEYS_VAR] = "service-public-keys"
        print(" ".join(f"--from-literal={names[var]}={value}" for var, value in keys.items() if var in names))
    else:
        for var, value in keys.items():
            print(f"{var}={value}" if args.format == "env" else f"{var}='{value}'")
    return 0


def cmd_phi(argv: Sequence[str]) -> int:
    from services.phi.cli import main as phi_main  # lazy: only `radiant phi` pays for the PHI imports

    result = phi_main(list(argv))
    return int(result or 0)


def cmd_models(argv: Sequence[str]) -> int:
    from services.registry.cli import main as models_main

    return int(models_main(list(argv)) or 0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="radiant", description="Radiant: a PHI-safe LLM gateway")
    sub = parser.add_subparsers(dest="command", metavar="<command>", required=True)

    up = sub.add_parser("up", help="run every service and the demo provider locally (SQLite + embedded Redis "
                                   "unless RADIANT_DATABASE_URL / RADIANT_REDIS_URL say otherwise)")
    up.add_argument("--data-dir", default=None,
                    help="SQLite files, secrets.json and logs (default: $RADIANT_DATA_DIR or ./.radiant)")
    up.add_argument("--logs", choices=["stderr", "files"], default="stderr",
                    help="children's logs: prefixed on stderr (default) or in <data dir>/logs/<service>.log")
    up.add_argument("--tls", action="store_true",
                    help="serve the REST edge over HTTPS with a local CA created in <data dir>/tls (for clients "
                         "that refuse plain HTTP, e.g. boto3 with a Bedrock bearer token); also RADIANT_TLS=1")
    up.set_defaults(func=cmd_up)

    keys = sub.add_parser("service-keys", help="generate the Ed25519 keys of service-to-service authentication "
                                               "(one per identity) and their public-key set")
    keys.add_argument("--format", choices=["env", "shell", "json", "kubectl"], default="env",
                      help="KEY=value lines (default), shell-quoted lines, one JSON object, or the chart Secret's "
                           "keys as `kubectl create secret generic` --from-literal arguments")
    keys.set_defaults(func=cmd_service_keys)

    version = sub.add_parser("version", help="print the version")
    version.set_defaults(func=cmd_version)

    sub.add_parser("phi", help="PHI tools (detection, evaluation); `radiant phi --help` for details", add_help=False)
    sub.add_parser("models", help="self-hosted models: thermal state, replicas, phase; `radiant models set-state "
                                  "NAME STATE`", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "phi":
        return cmd_phi(args_list[1:])
    if args_list and args_list[0] == "models":
        return cmd_models(args_list[1:])
    args = build_parser().parse_args(args_list)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
