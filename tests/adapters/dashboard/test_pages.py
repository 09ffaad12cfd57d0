"""Pages by role: reach (404 outside it), the barometer equals /api/v1/link/*, board, settings."""

from __future__ import annotations

import pytest

from adapters.dashboard import data
from pulse.core.apikeys import create_api_key, list_keys
from pulse.core.model import Bucket
from pulse.core.reach import reach_of
from testing.dashboard import (
    ADMIN,
    ADVISERS_A,
    CX_LEAD,
    MANAGER_A,
    PARENT,
    TEAM_A,
    TEAM_B,
)

from .conftest import Dash, csrf_of


def test_a_manager_sees_only_their_subtree(dash: Dash) -> None:
    dash.sign_in(MANAGER_A)
    home = dash.client.get("/dashboard", follow_redirects=False)
    assert home.headers["location"] == "/dashboard/overview"
    overview = dash.client.get("/dashboard/overview")
    assert "Équipe Lyon" in overview.text and "Équipe Nantes" not in overview.text
    assert "Service client" not in overview.text
    assert dash.client.get(f"/dashboard/teams/{TEAM_A}").status_code == 200
    other = dash.client.get(f"/dashboard/teams/{TEAM_B}")
    ghost = dash.client.get("/dashboard/teams/no-such-team")
    assert other.status_code == ghost.status_code == 404  # 404, never 403
    assert other.text.replace(TEAM_B, "") == ghost.text.replace("no-such-team", "")
    assert dash.client.get("/dashboard/barometer").status_code == 404
    assert dash.client.get("/dashboard/settings").status_code == 404


def test_an_adviser_sees_their_team_and_their_own_answers(dash: Dash) -> None:
    me = ADVISERS_A[0]
    dash.sign_in(me)
    home = dash.client.get("/dashboard", follow_redirects=False)
    assert home.headers["location"] == f"/dashboard/teams/{TEAM_A}"
    team = dash.client.get(f"/dashboard/teams/{TEAM_A}")
    assert team.status_code == 200 and 'id="kpi-pulse"' in team.text
    assert "Mes outils m&#39;aident." in dash.client.get("/dashboard/me").text
    for path in (f"/dashboard/teams/{PARENT}", f"/dashboard/teams/{TEAM_B}",
                 "/dashboard/irritants", "/dashboard/barometer", "/dashboard/settings"):
        assert dash.client.get(path).status_code == 404, path


def test_pages_speak_the_chosen_language(dash: Dash) -> None:
    dash.sign_in(CX_LEAD)  # an English speaker
    assert 'lang="en"' in dash.client.get("/dashboard/overview").text
    french = dash.client.get("/dashboard/overview?lang=fr")
    assert 'lang="fr"' in french.text and "Vue d&#39;ensemble" in french.text
    assert 'lang="fr"' in dash.client.get(f"/dashboard/teams/{TEAM_A}").text  # remembered


def test_bad_input_gets_a_clear_4xx(dash: Dash) -> None:
    dash.sign_in(ADMIN)
    for path in ("/dashboard/barometer?from=2026-13-01&to=2026-02-01",
                 "/dashboard/barometer?from=2026-02-01", "/dashboard/barometer?bucket=year",
                 "/dashboard/barometer?period=2026-03", "/dashboard/overview?month=1999-01"):
        page = dash.client.get(path)
        assert page.status_code == 422, path
        assert "<h1>" in page.text


def test_the_barometer_shows_what_the_link_api_answers(dash_full: Dash) -> None:
    dash = dash_full
    _, token = create_api_key(dash.store, dash.org.tenant, "t", ["analytics:read"])
    auth = {"Authorization": f"Bearer {token}"}
    runtime = dash.client.app.state.runtime  # type: ignore[attr-defined]
    view = data.barometer(runtime, reach_of(dash.store, CX_LEAD, dash.clock.now().date()),
                          k_cx=30, bucket=Bucket.WEEK, first=None, last=None, team_id=TEAM_A,
                          symmetry_bucket=None)
    window = {"from": view.first, "to": view.last, "bucket": "week"}
    team = dash.client.get("/api/v1/link/correlation",
                           params={**window, "scope": f"team:{TEAM_A}"}, headers=auth).json()
    link = view.link
    assert link is not None and link.n == team["n"] and link.pearson_r == team["pearson"]["r"]
    assert list(link.pearson_ci or ()) == list(team["pearson"]["ci95"] or ())
    assert link.reading == team["reading"]["code"] and link.n >= 8
    assert [(b.k, b.r, b.n) for b in link.lags] == [
        (lag["k"], lag["r"], lag["n"]) for lag in team["lag_scan"]["lags"]]
    assert link.direction == team["lag_scan"]["direction"]
    org = dash.client.get("/api/v1/link/correlation", params={**window, "scope": "org"},
                          headers=auth).json()
    assert (view.org_total, view.org_within) == (org["total"]["r"], org["pooled_within"]["r"])
    sym = dash.client.get("/api/v1/link/symmetry", params={"bucket": view.symmetry_bucket},
                          headers=auth).json()
    assert {p.team.id: (p.z_ex, p.gap, p.quadrant, p.label) for p in view.quadrant} == {
        t["team_id"]: (t["z_ex"], t["gap"], t["quadrant"], t["label"]) for t in sym["teams"]}
    dash.sign_in(CX_LEAD)
    page = dash.client.get(f"/dashboard/barometer?team={TEAM_A}")
    assert page.status_code == 200
    assert f'data-k="pearson_r">{team["pearson"]["r"]:.2f}<' in page.text
    assert dash.client.get("/dashboard/barometer?team=nope").status_code == 404


