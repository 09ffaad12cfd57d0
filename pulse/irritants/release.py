"""When an anonymous irritant's text reaches its owners: in batches, once its week has closed.

A text shown as soon as it is written, under a stable id, names its author to whoever watched
who posted in that interval (issue 10, attack class 6). So an anonymous text stays out of the
listing until the ISO week it was raised in (tenant timezone) has closed; then the whole week's
texts appear together, shuffled, with random ids that say nothing of their order, where the
week's own-team cell passes the k and complementary rules
(pulse.analytics.irritant_trends.released_ids). The reporter
is told when theirs becomes visible, and may instead send it named: it is then shown at once,
with their name, because they chose to be known.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from pulse.core import buckets
from pulse.core.errors import NotFound
from pulse.core.model import Bucket
from pulse.core.ports import Clock
from pulse.irritants.model import Irritant
from pulse.irritants.ports import IrritantRelease, IrritantRepository


def cutoff(now: datetime, tz: str) -> datetime:
    """The start of the open ISO week: anonymous texts raised before it are released."""
    return buckets.bounds(buckets.bucket_key(now, Bucket.WEEK, tz), tz)[0]


def release_day(created_at: datetime, tz: str) -> datetime:
    """When a text raised at `created_at` becomes visible: the end of its ISO week."""
    return buckets.bounds(buckets.bucket_key(created_at, Bucket.WEEK, tz), tz)[1]


def visible(irritants: Iterable[Irritant], now: datetime, tz: str,
            named: Collection[str] = frozenset()) -> list[Irritant]:
    """Named irritants, and anonymous ones of closed weeks (before the k and tree rules, which
    pulse.analytics.irritant_trends.released_ids adds)."""
    edge = cutoff(now, tz)
    return [i for i in irritants if i.id in named or i.created_at < edge]


@dataclass(frozen=True)
class Announcement:
    """Tell this reporter their (anonymous) text is now visible to its owners."""

    reporter_id: str
    irritant: Irritant


def due_announcements(repo: IrritantRepository, release: IrritantRelease, clock: Clock,
                      tenant_id: str, released: Iterable[Irritant]) -> list[Announcement]:
    """Released, anonymous, not yet announced: who to tell; marks them announced (a job)."""
    now = clock.now()
    done = release.announced(tenant_id) | release.named(tenant_id)
    out = []
    for irritant in released:
        if irritant.id in done:
            continue
        reporter = repo.reporter_of(irritant.id)
        if reporter is not None:
            out.append(Announcement(reporter, irritant))
    release.mark_announced([a.irritant.id for a in out], now)
    return out


def send_named(repo: IrritantRepository, release: IrritantRelease, clock: Clock,
               tenant_id: str, irritant_id: str, person_id: str) -> Irritant:
    """The reporter chose to be named: their text is shown at once; NotFound for anyone else."""
    irritant = repo.get_irritant(tenant_id, irritant_id)
    if irritant is None or repo.reporter_of(irritant_id) != person_id:
        raise NotFound("irritant")  # the same answer either way: nobody learns who wrote it
    release.mark_named(irritant_id, clock.now())
    return irritant
