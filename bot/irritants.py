"""'You said, we did': tell the reporter of a resolved irritant, in their language."""

from __future__ import annotations

import logging

from bot.i18n import translator
from bot.ports import Recipient
from bot.replies import Notice
from bot.runtime import Runtime
from pulse.analytics import irritant_trends
from pulse.core.errors import PermanentFailure, RetryLater
from pulse.core.model import Locale, Person
from pulse.irritants import release
from pulse.irritants.model import Irritant, IrritantCategory, IrritantFilter

log = logging.getLogger("miroir.irritants")


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


CATEGORY_LABELS: dict[IrritantCategory, str] = {
    IrritantCategory.TOOLS: N_("tools and systems"),
    IrritantCategory.INFORMATION: N_("information and knowledge"),
    IrritantCategory.PROCESSES: N_("processes and rules"),
    IrritantCategory.WORKLOAD: N_("workload and schedule"),
    IrritantCategory.MANAGEMENT: N_("management and recognition"),
    IrritantCategory.PAY: N_("pay and benefits"),
    IrritantCategory.WORKSPACE: N_("workspace and equipment"),
    IrritantCategory.COMMUTE: N_("commute and remote work"),
    IrritantCategory.TRAINING: N_("training and growth"),
    IrritantCategory.CUSTOMER: N_("customer aggression and stress"),
    IrritantCategory.OTHER: N_("other"),
}


def you_said_we_did(irritant: Irritant, locale: Locale | str) -> Notice:
    """The message a reporter receives when their irritant is resolved."""
    _ = translator(locale).gettext
    category = _(CATEGORY_LABELS[irritant.category])
    lines = [_("You said, we did: the issue you raised ({category}) has been resolved.")
             .format(category=category)]
    if irritant.owner_note:
        lines.append(_("From the team: “{note}”").format(note=irritant.owner_note))
    lines.append(_("Thank you for raising it. Your report stayed anonymous."))
    return Notice("\n".join(lines), private=True)


def text_visible(irritant: Irritant, locale: Locale | str) -> Notice:
    """The message a reporter receives when their anonymous text reaches its owners."""
    _ = translator(locale).gettext
    category = _(CATEGORY_LABELS[irritant.category])
    return Notice(_("The issue you raised ({category}) is now visible to the people who can act "
                    "on it, without your name, together with the others raised the same week.")
                  .format(category=category), private=True)


async def announce_visible(runtime: Runtime, tenant_id: str) -> int:
    """Tell each reporter whose anonymous text was just released (a scheduler job); messages."""
    if runtime.irritant_release is None:
        return 0  # no release state stored: nothing can be announced exactly once
    tenant = runtime.store.get_tenant(tenant_id)
    tz = tenant.timezone if tenant else runtime.timezone
    with runtime.store.batch():
        items = runtime.store.list_irritants(tenant_id, IrritantFilter())
        parents = {t.id: t.parent_id for t in runtime.store.list_teams(tenant_id)}
        out = irritant_trends.released_ids(runtime.store, items, parents, tz, runtime.k_comments,
                                   runtime.clock.now())
        due = release.due_announcements(runtime.store, runtime.irritant_release, runtime.clock,
                                        tenant_id, [i for i in items if i.id in out])
    sent = 0
    for item in due:
        person = runtime.store.get_person(item.reporter_id)
        if person is not None:
            sent += await _tell(runtime, person, text_visible(item.irritant, person.locale))
    return sent


async def notify_reporter(runtime: Runtime, irritant: Irritant) -> int:
    """Send 'you said, we did' to every chat account of the reporter; returns messages sent.

    The reporter is looked up here, inside the bot; nothing about them goes back to the owner.
    """
    person_id = runtime.store.reporter_of(irritant.id)
    person = runtime.store.get_person(person_id) if person_id else None
    if person is None:
        return 0
    return await _tell(runtime, person, you_said_we_did(irritant, person.locale))


async def _tell(runtime: Runtime, person: Person, notice: Notice) -> int:
    """Send one private notice to every chat account of a person; returns messages sent."""
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
