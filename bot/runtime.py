"""What every entrypoint shares at run time: the store, the clock, the chat gateways, thresholds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.ports import ChatGateway
from pulse.core.ports import Clock
from pulse.ports import Store


@dataclass
class Runtime:
    store: Store
    clock: Clock
    gateways: dict[str, ChatGateway] = field(default_factory=dict)
    k_scores: int = 5
    k_comments: int = 10
    timezone: str = "Europe/Paris"
    extras: dict[str, Any] = field(default_factory=dict)  # optional services (classifier, …)
