"""'You said, we did': tell the reporter of a resolved irritant, in their language."""

from __future__ import annotations

import logging

from bot.ports import Recipient
from bot.replies import Notice
from bot.runtime import Runtime
from pulse.errors import PermanentFailure, RetryLater
from pulse.model import Irritant, IrritantCategory, Locale

log = logging.getLogger("miroir.irritants")

# Until the Babel catalogs of bot/locales/ land on main; then these move to the .po files.
TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "resolved": "Vous l'avez dit, nous l'avons fait : le point que vous aviez remonté "
                    "({category}) est résolu.",
        "note": "Le mot de l'équipe : « {note} »",
        "thanks": "Merci de l'avoir signalé. Votre signalement est resté anonyme.",
    },
    "en": {
        "resolved": "You said, we did: the issue you raised ({category}) has been resolved.",
        "note": "From the team: “{note}”",
        "thanks": "Thank you for raising it. Your report stayed anonymous.",
    },
}
CATEGORY_LABELS: dict[str, dict[IrritantCategory, str]] = {
    "fr": {
        IrritantCategory.TOOLS: "outils et systèmes",
        IrritantCategory.INFORMATION: "information et connaissances",
        IrritantCategory.PROCESSES: "processus et règles",
        IrritantCategory.WORKLOAD: "charge et planning",
        IrritantCategory.MANAGEMENT: "management et reconnaissance",
        IrritantCategory.PAY: "rémunération et avantages",
        IrritantCategory.WORKSPACE: "locaux et équipement",
        IrritantCategory.COMMUTE: "trajets et télétravail",
        IrritantCategory.TRAINING: "formation et évolution",
        IrritantCategory.CUSTOMER: "agressivité client et stress",
        IrritantCategory.OTHER: "autre",
    },
    "en": {
        IrritantCategory.TOOLS: "tools and systems",
        IrritantCategory.INFORMATION: "information and knowledge",
        IrritantCategory.PROCESSES: "processes and rules",
        IrritantCategory.WORKLOAD: "workload and schedule",
        IrritantCategory.MANAGEMENT: "management and recognition",
        IrritantCategory.PAY: "pay and benefits",
        IrritantCategory.WORKSPACE: "workspace and equipment",
        IrritantCategory.COMMUTE: "commute and remote work",
        IrritantCategory.TRAINING: "training and growth",
        IrritantCategory.CUSTOMER: "customer aggression and stress",
        IrritantCategory.OTHER: "other",
    },
}


def you_said_we_did(irritant: Irritant, locale: Locale | str) -> Notice:
    """The message a reporter receives when their irritant is resolved."""
    lang = "en" if str(locale) == Locale.EN else "fr"
    text = TEXT[lang]
    lines = [text["resolved"].format(category=CATEGORY_LABELS[lang][irritant.category])]
    if irritant.owner_note:
        lines.append(text["note"].format(note=irritant.owner_note))
    lines.append(text["thanks"])
    return Notice("\n".join(lines), private=True)


async def notify_reporter(runtime: Runtime, irritant: Irritant) -> int:
    """Send 'you said, we did' to every chat account of the reporter; returns messages sent.

    The reporter is looked up here, inside the bot; nothing about them goes back to the owner.
    """
    person_id = runtime.store.reporter_of(irritant.id)
    person = runtime.store.get_person(person_id) if person_id else None
    if person is None:
        return 0
    notice = you_said_we_did(irritant, person.locale)
    sent = 0
    for platform, workspace, external_id in runtime.store.identities_of(person.id):
        gateway = runtime.gateways.get(platform)
        if gateway is None:
            continue
        try:
            await gateway.send(Recipient(person.id, platform, workspace, external_id), [notice])
            sent += 1
        except (RetryLater, PermanentFailure) as exc:
            # The status change is already stored; a lost notice must not undo it.
            log.warning("could not tell a reporter on %s: %s", platform, exc)
    return sent
