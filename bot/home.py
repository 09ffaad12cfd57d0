"""A person's home tab, platform-neutral: own answers, kudos received, the team's trend (k-safe)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import translator
from bot.runtime import Runtime
from pulse.analytics.scoring import to_ten
from pulse.core.model import Person
from pulse.surveys.model import Scale, Scored

Section = tuple[str, list[str]]
HISTORY_WEEKS = 8
RECENT = 8


def home_sections(runtime: Runtime, person: Person) -> list[Section]:
    """Titled sections of translated lines, read in one transaction; adapters decide the look."""
    with runtime.store.batch():
        return _sections(runtime, person)


def _sections(runtime: Runtime, person: Person) -> list[Section]:
    t = translator(person.locale)
    _ = t.gettext
    store = runtime.store
    now = runtime.clock.now()
    team_id = store.team_of(person.id, now.date())
    since = now - timedelta(weeks=HISTORY_WEEKS)
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
        (_("Your team's trend"), team_trend_lines(runtime, person, answers)),
    ]


def team_trend_lines(runtime: Runtime, person: Person, answers: list[Scored]) -> list[str]:
    """Weekly team means (0–10, person-first), each shown only with ≥ k_scores respondents."""
    t = translator(person.locale)
    zone = ZoneInfo(person.timezone)
    weeks: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for a in answers:
        year, week, _day = a.answered_at.astimezone(zone).isocalendar()
        weeks[f"{year}-W{week:02d}"][a.person_id].append(to_ten(a.scale, a.value))
    lines = []
    for label in sorted(weeks):
        people = weeks[label]
        if len(people) < runtime.k_scores:
            continue  # too few respondents: the week stays hidden, never shown as a small group
        mean = sum(sum(v) / len(v) for v in people.values()) / len(people)
        lines.append(t.gettext("Week {week}: {score}/10 ({n} people answered)").format(
            week=label, score=f"{mean:.1f}", n=len(people)))
    if not lines:
        return [t.gettext("Your team's trend shows here once at least {k} people have answered "
                          "in a week; until then nobody sees it.").format(k=runtime.k_scores)]
    return lines


def _answer_line(runtime: Runtime, person: Person, answer: Scored) -> str:
    question = runtime.store.get_question(answer.question_id)
    text = question.text(person.locale) if question else answer.question_id
    top = 5 if answer.scale is Scale.AGREE5 else 10
    day = _local_day(answer.answered_at, person.timezone)
    return f"{day} · {text}: {answer.value}/{top}"


def _local_day(at: datetime, timezone: str) -> str:
    return at.astimezone(ZoneInfo(timezone)).date().isoformat()
