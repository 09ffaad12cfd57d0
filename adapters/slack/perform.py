"""Run a dialog for a Slack intent and perform its Outcome the Slack way."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from logging import getLogger
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError

from adapters.slack.gateway import SlackGateway
from adapters.slack.identity import Identities
from adapters.slack.parse import PLATFORM, PromptRef
from bot import dialogs
from bot.i18n import translator
from bot.intents import Actor, Intent
from bot.outcome import Outcome, deliver_all
from bot.ports import MessageRef
from bot.replies import Notice, Reply
from bot.runtime import Runtime
from pulse.core.errors import PermanentFailure, RetryLater

log = getLogger(__name__)
SlackFailure = (PermanentFailure, RetryLater, SlackApiError, aiohttp.ClientError,
                asyncio.TimeoutError)


@dataclass(frozen=True)
class Where:
    """Where the actor acted: the conversation, and the prompt message they pressed, if any."""

    channel: str | None = None
    prompt: PromptRef | None = None
    response_url: str | None = None  # given by Slack with commands and button presses


class Conversation:
    """Intent in, dialog run, Outcome performed: replies, prompt update, DMs, team post."""

    def __init__(self, runtime: Runtime, gateway: SlackGateway, identities: Identities,
                 channels: dict[str, str], workers: int = 4) -> None:
        self.runtime = runtime
        self.gateway = gateway
        self.identities = identities
        self.channels = channels  # Miroir team id → Slack channel for public kudos
        self.workers = workers
        self._slots: asyncio.Semaphore | None = None

    async def run(self, intent: Intent, where: Where) -> Outcome:
        """Link the actor by email if needed, run the dialog, perform what it decided."""
        # Post-ack work takes turns: under a burst the acks (Slack's 3-second rule) stay fast
        # and the work drains behind them, instead of everything slowing down together.
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        async with self._slots:
            await self.identities.person(intent.actor.workspace, intent.actor.external_id)
            # Dialogs use the synchronous store: run them off the event loop.
            outcome = await asyncio.to_thread(dialogs.decide, self.runtime, intent)
            await self.perform(outcome, intent.actor, where)
        return outcome

    async def perform(self, outcome: Outcome, actor: Actor, where: Where) -> None:
        """Each part on its own: one failing (a DM refused) does not stop the others."""
        if outcome.replace_prompt is not None and where.prompt is not None:
            ref = MessageRef(PLATFORM, actor.workspace, where.prompt.channel, where.prompt.ts)
            await self.safely("update prompt", self.gateway.update(ref, outcome.replace_prompt))
        if outcome.replies:
            await self.safely("reply", self.reply(actor, where, outcome.replies))
        await deliver_all(self.runtime.gateways, outcome.deliveries, SlackFailure)
        if outcome.public:
            await self.post_public(outcome, actor, where)

    async def reply(self, actor: Actor, where: Where, replies: list[Reply]) -> None:
        """Only the actor sees it: through response_url when Slack gave one, else in the DM."""
        if where.response_url:
            await self.gateway.respond(where.response_url, replies)
            return
        channel = await self.gateway.dm_channel(actor.workspace, actor.external_id)
        await self.gateway.post(actor.workspace, channel, replies)

    async def post_public(self, outcome: Outcome, actor: Actor, where: Where) -> None:
        """Kudos in the team's configured channel, else where the command was typed."""
        channel = self.channels.get(outcome.team_id or "") or where.channel
        failure = None
        if channel:
            try:
                await self.gateway.post(actor.workspace, channel, outcome.public)
                return
            except SlackFailure as exc:
                failure = exc
        log.warning("public post for team %s failed: %s", outcome.team_id, failure or "no channel")
        person = self.runtime.store.person_by_identity(PLATFORM, actor.workspace, actor.external_id)
        _ = translator(person.locale if person else None).gettext
        notice = Notice(_("Your kudos were sent to the recipients, but I could not post them in "
                          "the team channel: invite me there with /invite @Miroir."))
        await self.safely("reply", self.reply(actor, where, [notice]))

    @staticmethod
    async def safely(what: str, call: Awaitable[Any]) -> None:
        """Await a Slack call; log its failure instead of failing the whole outcome."""
        try:
            await call
        except SlackFailure as exc:
            log.warning("slack %s failed: %s", what, exc)
