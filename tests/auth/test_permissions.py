"""The permission matrix's rules that are not about one route: tenant status first, key permissions, tenant scope,
who may grant which role, role edits, defaults."""
from __future__ import annotations

import pytest
from radiant.common.v1 import common_pb2

from services.auth import permissions as pm
from services.runtime.errors import ForbiddenError, ValidationError


def principal(*roles: str, perms=pm.PERMISSIONS, status=common_pb2.TENANT_STATUS_ACTIVE, tenant="t1",
              groups: tuple[str, ...] = ()) -> common_pb2.Principal:
    return common_pb2.Principal(tenant_id=tenant, roles=list(roles), groups=list(groups), permissions=list(perms),
                                tenant_status=status)


def test_tenant_status_comes_first():
    for status, word in ((common_pb2.TENANT_STATUS_SUSPENDED, "suspended"),
                         (common_pb2.TENANT_STATUS_DELETED, "deleted"),
                         (common_pb2.TENANT_STATUS_UNSPECIFIED, "not active")):
        with pytest.raises(ForbiddenError, match=word):
            pm.authorize(principal("super_admin", status=status), "models.read")


def test_key_permissions_gate_the_data_plane_and_the_admin_api():
    chat_only = principal(perms=["completions"])
    pm.authorize(chat_only, "chat")
    pm.authorize(chat_only, "models.read")
    with pytest.raises(ForbiddenError, match="'embeddings' permission"):
        pm.authorize(chat_only, "embeddings")
    admin_without_permission = principal("admin", perms=["completions"])
    with pytest.raises(ForbiddenError, match="'admin' permission"):
        pm.authorize(admin_without_permission, "users.read")
    with pytest.raises(ForbiddenError, match="Admin access required"):
        pm.authorize(principal(), "users.read")
    pm.authorize(principal(groups=("auditor",)), "audit.read")  # groups count as roles


def test_tenant_scope_and_acting_role():
    assert pm.tenant_scope(principal("admin"), None) == "t1"
    assert pm.tenant_scope(principal("admin"), "t1") == "t1"
    with pytest.raises(ForbiddenError, match="Access to tenant denied"):
        pm.tenant_scope(principal("admin"), "t2")
    assert pm.tenant_scope(principal("super_admin"), "t2") == "t2"
    assert pm.acting_role(principal("auditor", "super_admin"), "audit.read") == "super_admin"
    assert pm.acting_role(principal("operator", "auditor"), "catalog.operate") == "operator"


def test_who_may_grant_what():
    pm.check_grant(principal("admin"), "auditor")
    pm.check_grant(principal("admin"), "admin")
    with pytest.raises(ForbiddenError, match="super_admin"):
        pm.check_grant(principal("admin"), "super_admin")
    pm.check_grant(principal("super_admin"), "super_admin")
    for role in ("operator", "auditor"):
        with pytest.raises(ForbiddenError):
            pm.check_grant(principal(role), "auditor")
    with pytest.raises(ValidationError):
        pm.check_grant(principal("super_admin"), "root")


def test_role_edits_may_only_drop_admin_roles():
    pm.check_role_change(["admin", "nurse"], ["nurse"])
    pm.check_role_change(["nurse"], ["nurse", "clinician"])
    with pytest.raises(ForbiddenError, match="operator"):
        pm.check_role_change(["auditor"], ["auditor", "operator"])


def test_default_permissions():
    assert pm.default_permissions([]) == ["completions", "embeddings", "health"]
    assert pm.default_permissions(["auditor"]) == ["completions", "embeddings", "admin", "health"]
    assert pm.key_permissions(["health", "admin", "health"], []) == ["admin", "health"]
