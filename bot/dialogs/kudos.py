"""/kudos: thank one or more colleagues, publicly or privately, with an optional value tag."""

from __future__ import annotations

from bot.dialogs.common import names, notice, tr
from bot.i18n import Translator, translator
from bot.intents import Actor, KudosIntent
from bot.outcome import Delivery, Outcome
from bot.ports import Recipient
from bot.replies import KudosPost, Notice
from bot.runtime import Runtime
from pulse.core.model import Person
from pulse.kudos import service as kudos_service
from pulse.surveys import service as services


def kudos(runtime: Runtime, sender: Person, intent: KudosIntent) -> Outcome:
    """Resolve every recipient first; store nothing unless all are known and none is the sender."""
    t = tr(sender)
    _ = t.gettext
    if not intent.recipients:
        return notice(_usage(t))
    if not intent.message.strip():
        return notice(_("Add a few words to say what you are thankful for.") + " " + _usage(t))
    if len(intent.message.strip()) > services.MAX_COMMENT:  # refused whole, never cut short
        return notice(_("That is a bit long: please keep it under {max} characters. "
                        "Nothing was stored.").format(max=services.MAX_COMMENT))
    found: list[Person] = []
    unknown: list[str] = []
    ambiguous: list[str] = []
    for handle in intent.recipients:
        matches = resolve_handle(runtime, intent.actor, sender, handle)
        if len(matches) == 1:
            found.append(matches[0])
        elif matches:
            ambiguous.append(handle)
        else:
            unknown.append(handle)
    if unknown:
        return notice(t.ngettext(
            "I could not find {names} in Miroir, so nothing was sent. "
            "Check the name and try again.",
            "I could not find {names} in Miroir, so nothing was sent. "
            "Check the names and try again.",
            len(unknown),
        ).format(names=names(t, [f"@{h}" for h in unknown])))
    if ambiguous:
        return notice(_("Several people match {names}: use their email address instead. "
                        "Nothing was sent.").format(names=names(t, [f"@{h}" for h in ambiguous])))
    if any(p.id == sender.id for p in found):
        return notice(_("You cannot send kudos to yourself, but the thought is nice! "
                        "Think of a colleague who helped you."))
    record = kudos_service.send_kudos(runtime.store, runtime.clock, sender, found, intent.message,
                                 intent.value_tag, intent.public)
    recipients = list({p.id: p for p in found}.values())
    outcome = Outcome()
    for person in recipients:
        to = recipient_on(runtime, person, intent.actor)
        if to is not None:
            post = _direct_post(sender, person, recipients, record.message, record.value_tag)
            outcome.deliveries.append(Delivery(to, (post,)))
    recipient_names = [p.display_name for p in recipients]
    if intent.public:
        team_id = runtime.store.team_of(sender.id, runtime.clock.now().date())
        team_id = team_id or runtime.store.team_of(recipients[0].id, runtime.clock.now().date())
        outcome.public.append(_public_post(runtime, sender, recipient_names, record.message,
                                           record.value_tag))
        outcome.team_id = team_id
        ack = _("Kudos sent to {names}, and shared with the team.")
    else:
        ack = _("Kudos sent privately to {names}.")
    outcome.replies.append(Notice(ack.format(names=names(t, recipient_names))))
    return outcome


def resolve_handle(runtime: Runtime, actor: Actor, sender: Person, handle: str) -> list[Person]:
    """A handle as a chat identity on the sender's platform first, then as an id, email or name."""
    cleaned = handle.strip().lstrip("@")
    by_identity = runtime.store.person_by_identity(actor.platform, actor.workspace, cleaned)
    if by_identity is not None and by_identity.tenant_id == sender.tenant_id:
        return [by_identity]
    matches = runtime.store.find_people(sender.tenant_id, cleaned)
    if not matches and any(sep in cleaned for sep in "._"):
        # people often type @ada.lovelace or @ada_lovelace for "Ada Lovelace"
        matches = runtime.store.find_people(sender.tenant_id,
                                            cleaned.replace(".", " ").replace("_", " "))
    return matches


def recipient_on(runtime: Runtime, person: Person, actor: Actor) -> Recipient | None:
    """The person's address on the platform the kudos came from (same workspace preferred)."""
    same_platform = [i for i in runtime.store.identities_of(person.id) if i[0] == actor.platform]
    same_platform.sort(key=lambda i: i[1] != actor.workspace)
    if not same_platform:
        return None
    platform, workspace, external_id = same_platform[0]
    return Recipient(person.id, platform, workspace, external_id)


def _usage(t: Translator) -> str:
    return t.gettext("To send kudos, write: /kudos @name your message #value "
                     "(add --private to keep it between you).")


def _direct_post(sender: Person, person: Person, recipients: list[Person], message: str,
                 value_tag: str | None) -> KudosPost:
    """The DM a recipient gets, in the recipient's own language."""
    t = translator(person.locale)
    others = [p.display_name for p in recipients if p.id != person.id]
    if others:
        headline = t.gettext("{sender} thanks you and {others}").format(
            sender=sender.display_name, others=names(t, others))
    else:
        headline = t.gettext("{sender} thanks you").format(sender=sender.display_name)
    return KudosPost(sender.display_name, tuple(p.display_name for p in recipients), message,
                     value_tag, headline)


def _public_post(runtime: Runtime, sender: Person, recipient_names: list[str], message: str,
                 value_tag: str | None) -> KudosPost:
    """The team-channel post, in the tenant's language (a channel is shared)."""
    tenant = runtime.store.get_tenant(sender.tenant_id)
    t = translator(tenant.locale if tenant else sender.locale)
    headline = t.gettext("Kudos from {sender} to {names}").format(
        sender=sender.display_name, names=names(t, recipient_names))
    return KudosPost(sender.display_name, tuple(recipient_names), message, value_tag, headline)
