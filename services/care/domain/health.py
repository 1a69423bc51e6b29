"""Health (special category data): the GP, screenings and mental-health referrals."""

from __future__ import annotations

import uuid
from datetime import date

from havn.text import optional_text, required_text
from services.care.domain.checks import not_in_future
from services.care.models import Child, HealthProfile, HealthScreening, MentalHealthReferral


def set_general_practitioner(
    child: Child, profile: HealthProfile | None, *, name: str, practice: str | None
) -> HealthProfile:
    """The child's GP (fastlege): the existing profile changed, or a new one."""
    profile = profile or HealthProfile(child_id=child.id, tenant_id=child.tenant_id)
    profile.gp_name = required_text(name, field="name", message="the GP's name is required")
    profile.gp_practice = optional_text(practice)
    return profile


def record_screening(
    child: Child, *, kind: str, screened_on: date, findings: str | None, by: str, today: date
) -> HealthScreening:
    return HealthScreening(
        id=uuid.uuid4(),
        tenant_id=child.tenant_id,
        child_id=child.id,
        kind=required_text(kind, field="kind", message="the kind of screening is required"),
        screened_on=not_in_future(
            screened_on, today=today, field="screened_on", what="screening date"
        ),
        findings=optional_text(findings),
        recorded_by=by,
    )


def refer_to_mental_health(
    child: Child, *, service: str, referred_on: date, reason: str, by: str, today: date
) -> MentalHealthReferral:
    return MentalHealthReferral(
        id=uuid.uuid4(),
        tenant_id=child.tenant_id,
        child_id=child.id,
        service=required_text(
            service, field="service", message="the service referred to is required"
        ),
        referred_on=not_in_future(
            referred_on, today=today, field="referred_on", what="referral date"
        ),
        reason=required_text(
            reason, field="reason", message="the reason for the referral is required"
        ),
        recorded_by=by,
    )
