"""CX / linkage API tests: a client with a key, EX rounds and CX ratings that hit given values."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from fastapi.testclient import TestClient

from app import build_app
from pulse.core.apikeys import create_api_key
from pulse.core.clock import FixedClock
from pulse.ports import Store
from pulse.surveys.model import Pillar, Question, Scale
from settings import Settings
from testing import factories

MOOD = Question("q-mood", Pillar.BELONGING, Scale.NPS11, "Humeur ?", "Mood?")
SECRET = "zd-webhook-secret"


def make_client(store: Store, clock: FixedClock, tenant: str = "acme",
                tz: str = "Europe/Paris") -> tuple[TestClient, dict[str, str]]:
    """An app on this store, a tenant and a key with every scope (headers returned)."""
    factories.tenant(store, tenant, tenant.upper(), timezone=tz)
    settings = Settings(demo=True, migrate_on_start=False, default_tenant=tenant,
                        zendesk_webhook_secret=SECRET, zendesk_instance="acme.zendesk.com")
    client = TestClient(build_app(settings, store=store, clock=clock))
    _, token = create_api_key(store, tenant, "test", ["cx:write", "analytics:read"])
    return client, {"Authorization": f"Bearer {token}"}


def week_noon(year: int, week: int) -> datetime:
    """Wednesday 12:00 UTC of an ISO week: inside the week in any European timezone."""
    return datetime.combine(date.fromisocalendar(year, week, 3), time(12), UTC)


def ex_round(store: Store, team_id: str, people: list[str], at: datetime, mean: float,
             tenant: str = "acme") -> None:
    """One round at `at` where these people answer MOOD (0–10) averaging `mean` (one decimal)."""
    factories.questions(store, [MOOD])
    rnd = factories.pulse_round(store, f"r-{team_id}-{at.date()}", team_id, at, tenant,
                                closes=at.replace(hour=23))
    values = factories.values_averaging(len(people), mean)
    factories.answers(store, rnd, {pid: [(MOOD, v)] for pid, v in zip(people, values, strict=True)},
                      at, invite=False)


def csat_records(team_id: str, at: datetime, pct: float, n: int, tag: str) -> list[dict[str, Any]]:
    """n CSAT 1–5 ratings with exactly pct % of 4–5 (the rest 2)."""
    good = round(pct * n / 100)
    return [{"source_record_id": f"{tag}-{team_id}-{at.date()}-{i}", "metric": "csat",
             "value": 5 if i < good else 2, "responded_at": at.isoformat(), "team": team_id}
            for i in range(n)]


def post_batch(client: TestClient, headers: dict[str, str], records: list[dict[str, Any]]
               ) -> None:
    """Send records in requests of at most 5,000."""
    for i in range(0, len(records), 5000):
        resp = client.post("/api/v1/cx/ratings:batch", json={"records": records[i:i + 5000]},
                           headers=headers)
        assert resp.status_code == 200, resp.text
        assert resp.json()["rejected_count"] == 0


def store_csat(store: Store, tenant: str, team_id: str, at: datetime, pct: float, n: int) -> None:
    """Like csat_records, straight into the store (for panels too big to post quickly)."""
    from pulse.cx.model import CxMetric, CxRating, normalise

    good = round(pct * n / 100)
    assert abs(100 * good / n - pct) < 1e-9, "pick n so that pct is exact"
    ratings = []
    for i in range(n):
        raw = "5" if i < good else "2"
        v = normalise(CxMetric.CSAT, raw)
        ratings.append(CxRating(tenant, "api", "seed", f"{team_id}-{at.date()}-{i}", "",
                                CxMetric.CSAT, raw, v.score, v.score_norm, v.is_positive,
                                v.is_negative, v.rated, at, team_id=team_id,
                                team_resolution="profile_team"))
    store.upsert_ratings(ratings)  # type: ignore[attr-defined]
