"""The console's pages and assets as the router serves them: every view's shell, the seed's security headers with a
CSP that allows nothing inline and nothing from another origin, every script and stylesheet served by Radiant itself
(a page names no URL of another host), and GET /api/v2/me, which tells the console what the caller may do."""
from __future__ import annotations

import re

import httpx

from services.router.console.pages import VIEWS
from services.router.console.security import CSP


async def test_every_view_is_served_with_the_security_headers(stack):
    async with httpx.AsyncClient(base_url=stack.base_url) as http:
        for view in [*VIEWS, "signin"]:
            r = await http.get(f"/console/{view}")
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), view
            assert r.headers["content-security-policy"] == CSP
            assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
            assert "<script>" not in r.text and " on" + "click=" not in r.text and "style=" not in r.text
            assert not re.search(r"""(src|href)=["']?(https?:)?//""", r.text), view
        root = await http.get("/console", follow_redirects=False)
        assert root.status_code == 302 and root.headers["location"] == "/console/models"
        missing = await http.get("/console/nope")
        assert missing.status_code == 404 and "No console page" in missing.text


async def test_csp_allows_only_this_origin():
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["connect-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in CSP


async def test_every_asset_a_page_names_is_served_by_radiant(stack):
    async with httpx.AsyncClient(base_url=stack.base_url) as http:
        page = (await http.get("/console/models")).text
        assets = re.findall(r"""(?:src|href)="(/console/static/[^"]+)\"""", page)
        assert {a.rsplit(".", 1)[1] for a in assets} >= {"js", "css", "svg"}
        for asset in assets:
            r = await http.get(asset)
            assert r.status_code == 200 and r.content, asset
            assert r.headers["content-security-policy"] == CSP
            # SVG's XML namespace is a name, not something fetched; no other URL may appear.
            body = r.content.replace(b"http://www.w3.org/2000/svg", b"")
            assert b"http://" not in body and b"https://" not in body, asset


async def test_me_tells_what_the_matrix_allows(stack, world):
    async with httpx.AsyncClient(base_url=stack.base_url) as http:
        auditor = (await http.get("/api/v2/me", headers=world.who["auditor"].headers)).json()["data"]
        operator = (await http.get("/api/v2/me", headers=world.who["operator"].headers)).json()["data"]
        anonymous = await http.get("/api/v2/me")
    assert auditor["roles"] == ["auditor"] and auditor["tenantId"] == world.a
    assert "audit.read" in auditor["allowed"] and not [a for a in auditor["allowed"] if a.endswith(".write")]
    assert "catalog.operate" in operator["allowed"] and "keys.write" not in operator["allowed"]
    assert anonymous.status_code == 401


def test_every_console_file_is_package_data():
    """A non-editable install must carry the templates and static files (pyproject's package-data patterns)."""
    import fnmatch
    import tomllib
    from pathlib import Path

    from services.router.console.pages import HERE

    patterns = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["*"]
    files = [p for p in HERE.rglob("*") if p.is_file() and p.suffix != ".pyc" and p.suffix != ".py"]
    assert files and all(any(fnmatch.fnmatch(p.name, pat) for pat in patterns) for p in files), files
