"""A real `radiant up` (embedded default, as the README starts it) and headless Chromium of Debian's `chromium`
package driven by Playwright (never a downloaded browser: `.ci/run` installs the package). Screenshots of the main
pages go to SCREENSHOTS (RADIANT_SCREENSHOTS_DIR overrides it; git ignores it)."""
from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from playwright.async_api import async_playwright

from services.stack.config import free_ports_env
from tests.stack.test_radiant_up import BOOTSTRAP_KEY, read_until_banner, start_radiant_up

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("RADIANT_SCREENSHOTS_DIR") or Path(__file__).parent / "screenshots")


class Radiant:
    def __init__(self, url: str, banner: str) -> None:
        self.url = url
        self.banner = banner
        self.headers = {"Authorization": f"Bearer {BOOTSTRAP_KEY}"}

    def api(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, headers=self.headers, timeout=30)

    async def invited(self, role: str, tenant: str | None = None) -> str:
        """An API key of a new admin with this role (of the bootstrap tenant, or another one), by invitation and
        acceptance (the only way to get a role)."""
        async with self.api() as http:
            r = await http.post("/api/v2/admin/invitations", json={"email": f"{role}@{tenant or 'default'}.example.org",
                                                                   "role": role},
                                params={"tenant_id": tenant} if tenant else None)
            token = parse_qs(urlparse(r.json()["data"]["link"]).query)["token"][0]
            accepted = await http.post("/api/v2/invitations/accept", json={"token": token}, headers={})
        return accepted.json()["data"]["secret"]


@pytest.fixture(scope="module")
def radiant(tmp_path_factory):
    ports = free_ports_env()
    proc, stderr, drain = start_radiant_up(tmp_path_factory.mktemp("radiant"), ports)
    try:
        banner = read_until_banner(proc)
        assert "Radiant is up." in banner, f"radiant up did not start:\n{banner}\n{''.join(stderr)[-4000:]}"
        yield Radiant(f"http://127.0.0.1:{ports['RADIANT_HTTP_PORT']}", banner)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except Exception:  # noqa: BLE001 - it did not stop: make sure nothing is left
                proc.kill()
                proc.wait()
        drain.join(timeout=5)


@pytest.fixture(scope="module")
async def browser():
    assert Path(CHROMIUM).exists(), "install Debian's chromium package (apt-get install -y chromium; .ci/run does)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        await b.close()


@pytest.fixture
async def page(browser):
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    pg = await context.new_page()
    failures: list[str] = []
    # A CSP violation or a script error is a failure of the page, whatever the test checks.
    pg.on("console", lambda m: failures.append(m.text) if m.type == "error" and "401" not in m.text
          and "403" not in m.text else None)
    pg.on("pageerror", lambda e: failures.append(str(e)))
    yield pg
    await context.close()
    assert not failures, failures


async def sign_in(page, radiant: Radiant, credential: str) -> None:
    await page.goto(f"{radiant.url}/console/signin")
    await page.fill("#credential", credential)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/console/models")
    await page.wait_for_selector("#content table")


async def shot(page, name: str) -> None:
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
