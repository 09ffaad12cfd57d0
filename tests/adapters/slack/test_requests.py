"""Signed requests through the real app: verification, url_verification, OAuth, retries, Home."""

from __future__ import annotations

import asyncio
import json
import re
import time
from urllib.parse import urlencode

import pytest
from slack_sdk.models.views import View

from testing.slack_harness import Wired, command, event, form, sign


@pytest.mark.parametrize("case", ["bad_secret", "stale_timestamp", "missing_headers",
                                  "tampered_body"])
async def test_bad_signatures_get_401_and_reach_no_listener(wired: Wired, case: str) -> None:
    fields = command("/irritant", "Le CRM rame", "TAAA", "UADA", wired.fake.url + "/response/x")
    raw = urlencode(fields)
    if case == "bad_secret":
        headers = sign(raw, secret="wrong")
    elif case == "stale_timestamp":
        headers = sign(raw, ts=int(time.time()) - 5 * 60 - 10)
    elif case == "missing_headers":
        headers = {}
    else:
        headers = sign(raw)
        raw = raw.replace("rame", "vole")
    r = await wired.http.post("/slack/events", content=raw, headers={
        "Content-Type": "application/x-www-form-urlencoded", **headers})
    assert r.status_code == 401
    await asyncio.sleep(0.1)
    assert wired.fake.calls == []  # not even the authorize step ran
    assert wired.store.list_comments("acme") == []


async def test_url_verification_echoes_the_challenge(wired: Wired) -> None:
    raw = json.dumps({"token": "legacy", "challenge": "c-123", "type": "url_verification"})
    r = await wired.http.post("/slack/events", content=raw,
                              headers={"Content-Type": "application/json", **sign(raw)})
    assert r.status_code == 200 and r.json() == {"challenge": "c-123"}


async def test_oauth_install_then_the_new_workspace_is_served(wired: Wired) -> None:
    r = await wired.http.get("/slack/install")
    assert r.status_code == 200 and "slack.com/oauth/v2/authorize" in r.text
    state = re.search(r"state=([^&\"]+)", r.text).group(1)  # type: ignore[union-attr]
    wired.fake.oauth_codes["code-c"] = {
        "ok": True, "app_id": "A111", "access_token": "xoxb-ccc", "token_type": "bot",
        "scope": "chat:write,commands", "bot_user_id": "UBOTC",
        "team": {"id": "TCCC", "name": "Initech"}, "authed_user": {"id": "UADMIN"}}
    wired.fake.add_workspace("TCCC", "xoxb-ccc")
    r = await wired.http.get(f"/slack/oauth_redirect?code=code-c&state={state}")
    assert r.status_code == 200, r.text
    bot = await wired.slack.gateway.installations.async_find_bot(enterprise_id=None,
                                                                 team_id="TCCC")
    assert bot is not None and bot.bot_token == "xoxb-ccc"
    # the state is single-use: replaying the redirect fails
    r = await wired.http.get(f"/slack/oauth_redirect?code=code-c&state={state}")
    assert r.status_code >= 400


async def test_unknown_workspace_is_refused_politely(wired: Wired) -> None:
    r = await wired.post(command("/irritant", "x", "TZZZ", "U1", wired.fake.url + "/response/z"))
    assert r.status_code == 200  # bolt answers; nothing stored for a workspace without install
    assert wired.store.list_comments("acme") == []


async def test_home_tab_and_event_retries_do_not_duplicate(wired: Wired) -> None:
    body = event("TAAA", "Ev1", {"type": "app_home_opened", "user": "UADA", "channel": "DUADA",
                                 "tab": "home", "event_ts": "1.1"})
    raw = json.dumps(body)
    r = await wired.http.post("/slack/events", content=raw,
                              headers={"Content-Type": "application/json", **sign(raw)})
    assert r.status_code == 200
    [publish] = await wired.fake.wait_for("views.publish")
    assert publish.token == "xoxb-aaa" and publish.params["user_id"] == "UADA"
    view = publish.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert View(**view).to_dict() == view
    texts = json.dumps(view)
    assert "Kudos you received" in texts and "Your team" in texts
    assert "/10" not in texts  # no published cell: no team value, never a computed one
    r = await wired.http.post("/slack/events", content=raw, headers={
        "Content-Type": "application/json", "X-Slack-Retry-Num": "1",
        "X-Slack-Retry-Reason": "http_timeout", **sign(raw)})
    assert r.status_code == 200
    await asyncio.sleep(0.2)
    assert len(wired.fake.calls_to("views.publish")) == 1


async def test_signed_form_helper_matches_slack_sdk() -> None:
    from slack_sdk.signature import SignatureVerifier

    raw, headers = form({"a": "b"})
    assert SignatureVerifier("test-signing-secret").is_valid(
        raw, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"])
