"""Edge cases of the analytics API on SQLite and PostgreSQL: keys of another tenant and revoked
keys, NUL and huge ids, huge periods, bucket edges at DST changes and year ends, and a parent
whose remainder next to a displayed sub-team is 1..4 people. Series read published cells: each
test runs the publication over the closed weeks it seeded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from pulse.core.apikeys import create_api_key
from pulse.core.model import Tenant
from pulse.surveys.model import Answer, Invitation, PulseRound
from testing.analytics_api import Q_ENPS, Q_TOOLS, Api, answer_week, last_week, publish
from testing.factories import staffed_team_ids as add_team


async def test_a_key_never_reaches_another_tenant(api: Api) -> None:
    add_team(api.store, "fr", 5)
    api.store.add_tenant(Tenant("rival", "Rival"))
    add_team(api.store, "rival-team", 5, tenant="rival")
    _, rival = create_api_key(api.store, "rival", "rival", ["admin"])
    teams = (await api.get("/api/v1/teams", token=rival)).json()
    assert [t["id"] for t in teams] == ["rival-team"]
    for path in ("/api/v1/teams/fr", "/api/v1/teams/fr/pulse", "/api/v1/teams/fr/kudos"):
        r = await api.get(path, token=rival)
        assert r.status_code == 404 and "not found" in r.json()["detail"], path


async def test_a_revoked_key_is_a_401(api: Api) -> None:
    add_team(api.store, "fr", 5)
    assert (await api.get("/api/v1/teams")).status_code == 200
    with api.store.session() as s:
        s.execute(text("UPDATE api_key SET revoked_at = :now"), {"now": datetime.now(UTC)})
    r = await api.get("/api/v1/teams")
    assert r.status_code == 401 and "revoked" in r.json()["detail"]


@pytest.mark.parametrize("team_id", ["fr%00", "x" * 5000, "%F0%9F%9B%A0"])
async def test_odd_team_ids_are_a_404(api: Api, team_id: str) -> None:
    add_team(api.store, "fr", 5)
    for series in ("", "/pulse", "/enps"):
        r = await api.get(f"/api/v1/teams/{team_id}{series}")
        assert r.status_code == 404, (team_id, series, r.text)
        assert "not found" in r.json()["detail"]


@pytest.mark.parametrize(("bucket", "start", "end", "status", "count"), [
    ("month", "2016-04-01", "2026-03-31", 200, 120),  # ten years of months
    ("week", "2016-03-21", "2026-03-04", 200, 520),  # ten years of weeks: the cap
    ("week", "2016-03-20", "2026-03-04", 422, 0),  # one day (so one week) more
    ("month", "1970-01-01", "2999-12-31", 422, 0),
    ("week", "2999-12-30", "2999-12-31", 200, 1),  # the last days allowed are in 3000-W01
])
async def test_huge_periods_are_capped_with_a_clear_422(
    api: Api, bucket: str, start: str, end: str, status: int, count: int
) -> None:
    add_team(api.store, "fr", 5)
    r = await api.get("/api/v1/teams/fr/pillars", bucket=bucket, **{"from": start, "to": end})
    assert r.status_code == status, r.text
    if status == 200:
        assert len(r.json()["points"]) == count
    else:
        assert r.json()["detail"][0]["loc"] == ["query", "from"]
        assert "520 buckets" in r.json()["detail"][0]["msg"]


@pytest.mark.parametrize(("at", "bucket", "key"), [
    # Paris springs forward on Sunday 2026-03-29: Monday starts at 22:00 UTC, not 23:00.
    ("2026-03-29T21:59:59+00:00", "week", "2026-W13"),
    ("2026-03-29T22:00:00+00:00", "week", "2026-W14"),
    # and falls back on Sunday 2025-10-26: Monday starts at 23:00 UTC.
    ("2025-10-26T22:59:59+00:00", "week", "2025-W43"),
    ("2025-10-26T23:00:00+00:00", "week", "2025-W44"),
    # New Year in Paris is 23:00 UTC; 2027-01-01 is a Friday of ISO week 2026-W53.
    ("2026-12-31T22:59:59+00:00", "month", "2026-12"),
    # Months are made of published weeks (a week belongs to the month of its Thursday): 1 January
    # 2027 is in 2026-W53, whose Thursday is 31 December, so it counts in December.
    ("2026-12-31T23:00:00+00:00", "month", "2026-12"),
    ("2027-01-03T23:00:00+00:00", "month", "2027-01"),
    ("2027-01-03T22:59:59+00:00", "week", "2026-W53"),
    ("2027-01-03T23:00:00+00:00", "week", "2027-W01"),
])
async def test_bucket_edges_at_dst_changes_and_year_ends(
    api: Api, at: str, bucket: str, key: str
) -> None:
    people = add_team(api.store, "fr", 5)
    instant = datetime.fromisoformat(at)
    api.store.add_round(PulseRound("edge", "acme", "fr", instant - timedelta(days=1),
                                   instant + timedelta(days=1)))
    for pid in people:
        api.store.add_invitation(Invitation("edge", pid, (Q_TOOLS.id,)))
        api.store.record_answer(Answer("edge", pid, Q_TOOLS.id, "fr", 4, instant))
    publish(api.store, instant + timedelta(days=40))  # every bucket around it is closed then
    day = instant.date()
    period = {"from": (day - timedelta(days=10)).isoformat(),
              "to": (day + timedelta(days=10)).isoformat()}
    r = await api.get("/api/v1/teams/fr/pulse", bucket=bucket, **period)
    assert r.status_code == 200, r.text
    # Empty weeks publish n = 0; a month none of whose weeks shows anything has n = null.
    counted = {p["bucket"]: p["n"] for p in r.json()["points"] if p["n"] not in (0, None)}
    assert counted == {key: 5}
    point = next(p for p in r.json()["points"] if p["bucket"] == key)
    assert datetime.fromisoformat(point["start"]) <= instant < datetime.fromisoformat(
        point["end"])


@pytest.mark.parametrize("direct", [0, 1, 4, 5])
async def test_sub_team_hidden_when_the_parents_remainder_is_1_to_4(api: Api, direct: int) -> None:
    # ops = `direct` members of its own + fr (6). Showing fr next to ops would expose the
    # direct members by subtraction when there are 1..4 of them, on every metric.
    ops = add_team(api.store, "ops", direct)
    fr = add_team(api.store, "fr", 6, parent="ops")
    monday = last_week()
    answers = {p: [(Q_TOOLS, 4), (Q_ENPS, 9)] for p in [*ops, *fr]}
    answer_week(api.store, "ops", monday, ops, answers)
    answer_week(api.store, "fr", monday, fr, answers)
    publish(api.store)
    week = {"from": monday.isoformat(), "to": monday.isoformat()}
    hidden = 1 <= direct <= 4
    for series in ("pulse", "enps", "pillars"):
        [parent] = (await api.get(f"/api/v1/teams/ops/{series}", **week)).json()["points"]
        [child] = (await api.get(f"/api/v1/teams/fr/{series}", **week)).json()["points"]
        if series == "pillars":
            parent, child = parent["pillars"]["tools_information"], child["pillars"][
                "tools_information"]
        assert parent["n"] == 6 + direct and parent["value"] is not None, series
        if hidden:
            assert child["value"] is None and child["n"] is None, (series, child)
            assert child["reason"] == "complementary_suppression"
        else:
            assert child["n"] == 6 and child["value"] is not None, (series, child)
