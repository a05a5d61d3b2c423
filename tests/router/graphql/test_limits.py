"""Bounds on one document, checked before anything runs: an over-deep query, one that would fan out into thousands
of registry reads, too many aliases and two chats in one document are refused with a clear 400; introspection is
answered or refused as RADIANT_GRAPHQL_INTROSPECTION says."""
from __future__ import annotations

import httpx

from services.router.edge.app import create_app
from tests.harness import serve_asgi
from tests.router.graphql.conftest import gql


def _refusal(r) -> str:
    body = r.json()
    assert r.status_code == 400 and body["data"] is None, r.text
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    return " | ".join(e["message"] for e in body["errors"])


async def test_an_over_deep_query_is_refused(stack, world):
    deep = "{ model(id: \"x\") { " + "provider { models { " * 5 + "id" + " } }" * 5 + " } }"
    message = _refusal(await gql(stack, world.who["admin"], deep))
    assert "exceeds maximum operation depth of 8" in message


async def test_a_query_that_would_fan_out_is_refused_by_its_cost(stack, world):
    wide = "{ models(limit: 100) { items { id provider { models { id } } } } }"
    message = _refusal(await gql(stack, world.who["admin"], wide))
    assert "more than the limit of 1000" in message
    # A page of models with their providers is well within it.
    ok = await gql(stack, world.who["admin"], "{ models(limit: 100) { items { id provider { name } } } }")
    assert ok.status_code == 200 and ok.json()["data"]["models"]["items"]


async def test_one_chat_per_document(stack, world):
    two = """mutation { a: chat(input: {model: "radiant-demo", messages: [{role: user, content: "1"}]}) { id }
                        b: chat(input: {model: "radiant-demo", messages: [{role: user, content: "2"}]}) { id } }"""
    assert "more than the limit" in _refusal(await gql(stack, world.who["plain"], two))


async def test_too_many_aliases_are_refused(stack, world):
    many = "{ " + " ".join(f"m{i}: models(limit: 1) {{ totalCount }}" for i in range(20)) + " }"
    assert "aliases" in _refusal(await gql(stack, world.who["admin"], many))


async def test_a_page_size_outside_the_seeds_bounds_is_refused(stack, world):
    r = await gql(stack, world.who["admin"], "{ models(limit: 500) { totalCount } }")
    assert r.status_code == 400 and r.json()["errors"][0]["extensions"]["details"] == {
        "limit": ["must be between 1 and 100"]}


INTROSPECTION = "{ __schema { queryType { name } } }"


async def test_introspection_is_on_by_default_and_can_be_switched_off(stack, world):
    r = await gql(stack, world.who["admin"], INTROSPECTION)
    assert r.json()["data"] == {"__schema": {"queryType": {"name": "Query"}}}
    settings = stack.router_settings.model_copy(update={"graphql_introspection": False})
    server, task, port = await serve_asgi(create_app(settings))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            refused = await http.post("/graphql", json={"query": INTROSPECTION}, headers=world.who["admin"].headers)
            served = await http.post("/graphql", json={"query": "{ models { totalCount } }"},
                                     headers=world.who["admin"].headers)
    finally:
        server.should_exit = True
        await task
    assert refused.status_code == 400 and "introspection" in refused.json()["errors"][0]["message"].lower()
    assert served.status_code == 200 and served.json()["data"]["models"]["totalCount"] > 0
