"""Tiny FR/EN language detection from function words and accents (no dependency)."""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ']+")
_FR = _words("""
le la les un une des du de et est sont pas ne on nous vous je tu il elle ils elles ce
cette ces mon ma mes ton ta son sa leur leurs avec pour dans sur par mais ou donc car qui
que quoi très trop plus moins aussi encore toujours jamais rien tout tous merci être avoir
fait été au aux en y c'est j'ai n'est d'un d'une qu'il l'équipe ça là où
""")
_EN = _words("""
the a an and is are was were not no we you i he she they it this that these those my your
his her their our with for in on by but or so because who what which very too more less
also still always never nothing all thanks be have has had been do does did to of at from
i'm it's don't can't can will would should there here
""")
_ACCENTS = re.compile(r"[àâçéèêëîïôùûœ]")


def detect_language(text: str) -> str:
    """'fr', 'en' or 'und' when the text gives no clue."""
    words = _WORD.findall(text.lower())
    fr = sum(w in _FR for w in words) + 0.5 * len(_ACCENTS.findall(text.lower()))
    en = sum(w in _EN for w in words)
    if fr == en:
        return "und"
    return "fr" if fr > en else "en"
