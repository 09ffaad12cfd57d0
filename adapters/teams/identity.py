"""Teams users ↔ Miroir people: the roster's teams_id (Entra object id) first, then the email."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from logging import getLogger

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema.teams import TeamsChannelAccount

from adapters.teams.parse import PLATFORM
from pulse.core.model import Person
from pulse.ports import Store
from pulse.roster.rows import ANY_WORKSPACE

log = getLogger(__name__)


class Identities:
    """Finds the person behind a Teams user, linking them on first contact."""

    def __init__(self, store: Store, tenant_of: Callable[[str], str | None]) -> None:
        self.store = store
        self.tenant_of = tenant_of  # Microsoft tenant → Miroir tenant, None when not served
        self._aad: dict[str, str] = {}  # Teams user id (29:…) → Entra object id

    async def member(self, ctx: TurnContext, ms_tenant: str, user_id: str,
                     aad: str | None = None) -> tuple[Person | None, str | None]:
        """A Teams user (sender or mentioned) as a person, and their Entra object id."""
        tenant = self.tenant_of(ms_tenant)
        if tenant is None:
            return None, aad
        aad = aad or self._aad.get(user_id)
        if aad:
            person = await self._linked(tenant, ms_tenant, aad)
            if person is not None:
                return person, aad
        account = await self._lookup(ctx, user_id)  # GET …/members/{id}: email, UPN, object id
        if account is None:
            return None, aad
        aad = aad or account.aad_object_id
        if not aad:
            return None, None
        self._aad[user_id] = aad
        person = await self._linked(tenant, ms_tenant, aad)
        if person is not None:
            return person, aad
        email = account.email or account.user_principal_name
        if not email:
            return None, aad
        person = await asyncio.to_thread(self._by_email, tenant, email)
        if person is not None:
            await asyncio.to_thread(self.store.link_identity, PLATFORM, ms_tenant, aad, person.id)
        return person, aad

    async def _linked(self, tenant: str, ms_tenant: str, aad: str) -> Person | None:
        person = await asyncio.to_thread(self.store.person_by_identity, PLATFORM, ms_tenant, aad)
        if person is not None:
            return person
        # A roster imported without its Microsoft tenant links the object id under "*".
        person = await asyncio.to_thread(self.store.person_by_identity, PLATFORM, ANY_WORKSPACE,
                                         aad)
        if person is not None and person.tenant_id == tenant:
            await asyncio.to_thread(self.store.link_identity, PLATFORM, ms_tenant, aad, person.id)
            return person
        return None

    @staticmethod
    async def _lookup(ctx: TurnContext, user_id: str) -> TeamsChannelAccount | None:
        try:
            return await TeamsInfo.get_member(ctx, user_id)
        except Exception as exc:  # a refused lookup only means we cannot link by email
            log.warning("Teams member lookup failed for %s: %s", user_id, exc)
            return None

    def _by_email(self, tenant_id: str, email: str) -> Person | None:
        matches = [p for p in self.store.find_people(tenant_id, email)
                   if p.email and p.email.lower() == email.lower()]
        return matches[0] if len(matches) == 1 else None  # two people, one email: refuse to guess
