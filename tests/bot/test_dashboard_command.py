"""`/miroir dashboard` on every platform: one parse rule, one dialog, a one-time link in FR/EN."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.db.store import SqlStore
from bot.dialogs import decide
from bot.intents import Actor, DashboardIntent, HelpIntent
from bot.parse import parse_command
from bot.replies import Notice
from bot.runtime import Runtime
from pulse.core.clock import FixedClock
from pulse.core.model import Locale, Person, Role, Tenant
from pulse.core.signin import LinkMaker, Signer, peek_link

ACTOR = Actor("slack", "T1", "U1")


def test_the_command_parses_in_both_languages() -> None:
    for text in ("/miroir dashboard", "/miroir tableau", "/MIROIR Tableau-de-bord",
                 "/miroir web"):
        assert parse_command(ACTOR, text) == DashboardIntent(ACTOR), text
    assert parse_command(ACTOR, "/miroir dashbored") == HelpIntent(ACTOR)


def test_teams_typed_words_reach_the_same_intent() -> None:
    from adapters.teams.parse import text_intent  # the teams extra

    actor = Actor("teams", "tid", "aad")
    for text in ("dashboard", "tableau", "miroir dashboard", "/miroir tableau"):
        assert text_intent(actor, text) == DashboardIntent(actor), text


def test_the_dialog_answers_with_a_personal_link(store: SqlStore) -> None:
    clock = FixedClock(datetime(2026, 3, 4, 9, 30, tzinfo=UTC))
    store.add_tenant(Tenant("acme", "Acme"))
    for person in (Person("fr1", "acme", "Ada", Role.MANAGER, Locale.FR),
                   Person("en1", "acme", "Bob", Role.CX_LEAD, Locale.EN)):
        store.add_person(person)
        store.link_identity("slack", "T1", person.id, person.id)
    runtime = Runtime(store=store, clock=clock)
    off = decide(runtime, DashboardIntent(Actor("slack", "T1", "en1")))
    assert off.replies == [Notice("The dashboard is not switched on for this server.")]
    signer = Signer("secret-for-this-test")
    runtime.signin_links = LinkMaker(signer, "https://m.example/dashboard/signin")
    for person_id, words in (("fr1", "expire dans 10 minutes"), ("en1", "expires in 10 minutes")):
        [reply] = decide(runtime, DashboardIntent(Actor("slack", "T1", person_id))).replies
        assert isinstance(reply, Notice) and reply.private and words in reply.text
        assert "https://m.example/dashboard/signin?t=" in reply.text
        token = reply.text.split("?t=")[1].split()[0]
        assert peek_link(store, signer, clock, token).id == person_id
