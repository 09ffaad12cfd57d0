"""CSV mapping profiles: which columns hold the id, score, date, agent and team of a rating.

- `zendesk`: legacy satisfaction_ratings export (id, score good/bad/offered/unoffered,
  created_at, updated_at as revision, assignee_id, group_id, ticket_id).
- `qualtrics`: a response export (ResponseId, RecordedDate, one score column, embedded data
  `agent_email` / `agent_id` / `team`); the two extra header rows are skipped.
- `generic`: responded_at, score, and optional rating_id, revision, metric, agent_id,
  agent_email, team, interaction_id, interaction_at, group_id.
- `nhs_fft`: the NHS Friends and Family Test file of pxtextmining. One rating per
  `Respondent ID` (the file has one row per comment, so a respondent's second row is a duplicate);
  `FFT categorical answer` 1 = very good … 5 = very poor is turned round onto CSAT 1–5
  (6 − x), 6/7 (don't know / missing) are rejected as not_a_rating; the team is
  "<Trust> · <Service type 1>"; dates use the `dmy-mdy-run` rule (see dates.py), run = service.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from adapters.csat.dates import DateReader
from pulse.cx.model import CxMetric
from pulse.cx.service import RawRating, RowError

Row = dict[str, str]


@dataclass(frozen=True)
class Options:
    source_instance: str
    metric: CxMetric | None
    score_column: str | None


@dataclass(frozen=True)
class Profile:
    name: str
    source: str
    required: tuple[str, ...]
    date_column: str
    default_date_format: str
    run_column: str | None
    skip_qualtrics_rows: bool
    convert: Callable[[Row, int, DateReader, Options], RawRating | RowError]
    optional: tuple[str, ...] = ()

    def uses(self, options: Options) -> tuple[str, ...]:
        """Every column the converter reads (rows are trimmed to these while streaming)."""
        return (*self.columns(options), *self.optional)

    def columns(self, options: Options) -> tuple[str, ...]:
        """Required header columns, with the chosen score column for Qualtrics."""
        if self.name == "qualtrics":
            return (*self.required, options.score_column or "Q1")
        return self.required


def _get(row: Row, name: str) -> str:
    return (row.get(name) or "").strip()


def _opt(row: Row, name: str) -> str | None:
    return _get(row, name) or None


def _zendesk(row: Row, n: int, dates: DateReader, opt: Options) -> RawRating | RowError:
    try:
        responded = dates.parse(_get(row, "created_at"))
    except ValueError as exc:
        return RowError(n, "bad_date", f"created_at: {exc}")
    return RawRating(
        row=n, source="zendesk", source_instance=opt.source_instance,
        source_record_id=_get(row, "id"), metric=CxMetric.BINARY, value=_get(row, "score"),
        responded_at=responded, source_revision=_get(row, "updated_at"),
        interaction_id=_opt(row, "ticket_id"), agent_id=_opt(row, "assignee_id"),
        agent_email=_opt(row, "assignee_email"), group_id=_opt(row, "group_id"))


def _qualtrics(row: Row, n: int, dates: DateReader, opt: Options) -> RawRating | RowError:
    try:
        responded = dates.parse(_get(row, "RecordedDate"))
    except ValueError as exc:
        return RowError(n, "bad_date", f"RecordedDate: {exc}")
    score = _get(row, opt.score_column or "Q1")
    if not score:
        return RowError(n, "missing_value", f"no answer in {opt.score_column or 'Q1'}")
    return RawRating(
        row=n, source="qualtrics", source_instance=opt.source_instance,
        source_record_id=_get(row, "ResponseId"), metric=opt.metric or CxMetric.CSAT,
        value=score, responded_at=responded, interaction_id=_opt(row, "ExternalReference"),
        agent_id=_opt(row, "agent_id"), agent_email=_opt(row, "agent_email"),
        team=_opt(row, "team"))


def _generic(row: Row, n: int, dates: DateReader, opt: Options) -> RawRating | RowError:
    try:
        responded = dates.parse(_get(row, "responded_at"))
        inter = _opt(row, "interaction_at")
        interaction_at = dates.parse(inter) if inter else None
    except ValueError as exc:
        return RowError(n, "bad_date", str(exc))
    score = _get(row, "score")
    if not score:
        return RowError(n, "missing_value", "empty score")
    try:
        metric = CxMetric(_get(row, "metric").lower()) if _get(row, "metric") else (
            opt.metric or CxMetric.CSAT)
    except ValueError:
        return RowError(n, "bad_metric", f"unknown metric {_get(row, 'metric')!r}")
    agent = _opt(row, "agent_id") or _opt(row, "agent_email") or ""
    # No id column: the §1.3 composite (interaction, agent, answer time, value) is the record id.
    record = _get(row, "rating_id") or "|".join(
        (_get(row, "interaction_id"), agent, responded.isoformat(), score))
    return RawRating(
        row=n, source=_get(row, "source") or "csv", source_instance=opt.source_instance,
        source_record_id=record, metric=metric, value=score, responded_at=responded,
        source_revision=_get(row, "revision"), interaction_at=interaction_at,
        interaction_id=_opt(row, "interaction_id"), agent_id=_opt(row, "agent_id"),
        agent_email=_opt(row, "agent_email"), group_id=_opt(row, "group_id"),
        team=_opt(row, "team"))


def nhs_team(trust: str, service: str) -> str | None:
    """'NEAS · PTS - Patient Transport'; None for a missing or 'Unknown' service."""
    service = re.sub(r"\s+", " ", service).strip()
    if not service or service.lower() in ("unknown", "nan"):
        return None
    return f"{trust.strip()} · {service}"


def _nhs(row: Row, n: int, dates: DateReader, opt: Options) -> RawRating | RowError:
    answer = _get(row, "FFT categorical answer")
    if answer in ("6", "7"):
        return RowError(n, "not_a_rating", f"FFT answer {answer} means don't know / missing")
    if answer not in ("1", "2", "3", "4", "5"):
        return RowError(n, "off_scale", f"FFT answer {answer!r} is not 1–7")
    trust, service = _get(row, "Trust"), _get(row, "Service type 1")
    try:
        responded = dates.parse(_get(row, "Date"), run=f"{trust}|{service}")
    except ValueError as exc:
        return RowError(n, "bad_date", f"Date: {exc}")
    return RawRating(
        row=n, source="nhs_fft", source_instance=trust or opt.source_instance,
        source_record_id=_get(row, "Respondent ID"), metric=CxMetric.CSAT,
        value=str(6 - int(answer)), raw_value=answer, responded_at=responded,
        team=nhs_team(trust, service))


PROFILES: dict[str, Profile] = {
    "zendesk": Profile("zendesk", "zendesk", ("id", "score", "created_at"), "created_at",
                       "iso8601", None, False, _zendesk,
                       ("updated_at", "assignee_id", "assignee_email", "group_id", "ticket_id")),
    "qualtrics": Profile("qualtrics", "qualtrics", ("ResponseId", "RecordedDate"),
                         "RecordedDate", "%Y-%m-%d %H:%M:%S", None, True, _qualtrics,
                         ("ExternalReference", "agent_id", "agent_email", "team")),
    "generic": Profile("generic", "csv", ("responded_at", "score"), "responded_at", "auto", None,
                       False, _generic,
                       ("rating_id", "revision", "metric", "agent_id", "agent_email", "team",
                        "interaction_id", "interaction_at", "group_id", "source")),
    "nhs_fft": Profile("nhs_fft", "nhs_fft",
                       ("Respondent ID", "Trust", "Date", "Service type 1",
                        "FFT categorical answer"), "Date", "dmy-mdy-run", "Service type 1",
                       False, _nhs),
}
