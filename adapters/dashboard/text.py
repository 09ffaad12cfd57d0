"""Words the dashboard shows for codes (pillars, reasons, quadrants, readings), FR and EN.

Marked with N_ for extraction into bot/locales and translated where they are shown.
"""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent

from bot.i18n import Translator, translator
from bot.irritants import CATEGORY_LABELS


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


PILLARS = {
    "pay": N_("Pay"),
    "balance_safety": N_("Balance and safety"),
    "belonging": N_("Belonging"),
    "usefulness": N_("Usefulness"),
    "growth_recognition": N_("Growth and recognition"),
    "manager_attention": N_("Manager attention"),
    "tools_information": N_("Tools and information"),
}
REASONS = {
    "no_responses": N_("No answers"),
    "below_threshold": N_("Fewer than {k} respondents"),
    "complementary_suppression": N_("Hidden to protect a smaller group nearby"),
    "withheld": N_("Withheld"),
}
SHORT_REASONS = {"no_responses": "·", "below_threshold": "<{k}",
                 "complementary_suppression": "×", "withheld": "×"}
STATUSES = {
    "new": N_("New"),
    "acknowledged": N_("Acknowledged"),
    "in_progress": N_("In progress"),
    "resolved": N_("Resolved"),
    "wont_fix": N_("Won't fix"),
}
QUADRANTS = {
    "EQUIPE_HEUREUSE_CLIENTS_HEUREUX": N_("Happy team, happy customers"),
    "EQUIPE_OK_CLIENTS_A_RISQUE": N_("Team fine, customers at risk"),
    "CLIENTS_OK_EQUIPE_A_RISQUE": N_("Customers fine, team at risk"),
    "DOUBLE_ALERTE": N_("Double alert"),
}
READINGS = {
    "no_evidence": N_("No evidence that the pulse and customer satisfaction move together."),
    "moves_with": N_("The team's pulse moves with customer satisfaction (correlation, not "
                     "causation)."),
    "too_few_buckets": N_("Not enough eligible periods to show a result."),
}
DIRECTIONS = {
    "ex_leads": N_("The team's pulse tends to precede customer satisfaction by {k} {unit} "
                   "(a lead, not a cause)."),
    "cx_leads": N_("Customer satisfaction tends to precede the team's pulse by {k} {unit}."),
    "concurrent": N_("The two move together in the same period; neither clearly leads."),
    "none": N_("No lag stands out once tested against the Bonferroni threshold."),
}
LABEL_REASONS = {
    "persistent": N_("top quadrant in at least 3 of the last 4 periods"),
    "held_by_hysteresis": N_("kept: it held the period before"),
    "not_persistent": N_("not in the top quadrant often enough"),
    "insufficient_data": N_("not enough eligible periods"),
}
CADENCES = {"weekly": N_("weekly"), "fortnightly": N_("fortnightly"), "monthly": N_("monthly")}
DAYS = {"mon": N_("Monday"), "tue": N_("Tuesday"), "wed": N_("Wednesday"), "thu": N_("Thursday"),
        "fri": N_("Friday"), "sat": N_("Saturday"), "sun": N_("Sunday")}
STRENGTHS = {"weak": N_("weak"), "moderate": N_("moderate"), "strong": N_("strong")}
ROLES = {"adviser": N_("Adviser"), "manager": N_("Manager"), "cx_lead": N_("CX lead"),
         "admin": N_("Administrator")}


class Words:
    """gettext plus number formatting and code labels in one locale, for the templates."""

    def __init__(self, locale: str | None, k_scores: int) -> None:
        self.t: Translator = translator(locale)
        self.locale = self.t.locale
        self.k = k_scores

    def __call__(self, message: str) -> str:
        return self.t.gettext(message)

    def num(self, value: float | None, digits: int = 1) -> str:
        """A decimal in the locale's format ("7,4" in French); "–" for none."""
        if value is None:
            return "–"
        return format_decimal(round(value, digits), format=f"#,##0.{'0' * digits}",
                              locale=self.locale)

    def num0(self, value: float | None) -> str:
        return self.num(value, 0)

    def signed(self, value: float | None, digits: int = 2) -> str:
        return "–" if value is None else ("+" if value > 0 else "") + self.num(value, digits)

    def pct(self, value: float | None) -> str:
        return "–" if value is None else format_percent(value, locale=self.locale)

    def pillar(self, code: str) -> str:
        return self.t.gettext(PILLARS.get(code, code))

    def reason(self, code: str | None) -> str:
        return self.t.gettext(REASONS.get(code or "", code or "")).format(k=self.k)

    def short_reason(self, code: str | None) -> str:
        return SHORT_REASONS.get(code or "", "×").format(k=self.k)

    def status(self, code: str) -> str:
        return self.t.gettext(STATUSES.get(code, code))

    def category(self, code: str) -> str:
        for key, label in CATEGORY_LABELS.items():
            if str(key) == code:
                return self.t.gettext(label).capitalize()
        return code

    def quadrant(self, code: str) -> str:
        return self.t.gettext(QUADRANTS.get(code, code))

    def reading(self, code: str) -> str:
        return self.t.gettext(READINGS.get(code, code))

    def direction(self, code: str, lag: int | None, bucket: str) -> str:
        k = abs(lag or 0)
        unit = (self.t.ngettext("week", "weeks", k) if bucket == "week"
                else self.t.ngettext("month", "months", k))
        return self.t.gettext(DIRECTIONS.get(code, code)).format(k=k, unit=unit)

    def label_reason(self, code: str) -> str:
        return self.t.gettext(LABEL_REASONS.get(code, code))

    def strength(self, code: str | None) -> str:
        return self.t.gettext(STRENGTHS[code]) if code in STRENGTHS else ""

    def cadence(self, code: str) -> str:
        return self.t.gettext(CADENCES.get(code, code))

    def day(self, code: str) -> str:
        return self.t.gettext(DAYS.get(code, code))

    def role(self, code: str) -> str:
        return self.t.gettext(ROLES.get(code, code))
