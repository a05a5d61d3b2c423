"""Invitations and promotions through the Cognito driver (EKS): the invitation is e-mailed through SES, accepting
creates the admin in the Cognito admin pool (AdminCreateUser) in its role's group, an approved promotion moves it to
the new group, and the admin pool's tokens (second issuer, JWKS and audience; cognito:groups -> roles) act with that
role. AWS is moto; the tokens are signed with the test key the admin pool's JWKS holds."""
from __future__ import annotations

import os
import re
import time
import uuid

import boto3
import httpx
import psycopg
import pytest
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from tests.auth.conftest import JWKS_JSON, sign
from tests.harness import InProcessStack
from tests.router.admin.conftest import World, new_tenant, person

REGION = "us-east-1"
SENDER = "noreply@radiant.example.org"
ADMIN_ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_admins"
ADMIN_AUDIENCE = "admin-console"
GROUPS = ("super_admin", "admin", "operator", "auditor")


@pytest.fixture(scope="module")
def aws():
    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")}
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION=REGION)
    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name=REGION)
        pool = cognito.create_user_pool(PoolName="radiant-admins", UsernameAttributes=["email"], Schema=[
            {"Name": n, "AttributeDataType": "String", "Mutable": n == "adminRole"}
            for n in ("tenantId", "adminRole", "invitedBy", "invitedAt")])["UserPool"]["Id"]
        for group in GROUPS:
            cognito.create_group(GroupName=group, UserPoolId=pool)
        boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=SENDER)
        yield cognito, pool
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="module")
async def stack(own_pg_url, redis_url, aws):
    _, pool = aws
    s = await InProcessStack(own_pg_url, redis_url, auth_settings=dict(
        identity_driver="cognito", cognito_admin_pool_id=pool, ses_sender=SENDER, aws_region=REGION,
        invitation_url="https://admin.radiant.example.org/accept", admin_jwks_json=JWKS_JSON,
        admin_jwt_issuer=ADMIN_ISSUER, admin_jwt_audience=ADMIN_AUDIENCE)).start()
    yield s
    await s.stop()


def _sent() -> list:
    return ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages


def _admin_token(tenant_id: str, sub: str, email: str, groups: list[str]) -> dict[str, str]:
    now = int(time.time())
    token = sign({"sub": sub, "email": email, "cognito:groups": groups, "custom:tenantId": tenant_id,
                  "iss": ADMIN_ISSUER, "aud": ADMIN_AUDIENCE, "iat": now, "exp": now + 600, "token_use": "id"})
    return {"Authorization": f"Bearer {token}"}


async def test_invite_accept_sign_in_promote(stack, world: World, aws):
    cognito, pool = aws
    auth = await stack.auth_stub()
    admin, second_admin = world.who["admin"], await person(auth, world.a, "admin")
    email = f"ops-{uuid.uuid4().hex[:6]}@example.org"
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=20) as http:
        r = await http.post("/api/v2/admin/invitations", headers=admin.headers,
                            json={"email": email, "role": "auditor"})
        assert r.status_code == 201, r.text
        data = r.json()["data"]
        assert "link" not in data and data["invitation"]["driver"] == "cognito"
        mail = next(m for m in _sent() if m.destinations["ToAddresses"] == [email])
        assert mail.source == SENDER and "auditor" in mail.body
        token = re.search(r"token=([A-Za-z0-9_\-]+)", mail.body).group(1)

        r = await http.post("/api/v2/invitations/accept", json={"token": token})
        assert r.status_code == 200, r.text
        accepted = r.json()["data"]
        assert "secret" not in accepted and accepted["user"]["roles"] == ["auditor"]
        user = cognito.admin_get_user(UserPoolId=pool, Username=email)
        attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
        assert attributes["custom:tenantId"] == world.a and attributes["custom:adminRole"] == "auditor"
        assert accepted["user"]["subject"] == attributes["sub"]
        groups = lambda: [g["GroupName"] for g in cognito.admin_list_groups_for_user(  # noqa: E731
            UserPoolId=pool, Username=email)["Groups"]]
        assert groups() == ["auditor"]

        # Signed in to the admin pool, the new admin acts with its group's role, as the user auth knows.
        as_auditor = _admin_token(world.a, attributes["sub"], email, ["auditor"])
        assert (await http.get("/api/v2/admin/users", headers=as_auditor)).status_code == 200
        assert (await http.post("/api/v2/admin/apps", headers=as_auditor, json={"name": "nope"})).status_code == 403

        r = await http.post("/api/v2/admin/promotions", headers=admin.headers,
                            json={"user_id": accepted["user"]["id"], "role": "admin"})
        promotion = r.json()["data"]["promotion"]
        r = await http.post(f"/api/v2/admin/promotions/{promotion['id']}/approve", headers=as_auditor)
        assert r.status_code == 403  # an auditor decides nothing (and never its own promotion)
        r = await http.post(f"/api/v2/admin/promotions/{promotion['id']}/approve", headers=second_admin.headers)
        assert r.status_code == 200, r.text
        assert groups() == ["admin"]
        as_admin = _admin_token(world.a, attributes["sub"], email, ["admin"])
        r = await http.post("/api/v2/admin/apps", headers=as_admin, json={"name": f"Pharmacy {uuid.uuid4().hex[:4]}"})
        assert r.status_code == 201
        entries = (await http.get("/api/v2/admin/audit-logs", headers=admin.headers,
                                  params={"actor": accepted["user"]["id"]})).json()["data"]["entries"]
        assert [e["action"] for e in entries] == ["app.create", "invitation.accept"]
        assert entries[0]["actor_role"] == "admin"

        # A token of a pool auth does not know for this issuer, or for the user pool's audience, is refused.
        forged = sign({"sub": attributes["sub"], "cognito:groups": ["super_admin"], "custom:tenantId": world.a,
                       "iss": ADMIN_ISSUER, "aud": "someone-else", "iat": int(time.time()),
                       "exp": int(time.time()) + 600})
        assert (await http.get("/api/v2/admin/users", headers={"Authorization": f"Bearer {forged}"})
                ).status_code == 401
        # Disabled in Radiant: its admin-pool tokens stop working at once.
        assert (await http.post(f"/api/v2/admin/users/{accepted['user']['id']}/disable",
                                headers=admin.headers)).status_code == 200
        r = await http.get("/api/v2/admin/users", headers=as_admin)
        assert r.status_code == 401 and "suspended" in r.json()["error"]["message"]


