"""The context-provider plug-in point (MCP-style context injection from the AI-model-gateway seed)."""
from __future__ import annotations

from typing import Protocol


class ContextProvider(Protocol):
    """A named source of context. `context` gets the user's latest message as it will reach the model (PHI already
    replaced by placeholders) and returns text for a system message, or None when it has nothing relevant. Providers
    must return no PHI: what they return is sent to the model provider as is."""
    name: str

    async def context(self, tenant_id: str, query: str) -> str | None: ...

    async def close(self) -> None: ...
