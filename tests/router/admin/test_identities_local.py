"""Invitations and two-person promotions through the local driver (the embedded default): the acceptance link goes
back to the inviting admin and never into a log; accepting yields an API key bound to the new admin; resend, revoke
and expiry; a promotion takes effect only when a second, different person approves it before it expires; every
step is in the audit log with before / after."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse

import httpx
import psycopg
import pytest

from services.runtime.logs import JsonFormatter
from tests.router.admin.conftest import World, person


def _token(link: str) -> str:
    return parse_qs(urlparse(link).query)["token"][0]


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _expire(db_url: str, table: str, row_id: str) -> None:
    """Move a pending invitation or promotion past its expiry (instead of waiting days)."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(f"UPDATE {table} SET expires_at = now() - interval '1 minute' WHERE id = %s", (row_id,))


@pytest.fixture
async def http(stack):
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=20) as c:
        yield c


def _email() -> str:
    return f"new-admin-{uuid.uuid4().hex[:6]}@example.org"


async def test_invitation_lifecycle(http, world: World, stack, caplog):
    caplog.set_level(logging.DEBUG)
    admin = world.who["admin"].headers
    email = _email()
    r = await http.post("/api/v2/admin/invitations", headers=admin, json={"email": email, "role": "auditor"})
    assert r.status_code == 201, r.text
    invitation, link = r.json()["data"]["invitation"], r.json()["data"]["link"]
    assert invitation["status"] == "pending" and invitation["driver"] == "local" and invitation["role"] == "auditor"
    assert _when(invitation["expires_at"]) - _when(invitation["created_at"]) == timedelta(days=7)
    first = _token(link)
    listed = (await http.get("/api/v2/admin/invitations", headers=admin, params={"status": "pending"})).text
    assert invitation["id"] in listed and first not in listed
    r = await http.post("/api/v2/admin/invitations", headers=admin, json={"email": email, "role": "auditor"})
    assert r.status_code == 409  # one pending invitation per address: resend it instead

    r = await http.post(f"/api/v2/admin/invitations/{invitation['id']}/resend", headers=admin)
    assert r.status_code == 200 and r.json()["data"]["invitation"]["send_count"] == 2
    second = _token(r.json()["data"]["link"])
    assert second != first
    r = await http.post("/api/v2/invitations/accept", json={"token": first})
    assert r.status_code == 404  # the resent link replaced the first one

    r = await http.post("/api/v2/invitations/accept", json={"token": second})
    assert r.status_code == 200, r.text
    accepted = r.json()["data"]
    assert accepted["invitation"]["status"] == "accepted" and accepted["user"]["roles"] == ["auditor"]
    assert accepted["user"]["email"] == email and accepted["key"]["permissions"] == ["admin", "health"]
    newcomer = {"Authorization": f"Bearer {accepted['secret']}"}
    assert (await http.get("/api/v2/admin/users", headers=newcomer)).status_code == 200
    assert (await http.post("/api/v2/admin/users", headers=newcomer, json={"email": _email()})).status_code == 403
    assert (await http.post("/api/v2/invitations/accept", json={"token": second})).status_code == 409

    # Revoked and expired invitations cannot be accepted; an expired one can be resent.
    revoked = (await http.post("/api/v2/admin/invitations", headers=admin,
                               json={"email": _email(), "role": "operator"})).json()["data"]
    r = await http.delete(f"/api/v2/admin/invitations/{revoked['invitation']['id']}", headers=admin)
    assert r.status_code == 200 and r.json()["data"]["invitation"]["status"] == "revoked"
    r = await http.post("/api/v2/invitations/accept", json={"token": _token(revoked["link"])})
    assert r.status_code == 422 and "revoked" in r.json()["error"]["message"]
    late = (await http.post("/api/v2/admin/invitations", headers=admin,
                            json={"email": _email(), "role": "operator"})).json()["data"]
    _expire(stack.db_url, "invitations", late["invitation"]["id"])
    r = await http.post("/api/v2/invitations/accept", json={"token": _token(late["link"])})
    assert r.status_code == 422 and "expired" in r.json()["error"]["message"]
    expired = (await http.get("/api/v2/admin/invitations", headers=admin, params={"status": "expired"})).json()
    assert [i["id"] for i in expired["data"]["invitations"]] == [late["invitation"]["id"]]
    renewed = (await http.post(f"/api/v2/admin/invitations/{late['invitation']['id']}/resend", headers=admin)).json()
    r = await http.post("/api/v2/invitations/accept", json={"token": _token(renewed["data"]["link"])})
    assert r.status_code == 200 and r.json()["data"]["user"]["roles"] == ["operator"]

    # The audit trail, and no token (nor the link holding it) in any log line.
    entries = (await http.get("/api/v2/admin/audit-logs", headers=admin,
                              params={"resource_id": invitation["id"]})).json()["data"]["entries"]
    assert [e["action"] for e in entries] == ["invitation.accept", "invitation.resend", "invitation.create"]
    assert entries[0]["admin_id"] == accepted["user"]["id"] and entries[0]["actor_role"] == "auditor"
    assert entries[1]["before"]["send_count"] == 1 and entries[1]["after"]["send_count"] == 2
    assert entries[2]["after"]["email"] == email and entries[2]["admin_id"] == world.who["admin"].user_id
    formatter = JsonFormatter("test")
    lines = [formatter.format(rec) for rec in caplog.records]
    assert any("invitation" in line for line in lines)
    for secret in (first, second, accepted["secret"]):
        assert not [line for line in lines if secret in line]
    assert first not in str(entries) and second not in str(entries)


