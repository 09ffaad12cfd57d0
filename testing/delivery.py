"""Shared seeds and fakes for the delivery tests (and bench/fanout.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.ports import MessageRef, Recipient
from bot.replies import Reply, SurveyPrompt
from pulse.core.errors import PermanentFailure, RetryLater
from pulse.core.model import Membership, Person, Role, Team, Tenant
from pulse.surveys.model import Pillar, Question, Scale

BANK = [
    Question(f"q{i}", pillar, Scale.AGREE5, f"Question {i} FR", f"Question {i} EN")
    for i, pillar in enumerate([Pillar.TOOLS, Pillar.BELONGING, Pillar.GROWTH, Pillar.MANAGER,
                                Pillar.PAY, Pillar.USEFULNESS], start=1)
] + [
    Question("enps", Pillar.ENPS, Scale.NPS11, "Recommanderiez-vous ?", "Would you recommend?"),
    Question("m-onb7", Pillar.BELONGING, Scale.AGREE5, "Accueil FR", "Welcome EN",
             moments=("onboarding_day_7",)),
]


def seed_team(store: object, team: str = "t1", tenant: str = "acme", people: int = 3,
              tz: str = "Europe/Paris", platform: str = "web", workspace: str = "local",
              manager: bool = True) -> list[Person]:
    """A tenant, a team of advisers (plus a manager) with chat identities, and the question bank."""
    s = store  # typed loosely: SqlStore in tests, anything with the Store methods in the bench
    if s.get_tenant(tenant) is None:  # type: ignore[attr-defined]
        s.add_tenant(Tenant(tenant, tenant.title()))  # type: ignore[attr-defined]
        for q in BANK:
            s.add_question(q)  # type: ignore[attr-defined]
    s.add_team(Team(team, tenant, f"Team {team}"))  # type: ignore[attr-defined]
    out = []
    for i in range(people):
        p = Person(f"{team}-p{i}", tenant, f"Adviser {team} {i}", Role.ADVISER, timezone=tz)
        out.append(p)
    if manager:
        out.append(Person(f"{team}-boss", tenant, f"Boss {team}", Role.MANAGER, timezone=tz))
    for p in out:
        s.add_person(p)  # type: ignore[attr-defined]
        s.add_membership(Membership(p.id, team, date(2025, 1, 1)))  # type: ignore[attr-defined]
        s.link_identity(platform, workspace, f"U-{p.id}", p.id)  # type: ignore[attr-defined]
    return out


@dataclass
class FakeGateway:
    """Records what it sends; can be told to answer 429 or to refuse for good."""

    platform: str = "web"
    sent: list[tuple[Recipient, list[Reply]]] = field(default_factory=list)
    retry_after: list[float] = field(default_factory=list)  # next sends raise RetryLater
    permanent: set[str] = field(default_factory=set)  # person ids refused for good
    broken: int = 0  # next sends raise a generic error

    async def send(self, to: Recipient, replies: list[Reply]) -> MessageRef:
        if self.retry_after:
            raise RetryLater(self.retry_after.pop(0))
        if to.person_id in self.permanent:
            raise PermanentFailure("user_not_found")
        if self.broken:
            self.broken -= 1
            raise ConnectionError("connection reset")
        self.sent.append((to, replies))
        return MessageRef(self.platform, to.workspace, to.external_id, str(len(self.sent)))

    async def update(self, ref: MessageRef, replies: list[Reply]) -> None:
        return None

    def rounds_sent_to(self, person_id: str) -> list[str]:
        return [r.round_id for to, replies in self.sent if to.person_id == person_id
                for r in replies[:1] if isinstance(r, SurveyPrompt)]
