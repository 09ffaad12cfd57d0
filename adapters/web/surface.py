"""The web chat's surface for the bot's performer: the person's conversation, the team channel."""

from __future__ import annotations

from adapters.web.gateway import PLATFORM, WORKSPACE, WebGateway
from bot.i18n import Translator
from bot.ports import MessageRef, Recipient
from bot.replies import Notice, Reply
from pulse.core.errors import PermanentFailure, RetryLater
from pulse.core.model import Person


class WebSurface:
    """One action in the web chat: the message pressed, if any, in the person's own inbox."""

    platform = PLATFORM
    failures = (RetryLater, PermanentFailure)

    def __init__(self, gateway: WebGateway, person: Person, message_id: str | None) -> None:
        self.gateway = gateway
        self.me = Recipient(person.id, PLATFORM, WORKSPACE, person.id)
        self.message_id = message_id

    async def update_prompt(self, replies: list[Reply]) -> None:
        """Replace the pressed message; a message gone from the inbox is sent anew instead."""
        inbox = self.me.external_id
        if self.message_id and self.gateway.find(inbox, self.message_id) is not None:
            await self.gateway.update(MessageRef(PLATFORM, WORKSPACE, inbox, self.message_id),
                                      replies)
        elif replies:
            await self.gateway.send(self.me, replies)

    async def reply(self, replies: list[Reply]) -> None:
        """A message in the person's conversation."""
        await self.gateway.send(self.me, replies)

    async def post_public(self, team_id: str | None, replies: list[Reply]) -> None:
        """A post in the team's channel; without a team the page has no channel to show it in."""
        if team_id:
            self.gateway.post_channel(team_id, replies)

    def public_failed(self, t: Translator) -> Notice | None:
        """Posting to an in-memory channel does not fail: nothing to say."""
        return None
