"""Retry de-duplication shared by Slack (event ids) and Teams (activity ids)."""

from __future__ import annotations

import pytest

from bot import dedupe
from bot.dedupe import SeenKeys


def test_a_key_is_new_once_then_a_retry() -> None:
    seen = SeenKeys()
    assert seen.first_time("Ev1") is True
    assert seen.first_time("Ev1") is False
    assert seen.first_time("Ev2") is True


def test_keys_are_forgotten_after_the_ttl_and_beyond_the_size(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(dedupe.time, "monotonic", lambda: now[0])
    seen = SeenKeys(ttl=60, size=2)
    assert seen.first_time("a") and seen.first_time("b") and seen.first_time("c")
    assert seen.first_time("a") is True  # pushed out by size: "a" was the oldest of three
    now[0] += 61
    assert seen.first_time("c") is True  # expired
