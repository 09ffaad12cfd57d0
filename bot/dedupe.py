"""Retry de-duplication: Slack and Teams resend what they think was lost; act on it once."""

from __future__ import annotations

import time
from collections import OrderedDict


class SeenKeys:
    """Keys already handled (a Slack event id, a Teams activity id), remembered for `ttl`
    seconds and at most `size` of them, so a platform's retry of a delivery changes nothing."""

    def __init__(self, ttl: float = 3600.0, size: int = 50_000) -> None:
        self.ttl, self.size = ttl, size
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, key: str) -> bool:
        """True the first time this key is seen (within the TTL), False for a retry."""
        now = time.monotonic()
        while self._seen and (len(self._seen) > self.size
                              or now - next(iter(self._seen.values())) > self.ttl):
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True
