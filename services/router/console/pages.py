"""The console's pages: one shell per view (the view's script fills it from the REST API) and the sign-in page."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.runtime.errors import NotFoundError

HERE = Path(__file__).parent
_templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))

# view -> (title, navigation group); the order is the navigation's.
VIEWS = {
    "models": ("Models", "Catalogue"), "providers": ("Providers", "Catalogue"),
    "tenants": ("Tenants", "Identity"), "apps": ("Apps", "Identity"), "users": ("Users", "Identity"),
    "keys": ("API keys", "Identity"), "invitations": ("Invitations", "Identity"),
    "promotions": ("Promotions", "Identity"),
    "usage": ("Usage & cost", "Observe"), "requests": ("Request log", "Observe"), "audit": ("Audit log", "Observe"),
    "phi": ("PHI policy", "Protect"),
}

router = APIRouter(prefix="/console", include_in_schema=False)


def _render(name: str, **values) -> HTMLResponse:
    return HTMLResponse(_templates.get_template(name).render(views=VIEWS, **values))


@router.get("")
async def root() -> RedirectResponse:
    return RedirectResponse("/console/models", status_code=302)


@router.get("/signin")
async def signin(request: Request) -> HTMLResponse:
    return _render("signin.html", title="Sign in", view="signin")


@router.get("/{view}")
async def page(view: str) -> HTMLResponse:
    if view not in VIEWS:
        raise NotFoundError(f"No console page '{view[:64]}'", details={"view": [f"one of {', '.join(VIEWS)}"]})
    return _render("view.html", title=VIEWS[view][0], view=view)
