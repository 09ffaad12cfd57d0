"""Sign-in from chat, sessions, CSRF, and the web chat outside demo mode (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import timedelta

from pulse.core.signin import LINK_TTL, SESSION_COOKIE
from testing.dashboard import ADVISERS_A, ADVISERS_B, MANAGER_A, TEAM_A, TEAM_B

from .conftest import Dash, csrf_of, form_of


def test_every_page_asks_for_sign_in_first(dash: Dash) -> None:
    for path in ("/dashboard", "/dashboard/overview", f"/dashboard/teams/{TEAM_A}",
                 "/dashboard/barometer", "/dashboard/irritants", "/dashboard/settings",
                 "/dashboard/me"):
        page = dash.client.get(path, headers={"accept-language": "fr-FR"})
        assert page.status_code == 401, path
        assert "/miroir dashboard" in page.text and 'lang="fr"' in page.text


def test_a_chat_link_signs_in_once_with_a_safe_cookie(dash: Dash) -> None:
    path = dash.link(MANAGER_A)
    page = dash.client.get(path)
    assert page.status_code == 200 and "Marc Leroy" in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    response = dash.client.post("/dashboard/signin", data=form_of(page.text),
                                follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie
    assert "SameSite=lax" in cookie and "Max-Age=28800" in cookie and "Secure" not in cookie
    assert dash.client.get("/dashboard/overview").status_code == 200
    # the same link again, from another browser: refused with a clear page
    dash.client.cookies.clear()
    again = dash.client.get(path)
    assert again.status_code == 200  # still shows who it is for…
    used = dash.client.post("/dashboard/signin", data=form_of(again.text))
    assert used.status_code == 410 and "already been used" in used.text
    assert dash.client.get("/dashboard/overview").status_code == 401


def test_expired_and_tampered_links_are_refused(dash: Dash) -> None:
    path = dash.link(MANAGER_A)
    dash.clock.advance(LINK_TTL + timedelta(seconds=5))
    expired = dash.client.get(path)
    assert expired.status_code == 410 and "expired" in expired.text
    link = dash.link(MANAGER_A)
    i = len(link) - 6  # a character of the signature (the last one is partly padding)
    tampered = dash.client.get(link[:i] + ("B" if link[i] == "A" else "A") + link[i + 1:])
    assert tampered.status_code == 400 and "not valid" in tampered.text


def test_forms_without_the_csrf_token_are_refused(dash: Dash) -> None:
    page = dash.client.get(dash.link(MANAGER_A))
    fields = form_of(page.text)
    refused = dash.client.post("/dashboard/signin", data={"t": fields["t"]})
    assert refused.status_code == 403 and "did not come from Miroir" in refused.text
    dash.sign_in(MANAGER_A)
    irritant = dash.org.irritant_ids[0]
    for sent in ({}, {"csrf": "forged"}):
        moved = dash.client.post(f"/dashboard/irritants/{irritant}",
                                 data={"status": "acknowledged", **sent})
        assert moved.status_code == 403
    assert str(dash.store.get_irritant(dash.org.tenant, irritant).status) == "new"  # type: ignore[union-attr]
    assert dash.client.post("/dashboard/signout").status_code == 403


def test_sign_out_ends_the_session_even_for_a_kept_cookie(dash: Dash) -> None:
    dash.sign_in(MANAGER_A)
    kept = dash.client.cookies.get(SESSION_COOKIE)
    page = dash.client.get("/dashboard/overview")
    out = dash.client.post("/dashboard/signout", data={"csrf": csrf_of(page.text)},
                           follow_redirects=False)
    assert out.status_code == 303
    dash.client.cookies.set(SESSION_COOKIE, kept or "")
    assert dash.client.get("/dashboard/overview").status_code == 401


def test_sessions_expire(dash: Dash) -> None:
    dash.sign_in(MANAGER_A)
    dash.clock.advance(timedelta(hours=8, seconds=1))
    assert dash.client.get("/dashboard/overview").status_code == 401


def test_the_web_chat_outside_demo_mode_acts_only_as_the_signed_in_person(dash: Dash) -> None:
    me, other = ADVISERS_A[0], ADVISERS_B[0]
    assert dash.client.get("/chat/api/people").status_code == 401
    assert dash.client.get(f"/chat/api/people/{me.id}/inbox").status_code == 401
    said = dash.client.post(f"/chat/api/people/{me.id}/actions",
                            json={"kind": "command", "text": "/miroir help"})
    assert said.status_code == 401
    dash.sign_in(me)
    listing = dash.client.get("/chat/api/people").json()
    assert [p["id"] for p in listing["people"]] == [me.id] and listing["demo"] is False
    assert dash.client.get(f"/chat/api/people/{other.id}/inbox").status_code == 404
    assert dash.client.post(f"/chat/api/people/{other.id}/actions",
                            json={"kind": "command", "text": "/miroir help"}).status_code == 404
    assert dash.client.post(f"/chat/api/people/{me.id}/pulse").status_code == 404  # demo only
    ok = dash.client.post(f"/chat/api/people/{me.id}/actions",
                          json={"kind": "command", "text": "/miroir dashboard"})
    assert ok.status_code == 200
    inbox = dash.client.get(f"/chat/api/people/{me.id}/inbox").json()
    [reply] = inbox["messages"][-1]["replies"]
    link = re.search(r"http://\S+/dashboard/signin\?t=\S+", reply["text"])
    assert link is not None and "10 minutes" in reply["text"]


def test_a_signed_in_manager_asks_for_a_link_in_chat_and_it_works(dash: Dash) -> None:
    dash.sign_in(MANAGER_A)
    dash.client.post(f"/chat/api/people/{MANAGER_A.id}/actions",
                     json={"kind": "command", "text": "/miroir tableau"})
    [reply] = dash.client.get(f"/chat/api/people/{MANAGER_A.id}/inbox").json()[
        "messages"][-1]["replies"]
    path = "/dashboard/signin?" + reply["text"].split("/dashboard/signin?")[1].split()[0]
    dash.client.cookies.clear()
    page = dash.client.get(path)
    assert "Marc Leroy" in page.text
    done = dash.client.post("/dashboard/signin", data=form_of(page.text), follow_redirects=False)
    assert done.status_code == 303
    assert dash.client.get(f"/dashboard/teams/{TEAM_B}").status_code == 404