async def test_a_promotion_needs_a_second_person(http, world: World, stack):
    auth = await stack.auth_stub()
    first_admin, sa = world.who["admin"], world.who["super_admin"]
    second_admin = await person(auth, world.a, "admin")
    candidate = await person(auth, world.a, "auditor")
    r = await http.post("/api/v2/admin/promotions", headers=first_admin.headers,
                        json={"user_id": candidate.user_id, "role": "admin", "reason": "covers the night shift"})
    assert r.status_code == 201, r.text
    promotion = r.json()["data"]["promotion"]
    assert promotion["status"] == "pending" and promotion["requested_by"] == first_admin.user_id
    r = await http.post("/api/v2/admin/promotions", headers=second_admin.headers,
                        json={"user_id": candidate.user_id, "role": "operator"})
    assert r.status_code == 409  # one pending request per user

    url = f"/api/v2/admin/promotions/{promotion['id']}/approve"
    r = await http.post(url, headers=first_admin.headers)
    assert r.status_code == 403 and "second admin" in r.json()["error"]["message"]
    # Not in effect yet.
    assert (await http.post("/api/v2/admin/users", headers=candidate.headers, json={"email": _email()})
            ).status_code == 403
    plain_admin_key = (await http.post("/api/v2/admin/keys", headers=sa.headers, params={"tenant_id": world.a},
                                       json={"name": "service", "roles": ["admin"]})).json()["data"]["secret"]
    r = await http.post(url, headers={"Authorization": f"Bearer {plain_admin_key}"})
    assert r.status_code == 403 and "person" in r.json()["error"]["message"]
    r = await http.post(url, headers=second_admin.headers, json={"reason": "agreed"})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["promotion"]["status"] == "approved"
    assert r.json()["data"]["promotion"]["decided_by"] == second_admin.user_id
    # In effect at once for the candidate's key.
    assert (await http.post("/api/v2/admin/users", headers=candidate.headers, json={"email": _email()})
            ).status_code == 201
    assert (await http.post(url, headers=sa.headers, params={"tenant_id": world.a})).status_code == 422

    entries = (await http.get("/api/v2/admin/audit-logs", headers=first_admin.headers,
                              params={"resource_id": candidate.user_id, "action": "promotion.approve"})).json()
    entry = entries["data"]["entries"][0]
    assert entry["before"]["roles"] == ["auditor"] and entry["after"]["roles"] == ["admin"]
    assert entry["admin_id"] == second_admin.user_id and entry["details"]["promotion"]["id"] == promotion["id"]
    requested = (await http.get("/api/v2/admin/audit-logs", headers=first_admin.headers,
                                params={"resource_id": promotion["id"]})).json()["data"]["entries"]
    assert [e["action"] for e in requested] == ["promotion.request"]


