"""Names a person reads for community's codes: kinds of partner, offer and volunteer, and
the states of agreements, certificates and funding applications."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from web.i18n import N_, gettext
from web.labels import choices, language_name

PARTNER_KINDS = {
    "NGO": N_("Voluntary organisation"),
    "SPORTS_CLUB": N_("Sports club"),
    "EMPLOYER": N_("Employer"),
    "FAITH": N_("Faith community"),
    "LIBRARY": N_("Library"),
    "VOLUNTEER_CENTRE": N_("Volunteer centre"),
    "OTHER": N_("Other organisation"),
}
OFFER_KINDS = {
    "LEISURE": N_("Leisure activity"),
    "LANGUAGE_CAFE": N_("Language café"),
    "WORK_TRAINING": N_("Work training"),
    "SUMMER_JOB": N_("Summer job"),
}
VOLUNTEER_KINDS = {
    "MENTOR": N_("Mentor"),
    "SUPPORT_FAMILY": N_("Support family"),
    "VISITING_FAMILY": N_("Visiting family"),
}
FUNDING_STATUSES = {
    "APPLIED": N_("Awaiting decision"),
    "GRANTED": N_("Granted"),
    "REJECTED": N_("Rejected"),
}
FUNDING_DECISIONS = {status: FUNDING_STATUSES[status] for status in ("GRANTED", "REJECTED")}


def labeller(names: Mapping[str, str]) -> Callable[[str], str]:
    def label(code: str) -> str:
        return gettext(names[code]) if code in names else code

    return label


def language_names(codes: list[str]) -> str:
    return ", ".join(language_name(code) for code in codes)


LABELS: dict[str, Any] = {
    "partner_kind_label": labeller(PARTNER_KINDS),
    "offer_kind_label": labeller(OFFER_KINDS),
    "volunteer_kind_label": labeller(VOLUNTEER_KINDS),
    "funding_status_label": labeller(FUNDING_STATUSES),
    "language_names": language_names,
    "choices": choices,
    "partner_kinds": PARTNER_KINDS,
    "offer_kinds": OFFER_KINDS,
    "volunteer_kinds": VOLUNTEER_KINDS,
    "funding_decisions": FUNDING_DECISIONS,
}
