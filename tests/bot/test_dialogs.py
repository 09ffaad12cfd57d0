"""Dialogs against the real store (SQLite and PostgreSQL), in French and in English."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from adapters.db.store import SqlStore
from bot.dialogs import handle, survey_prompts
from bot.intents import (
    Actor,
    AnswerIntent,
    CommentIntent,
    HelpIntent,
    IrritantIntent,
    KudosIntent,
    LanguageIntent,
)
from bot.ports import Recipient
from bot.replies import CommentRequest, Help, KudosPost, Notice, SurveyPrompt, ThankYou
from bot.runtime import Runtime
from pulse.core.clock import FixedClock
from pulse.core.model import Locale, Membership, Person, Role, Team, Tenant
from pulse.surveys import service as services
from pulse.surveys.model import Pillar, Question, Scale

Q1 = Question("q-tools", Pillar.TOOLS, Scale.AGREE5, "Mes outils m'aident.", "My tools help me.")
Q2 = Question("q-enps", Pillar.ENPS, Scale.NPS11, "Recommanderiez-vous l'équipe ?",
              "Would you recommend the team?")
ADA = Person("p1", "acme", "Ada", Role.ADVISER, Locale.FR, email="ada@example.com")
BOB = Person("p2", "acme", "Bob Martin", Role.MANAGER, Locale.EN)
CHLOE = Person("p3", "acme", "Chloé", Role.ADVISER, Locale.FR)


def web(person: Person) -> Actor:
    return Actor("web", "local", person.id)


@pytest.fixture
def runtime(store: SqlStore, clock: FixedClock) -> Runtime:
    store.add_tenant(Tenant("acme", "Acme", locale=Locale.FR))
    store.add_team(Team("t1", "acme", "Support FR"))
    for person in (ADA, BOB, CHLOE):
        store.add_person(person)
        store.add_membership(Membership(person.id, "t1", date(2026, 1, 1)))
        store.link_identity("web", "local", person.id, person.id)
    store.link_identity("slack", "T1", "U-BOB", BOB.id)
    store.add_question(Q1)
    store.add_question(Q2)
    return Runtime(store=store, clock=clock, k_scores=5, k_comments=10)


def open_round(runtime: Runtime, hours: int = 72) -> str:
    questions = {p.id: [Q1, Q2] for p in (ADA, BOB, CHLOE)}
    return services.start_round(runtime.store, runtime.clock, "acme", "t1", questions,
                                duration=timedelta(hours=hours)).id


def only_notice(outcome: object) -> str:
    replies = outcome.replies  # type: ignore[attr-defined]
    assert len(replies) == 1 and isinstance(replies[0], Notice)
    assert outcome.replace_prompt is None and not outcome.deliveries  # type: ignore[attr-defined]
    return str(replies[0].text)


async def test_survey_prompts_in_the_person_language(runtime: Runtime) -> None:
    rid = open_round(runtime)
    fr = survey_prompts(runtime, ADA, rid)
    en = survey_prompts(runtime, BOB, rid)
    assert [type(p) for p in fr] == [SurveyPrompt, SurveyPrompt]
    first, second = fr
    assert isinstance(first, SurveyPrompt) and isinstance(second, SurveyPrompt)
    assert first.question == "Mes outils m'aident." and first.intro.startswith("Bonjour Ada")
    assert [c.value["value"] for c in first.choices] == [1, 2, 3, 4, 5]
    assert first.choices[3].value == {"round_id": rid, "question_id": "q-tools", "value": 4}
    assert len(second.choices) == 11 and second.low_label == "Pas du tout probable"
    assert first.footer == "" and "5" in second.footer
    assert isinstance(en[0], SurveyPrompt) and en[0].question == "My tools help me."
    assert en[0].low_label == "Strongly disagree" and en[0].comment_label == "Add a comment"
    assert survey_prompts(runtime, ADA, "no-such-round") == []


async def test_answer_then_next_question_then_thanks_with_promise(runtime: Runtime) -> None:
    rid = open_round(runtime)
    first = await handle(runtime, AnswerIntent(web(ADA), rid, "q-tools", 4))
    assert first.replace_prompt is not None and len(first.replace_prompt) == 1
    nxt = first.replace_prompt[0]
    assert isinstance(nxt, SurveyPrompt) and nxt.question_id == "q-enps"
    assert nxt.intro == "C'est noté. Encore une question\u00a0:"
    done = await handle(runtime, AnswerIntent(web(ADA), rid, "q-enps", 9))
    assert done.replace_prompt is not None
    thanks, offer = done.replace_prompt
    assert isinstance(thanks, ThankYou) and thanks.title == "Merci Ada\u00a0!"
    assert "à partir de 5 répondants" in thanks.text
    assert "au moins 10" in thanks.text
    assert isinstance(offer, CommentRequest) and offer.round_id == rid
    assert {(a.question_id, a.value) for a in runtime.store.round_answers(rid, ADA.id)} == {
        ("q-tools", 4), ("q-enps", 9)}
    assert survey_prompts(runtime, ADA, rid) == []


async def test_english_thanks_names_both_thresholds(runtime: Runtime) -> None:
    runtime.k_scores, runtime.k_comments = 7, 12
    rid = open_round(runtime)
    await handle(runtime, AnswerIntent(web(BOB), rid, "q-tools", 5))
    done = await handle(runtime, AnswerIntent(web(BOB), rid, "q-enps", 10))
    assert done.replace_prompt is not None
    thanks = done.replace_prompt[0]
    assert isinstance(thanks, ThankYou) and thanks.title == "Thank you, Bob Martin!"
    assert "at least 7 people" in thanks.text and "at least 12" in thanks.text


async def test_duplicate_answer_changes_nothing(runtime: Runtime) -> None:
    rid = open_round(runtime)
    await handle(runtime, AnswerIntent(web(ADA), rid, "q-tools", 4))
    again = await handle(runtime, AnswerIntent(web(ADA), rid, "q-tools", 1))
    assert "déjà été prise en compte" in only_notice(again)
    again_en = await handle(runtime, AnswerIntent(web(BOB), rid, "q-tools", 2))
    assert again_en.replace_prompt is not None
    dup = await handle(runtime, AnswerIntent(web(BOB), rid, "q-tools", 3))
    assert only_notice(dup) == "Your answer was already counted; nothing changed."
    assert [a.value for a in runtime.store.round_answers(rid, ADA.id)] == [4]
    assert [a.value for a in runtime.store.round_answers(rid, BOB.id)] == [2]


async def test_closed_round_and_out_of_scale_store_nothing(
    runtime: Runtime, clock: FixedClock
) -> None:
    rid = open_round(runtime, hours=1)
    off = await handle(runtime, AnswerIntent(web(ADA), rid, "q-tools", 6))
    assert "(1 à 5)" in only_notice(off)
    off_en = await handle(runtime, AnswerIntent(web(BOB), rid, "q-enps", 11))
    assert "(0 to 10)" in only_notice(off_en)
    clock.advance(timedelta(hours=2))
    closed = await handle(runtime, AnswerIntent(web(BOB), rid, "q-tools", 3))
    assert only_notice(closed).startswith("This pulse is closed")
    closed_comment = await handle(runtime, CommentIntent(web(ADA), rid, "Trop tard ?"))
    assert "clos" in only_notice(closed_comment)
    assert survey_prompts(runtime, ADA, rid) == []
    assert runtime.store.round_answers(rid, ADA.id) == []
    assert runtime.store.round_answers(rid, BOB.id) == []
    assert runtime.store.list_comments("acme") == []


async def test_unknown_actor_and_uninvited_question(runtime: Runtime) -> None:
    rid = open_round(runtime)
    stranger = await handle(runtime, AnswerIntent(Actor("web", "local", "nobody"), rid,
                                                  "q-tools", 3))
    text = only_notice(stranger)
    assert "Je ne vous connais pas" in text and "I don't know you" in text
    other = await handle(runtime, AnswerIntent(web(ADA), rid, "q-missing", 3))
    assert "ne fait pas partie" in only_notice(other)
    assert runtime.store.round_answers(rid, ADA.id) == []


async def test_comment_is_stored_with_the_round(runtime: Runtime) -> None:
    rid = open_round(runtime)
    await handle(runtime, AnswerIntent(web(ADA), rid, "q-tools", 2))
    ok = await handle(runtime, CommentIntent(web(ADA), rid, "  Le CRM plante le lundi. "))
    assert "Merci pour votre commentaire" in only_notice(ok)
    empty = await handle(runtime, CommentIntent(web(BOB), rid, "   "))
    assert only_notice(empty) == "Your comment was empty, so nothing was stored."
    elsewhere = await handle(runtime, CommentIntent(web(BOB), "no-such-round", "hello"))
    assert "cannot be attached" in only_notice(elsewhere)
    [stored] = runtime.store.list_comments("acme")
    assert (stored.person_id, stored.round_id, stored.source) == (ADA.id, rid, "pulse")
    assert stored.text == "Le CRM plante le lundi." and stored.team_id == "t1"
    assert stored.pulse_score == pytest.approx(2.5)


async def test_irritant_fr_and_en(runtime: Runtime) -> None:
    fr = await handle(runtime, IrritantIntent(web(ADA), "Le logiciel de planning rame."))
    assert "votre nom et les @mentions sont retirés" in only_notice(fr)
    en = await handle(runtime, IrritantIntent(web(BOB), "Headsets crackle"))
    assert "your name and any @mentions are removed" in only_notice(en)
    usage = await handle(runtime, IrritantIntent(web(BOB), "  "))
    assert "/irritant" in only_notice(usage)
    too_long = await handle(runtime, IrritantIntent(web(ADA), "x" * 5000))
    assert "2000" in only_notice(too_long)
    stored = sorted((c.person_id, c.source, c.text, c.team_id)
                    for c in runtime.store.list_comments("acme"))
    assert stored == [(ADA.id, "irritant", "Le logiciel de planning rame.", "t1"),
                      (BOB.id, "irritant", "Headsets crackle", "t1")]


async def test_kudos_to_two_people_with_value(runtime: Runtime) -> None:
    intent = KudosIntent(web(BOB), ("p1", "chloé"), "Great save on the outage call", "entraide")
    outcome = await handle(runtime, intent)
    assert [r.text for r in outcome.replies if isinstance(r, Notice)] == [
        "Kudos sent to Ada and Chloé, and shared with the team."]
    assert {d.to for d in outcome.deliveries} == {Recipient("p1", "web", "local", "p1"),
                                                  Recipient("p3", "web", "local", "p3")}
    to_ada = next(d for d in outcome.deliveries if d.to.person_id == "p1").replies[0]
    assert isinstance(to_ada, KudosPost)
    assert to_ada.headline == "Bob Martin vous remercie, ainsi que Chloé"  # Ada reads French
    assert to_ada.value_tag == "entraide" and to_ada.message == "Great save on the outage call"
    [post] = outcome.public
    assert isinstance(post, KudosPost) and post.headline == "Kudos de Bob Martin pour Ada et Chloé"
    assert outcome.team_id == "t1"
    [stored] = runtime.store.kudos_received("p3")
    assert stored.sender_id == BOB.id and set(stored.recipient_ids) == {"p1", "p3"}
    assert stored.value_tag == "entraide" and stored.public is True


async def test_private_kudos_in_french_by_email_handle_over_slack(runtime: Runtime) -> None:
    intent = KudosIntent(Actor("web", "local", "p3"), ("ada@example.com",), "Merci !",
                         None, public=False)
    outcome = await handle(runtime, intent)
    assert only_or_first(outcome) == "Kudos envoyés en privé à Ada."
    assert outcome.public == [] and len(outcome.deliveries) == 1
    slack = await handle(runtime, KudosIntent(Actor("slack", "T1", "U-BOB"), ("p1",), "Thanks"))
    assert slack.deliveries == []  # Ada has no Slack account: no DM, kudos still stored
    assert len(runtime.store.kudos_received("p1")) == 2


def only_or_first(outcome: object) -> str:
    return str(outcome.replies[0].text)  # type: ignore[attr-defined]


async def test_self_kudos_and_unknown_recipients_store_nothing(runtime: Runtime) -> None:
    self_fr = await handle(runtime, KudosIntent(web(ADA), ("p1",), "Bravo moi"))
    assert "vous-même" in only_notice(self_fr)
    self_en = await handle(runtime, KudosIntent(web(BOB), ("p1", "Bob Martin"), "Go team"))
    assert "yourself" in only_notice(self_en)
    unknown = await handle(runtime, KudosIntent(web(BOB), ("p1", "zed", "yan"), "Thanks"))
    assert only_notice(unknown) == ("I could not find @zed and @yan in Miroir, so nothing was "
                                    "sent. Check the names and try again.")
    unknown_fr = await handle(runtime, KudosIntent(web(ADA), ("zed",), "Merci"))
    assert "Je n'ai pas trouvé @zed" in only_notice(unknown_fr)
    usage = await handle(runtime, KudosIntent(web(ADA), (), "Merci"))
    assert "/kudos @nom" in only_notice(usage)
    for person in (ADA, BOB, CHLOE):
        assert runtime.store.kudos_received(person.id) == []


async def test_help_and_language_switch(runtime: Runtime) -> None:
    helped = await handle(runtime, HelpIntent(web(ADA)))
    [card] = helped.replies
    assert isinstance(card, Help) and card.title.startswith("Miroir\u00a0: ce que")
    assert any("/kudos" in line for line in card.lines)
    refused = await handle(runtime, LanguageIntent(web(ADA), "de"))
    assert "Je ne parle que français et anglais" in only_notice(refused)
    assert runtime.store.get_person(ADA.id).locale is Locale.FR  # type: ignore[union-attr]
    switched = await handle(runtime, LanguageIntent(web(ADA), "en"))
    assert only_notice(switched) == "Done: I will speak English with you from now on."
    assert runtime.store.get_person(ADA.id).locale is Locale.EN  # type: ignore[union-attr]
    back = await handle(runtime, LanguageIntent(web(ADA), "fr"))
    assert "en français" in only_notice(back)
