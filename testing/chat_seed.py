"""A small team for web-chat tests: six advisers and a manager, linked to the web chat."""

from __future__ import annotations

from datetime import date

from pulse.core.model import Locale, Membership, Person, Role, Team, Tenant
from pulse.ports import Store
from pulse.surveys.model import Pillar, Question, Scale

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


def seed_team(store: Store, *, web: bool = True) -> None:
    """Tenant, team, people (all linked to the web chat unless web=False), question bank."""
    store.add_tenant(Tenant(TENANT, "Acme", locale=Locale.FR))
    store.add_team(Team(TEAM, TENANT, "Support Lyon"))
    for person in PEOPLE:
        store.add_person(person)
        store.add_membership(Membership(person.id, TEAM, date(2025, 1, 1)))
        if web:
            store.link_identity("web", "local", person.id, person.id)
    for question in QUESTIONS:
        store.add_question(question)
