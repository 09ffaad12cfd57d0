"""Teams' surface for the bot's performer: the card pressed, the chat, the team channels."""

from __future__ import annotations

import asyncio
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ErrorResponseException
from msrest.exceptions import ClientRequestError

from adapters.teams import parse, render
from adapters.teams.gateway import TeamsGateway, message_activity
from bot.i18n import Translator
from bot.intents import Actor
from bot.replies import Notice, Reply
from pulse.core.errors import PermanentFailure, RetryLater

TeamsFailure = (PermanentFailure, RetryLater, ErrorResponseException, ClientRequestError,
                asyncio.TimeoutError, ConnectionError)
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"


def message_body(text: str) -> dict[str, Any]:
    """A Universal Actions 'message' response: Teams shows the text, the card stays."""
    return {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": text}


class TeamsSurface:
    """One Teams turn. In a message turn the pressed card is updated in place; for an
    Action.Execute invoke the new card, or the notices, travel back in the HTTP answer."""

    platform = parse.PLATFORM
    failures = TeamsFailure

    def __init__(self, ctx: TurnContext, gateway: TeamsGateway, channels: dict[str, str],
                 universal: bool, actor: Actor, prompt_id: str | None = None,
                 invoke: bool = False) -> None:
        self.ctx = ctx
        self.gateway = gateway
        self.channels = channels  # Miroir team id → Teams channel id for public kudos
        self.universal = universal
        self.actor = actor
        self.prompt_id = prompt_id  # the card an Action.Submit came from
        self.invoke = invoke
        self.card: list[Reply] | None = None  # an invoke's new card
        self.notices: list[Reply] = []  # an invoke's replies when the card stays as it is

    async def update_prompt(self, replies: list[Reply]) -> None:
        """Replace the pressed card (an invoke answers with it instead)."""
        if self.invoke:
            self.card = replies
        elif self.prompt_id:
            update = self.activity(replies)
            update.id = self.prompt_id
            update.conversation = self.ctx.activity.conversation
            await self.ctx.update_activity(update)

    async def reply(self, replies: list[Reply]) -> None:
        """A message in the chat the actor wrote in (beside an invoke's card, or its answer)."""
        if self.invoke and self.card is None:
            self.notices.extend(replies)
            return
        await self.ctx.send_activity(self.activity(replies))

    async def post_public(self, team_id: str | None, replies: list[Reply]) -> None:
        """Kudos in the team's configured channel, else in the channel or group chat typed in."""
        channel = self.channels.get(team_id or "")
        if channel:
            await self.gateway.post_to(self.actor.workspace, channel, replies)
        elif parse.conversation_type(self.ctx.activity) != "personal":
            await self.ctx.send_activity(self.activity(replies))
        else:
            raise PermanentFailure("no channel")

    def public_failed(self, t: Translator) -> Notice:
        """The kudos reached their recipients; the channel post is what failed."""
        return Notice(t.gettext("Your kudos were sent to the recipients, but I could not post "
                                "them in a team channel: add Miroir to your team in Teams."))

    def invoke_answer(self) -> dict[str, Any]:
        """The body of an Action.Execute answer: the new card, else the notices' text."""
        if self.card is not None:
            return {"statusCode": 200, "type": render.CARD_TYPE,
                    "value": render.card(self.card, self.universal)}
        return message_body(render.notice_text(self.notices) or "OK")

    def activity(self, replies: list[Reply]) -> Activity:
        """A card message for these replies."""
        return message_activity(replies, self.universal)
