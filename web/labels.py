"""Names a person reads for the codes the gateway answers with (roles, phases, plan statuses)."""

from __future__ import annotations

from web.i18n import N_, gettext

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


def role_label(role: str) -> str:
    return gettext(ROLES[role]) if role in ROLES else role


def phase_label(phase: str) -> str:
    return gettext(PHASES[phase]) if phase in PHASES else phase


def care_plan_status_label(status: str) -> str:
    return gettext(CARE_PLAN_STATUSES[status]) if status in CARE_PLAN_STATUSES else status
