"""POST /api/v1/events and GET /api/v1/admin/deliveries: auth, validation, tenant scoping."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from adapters.db.store import SqlStore
from app import build_app
from pulse.core.apikeys import create_api_key
from pulse.core.clock import FixedClock
from pulse.core.model import Tenant
from settings import Settings
from testing.delivery import delivery_team


@pytest.fixture
def api(store: SqlStore, clock: FixedClock) -> tuple[TestClient, dict[str, str]]:
    delivery_team(store, 2, manager=False)
    store.add_tenant(Tenant("other", "Other"))
    _, token = create_api_key(store, "acme", "hr", ["admin"])
    app = build_app(Settings(demo=True, migrate_on_start=False), store=store, clock=clock)
    return TestClient(app), {"Authorization": f"Bearer {token}"}


def event(person: str = "t1-p0", type_: str = "onboarding_day_7", **kw: str) -> dict[str, str]:
    return {"person": person, "type": type_, "occurred_at": "2026-03-04T08:00:00+01:00", **kw}


def test_event_schedules_the_micro_survey_once(api: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = api
    first = client.post("/api/v1/events", json=event(), headers=auth)
    assert first.status_code == 202, first.text
    body = first.json()
    assert body["created"] is True and body["person"] == "t1-p0"
    # 2 h after the event, but never before now (09:30 UTC = 10:30 Paris, inside hours).
    assert datetime.fromisoformat(body["send_at"]) == datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
    again = client.post("/api/v1/events", json=event(), headers=auth)
    assert again.status_code == 202 and again.json()["created"] is False
    listed = client.get("/api/v1/admin/deliveries", headers=auth).json()
    assert [d["payload"]["round_id"] for d in listed] == [body["round_id"]]
    assert listed[0]["status"] == "pending" and listed[0]["kind"] == "pulse"


@pytest.mark.parametrize("payload, code, needle", [
    (event(type_="birthday"), 422, "onboarding_day_7"),
    (event(occurred_at="2026-03-04T08:00:00"), 422, "timezone"),
    (event(occurred_at="yesterday"), 422, "datetime"),
    (event(person="ghost"), 404, "ghost"),
    (event(type_="job_change"), 422, "no active question is tagged"),
])
def test_bad_events_get_a_clear_4xx(
    api: tuple[TestClient, dict[str, str]], payload: dict[str, str], code: int, needle: str
) -> None:
    client, auth = api
    response = client.post("/api/v1/events", json=payload, headers=auth)
    assert response.status_code == code
    assert needle in response.text


def test_admin_routes_need_an_admin_key(
    api: tuple[TestClient, dict[str, str]], store: SqlStore
) -> None:
    client, _ = api
    assert client.get("/api/v1/admin/deliveries").status_code == 401
    assert client.get("/api/v1/admin/deliveries",
                      headers={"Authorization": "Bearer mk_nope"}).status_code == 401
    _, reader = create_api_key(store, "acme", "bi", ["analytics:read"])
    headers = {"Authorization": f"Bearer {reader}"}
    assert client.get("/api/v1/admin/deliveries", headers=headers).status_code == 403
    assert client.post("/api/v1/events", json=event(), headers=headers).status_code == 403


def test_other_tenants_see_nothing_and_cannot_target_our_people(
    api: tuple[TestClient, dict[str, str]], store: SqlStore
) -> None:
    client, auth = api
    client.post("/api/v1/events", json=event(), headers=auth)
    _, token = create_api_key(store, "other", "hr", ["admin"])
    theirs = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/admin/deliveries", headers=theirs).json() == []
    assert client.post("/api/v1/events", json=event(), headers=theirs).status_code == 404
    assert client.get("/api/v1/admin/deliveries?status=bogus", headers=auth).status_code == 422