async def test_a_bootstrap_super_admin_of_the_admin_pool(stack, world: World):
    """A super admin made in Cognito by hand (no invitation) is recognised by its group."""
    platform = await new_tenant(await stack.auth_stub(), "root")
    token = _admin_token(platform, str(uuid.uuid4()), "root@example.org", ["super_admin"])
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=20) as http:
        r = await http.get("/api/v2/admin/users", headers=token, params={"tenant_id": world.a})
        assert r.status_code == 200
        r = await http.get("/api/v2/admin/tenants", headers=token)
        assert {world.a, platform} <= {t["id"] for t in r.json()["data"]["tenants"]}


async def test_an_expired_invitation_and_an_own_promotion_are_refused_with_cognito(stack, world: World, aws):
    """The same rules hold with the Cognito driver: an e-mailed invitation past its expiry creates no admin-pool
    user, and nobody approves their own promotion (its group stays as it was)."""
    cognito, pool = aws
    auth = await stack.auth_stub()
    admin, sa = world.who["admin"], world.who["super_admin"]
    email = f"late-{uuid.uuid4().hex[:6]}@example.org"
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=20) as http:
        r = await http.post("/api/v2/admin/invitations", headers=admin.headers,
                            json={"email": email, "role": "operator"})
        assert r.status_code == 201, r.text
        invitation = r.json()["data"]["invitation"]
        mail = next(m for m in _sent() if m.destinations["ToAddresses"] == [email])
        token = re.search(r"token=([A-Za-z0-9_\-]+)", mail.body).group(1)
        with psycopg.connect(stack.db_url, autocommit=True) as conn:
            conn.execute("UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = %s",
                         (invitation["id"],))
        r = await http.post("/api/v2/invitations/accept", json={"token": token})
        assert r.status_code == 422 and "expired" in r.json()["error"]["message"]
        with pytest.raises(cognito.exceptions.UserNotFoundException):
            cognito.admin_get_user(UserPoolId=pool, Username=email)

        hopeful = await person(auth, world.a, "admin")
        r = await http.post("/api/v2/admin/promotions", headers=sa.headers, params={"tenant_id": world.a},
                            json={"user_id": hopeful.user_id, "role": "super_admin"})
        assert r.status_code == 201, r.text
        promotion = r.json()["data"]["promotion"]
        r = await http.post(f"/api/v2/admin/promotions/{promotion['id']}/approve", headers=hopeful.headers)
        assert r.status_code == 403 and r.json()["error"]["message"] == "You cannot approve your own promotion"
        user = (await http.get(f"/api/v2/admin/users/{hopeful.user_id}", headers=sa.headers,
                               params={"tenant_id": world.a})).json()["data"]["user"]
        assert user["roles"] == ["admin"]
