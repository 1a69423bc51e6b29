"""Names a person reads for the codes of a child's record (life domains, statuses, levels)."""

from __future__ import annotations

from collections.abc import Mapping

from babel import Locale

from web.i18n import N_, current_language, gettext
from web.labels import choices

LIFE_DOMAINS = {
    "health": N_("Health"),
    "education": N_("Education"),
    "language": N_("Language"),
    "housing": N_("Housing"),
    "leisure": N_("Leisure"),
    "wellbeing": N_("Wellbeing"),
    "family_tracing": N_("Family tracing"),
}
CARE_ARRANGEMENTS = {
    "GROUP_HOME": N_("Group home"),
    "FOSTER_HOME": N_("Foster home"),
    "SUPPORTED_LODGING": N_("Supported lodging"),
    "SOS_FAMILY": N_("SOS family"),
    "OTHER": N_("Other arrangement"),
}
SEXES = {"F": N_("Female"), "M": N_("Male"), "X": N_("Unspecified")}
CARE_PLAN_STATUSES = {
    "DRAFT": N_("Draft"),
    "APPROVED": N_("Approved"),
    "REVISED": N_("Revised, not approved"),
    "CLOSED": N_("Closed"),
}
NORWEGIAN_LEVELS = {"NONE": N_("No Norwegian yet")} | {
    level: level for level in ("A1", "A2", "B1", "B2", "C1", "C2")
}
OUTCOME_STATUSES = {
    "EDUCATION": N_("In education"),
    "WORK": N_("In work"),
    "INTRODUCTION_PROGRAMME": N_("In the introduction programme"),
    "NEITHER": N_("Neither in education nor work"),
    "UNKNOWN": N_("Unknown"),
}
AFTERCARE_STATUSES = {
    "OFFERED": N_("Offered"),
    "ACCEPTED": N_("Accepted"),
    "DECLINED": N_("Declined"),
}
GOAL_STATUSES = {
    "NOT_STARTED": N_("Not started"),
    "IN_PROGRESS": N_("In progress"),
    "ACHIEVED": N_("Achieved"),
}
HOUSING_TYPES = {
    "OWN_FLAT": N_("Own flat"),
    "SHARED": N_("Shared housing"),
    "SUPPORTED": N_("Supported housing"),
}
TRANSITION_DOMAINS = {
    "HOUSING": N_("Housing"),
    "EDUCATION": N_("Education"),
    "WORK": N_("Work"),
    "FINANCES": N_("Finances"),
    "HEALTH": N_("Health"),
}
MILESTONES = {
    "AGE_17": N_("Turns 17: the transition plan opens"),
    "AGE_18": N_("Turns 18: guardianship ends"),
    "AGE_20": N_("Turns 20"),
    "AGE_25": N_("Turns 25: aftercare ends"),
    "AFTERCARE_OFFER_RENEWAL": N_("Aftercare offered again"),
    "OUTCOME_1_YEAR": N_("Outcome 1 year after settlement"),
    "OUTCOME_2_YEARS": N_("Outcome 2 years after settlement"),
    "OUTCOME_4_YEARS": N_("Outcome 4 years after settlement"),
    "OUTCOME_5_YEARS": N_("Outcome 5 years after settlement"),
}
OFFER_KINDS = {
    "LEISURE": N_("Leisure"),
    "LANGUAGE_CAFE": N_("Language café"),
    "WORK_TRAINING": N_("Work training"),
    "SUMMER_JOB": N_("Summer job"),
}
KINDS: Mapping[str, Mapping[str, str]] = {
    "domain": LIFE_DOMAINS,
    "care_arrangement": CARE_ARRANGEMENTS,
    "sex": SEXES,
    "care_plan_status": CARE_PLAN_STATUSES,
    "norwegian_level": NORWEGIAN_LEVELS,
    "outcome_status": OUTCOME_STATUSES,
    "aftercare_status": AFTERCARE_STATUSES,
    "goal_status": GOAL_STATUSES,
    "housing_type": HOUSING_TYPES,
    "transition_domain": TRANSITION_DOMAINS,
    "milestone": MILESTONES,
    "offer_kind": OFFER_KINDS,
}


def label(kind: str, code: str | None) -> str:
    """The name of `code` among the codes of `kind`, in the request's language."""
    if code is None:
        return ""
    names = KINDS[kind]
    return gettext(names[code]) if code in names else code


def options(kind: str) -> list[tuple[str, str]]:
    """Every code of `kind` with its name, for a select."""
    return choices(KINDS[kind])


def language_name(code: str) -> str:
    """An ISO 639 language in the request's language ("dari" for prs), else the code."""
    name = Locale.parse(current_language()).languages.get(code)
    return str(name) if name else code


def language_names(codes: list[str]) -> str:
    return ", ".join(language_name(code) for code in codes)


def country_name(code: str | None) -> str:
    """An ISO 3166 country in the request's language, else the code."""
    if not code:
        return ""
    name = Locale.parse(current_language()).territories.get(code.upper())
    return str(name) if name else code
