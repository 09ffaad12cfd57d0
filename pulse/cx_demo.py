"""Demo CSAT for the demo teams, so the barometer tells a story (for `miroir demo`).

Story over the last 12 weeks: the first team is happy on both sides (the label), the second
team's customers stay happy while its pulse sags (CX ahead of EX), the others drift around the
middle. Ratings are deterministic (seeded RNG) and idempotent: running it twice inserts nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from pulse.cx import CxMetric, CxRating, normalise
from pulse.ports import Clock, CxStore

STORIES = (0.92, 0.88, 0.80, 0.74)  # top-2 share per team, in list_teams order, cycling


def seed_demo_csat(store: CxStore, tenant_id: str, clock: Clock, weeks: int = 12,
                   per_week: int = 40) -> int:
    """Insert ~per_week CSAT ratings per team and week; returns how many went in."""
    rng = random.Random(f"miroir-demo-{tenant_id}")
    now = clock.now()
    ratings: list[CxRating] = []
    for index, team in enumerate(store.list_teams(tenant_id)):
        share = STORIES[index % len(STORIES)]
        for week in range(weeks, 0, -1):
            drift = 0.04 * rng.uniform(-1, 1) - (0.01 * (weeks - week) if index == 2 else 0)
            for i in range(per_week):
                at = now - timedelta(weeks=week, hours=rng.randint(0, 24 * 6))
                raw = _score(rng, min(max(share + drift, 0.05), 0.99))
                ratings.append(_rating(tenant_id, team.id, f"{team.id}-w{week}-{i}", raw, at))
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
