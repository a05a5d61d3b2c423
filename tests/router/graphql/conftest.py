"""The admin tests' stack and cast (tenant A with an admin, an operator, an auditor and a plain key; a platform
tenant's super admin; tenant B's admin), and a GraphQL client over HTTP and over graphql-transport-ws."""
from __future__ import annotations

import json
import uuid
from contextlib import asynccontextmanager

import httpx
import pytest
import websockets

from tests.router.admin.conftest import Identity, own_pg_url, stack, world  # noqa: F401 - fixtures

__all__ = ["gql", "ws_connection"]


async def gql(stack, who: Identity | dict | None, query: str, variables: dict | None = None,
              headers: list | None = None) -> httpx.Response:
    headers = headers or (who.headers if isinstance(who, Identity) else (who or {}))
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=20) as http:
        return await http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)


class WsClient:
    """graphql-transport-ws: connection_init with the credential, then subscribe / next / complete by id. Messages
    of other operations read on the way are kept for them."""

    def __init__(self, socket) -> None:
        self.socket = socket
        self.pending: dict[str, list[dict]] = {}

    async def start(self, query: str, variables: dict | None = None) -> str:
        op_id = uuid.uuid4().hex
        await self.socket.send(json.dumps({"id": op_id, "type": "subscribe",
                                           "payload": {"query": query, "variables": variables or {}}}))
        return op_id

    async def _next_of(self, op_id: str) -> dict:
        queued = self.pending.setdefault(op_id, [])
        while not queued:
            message = json.loads(await self.socket.recv())
            if message["type"] in ("ping", "pong"):
                continue
            self.pending.setdefault(message.get("id", ""), []).append(message)
        return queued.pop(0)

    async def until(self, op_id: str, kind: str) -> list[dict]:
        """Every message of one operation up to and including the first of this kind."""
        seen = []
        while not seen or seen[-1]["type"] != kind:
            seen.append(await self._next_of(op_id))
        return seen


@asynccontextmanager
async def ws_connection(stack, who: Identity):
    url = stack.base_url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {who.key}"}}))
        ack = json.loads(await socket.recv())
        assert ack["type"] == "connection_ack", ack
        yield WsClient(socket)
