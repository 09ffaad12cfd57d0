"""Teams users as Miroir people: the bot's identity rule keyed by the Entra object id.

Teams supplies what only it knows: a mentioned user's object id and anyone's e-mail (or UPN),
both from GET …/members/{id} in the turn.
"""

from __future__ import annotations

from logging import getLogger

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema.teams import TeamsChannelAccount

from bot.identity import Identities
from pulse.core.model import Person

log = getLogger(__name__)


class Members:
    """Finds the person behind a Teams user (sender or mentioned), linking them on first contact."""

    def __init__(self, identities: Identities) -> None:
        self.identities = identities
        self._aad: dict[str, str] = {}  # Teams user id (29:…) → Entra object id

    async def member(self, ctx: TurnContext, ms_tenant: str, user_id: str,
                     aad: str | None = None) -> tuple[Person | None, str | None]:
        """A Teams user as a person (None when unknown), and their Entra object id."""
        if self.identities.tenant_of(ms_tenant) is None:
            return None, aad  # a tenant Miroir does not serve: not even a lookup
        account: TeamsChannelAccount | None = None
        aad = aad or self._aad.get(user_id)
        if not aad:  # a mention carries the Teams user id only
            account = await self._lookup(ctx, user_id)
            aad = account.aad_object_id if account is not None else None
            if not aad:
                return None, None
            self._aad[user_id] = aad

        async def email() -> str | None:
            found = account or await self._lookup(ctx, user_id)
            return (found.email or found.user_principal_name) if found is not None else None

        return await self.identities.person(ms_tenant, aad, email), aad

    @staticmethod
    async def _lookup(ctx: TurnContext, user_id: str) -> TeamsChannelAccount | None:
        try:
            return await TeamsInfo.get_member(ctx, user_id)
        except Exception as exc:  # a refused lookup only means we cannot link by email
            log.warning("Teams member lookup failed for %s: %s", user_id, exc)
            return None
