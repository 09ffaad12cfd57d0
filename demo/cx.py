"""Demo CSAT for the demo teams, so the barometer tells a story (for `miroir demo`).

Story over the last 12 weeks: each team's CSAT follows its own pulse of the week before, so
the improving team's customers warm up and the declining team's cool down a week later.
Ratings are deterministic (seeded RNG) and idempotent: running it twice inserts nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Protocol

from pulse.analytics.service import resolve_dates, team_series
from pulse.core.model import Bucket
from pulse.core.ports import Clock
from pulse.cx.model import CxMetric, CxRating, normalise
from pulse.cx.ports import CxRepository
from pulse.ports import Store

BASE_SHARE, PER_POINT = 0.36, 0.07  # top-2 share ≈ 0.36 + 0.07 × last week's pulse (0–10)
QUIET_SHARE = 0.8  # for a team whose pulse is not shown (too few answers): no story to follow


class DemoCxStore(Store, CxRepository, Protocol):
    """The demo needs both the EX side (to follow it) and the CX side (to write ratings)."""


def seed_demo_csat(store: DemoCxStore, tenant_id: str, clock: Clock, weeks: int = 12,
                   per_week: int = 120) -> int:
    """Insert ~per_week CSAT ratings per team and week, following last week's pulse.

    Customers of a team react to how the team felt the week before (pulse leads CSAT by one
    week), so the barometer's lag scan has a story to find. Returns how many went in."""
    rng = random.Random(f"miroir-demo-{tenant_id}")
    today = clock.now().date()
    start, end = resolve_dates(Bucket.WEEK, None, today, today, count=weeks)
    ratings: list[CxRating] = []
    teams = store.list_teams(tenant_id)
    parents = {t.parent_id for t in teams}
    for team in (t for t in teams if t.id not in parents):  # customers rate front-line teams
        series = team_series(store, tenant_id, team.id, Bucket.WEEK, start, end)
        previous = next((b.value for b in series if b.value is not None), None)
        for cell in series:
            level = BASE_SHARE + PER_POINT * previous if previous is not None else QUIET_SHARE
            share = min(max(level + rng.uniform(-0.01, 0.01), 0.05), 0.99)
            span = int((min(cell.end, clock.now()) - cell.start).total_seconds())
            for i in range(per_week if span > 3600 else 0):
                at = cell.start + timedelta(seconds=rng.randint(0, span - 1))
                ratings.append(_rating(tenant_id, team.id, f"{team.id}-{cell.bucket}-{i}",
                                       _score(rng, share), at))
            previous = cell.value if cell.value is not None else previous
    outcomes = store.upsert_ratings(ratings)
    return outcomes.count("inserted")


def _score(rng: random.Random, share_positive: float) -> str:
    if rng.random() < share_positive:
        return rng.choice("455")
    return rng.choice("1223")


def _rating(tenant_id: str, team_id: str, record: str, raw: str, at: datetime) -> CxRating:
    n = normalise(CxMetric.CSAT, raw)
    return CxRating(tenant_id, "demo", "demo", record, "", CxMetric.CSAT, raw, n.score,
                    n.score_norm, n.is_positive, n.is_negative, n.rated, at, team_id=team_id,
                    team_resolution="profile_team")
