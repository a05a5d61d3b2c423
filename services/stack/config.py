"""What `radiant up` starts and where: services, ports, database and Redis URLs, timeouts — resolved from env."""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

HOST = "127.0.0.1"


class StackError(Exception):
    """The stack cannot start or stopped unexpectedly; the message says what and what to do."""


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    module: str
    stage: int  # started in ascending stage order, stopped in reverse
    grpc_port_var: str | None = None
    grpc_port_default: int | None = None
    http_port_var: str | None = None
    http_port_default: int | None = None
    database: bool = True
    # Secrets (env var names) this service receives; other children never see them.
    secrets: tuple[str, ...] = ()


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("demo_provider", "services.demo_provider", 0, http_port_var="RADIANT_DEMO_PROVIDER_PORT",
                http_port_default=8090, database=False),
    ServiceSpec("auth", "services.auth", 1, "RADIANT_AUTH_PORT", 50051,
                secrets=("RADIANT_API_KEY_PEPPER", "RADIANT_SERVICE_KEY_AUTH")),
    ServiceSpec("phi", "services.phi", 1, "RADIANT_PHI_PORT", 50052, secrets=("RADIANT_PHI_ENCRYPTION_KEY",)),
    ServiceSpec("registry", "services.registry", 1, "RADIANT_REGISTRY_PORT", 50053),
    ServiceSpec("metering", "services.metering", 1, "RADIANT_METERING_PORT", 50054),
    ServiceSpec("router", "services.router", 2, "RADIANT_ROUTER_GRPC_PORT", 50050,
                http_port_var="RADIANT_HTTP_PORT", http_port_default=8080, secrets=("RADIANT_SERVICE_KEY_ROUTER",)),
    # The local driver: the self-hosted demo model's replicas are processes it starts on the local model port.
    ServiceSpec("operator", "services.operator", 2, "RADIANT_OPERATOR_PORT", 50055, database=False,
                secrets=("RADIANT_SERVICE_KEY_OPERATOR",)),
)
SERVICE_NAMES = tuple(s.name for s in SERVICES)
REDIS_PORT_VAR, REDIS_PORT_DEFAULT = "RADIANT_EMBEDDED_REDIS_PORT", 6399
# Where the operator's local driver runs the replica of the self-hosted demo model (radiant-demo-local).
LOCAL_MODEL_PORT_VAR, LOCAL_MODEL_PORT_DEFAULT = "RADIANT_LOCAL_MODEL_PORT", 8091


@dataclass(frozen=True)
class PortUse:
    port: int
    label: str  # e.g. "router HTTP"
    var: str    # the env var that moves it


@dataclass
class StackConfig:
    data_dir: Path
    services: tuple[ServiceSpec, ...]
    grpc_ports: dict[str, int]
    http_ports: dict[str, int]
    redis_port: int
    local_model_port: int
    external_redis_url: str | None
    database_urls: dict[str, str]
    embedded_database: dict[str, bool]
    start_timeout: float
    shutdown_grace: float
    bootstrap_api_key: str | None = field(default=None, repr=False)
    # Serve the REST edge over HTTPS with a local CA (RADIANT_TLS=1 or `radiant up --tls`).
    tls: bool = False
    # Supervision: first restart delay (doubles per quick failure), quick failures in a row before giving up.
    restart_backoff: float = 1.0
    max_fast_restarts: int = 5

    @property
    def embedded_redis(self) -> bool:
        return self.external_redis_url is None and any(s.name != "demo_provider" for s in self.services)

    @property
    def redis_url(self) -> str:
        return self.external_redis_url or f"redis://{HOST}:{self.redis_port}/0"

    @property
    def local_model_url(self) -> str | None:
        """The self-hosted demo model's URL, when the operator runs (its local driver serves it)."""
        if not any(s.name == "operator" for s in self.services):
            return None
        return f"http://{HOST}:{self.local_model_port}/v1"

    def port_uses(self) -> list[PortUse]:
        uses: list[PortUse] = []
        if self.embedded_redis:
            uses.append(PortUse(self.redis_port, "embedded Redis", f"{REDIS_PORT_VAR} or RADIANT_REDIS_URL"))
        if self.local_model_url:
            uses.append(PortUse(self.local_model_port, "local model replica", LOCAL_MODEL_PORT_VAR))
        for spec in self.services:
            if spec.http_port_var:
                label = "router HTTP" if spec.name == "router" else f"{spec.name} HTTP"
                uses.append(PortUse(self.http_ports[spec.name], label, spec.http_port_var))
            if spec.grpc_port_var:
                uses.append(PortUse(self.grpc_ports[spec.name], f"{spec.name} gRPC", spec.grpc_port_var))
        return uses


