"""Release of anonymous irritant texts: batches by closed week, announcements, named choice."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from pulse.core.clock import FixedClock
from pulse.core.errors import NotFound
from pulse.irritants.model import Irritant, IrritantCategory, IrritantStatus
from pulse.irritants.release import cutoff, due_announcements, release_day, send_named, visible

TZ = "Europe/Paris"
MON_W10 = datetime(2026, 3, 2, 8, tzinfo=UTC)


def irritant(iid: str, at: datetime) -> Irritant:
    return Irritant(iid, "acme", f"c-{iid}", "t", IrritantCategory.TOOLS, IrritantStatus.NEW,
                    "texte", at, at)


@dataclass
class FakeRepo:
    items: dict[str, tuple[Irritant, str]]

    def reporter_of(self, irritant_id: str) -> str | None:
        return self.items[irritant_id][1] if irritant_id in self.items else None

    def get_irritant(self, tenant_id: str, irritant_id: str) -> Irritant | None:
        found = self.items.get(irritant_id)
        return found[0] if found else None


@dataclass
class FakeRelease:
    named_at: dict[str, datetime] = field(default_factory=dict)
    announced_at: dict[str, datetime] = field(default_factory=dict)

    def named(self, tenant_id: str) -> set[str]:
        return set(self.named_at)

    def mark_named(self, irritant_id: str, at: datetime) -> None:
        self.named_at.setdefault(irritant_id, at)

    def announced(self, tenant_id: str) -> set[str]:
        return set(self.announced_at)

    def mark_announced(self, irritant_ids: Iterable[str], at: datetime) -> None:
        for i in irritant_ids:
            self.announced_at.setdefault(i, at)


def test_texts_wait_for_their_week_to_close() -> None:
    early, late = irritant("a", MON_W10), irritant("b", MON_W10 + timedelta(days=6, hours=10))
    sunday_night = datetime(2026, 3, 8, 22, 59, tzinfo=UTC)  # 23:59 in Paris, W10 still open
    assert visible([early, late], sunday_night, TZ) == []
    assert visible([early, late], sunday_night + timedelta(minutes=2), TZ) == [early, late]
    assert release_day(late.created_at, TZ) == cutoff(sunday_night + timedelta(minutes=2), TZ)
    assert visible([early, late], sunday_night, TZ, named={"b"}) == [late]


def test_reporters_are_told_once_and_only_reporters_may_sign() -> None:
    a, b = irritant("a", MON_W10), irritant("b", MON_W10 + timedelta(days=8))
    repo = FakeRepo({"a": (a, "ada"), "b": (b, "ben")})
    release = FakeRelease()
    clock = FixedClock(MON_W10 + timedelta(days=9))  # W10 closed, W11 open
    due = due_announcements(repo, release, clock, "acme", visible([a, b], clock.now(), TZ))  # type: ignore[arg-type]
    assert [(d.reporter_id, d.irritant.id) for d in due] == [("ada", "a")]
    assert due_announcements(repo, release, clock, "acme", visible([a, b], clock.now(), TZ)) == []  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        send_named(repo, release, clock, "acme", "b", "ada")  # type: ignore[arg-type]
    assert release.named_at == {}
    assert send_named(repo, release, clock, "acme", "b", "ben") == b  # type: ignore[arg-type]
    assert visible([a, b], clock.now(), TZ, release.named("acme")) == [a, b]
    clock.advance(timedelta(weeks=1))  # b's week closes, but b went named: no announcement
    assert due_announcements(repo, release, clock, "acme", visible([a, b], clock.now(), TZ)) == []  # type: ignore[arg-type]
