"""The words services and gateway share: each enum the REST and GraphQL layers both speak,
defined once (API.md's enums; the gateway shows each under the same name)."""

from __future__ import annotations

from enum import StrEnum

# intake (phases 1-2)


class ReferralStatus(StrEnum):
    """Where a referral (anmodning) stands: awaiting the municipality's answer, or its end."""

    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    ARRIVED = "ARRIVED"
    WITHDRAWN = "WITHDRAWN"


class ReferralSort(StrEnum):
    """The order a list of referrals comes in: by the date the directorate wants an answer."""

    RESPOND_BY_ASC = "RESPOND_BY_ASC"
    RESPOND_BY_DESC = "RESPOND_BY_DESC"


class CareArrangement(StrEnum):
    """Where and how a settled child lives: the placement the municipality offers."""

    GROUP_HOME = "GROUP_HOME"
    FOSTER_HOME = "FOSTER_HOME"
    SUPPORTED_LODGING = "SUPPORTED_LODGING"
    SOS_FAMILY = "SOS_FAMILY"
    OTHER = "OTHER"


class PreparationTaskKind(StrEnum):
    """A task on the preparation checklist an accepted referral opens before arrival."""

    HOUSING = "HOUSING"
    GUARDIAN = "GUARDIAN"
    SCHOOL = "SCHOOL"
    GP = "GP"
    HEALTH_CHECK = "HEALTH_CHECK"
    INTERPRETER = "INTERPRETER"
    BANK_ACCOUNT = "BANK_ACCOUNT"


class RelocationStatus(StrEnum):
    """Where a relocation (flytting) of a child to another municipality stands."""

    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"


class RelocationDirection(StrEnum):
    """Which relocations a municipality lists: children it hands over, or children it receives."""

    OUTGOING = "OUTGOING"
    INCOMING = "INCOMING"


# care (phase 3)


class CarePlanStatus(StrEnum):
    """Where a care plan (tiltaksplan) stands on its way from draft to approval and end."""

    DRAFT = "DRAFT"  # never approved
    APPROVED = "APPROVED"  # the current content is an approved version
    REVISED = "REVISED"  # approved before, changed since: the change awaits approval
    CLOSED = "CLOSED"  # care has ended (18 without aftercare, aftercare declined or over)


class NorwegianLevel(StrEnum):
    """A child's Norwegian: Common European Framework levels; NONE before the child has started."""

    NONE = "NONE"
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


class CaseloadFilter(StrEnum):
    """Which children of the care caseload a caseworker or contact person lists."""

    ALL = "ALL"
    MINE = "MINE"
    OVERDUE_ASSESSMENT = "OVERDUE_ASSESSMENT"
    CARE_PLAN_NOT_APPROVED = "CARE_PLAN_NOT_APPROVED"
    NO_CONTACT_PERSON = "NO_CONTACT_PERSON"


# transition (phase 5) and the whole way


class Phase(StrEnum):
    """API.md's `Phase`: where a child is on the way from arrival to an independent life."""

    PREPARATION = "PREPARATION"
    CARE = "CARE"
    TRANSITION = "TRANSITION"
    AFTERCARE = "AFTERCARE"
    CLOSED = "CLOSED"


class TransitionMilestone(StrEnum):
    """A dated step on a child's way to independent life: an age, a renewal, an outcome due."""

    AGE_17 = "AGE_17"
    AGE_18 = "AGE_18"
    AGE_20 = "AGE_20"
    AGE_25 = "AGE_25"
    AFTERCARE_OFFER_RENEWAL = "AFTERCARE_OFFER_RENEWAL"
    OUTCOME_1_YEAR = "OUTCOME_1_YEAR"
    OUTCOME_2_YEARS = "OUTCOME_2_YEARS"
    OUTCOME_4_YEARS = "OUTCOME_4_YEARS"
    OUTCOME_5_YEARS = "OUTCOME_5_YEARS"


class TransitionCaseloadFilter(StrEnum):
    """Which children of the transition caseload are listed: the deadlines around 18 and after."""

    TURNING_18_WITHIN_90_DAYS = "TURNING_18_WITHIN_90_DAYS"
    AFTERCARE_DECISION_OVERDUE = "AFTERCARE_DECISION_OVERDUE"
    OUTCOME_DUE = "OUTCOME_DUE"


class AftercareStatus(StrEnum):
    """The answer to aftercare (ettervern) offered at 18: offered, accepted or declined."""

    OFFERED = "OFFERED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"


class GoalStatus(StrEnum):
    """How far a goal of the transition plan has come."""

    NOT_STARTED = "NOT_STARTED"
    IN_PROGRESS = "IN_PROGRESS"
    ACHIEVED = "ACHIEVED"


class HousingType(StrEnum):
    """Where a young person lives after care: their own flat, shared or supported housing."""

    OWN_FLAT = "OWN_FLAT"
    SHARED = "SHARED"
    SUPPORTED = "SUPPORTED"


class OutcomeStatus(StrEnum):
    """What a young person does at an outcome milestone (1, 2, 4, 5 years after settlement)."""

    EDUCATION = "EDUCATION"
    WORK = "WORK"
    INTRODUCTION_PROGRAMME = "INTRODUCTION_PROGRAMME"
    NEITHER = "NEITHER"
    UNKNOWN = "UNKNOWN"
