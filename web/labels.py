"""Names a person reads for the codes the gateway answers with (roles, phases, plan statuses)."""

from __future__ import annotations

from collections.abc import Mapping

from babel import Locale

from web.i18n import N_, current_language, gettext

ROLES = {
    "settlement-coordinator": N_("Settlement coordinator"),
    "caseworker": N_("Caseworker"),
    "contact-person": N_("Contact person"),
    "volunteer-coordinator": N_("Volunteer coordinator"),
    "municipality-admin": N_("Municipality administrator"),
    "partner": N_("Partner"),
    "directorate-allocator": N_("Directorate allocator"),
    "directorate-analyst": N_("Directorate analyst"),
    "platform-admin": N_("Platform administrator"),
}
PHASES = {
    "PREPARATION": N_("Preparation"),
    "CARE": N_("Care"),
    "TRANSITION": N_("Transition"),
    "AFTERCARE": N_("Aftercare"),
    "CLOSED": N_("Closed"),
}
CARE_PLAN_STATUSES = {
    "DRAFT": N_("Draft"),
    "APPROVED": N_("Approved"),
    "REVISED": N_("Being revised"),
    "CLOSED": N_("Closed"),
}


def choices(names: Mapping[str, str]) -> list[tuple[str, str]]:
    """Codes with their names (msgids) in the request's language, for a select."""
    return [(code, gettext(name)) for code, name in names.items()]


def role_label(role: str) -> str:
    return gettext(ROLES[role]) if role in ROLES else role


def phase_label(phase: str) -> str:
    return gettext(PHASES[phase]) if phase in PHASES else phase


# area: referrals, capacity, relocations (the settlement coordinator's screens)
CARE_ARRANGEMENTS = {
    "GROUP_HOME": N_("Group home"),
    "FOSTER_HOME": N_("Foster home"),
    "SUPPORTED_LODGING": N_("Supported lodging"),
    "SOS_FAMILY": N_("SOS family"),
    "OTHER": N_("Other arrangement"),
}
PREPARATION_TASKS = {
    "HOUSING": N_("Housing"),
    "GUARDIAN": N_("Guardian"),
    "SCHOOL": N_("School"),
    "GP": N_("General practitioner"),
    "HEALTH_CHECK": N_("Health check"),
    "INTERPRETER": N_("Interpreter"),
    "BANK_ACCOUNT": N_("Bank account"),
}
REFERRAL_STATUSES = {
    "PENDING": N_("Pending"),
    "ACCEPTED": N_("Accepted"),
    "DECLINED": N_("Declined"),
    "ARRIVED": N_("Arrived"),
    "WITHDRAWN": N_("Withdrawn"),
}
RELOCATION_STATUSES = {
    "PROPOSED": N_("Proposed"),
    "ACCEPTED": N_("Accepted"),
    "DECLINED": N_("Declined"),
    "CANCELLED": N_("Cancelled"),
}


def care_arrangement_label(code: str) -> str:
    return gettext(CARE_ARRANGEMENTS[code]) if code in CARE_ARRANGEMENTS else code


def task_label(code: str) -> str:
    return gettext(PREPARATION_TASKS[code]) if code in PREPARATION_TASKS else code


def referral_status_label(code: str) -> str:
    return gettext(REFERRAL_STATUSES[code]) if code in REFERRAL_STATUSES else code


def relocation_status_label(code: str) -> str:
    return gettext(RELOCATION_STATUSES[code]) if code in RELOCATION_STATUSES else code


SEXES = {"F": N_("Female"), "M": N_("Male"), "X": N_("Unspecified")}


def sex_label(code: str) -> str:
    return gettext(SEXES[code]) if code in SEXES else code


def country_name(code: str) -> str:
    """An ISO 3166 country code named in the request's language (CLDR)."""
    return str(Locale.parse(current_language()).territories.get(code.upper(), code))


def language_name(code: str) -> str:
    """An ISO 639 language code named in the request's language (CLDR)."""
    return str(Locale.parse(current_language()).languages.get(code, code))


def care_plan_status_label(status: str) -> str:
    return gettext(CARE_PLAN_STATUSES[status]) if status in CARE_PLAN_STATUSES else status
