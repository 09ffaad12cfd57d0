"""'Send me a pulse now': open a round for the person's team and deliver it in the web chat.

The real cadence belongs to the scheduler; this is the demo's shortcut to the same use cases.
"""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

from adapters.web.gateway import PLATFORM, WORKSPACE
from bot.dialogs import survey_prompts
from bot.ports import ChatGateway, Recipient
from bot.replies import Reply
from bot.runtime import Runtime
from pulse.core.errors import NotFound
from pulse.core.model import Person, Role
from pulse.surveys import service as services
from pulse.surveys.model import PulseRound, Question, Scale

QUESTIONS_PER_PULSE = 2


def link_web_identities(runtime: Runtime, tenant_id: str) -> int:
    """Give every person of a tenant a web-chat identity (external id = person id)."""
    count = 0
    for person in runtime.store.list_people(tenant_id):
        runtime.store.link_identity(PLATFORM, WORKSPACE, person.id, person.id)
        count += 1
    return count


def web_recipient(runtime: Runtime, person: Person) -> Recipient | None:
    """The person's web-chat address, when they have one."""
    for platform, workspace, external_id in runtime.store.identities_of(person.id):
        if platform == PLATFORM and workspace == WORKSPACE:
            return Recipient(person.id, platform, workspace, external_id)
    return None


def pick_questions(bank: list[Question], rng: random.Random) -> list[Question]:
    """A few everyday 1–5 items; eNPS and moment-of-truth items stay with the scheduler."""
    pool = [q for q in bank if q.active and q.scale is Scale.AGREE5 and not q.moments]
    return rng.sample(pool, min(QUESTIONS_PER_PULSE, len(pool)))


async def send_pulse_now(
    runtime: Runtime, gateway: ChatGateway, person: Person, rng: random.Random | None = None
) -> PulseRound:
    """Open a round for the person's team and deliver the prompts to its web-chat members."""
    # The store is synchronous: open the round and word the prompts in a worker thread.
    pulse_round, messages = await asyncio.to_thread(open_demo_round, runtime, person, rng)
    for to, replies in messages:
        await gateway.send(to, replies)
    return pulse_round


def open_demo_round(
    runtime: Runtime, person: Person, rng: random.Random | None = None
) -> tuple[PulseRound, list[tuple[Recipient, list[Reply]]]]:
    """The round opened for the person's team, and the prompts for each web-chat member, in one
    transaction."""
    store = runtime.store
    today = runtime.clock.now().date()
    with store.batch():
        team_id = store.team_of(person.id, today)
        if team_id is None:
            raise NotFound("no_team")
        questions = pick_questions(store.list_questions(person.tenant_id),
                                   rng or random.Random())
        if not questions:
            raise NotFound("no_questions")
        # the team's advisers answer about their work and their manager; the requester always
        # gets it
        in_team = {m.person_id for m in store.memberships(person.tenant_id)
                   if m.team_id == team_id and m.covers(today)}
        advisers = {p.id for p in store.list_people(person.tenant_id)
                    if p.id in in_team and p.role is Role.ADVISER}
        members = sorted(advisers | {person.id})
        pulse_round = services.start_round(store, runtime.clock, person.tenant_id, team_id,
                                           {pid: questions for pid in members},
                                           duration=timedelta(days=3), kind="demo")
        messages = []
        for person_id in members:
            member = person if person_id == person.id else store.get_person(person_id)
            to = web_recipient(runtime, member) if member else None
            if member is not None and to is not None:
                messages.append((to, survey_prompts(runtime, member, pulse_round.id)))
    return pulse_round, messages