def _number(env: Mapping[str, str], var: str, default: float, *, integer: bool = False,
            low: float = 0, high: float = 65535) -> float:
    raw = env.get(var)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        kind = "an integer" if integer else "a number"
        raise StackError(f"{var} must be {kind} from {low:g} to {high:g} (got {raw!r})")
    return value


def _port(env: Mapping[str, str], var: str, default: int) -> int:
    return int(_number(env, var, default, integer=True, low=1, high=65535))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _flag(env: Mapping[str, str], var: str) -> bool:
    raw = (env.get(var) or "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise StackError(f"{var} must be 1/true/yes/on or 0/false/no/off (got {env.get(var)!r})")


def resolve_config(env: Mapping[str, str], data_dir: str | os.PathLike[str] | None = None,
                   only: Sequence[str] | None = None, tls: bool | None = None) -> StackConfig:
    if only is not None:
        unknown = sorted(set(only) - set(SERVICE_NAMES))
        if unknown:
            raise StackError(f"unknown service(s) {', '.join(unknown)}; known: {', '.join(SERVICE_NAMES)}")
    services = tuple(s for s in SERVICES if only is None or s.name in only)
    root = Path(data_dir if data_dir is not None else env.get("RADIANT_DATA_DIR") or ".radiant")
    root = root.expanduser().resolve()
    grpc_ports = {s.name: _port(env, s.grpc_port_var, s.grpc_port_default)
                  for s in SERVICES if s.grpc_port_var and s.grpc_port_default is not None}
    http_ports = {s.name: _port(env, s.http_port_var, s.http_port_default)
                  for s in SERVICES if s.http_port_var and s.http_port_default is not None}
    shared_db = env.get("RADIANT_DATABASE_URL") or None
    database_urls: dict[str, str] = {}
    embedded_db: dict[str, bool] = {}
    for spec in SERVICES:
        if not spec.database:
            continue
        own = env.get(f"RADIANT_{spec.name.upper()}_DATABASE_URL") or shared_db
        database_urls[spec.name] = own or sqlite_url(root / f"{spec.name}.db")
        embedded_db[spec.name] = own is None
    config = StackConfig(
        data_dir=root, services=services, grpc_ports=grpc_ports, http_ports=http_ports,
        redis_port=_port(env, REDIS_PORT_VAR, REDIS_PORT_DEFAULT),
        local_model_port=_port(env, LOCAL_MODEL_PORT_VAR, LOCAL_MODEL_PORT_DEFAULT),
        external_redis_url=env.get("RADIANT_REDIS_URL") or None,
        database_urls=database_urls, embedded_database=embedded_db,
        start_timeout=_number(env, "RADIANT_START_TIMEOUT", 60.0, low=1, high=3600),
        shutdown_grace=_number(env, "RADIANT_SHUTDOWN_GRACE_SECONDS", 10.0, low=0, high=600),
        bootstrap_api_key=env.get("RADIANT_BOOTSTRAP_API_KEY") or None,
        tls=_flag(env, "RADIANT_TLS") if tls is None else tls,
        restart_backoff=_number(env, "RADIANT_RESTART_BACKOFF_SECONDS", 1.0, low=0, high=300),
        max_fast_restarts=int(_number(env, "RADIANT_MAX_FAST_RESTARTS", 5, integer=True, low=0, high=100)),
    )
    seen: dict[int, PortUse] = {}
    for use in config.port_uses():
        if use.port in seen:
            other = seen[use.port]
            raise StackError(f"port {use.port} is configured for both {other.label} ({other.var}) and "
                             f"{use.label} ({use.var}); give each its own port")
        seen[use.port] = use
    return config


def port_is_free(port: int, host: str = HOST) -> bool:
    """True when a server could listen on host:port now (SO_REUSEADDR like uvicorn and gRPC, so TIME_WAIT is fine)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def check_ports(config: StackConfig) -> None:
    """Fail at once, naming the port, its user and the variable that moves it, if any port is taken."""
    for use in config.port_uses():
        if not port_is_free(use.port):
            raise StackError(f"port {use.port} ({use.label}) is already in use; set {use.var}")


def free_ports_env(host: str = HOST) -> dict[str, str]:
    """Env overrides that put every port of the stack on a currently free port (for tests)."""
    socks = []
    try:
        env_vars = [s.grpc_port_var for s in SERVICES if s.grpc_port_var] + \
                   [s.http_port_var for s in SERVICES if s.http_port_var] + [REDIS_PORT_VAR, LOCAL_MODEL_PORT_VAR]
        result = {}
        for var in env_vars:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((host, 0))
            socks.append(sock)
            result[var] = str(sock.getsockname()[1])
        return result
    finally:
        for sock in socks:
            sock.close()
