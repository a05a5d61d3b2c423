"""Cognito admin pool + SES: invitations e-mailed through SES, accepted invitations created in the admin pool
(AdminCreateUser; Cognito e-mails the temporary password) in their role's group, promotions applied by moving the
user between groups. boto3 calls run in a thread; AWS failures are 503s that name the call, never a credential."""
from __future__ import annotations

import asyncio
import logging
from html import escape
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from services.auth.models import Invitation, User
from services.auth.permissions import ROLES
from services.auth.settings import Settings
from services.runtime.errors import ServiceUnavailableError
from services.runtime.timeutil import as_utc

log = logging.getLogger("radiant.auth")
_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=3, read_timeout=10)


class CognitoDriver:
    name = "cognito"
    returns_link = False
    issues_api_key = False

    def __init__(self, settings: Settings) -> None:
        self.pool_id = settings.cognito_admin_pool_id
        self.sender = settings.ses_sender
        region = settings.aws_region or None
        self._cognito = boto3.client("cognito-idp", region_name=region, config=_CONFIG)
        self._ses = boto3.client("ses", region_name=region, config=_CONFIG)

    async def _call(self, what: str, fn, **kwargs) -> Any:
        try:
            return await asyncio.to_thread(fn, **kwargs)
        except (ClientError, BotoCoreError) as exc:
            code = exc.response["Error"]["Code"] if isinstance(exc, ClientError) else type(exc).__name__
            log.error("identity provider call failed", extra={"call": what, "error_type": code})
            raise ServiceUnavailableError(f"The identity provider refused {what} ({code})") from None

    async def send_invitation(self, invitation: Invitation, link: str) -> None:
        expires = as_utc(invitation.expires_at).strftime("%Y-%m-%d %H:%M UTC")
        text = (f"You have been invited to administer Radiant (tenant {invitation.tenant_id}) as {invitation.role}.\n"
                f"Accept the invitation here: {link}\nThe invitation expires on {expires}.")
        html = (f"<p>You have been invited to administer Radiant (tenant {escape(invitation.tenant_id)}) as "
                f"<strong>{escape(invitation.role)}</strong>.</p><p><a href=\"{escape(link)}\">Accept the "
                f"invitation</a></p><p>The invitation expires on {expires}.</p>")
        await self._call("SendEmail", self._ses.send_email, Source=self.sender,
                         Destination={"ToAddresses": [invitation.email]},
                         Message={"Subject": {"Data": "You're invited to Radiant Admin"},
                                  "Body": {"Text": {"Data": text}, "Html": {"Data": html}}})
        log.info("invitation e-mailed", extra={"tenant": invitation.tenant_id, "invitation_id": invitation.id})

    async def provision(self, invitation: Invitation) -> str:
        attributes = [{"Name": "email", "Value": invitation.email}, {"Name": "email_verified", "Value": "true"},
                      {"Name": "custom:tenantId", "Value": invitation.tenant_id},
                      {"Name": "custom:adminRole", "Value": invitation.role},
                      {"Name": "custom:invitedBy", "Value": invitation.invited_by[:256]},
                      {"Name": "custom:invitedAt", "Value": as_utc(invitation.created_at).isoformat()}]
        try:
            created = await asyncio.to_thread(self._cognito.admin_create_user, UserPoolId=self.pool_id,
                                              Username=invitation.email, UserAttributes=attributes,
                                              DesiredDeliveryMediums=["EMAIL"])
            user = created["User"]
            found = user.get("Attributes", [])
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "UsernameExistsException":
                code = exc.response["Error"]["Code"]
                log.error("identity provider call failed", extra={"call": "AdminCreateUser", "error_type": code})
                raise ServiceUnavailableError(f"The identity provider refused AdminCreateUser ({code})") from None
            # Accepting again after a failure half-way: the user is there already.
            existing = await self._call("AdminGetUser", self._cognito.admin_get_user, UserPoolId=self.pool_id,
                                        Username=invitation.email)
            found = existing.get("UserAttributes", [])
        except BotoCoreError as exc:
            raise ServiceUnavailableError(f"The identity provider is unreachable ({type(exc).__name__})") from None
        await self._call("AdminAddUserToGroup", self._cognito.admin_add_user_to_group, UserPoolId=self.pool_id,
                         Username=invitation.email, GroupName=invitation.role)
        log.info("admin identity created", extra={"tenant": invitation.tenant_id, "invitation_id": invitation.id})
        return next((a["Value"] for a in found if a["Name"] == "sub"), "")

    async def set_role(self, user: User, role: str, previous: list[str]) -> None:
        await self._call("AdminAddUserToGroup", self._cognito.admin_add_user_to_group, UserPoolId=self.pool_id,
                         Username=user.email, GroupName=role)
        for old in previous:
            if old != role and old in ROLES:
                await self._call("AdminRemoveUserFromGroup", self._cognito.admin_remove_user_from_group,
                                 UserPoolId=self.pool_id, Username=user.email, GroupName=old)
