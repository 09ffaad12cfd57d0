"""Fixtures of the reliability suite: real servers in subprocesses, stopped after each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.reliability.server import Server, start_server, stop_server


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start servers for one test (`serve(*args, MIROIR_X="…")`); all stopped at its end."""
    started: list[Server] = []

    def start(*args: str, **settings: str) -> Server:
        started.append(start_server(tmp_path, *args, **settings))
        return started[-1]

    yield start
    for server in started:
        stop_server(server)