async def test_approving_your_own_promotion_is_refused(http, world: World, stack):
    auth = await stack.auth_stub()
    sa, other_sa = world.who["super_admin"], await person(auth, world.platform, "super_admin")
    hopeful = await person(auth, world.a, "admin")
    r = await http.post("/api/v2/admin/promotions", headers=sa.headers, params={"tenant_id": world.a},
                        json={"user_id": hopeful.user_id, "role": "super_admin"})
    assert r.status_code == 201, r.text
    promotion = r.json()["data"]["promotion"]
    url = f"/api/v2/admin/promotions/{promotion['id']}/approve"
    r = await http.post(url, headers=hopeful.headers)
    assert r.status_code == 403 and r.json()["error"]["message"] == "You cannot approve your own promotion"
    r = await http.post("/api/v2/admin/promotions", headers=hopeful.headers,
                        json={"user_id": hopeful.user_id, "role": "super_admin"})
    assert r.status_code == 403  # an admin may not ask for super_admin, for anyone
    # Expired: can no longer be approved.
    _expire(stack.db_url, "promotions", promotion["id"])
    r = await http.post(url, headers=other_sa.headers, params={"tenant_id": world.a})
    assert r.status_code == 422 and "expired" in r.json()["error"]["message"]
    listed = (await http.get("/api/v2/admin/promotions", headers=sa.headers,
                             params={"tenant_id": world.a, "status": "expired"})).json()["data"]["promotions"]
    assert promotion["id"] in [p["id"] for p in listed]
    # A rejected request cannot be approved afterwards.
    again = (await http.post("/api/v2/admin/promotions", headers=sa.headers, params={"tenant_id": world.a},
                             json={"user_id": hopeful.user_id, "role": "super_admin"})).json()["data"]["promotion"]
    r = await http.post(f"/api/v2/admin/promotions/{again['id']}/reject", headers=other_sa.headers,
                        params={"tenant_id": world.a}, json={"reason": "not now"})
    assert r.status_code == 200 and r.json()["data"]["promotion"]["status"] == "rejected"
    r = await http.post(f"/api/v2/admin/promotions/{again['id']}/approve", headers=other_sa.headers,
                        params={"tenant_id": world.a})
    assert r.status_code == 422
    user = (await http.get(f"/api/v2/admin/users/{hopeful.user_id}", headers=sa.headers,
                           params={"tenant_id": world.a})).json()["data"]["user"]
    assert user["roles"] == ["admin"]


async def test_disabled_and_deleted_users_lose_access_at_once(http, world: World, stack):
    auth = await stack.auth_stub()
    nurse = await person(auth, world.a, "auditor")
    admin = world.who["admin"].headers
    assert (await http.get("/api/v2/admin/users", headers=nurse.headers)).status_code == 200
    r = await http.post(f"/api/v2/admin/users/{nurse.user_id}/disable", headers=admin)
    assert r.status_code == 200 and r.json()["data"]["user"]["status"] == "suspended"
    r = await http.get("/api/v2/admin/users", headers=nurse.headers)
    assert r.status_code == 401 and "suspended" in r.json()["error"]["message"]
    assert (await http.post(f"/api/v2/admin/users/{nurse.user_id}/enable", headers=admin)).status_code == 200
    assert (await http.get("/api/v2/admin/users", headers=nurse.headers)).status_code == 200
    r = await http.delete(f"/api/v2/admin/users/{nurse.user_id}", headers=admin)
    assert r.status_code == 200 and r.json()["data"]["user"]["status"] == "deleted"
    assert (await http.get("/api/v2/admin/users", headers=nurse.headers)).status_code == 401
    keys = (await http.get("/api/v2/admin/keys", headers=admin, params={"user_id": nurse.user_id,
                                                                        "include_revoked": True})).json()
    assert [k["revoked"] for k in keys["data"]["keys"]] == [True]
    listed = (await http.get("/api/v2/admin/users", headers=admin)).json()["data"]["users"]
    assert nurse.user_id not in [u["id"] for u in listed]
    r = await http.delete(f"/api/v2/admin/users/{world.who['admin'].user_id}", headers=admin)
    assert r.status_code == 422  # not yourself
