"""Anonymity rules for published pulse cells (ANALYTICS.md §2.3).

A cell is one (team, bucket, metric): the set of people who answered, and a value. Rules:

1. Threshold: a cell with 1..k−1 respondents is suppressed; its n reads "<k" and its value is
   null. k_scores = 5 for scores, k_comments = 10 for comments (both configurable; 3 is the
   lowest a tenant may opt into).
2. Complementary suppression across the team tree. Teams include their descendants, so a reader
   who sees a team and some of its sub-teams can subtract them. For every displayed team X, the
   people that no displayed descendant accounts for (X minus the union of its displayed
   descendants: its direct members plus its suppressed sub-teams) must number 0 or at least k.
   When they number 1..k−1, the smallest displayed descendant on the frontier is suppressed too
   and the check repeats until it holds (the Glint "next smallest group" rule, with our
   threshold k instead of Glint's 2). With one child this is the parent/child rule ("a team
   shown next to its parent is suppressed when parent − team has 1..k−1 people"); with siblings
   it is the sibling rule. Subtracting any set of displayed, disjoint descendants from a
   displayed team then leaves a union of pieces each of size 0 or ≥ k, so it never isolates
   1..k−1 people.

Why fixed, non-overlapping buckets only (no rolling windows): with a rolling window, two
consecutive published windows share most of their respondents, and their difference isolates
the few people who entered or left the window, however large each window is. Our buckets (ISO
week, calendar month, in the tenant's timezone) never overlap and each value is computed from
that bucket's answers alone, never cumulatively, so no subtraction between two published values
of the same team recovers anything that either value did not already show.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from enum import StrEnum

K_SCORES = 5
K_COMMENTS = 10


class Reason(StrEnum):
    """Why a cell shows no value."""

    NO_RESPONSES = "no_responses"
    BELOW_THRESHOLD = "below_threshold"
    COMPLEMENT = "complementary_suppression"


@dataclass(frozen=True)
class Visibility:
    """What may be published about one cell: n as shown, and why the value is hidden."""

    n: int | str | None
    reason: Reason | None

    @property
    def suppressed(self) -> bool:
        return self.reason in (Reason.BELOW_THRESHOLD, Reason.COMPLEMENT)

    @property
    def shown(self) -> bool:
        return self.reason is None


def below(k: int) -> str:
    """How a count below the threshold is written: "<5" for k = 5."""
    return f"<{k}"


def threshold(count: int, k: int = K_SCORES) -> Visibility:
    """Rule 1 alone: exact n when ≥ k, "<k" and a reason below, 0 when nobody answered."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if count == 0:
        return Visibility(0, Reason.NO_RESPONSES)
    if count < k:
        return Visibility(below(k), Reason.BELOW_THRESHOLD)
    return Visibility(count, None)


def descendants(parents: Mapping[str, str | None]) -> dict[str, set[str]]:
    """Every team's proper descendants, from a team → parent mapping (cycles are cut)."""
    out: dict[str, set[str]] = {team: set() for team in parents}
    for team in parents:
        seen = {team}
        parent = parents.get(team)
        while parent is not None and parent in out and parent not in seen:
            out[parent].add(team)
            seen.add(parent)
            parent = parents.get(parent)
    return out


def suppress_tree(
    respondents: Mapping[str, Set[str]], parents: Mapping[str, str | None], k: int = K_SCORES
) -> dict[str, Visibility]:
    """Visibility of every team's cell, given who answered in each team (descendants included)."""
    below_k = {team: threshold(len(respondents.get(team, ())), k) for team in parents}
    shown = {team for team, vis in below_k.items() if vis.shown}
    complement: set[str] = set()
    under = descendants(parents)
    changed = True
    while changed:  # each pass suppresses at least one team or stops: ends within len(teams)
        changed = False
        for team in sorted(shown):
            victim = _unsafe_descendant(team, respondents, under, shown, k)
            if victim is not None:
                shown.discard(victim)
                complement.add(victim)
                changed = True
    return {
        team: Visibility(None, Reason.COMPLEMENT) if team in complement else below_k[team]
        for team in parents
    }


def _unsafe_descendant(
    team: str,
    respondents: Mapping[str, Set[str]],
    under: Mapping[str, set[str]],
    shown: set[str],
    k: int,
) -> str | None:
    """The displayed descendant to suppress so `team`'s hidden remainder is 0 or ≥ k, if any."""
    if team not in shown:
        return None
    visible = [d for d in under[team] if d in shown and respondents.get(d)]
    covered: set[str] = set()
    for d in visible:
        covered |= respondents[d]
    hidden = len(set(respondents.get(team, ())) - covered)
    if not 0 < hidden < k:
        return None
    # The frontier: displayed descendants with no displayed ancestor below `team`.
    frontier = [d for d in visible if not any(d in under[o] for o in visible if o != d)]
    if not frontier:
        return None
    return min(frontier, key=lambda d: (len(respondents[d]), d))
