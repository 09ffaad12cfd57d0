"""JSON records (POST /cx/ratings:batch) and Zendesk webhook deliveries → RawRating."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from pulse.cx.model import CxMetric, plausible
from pulse.cx.service import RawRating, RowError

MAX_BATCH = 5000
SIGNATURE_TOLERANCE = timedelta(minutes=5)


class RatingIn(BaseModel):
    """One rating in a JSON batch; responded_at must carry a timezone."""

    model_config = ConfigDict(extra="forbid")
    source: str = Field("api", min_length=1, max_length=32)
    source_instance: str = Field("default", min_length=1, max_length=128)
    source_record_id: str = Field(min_length=1, max_length=256)
    source_revision: str = Field("", max_length=64)
    metric: CxMetric
    value: str | int | float
    responded_at: AwareDatetime
    interaction_at: AwareDatetime | None = None
    interaction_id: str | None = Field(None, max_length=128)
    agent_id: str | None = Field(None, max_length=256)
    agent_email: str | None = Field(None, max_length=256)
    group_id: str | None = Field(None, max_length=128)
    team: str | None = Field(None, max_length=128)


def _value(value: str | int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def load_json(body: bytes) -> Any:
    """The parsed body; ValueError with a short message for what no handler could use.

    Beyond malformed JSON: integers over Python's 4,300-digit limit, nesting deep enough to
    exhaust the parser's recursion, and lone surrogates ("\\ud800"), which decode here but
    fail later when stored.
    """
    try:
        payload = json.loads(body)
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8: {exc.reason} at byte {exc.start}") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc
    except ValueError as exc:  # int too long to convert
        raise ValueError(str(exc).split(";")[0]) from exc
    try:
        json.dumps(payload, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("a string holds an unpaired surrogate (\\ud800 … \\udfff)") from exc
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc
    return payload


def utc(at: datetime) -> datetime:
    """`at` in UTC; ValueError when it cannot be (year 0001 at +05:00, 9999 at −05:00)."""
    problem = plausible(at)
    if problem is not None:
        raise ValueError(problem)
    return at.astimezone(UTC)


def parse_records(records: list[Any]) -> list[RawRating | RowError]:
    """Validate each record on its own: a bad record is rejected, the others go on."""
    out: list[RawRating | RowError] = []
    for n, record in enumerate(records, start=1):
        try:
            r = RatingIn.model_validate(record)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                 for e in exc.errors()[:3])
            out.append(RowError(n, "invalid_record", problems[:500]))
            continue
        try:
            responded = utc(r.responded_at)
            interaction = utc(r.interaction_at) if r.interaction_at else None
        except ValueError as exc:
            out.append(RowError(n, "bad_date", str(exc)))
            continue
        out.append(RawRating(
            row=n, source=r.source, source_instance=r.source_instance,
            source_record_id=r.source_record_id, metric=r.metric, value=_value(r.value),
            responded_at=responded, source_revision=r.source_revision,
            interaction_at=interaction,
            interaction_id=r.interaction_id, agent_id=r.agent_id, agent_email=r.agent_email,
            group_id=r.group_id, team=r.team))
    return out


def zendesk_signature(secret: str, timestamp: str, body: bytes) -> str:
    """base64(HMAC-SHA256(secret, timestamp + body)), as Zendesk signs webhooks."""
    mac = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def verify_zendesk(secret: str, timestamp: str, body: bytes, signature: str,
                   now: datetime) -> str | None:
    """None when the delivery is genuine and fresh, else the reason it is refused."""
    if not secret:
        return "no webhook secret is configured"
    if not timestamp or not signature:
        return "missing X-Zendesk-Webhook-Signature or its timestamp"
    try:
        sent = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return "unreadable signature timestamp"
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    if abs(now - sent) > SIGNATURE_TOLERANCE:
        return "signature timestamp too old or in the future (replay?)"
    expected = zendesk_signature(secret, timestamp, body)
    return None if hmac.compare_digest(expected, signature) else "signature mismatch"


def parse_zendesk(body: bytes, default_instance: str) -> RawRating | RowError:
    """A legacy satisfaction_rating object (bare or under "satisfaction_rating")."""
    try:
        payload = load_json(body)
    except ValueError as exc:
        return RowError(1, "invalid_record", str(exc))
    if isinstance(payload, dict) and isinstance(payload.get("satisfaction_rating"), dict):
        payload = payload["satisfaction_rating"]
    if not isinstance(payload, dict):
        return RowError(1, "invalid_record", "expected a satisfaction_rating object")
    missing = [k for k in ("id", "score", "created_at") if payload.get(k) in (None, "")]
    if missing:
        return RowError(1, "missing_value", f"missing {missing}")
    try:
        created = datetime.fromisoformat(str(payload["created_at"]).replace("Z", "+00:00"))
    except ValueError:
        return RowError(1, "bad_date", f"created_at {payload['created_at']!r}")
    if created.tzinfo is None:
        return RowError(1, "bad_date", "created_at has no timezone")
    try:
        created = utc(created)
    except ValueError as exc:
        return RowError(1, "bad_date", f"created_at: {exc}")
    host = urlparse(str(payload.get("url") or "")).hostname
    return RawRating(
        row=1, source="zendesk", source_instance=host or default_instance,
        source_record_id=str(payload["id"]), metric=CxMetric.BINARY, value=str(payload["score"]),
        responded_at=created,
        source_revision=str(payload.get("updated_at") or ""),
        interaction_id=str(payload["ticket_id"]) if payload.get("ticket_id") else None,
        agent_id=str(payload["assignee_id"]) if payload.get("assignee_id") else None,
        group_id=str(payload["group_id"]) if payload.get("group_id") else None)
