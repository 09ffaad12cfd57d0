"""A curious manager with an analytics:read key, the roster and a calculator, through HTTP, on
SQLite and PostgreSQL: the attack classes 1-4 and 7 of the publication issue recover nothing.

Each test seeds answers, runs the publication as the job would, and replays the attack on the
API's answers only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from statistics import fmean

import pytest

from pulse.core.model import Membership, Person, Team
from pulse.kudos.model import Kudos
from pulse.surveys.model import Answer, Invitation, PulseRound
from testing.analytics_api import (
    NOW,
    Q_PAY,
    Q_TOOLS,
    Api,
    answer_week,
    last_week,
    publish,
    weeks_back,
)
from testing.factories import staffed_team_ids as add_team


def span(monday: date) -> dict[str, str]:
    return {"from": monday.isoformat(), "to": monday.isoformat()}


async def point(api: Api, team: str, series: str = "pulse", **params: str) -> dict:
    r = await api.get(f"/api/v1/teams/{team}/{series}", **params)
    assert r.status_code == 200, r.text
    [p] = r.json()["points"]
    return p


async def test_1_the_open_week_read_before_and_after_an_answer_shows_no_value(api: Api) -> None:
    people = add_team(api.store, "fr", 6)
    monday = weeks_back(1)[0]  # the current, open week
    opens = datetime.combine(monday, datetime.min.time(), UTC) + timedelta(hours=9)
    api.store.add_round(PulseRound("r-open", "acme", "fr", opens, opens + timedelta(days=3)))
    for pid in people:
        api.store.add_invitation(Invitation("r-open", pid, (Q_TOOLS.id,)))
    for pid in people[:5]:
        api.store.record_answer(Answer("r-open", pid, Q_TOOLS.id, "fr", 4, opens))
    publish(api.store)
    first = await point(api, "fr", **span(monday))
    api.store.record_answer(Answer("r-open", people[5], Q_TOOLS.id, "fr", 1, opens))
    second = await point(api, "fr", **span(monday))
    for p in (first, second):
        assert p["open"] and p["value"] is None and p["n"] is None
        assert p["favourable_pct"] is None and p["participation"] is None
    # Only counts moved, which the worst reader knows already: n·v₂ − (n−1)·v₁ has no v.
    assert (first["answered"], second["answered"], second["invited"]) == (5, 6, 6)
    pillars = await point(api, "fr", "pillars", **span(monday))
    assert pillars["open"] and all(c["value"] is None and c["reason"] == "open"
                                   for c in pillars["pillars"].values())
    for series, field in (("enps", "value"), ("kudos", "received")):
        p = await point(api, "fr", series, **span(monday))
        assert p["open"] and p[field] is None and p["reason"] == "open"


async def test_2_a_month_minus_its_weeks_isolates_nobody(api: Api) -> None:
    # February 2026 (W06-W09): five members every week; a sixth answers only in W07, when only
    # three others do (that week is below k).
    people = add_team(api.store, "fr", 6)
    regular, lone = people[:5], people[5]
    for week in range(6, 10):
        monday = date.fromisocalendar(2026, week, 1)
        who = [*regular[:3], lone] if week == 7 else regular
        answer_week(api.store, "fr", monday, who, {p: [(Q_TOOLS, 3 + (p == lone) * 2)]
                                                   for p in who})
    publish(api.store)
    weeks = [await point(api, "fr", **span(date.fromisocalendar(2026, w, 1))) for w in range(6, 10)]
    month = await point(api, "fr", bucket="month", **{"from": "2026-02-01", "to": "2026-02-28"})
    assert weeks[1]["value"] is None and weeks[1]["n"] == "<5"
    shown = [w for w in weeks if w["value"] is not None]
    # The month is a fixed function of the shown weeks: subtracting them leaves zero, not the
    # lone person's answer.
    assert month["value"] == pytest.approx(fmean(w["value"] for w in shown))
    assert month["n"] == sum(w["n"] for w in shown) and month["weeks_used"] == len(shown)
    assert month["n"] * month["value"] - sum(w["n"] * w["value"] for w in shown) == \
        pytest.approx(0, abs=1e-9 * month["n"])


async def test_3_overall_minus_a_pillar_isolates_nobody(api: Api) -> None:
    # Five people answer tools, one answers pay only: pulse (6) minus tools (5) would be the
    # pay answer. The auditor withholds one of the two.
    people = add_team(api.store, "fr", 6)
    monday = last_week()
    answers = {p: [(Q_TOOLS, 4)] for p in people[:5]} | {people[5]: [(Q_PAY, 1)]}
    answer_week(api.store, "fr", monday, people, answers)
    publish(api.store)
    overall = await point(api, "fr", **span(monday))
    pillars = (await point(api, "fr", "pillars", **span(monday)))["pillars"]
    tools, pay = pillars["tools_information"], pillars["pay"]
    assert pay["value"] is None
    assert overall["value"] is None or tools["value"] is None
    assert "audit" in (overall["reason"], tools["reason"])


async def test_4_moves_and_re_parenting_do_not_rewrite_history(api: Api) -> None:
    add_team(api.store, "ops", 0)
    fr = add_team(api.store, "fr", 6, parent="ops")
    en = add_team(api.store, "en", 6, parent="ops")
    monday = last_week()
    # One person moves from fr to en on Wednesday and answers in both teams' rounds.
    mover = fr[0]
    api.store.add_membership(Membership(mover, "en", monday + timedelta(days=2)))
    answer_week(api.store, "fr", monday, fr, {p: [(Q_TOOLS, 5)] for p in fr})
    answer_week(api.store, "en", monday, [*en, mover], {p: [(Q_TOOLS, 2)] for p in [*en, mover]})
    publish(api.store)
    before = {t: await point(api, t, **span(monday)) for t in ("ops", "fr", "en")}
    # Counted once: the parent's n is the sum of its children's.
    shown = [before[t]["n"] for t in ("fr", "en") if isinstance(before[t]["n"], int)]
    assert before["ops"]["n"] == 12 and sum(shown) <= 12
    # A later move and a re-org (en moves under a new parent, fr leaves ops).
    api.store.add_person(Person("newbie", "acme", "newbie"))
    api.store.add_membership(Membership(en[1], "fr", NOW.date()))
    api.store.add_team(Team("sales", "acme", "SALES"))
    api.store.add_team(Team("en", "acme", "EN", "sales"))
    api.store.add_team(Team("fr", "acme", "FR", None))
    publish(api.store, NOW + timedelta(days=7))
    after = {t: await point(api, t, **span(monday)) for t in ("ops", "fr", "en")}
    assert after == before


async def test_7_kudos_counts_never_reveal_a_private_kudos(api: Api) -> None:
    [solo] = add_team(api.store, "solo", 1)
    sender = add_team(api.store, "mgmt", 1)[0]
    private_week, public_week = weeks_back(3)[0], last_week()
    noon = timedelta(hours=12)
    api.store.add_kudos(Kudos("kp", "acme", sender, (solo,), "merci",
                              datetime.combine(private_week, datetime.min.time(), UTC) + noon,
                              "entraide", public=False), {solo: "solo"})
    api.store.add_kudos(Kudos("kq", "acme", sender, (solo,), "bravo",
                              datetime.combine(public_week, datetime.min.time(), UTC) + noon,
                              "rigueur"), {solo: "solo"})
    publish(api.store)
    quiet = await point(api, "solo", "kudos", **span(private_week))
    assert quiet["received"] == 0 and quiet["values"] == {}  # private kudos never count
    # A public one to a one-person team is below k: withheld, and its tag is never shown.
    public = await point(api, "solo", "kudos", **span(public_week))
    assert public["received"] is None and public["recipients"] == "<5"
    assert public["reason"] == "below_threshold" and public["values"] == {}
    for p in (quiet, public):
        assert "entraide" not in str(p) and "rigueur" not in str(p)
