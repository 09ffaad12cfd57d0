"""Irritant rules without a database: anonymisation, lifecycle transitions, lexicon fallback."""

from __future__ import annotations

import pytest

from pulse.core.model import Person
from pulse.irritants.model import IrritantStatus, Polarity
from pulse.irritants.service import REDACTED, TRANSITIONS, anonymise
from sentiment.lexicon import LexiconClassifier

ROSTER = [Person("p1", "acme", "Ada Lovelace"), Person("p2", "acme", "Jean-Pierre Martin")]


@pytest.mark.parametrize(("text", "gone"), [
    ("Ada Lovelace ne répond jamais aux mails", "Lovelace"),
    ("ask ada about it", "ada"),
    ("Jean-Pierre nous met la pression", "Jean-Pierre"),
    ("merci à @bob.durand pour rien", "@bob.durand"),
    ("écrivez à rh@example.fr", "rh@example.fr"),
    ("appelez le 06 12 34 56 78", "06 12 34 56 78"),
    ("ou le +33 6 12 34 56 78", "+33 6 12 34 56 78"),
    ("fixe 01.23.45.67.89", "01.23.45.67.89"),
    ("call +44 20 7946 0958 now", "+44 20 7946 0958"),
    ("US line (555) 123-4567", "(555) 123-4567"),
    ("mobile 07700 900123", "07700 900123"),
    ("Slack mention <@U12345> again", "<@U12345>"),
])
def test_anonymise_removes_people_and_contacts(text: str, gone: str) -> None:
    out = anonymise(text, ROSTER)
    assert gone.lower() not in out.lower()
    assert REDACTED in out


def test_anonymise_keeps_ordinary_numbers_and_words() -> None:
    text = "Le CRM plante 3 fois par jour depuis le 12/03, ticket 4521"
    assert anonymise(text, ROSTER) == text
    assert anonymise("Adaptation difficile", ROSTER) == "Adaptation difficile"


def test_lifecycle_allows_only_forward_moves_and_reopening() -> None:
    S = IrritantStatus
    assert S.ACKNOWLEDGED in TRANSITIONS[S.NEW]
    assert S.RESOLVED in TRANSITIONS[S.IN_PROGRESS]
    assert S.NEW not in TRANSITIONS[S.RESOLVED]
    assert S.IN_PROGRESS in TRANSITIONS[S.RESOLVED]
    assert all(S.NEW not in targets for targets in TRANSITIONS.values())


def test_lexicon_fallback_reads_polarity_and_category() -> None:
    clf = LexiconClassifier(reason="no AVX2")
    neg, pos = clf.classify(["Le CRM plante encore, c'est nul", "Great training, thanks!"])
    assert neg.polarity is Polarity.NEGATIVE and neg.score < 0
    assert str(neg.categories[0].category) == "tools_systems"
    assert neg.language == "fr" and pos.language == "en"
    assert pos.polarity is Polarity.POSITIVE and pos.score > 0
    assert "degraded" in neg.model_version
