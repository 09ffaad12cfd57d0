"""Slack's surface for the bot's performer: where prompt updates, replies and team posts go."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError

from adapters.slack.gateway import SlackGateway
from adapters.slack.parse import PLATFORM, PromptRef
from bot.i18n import Translator
from bot.intents import Actor
from bot.ports import MessageRef
from bot.replies import Notice, Reply
from pulse.core.errors import PermanentFailure, RetryLater

SlackFailure = (PermanentFailure, RetryLater, SlackApiError, aiohttp.ClientError,
                asyncio.TimeoutError)


@dataclass(frozen=True)
class Where:
    """Where the actor acted: the conversation, and the prompt message they pressed, if any."""

    channel: str | None = None
    prompt: PromptRef | None = None
    response_url: str | None = None  # given by Slack with commands and button presses


class SlackSurface:
    """One Slack interaction: the prompt pressed, the actor's response_url or DM, the channels."""

    platform = PLATFORM
    failures = SlackFailure

    def __init__(self, gateway: SlackGateway, channels: dict[str, str], actor: Actor,
                 where: Where) -> None:
        self.gateway = gateway
        self.channels = channels  # Miroir team id → Slack channel for public kudos
        self.actor = actor
        self.where = where

    async def update_prompt(self, replies: list[Reply]) -> None:
        """The pressed survey prompt becomes what the dialog says (next question, thank-you)."""
        prompt = self.where.prompt
        if prompt is not None:
            ref = MessageRef(PLATFORM, self.actor.workspace, prompt.channel, prompt.ts)
            await self.gateway.update(ref, replies)

    async def reply(self, replies: list[Reply]) -> None:
        """Only the actor sees it: through response_url when Slack gave one, else in the DM."""
        if self.where.response_url:
            await self.gateway.respond(self.where.response_url, replies)
            return
        channel = await self.gateway.dm_channel(self.actor.workspace, self.actor.external_id)
        await self.gateway.post(self.actor.workspace, channel, replies)

    async def post_public(self, team_id: str | None, replies: list[Reply]) -> None:
        """Kudos in the team's configured channel, else where the command was typed."""
        channel = self.channels.get(team_id or "") or self.where.channel
        if not channel:
            raise PermanentFailure("no channel")
        await self.gateway.post(self.actor.workspace, channel, replies)

    def public_failed(self, t: Translator) -> Notice:
        """The kudos reached their recipients; the channel post is what failed."""
        return Notice(t.gettext("Your kudos were sent to the recipients, but I could not post "
                                "them in the team channel: invite me there with /invite @Miroir."))
