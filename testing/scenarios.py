"""Named worlds built with the factories: the web-chat team and the two analytics tenants."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pulse.core.apikeys import create_api_key
from pulse.core.model import Locale, Person, Role
from pulse.kudos.model import Kudos
from pulse.ports import Store
from pulse.surveys.model import Pillar, Question, Scale
from testing import factories

# The web-chat team: six advisers and a manager of one tenant, all on the local web chat.
TENANT = "acme"
TEAM = "t-support"
QUESTIONS = (
    Question("q-tools", Pillar.TOOLS, Scale.AGREE5,
             "Mes outils m'aident à bien servir les clients.",
             "My tools help me serve customers well."),
    Question("q-listen", Pillar.MANAGER, Scale.AGREE5, "Mon manager m'écoute.",
             "My manager listens to me."),
    Question("q-enps", Pillar.ENPS, Scale.NPS11, "Recommanderiez-vous votre équipe ?",
             "Would you recommend your team?"),
)
PEOPLE = (
    Person("mgr", TENANT, "Maud Leroy", Role.MANAGER, Locale.FR),
    Person("ada", TENANT, "Ada Martin", Role.ADVISER, Locale.FR, email="ada@example.com"),
    Person("ben", TENANT, "Ben Carter", Role.ADVISER, Locale.EN),
    Person("chloe", TENANT, "Chloé Petit", Role.ADVISER, Locale.FR),
    Person("dan", TENANT, "Dan Moreau", Role.ADVISER, Locale.FR),
    Person("eve", TENANT, "Eve Laurent", Role.ADVISER, Locale.EN),
    Person("fara", TENANT, "Fara Diallo", Role.ADVISER, Locale.FR),
)


def web_chat_team(store: Store) -> None:
    """Tenant, team, PEOPLE (members since 2025, linked to the web chat), QUESTIONS."""
    factories.tenant(store, TENANT, "Acme", locale=Locale.FR)
    factories.team(store, TEAM, TENANT, "Support Lyon")
    for p in PEOPLE:
        factories.person(store, p.id, p.tenant_id, p.display_name, role=p.role, locale=p.locale,
                         email=p.email, team=TEAM, since=date(2025, 1, 1), link=factories.WEB)
    factories.questions(store, QUESTIONS)


# Two analytics tenants: acme's team tree with four weeks of answers and kudos, and a rival.
NOW = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)  # Wednesday of 2026-W10
RIVAL = "rival"
# ops has 2 direct members, fr 6 and en 3: the complement of fr inside ops is 1..4 people.
TREE = {"ops": (None, 2), "fr": ("ops", 6), "en": ("ops", 3)}
WEEKS = 4


def analytics_tenants(store: Store) -> dict[str, str]:
    """Seed acme and rival; return bearer tokens: 'all' scopes, 'cx' (no analytics), 'other'."""
    factories.tenant(store, TENANT, "Acme", timezone="Europe/Paris")
    factories.tenant(store, RIVAL, "Rival", timezone="America/Santiago")
    factories.questions(store, QUESTIONS)
    people: dict[str, list[str]] = {}
    for team_id, (parent, size) in TREE.items():
        factories.team(store, team_id, TENANT, team_id.upper(), parent)
        # Ids "<team>-<i>" (not staffed_team's "<team>-p<i>"): test_fuzz aims at them by name.
        ids = [f"{team_id}-{i}" for i in range(size)]
        people[team_id] = ids
        for pid in ids:
            factories.person(store, pid, TENANT, f"Person {pid}", team=team_id, link=factories.WEB)
    factories.team(store, "rival-team", RIVAL, "Rival team")
    monday = NOW.date() - timedelta(days=NOW.weekday())
    for week in range(WEEKS):
        opens = datetime.combine(monday - timedelta(weeks=week), datetime.min.time(), UTC)
        for team_id, members in people.items():
            rnd = factories.pulse_round(store, f"r-{team_id}-{week}", team_id, opens)
            factories.answers(store, rnd, {pid: [(q, _cycle(q, i + week)) for q in QUESTIONS]
                                           for i, pid in enumerate(members)},
                              opens + timedelta(hours=30))
        fr, en = people["fr"], people["en"]
        store.add_kudos(Kudos(f"k{week}", TENANT, fr[0], (fr[1], en[0]), "merci",
                              opens + timedelta(hours=12), "entraide"), {fr[1]: "fr", en[0]: "en"})
    return {
        "all": create_api_key(store, TENANT, "all", ["analytics:read", "admin", "cx:write"])[1],
        "cx": create_api_key(store, TENANT, "cx", ["cx:write"])[1],
        "other": create_api_key(store, RIVAL, "other", ["analytics:read"])[1],
    }


def _cycle(question: Question, step: int) -> int:
    """Values that walk the question's whole scale as `step` grows."""
    low, high = question.scale.bounds
    return low + step % (high - low + 1)
