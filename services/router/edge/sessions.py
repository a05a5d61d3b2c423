"""Conversation sessions (/api/v2/sessions), in the /api/v2 envelope; each caller sees only its own sessions."""
from __future__ import annotations

import time
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from services.router.edge import deps
from services.router.pipeline import policies
from services.router.edge.v2 import envelope
from services.router.pipeline.sessions import session_id
from services.runtime.errors import ValidationError

router = APIRouter(prefix="/api/v2/sessions")

MAX_METADATA_BYTES = 16 * 1024


def _metadata(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return value
    try:
        size = len(orjson.dumps(value))
    except TypeError:  # orjson refuses integers beyond 64 bits
        raise ValueError("numbers must fit in 64 bits") from None
    if size > MAX_METADATA_BYTES:
        raise ValueError(f"must be at most {MAX_METADATA_BYTES} bytes as JSON")
    return value


Metadata = Annotated[dict[str, Any] | None, AfterValidator(_metadata)]


class CreateSession(BaseModel):
    model_config = ConfigDict(extra="forbid")
    model: str = Field(min_length=1, max_length=256)
    title: str | None = Field(None, max_length=200)
    metadata: Metadata = None


class UpdateSession(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(None, max_length=200)
    metadata: Metadata = None


def _id(value: str) -> str:
    return session_id(value, "id")


async def create(pipeline, principal, body: CreateSession) -> dict:
    """A new session on a model the tenant may use (its policies resolve the name)."""
    settings = await policies.tenant_settings(pipeline.auth_cache, pipeline.up, principal.tenant_id)
    model, provider = await pipeline.catalog.model(policies.resolve_model(settings, body.model))
    policies.check_access(settings, model, provider)
    return await pipeline.sessions.create(principal, model.name, body.title, body.metadata)


async def update(pipeline, principal, sid: str, body: UpdateSession) -> dict:
    changes = body.model_dump(exclude_unset=True)
    if not changes:
        raise ValidationError("Send at least one of title, metadata", details={"body": ["no field to update"]})
    return await pipeline.sessions.update(principal, _id(sid), changes)


async def delete(pipeline, principal, sid: str) -> str:
    sid = _id(sid)
    await pipeline.sessions.delete(principal, sid)
    return sid


@router.get("")
async def list_sessions(limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0),
                        principal=Depends(deps.allow("sessions")), pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    items, total = await pipeline.sessions.list(principal, limit, offset)
    return envelope({"sessions": items, "pagination": {
        "limit": limit, "offset": offset, "total": total, "hasMore": offset + len(items) < total}}, started)


@router.post("")
async def create_session(body: CreateSession, principal=Depends(deps.allow("sessions")), pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    return envelope(await create(pipeline, principal, body), started, status=201)


@router.get("/{sid}")
async def get_session(sid: str, principal=Depends(deps.allow("sessions")), pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    return envelope(await pipeline.sessions.get(principal, _id(sid)), started)


@router.patch("/{sid}")
async def update_session(sid: str, body: UpdateSession, principal=Depends(deps.allow("sessions")),
                         pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    return envelope(await update(pipeline, principal, sid, body), started)


@router.delete("/{sid}")
async def delete_session(sid: str, principal=Depends(deps.allow("sessions")), pipeline=Depends(deps.pipeline)):
    started = time.perf_counter()
    return envelope({"id": await delete(pipeline, principal, sid), "deleted": True}, started)
