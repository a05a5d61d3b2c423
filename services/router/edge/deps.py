"""FastAPI dependencies: the pipeline from app state and the authenticated principal."""
from __future__ import annotations

from fastapi import Header, Request

from radiant.common.v1 import common_pb2
from services.router.pipeline.core import Pipeline, credential_from_headers


async def pipeline(request: Request) -> Pipeline:
    return request.app.state.pipeline


async def principal(request: Request, authorization: str | None = Header(None),
                    x_api_key: str | None = Header(None)) -> common_pb2.Principal:
    return await request.app.state.pipeline.authenticate(credential_from_headers(authorization, x_api_key))
