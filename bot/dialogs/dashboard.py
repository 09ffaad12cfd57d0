"""`/miroir dashboard`: answer with a one-time sign-in link to the web dashboard."""

from __future__ import annotations

from bot.dialogs.common import notice, tr
from bot.outcome import Outcome
from bot.runtime import Runtime
from pulse.core.model import Person
from pulse.core.signin import LINK_TTL


def dashboard_link(runtime: Runtime, person: Person) -> Outcome:
    """A private notice holding the person's sign-in link (single use, LINK_TTL)."""
    _ = tr(person).gettext
    links = runtime.signin_links
    if links is None:
        return notice(_("The dashboard is not switched on for this server."))
    url = links.url_for(runtime.clock, person)
    minutes = int(LINK_TTL.total_seconds() // 60)
    return notice(_("Your dashboard: {url}\nThis link signs you in once and expires in "
                    "{minutes} minutes. Do not forward it: it opens your own view.")
                  .format(url=url, minutes=minutes))
