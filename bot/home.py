"""A person's home (Slack App Home, Teams home): own answers, kudos received, the team's pulse.

The team's numbers are the published cells the API serves (STYLE.md §14): closed ISO weeks in
the tenant's timezone, the "pulse" metric only (eNPS is its own metric, never mixed in), with
the suppression the publication decided. Nothing here computes a group's value from answers:
a second computation would be a second anonymity rule (issue 10, attack class 5). The open
week shows participation only, as counts, and only for a team of at least k people.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import Translator, translator
from bot.runtime import Runtime
from pulse.analytics.anonymity import descendants
from pulse.analytics.cells import Cell
from pulse.core import buckets
from pulse.core.model import Bucket, Person
from pulse.surveys.model import Scale, Scored

Section = tuple[str, list[str]]
HISTORY_WEEKS = 12  # published weeks shown, the same twelve the API's team series gives
OWN_WEEKS = 8
RECENT = 8
METRIC = "pulse"


def home_sections(runtime: Runtime, person: Person) -> list[Section]:
    """Titled sections of translated lines, read in one transaction; adapters decide the look."""
    with runtime.store.batch():
        return sections(runtime, person)


def sections(runtime: Runtime, person: Person) -> list[Section]:
    """The home's sections inside the caller's transaction (a dialog turn already holds one)."""
    t = translator(person.locale)
    _ = t.gettext
    store = runtime.store
    now = runtime.clock.now()
    team_id = store.team_of(person.id, now.date())
    since = now - timedelta(weeks=OWN_WEEKS)
    answers = store.scored_answers(person.tenant_id, [team_id], since, now) if team_id else []
    mine = sorted((a for a in answers if a.person_id == person.id),
                  key=lambda a: a.answered_at, reverse=True)[:RECENT]
    own = [_answer_line(runtime, person, a) for a in mine] or [
        _("You have not answered a pulse recently. The next one will come to you here.")]
    kudos = []
    for item in store.kudos_received(person.id, RECENT):
        sender = store.get_person(item.sender_id)
        tag = f" #{item.value_tag}" if item.value_tag else ""
        kudos.append(f"{_local_day(item.created_at, person.timezone)} · "
                     f"{sender.display_name if sender else '?'}: {item.message}{tag}")
    if not kudos:
        kudos = [_("No kudos yet: they will show here.")]
    return [
        (_("Your recent answers (only you see them)"), own),
        (_("Kudos you received"), kudos),
        (_("Your team's pulse"), team_lines(runtime, person, team_id, now)),
    ]


def tenant_timezone(runtime: Runtime, tenant_id: str) -> str:
    """The tenant's timezone: buckets are the tenant's weeks, never the reader's."""
    tenant = runtime.store.get_tenant(tenant_id)
    return tenant.timezone if tenant else runtime.timezone


def team_lines(runtime: Runtime, person: Person, team_id: str | None, now: datetime
               ) -> list[str]:
    """The open week's participation, then the team's published weekly pulse, newest first."""
    t = translator(person.locale)
    if team_id is None:
        return [t.gettext("You are not in a team yet, so there is no team pulse to show.")]
    tz = tenant_timezone(runtime, person.tenant_id)
    open_week = buckets.bucket_key(now, Bucket.WEEK, tz)
    lines = [participation_line(runtime, t, person.tenant_id, team_id, open_week, tz)]
    cells = _published(runtime, person.tenant_id, team_id, open_week)
    if cells is None:
        lines.append(t.gettext("Your team's published results are not available here yet."))
        return lines
    for cell in cells:
        lines.append(_cell_line(t, cell, runtime.k_scores))
    if not cells:
        lines.append(t.gettext("No week has been published for your team yet: a week is "
                               "published after it closes."))
    return lines


def _published(runtime: Runtime, tenant_id: str, team_id: str, open_week: str
               ) -> list[Cell] | None:
    """The team's published pulse cells for the closed weeks before the open one, newest first."""
    if runtime.cells is None:
        return None
    _, monday, _ = buckets.parse_key(open_week)
    first = buckets.key_of_day(monday - timedelta(weeks=HISTORY_WEEKS), Bucket.WEEK)
    last = buckets.key_of_day(monday - timedelta(days=1), Bucket.WEEK)
    found = runtime.cells.cells(tenant_id, [team_id], Bucket.WEEK, [METRIC], first, last)
    mine = [c for c in found if c.team_id == team_id and c.metric == METRIC
            and c.granularity is Bucket.WEEK and first <= c.bucket <= last]
    return sorted(mine, key=lambda c: c.bucket, reverse=True)


def _cell_line(t: Translator, cell: Cell, k: int) -> str:
    if cell.shown and cell.value is not None:
        return t.gettext("Week {week}: {score}/10 ({n} people answered)").format(
            week=cell.bucket, score=f"{cell.value:.1f}", n=cell.n)
    return t.gettext("Week {week}: not shown (fewer than {k} people, or hidden to protect "
                     "a small group)").format(week=cell.bucket, k=k)


def participation_line(runtime: Runtime, t: Translator, tenant_id: str, team_id: str,
                       week: str, tz: str) -> str:
    """"12 of 20 have answered this week": counts only, for a team of at least k people."""
    store = runtime.store
    parents = {team.id: team.parent_id for team in store.list_teams(tenant_id)}
    scope = [team_id, *sorted(descendants(parents).get(team_id, set()))]
    start, end = buckets.bounds(week, tz)
    invited: set[str] = set()
    for people in store.invited_people(tenant_id, scope, start, end).values():
        invited |= people
    if not invited:
        return t.gettext("No pulse has gone out to your team this week yet.")
    if len(invited) < runtime.k_scores:
        return t.gettext("This week's participation shows for teams of at least {k} "
                         "people.").format(k=runtime.k_scores)
    answered = {a.person_id for a in store.scored_answers(tenant_id, scope, start, end)}
    return t.gettext("{n} of {total} have answered this week; the week's result is published "
                     "after it closes.").format(n=len(answered & invited), total=len(invited))


def _answer_line(runtime: Runtime, person: Person, answer: Scored) -> str:
    question = runtime.store.get_question(answer.question_id)
    text = question.text(person.locale) if question else answer.question_id
    top = 5 if answer.scale is Scale.AGREE5 else 10
    day = _local_day(answer.answered_at, person.timezone)
    return f"{day} · {text}: {answer.value}/{top}"


def _local_day(at: datetime, timezone: str) -> str:
    return at.astimezone(ZoneInfo(timezone)).date().isoformat()
