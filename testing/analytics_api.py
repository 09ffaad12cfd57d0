"""The analytics API under test: its questions, a keyed client, and weekly answers to read back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import httpx

from pulse.analytics.publication import publish_due
from pulse.ports import Store
from pulse.surveys.model import Pillar, Question, Scale
from testing import factories

NOW = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)  # Wednesday of 2026-W10
Q_TOOLS = Question("qa-tools", Pillar.TOOLS, Scale.AGREE5, "Mes outils m'aident.", "Tools help.")
Q_PAY = Question("qa-pay", Pillar.PAY, Scale.AGREE5, "Je suis payé justement.", "Fair pay.")
Q_ENPS = Question("qa-enps", Pillar.ENPS, Scale.NPS11, "Recommanderiez-vous ?", "Recommend?")


@dataclass
class Api:
    """The app on a store with tenant acme and an analytics:read key (the `api` fixture)."""

    client: httpx.AsyncClient
    store: Store
    token: str

    async def get(self, path: str, token: str | None = None, **params: str) -> httpx.Response:
        """GET with the fixture's key (or `token`)."""
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return await self.client.get(path, params=params, headers=headers)


def answer_week(store: Store, team_id: str, monday: date, people: Sequence[str],
                answers: Mapping[str, Sequence[tuple[Question, int]]],
                invited: Sequence[str] = ()) -> None:
    """A round opened Monday 10:00 Paris time; each person answers on Tuesday."""
    opens = datetime.combine(monday, datetime.min.time(), UTC) + timedelta(hours=9)
    rnd = factories.pulse_round(store, f"r-{team_id}-{monday.isoformat()}", team_id, opens)
    factories.answers(store, rnd, {pid: answers[pid] for pid in people},
                      opens + timedelta(days=1), invited=invited)


def weeks_back(count: int) -> list[date]:
    """Mondays of the `count` ISO weeks ending with the current one."""
    this_monday = NOW.date() - timedelta(days=NOW.weekday())
    return [this_monday - timedelta(weeks=i) for i in reversed(range(count))]


def last_week() -> date:
    """Monday of the last closed (and, at NOW, published) week."""
    return weeks_back(2)[0]


def publish(store: Store, now: datetime = NOW, tenant: str = "acme") -> None:
    """Run the publication job as the scheduler would at `now`."""
    publish_due(store, tenant, now)  # type: ignore[arg-type]  # the SQL store implements it
