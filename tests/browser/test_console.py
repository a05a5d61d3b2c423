"""The console in a real browser against `radiant up`: signing in, switching a model's thermal state, an API key's
life (created with its secret shown once, used, revoked), today's usage drawn as a chart after a few requests, an
auditor who sees no write control and whose write is refused; screenshots of the main pages on the way."""
from __future__ import annotations

import re

import httpx
from playwright.async_api import expect

from tests.browser.conftest import BOOTSTRAP_KEY, shot, sign_in

MODEL = "mistral-7b-instruct"  # a self-hosted catalogue model (inactive: the operator starts nothing for it)


async def test_radiant_up_prints_the_console_url(radiant):
    assert f"{radiant.url}/console" in radiant.banner and f"{radiant.url}/graphql" in radiant.banner


async def test_sign_in_and_switch_a_model_to_cold(radiant, page):
    await page.goto(f"{radiant.url}/console/keys")
    await page.wait_for_url("**/console/signin")  # not signed in yet
    await sign_in(page, radiant, BOOTSTRAP_KEY)
    await expect(page.locator("#whoami")).to_contain_text("super_admin")
    select = page.get_by_label(f"Thermal state of {MODEL}")
    if await select.input_value() == "COLD":
        await select.select_option("WARM")
        await expect(page.locator("#status")).to_contain_text(f"{MODEL} is now WARM")
    await select.select_option("COLD")
    await expect(page.locator("#status")).to_contain_text(f"{MODEL} is now COLD")
    await page.reload()
    await expect(page.get_by_label(f"Thermal state of {MODEL}")).to_have_value("COLD")
    async with radiant.api() as http:
        models = (await http.get("/api/v2/admin/models", params={"limit": 500})).json()["data"]["models"]
    assert next(m for m in models if m["name"] == MODEL)["thermal_state"] == "COLD"
    await shot(page, "models")
    await page.click("nav >> text=Providers")
    await page.wait_for_selector("#content table")
    await shot(page, "providers")


async def test_create_use_and_revoke_an_api_key(radiant, page):
    await sign_in(page, radiant, BOOTSTRAP_KEY)
    await page.click("nav >> text=API keys")
    await page.wait_for_selector("#content table")
    await page.fill("form[aria-label='Create an API key'] input[name=name]", "browser-key")
    await page.click("form[aria-label='Create an API key'] button[type=submit]")
    secret = (await page.locator("[data-secret]").text_content()).strip()
    assert len(secret) > 20 and "Store the secret now" in await page.locator("#secret").text_content()
    await expect(page.locator("[data-key-state='browser-key']")).to_have_text("active")
    await shot(page, "keys")
    async with httpx.AsyncClient(base_url=radiant.url) as http:
        assert (await http.get("/v1/models", headers={"Authorization": f"Bearer {secret}"})).status_code == 200
        await page.click("[data-revoke='browser-key']")
        await expect(page.locator("[data-key-state='browser-key']")).to_have_text("revoked")
        assert (await http.get("/v1/models", headers={"Authorization": f"Bearer {secret}"})).status_code == 401
    # The secret is not shown again anywhere.
    await page.reload()
    await page.wait_for_selector("#content table")
    assert secret not in await page.content()


async def test_todays_usage_is_charted_after_a_few_requests(radiant, page):
    async with radiant.api() as http:
        for n in range(3):
            r = await http.post("/v1/chat/completions", json={"model": "radiant-demo", "messages": [
                {"role": "user", "content": f"Patient John Smith, request {n}"}]})
            assert r.status_code == 200
    await sign_in(page, radiant, BOOTSTRAP_KEY)
    await page.click("nav >> text=Usage & cost")
    today = page.locator("[data-chart='Requests by day'] g").last
    # Metering writes the ledger from the usage stream: reload until today's bar holds the three requests.
    for _ in range(40):
        await page.wait_for_selector("[data-chart='Requests by day']")
        if int(await today.get_attribute("data-value") or 0) >= 3:
            break
        await page.wait_for_timeout(500)
        await page.reload()
    assert int(await today.get_attribute("data-value")) >= 3
    assert await page.locator("[data-chart='Cost by model (USD)'] g[data-label='radiant-demo']").count() == 1
    await shot(page, "usage")
    for view, name in (("Request log", "requests"), ("Audit log", "audit"), ("PHI policy", "phi"), ("Tenants", "tenants"),
                       ("Invitations", "invitations")):
        await page.click(f"nav >> text={view}")
        await page.wait_for_url(f"**/console/{name}")
        await expect(page.locator("#content")).not_to_contain_text("Loading")
        await expect(page.locator("#status")).not_to_have_class(re.compile("error"))
        await shot(page, name)


async def test_an_auditor_sees_no_write_control_and_is_refused_a_write(radiant, page):
    auditor = await radiant.invited("auditor")
    await sign_in(page, radiant, auditor)
    await expect(page.locator("#status")).to_contain_text("Read-only")
    assert await page.locator("select[aria-label^='Thermal state']").count() == 0
    await page.click("nav >> text=API keys")
    await page.wait_for_selector("#content table")
    assert await page.locator("form, [data-revoke], button:has-text('Rotate')").count() == 0
    await expect(page.locator("nav a[data-nav='tenants']")).to_be_visible()
    # The API refuses the write even when the page is made to send it.
    await page.evaluate("Ui.act('created', () => Api.post('/api/v2/admin/keys', {name: 'sneaky'}))")
    await expect(page.locator("#status")).to_have_text(re.compile(r"^403 Requires one of the roles: super_admin, admin"))
    await shot(page, "auditor-keys")
    async with radiant.api() as http:
        keys = (await http.get("/api/v2/admin/keys", params={"limit": 500})).json()["data"]["keys"]
    assert "sneaky" not in {k["name"] for k in keys}


async def test_an_admin_of_another_tenant_sees_only_its_own(radiant, page):
    async with radiant.api() as http:
        created = await http.post("/api/v2/admin/tenants", json={"id": "acme", "name": "Acme Clinic"})
        assert created.status_code == 201, created.text
    admin = await radiant.invited("admin", tenant="acme")
    await sign_in(page, radiant, admin)
    await expect(page.locator("#whoami")).to_contain_text("tenant acme")
    await page.goto(f"{radiant.url}/console/keys")
    await page.wait_for_selector("#content table")
    assert await page.locator("[data-key-state]").count() == 1  # its own key only, not the default tenant's
    assert await page.locator("[data-key-state='bootstrap']").count() == 0
    await page.goto(f"{radiant.url}/console/users")
    await page.wait_for_selector("#content table")
    users = await page.locator("#content").text_content()
    assert "admin@acme.example.org" in users and "@default.example.org" not in users
    await page.goto(f"{radiant.url}/console/tenants")
    await page.wait_for_selector("#content table")
    assert await page.locator("#content tbody tr").count() == 1
    await expect(page.locator("#content")).to_contain_text("Acme Clinic")
    await shot(page, "tenant-admin")
