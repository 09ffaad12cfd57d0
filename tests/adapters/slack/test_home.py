"""App Home through signed Slack events: it shows the published cells and nothing it computed
(issue 10, attack class 5: a second computation with no complementary suppression, a rolling
window, the reader's weeks and eNPS mixed in)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from pulse.analytics.cells import Reason
from pulse.core.model import Bucket, Membership, Person
from pulse.surveys import service as services
from testing.cells import FakeCells, cell
from testing.slack_harness import QUESTION, Wired, event, open_round, sign

EXTRA = [f"x{i}" for i in range(6)]  # team-a: ada, bob, mia and six more


async def home_text(wired: Wired, event_id: str) -> str:
    """Open ada's App Home and return the published view's text."""
    before = len(wired.fake.calls_to("views.publish"))
    body = event("TAAA", event_id, {"type": "app_home_opened", "user": "UADA",
                                    "channel": "DUADA", "tab": "home", "event_ts": "1.1"})
    raw = json.dumps(body)
    r = await wired.http.post("/slack/events", content=raw,
                              headers={"Content-Type": "application/json", **sign(raw)})
    assert r.status_code == 200
    calls = await wired.fake.wait_for("views.publish", before + 1)
    view = calls[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    return "\n".join(b["text"]["text"] for b in view["blocks"] if b.get("type") == "section")


def answer(wired: Wired, person_id: str, round_id: str, value: int) -> None:
    person = wired.store.get_person(person_id)
    assert person is not None
    services.record_answer(wired.store, wired.clock, person, round_id, QUESTION.id, value)


def team_of_nine(wired: Wired) -> list[str]:
    for pid in EXTRA:
        wired.store.add_person(Person(pid, "acme", pid.upper()))
        wired.store.add_membership(Membership(pid, "team-a", date(2026, 1, 1)))
    return ["ada", "bob", "mia", *EXTRA]


async def test_app_home_reads_only_the_published_pulse_cells(wired: Wired) -> None:
    people = team_of_nine(wired)
    # Raw answers in two past weeks and the open one: a surface that computed its own trend
    # would show W08 (nine answered, but withheld by the complementary rule), a rolling
    # window and the open week's live value.
    now = wired.clock.now()
    wired.clock.advance(timedelta(weeks=-2))
    for rid in ("r-w08", "r-w09"):
        open_round(wired.store, wired.clock, "acme", "team-a", people, rid)
        for i, pid in enumerate(people):
            answer(wired, pid, rid, 1 + i % 5)
        wired.clock.advance(timedelta(weeks=1))
    assert wired.clock.now() == now
    open_round(wired.store, wired.clock, "acme", "team-a", people, "r-w10")
    for pid, value in (("ada", 4), ("x0", 1), ("x1", 5)):
        answer(wired, pid, "r-w10", value)
    cells = FakeCells()
    cells.save_publication(None, [
        cell("team-a", "2026-W09", "pulse", 6.4, 9),
        cell("team-a", "2026-W08", "pulse", None, None, Reason.COMPLEMENT),
        cell("team-a", "2026-W09", "enps", -30.0, 9),  # a metric of its own, never mixed in
    ])
    wired.app.state.runtime.cells = cells
    wired.clock.advance(timedelta(minutes=5))

    text = await home_text(wired, "Ev-home-1")
    assert re.findall(r"(\d+\.\d)/10", text) == ["6.4"]  # the published value, nothing else
    assert "2026-W09: 6.4/10 (9 people answered)" in text
    assert re.search(r"2026-W08: not shown", text)
    assert "2026-W10" not in text  # the open week has no value, only participation
    assert "3 of 9 have answered this week" in text
    assert "4/5" in text  # ada's own answer stays visible to her
    (read,) = cells.reads
    assert read[1:4] == (("team-a",), Bucket.WEEK, ("pulse",))
    assert (read[4], read[5]) == ("2025-W50", "2026-W09")  # fixed closed weeks, no window

    # Time differencing: read, one more answer, read again. Only the count moves.
    answer(wired, "x2", "r-w10", 2)
    again = await home_text(wired, "Ev-home-2")
    assert "4 of 9 have answered this week" in again
    strip = re.compile(r"\d+ of \d+ have answered this week")
    assert strip.sub("", again) == strip.sub("", text)


async def test_small_team_participation_and_unwired_cells(wired: Wired) -> None:
    wired.app.state.runtime.cells = None  # a deployment without published cells wired
    open_round(wired.store, wired.clock, "acme", "team-a", ["ada", "bob", "mia"], "r-small")
    answer(wired, "ada", "r-small", 3)
    text = await home_text(wired, "Ev-home-3")
    assert "of 3" not in text and "at least 5 people" in text
    assert "not available here yet" in text and "/10" not in text
