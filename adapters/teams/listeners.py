"""The Teams bot: one handler per activity kind, each thin (parse, run the dialog, perform)."""

from __future__ import annotations

import asyncio
from logging import getLogger
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler

from adapters.teams import parse
from adapters.teams.gateway import TeamsGateway
from adapters.teams.identity import Members
from adapters.teams.references import ReferenceStore
from adapters.teams.surface import TeamsSurface, message_body
from bot.dedupe import SeenKeys
from bot.dialogs import decide
from bot.dialogs.common import unknown_actor
from bot.i18n import translator
from bot.intents import Actor, AnswerIntent, Intent, KudosIntent
from bot.outcome import Outcome
from bot.perform import perform
from bot.replies import Notice
from bot.runtime import Runtime
from pulse.core.model import Person

log = getLogger(__name__)
ERROR_RESPONSE = "application/vnd.microsoft.error"


def invoke_body(body: dict[str, Any]) -> InvokeResponse:
    """An invoke's HTTP answer: 200, the Universal Actions response in the body."""
    return InvokeResponse(status=200, body=body)


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    """A Universal Actions error response."""
    return {"statusCode": status, "type": ERROR_RESPONSE,
            "value": {"code": code, "message": message}}


def apology() -> Notice:
    """What a person reads when a turn fails on our side; we may not know their language."""
    lines = [translator(code).gettext("Sorry, something went wrong on my side. Please try "
                                      "again in a moment.") for code in ("fr", "en")]
    return Notice("\n".join(lines))


