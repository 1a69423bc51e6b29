"""Settling a child: the arrival that turns an accepted referral into the identity record
every other service follows."""

from __future__ import annotations

from datetime import date

from havn.errors import InvalidInput
from havn.languages import language_for_interpreter, needs_interpreter
from havn.vocabulary import CareArrangement, ReferralStatus
from services.intake.domain.identity import first_name_of, fold_for_search
from services.intake.domain.referrals import require_transition
from services.intake.models import Child, Referral


def repeats_arrival(referral: Referral, settled: Child, *, arrived_on: date) -> bool:
    """Whether a registration is a retry of the one that settled the child: same day.

    The retry is answered with the child, so a client that lost the first answer learns
    the child's id; another day is a different claim and stays a conflict.
    """
    return referral.status == ReferralStatus.ARRIVED and settled.settled_on == arrived_on


def register_arrival(
    referral: Referral, *, arrived_on: date, referred_on: date, today: date
) -> Child:
    """Settles the child: the identity record every other service follows from here.

    The arrival lies between the day the directorate referred the child (`referred_on`) and
    today: a child does not come before it was referred, nor is arrival registered ahead.
    A child who speaks no Norwegian needs an interpreter in its first other language until
    someone says otherwise. Open checklist tasks do not hold the child back; the caller
    reports them.
    """
    require_transition(referral, ReferralStatus.ARRIVED, "registered as arrived")
    if arrived_on > today:
        raise InvalidInput("arrival date is in the future", field="arrived_on")
    if arrived_on < referred_on:
        raise InvalidInput(
            f"arrival date is before the referral was made ({referred_on.isoformat()}); "
            f"give a date from {referred_on.isoformat()} to {today.isoformat()}",
            field="arrived_on",
        )
    referral.status = ReferralStatus.ARRIVED
    interpreter_needed = needs_interpreter(referral.languages)
    return Child(
        id=referral.child_id,
        tenant_id=referral.tenant_id,
        referral_id=referral.id,
        first_name=first_name_of(referral.full_name),
        full_name=referral.full_name,
        name_search=fold_for_search(referral.full_name),
        date_of_birth=referral.date_of_birth,
        date_of_birth_estimated=False,
        sex=referral.sex,
        nationality=referral.nationality,
        languages=list(referral.languages),
        interpreter_needed=interpreter_needed,
        interpreter_language=(
            language_for_interpreter(referral.languages) if interpreter_needed else None
        ),
        care_arrangement=referral.care_arrangement or CareArrangement.OTHER.value,
        settled_on=arrived_on,
        revision=1,
    )
