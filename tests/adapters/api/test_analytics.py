"""The analytics API on SQLite and PostgreSQL: published series, anonymity, auth and bad input.

Series read published cells: tests seed closed weeks, run the publication, then read."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from adapters.db.store import SqlStore
from pulse.analytics import service as analytics
from pulse.analytics.publication import publish_due
from pulse.core.apikeys import create_api_key
from pulse.core.model import Tenant
from pulse.kudos.model import Kudos
from pulse.surveys.model import Answer, Invitation, PulseRound
from testing.analytics_api import (
    NOW,
    Q_ENPS,
    Q_PAY,
    Q_TOOLS,
    Api,
    answer_week,
    last_week,
    publish,
    weeks_back,
)
from testing.factories import staffed_team_ids as add_team


async def test_twelve_weekly_values_by_default(api: Api) -> None:
    *people, silent = add_team(api.store, "fr", 7)
    for i, monday in enumerate(weeks_back(12)):
        value = 1 + i % 5
        answer_week(api.store, "fr", monday, people,
                    {p: [(Q_TOOLS, value)] for p in people}, invited=[silent])
    publish(api.store)
    r = await api.get("/api/v1/teams/fr/pulse", bucket="week")
    assert r.status_code == 200, r.text
    body = r.json()
    points = body["points"]
    assert len(points) == 12
    assert points[-1]["bucket"] == "2026-W10" and points[0]["bucket"] == "2025-W51"
    closed, current = points[:-1], points[-1]
    assert [p["value"] for p in closed] == pytest.approx([(i % 5) * 2.5 for i in range(11)])
    assert all(p["n"] == 6 and not p["suppressed"] for p in closed)
    assert all(p["participation"] == pytest.approx(6 / 7) for p in closed)
    # The open week: participation counts only, never a value.
    assert current["open"] is True and current["value"] is None and current["n"] is None
    assert (current["answered"], current["invited"], current["reason"]) == (6, 7, "open")
    assert points[0]["favourable_pct"] == 0 and points[3]["favourable_pct"] == 100
    assert body["timezone"] == "Europe/Paris" and body["k"] == 5


async def test_four_respondents_give_less_than_five_and_null(api: Api) -> None:
    people = add_team(api.store, "small", 4)
    monday = last_week()
    answer_week(api.store, "small", monday, people, {p: [(Q_TOOLS, 5)] for p in people})
    publish(api.store)
    r = await api.get("/api/v1/teams/small/pulse", bucket="week",
                      **{"from": monday.isoformat(), "to": monday.isoformat()})
    assert r.status_code == 200, r.text
    [point] = r.json()["points"]
    assert point["n"] == "<5" and point["value"] is None and point["suppressed"] is True
    assert point["reason"] == "below_threshold" and point["participation"] is None
    assert point["favourable_pct"] is None and point["mean_100"] is None


async def test_complementary_suppression_through_the_api(api: Api) -> None:
    # Parent "ops" has 2 direct members, children "fr" (6) and "en" (7). Showing both children
    # next to ops (15) would expose the 2 by subtraction, so the smaller child, fr, is hidden.
    ops = add_team(api.store, "ops", 2)
    fr = add_team(api.store, "fr", 6, parent="ops")
    en = add_team(api.store, "en", 7, parent="ops")
    monday = last_week()
    answer_week(api.store, "ops", monday, ops, {p: [(Q_TOOLS, 1)] for p in ops})
    answer_week(api.store, "fr", monday, fr, {p: [(Q_TOOLS, 5)] for p in fr})
    answer_week(api.store, "en", monday, en, {p: [(Q_TOOLS, 3)] for p in en})
    publish(api.store)
    week = {"from": monday.isoformat(), "to": monday.isoformat()}
    parent = (await api.get("/api/v1/teams/ops/pulse", **week)).json()["points"][0]
    child = (await api.get("/api/v1/teams/fr/pulse", **week)).json()["points"][0]
    sibling = (await api.get("/api/v1/teams/en/pulse", **week)).json()["points"][0]
    assert parent["n"] == 15 and parent["value"] == pytest.approx((2 * 0 + 6 * 10 + 7 * 5) / 15)
    assert sibling["n"] == 7 and sibling["value"] == pytest.approx(5.0)
    assert child["suppressed"] and child["value"] is None and child["n"] is None
    assert child["reason"] == "complementary_suppression"
    # Three more ops members answering that week after publication change nothing: a
    # published week is never recomputed (late answers stay in the person's own history).
    ops_more = add_team(api.store, "ops2", 3, parent="ops")
    answer_week(api.store, "ops2", monday + timedelta(days=1), ops_more,
                {p: [(Q_TOOLS, 2)] for p in ops_more})
    publish(api.store, NOW + timedelta(days=1))
    again = (await api.get("/api/v1/teams/ops/pulse", **week)).json()["points"][0]
    assert again == parent
    child = (await api.get("/api/v1/teams/fr/pulse", **week)).json()["points"][0]
    assert child["value"] is None and child["reason"] == "complementary_suppression"


async def test_sibling_rule_in_pillars(api: Api) -> None:
    # Under a parent with no direct members, one sibling below k hides the next smallest one.
    add_team(api.store, "ops", 0)
    big = add_team(api.store, "big", 7, parent="ops")
    mid = add_team(api.store, "mid", 5, parent="ops")
    tiny = add_team(api.store, "tiny", 2, parent="ops")
    monday = last_week()
    for team, members in (("big", big), ("mid", mid), ("tiny", tiny)):
        answer_week(api.store, team, monday, members,
                    {p: [(Q_TOOLS, 4), (Q_PAY, 2)] for p in members})
    publish(api.store)
    week = {"from": monday.isoformat(), "to": monday.isoformat()}
    cells = {}
    for team in ("ops", "big", "mid", "tiny"):
        r = await api.get(f"/api/v1/teams/{team}/pillars", **week)
        assert r.status_code == 200, r.text
        cells[team] = r.json()["points"][0]["pillars"]
    assert cells["ops"]["tools_information"]["n"] == 14
    assert cells["ops"]["tools_information"]["value"] == pytest.approx(7.5)
    assert cells["ops"]["pay"]["value"] == pytest.approx(2.5)
    assert cells["big"]["tools_information"]["n"] == 7
    assert cells["tiny"]["pay"]["n"] == "<5"
    assert cells["mid"]["pay"]["reason"] == "complementary_suppression"
    assert cells["mid"]["pay"]["value"] is None
    assert cells["big"]["growth_recognition"]["reason"] == "no_responses"


async def test_enps_and_kudos(api: Api) -> None:
    values = [10, 9, 9, 8, 7, 7, 6, 5, 9, 3]  # ANALYTICS §4.5: +10.0, SE ≈ 26.27
    people = add_team(api.store, "fr", len(values))
    monday = last_week()
    # Each person first answers 0, then changes their mind in a later round of the same week:
    # only their latest eNPS answer counts.
    answer_week(api.store, "fr", monday - timedelta(days=0), people,
                {p: [(Q_ENPS, 0)] for p in people})
    late = datetime.combine(monday, datetime.min.time(), UTC) + timedelta(days=2)
    api.store.add_round(PulseRound("late", "acme", "fr", late, late + timedelta(days=1)))
    for pid, value in zip(people, values, strict=True):
        api.store.add_invitation(Invitation("late", pid, (Q_ENPS.id,)))
        api.store.record_answer(Answer("late", pid, Q_ENPS.id, "fr", value, late))
    sent = datetime.combine(monday, datetime.min.time(), UTC) + timedelta(hours=12)
    api.store.add_kudos(Kudos("k1", "acme", people[0], (people[1], people[2]), "merci", sent,
                              "entraide"), {people[1]: "fr", people[2]: "fr"})
    api.store.add_kudos(Kudos("k2", "acme", people[3], (people[1],), "top", sent),
                        {people[1]: "fr"})
    for i in range(4, 9):  # five more recipients: the count passes k
        api.store.add_kudos(Kudos(f"k{i}", "acme", people[0], (people[i],), "bravo", sent),
                            {people[i]: "fr"})
    publish(api.store)
    week = {"from": monday.isoformat(), "to": monday.isoformat()}
    [point] = (await api.get("/api/v1/teams/fr/enps", **week)).json()["points"]
    assert point["value"] == pytest.approx(10.0) and point["n"] == 10
    assert point["se"] == pytest.approx(26.27, abs=0.01)
    assert point["promoters_pct"] == pytest.approx(40.0)
    r = await api.get("/api/v1/teams/fr/kudos", **week)
    [kudos] = r.json()["points"]
    # Per-tag counts are not published (a tag of a small group tells who was thanked).
    assert (kudos["received"], kudos["recipients"], kudos["values"]) == (8, 7, {})
    assert people[0] not in r.text and people[1] not in r.text  # nobody is named


async def test_month_buckets_and_csv(api: Api) -> None:
    people = add_team(api.store, "fr", 5)
    for monday in weeks_back(6):
        answer_week(api.store, "fr", monday, people, {p: [(Q_TOOLS, 4)] for p in people})
    publish(api.store)
    r = await api.get("/api/v1/teams/fr/pulse", bucket="month", **{"from": "2026-01-01"})
    points = r.json()["points"]
    assert [p["bucket"] for p in points] == ["2026-01", "2026-02", "2026-03"]
    # Months derive from published weeks: January uses W05 only, February W06-W09; March holds
    # the open week, so it shows counts only.
    assert [p["value"] for p in points[:2]] == pytest.approx([7.5, 7.5])
    assert [p["weeks_used"] for p in points[:2]] == [1, 4] and points[1]["n"] == 20
    assert points[2]["open"] and points[2]["value"] is None and points[2]["answered"] == 5
    r = await api.get("/api/v1/teams/fr/pulse", bucket="month", format="csv",
                      **{"from": "2026-01-01"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["bucket"] for row in rows] == ["2026-01", "2026-02", "2026-03"]
    assert rows[0]["n"] == "5" and float(rows[0]["value"]) == pytest.approx(7.5)
    assert rows[2]["value"] == "" and rows[2]["open"] == "True"
    for series, column in (("pillars", "pillar"), ("enps", "se"), ("kudos", "received")):
        r = await api.get(f"/api/v1/teams/fr/{series}", bucket="month", format="csv")
        assert r.status_code == 200 and column in r.text.splitlines()[0].split(",")


def test_series_function_buckets_in_the_tenants_timezone(store: SqlStore) -> None:
    # 2025-03-30T23:30Z is Monday 01:30 in Paris: ISO week 14 there, week 13 in UTC.
    store.add_tenant(Tenant("acme", "Acme", timezone="Europe/Paris"))
    store.add_question(Q_TOOLS)
    people = add_team(store, "fr", 5)
    at = datetime(2025, 3, 30, 23, 30, tzinfo=UTC)
    store.add_round(PulseRound("r1", "acme", "fr", at - timedelta(hours=1), at + timedelta(days=1)))
    for pid in people:
        store.add_invitation(Invitation("r1", pid, (Q_TOOLS.id,)))
        store.record_answer(Answer("r1", pid, Q_TOOLS.id, "fr", 4, at))
    publish_due(store, "acme", datetime(2025, 4, 14, 12, tzinfo=UTC))
    paris = analytics.team_series(store, "acme", "fr", "week", date(2025, 3, 24), date(2025, 4, 6))
    # W13 precedes the tenant's first round (in Paris), so nothing was published for it.
    assert [(p.bucket, p.n, p.value) for p in paris] == [
        ("2025-W13", None, None), ("2025-W14", 5, pytest.approx(7.5))]
    assert paris[1].participation == 1.0 and paris[0].reason == "not_published"


async def test_teams_list_and_detail_stay_in_the_keys_tenant(api: Api) -> None:
    add_team(api.store, "ops", 2)
    add_team(api.store, "fr", 3, parent="ops")
    api.store.add_tenant(Tenant("other", "Other"))
    add_team(api.store, "rival", 4, tenant="other")
    teams = (await api.get("/api/v1/teams")).json()
    assert {t["id"] for t in teams} == {"ops", "fr"}
    assert next(t for t in teams if t["id"] == "ops")["children"] == ["fr"]
    detail = (await api.get("/api/v1/teams/ops")).json()
    assert detail["members"] == 5 and detail["descendants"] == ["fr"]
    for path in ("/api/v1/teams/rival", "/api/v1/teams/rival/pulse", "/api/v1/teams/nope/enps"):
        r = await api.get(path)
        assert r.status_code == 404 and "not found" in r.json()["detail"]


async def test_auth_errors(api: Api) -> None:
    add_team(api.store, "fr", 1)
    missing = await api.client.get("/api/v1/teams")
    assert missing.status_code == 401 and "API key" in missing.json()["detail"]
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = await api.get("/api/v1/teams/fr/pulse", token="mk_nope_secret")
    assert wrong.status_code == 401 and "invalid" in wrong.json()["detail"]
    basic = await api.client.get("/api/v1/teams", headers={"Authorization": "Basic eDp5"})
    assert basic.status_code == 401
    _, cx_only = create_api_key(api.store, "acme", "cx importer", ["cx:write"])
    forbidden = await api.get("/api/v1/teams/fr/pulse", token=cx_only)
    assert forbidden.status_code == 403 and "analytics:read" in forbidden.json()["detail"]
    _, admin = create_api_key(api.store, "acme", "admin", ["admin"])
    assert (await api.get("/api/v1/teams/fr/kudos", token=admin)).status_code == 200


@pytest.mark.parametrize(("params", "field"), [
    ({"bucket": "day"}, "bucket"),
    ({"from": "2026-13-01"}, "from"),
    ({"to": "yesterday"}, "to"),
    ({"from": "2026-03-01", "to": "2026-02-01"}, "from"),
    ({"from": "0001-01-01"}, "from"),
    ({"from": "1990-01-01", "to": "2026-01-01"}, "from"),
    ({"format": "xml"}, "format"),
])
async def test_bad_query_is_422_naming_the_field(api: Api, params: dict[str, str], field: str
                                                 ) -> None:
    add_team(api.store, "fr", 1)
    for series in ("pulse", "pillars", "enps", "kudos"):
        r = await api.get(f"/api/v1/teams/fr/{series}", **params)
        assert r.status_code == 422, (series, r.text)
        assert any(e["loc"][-1] == field for e in r.json()["detail"]), r.text


async def test_openapi_documents_the_api(api: Api) -> None:
    spec = (await api.client.get("/openapi.json")).json()
    assert "/api/v1/teams/{team_id}/pulse" in spec["paths"]
    pulse = spec["paths"]["/api/v1/teams/{team_id}/pulse"]["get"]
    assert {"401", "403", "404", "422"} <= set(pulse["responses"])
    assert {p["name"] for p in pulse["parameters"]} >= {"bucket", "from", "to", "format"}
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
