"""Publication rules on small hand-built weeks: snapshots, k, complement, audit, months."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from statistics import fmean

import pytest

from pulse.analytics.audit import audit
from pulse.analytics.cells import (
    Cell,
    Reason,
    Receipt,
    Snapshot,
    home_teams,
    month_of_week,
    take_snapshot,
    weeks_of_month,
)
from pulse.analytics.publish import (
    WeekInput,
    WeekPublication,
    derive_month,
    publish_week,
    week_audit_cells,
)
from pulse.core import buckets
from pulse.core.model import Bucket, Membership
from pulse.surveys.model import Pillar, Scale, Scored

TZ = "Europe/Paris"
NOW = datetime(2026, 4, 1, tzinfo=UTC)


def at(week: str, day: int = 2, hour: int = 12) -> datetime:
    start, _ = buckets.bounds(week, TZ)
    return start + timedelta(days=day, hours=hour)


def answer(person: str, week: str, pillar: Pillar = Pillar.BELONGING, value: int = 4,
           day: int = 2, scale: Scale = Scale.AGREE5) -> Scored:
    return Scored(person, f"q-{pillar.value}", pillar, scale, value, at(week, day))


def snap(week: str, parents: dict[str, str | None], home: dict[str, str]) -> Snapshot:
    return Snapshot("acme", week, TZ, parents, home)


def cells_of(pub: WeekPublication) -> dict[tuple[str, str], Cell]:
    return {(c.team_id, c.metric): c for c in pub.cells}


def members(team: str, names: list[str]) -> dict[str, str]:
    return dict.fromkeys(names, team)


def names(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(count)]


def test_weeks_belong_to_the_month_holding_their_thursday() -> None:
    assert month_of_week("2026-W05") == "2026-01"  # Mon 26 Jan .. Sun 1 Feb, Thursday 29 Jan
    assert weeks_of_month("2026-02") == ["2026-W06", "2026-W07", "2026-W08", "2026-W09"]
    assert weeks_of_month("2026-01") == ["2026-W01", "2026-W02", "2026-W03", "2026-W04",
                                         "2026-W05"]
    assert month_of_week("2026-W01") == "2026-01"  # Thursday 1 January
    assert all(month_of_week(w) == "2020-12" for w in weeks_of_month("2020-12"))


def test_home_team_is_the_one_at_the_weeks_end_and_leavers_keep_their_last() -> None:
    week = "2026-W10"  # Monday 2 March .. Sunday 8 March
    ms = [Membership("mover", "A", date(2025, 1, 1), date(2026, 3, 5)),
          Membership("mover", "B", date(2026, 3, 5)),
          Membership("leaver", "A", date(2025, 1, 1), date(2026, 3, 4)),
          Membership("gone", "A", date(2025, 1, 1), date(2026, 3, 2)),
          Membership("future", "B", date(2026, 3, 9))]
    assert home_teams(ms, week) == {"mover": "B", "leaver": "A"}
    frozen = take_snapshot("acme", week, TZ, {"A": None, "B": "A"}, ms)
    assert frozen.home == {"mover": "B", "leaver": "A"}
    assert frozen.id == take_snapshot("acme", week, TZ, {"B": "A", "A": None}, ms).id
    assert frozen.id != take_snapshot("acme", week, TZ, {"A": None, "B": None}, ms).id


def test_k_complement_and_audit_reasons() -> None:
    week = "2026-W10"
    parents: dict[str, str | None] = {"P": None, "A": "P", "B": "P", "C": "P"}
    home = {**members("A", names("a", 5)), **members("B", names("b", 6)),
            **members("C", names("c", 2))}
    answers = [answer(p, week) for p in home]
    pub = publish_week(WeekInput(snap(week, parents, home), answers), published_at=NOW)
    cells = cells_of(pub)
    assert cells[("C", "pulse")].reason is Reason.BELOW_K and cells[("C", "pulse")].n == "<5"
    # P − B would leave A and C's 7 people, P − A − B would leave C's two: A goes (smallest).
    assert cells[("A", "pulse")].reason is Reason.COMPLEMENT and cells[("A", "pulse")].n is None
    assert cells[("B", "pulse")].shown and cells[("B", "pulse")].n == 6
    assert cells[("P", "pulse")].shown and cells[("P", "pulse")].value == pytest.approx(7.5)
    assert cells[("P", "pillar:tools_information")].reason is Reason.NO_RESPONSES
    assert audit(week_audit_cells(WeekInput(pub.snapshot, answers), pub)) == []


def test_overall_minus_pillar_is_closed_by_the_auditor() -> None:
    week = "2026-W10"
    home = members("T", [*names("a", 5), "x"])
    answers = [answer(p, week) for p in names("a", 5)] + [answer("x", week, Pillar.TOOLS)]
    week_in = WeekInput(snap(week, {"T": None}, home), answers)
    pub = publish_week(week_in, published_at=NOW)
    cells = cells_of(pub)
    assert cells[("T", "pulse")].shown
    assert cells[("T", "pillar:belonging")].reason is Reason.AUDIT
    assert [f.people for f in pub.findings] == [("x",)] and pub.audit_rounds == 2
    assert audit(week_audit_cells(week_in, pub)) == []


def test_only_the_weeks_answers_and_public_kudos_count() -> None:
    week = "2026-W10"
    home = members("T", names("a", 6))
    inside = [answer(p, week) for p in names("a", 6)]
    outside = [answer("a0", "2026-W11", value=1), answer("a1", "2026-W09", value=1)]
    receipts = [Receipt(f"k{i}", p, at(week)) for i, p in enumerate(names("a", 5))]
    private = [Receipt("secret", "a5", at(week), public=False)]
    base = publish_week(WeekInput(snap(week, {"T": None}, home), inside, (), receipts),
                        published_at=NOW)
    noisy = publish_week(WeekInput(snap(week, {"T": None}, home), inside + outside,
                                   (), receipts + private), published_at=NOW)
    assert base.cells == noisy.cells  # late answers and private kudos change nothing
    kudos = cells_of(base)[("T", "kudos")]
    assert kudos.value == 5 and kudos.n == 5
    alone = publish_week(WeekInput(snap(week, {"T": None}, {"s": "T"}), (), (), private),
                         published_at=NOW)
    assert cells_of(alone)[("T", "kudos")].value == 0 and cells_of(alone)[("T", "kudos")].shown


def test_metric_values_follow_scoring() -> None:
    week = "2026-W10"
    home = members("T", names("a", 8))  # three of them invited but silent
    answers = [answer(p, week, value=v) for p, v in zip(names("a", 5), [5, 4, 4, 3, 1],
                                                       strict=True)]
    answers += [answer("a0", week, Pillar.ENPS, 10, day=3, scale=Scale.NPS11),
                answer("a0", week, Pillar.ENPS, 2, day=1, scale=Scale.NPS11)]
    answers += [answer(p, week, Pillar.ENPS, v, scale=Scale.NPS11)
                for p, v in zip(names("a", 5)[1:], [9, 7, 3, 6], strict=True)]
    invited = [*names("a", 8), "stranger"]  # nobody outside the snapshot counts
    pub = publish_week(WeekInput(snap(week, {"T": None}, home), answers, invited),
                       published_at=NOW)
    cells = cells_of(pub)
    assert cells[("T", "pulse")].value == pytest.approx(fmean([10, 7.5, 7.5, 5, 0]))
    assert cells[("T", "favourable")].value == pytest.approx(60.0)
    assert dict(cells[("T", "favourable")].detail)["unfavourable"] == pytest.approx(20.0)
    assert cells[("T", "enps")].value == pytest.approx(0.0)  # a0's latest is 10: 2 P, 2 D
    assert cells[("T", "participation")].value == pytest.approx(5 / 8)
    assert all(c.snapshot == pub.snapshot.id and c.granularity is Bucket.WEEK
               for c in pub.cells)


def test_months_are_derived_from_published_weeks_only() -> None:
    home = members("T", names("a", 5))
    pubs = []
    for i, week in enumerate(weeks_of_month("2026-02")):
        who = names("a", 5) if i < 3 else ["a0"]  # the last week is below k
        answers = [answer(p, week, value=1 + (i + j) % 5) for j, p in enumerate(who)]
        pubs.append(publish_week(WeekInput(snap(week, {"T": None}, home), answers,
                                           (), [Receipt(f"k{i}", "a1", at(week))]),
                                 published_at=NOW))
    month = {(c.team_id, c.metric): c for c in derive_month("2026-02", pubs,
                                                           published_at=NOW)}
    weekly = [cells_of(p)[("T", "pulse")] for p in pubs]
    assert [c.shown for c in weekly] == [True, True, True, False]
    pulse = month[("T", "pulse")]
    assert pulse.value == pytest.approx(fmean(c.value for c in weekly[:3]))  # type: ignore[misc]
    assert pulse.weeks_used == 3 and pulse.n == 15 and pulse.granularity is Bucket.MONTH
    assert month[("T", "kudos")].reason is Reason.NO_PUBLISHED_WEEK  # one recipient a week
    assert month[("T", "pillar:pay")].reason is Reason.NO_PUBLISHED_WEEK
    with pytest.raises(ValueError, match="W09"):
        derive_month("2026-02", pubs[:3], published_at=NOW)
