"""Comments → background classification → irritants API → 'you said, we did' (SQLite and PG)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from adapters.db.store import SqlStore
from adapters.web.gateway import WebGateway
from app import build_app
from bot.replies import Notice
from pulse.core.apikeys import create_api_key
from pulse.core.clock import FixedClock
from pulse.core.model import Locale, Person
from pulse.irritants.model import (
    CategoryScore,
    Classification,
    IrritantCategory,
    IrritantFilter,
    Polarity,
)
from pulse.irritants.service import classify_pending
from pulse.surveys import service as services
from settings import Settings
from testing import factories


class KeywordClassifier:
    """A fast stand-in for the model in DB tests: 'plante'/'crashes' → negative tools."""

    model_version = "keyword-test"

    def classify(self, texts: Sequence[str], tenant_id: str | None = None) -> list[Classification]:
        out = []
        for text in texts:
            low = text.lower()
            negative = any(w in low for w in ("plante", "crash", "marre", "fed up"))
            out.append(Classification(
                Polarity.NEGATIVE if negative else Polarity.POSITIVE, -0.8 if negative else 0.7,
                (CategoryScore(IrritantCategory.TOOLS, 0.7),), "fr" if "le " in low else "en",
                self.model_version))
        return out


def advisers(store: SqlStore, n: int = 10) -> list[Person]:
    """Teams t1 and it of acme; n advisers p<i> of t1 (FR and EN by turns), on the web chat."""
    factories.tenant(store, "acme", "Acme")
    factories.team(store, "t1", "acme", "Support")
    factories.team(store, "it", "acme", "IT")
    return [factories.person(store, f"p{i}", name=f"Adviser{i} Name{i}",
                             locale=Locale.FR if i % 2 == 0 else Locale.EN, team="t1",
                             since=date(2026, 1, 1), link=factories.WEB, external_id=f"w{i}")
            for i in range(n)]


@pytest.fixture
def app_parts(store: SqlStore, clock: FixedClock) -> tuple[TestClient, WebGateway, str, str]:
    factories.tenant(store, "acme", "Acme")
    app = build_app(Settings(demo=True, migrate_on_start=False), store=store, clock=clock)
    gateway = app.state.runtime.gateways["web"]  # the local web chat's gateway
    assert isinstance(gateway, WebGateway)
    _, reader = create_api_key(store, "acme", "reader", ["analytics:read"])
    _, admin = create_api_key(store, "acme", "admin", ["admin"])
    return TestClient(app), gateway, reader, admin


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_comments_become_irritants_and_reporter_hears_back(
    store: SqlStore, clock: FixedClock, app_parts: tuple[TestClient, WebGateway, str, str]
) -> None:
    client, gateway, reader, admin = app_parts
    people = advisers(store)
    for i, person in enumerate(people):
        text = (f"Le CRM plante encore, appelez Adviser{(i + 1) % 10} au 06 12 34 56 78"
                if person.locale is Locale.FR else "The CRM crashes again, email me@example.com")
        services.add_comment(store, clock, person, None, text, "irritant" if i < 2 else "pulse")
    services.add_comment(store, clock, people[3], None, "Great team this week", "pulse")
    assert client.get("/api/v1/irritants", headers=auth(reader)).json()["groups"] == []

    assert classify_pending(store, KeywordClassifier(), clock, batch_size=4) == 4
    assert classify_pending(store, KeywordClassifier(), clock, batch_size=64) == 7
    assert classify_pending(store, KeywordClassifier(), clock) == 0
    # The week is open: nothing reaches the owners yet, not even a count.
    assert client.get("/api/v1/irritants", headers=auth(reader)).json()["groups"] == []
    clock.advance(timedelta(days=6))  # Tuesday of the next week: W10 has closed

    body = client.get("/api/v1/irritants", params={"period": "2026-03"},
                      headers=auth(reader)).json()
    (group,) = body["groups"]
    assert group["hidden"] is False and group["count"] == 10  # the positive comment is no irritant
    for item in group["irritants"]:
        assert item["category"] == "tools_systems" and item["status"] == "new"
        assert item["period"] == "2026-03" and "created_at" not in item
        assert "06 12" not in item["text"] and "@example.com" not in item["text"]
        assert "Adviser" not in item["text"]
        assert set(item) >= {"id", "team_id", "language", "owner_team_id"}
        assert not any(p.id in str(item.values()) for p in people)

    target = group["irritants"][0]["id"]
    reporter = store.get_person(store.reporter_of(target) or "")
    assert reporter is not None
    r = client.patch(f"/api/v1/irritants/{target}", json={"status": "acknowledged"},
                     headers=auth(admin))
    assert r.status_code == 200 and r.json()["status"] == "acknowledged"
    everyone = [m for i in range(10) for m in gateway.inbox(f"w{i}")]
    assert everyone == []
    r = client.patch(f"/api/v1/irritants/{target}",
                     json={"status": "resolved", "owner_note": "New CRM servers since Monday",
                           "category": "tools_systems"}, headers=auth(admin))
    assert r.status_code == 200
    assert "person" not in str(r.json()) and reporter.id not in str(r.json())
    inboxes = {f"w{i}": gateway.inbox(f"w{i}") for i in range(10)}
    assert [k for k, msgs in inboxes.items() if msgs] == [f"w{reporter.id[1:]}"]
    (message,) = inboxes[f"w{reporter.id[1:]}"]
    (notice,) = message.replies
    assert isinstance(notice, Notice) and "New CRM servers since Monday" in notice.text
    said = "Vous l'avez dit" if reporter.locale is Locale.FR else "You said, we did"
    assert said in notice.text


def test_lifecycle_errors_and_category_correction(
    store: SqlStore, clock: FixedClock, app_parts: tuple[TestClient, WebGateway, str, str]
) -> None:
    client, gateway, reader, admin = app_parts
    people = advisers(store)
    for person in people:
        services.add_comment(store, clock, person, None, "Le CRM plante", "irritant")
    classify_pending(store, KeywordClassifier(), clock)
    irritant = store.list_irritants("acme", IrritantFilter())[0]
    url = f"/api/v1/irritants/{irritant.id}"
    assert client.patch(url, json={"status": "new"}, headers=auth(admin)).status_code == 200
    assert client.patch(url, json={"status": "wont_fix"}, headers=auth(admin)).status_code == 200
    assert client.patch(url, json={"status": "resolved"}, headers=auth(admin)).status_code == 409
    assert client.patch(url, json={"status": "bogus"}, headers=auth(admin)).status_code == 422
    assert client.patch(url, json={"who": "x"}, headers=auth(admin)).status_code == 422
    assert client.patch(url, json={"status": "acknowledged"},
                        headers=auth(reader)).status_code == 403
    assert client.patch(url, json={"status": "acknowledged"}).status_code == 401
    assert client.patch("/api/v1/irritants/nope", json={"status": "acknowledged"},
                        headers=auth(admin)).status_code == 404
    r = client.patch(url, json={"category": "pay_benefits", "owner_team_id": "it"},
                     headers=auth(admin))
    assert r.json()["category"] == "pay_benefits" and r.json()["owner_team_id"] == "it"
    labelled = store.labelled_comments("acme")
    assert [cat for _, cat in labelled if cat is not None] == [IrritantCategory.PAY]
    assert all(gateway.inbox(f"w{i}") == [] for i in range(10))  # won't-fix tells nobody


def test_small_groups_are_withheld_and_trends_count_categories(
    store: SqlStore, clock: FixedClock, app_parts: tuple[TestClient, WebGateway, str, str]
) -> None:
    client, _, reader, _ = app_parts
    people = advisers(store, n=9)
    for person in people:
        services.add_comment(store, clock, person, None, "Le CRM plante", "irritant")
        services.add_comment(store, clock, person, None, "Fed up with the CRM", "irritant")
    classify_pending(store, KeywordClassifier(), clock)
    clock.advance(timedelta(days=6))  # W10 closed
    (group,) = client.get("/api/v1/irritants", headers=auth(reader)).json()["groups"]
    assert group["hidden"] is True and group["irritants"] == [] and group["count"] is None
    weekly = client.get("/api/v1/irritants/trends", params={"bucket": "week",
                        "first": "2026-W10", "last": "2026-W10"}, headers=auth(reader)).json()
    assert weekly["periods"] == [{"period": "2026-W10", "hidden": True, "counts": None,
                                  "reason": "below_k", "weeks_used": None}]

    extra = factories.person(store, "p9", name="Tenth Person", team="t1", since=date(2026, 1, 1))
    clock.advance(timedelta(days=-5))  # back inside W10, as if the tenth had written then
    services.add_comment(store, clock, extra, None, "Le CRM plante", "irritant")
    classify_pending(store, KeywordClassifier(), clock)
    params = {"bucket": "week", "first": "2026-W10", "last": "2026-W11"}
    # W10 is still open now: nothing, and W11 is not asked before it closes.
    assert client.get("/api/v1/irritants/trends", params=params,
                      headers=auth(reader)).json()["periods"] == []
    clock.advance(timedelta(days=5))
    trends = client.get("/api/v1/irritants/trends", params=params, headers=auth(reader)).json()
    assert trends["periods"] == [{"period": "2026-W10", "hidden": False,
                                  "counts": {"tools_systems": 19}, "reason": None,
                                  "weeks_used": None}]
    assert client.get("/api/v1/irritants", params={"period": "March"},
                      headers=auth(reader)).status_code == 422
    week = client.get("/api/v1/irritants", params={"period": "2026-W11", "status": "new"},
                      headers=auth(reader)).json()
    assert week["groups"] == []


def test_trends_refuse_free_windows_and_bad_keys(
    store: SqlStore, app_parts: tuple[TestClient, WebGateway, str, str]
) -> None:
    client, _, reader, _ = app_parts
    advisers(store, n=1)
    for params in ({"start": "2026-03-02", "end": "2026-03-03"}, {"start": "2026-03-02"},
                   {"bucket": "week", "first": "2026-03"}, {"first": "W10"},
                   {"bucket": "day"}):
        r = client.get("/api/v1/irritants/trends", params=params, headers=auth(reader))
        assert r.status_code == 422, params
        assert r.json()["detail"]
    r = client.get("/api/v1/irritants/trends", params={"team": "nope"}, headers=auth(reader))
    assert r.status_code == 404


def test_a_new_irritant_never_appears_alone_within_seconds(
    store: SqlStore, clock: FixedClock, app_parts: tuple[TestClient, WebGateway, str, str]
) -> None:
    client, _, reader, _ = app_parts
    people = advisers(store)
    for person in people:
        services.add_comment(store, clock, person, None, "Le CRM plante", "irritant")
    classify_pending(store, KeywordClassifier(), clock)
    clock.advance(timedelta(days=6))  # W10 has closed: its batch is out

    def listing(**params: str) -> tuple[set[str], list[dict[str, object]]]:
        body = client.get("/api/v1/irritants", params=params, headers=auth(reader)).json()
        return ({i["id"] for g in body["groups"] for i in g["irritants"]}, body["groups"])

    before, groups = listing()
    assert len(before) == 10 and groups[0]["count"] == 10
    # The attack: watch who posts, read again seconds later, the new id names its author.
    services.add_comment(store, clock, people[0], None, "Le CRM plante encore", "irritant")
    classify_pending(store, KeywordClassifier(), clock)
    clock.advance(timedelta(seconds=5))
    after, groups = listing()
    assert after == before and groups[0]["count"] == 10
    assert listing(period="2026-W11") == (set(), [])
    # Once W11 closes, its texts come out together (one here, and still below k reporters: the
    # group is withheld rather than shown alone).
    clock.advance(timedelta(days=7))
    week11, groups = listing(period="2026-W11")
    assert week11 == set() and groups[0]["hidden"] is True