class MiroirTeamsBot(TeamsActivityHandler):
    """Pulse answers (Action.Submit and Action.Execute), typed commands, references kept."""

    def __init__(self, runtime: Runtime, gateway: TeamsGateway, members: Members,
                 references: ReferenceStore, channels: dict[str, str],
                 universal: bool = True) -> None:
        self.runtime = runtime
        self.gateway = gateway
        self.members = members
        self.references = references
        self.channels = channels  # Miroir team id → Teams channel id for public kudos
        self.universal = universal
        self.seen = SeenKeys()
        self._saved: set[tuple[str, str, str, str | None]] = set()

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        act = turn_context.activity
        if act.id and not self.seen.first_time(f"{act.conversation.id}/{act.id}"):
            return  # a retried delivery of a message already handled
        actor, person = await self.who(turn_context)
        data = parse.submitted_data(act)
        if data is not None:  # Action.Submit: a message whose value is the card's data
            intents = parse.card_intents(actor, data)
            if intents:
                outcome = await self.run(intents, person)
                surface = self.surface(turn_context, actor, prompt_id=act.reply_to_id)
                await perform(outcome, surface, self.runtime.gateways, person)
            return
        intent = parse.text_intent(actor, parse.command_text(act)) or parse.fallback_help(actor)
        if isinstance(intent, KudosIntent) and person is not None:
            intent = await self.resolve_mentions(turn_context, intent)
        outcome = await self.run([intent], person)
        await perform(outcome, self.surface(turn_context, actor), self.runtime.gateways,
                      person)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name != "adaptiveCard/action":
            return await super().on_invoke_activity(turn_context)  # others: 501 (not ours)
        # Answered here rather than through on_adaptive_card_invoke: msrest cannot serialize
        # the string value of a "message" response, and botbuilder's own error bodies hold an
        # Exception. Universal Actions expect HTTP 200 with the status inside the body.
        value = turn_context.activity.value
        action = value.get("action") if isinstance(value, dict) else None
        if not isinstance(action, dict) or action.get("type") != "Action.Execute":
            return invoke_body(error_body(400, "NotSupported", "Only Action.Execute is invoked."))
        actor, person = await self.who(turn_context)
        intents = parse.card_intents(actor, parse.executed_data(action))
        if not intents:
            return invoke_body(error_body(400, "BadRequest", "This card action is not Miroir's."))
        act = turn_context.activity
        if act.id and not self.seen.first_time(f"{act.conversation.id}/{act.id}"):
            # A replayed (or retried) press: acted on once; card intents are answers.
            t = translator(person.locale if person else "en")
            return invoke_body(message_body(
                t.gettext("Your answer was already counted; nothing changed.")))
        try:
            outcome = await self.run(intents, person)
            surface = self.surface(turn_context, actor, invoke=True)
            await perform(outcome, surface, self.runtime.gateways, person)
            return invoke_body(surface.invoke_answer())
        except Exception:  # the card shows our message instead of Teams' generic error
            log.exception("Teams card action failed")
            return invoke_body(message_body(apology().text))

    async def run(self, intents: list[Intent], person: Person | None) -> Outcome:
        """The turn's dialogs in one transaction, off the event loop (the store is synchronous)."""
        if person is None:
            return unknown_actor()
        return await asyncio.to_thread(self.decide_all, intents, person)

    def decide_all(self, intents: list[Intent], person: Person) -> Outcome:
        """A card press: the answer first; the comment typed beside it only if the answer counted.

        So a replayed or double-clicked press stores neither the answer nor the comment twice.
        """
        with self.runtime.store.batch():
            outcome = decide(self.runtime, intents[0], person)
            if isinstance(intents[0], AnswerIntent) and outcome.replace_prompt is None:
                return outcome
            for intent in intents[1:]:
                outcome.replies.extend(decide(self.runtime, intent, person).replies)
        return outcome

    def surface(self, ctx: TurnContext, actor: Actor, prompt_id: str | None = None,
                invoke: bool = False) -> TeamsSurface:
        """Where this turn's outcome goes."""
        return TeamsSurface(ctx, self.gateway, self.channels, self.universal, actor, prompt_id,
                            invoke)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self.who(turn_context)  # keeps the reference: Miroir can then write first

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        if parse.conversation_type(turn_context.activity) != "personal":
            await self.remember(turn_context, None)  # added to a team: its channel for kudos
        else:
            await self.who(turn_context)
        await super().on_conversation_update_activity(turn_context)

    async def who(self, ctx: TurnContext) -> tuple[Actor, Person | None]:
        """The actor and, when Miroir knows them, the person (linked and their chat kept)."""
        act = ctx.activity
        actor = parse.actor_of(act)
        user = act.from_property
        if user is None or not user.id:
            return actor, None
        person, aad = await self.members.member(ctx, actor.workspace, user.id,
                                                actor.external_id or None)
        actor = Actor(actor.platform, actor.workspace, aad or actor.external_id)
        if person is not None:
            await self.remember(ctx, person, actor.external_id)
        return actor, person

    async def remember(self, ctx: TurnContext, person: Person | None,
                       aad: str | None = None) -> None:
        """Store the conversation reference; 1:1 chats only for people Miroir knows."""
        act = ctx.activity
        kind = parse.conversation_type(act)
        ms_tenant = parse.tenant_of(act)
        if not ms_tenant or not act.service_url or act.conversation is None:
            return
        if kind == "personal" and person is None:
            return  # nothing is stored about someone Miroir does not know
        ref = TurnContext.get_conversation_reference(act)
        ref.conversation.id = parse.channel_of(ref.conversation.id)
        ref.conversation.tenant_id = ms_tenant
        if kind == "personal":
            aad = aad or getattr(ref.user, "aad_object_id", None)
        else:
            aad, ref.user = None, None  # a channel's reference needs no sender
        key = (ms_tenant, ref.conversation.id, act.service_url, aad)
        if key in self._saved:
            return
        await asyncio.to_thread(self.references.save_teams_conversation, ms_tenant,
                                ref.conversation.id, kind, aad, act.service_url, ref.serialize())
        self._saved.add(key)

    async def resolve_mentions(self, ctx: TurnContext, intent: KudosIntent) -> KudosIntent:
        """Mentioned people become their object ids when Miroir knows them (linked by email)."""
        found = parse.mentions(ctx.activity)
        wanted = {name: uid for name, uid in found.items() if name in intent.recipients}
        results = await asyncio.gather(*(
            self.members.member(ctx, intent.actor.workspace, uid) for uid in wanted.values()))
        ids = {name: aad for name, (person, aad) in zip(wanted, results, strict=True)
               if person is not None and aad}
        return parse.with_recipients(intent, ids)
