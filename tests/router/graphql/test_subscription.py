"""onChatResponse over graphql-transport-ws: the deltas of a streamed chat, PHI restored, in order, ending with the
finish reason; another tenant subscribed to the same session id sees none of them."""
from __future__ import annotations

import uuid

from tests.router.graphql.conftest import ws_connection

SUBSCRIBE = "subscription ($s: ID!) { onChatResponse(sessionId: $s) { id sessionId delta finishReason } }"
CHAT = """mutation ($input: ChatInput!) { chat(input: $input) { id sessionId message { content } } }"""


def chat_input(session: str, text: str) -> dict:
    return {"input": {"sessionId": session, "model": "radiant-demo", "stream": True,
                      "messages": [{"role": "user", "content": text}]}}


async def test_a_streamed_chat_reaches_the_subscription_delta_by_delta(stack, world):
    session = str(uuid.uuid4())
    async with ws_connection(stack, world.who["plain"]) as ws:
        sub = await ws.start(SUBSCRIBE, {"s": session})
        chat = await ws.start(CHAT, chat_input(session, "Patient Jane Doe, SSN 123-45-6789, asks about her scan."))
        answer = (await ws.until(chat, "complete"))[0]["payload"]["data"]["chat"]
        deltas = []
        while not deltas or not deltas[-1]["finishReason"]:
            message = (await ws.until(sub, "next"))[-1]
            deltas.append(message["payload"]["data"]["onChatResponse"])
    streamed = "".join(d["delta"] or "" for d in deltas)
    assert len(deltas) > 2 and streamed == answer["message"]["content"]
    assert "Jane Doe" in streamed and "123-45-6789" in streamed and "PHI_" not in streamed
    assert {d["sessionId"] for d in deltas} == {session} and {d["id"] for d in deltas} == {answer["id"]}
    assert deltas[-1]["finishReason"] == "stop"


async def test_another_tenant_on_the_same_session_id_sees_only_its_own_chat(stack, world):
    session = str(uuid.uuid4())
    async with ws_connection(stack, world.who["b_admin"]) as other, ws_connection(stack, world.who["plain"]) as ws:
        spy = await other.start(SUBSCRIBE, {"s": session})
        chat = await ws.start(CHAT, chat_input(session, "Secret of tenant A"))
        await ws.until(chat, "complete")
        # Tenant A's chat ended before B's starts: had any of its deltas reached B, they would come first and the
        # text B's subscription streams up to its first finish reason would be A's.
        own = await other.start(CHAT, chat_input(session, "Tenant B speaking"))
        await other.until(own, "complete")
        deltas = []
        while not deltas or not deltas[-1]["finishReason"]:
            deltas.append((await other.until(spy, "next"))[-1]["payload"]["data"]["onChatResponse"])
    assert "".join(d["delta"] or "" for d in deltas) == "Tenant B speaking"


async def test_a_subscription_without_valid_credentials_is_refused(stack, world):
    bad = type(world.who["plain"])(world.a, "", "rk-not-a-key", "")
    async with ws_connection(stack, bad) as ws:
        sub = await ws.start(SUBSCRIBE, {"s": str(uuid.uuid4())})
        messages = await ws.until(sub, "complete")
    assert [m["type"] for m in messages] == ["next", "complete"]
    assert messages[0]["payload"]["data"] is None
    assert messages[0]["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHORIZED"
