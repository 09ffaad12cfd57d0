"""Anonymity rules (ANALYTICS §2.3): threshold, complementary and sibling suppression."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulse.analytics.anonymity import Reason, descendants, suppress_tree, threshold


def people(prefix: str, count: int) -> set[str]:
    return {f"{prefix}{i}" for i in range(count)}


def test_threshold_uses_the_actual_k() -> None:
    assert threshold(4).n == "<5" and threshold(4).suppressed
    assert threshold(2, k=3).n == "<3"
    assert threshold(5).n == 5 and threshold(5).shown
    zero = threshold(0)
    assert zero.n == 0 and zero.reason is Reason.NO_RESPONSES and not zero.suppressed


def test_child_next_to_its_parent_is_hidden_when_the_complement_is_small() -> None:
    child = people("c", 6)
    parents = {"p": None, "c": "p"}
    vis = suppress_tree({"p": child | people("d", 2), "c": child}, parents)
    assert vis["p"].n == 8 and vis["p"].shown
    assert vis["c"].reason is Reason.COMPLEMENT and vis["c"].n is None
    # Complement of 0 or of k people is safe.
    assert suppress_tree({"p": child, "c": child}, parents)["c"].shown
    assert suppress_tree({"p": child | people("d", 5), "c": child}, parents)["c"].shown


def test_glint_sibling_example() -> None:
    # 5 full-time + 2 part-time under one manager: part-timers are below k, and showing the
    # full-timers next to the manager's total would expose the part-timers by subtraction.
    full, part = people("f", 5), people("p", 2)
    parents = {"mgr": None, "full": "mgr", "part": "mgr"}
    vis = suppress_tree({"mgr": full | part, "full": full, "part": part}, parents)
    assert vis["mgr"].n == 7
    assert vis["part"].reason is Reason.BELOW_THRESHOLD
    assert vis["full"].reason is Reason.COMPLEMENT


def test_next_smallest_sibling_goes_first_and_repeats_until_safe() -> None:
    a, b, c, d = people("a", 9), people("b", 6), people("c", 5), people("d", 1)
    parents = {"p": None, "a": "p", "b": "p", "c": "p", "d": "p"}
    vis = suppress_tree({"p": a | b | c | d, "a": a, "b": b, "c": c, "d": d}, parents)
    assert vis["d"].reason is Reason.BELOW_THRESHOLD
    assert vis["c"].reason is Reason.COMPLEMENT  # 1 + 5 = 6 ≥ 5: safe after one more
    assert vis["a"].shown and vis["b"].shown and vis["p"].shown


def test_nothing_is_hidden_when_every_remainder_is_large() -> None:
    a, b = people("a", 5), people("b", 5)
    vis = suppress_tree({"p": a | b, "a": a, "b": b}, {"p": None, "a": "p", "b": "p"})
    assert all(v.shown for v in vis.values())


def test_descendants_cut_cycles() -> None:
    assert descendants({"a": "b", "b": "a"}) == {"a": {"b"}, "b": {"a"}}
    assert descendants({"r": None, "x": "r", "y": "x"})["r"] == {"x", "y"}


@st.composite
def trees(draw: st.DrawFn) -> tuple[dict[str, str | None], dict[str, set[str]], int]:
    """A random team tree, each person answering in one team, respondents rolled up."""
    size = draw(st.integers(1, 7))
    parents: dict[str, str | None] = {"t0": None}
    for i in range(1, size):
        parents[f"t{i}"] = draw(st.sampled_from([None, *parents]))
    direct = {t: draw(st.integers(0, 8)) for t in parents}
    under = descendants(parents)
    respondents = {t: set().union(*(people(f"{m}.", direct[m]) for m in under[t] | {t}))
                   for t in parents}
    return parents, respondents, draw(st.sampled_from([3, 5]))


@settings(max_examples=300, deadline=None)
@given(trees())
def test_no_displayed_cell_below_k(case: tuple[dict[str, str | None], dict[str, set[str]], int]
                                   ) -> None:
    parents, respondents, k = case
    for team, vis in suppress_tree(respondents, parents, k).items():
        count = len(respondents[team])
        if vis.shown:
            assert vis.n == count >= k
        elif vis.reason is Reason.BELOW_THRESHOLD:
            assert 0 < count < k and vis.n == f"<{k}"
        elif vis.reason is Reason.NO_RESPONSES:
            assert count == 0 and vis.n == 0
        else:
            assert vis.n is None


@settings(max_examples=300, deadline=None)
@given(trees())
def test_no_subtraction_isolates_fewer_than_k(
    case: tuple[dict[str, str | None], dict[str, set[str]], int]
) -> None:
    parents, respondents, k = case
    vis = suppress_tree(respondents, parents, k)
    under = descendants(parents)
    shown = {t for t, v in vis.items() if v.shown}
    for team in shown:
        below = sorted(d for d in under[team] if d in shown)
        for size in range(1, len(below) + 1):
            for subset in combinations(below, size):
                if any(b in under[a] for a in subset for b in subset):
                    continue  # nested teams cannot both be subtracted
                counts = len(respondents[team]) - sum(len(respondents[s]) for s in subset)
                assert not 0 < counts < k, (team, subset, counts)


@pytest.mark.parametrize("k", [0, -1])
def test_k_must_be_positive(k: int) -> None:
    with pytest.raises(ValueError):
        threshold(3, k)
