"""python -m services.demo_provider: serve the demo provider with uvicorn (uvloop + httptools).
Env: RADIANT_DEMO_PROVIDER_HOST (127.0.0.1), RADIANT_DEMO_PROVIDER_PORT (8090), RADIANT_LOG_LEVEL (info)."""
from __future__ import annotations

import logging
import os

import uvicorn

from services.demo_provider.app import create_app
from services.runtime.logs import configure_logging

log = logging.getLogger("radiant.demo_provider")


def _port(var: str, default: int) -> int:
    value = os.environ.get(var, str(default))
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise SystemExit(f"Invalid configuration:\n  {var}: must be an integer from 0 to 65535 (got {value!r})")
    return int(value)


def main() -> None:
    host = os.environ.get("RADIANT_DEMO_PROVIDER_HOST", "127.0.0.1")
    port = _port("RADIANT_DEMO_PROVIDER_PORT", 8090)
    level = os.environ.get("RADIANT_LOG_LEVEL", "info").lower()
    configure_logging("demo_provider", level)
    log.info("listening", extra={"address": f"{host}:{port}"})
    config = uvicorn.Config(create_app(), host=host, port=port, loop="uvloop", http="httptools", lifespan="off",
                            access_log=False, log_config=None, log_level="warning", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    server.run()
    if not server.started:
        raise SystemExit(f"demo_provider: cannot listen on {host}:{port} (port already in use?); "
                         f"set RADIANT_DEMO_PROVIDER_PORT to a free port")


if __name__ == "__main__":
    main()
