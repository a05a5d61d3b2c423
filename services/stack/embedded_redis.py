"""The embedded Redis-compatible server of `radiant up`: fakeredis' TcpFakeServer (Lua via lupa) on a background
thread of the launcher. Data lives in memory and is gone when the launcher stops."""
from __future__ import annotations

import logging
import threading

from fakeredis import TcpFakeServer
from fakeredis._clients import _tcp_server

# fakeredis writes each reply of a pipeline as its own small send; with Nagle's algorithm on, every pipelined call
# (e.g. MULTI/HSET/EXPIRE/EXEC) then waits ~40 ms for the client's delayed ACK.
_tcp_server.TCPFakeRequestHandler.disable_nagle_algorithm = True

log = logging.getLogger("radiant.stack")


class EmbeddedRedis:
    def __init__(self, host: str = "127.0.0.1", port: int = 6399) -> None:
        self.host = host
        self.port = port
        self._server: TcpFakeServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    def start(self) -> None:
        if self._server is not None:
            return
        server = TcpFakeServer((self.host, self.port), server_type="redis")
        self.port = server.server_address[1]  # resolves port 0
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="embedded-redis", daemon=True)
        self._thread.start()
        log.info("embedded redis listening", extra={"address": f"{self.host}:{self.port}"})

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()  # stops serve_forever and tells every connection handler to finish
        server.server_close()  # closes the listening socket and joins the handler threads
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "EmbeddedRedis":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
