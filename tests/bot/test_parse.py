"""Typed chat commands, parsed the same way on every platform."""

from __future__ import annotations

from bot.intents import Actor, HelpIntent, IrritantIntent, KudosIntent, LanguageIntent
from bot.parse import parse_command, parse_kudos

ME = Actor("web", "local", "p1")


def test_kudos_with_two_recipients_and_a_value() -> None:
    parsed = parse_kudos("@a @b Merci pour ton aide #entraide")
    assert parsed.handles == ("a", "b")
    assert parsed.message == "Merci pour ton aide"
    assert parsed.value_tag == "entraide"
    assert parsed.public is True


def test_kudos_platform_mentions_private_flag_and_no_tag() -> None:
    parsed = parse_kudos("<@U1> <@U2|bob>, <at>Ada Lovelace</at> thanks for today! --private")
    assert parsed.handles == ("U1", "U2", "Ada Lovelace")
    assert parsed.message == "thanks for today!"
    assert parsed.value_tag is None
    assert parsed.public is False
    assert parse_kudos("@a merci --privé").public is False


def test_kudos_only_leading_mentions_are_recipients() -> None:
    parsed = parse_kudos("@ada@example.com bravo, comme @bob l'a dit #Qualité")
    assert parsed.handles == ("ada@example.com",)
    assert parsed.message == "bravo, comme @bob l'a dit"
    assert parsed.value_tag == "qualité"
    assert parse_kudos("merci à tous").handles == ()


def test_parse_command() -> None:
    kudos = parse_command(ME, "/kudos @p2 bravo #client")
    assert kudos == KudosIntent(ME, ("p2",), "bravo", "client", True)
    assert parse_command(ME, "/irritant  Le CRM rame ") == IrritantIntent(ME, "Le CRM rame")
    assert parse_command(ME, "/miroir help") == HelpIntent(ME)
    assert parse_command(ME, "/miroir") == HelpIntent(ME)
    assert parse_command(ME, "/miroir lang EN") == LanguageIntent(ME, "en")
    assert parse_command(ME, "/miroir langue") == LanguageIntent(ME, "")
    assert parse_command(ME, "bonjour") is None
    assert parse_command(ME, "/unknown thing") is None
