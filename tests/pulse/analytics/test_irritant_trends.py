"""Irritant attack class 6 replayed on the pure rules: one-day windows, org − team, names typed
without accents and short names (issue 10)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pulse.analytics.irritant_trends import ORG, OWN, Report, closed_keys, listed, trend, week_cells
from pulse.core.errors import Invalid
from pulse.core.model import Bucket, Person
from pulse.irritants.model import IrritantCategory
from pulse.irritants.redact import REDACTED, anonymise, fold

TZ = "Europe/Paris"
K = 10
NOW = datetime(2026, 3, 18, 9, tzinfo=UTC)  # Wednesday of W12: W10 and W11 are closed
W10 = datetime(2026, 3, 3, 10, tzinfo=UTC)
TOOLS, PAY = IrritantCategory.TOOLS, IrritantCategory.PAY
ROSTER = [Person("p1", "acme", "Zoé Lefèvre"), Person("p2", "acme", "Chloé"),
          Person("p3", "acme", "Li Wei"), Person("p4", "acme", "Jean de La Fontaine")]


@pytest.mark.parametrize("text", [
    "zoe lefevre ne répond jamais", "ZOE LEFÈVRE ne répond jamais", "Zoe ne répond jamais",
    "voir avec lefevre", "Chloe a encore changé le planning", "CHLOÉ encore",
    "demandez à Li, elle sait", "li a dit non", "jean-de-la-fontaine", "Fontaine encore",
])
def test_names_typed_without_accents_or_short_are_redacted(text: str) -> None:
    out = anonymise(text, ROSTER)
    assert REDACTED in out
    for gone in ("zoe", "lefevre", "chloe", "fontaine"):
        assert gone not in fold(out)
    assert not any(word == "li" for word in fold(out).replace(",", " ").split())


def test_redaction_keeps_words_that_only_contain_a_name() -> None:
    text = "La liste des lits de la clinique, et la météo"
    assert anonymise(text, ROSTER) == text  # "Li" is a whole word only; particles stay
    assert anonymise("Chloé's desk is broken", ROSTER) == f"{REDACTED}'s desk is broken"


def reports(team: str, people: int, at: datetime = W10, cat: IrritantCategory = TOOLS,
            prefix: str | None = None) -> list[Report]:
    return [Report(f"{prefix or team}{i}", team, cat, at) for i in range(people)]


def test_a_one_day_window_is_not_a_bucket() -> None:
    with pytest.raises(Invalid):
        closed_keys(Bucket.WEEK, "2026-03-03", None, NOW, TZ)
    with pytest.raises(Invalid):
        closed_keys(Bucket.MONTH, "2026-W10", None, NOW, TZ)
    # One reporter alone in a week: the cell is withheld, so nobody's category shows.
    alone = [Report("x", "A", PAY, W10 + timedelta(days=1))]
    (cell,) = trend(alone + reports("A", 12, W10 - timedelta(weeks=1)), {"A": None}, "A",
                    Bucket.WEEK, ["2026-W10"], TZ, K, NOW)
    assert cell.hidden and cell.reason == "below_k"


def test_open_buckets_show_nothing() -> None:
    assert closed_keys(Bucket.WEEK, "2026-W10", "2026-W14", NOW, TZ) == ["2026-W10", "2026-W11"]
    (cell,) = trend(reports("A", 12, NOW), {"A": None}, "A", Bucket.WEEK, ["2026-W12"], TZ, K,
                    NOW)
    assert cell.hidden and cell.reason == "open"


def test_org_minus_team_does_not_isolate_a_hidden_team_of_two() -> None:
    parents: dict[str, str | None] = {"A": None, "B": None}
    data = reports("A", 12) + reports("B", 2, cat=PAY)
    cells = week_cells(data, parents, "2026-W10", TZ, K)
    assert cells["B"].hidden
    org, a = cells[ORG], cells["A"]
    # The attack: org's counts minus A's give B's categories. One of the two must be hidden.
    assert org.hidden or a.hidden
    if not org.hidden:
        assert org.counts == {"pay_benefits": 2, "tools_systems": 12}
        assert a.reason == "complement"


@pytest.mark.parametrize("sizes", [(12, 2), (10, 10, 3), (15, 1), (11, 0)])
def test_no_shown_pair_differs_by_one_to_k_minus_one_reporters(sizes: tuple[int, ...]) -> None:
    parents: dict[str, str | None] = {f"T{i}": None for i in range(len(sizes))}
    data = [r for i, n in enumerate(sizes) for r in reports(f"T{i}", n)]
    cells = week_cells(data, parents, "2026-W10", TZ, K)
    shown = [t for t, c in cells.items() if not c.hidden]
    total = sum(sizes)
    for team in shown:  # teams and their own-reports leaves (the listing's groups)
        if team.startswith("T") and ORG in shown:
            rest = total - sizes[int(team[1:].removesuffix(OWN))]
            assert rest == 0 or rest >= K, (sizes, team)


def test_months_are_sums_of_shown_weeks() -> None:
    data = reports("A", 12, W10) + reports("A", 3, W10 + timedelta(weeks=1), prefix="late")
    parents: dict[str, str | None] = {"A": None}
    now = datetime(2026, 4, 8, tzinfo=UTC)
    (march,) = trend(data, parents, "A", Bucket.MONTH, ["2026-03"], TZ, K, now)
    # W11's three reporters are below k: the month never adds them, so "month − W10" is zero.
    assert march.counts == {"tools_systems": 12} and march.weeks_used == 3  # W10, W12, W13


def test_listed_texts_and_trends_are_one_decision() -> None:
    """The attack across surfaces: org trend minus team A's listed texts gives B's two."""
    parents: dict[str, str | None] = {"A": None, "B": None}
    data = [Report(f"a{i}", "A", TOOLS, W10, f"ia{i}") for i in range(12)] + \
        [Report(f"b{i}", "B", PAY, W10, f"ib{i}") for i in range(2)]
    ids = listed(data, parents, TZ, K, NOW)
    (org,) = trend(data, parents, None, Bucket.WEEK, ["2026-W10"], TZ, K, NOW)
    assert not any(i.startswith("ib") for i in ids)
    assert org.hidden or not any(i.startswith("ia") for i in ids)
    assert listed(data, parents, TZ, K, W10 + timedelta(days=2)) == set()  # week still open
