"""The one performer: every part of an outcome runs, in order, whatever fails before it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pytest

from bot.i18n import Translator
from bot.outcome import Delivery, Outcome
from bot.perform import perform
from bot.ports import MessageRef, Recipient
from bot.replies import KudosPost, Notice, Reply, ThankYou
from pulse.core.errors import PermanentFailure, RetryLater
from pulse.core.model import Locale, Person


class Unreachable(Exception):
    """A platform's own failure type (an SDK error the surface declares)."""


@dataclass
class FakeSurface:
    """Records what it was asked to do; a part named in `broken` raises Unreachable."""

    platform: str = "fake"
    failures: tuple[type[BaseException], ...] = (Unreachable, PermanentFailure, RetryLater)
    broken: set[str] = field(default_factory=set)
    calls: list[tuple[str, object]] = field(default_factory=list)
    hint: bool = True

    async def _do(self, part: str, what: object) -> None:
        self.calls.append((part, what))
        if part in self.broken:
            raise Unreachable(part)

    async def update_prompt(self, replies: list[Reply]) -> None:
        await self._do("update", replies)

    async def reply(self, replies: list[Reply]) -> None:
        await self._do("reply", replies)

    async def post_public(self, team_id: str | None, replies: list[Reply]) -> None:
        await self._do("public", (team_id, replies))

    def public_failed(self, t: Translator) -> Notice | None:
        return Notice(t.gettext("Your comment")) if self.hint else None


@dataclass
class FakeGateway:
    platform: str
    fail_for: set[str] = field(default_factory=set)
    sent: list[tuple[str, list[Reply]]] = field(default_factory=list)

    async def send(self, to: Recipient, replies: list[Reply]) -> MessageRef:
        if to.person_id in self.fail_for:
            raise RetryLater(30, "busy")
        self.sent.append((to.person_id, replies))
        return MessageRef(self.platform, to.workspace, to.external_id, "m1")

    async def update(self, ref: MessageRef, replies: list[Reply]) -> None:
        raise AssertionError("deliveries are new messages")


ADA = Person("ada", "acme", "Ada", locale=Locale.FR)
POST = KudosPost("Ada", ("Bob",), "Merci", None, "Ada remercie Bob")


def to(person_id: str, platform: str = "other") -> Recipient:
    return Recipient(person_id, platform, "w", f"u-{person_id}")


def gateways(*fakes: FakeGateway) -> dict[str, FakeGateway]:
    return {g.platform: g for g in fakes}


def everything() -> Outcome:
    return Outcome(replies=[Notice("noted")], replace_prompt=[ThankYou("Merci", "compté")],
                   deliveries=[Delivery(to("bob"), (POST,)), Delivery(to("cy"), (POST,)),
                               Delivery(to("dee", "nowhere"), (POST,))],
                   public=[POST], team_id="team-a")


async def test_each_part_in_order_and_the_deliveries_through_their_gateways() -> None:
    surface, other = FakeSurface(), FakeGateway("other")
    await perform(everything(), surface, gateways(other), ADA)
    assert [part for part, _ in surface.calls] == ["update", "reply", "public"]
    assert surface.calls[2] == ("public", ("team-a", [POST]))
    assert [pid for pid, _ in other.sent] == ["bob", "cy"]  # "nowhere" has no gateway


async def test_a_failure_is_logged_and_never_stops_what_comes_after(
    caplog: pytest.LogCaptureFixture
) -> None:
    surface, other = FakeSurface(broken={"update", "reply"}), FakeGateway("other", {"bob"})
    with caplog.at_level(logging.WARNING, logger="bot"):
        await perform(everything(), surface, gateways(other), ADA)
    assert [part for part, _ in surface.calls] == ["update", "reply", "public"]
    assert [pid for pid, _ in other.sent] == ["cy"]  # bob's DM failed, cy still got hers
    logged = caplog.text
    assert "fake update prompt failed" in logged and "fake reply failed" in logged
    assert "could not deliver to bob" in logged and "no gateway for nowhere" in logged


async def test_a_failed_team_post_tells_the_actor_in_their_language() -> None:
    surface = FakeSurface(broken={"public"})
    await perform(Outcome(public=[POST], team_id="t"), surface, gateways(), ADA)
    assert surface.calls[-1] == ("reply", [Notice("Votre commentaire")])  # Ada reads French
    quiet = FakeSurface(broken={"public"}, hint=False)
    await perform(Outcome(public=[POST]), quiet, gateways(), None)
    assert [part for part, _ in quiet.calls] == ["public"]


async def test_an_undeclared_error_is_a_bug_and_is_not_swallowed() -> None:
    surface = FakeSurface(failures=(PermanentFailure,), broken={"reply"})
    with pytest.raises(Unreachable):
        await perform(Outcome(replies=[Notice("x")]), surface, gateways(), ADA)


async def test_nothing_to_do_calls_nothing() -> None:
    surface = FakeSurface()
    await perform(Outcome(), surface, gateways(), ADA)
    assert surface.calls == []
