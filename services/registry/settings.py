"""Registry settings (env RADIANT_<FIELD>)."""
from __future__ import annotations

from pydantic import Field

from services.runtime.config import BaseServiceSettings


class Settings(BaseServiceSettings):
    grpc_port: int = Field(50053, ge=0, le=65535)
    # Base URL of the local demo provider (an OpenAI-compatible fake) in the seed catalogue.
    demo_provider_url: str = "http://127.0.0.1:8090/v1"
    # Insert the seed catalogue (catalogue.py) at start when entries are absent; never overwrites edits.
    seed_catalogue: bool = True
    # Events buffered per Watch subscriber; a subscriber that falls further behind is disconnected (UNAVAILABLE).
    watch_queue_size: int = Field(1000, ge=1, le=1_000_000)
