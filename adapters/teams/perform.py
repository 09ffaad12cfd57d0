"""Run dialogs for Teams intents and perform their Outcome the Teams way."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from logging import getLogger
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ErrorResponseException
from msrest.exceptions import ClientRequestError

from adapters.teams import parse
from adapters.teams.gateway import TeamsGateway, message_activity
from bot import dialogs
from bot.i18n import translator
from bot.intents import Actor, AnswerIntent, Intent
from bot.outcome import Outcome, deliver_all
from bot.replies import Notice, Reply
from bot.runtime import Runtime
from pulse.core.errors import PermanentFailure, RetryLater

log = getLogger(__name__)
TeamsFailure = (PermanentFailure, RetryLater, ErrorResponseException, ClientRequestError,
                asyncio.TimeoutError, ConnectionError)


class Conversation:
    """Intents in, dialogs run, Outcome performed: card update, replies, DMs, team post."""

    def __init__(self, runtime: Runtime, gateway: TeamsGateway, channels: dict[str, str],
                 universal: bool = True) -> None:
        self.runtime = runtime
        self.gateway = gateway
        self.channels = channels  # Miroir team id → Teams channel id for public kudos
        self.universal = universal

    async def run(self, intent: Intent) -> Outcome:
        """One dialog; they use the synchronous store, so off the event loop."""
        return await asyncio.to_thread(dialogs.decide, self.runtime, intent)

    async def run_card(self, intents: list[Intent]) -> Outcome:
        """A card press: the answer first; the comment typed beside it only if the answer counted.

        So a replayed or double-clicked press stores neither the answer nor the comment twice.
        """
        outcome = await self.run(intents[0])
        if isinstance(intents[0], AnswerIntent) and outcome.replace_prompt is None:
            return outcome
        for intent in intents[1:]:
            more = await self.run(intent)
            outcome.replies.extend(more.replies)
        return outcome

    async def perform(self, ctx: TurnContext, outcome: Outcome, actor: Actor,
                      prompt_id: str | None) -> None:
        """In a message turn: replace the pressed card, reply, then deliveries and team post."""
        if outcome.replace_prompt is not None and prompt_id:
            update = self.activity(outcome.replace_prompt)
            update.id = prompt_id
            update.conversation = ctx.activity.conversation
            await self.safely("update card", ctx.update_activity(update))
        if outcome.replies:
            await self.safely("reply", ctx.send_activity(self.activity(outcome.replies)))
        await self.perform_others(ctx, outcome, actor)

    async def perform_others(self, ctx: TurnContext, outcome: Outcome, actor: Actor) -> None:
        """What goes to other people: kudos DMs (any platform) and the team channel post."""
        await deliver_all(self.runtime.gateways, outcome.deliveries, TeamsFailure)
        if outcome.public:
            await self.post_public(ctx, outcome, actor)

    async def post_public(self, ctx: TurnContext, outcome: Outcome, actor: Actor) -> None:
        """Kudos in the team's configured channel, else in the channel or group chat typed in."""
        channel = self.channels.get(outcome.team_id or "")
        failure: BaseException | None = None
        try:
            if channel:
                await self.gateway.post_to(actor.workspace, channel, outcome.public)
                return
            if parse.conversation_type(ctx.activity) != "personal":
                await ctx.send_activity(self.activity(outcome.public))
                return
        except TeamsFailure as exc:
            failure = exc
        log.warning("public post for team %s failed: %s", outcome.team_id,
                    failure or "no channel")
        person = await asyncio.to_thread(self.runtime.store.person_by_identity, actor.platform,
                                         actor.workspace, actor.external_id)
        _ = translator(person.locale if person else None).gettext
        notice = Notice(_("Your kudos were sent to the recipients, but I could not post them in "
                          "a team channel: add Miroir to your team in Teams."))
        await self.safely("reply", ctx.send_activity(self.activity([notice])))

    def activity(self, replies: list[Reply]) -> Activity:
        """A card message for these replies."""
        return message_activity(replies, self.universal)

    @staticmethod
    async def safely(what: str, call: Awaitable[Any]) -> None:
        """Await a connector call; log its failure instead of failing the whole outcome."""
        try:
            await call
        except TeamsFailure as exc:
            log.warning("teams %s failed: %s", what, exc)

