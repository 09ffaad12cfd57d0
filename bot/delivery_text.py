"""Strings the delivery engine sends, in French and English (moved to bot/locales once merged)."""

from __future__ import annotations

from pulse.model import Locale

_TEXT: dict[str, dict[str, str]] = {
    "pulse_intro": {
        "fr": "Bonjour {name}, un pulse rapide : {n} question(s), moins de 30 secondes.",
        "en": "Hi {name}, a quick pulse: {n} question(s), under 30 seconds.",
    },
    "anonymity": {
        "fr": "Anonyme : les résultats de l'équipe ne s'affichent qu'à partir de {k} réponses.",
        "en": "Anonymous: your team's results are only shown once {k} people have answered.",
    },
    "agree_low": {"fr": "Pas du tout d'accord", "en": "Strongly disagree"},
    "agree_high": {"fr": "Tout à fait d'accord", "en": "Strongly agree"},
    "nps_low": {"fr": "Pas du tout probable", "en": "Not at all likely"},
    "nps_high": {"fr": "Très probable", "en": "Extremely likely"},
    "add_comment": {"fr": "Ajouter un commentaire", "en": "Add a comment"},
    "reminder": {
        "fr": "Petit rappel : votre pulse de la semaine attend encore votre avis. "
              "C'est le seul rappel.",
        "en": "A gentle reminder: this week's pulse is still waiting for you. "
              "This is the only reminder.",
    },
    "nudge": {
        "fr": "Reconnaissance : {names} n'ont pas reçu de kudos depuis {days} jours. "
              "Un merci précis compte (/kudos @nom message).",
        "en": "Recognition: {names} have had no kudos for {days} days. "
              "A specific thank-you counts (/kudos @name message).",
    },
    "nudge_one": {
        "fr": "Reconnaissance : {names} n'a pas reçu de kudos depuis {days} jours. "
              "Un merci précis compte (/kudos @nom message).",
        "en": "Recognition: {names} has had no kudos for {days} days. "
              "A specific thank-you counts (/kudos @name message).",
    },
}


def text(key: str, locale: Locale | str, **values: object) -> str:
    """The string `key` in the person's language (English when the locale is unknown)."""
    table = _TEXT[key]
    return table.get(str(locale), table["en"]).format(**values)


def keys() -> list[str]:
    return sorted(_TEXT)


def languages(key: str) -> set[str]:
    return set(_TEXT[key])
