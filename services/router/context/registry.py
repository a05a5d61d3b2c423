"""Providers by name, and the injection step of the pipeline: a tenant's enabled providers (settings.context_providers)
add one system message after PHI sanitization."""
from __future__ import annotations

import asyncio
import logging

from radiant.auth.v1 import auth_pb2
from services.router.context.base import ContextProvider

log = logging.getLogger("radiant.router")

CONTEXT_HEADER = "Context for this conversation, from the gateway's context providers:"


def last_user_text(messages: list[dict]) -> str:
    for msg in reversed(messages):
        if msg.get("role") != "user":
            continue
        content = msg.get("content")
        if isinstance(content, list):
            return "\n".join(p.get("text") or "" for p in content if p.get("type") == "text")
        return content or ""
    return ""


class ContextRegistry:
    def __init__(self, providers: list[ContextProvider] | None = None) -> None:
        self.providers: dict[str, ContextProvider] = {}
        for provider in providers or ():
            self.register(provider)

    def register(self, provider: ContextProvider) -> None:
        if provider.name in self.providers:
            raise ValueError(f"context provider {provider.name!r} is registered twice")
        self.providers[provider.name] = provider

    async def _one(self, provider: ContextProvider, tenant_id: str, query: str) -> str | None:
        try:
            return await provider.context(tenant_id, query)
        except Exception as exc:  # noqa: BLE001 - context is an enhancement: a failing source must not fail the chat
            log.warning("context provider failed; request sent without its context",
                        extra={"context_provider": provider.name, "error_type": type(exc).__name__})
            return None

    async def inject(self, settings: auth_pb2.TenantSettings, tenant_id: str, messages: list[dict]) -> list[dict]:
        """`messages` with one system message added after the leading system messages, or `messages` itself when no
        enabled provider has anything relevant. Names the router does not know are skipped."""
        enabled = [self.providers[n] for n in settings.context_providers if n in self.providers]
        query = last_user_text(messages) if enabled else ""
        if not query.strip():
            return messages
        found = await asyncio.gather(*(self._one(p, tenant_id, query) for p in enabled))
        parts = [text for text in found if text]
        if not parts:
            return messages
        position = next((i for i, m in enumerate(messages) if m.get("role") not in ("system", "developer")),
                        len(messages))
        injected = {"role": "system", "content": "\n\n".join([CONTEXT_HEADER, *parts])}
        return [*messages[:position], injected, *messages[position:]]

    async def close(self) -> None:
        await asyncio.gather(*(p.close() for p in self.providers.values()), return_exceptions=True)
