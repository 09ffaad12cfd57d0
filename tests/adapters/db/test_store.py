"""The store on SQLite and PostgreSQL: idempotent answers, memberships, identities."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from adapters.db.store import SqlStore
from pulse.core.clock import FixedClock
from pulse.core.model import Person, Role
from pulse.surveys import service as services
from pulse.surveys.model import Pillar, Question, Scale
from pulse.surveys.service import AnswerOutcome
from testing import factories

Q1 = Question("q-tools", Pillar.TOOLS, Scale.AGREE5, "Mes outils m'aident.", "My tools help me.")


def ada_and_bob(store: SqlStore) -> tuple[Person, Person]:
    """Ada (adviser, with an email) and Bob (manager), in t1 since 2026, and the question Q1."""
    factories.tenant(store, "acme", "Acme")
    factories.team(store, "t1", "acme", "Support FR")
    ada = factories.person(store, "p1", name="Ada", email="ada@example.com", team="t1",
                           since=date(2026, 1, 1))
    bob = factories.person(store, "p2", name="Bob", role=Role.MANAGER, team="t1",
                           since=date(2026, 1, 1))
    factories.questions(store, [Q1])
    return ada, bob


def test_answer_is_recorded_once(store: SqlStore, clock: FixedClock) -> None:
    ada, _ = ada_and_bob(store)
    rnd = services.start_round(store, clock, "acme", "t1", {ada.id: [Q1]})
    first = services.record_answer(store, clock, ada, rnd.id, Q1.id, 4)
    again = services.record_answer(store, clock, ada, rnd.id, Q1.id, 2)
    assert first.outcome is AnswerOutcome.RECORDED
    assert again.outcome is AnswerOutcome.DUPLICATE
    answers = store.round_answers(rnd.id, ada.id)
    assert [a.value for a in answers] == [4]


def test_closed_round_and_off_scale_store_nothing(store: SqlStore, clock: FixedClock) -> None:
    ada, _ = ada_and_bob(store)
    rnd = services.start_round(store, clock, "acme", "t1", {ada.id: [Q1]},
                               duration=timedelta(hours=1))
    assert services.record_answer(store, clock, ada, rnd.id, Q1.id, 9).outcome is (
        AnswerOutcome.OUT_OF_SCALE)
    clock.advance(timedelta(hours=2))
    assert services.record_answer(store, clock, ada, rnd.id, Q1.id, 3).outcome is (
        AnswerOutcome.CLOSED)
    assert store.round_answers(rnd.id, ada.id) == []


def test_identity_and_membership(store: SqlStore) -> None:
    ada, _ = ada_and_bob(store)
    store.link_identity("slack", "T1", "U1", ada.id)
    assert store.person_by_identity("slack", "T1", "U1") == ada
    assert store.find_people("acme", "ADA@example.com") == [ada]
    assert store.team_of(ada.id, date(2026, 2, 1)) == "t1"
    assert store.team_of(ada.id, date(2025, 2, 1)) is None


def test_a_unit_of_work_keeps_all_or_nothing_and_nested_ones_join_it(
    store: SqlStore, clock: FixedClock
) -> None:
    ada, bob = ada_and_bob(store)
    with pytest.raises(RuntimeError), store.batch():
        store.link_identity("slack", "T1", "U1", ada.id)
        with store.batch():  # a use case's own unit of work joins the turn's
            services.start_round(store, clock, "acme", "t1", {ada.id: [Q1]}, round_id="r1")
        assert store.get_round("r1") is not None  # visible inside, before the commit
        raise RuntimeError("the turn failed")
    assert store.person_by_identity("slack", "T1", "U1") is None
    assert store.get_round("r1") is None and store.get_invitation("r1", ada.id) is None
    with store.batch():
        store.link_identity("slack", "T1", "U2", bob.id)
    assert store.person_by_identity("slack", "T1", "U2") == bob


def test_an_answer_returns_what_the_turn_asks_next(store: SqlStore, clock: FixedClock) -> None:
    ada, _ = ada_and_bob(store)
    q2 = Question("q-enps", Pillar.ENPS, Scale.NPS11, "Recommanderiez-vous ?", "Recommend?")
    store.add_question(q2)
    rnd = services.start_round(store, clock, "acme", "t1", {ada.id: [Q1, q2]})
    assert store.questions([q2.id, "nope", Q1.id]) == [q2, Q1]
    first = services.record_answer(store, clock, ada, rnd.id, Q1.id, 4)
    assert (first.remaining, first.pending, first.scale) == ((q2.id,), (q2,), Scale.AGREE5)
    off = services.record_answer(store, clock, ada, rnd.id, q2.id, 11)
    assert (off.outcome, off.scale) == (AnswerOutcome.OUT_OF_SCALE, Scale.NPS11)
    last = services.record_answer(store, clock, ada, rnd.id, q2.id, 10)
    assert (last.outcome, last.remaining, last.pending) == (AnswerOutcome.RECORDED, (), ())
