"""Mounts the console on the router's app."""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from services.router.console import pages


def install(app: FastAPI) -> None:
    app.mount("/console/static", StaticFiles(directory=pages.HERE / "static"), name="console-static")
    app.include_router(pages.router)
