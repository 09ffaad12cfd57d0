"""Question choice: 1–3 items, every active item before a repeat, eNPS once a quarter."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pulse.surveys.model import Pillar, Question, Scale
from pulse.surveys.rotation import choose_moment_questions, choose_questions
from testing.delivery import BANK

REGULAR = [q for q in BANK if q.pillar is not Pillar.ENPS and not q.moments]


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 3), pulses=st.integers(1, 12), person=st.text(min_size=1, max_size=8))
def test_every_item_is_seen_before_any_repeat(n: int, pulses: int, person: str) -> None:
    asked: list[str] = []
    enps_asked: list[datetime] = []
    at = datetime(2026, 1, 6, 9, tzinfo=UTC)
    for _ in range(pulses):
        chosen = choose_questions(BANK, asked, enps_asked, at, n, salt=person)
        assert 1 <= len(chosen) <= n
        assert len({q.id for q in chosen}) == len(chosen)
        assert not any(q.moments for q in chosen)  # moment items never rotate into cadences
        for q in chosen:
            asked.append(q.id)
            if q.pillar is Pillar.ENPS:
                enps_asked.append(at)
        counts = Counter(a for a in asked if a in {q.id for q in REGULAR})
        seen = [counts[q.id] for q in REGULAR]
        assert max(seen) - min(seen) <= 1  # nobody sees an item twice before seeing them all
        at += timedelta(days=7)


def test_enps_at_most_once_a_quarter() -> None:
    asked: list[str] = []
    enps_asked: list[datetime] = []
    at = datetime(2026, 1, 6, 9, tzinfo=UTC)
    for _ in range(52):
        for q in choose_questions(BANK, asked, enps_asked, at, 3, salt="p"):
            asked.append(q.id)
            if q.pillar is Pillar.ENPS:
                enps_asked.append(at)
        at += timedelta(days=7)
    quarters = Counter((d.year, (d.month - 1) // 3) for d in enps_asked)
    assert len(enps_asked) == 4 and set(quarters.values()) == {1}


def test_people_in_a_team_do_not_all_get_the_same_items() -> None:
    at = datetime(2026, 1, 6, tzinfo=UTC)
    firsts = {tuple(q.id for q in choose_questions(BANK, [], [at], at, 1, salt=f"p{i}"))
              for i in range(20)}
    assert len(firsts) > 1


def test_moment_items_are_the_tagged_ones() -> None:
    tagged = choose_moment_questions(BANK, "onboarding_day_7", [])
    assert [q.id for q in tagged] == ["m-onb7"]
    assert choose_moment_questions(BANK, "job_change", []) == []
    inactive = [Question("x", Pillar.TOOLS, Scale.AGREE5, "a", "b", ("job_change",), False)]
    assert choose_moment_questions(inactive, "job_change", []) == []
