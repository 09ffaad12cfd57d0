"""POST /api/messages: channel tokens, bad bodies, and failures that must not become 500s."""

from __future__ import annotations

import pytest

from testing.teams_connector import signing_key
from testing.teams_harness import APP_ID, OUTBOUND_TOKEN, Wired, activity, invoke


@pytest.mark.parametrize("case", ["absent", "not_bearer", "expired", "wrong_key",
                                  "wrong_audience", "wrong_serviceurl", "wrong_issuer",
                                  "not_endorsed_channel"])
async def test_bad_tokens_get_401_and_reach_no_bot_code(lite: Wired, case: str) -> None:
    fake = lite.fake
    body = activity(fake, "bob", text="irritant Le CRM rame")
    token: str | None = {
        "absent": None,
        "not_bearer": "Basic Ym9iOnNlY3JldA==",
        "expired": "Bearer " + fake.mint(APP_ID, lifetime=-3600),
        "wrong_key": "Bearer " + fake.mint(APP_ID, key=signing_key("attacker")),
        "wrong_audience": "Bearer " + fake.mint("another-app"),
        "wrong_serviceurl": "Bearer " + fake.mint(APP_ID, service_url="https://evil.test/"),
        "wrong_issuer": "Bearer " + fake.mint(APP_ID, issuer="https://evil.test"),
        "not_endorsed_channel": "Bearer " + fake.mint(APP_ID),
    }[case]
    if case == "not_endorsed_channel":
        body["channelId"] = "slack"  # the signing key is only endorsed for msteams
    r = await lite.post(body, token=token)
    assert r.status_code == 401
    assert fake.conversation_calls() == []  # not even a member lookup
    assert lite.store.list_comments("acme") == []


async def test_a_valid_token_is_served_and_replies_carry_our_outbound_token(lite: Wired
                                                                             ) -> None:
    r = await lite.post(activity(lite.fake, "bob", text="irritant Le CRM rame"))
    assert r.status_code == 201, r.text
    [reply] = await lite.fake.wait_posts()
    assert reply.headers["authorization"] == f"Bearer {OUTBOUND_TOKEN}"
    assert reply.path == "/v3/conversations/a:chat-bob/activities/" + reply.body["replyToId"]
    assert [c.text for c in lite.store.list_comments("acme")] == ["Le CRM rame"]


@pytest.mark.parametrize(("content_type", "raw", "status"), [
    ("text/plain", b"{}", 415),
    ("application/json", b"{not json", 400),
    ("application/json", b"[1, 2]", 400),
    ("application/json", b'{"text": "no type"}', 400),
    ("application/json", b"[" * 100_000 + b"]" * 100_000, 400),
])
async def test_bodies_that_are_not_activities_are_4xx(lite: Wired, content_type: str,
                                                      raw: bytes, status: int) -> None:
    r = await lite.http.post("/api/messages", content=raw, headers={
        "Content-Type": content_type, "Authorization": f"Bearer {lite.fake.mint(APP_ID)}"})
    assert r.status_code == status


async def test_a_failing_connector_keeps_what_was_accepted_and_is_not_a_500(lite: Wired
                                                                             ) -> None:
    lite.fake.inject = [(500, None)]  # the reply fails
    r = await lite.post(activity(lite.fake, "ada", text="irritant The queue tool crashes"))
    assert r.status_code == 201
    assert [c.text for c in lite.store.list_comments("acme")] == ["The queue tool crashes"]


async def test_an_error_in_our_code_gets_an_apology_not_a_500(lite: Wired,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    async def broken(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(lite.teams.bot, "run", broken)
    r = await lite.post(activity(lite.fake, "ada", text="help"))
    assert r.status_code == 201
    [apology] = await lite.fake.wait_posts()
    assert "Réessayez dans un instant" in str(apology.body)
    assert "Please try again in a moment" in str(apology.body)


async def test_unknown_invokes_and_a_submit_sent_as_invoke_are_4xx_or_501(lite: Wired) -> None:
    r = await lite.post(activity(lite.fake, "ada", type="invoke", name="custom/thing",
                                  text=None))
    assert r.status_code == 501
    bad = invoke(lite.fake, "ada", {"miroir": "answer"})
    bad["value"]["action"]["type"] = "Action.Submit"
    r = await lite.post(bad)
    assert r.status_code == 200 and r.json()["statusCode"] == 400
    assert r.json()["type"] == "application/vnd.microsoft.error"
    forged = invoke(lite.fake, "ada", {"miroir": "answer", "round_id": "r1",
                                        "question_id": "q-belong", "value": True})
    r = await lite.post(forged)
    assert r.status_code == 200 and r.json()["statusCode"] == 400