@pytest.mark.parametrize("who", [ADMIN, MANAGER_A])
async def test_resolving_an_irritant_tells_its_reporter(dash: Dash, who: object) -> None:
    dash.sign_in(who)  # type: ignore[arg-type]
    board = dash.client.get("/dashboard/irritants")
    assert board.status_code == 200
    assert "Le CRM se fige tous les matins." in board.text
    assert "Too many calls" not in board.text  # two reporters in Nantes: hidden at k = 10
    assert ("Équipe Nantes" in board.text) is (who is ADMIN)  # named as hidden, if in reach
    irritant = dash.org.irritant_ids[0]
    moved = dash.client.post(f"/dashboard/irritants/{irritant}", data={
        "status": "resolved", "note": "Nouveau CRM installé", "csrf": csrf_of(board.text)},
        follow_redirects=False)
    assert moved.status_code == 303
    gateway = dash.client.app.state.runtime.gateways["web"]  # type: ignore[attr-defined]
    [message] = gateway.inbox(ADVISERS_A[0].id)
    assert "Nouveau CRM installé" in message.replies[0].text
    again = dash.client.post(f"/dashboard/irritants/{irritant}", data={
        "status": "wont_fix", "csrf": csrf_of(board.text)})
    assert again.status_code == 409  # resolved → won't fix is not a move the lifecycle allows


def test_a_cx_lead_reads_the_board_but_does_not_move_cards(dash: Dash) -> None:
    dash.sign_in(CX_LEAD)
    board = dash.client.get("/dashboard/irritants")
    assert "Le CRM se fige" in board.text and 'action="/dashboard/irritants/' not in board.text
    moved = dash.client.post(f"/dashboard/irritants/{dash.org.irritant_ids[0]}",
                             data={"status": "acknowledged", "csrf": csrf_of(board.text)})
    assert moved.status_code == 404


def test_admin_settings(dash: Dash) -> None:
    dash.sign_in(ADMIN)
    page = dash.client.get("/dashboard/settings")
    assert page.status_code == 200
    csrf = csrf_of(page.text)
    made = dash.client.post("/dashboard/settings/keys",
                            data={"csrf": csrf, "name": "BI", "scopes": ["analytics:read"]})
    assert made.status_code == 200 and 'id="new-token">mk_' in made.text
    [key] = list_keys(dash.store, dash.org.tenant)
    assert dash.client.post(f"/dashboard/settings/keys/{key.id}/revoke",
                            data={"csrf": csrf}).status_code == 200
    assert list_keys(dash.store, dash.org.tenant)[0].revoked_at is not None
    refused = dash.client.post("/dashboard/settings/keys",
                               data={"csrf": csrf, "name": "x", "scopes": ["root"]})
    assert refused.status_code == 422
    cadence = dash.client.post("/dashboard/settings/cadence", data={
        "csrf": csrf, "team": TEAM_A, "every": "fortnightly", "day": "thu", "at": "11:30"})
    assert cadence.status_code == 200
    schedule = dash.store.get_schedule(TEAM_A)
    assert schedule is not None and (str(schedule.cadence), schedule.weekday, schedule.hour) == (
        "fortnightly", 3, 11)
    assert dash.client.post("/dashboard/settings/cadence", data={
        "csrf": csrf, "team": TEAM_A, "every": "daily", "day": "thu", "at": "11:30"}
    ).status_code == 422
    added = dash.client.post("/dashboard/settings/questions", data={
        "csrf": csrf, "pillar": "belonging", "text_fr": "J'aime mon équipe.",
        "text_en": "I like my team."})
    assert added.status_code == 200 and "I like my team." in dash.client.get(
        "/dashboard/settings?lang=en").text
    off = dash.client.post("/dashboard/settings/questions/dq-tools",
                           data={"csrf": csrf, "active": "0"})
    assert off.status_code == 200
    assert not dash.store.get_question("dq-tools").active  # type: ignore[union-attr]
    roster = ("team_id,team_name,person_id,display_name,role,valid_from\n"
              f"{TEAM_A},Équipe Lyon,zed,Zed Zola,cx_lead,2026-01-01\n"
              f"{TEAM_A},Équipe Lyon,bad,Bad Role,boss,2026-01-01\n")
    report = dash.client.post("/dashboard/settings/roster", data={"csrf": csrf},
                              files={"file": ("roster.csv", roster.encode(), "text/csv")})
    assert report.status_code == 200 and 'id="roster-report"' in report.text
    assert "boss" in report.text and dash.store.get_person("zed") is not None
    csat = "date,team,score\n2026-03-02,Équipe Lyon,5\n"
    uploaded = dash.client.post("/dashboard/settings/csat", data={"csrf": csrf, "profile":
                                                                  "generic"},
                                files={"file": ("csat.csv", csat.encode(), "text/csv")})
    assert uploaded.status_code in (200, 422) and 'id="csat-report"' in uploaded.text
    no_token = dash.client.post("/dashboard/settings/keys", data={"name": "x"})
    assert no_token.status_code == 403


def test_only_admins_reach_settings(dash: Dash) -> None:
    dash.sign_in(CX_LEAD)
    assert dash.client.get("/dashboard/settings").status_code == 404
    page = dash.client.get("/dashboard/overview")
    assert dash.client.post("/dashboard/settings/keys", data={
        "csrf": csrf_of(page.text), "name": "x", "scopes": ["admin"]}).status_code == 404
