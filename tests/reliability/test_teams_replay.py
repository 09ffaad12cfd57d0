"""Teams: an activity replayed as captured (same activity id) has no second effect.

The channel's token is valid each time (a replay within its lifetime); the de-duplication is
bot/dedupe's, the same one Slack uses. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio

from testing.teams_harness import activity
from tests.adapters.teams.conftest import Wired, fake, schemas, wired  # noqa: F401 (fixtures)


async def test_a_replayed_activity_has_one_effect(wired: Wired) -> None:  # noqa: F811
    typed = activity(wired.fake, "bob", text="irritant Le CRM rame tous les matins")
    for _ in range(3):
        assert (await wired.post(typed)).status_code == 201
    await wired.fake.wait_posts(1)
    await asyncio.sleep(0.2)  # time for a second effect to show, if there were one
    assert len(wired.fake.posts()) == 1  # one thank-you
    assert [c.text for c in wired.store.list_comments("acme")] == ["Le CRM rame tous les matins"]
    again = activity(wired.fake, "bob", text="irritant Le CRM rame tous les matins")
    assert (await wired.post(again)).status_code == 201  # typed again: a new activity, counted
    await wired.fake.wait_posts(2)
    assert len(wired.store.list_comments("acme")) == 2
