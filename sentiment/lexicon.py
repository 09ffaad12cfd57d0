"""Degraded-mode classifier: small FR/EN word lists, used when no embedding engine loads."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pulse.irritants.model import CategoryScore, Classification, IrritantCategory, Polarity
from sentiment.lang import detect_language

LEXICON_VERSION = "lexicon-1"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NEG = _words("""
nul nulle nuls horrible pire mauvais mauvaise lent lente lents plante plantent panne bug
bugs marre fatigué fatiguée épuisé épuisée épuisant stress stressé insulte insulté
insultes menace menaces agressif agressive problème problèmes impossible refusé refusés
refusée jamais déçu déçue inacceptable frustrant frustrée frustré difficile difficiles
pénible bruit bruyant cassé cassée retard absurde intenable injuste pression manque sous-
effectif vidé triste colère râle bad worse worst awful terrible horrible slow crash
crashes crashed broken outage bug bugs fed tired exhausted exhausting stress stressed
insulted abusive threat threats angry problem problems impossible refused never
disappointed unacceptable frustrating frustrated difficult noisy late absurd unsustainable
unfair pressure lack understaffed drained sad useless wrong
""")
_POS = _words("""
merci super génial géniale top bravo excellent excellente bien bonne bon content contente
heureux heureuse ravi ravie parfait parfaite rapide efficace sympa agréable reconnu
reconnue aide entraide adore formidable belle beau enfin thanks thank great good excellent
awesome brilliant amazing happy glad pleased perfect fast efficient nice lovely recognised
recognized helpful love well finally
""")
_NEGATORS = _words("""
pas ne jamais plus aucun aucune not no never n't
""")
_CATEGORY_WORDS: dict[IrritantCategory, frozenset[str]] = {
    IrritantCategory.TOOLS: _words("""
crm outil outils logiciel application appli téléphonie vpn écran bug plante tool tools
software app system phone screen crash
"""),
    IrritantCategory.INFORMATION: _words("""
information info infos procédure base consigne consignes prévenus knowledge procedure
instructions told
"""),
    IrritantCategory.PROCESSES: _words("""
processus règle règles validation validations formulaire process rule rules approval form
policy
"""),
    IrritantCategory.WORKLOAD: _words("""
planning horaires pause pauses charge file appels congés sous-effectif rota schedule shift
break breaks workload queue overtime understaffed leave
"""),
    IrritantCategory.MANAGEMENT: _words("""
manager managers superviseur hiérarchie reconnaissance écoute supervisor management
recognition favouritism
"""),
    IrritantCategory.PAY: _words("""
salaire paie prime primes augmentation rémunération salary pay bonus bonuses raise payslip
"""),
    IrritantCategory.WORKSPACE: _words("""
plateau bruit clim chauffage casque fauteuil bureau office noise headset chair desk
heating
"""),
    IrritantCategory.COMMUTE: _words("""
rer train trajet parking télétravail transport commute traffic remote home
"""),
    IrritantCategory.TRAINING: _words("""
formation évolution promotion tuteur carrière training career promotion mentor onboarding
"""),
    IrritantCategory.CUSTOMER: _words("""
client clients insulte insulté menace agressif customer customers caller abusive
threatened insulted
"""),
}
_WORD = re.compile(r"[\w'-]+")


class LexiconClassifier:
    """Counts polar words (with simple negation) and category keywords; no model needed."""

    def __init__(self, reason: str = "") -> None:
        self.reason = reason
        self.model_version = f"{LEXICON_VERSION}+degraded" if reason else LEXICON_VERSION

    def classify(self, texts: Sequence[str], tenant_id: str | None = None) -> list[Classification]:
        """Polarity from word counts, categories from keywords."""
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> Classification:
        words = [w.strip("'-") for w in _WORD.findall(text.lower())]
        total = 0.0
        for i, word in enumerate(words):
            sign = 1.0 if word in _POS else -1.0 if word in _NEG else 0.0
            if sign and any(w in _NEGATORS for w in words[max(0, i - 3) : i]):
                sign = -sign
            total += sign
        score = max(-1.0, min(1.0, total / 2.0))
        polarity = (Polarity.POSITIVE if score > 0.25 else
                    Polarity.NEGATIVE if score < -0.25 else Polarity.NEUTRAL)
        hits = {c: sum(w in kw for w in words) for c, kw in _CATEGORY_WORDS.items()}
        found = sorted((c for c, n in hits.items() if n), key=lambda c: -hits[c])[:2]
        n_hits = sum(hits[c] for c in found) or 1
        categories = tuple(CategoryScore(c, hits[c] / n_hits) for c in found) or (
            CategoryScore(IrritantCategory.OTHER, 1.0),)
        return Classification(polarity, score, categories, detect_language(text),
                              self.model_version)
