"""A worker process for the multi-process tests and the benchmark: the real ticker, real store,
and an HttpChatGateway to the loopback fake. Exits when the outbox has been empty for a second.

    python -m testing.outbox_worker DB_URL FAKE_URL WORKER SECONDS HANG_AFTER SETTINGS_JSON
"""

from __future__ import annotations

import asyncio
import json
import sys

from adapters.db.engine import make_engine
from adapters.db.store import SqlStore
from bot.runtime import Runtime
from pulse.core.clock import SystemClock
from scheduler.ticker import run_ticker
from settings import DeliverySettings
from testing.rate_limited_slack import HttpChatGateway


async def run(db_url: str, fake_url: str, worker: str, seconds: float, hang_after: int,
              overrides: dict[str, object]) -> None:
    store = SqlStore(make_engine(db_url))
    gateway = HttpChatGateway(fake_url, worker, hang_after=hang_after)
    runtime = Runtime(store=store, clock=SystemClock(), gateways={"slack": gateway})
    settings = DeliverySettings(**overrides)  # type: ignore[arg-type]
    stop = asyncio.Event()

    async def watch() -> None:
        idle = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        await asyncio.sleep(1.0)  # let the first materialise run
        while loop.time() < deadline:
            await asyncio.sleep(0.5)
            busy = [i for status in ("pending", "sending")
                    for i in store.list_deliveries(None, status, 1)]
            idle = 0 if busy else idle + 1
            if idle >= 3:
                break
        stop.set()

    watcher = asyncio.create_task(watch())
    await run_ticker(runtime, settings, stop, worker)
    await watcher
    print(json.dumps({"worker": worker, "sent": gateway.sent}), flush=True)


def main() -> None:
    db_url, fake_url, worker, seconds, hang_after, overrides = sys.argv[1:7]
    asyncio.run(run(db_url, fake_url, worker, float(seconds), int(hang_after),
                    json.loads(overrides)))


if __name__ == "__main__":
    main()
