"""Registry settings (env RADIANT_<FIELD>)."""
from __future__ import annotations

from pydantic import Field

from services.runtime.config import BaseServiceSettings


class Settings(BaseServiceSettings):
    grpc_port: int = Field(50053, ge=0, le=65535)
    # Base URL of the local demo provider (an OpenAI-compatible fake) in the seed catalogue.
    demo_provider_url: str = "http://127.0.0.1:8090/v1"
    # Base URL of the self-hosted demo model `radiant-demo-local` (its replicas are processes the operator's local
    # driver starts there); empty: no such model in the seed catalogue (`radiant up` sets it).
    local_model_url: str = ""
    # Declarative catalogue (YAML or JSON) upserted at start, see catalogue_file.py; empty: none.
    catalogue_file: str = ""
    # Insert the seed catalogue (catalogue.py) at start when entries are absent; never overwrites edits.
    seed_catalogue: bool = True
    # Events buffered per Watch subscriber; a subscriber that falls further behind is disconnected (UNAVAILABLE).
    watch_queue_size: int = Field(1000, ge=1, le=1_000_000)
    # Changes are carried to the Watch subscribers of every registry replica over this Redis channel (fanout.py);
    # watch_fanout=false keeps them on the replica that handled the write (a single replica needs no Redis).
    watch_fanout: bool = True
    watch_channel: str = "radiant:registry:changes"
