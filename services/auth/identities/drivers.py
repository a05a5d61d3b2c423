"""How invitations and role changes reach the identity provider.

- LocalDriver (the embedded default, no identity provider): the acceptance link goes back to the inviting admin (and
  is never logged); accepting yields an API key bound to the new user.
- CognitoDriver (services.auth.identities.cognito): the invitation is e-mailed through SES; accepting creates the user
  in the Cognito admin pool (AdminCreateUser: Cognito e-mails the temporary password) and adds it to its role's group;
  an approved promotion moves it between groups. Its tokens then carry the role in cognito:groups."""
from __future__ import annotations

import logging
from typing import Protocol

from services.auth.models import Invitation, User
from services.auth.settings import Settings

log = logging.getLogger("radiant.auth")


class IdentityDriver(Protocol):
    name: str
    # Whether the inviting admin gets the link back (nobody else will deliver it).
    returns_link: bool
    # Whether accepting issues an API key (there is no identity provider to sign in with).
    issues_api_key: bool

    async def send_invitation(self, invitation: Invitation, link: str) -> None: ...

    async def provision(self, invitation: Invitation) -> str:
        """Create the identity of an accepted invitation; returns its subject (the IdP's sub) or ""."""

    async def set_role(self, user: User, role: str, previous: list[str]) -> None:
        """Give the user this admin role in place of the previous ones."""


class LocalDriver:
    name = "local"
    returns_link = True
    issues_api_key = True

    async def send_invitation(self, invitation: Invitation, link: str) -> None:
        log.info("invitation ready; the link was returned to the inviting admin",
                 extra={"tenant": invitation.tenant_id, "invitation_id": invitation.id})

    async def provision(self, invitation: Invitation) -> str:
        return ""

    async def set_role(self, user: User, role: str, previous: list[str]) -> None:
        return None


def create_driver(settings: Settings) -> IdentityDriver:
    if settings.identity_driver == "cognito":
        from services.auth.identities.cognito import CognitoDriver
        return CognitoDriver(settings)
    return LocalDriver()
