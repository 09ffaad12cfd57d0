"""Who may use the web chat: anyone in demo mode (the person picker), else the signed-in person.

Outside demo mode the web chat is a real channel for people without Slack or Teams, so it
acts only as the person whose dashboard session cookie it receives (pulse.core.signin); a
call without a live session gets 401, and a call about anyone else gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from fastapi import HTTPException, Request

from adapters.web.gateway import PLATFORM, WORKSPACE
from adapters.web.ui_text import error_text
from bot.runtime import Runtime
from pulse.core.model import Person
from pulse.core.signin import SESSION_COOKIE, SigninStore, current_session


@dataclass(frozen=True)
class ChatUser:
    """The caller: demo mode (anyone may be picked) or one signed-in person."""

    demo: bool
    person: Person | None = None

    def may_act_as(self, person_id: str) -> bool:
        return self.demo or (self.person is not None and self.person.id == person_id)


def chat_user(request: Request) -> ChatUser:
    """FastAPI dependency: demo mode, or the session's person (401 without one)."""
    if bool(getattr(request.app.state.settings, "demo", False)):
        return ChatUser(demo=True)
    runtime: Runtime = request.app.state.runtime
    links = runtime.signin_links
    found = None
    if links is not None:
        found = current_session(cast(SigninStore, runtime.store), links.signer, runtime.clock,
                                request.cookies.get(SESSION_COOKIE))
    if found is None:
        raise HTTPException(401, detail=error_text(None, "sign_in"))
    _session, person = found
    if (PLATFORM, WORKSPACE, person.id) not in runtime.store.identities_of(person.id):
        # A signed-in person without Slack or Teams gets the web chat as their channel.
        runtime.store.link_identity(PLATFORM, WORKSPACE, person.id, person.id)
    return ChatUser(demo=False, person=person)
