"""The bolt AsyncApp: built by a factory, listeners thin (ack first, then the conversation)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from logging import getLogger
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import parse, render
from adapters.slack.gateway import SlackGateway
from adapters.slack.oauth import DbInstallationStore, DbStateStore
from adapters.slack.settings import SlackSettings
from adapters.slack.surface import SlackFailure, SlackSurface, Where
from bot.dedupe import SeenKeys
from bot.dialogs import handle_as
from bot.dialogs.common import unknown_actor
from bot.dialogs.prompts import comment_request
from bot.home import home_sections
from bot.i18n import translator
from bot.identity import Identities
from bot.intents import CommentIntent, Intent, KudosIntent
from bot.outcome import Outcome
from bot.parse import parse_command, parse_kudos
from bot.perform import perform, safely
from bot.replies import Notice
from bot.runtime import Runtime
from pulse.core.model import Person

log = getLogger(__name__)
SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")


class Conversation:
    """Slack turns: who is talking, the dialog (one transaction), the outcome performed."""

    def __init__(self, runtime: Runtime, gateway: SlackGateway, identities: Identities,
                 channels: dict[str, str], workers: int = 4) -> None:
        self.runtime = runtime
        self.gateway = gateway
        self.identities = identities
        self.channels = channels  # Miroir team id → Slack channel for public kudos
        self.workers = workers
        self._slots: asyncio.Semaphore | None = None

    async def run(self, intent: Intent, where: Where) -> Outcome:
        """Identify the actor (linked by email if needed), then their turn."""
        # Post-ack work takes turns: under a burst the acks (Slack's 3-second rule) stay fast
        # and the work drains behind them, instead of everything slowing down together.
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        async with self._slots:
            actor = intent.actor
            person = await self.identities.person(actor.workspace, actor.external_id)
            return await self.turn(intent, where, person)

    async def turn(self, intent: Intent, where: Where, person: Person | None) -> Outcome:
        """Run the dialog for an identified actor and perform what it decided."""
        outcome = await handle_as(self.runtime, intent, person)
        surface = SlackSurface(self.gateway, self.channels, intent.actor, where)
        await perform(outcome, surface, self.runtime.gateways, person)
        return outcome


def build_bolt(settings: SlackSettings, conversation: Conversation,
               installations: DbInstallationStore, states: DbStateStore) -> AsyncApp:
    """A multi-workspace bolt app whose listeners hand every intent to `conversation`."""
    assert settings.signing_secret and settings.client_id and settings.client_secret
    client = AsyncWebClient(base_url=settings.api_url)
    secret = settings.client_secret.get_secret_value()
    bolt = AsyncApp(
        signing_secret=settings.signing_secret.get_secret_value(),
        client=client,
        installation_store=installations,
        # Bot tokens only, and auth.test cached per token: by default bolt would query the
        # installation table and call auth.test on every single request. (bolt accepts an
        # AsyncAuthorize here although its type hint only names plain callables.)
        authorize=AsyncInstallationStoreAuthorize(
            installation_store=installations, client_id=settings.client_id, client_secret=secret,
            bot_only=True, cache_enabled=True, client=client, logger=log),  # type: ignore[arg-type]
        oauth_settings=AsyncOAuthSettings(
            client_id=settings.client_id, client_secret=secret,
            scopes=list(settings.scopes), installation_store=installations, state_store=states,
            install_path="/slack/install", redirect_uri_path="/slack/oauth_redirect"),
    )
    bolt.enable_token_revocation_listeners()
    register(bolt, conversation, SeenKeys())
    return bolt


def register(bolt: AsyncApp, conv: Conversation, seen: SeenKeys) -> None:
    """Attach every listener to `bolt` (decorators called here: no global app)."""

    @bolt.middleware
    async def dedupe_events(req: AsyncBoltRequest, body: dict[str, Any],
                            next: Callable[[], Awaitable[None]]) -> Any:
        # Runs after bolt verified the signature. Slack's retries of an event keep its
        # event_id; a captured request replayed within the signature's five minutes keeps its
        # signature (an HMAC of timestamp and body). Either way: acted on once.
        keys = [f"event:{body['event_id']}"] if body.get("event_id") else []
        signature = req.headers.get("x-slack-signature", [""])[0]
        if signature:
            keys.append(f"signature:{signature}")
        if not all([seen.first_time(key) for key in keys]):
            # Returning None without next() would make bolt answer 404 and Slack retry again.
            return BoltResponse(status=200, body="")
        return await next()

    @bolt.action(re.compile(rf"^{render.ANSWER_ACTION}_\d+$"))
    async def on_answer(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        intent = parse.answer_intent(body, action)
        if intent is not None:
            ref = parse.prompt_ref(body)
            await conv.run(intent, Where(ref.channel if ref else None, ref,
                                         body.get("response_url")))

    @bolt.action(render.COMMENT_ACTION)
    async def on_comment_button(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        actor, round_id = parse.actor_of(body), parse.comment_round(action)
        ref = parse.prompt_ref(body)
        person = await conv.identities.person(actor.workspace, actor.external_id)
        if person is None or round_id is None:  # the dialog explains, nothing is stored
            await conv.turn(CommentIntent(actor, round_id or "", ""),
                            Where(response_url=body.get("response_url")), person)
            return
        t = translator(person.locale)
        meta = {"channel": ref.channel, "ts": ref.ts} if ref else {}
        view = render.comment_modal(comment_request(t, round_id), t.gettext("Your comment"), meta)
        await safely("slack modal", conv.gateway.open_modal(actor.workspace, body["trigger_id"],
                                                            view), SlackFailure)

    @bolt.view(render.COMMENT_VIEW)
    async def on_comment(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        await ack()  # closes the modal; the dialog's answer comes as a message
        intent, ref = parse.comment_intent(body, view)
        if intent is not None:
            await conv.run(intent, Where(ref.channel if ref else None))

    @bolt.command("/kudos")
    async def on_kudos(ack: Any, command: dict[str, Any]) -> None:
        await ack()
        actor, parsed = parse.actor_of(command), parse_kudos(command.get("text") or "")
        mentioned = [h for h in parsed.handles if SLACK_USER.match(h)]
        await asyncio.gather(*(conv.identities.person(actor.workspace, h) for h in mentioned))
        intent = KudosIntent(actor, parsed.handles, parsed.message, parsed.value_tag,
                             parsed.public)
        await conv.run(intent, where(command))

    @bolt.command("/irritant")
    async def on_irritant(ack: Any, command: dict[str, Any]) -> None:
        await ack()
        await conv.run(parse.irritant_intent(command), where(command))

    @bolt.command("/miroir")
    async def on_miroir(ack: Any, command: dict[str, Any]) -> None:
        await ack()
        intent = parse_command(parse.actor_of(command), f"/miroir {command.get('text') or ''}")
        if intent is not None:
            await conv.run(intent, where(command))

    @bolt.event("app_home_opened")
    async def on_home(event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        workspace, user_id = parse.workspace_of(body), str(event.get("user", ""))
        person = await conv.identities.person(workspace, user_id)
        if person is None:
            sections = [unknown_home()]
        else:
            sections = await asyncio.to_thread(home_sections, conv.runtime, person)
        await safely("slack home", conv.gateway.publish_home(workspace, user_id,
                                                             render.home_view(sections)),
                     SlackFailure)


def where(command: dict[str, Any]) -> Where:
    """Where a slash command was typed, and its response_url."""
    return Where(command.get("channel_id"), None, command.get("response_url"))


def unknown_home() -> tuple[str, list[str]]:
    """The home tab of someone Miroir does not know: the dialogs' refusal, in both languages."""
    reply = unknown_actor().replies[0]
    return ("Miroir", reply.text.splitlines() if isinstance(reply, Notice) else [])
