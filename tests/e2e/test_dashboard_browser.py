"""The dashboard in a real browser (Debian's Chromium through Playwright), end to end.

A manager asks for the link in the web chat and signs in; a CX lead reads the barometer and
its numbers equal /api/v1/link/*; an admin resolves an irritant and the reporter's chat gets
"you said, we did"; an adviser sees their team; reused and expired links, a form without its
CSRF token and an unauthenticated web chat (outside demo mode) are refused. Every page is
photographed in French and English at desktop and phone width under test-output/dashboard/
(git-ignored), and checked for sideways overflow, raw team ids and unlabelled chart axes.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.db.engine import make_engine
from adapters.db.migrate import upgrade
from adapters.db.store import SqlStore
from app import build_app
from pulse.core.apikeys import create_api_key
from pulse.core.signin import LINK_TTL
from settings import Settings
from testing.dashboard import (
    ADMIN,
    ADVISERS_A,
    CX_LEAD,
    MANAGER_A,
    PARENT,
    TEAM_A,
    TEAM_B,
    Org,
    seed_org,
)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "dashboard"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
SECRET = "browser-test-secret-0123456789-abcdefghij"

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium); CI installs it",
                allow_module_level=True)


class ShiftedClock:
    """The system clock plus an offset a test can move forward (to let a link expire)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serve(app: Any, port: int) -> Iterator[None]:
    """The app under uvicorn on 127.0.0.1:port until the block ends."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, SqlStore, Org, Any]]:
    """The app in demo mode (the web chat's person picker) on a seeded SQLite database."""
    url = f"sqlite:///{tmp_path_factory.mktemp('dash') / 'dash.db'}"
    upgrade(url)
    engine = make_engine(url)
    store = SqlStore(engine)
    clock = ShiftedClock()
    org = seed_org(store, clock)
    port = _free_port()
    settings = Settings(demo=True, database_url=url, migrate_on_start=False, port=port,
                        default_tenant=org.tenant)
    app = build_app(settings, store=store, clock=clock, ticker=False)
    with _serve(app, port):
        yield f"http://127.0.0.1:{port}", store, org, clock
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def _page(browser: Any, size: dict[str, int] = DESKTOP, locale: str = "fr-FR") -> Any:
    page = browser.new_context(viewport=size, locale=locale).new_page()
    page.set_default_timeout(15_000)
    return page


def _demo_sign_in(page: Any, base: str, person_id: str) -> None:
    page.goto(f"{base}/dashboard/demo/{person_id}")


def _link_from_chat(page: Any, base: str, person_id: str) -> str:
    """Pick the person in the web chat, type /miroir dashboard, read the link it answers."""
    from playwright.sync_api import expect

    page.goto(f"{base}/chat")
    page.locator(f'[data-person="{person_id}"]').click()
    page.locator("#command").fill("/miroir dashboard")
    page.locator("#composer button[type=submit]").click()
    link = page.locator("a.notice-link").last
    expect(link).to_be_visible()
    return str(link.get_attribute("href"))


def test_a_manager_signs_in_from_the_chat_and_sees_only_their_subtree(
        site: tuple[str, SqlStore, Org, Any], browser: Any) -> None:
    from playwright.sync_api import expect

    base, _store, _org, _clock = site
    page = _page(browser)
    href = _link_from_chat(page, base, MANAGER_A.id)
    assert href.startswith(f"{base}/dashboard/signin?t=")
    page.locator("a.notice-link").last.click()
    expect(page.locator("h1")).to_contain_text("Marc Leroy")
    page.locator("#continue").click()
    expect(page.locator("h1")).to_have_text("Vue d'ensemble")
    expect(page.locator(".heatmap").first).to_contain_text("Équipe Lyon")
    assert "Équipe Nantes" not in page.content() and "Service client" not in page.content()
    other = page.goto(f"{base}/dashboard/teams/{TEAM_B}")
    assert other is not None and other.status == 404
    expect(page.locator(".message")).to_be_visible()
    assert page.goto(f"{base}/dashboard/teams/{PARENT}").status == 404  # type: ignore[union-attr]
    # the same link again, in another browser: refused
    again = _page(browser)
    again.goto(href)
    again.locator("#continue").click()
    expect(again.locator(".message")).to_contain_text("déjà été utilisé")
    assert "Marc" not in (again.locator("header").text_content() or "")


def test_an_expired_link_is_refused(site: tuple[str, SqlStore, Org, Any], browser: Any) -> None:
    from playwright.sync_api import expect

    base, _store, _org, clock = site
    page = _page(browser, locale="en-GB")
    href = _link_from_chat(page, base, MANAGER_A.id)
    clock.offset += LINK_TTL + timedelta(seconds=5)
    try:
        response = page.goto(href)
        assert response is not None and response.status == 410
        expect(page.locator(".message")).to_contain_text("expired")
    finally:
        clock.offset -= LINK_TTL + timedelta(seconds=5)


def _api(base: str, token: str, path: str, **params: str) -> dict[str, Any]:
    response = httpx.get(f"{base}/api/v1/link/{path}", params=params, timeout=20,
                         headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return dict(response.json())


def _fr(value: float, digits: int) -> str:
    """How the French page writes a number: '0,51', '−' kept as '-'."""
    return f"{value:.{digits}f}".replace(".", ",")


def test_a_cx_lead_reads_the_barometer_as_the_api_tells_it(
        site: tuple[str, SqlStore, Org, Any], browser: Any) -> None:
    base, store, org, _clock = site
    page = _page(browser)
    _demo_sign_in(page, base, CX_LEAD.id)
    page.goto(f"{base}/dashboard/barometer?team={TEAM_A}&lang=fr")
    first = page.locator("#from").input_value()
    last = page.locator("#to").input_value()
    _, token = create_api_key(store, org.tenant, "browser", ["analytics:read"])
    team = _api(base, token, "correlation", scope=f"team:{TEAM_A}", bucket="week", to=last,
                **{"from": first})
    assert team["n"] >= 8 and team["pearson"]["r"] is not None

    def shown(selector: str) -> str:
        return (page.locator(selector).text_content() or "").strip()

    assert shown('#correlation [data-k="n"]') == str(team["n"])
    assert shown('#correlation [data-k="pearson_r"]') == _fr(team["pearson"]["r"], 2)
    low, high = team["pearson"]["ci95"]
    assert shown('#correlation [data-k="pearson_ci"]') == f"{_fr(low, 2)} … {_fr(high, 2)}"
    for lag in team["lag_scan"]["lags"]:
        want = "–" if lag["r"] is None else _fr(lag["r"], 2)
        assert shown(f'#lags tr[data-lag="{lag["k"]}"] [data-k="r"]') == want
    org_r = _api(base, token, "correlation", scope="org", bucket="week", to=last,
                 **{"from": first})
    assert shown('#org [data-k="total"]') == _fr(org_r["total"]["r"], 2)
    assert shown('#org [data-k="pooled_within"]') == _fr(org_r["pooled_within"]["r"], 2)
    bucket = shown("#symmetry-bucket")
    sym = _api(base, token, "symmetry", bucket=bucket)
    assert sym["teams"]
    for row in sym["teams"]:
        cells = f'#symmetry tr[data-team="{row["team_id"]}"]'
        assert shown(f'{cells} [data-k="ex"]') == _fr(row["ex"], 2)
        assert shown(f'{cells} [data-k="gap"]') == ("–" if row["gap"] is None
                                                    else _fr(row["gap"], 2))
    assert "/api/v1/link/correlation?scope=team:" in shown("pre.code")


def test_an_admin_resolves_an_irritant_and_the_reporter_hears_back(
        site: tuple[str, SqlStore, Org, Any], browser: Any) -> None:
    from playwright.sync_api import expect

    base, _store, org, _clock = site
    page = _page(browser)
    _demo_sign_in(page, base, ADMIN.id)
    page.goto(f"{base}/dashboard/irritants")
    card = page.locator(f"#irritant-{org.irritant_ids[0]}")
    expect(card).to_contain_text("Le CRM se fige tous les matins.")
    card.locator("summary").click()
    card.locator("select").select_option("resolved")
    card.locator("textarea").fill("Nouveau poste CRM livré lundi.")
    card.locator("button[type=submit]").click()
    expect(page.locator("[role=status]")).to_contain_text("Enregistré")
    expect(page.locator("#col-resolved")).to_contain_text("1")
    reporter = _page(browser)
    reporter.goto(f"{base}/chat")
    reporter.locator(f'[data-person="{ADVISERS_A[0].id}"]').click()
    expect(reporter.locator(".bubble.private").last).to_contain_text(
        "Nouveau poste CRM livré lundi.")
    expect(reporter.locator(".bubble.private").last).to_contain_text("Vous l'avez dit")


def test_a_form_without_its_csrf_token_is_refused(site: tuple[str, SqlStore, Org, Any],
                                                  browser: Any) -> None:
    from playwright.sync_api import expect

    base, store, org, _clock = site
    page = _page(browser, locale="en-GB")
    _demo_sign_in(page, base, ADMIN.id)
    page.goto(f"{base}/dashboard/irritants?lang=en")
    card = page.locator(f"#irritant-{org.irritant_ids[1]}")
    card.locator("summary").click()
    card.locator('input[name="csrf"]').evaluate("node => node.remove()")
    card.locator("select").select_option("acknowledged")
    with page.expect_response(lambda r: "/dashboard/irritants/" in r.url) as answer:
        card.locator("button[type=submit]").click()
    assert answer.value.status == 403
    expect(page.locator(".message")).to_contain_text("did not come from Miroir")
    assert str(store.get_irritant(org.tenant, org.irritant_ids[1]).status) == "new"  # type: ignore[union-attr]


def test_an_adviser_sees_their_team(site: tuple[str, SqlStore, Org, Any], browser: Any) -> None:
    from playwright.sync_api import expect

    base, _store, _org, _clock = site
    page = _page(browser, PHONE)
    _demo_sign_in(page, base, ADVISERS_A[1].id)
    expect(page.locator("h1")).to_have_text("Équipe Lyon")
    expect(page.locator("#kpi-pulse")).to_contain_text("/10")
    assert page.locator("svg.chart-svg").count() >= 2  # trend and participation
    for path in ("/dashboard/barometer", "/dashboard/irritants", f"/dashboard/teams/{TEAM_B}"):
        assert page.goto(f"{base}{path}").status == 404  # type: ignore[union-attr]


def test_the_web_chat_outside_demo_mode_refuses_strangers(browser: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    url = f"sqlite:///{tmp_path / 'prod.db'}"
    upgrade(url)
    engine = make_engine(url)
    store = SqlStore(engine)
    seed_org(store, ShiftedClock(), weeks=1, ratings=0)
    port = _free_port()
    settings = Settings(demo=False, secret_key=SECRET, database_url=url, migrate_on_start=False,
                        port=port)
    app = build_app(settings, store=store, ticker=False)
    with _serve(app, port):
        base = f"http://127.0.0.1:{port}"
        page = _page(browser, locale="en-GB")
        page.goto(f"{base}/chat")
        expect(page.locator("#people .button-link")).to_be_visible()
        assert page.locator("[data-person]").count() == 0
        assert httpx.get(f"{base}/chat/api/people").status_code == 401
        acted = httpx.post(f"{base}/chat/api/people/{ADVISERS_A[0].id}/actions",
                           json={"kind": "command", "text": "/miroir help"})
        assert acted.status_code == 401
        assert page.goto(f"{base}/dashboard/demo/{ADMIN.id}").status == 404  # type: ignore[union-attr]
    engine.dispose()


PAGES = [
    ("signin", None, "/dashboard/signin"),
    ("overview", ADMIN.id, "/dashboard/overview"),
    ("team", ADMIN.id, f"/dashboard/teams/{TEAM_A}"),
    ("barometer", ADMIN.id, "/dashboard/barometer"),
    ("irritants", ADMIN.id, "/dashboard/irritants"),
    ("settings", ADMIN.id, "/dashboard/settings"),
    ("me", ADVISERS_A[2].id, "/dashboard/me"),
    ("not-found", MANAGER_A.id, f"/dashboard/teams/{TEAM_B}"),
]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("width", "size"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots_of_every_page_look_finished(site: tuple[str, SqlStore, Org, Any],
                                                 browser: Any, lang: str, width: str,
                                                 size: dict[str, int]) -> None:
    base, _store, _org, _clock = site
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, person_id, path in PAGES:
        page = _page(browser, size)
        if person_id:
            _demo_sign_in(page, base, person_id)
        page.goto(f"{base}{path}?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} ({lang}, {width}) overflows by {overflow}px"
        visible = page.evaluate(
            "Array.from(document.querySelectorAll('main :not(pre):not(option)'))"
            ".filter(n => n.children.length === 0).map(n => n.textContent).join(' ')")
        for raw in (TEAM_A, TEAM_B, PARENT):
            assert raw not in visible, f"{name} ({lang}, {width}) shows the raw id {raw}"
        for svg in page.locator("svg.chart-svg").all():
            names = [t.strip() for t in svg.locator(".axis-name").all_text_contents()]
            assert len(names) == 2 and all(names), f"{name}: a chart axis has no label"
        page.screenshot(path=str(SHOTS / f"{name}-{lang}-{width}.png"), full_page=True)
        page.context.close()
