"""Random tenants for the publication and auditor tests: trees, moves, answers, kudos, weeks.

One builder serves hypothesis (``draw`` wraps ``st.integers``, so examples shrink) and seeded
runs (``draw`` is ``random.Random.randint``), so the naive publisher is attacked with exactly
the tenants the real publisher is checked on. Every week has its own frozen snapshot: people
move between weeks and leaf teams are re-parented.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from pulse.analytics.cells import Receipt, Snapshot, week_days
from pulse.analytics.publish import WeekInput
from pulse.core import buckets
from pulse.surveys.model import Pillar, Scale, Scored

Draw = Callable[[int, int], int]  # an integer in [lo, hi], both included
TENANT = "acme"
TZ = "Europe/Paris"
FIRST_WEEKS = ("2026-W05", "2026-W06")  # W06..W09 are February's weeks (their Thursdays)
PILLAR_CHOICES = (Pillar.BELONGING, Pillar.TOOLS, Pillar.MANAGER)


@dataclass(frozen=True)
class WeekWorld:
    """One closed week: its snapshot and what happened in it."""

    snapshot: Snapshot
    answers: tuple[Scored, ...]
    invited: frozenset[str]
    receipts: tuple[Receipt, ...]

    def as_input(self) -> WeekInput:
        """The publisher's input for this week."""
        return WeekInput(self.snapshot, self.answers, self.invited, self.receipts)


@dataclass(frozen=True)
class World:
    tenant: str
    weeks: tuple[WeekWorld, ...]


def week_key(first: str, offset: int) -> str:
    """The ISO week `offset` weeks after `first`."""
    monday, _ = week_days(first)
    return buckets.key_of_day(monday + timedelta(days=7 * offset), buckets.Bucket.WEEK)


def instant(week: str, minute: int) -> datetime:
    """The UTC instant `minute` minutes after the week's local Monday midnight."""
    start, end = buckets.bounds(week, TZ)
    at = start + timedelta(minutes=minute)
    return min(at, end - timedelta(minutes=1))


def build_tree(draw: Draw, max_children: int = 3) -> dict[str, str | None]:
    """A 1- to 3-level team tree: a root, departments, leaf teams."""
    parents: dict[str, str | None] = {"T": None}
    levels = draw(1, 3)
    if levels >= 2:
        for d in range(draw(1, max_children)):
            parents[f"D{d}"] = "T"
            if levels == 3:
                for leaf in range(draw(0, max_children)):
                    parents[f"D{d}L{leaf}"] = f"D{d}"
    return parents


def _pick(draw: Draw, items: list[str]) -> str:
    return items[draw(0, len(items) - 1)]


def build_world(draw: Draw, *, min_people: int = 1, max_people: int = 14, max_weeks: int = 5,
                max_answers: int = 3) -> World:
    """A tenant over 1..max_weeks consecutive weeks, each with its own snapshot."""
    parents = build_tree(draw)
    teams = sorted(parents)
    people = [f"p{i:02d}" for i in range(draw(min_people, max_people))]
    home = {p: _pick(draw, teams) for p in people}
    pillars = PILLAR_CHOICES[: draw(1, len(PILLAR_CHOICES))]
    first = FIRST_WEEKS[draw(0, 1)]
    weeks = []
    kudos_seq = 0
    for w in range(draw(1, max_weeks)):
        week = week_key(first, w)
        if w:
            for p in people:  # a few moves between weeks
                if draw(0, 4) == 0:
                    home[p] = _pick(draw, teams)
            leaves = [t for t in teams if parents[t] not in (None, "T")]
            depts = [t for t in teams if parents[t] == "T"]
            if leaves and len(depts) > 1 and draw(0, 2) == 0:  # a re-parenting
                parents[_pick(draw, leaves)] = _pick(draw, depts)
        answers = []
        for p in people:
            seen = set()
            for _ in range(draw(0, max_answers)):
                kind = draw(0, len(pillars))
                minute = draw(0, 7 * 24 * 60 - 1)
                if kind == len(pillars):
                    q, pillar, scale = "q-enps", Pillar.ENPS, Scale.NPS11
                else:
                    variant = draw(0, 2) // 2  # one item in three is on 0-10
                    q, pillar = f"q-{pillars[kind].value}-{variant}", pillars[kind]
                    scale = Scale.NPS11 if variant else Scale.AGREE5
                low, high = scale.bounds
                value = draw(low, high)
                if (q, minute) not in seen:
                    seen.add((q, minute))
                    answers.append(Scored(p, q, pillar, scale, value, instant(week, minute)))
        receipts = []
        for _ in range(draw(0, 3)):
            kudos_seq += 1
            receipts.append(Receipt(f"k{kudos_seq}", _pick(draw, people),
                                    instant(week, draw(0, 7 * 24 * 60 - 1)), draw(0, 2) > 0))
        snap = Snapshot(TENANT, week, TZ, dict(parents), dict(home))
        weeks.append(WeekWorld(snap, tuple(answers), frozenset(people), tuple(receipts)))
    return World(TENANT, tuple(weeks))
