"""Settings → the policies the delivery use cases take (no logic beyond translation)."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from bot.delivery import DrainPolicy
from pulse.delivery.followups import FollowUpPolicy
from pulse.delivery.model import Limit
from pulse.delivery.rounds import DeliveryPolicy
from settings import DeliverySettings


def worker_id(settings: DeliverySettings) -> str:
    """This process's name in lease columns: hostname-pid unless configured."""
    return settings.worker_id or f"{socket.gethostname()[:40]}-{os.getpid()}"


class Limits:
    """Per-bucket token-bucket limits: Slack per workspace, Teams per tenant, overrides first."""

    def __init__(self, settings: DeliverySettings) -> None:
        self.settings = settings

    def __call__(self, bucket: str) -> Limit | None:
        s = self.settings
        platform = bucket.split(":", 1)[0]
        rate = s.rate_overrides.get(bucket)
        if rate is None:
            rate = {"slack": s.slack_workspace_rate, "teams": s.teams_tenant_rate,
                    "web": s.web_rate}.get(platform, 0.0)
        if rate <= 0:
            return None
        gap = s.slack_channel_gap_seconds if platform == "slack" else 0.0
        return Limit(rate=rate, burst=max(1.0, rate * s.burst_seconds), channel_gap=gap)


def drain_policy(settings: DeliverySettings, worker: str | None = None) -> DrainPolicy:
    return DrainPolicy(worker=worker or worker_id(settings), batch=settings.batch,
                       lease_seconds=settings.lease_seconds, max_attempts=settings.max_attempts,
                       backoff_base=settings.backoff_seconds, concurrency=settings.concurrency,
                       limit_of=Limits(settings), platforms=tuple(settings.platforms))


def delivery_policy(settings: DeliverySettings) -> DeliveryPolicy:
    return DeliveryPolicy(cooldown=timedelta(hours=settings.cooldown_hours),
                          lookahead=timedelta(hours=settings.lookahead_hours),
                          moment_delay=timedelta(hours=settings.moment_delay_hours),
                          moment_round=timedelta(hours=settings.moment_round_hours),
                          platforms=tuple(settings.platforms))


def followup_policy(settings: DeliverySettings) -> FollowUpPolicy:
    return FollowUpPolicy(reminder_delay=timedelta(hours=settings.reminder_delay_hours),
                          nudge_weekday=settings.nudge_weekday, nudge_hour=settings.nudge_hour,
                          nudge_after=timedelta(days=settings.nudge_days))
