"""A dashboard app on the seeded organisation (testing/dashboard.py), and signing in."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from adapters.db.store import SqlStore
from app import build_app
from pulse.core.clock import FixedClock
from pulse.core.model import Person
from settings import Settings
from testing.dashboard import Org, seed_org

SECRET = "a-long-secret-for-dashboard-tests-0123456789"


@dataclass
class Dash:
    client: TestClient
    store: SqlStore
    clock: FixedClock
    org: Org

    def link(self, person: Person) -> str:
        """The path of a fresh sign-in link, as `/miroir dashboard` would send it."""
        url = self.client.app.state.runtime.signin_links.url_for(
            self.clock, person)
        return "/dashboard/signin?" + url.split("?", 1)[1]

    def sign_in(self, person: Person) -> None:
        """Open the link's page and press Continue, as a person would."""
        page = self.client.get(self.link(person))
        assert page.status_code == 200, page.text
        response = self.client.post("/dashboard/signin", data=form_of(page.text),
                                    follow_redirects=False)
        assert response.status_code == 303, response.text


def form_of(html: str) -> dict[str, str]:
    """The hidden fields of the first form of a page."""
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def csrf_of(html: str) -> str:
    return re.findall(r'name="csrf" value="([^"]+)"', html)[0]


def make_dash(store: SqlStore, clock: FixedClock, weeks: int, ratings: int) -> Dash:
    org = seed_org(store, clock, weeks=weeks, ratings=ratings)
    settings = Settings(demo=False, secret_key=SECRET, migrate_on_start=False,
                        default_tenant=org.tenant)
    app = build_app(settings, store=store, clock=clock, ticker=False)
    return Dash(TestClient(app), store, clock, org)


@pytest.fixture
def dash(store: SqlStore, clock: FixedClock) -> Dash:
    """Three weeks of pulses, irritants, no CSAT: enough for sign-in and reach."""
    return make_dash(store, clock, weeks=3, ratings=0)


@pytest.fixture
def dash_full(store: SqlStore, clock: FixedClock) -> Dash:
    """Twelve weeks of pulses and CSAT ratings: the barometer has something to say."""
    return make_dash(store, clock, weeks=12, ratings=40)
