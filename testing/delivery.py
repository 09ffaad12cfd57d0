"""The question bank, a team to deliver to, and a recording gateway for the delivery tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.ports import MessageRef, Recipient
from bot.replies import Reply, SurveyPrompt
from pulse.core.errors import PermanentFailure, RetryLater
from pulse.core.model import Person
from pulse.ports import Store
from pulse.surveys.model import Pillar, Question, Scale
from testing import factories

BANK = [
    Question(f"q{i}", pillar, Scale.AGREE5, f"Question {i} FR", f"Question {i} EN")
    for i, pillar in enumerate([Pillar.TOOLS, Pillar.BELONGING, Pillar.GROWTH, Pillar.MANAGER,
                                Pillar.PAY, Pillar.USEFULNESS], start=1)
] + [
    Question("enps", Pillar.ENPS, Scale.NPS11, "Recommanderiez-vous ?", "Would you recommend?"),
    Question("m-onb7", Pillar.BELONGING, Scale.AGREE5, "Accueil FR", "Welcome EN",
             moments=("onboarding_day_7",)),
]


def delivery_team(store: Store, size: int = 3, *, team: str = "t1", tenant: str = "acme",
                  manager: bool = True, tz: str = "Europe/Paris", platform: str = "web",
                  workspace: str = "local") -> list[Person]:
    """The tenant and the question bank if new, then a team of `size` advisers (plus a manager)
    reachable on (platform, workspace) as "U-<person id>"."""
    if store.get_tenant(tenant) is None:
        factories.tenant(store, tenant)
        factories.questions(store, BANK)
    return factories.staffed_team(store, team, size, tenant, manager=manager, timezone=tz,
                                  link=(platform, workspace), external="U-{id}")


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
