"""The Teams home ('home' / 'accueil' typed to the bot): the same published cells as Slack."""

from __future__ import annotations

import re

from pulse.analytics.cells import Reason
from testing.cells import FakeCells, cell
from testing.teams_harness import texts
from tests.adapters.teams.conftest import Wired
from tests.adapters.teams.test_flows import say


async def test_home_in_teams_shows_published_cells_only(wired: Wired) -> None:
    cells = FakeCells()
    cells.save_publication(None, [cell("team-a", "2026-W09", "pulse", 5.8, 11),
                                  cell("team-a", "2026-W08", "pulse", None, "<5",
                                       Reason.BELOW_K),
                                  cell("team-a", "2026-W09", "enps", 40.0, 11)])
    wired.app.state.runtime.cells = cells
    text = texts(await say(wired, "ada", "home"))
    assert re.findall(r"(\d+\.\d)/10", text) == ["5.8"]
    assert "2026-W08" in text and "2026-W10" not in text
    assert [r[3] for r in cells.reads] == [("pulse",)]
