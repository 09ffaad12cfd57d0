"""/docs in a real browser with every request off this machine blocked: Swagger UI renders the
whole API from packaged assets, and the Content-Security-Policy blocks nothing it needs."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.reliability.server import Server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium); CI installs it",
                allow_module_level=True)


def test_docs_render_offline_under_the_csp(serve: Callable[..., Server]) -> None:
    from playwright.sync_api import expect, sync_playwright

    server = serve(MIROIR_DEMO="true")  # demo mode: no secret needed, nothing seeded
    outside: list[str] = []
    problems: list[str] = []

    def only_loopback(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if urlsplit(url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            page.route("**/*", only_loopback)
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(f"{server.url}/docs")
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("Miroir")
            operations = page.locator(".opblock")
            expect(operations.first).to_be_visible()
            assert operations.count() >= 20, operations.count()
            assert page.locator("#swagger-ui").inner_text().count("/api/v1/") >= 20
            # An operation opens, and its "Try it out" form is there for a key holder.
            page.locator(".opblock-summary").first.click()
            expect(page.locator(".opblock-body").first).to_be_visible()
        finally:
            browser.close()
    assert not outside, f"the docs page reached off this machine: {outside}"
    blocked = [p for p in problems if "Content Security Policy" in p or "Refused" in p]
    assert not blocked, blocked
    assert not problems, problems
