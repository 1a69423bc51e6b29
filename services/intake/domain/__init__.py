"""Intake rules, a module per noun: capacity, referrals, the preparation checklist, arrival,
the child's profile, relocation and breaking the glass; here the words they share.

Functions in the noun modules change model objects and raise typed errors; they never touch
HTTP, SQL text or the transaction (the request's unit of work commits).
"""

from __future__ import annotations

from enum import StrEnum


class ReferralStatus(StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    ARRIVED = "ARRIVED"
    WITHDRAWN = "WITHDRAWN"


class CareArrangement(StrEnum):
    GROUP_HOME = "GROUP_HOME"
    FOSTER_HOME = "FOSTER_HOME"
    SUPPORTED_LODGING = "SUPPORTED_LODGING"
    SOS_FAMILY = "SOS_FAMILY"
    OTHER = "OTHER"


class PreparationTaskKind(StrEnum):
    HOUSING = "HOUSING"
    GUARDIAN = "GUARDIAN"
    SCHOOL = "SCHOOL"
    GP = "GP"
    HEALTH_CHECK = "HEALTH_CHECK"
    INTERPRETER = "INTERPRETER"
    BANK_ACCOUNT = "BANK_ACCOUNT"


class Sex(StrEnum):
    F = "F"
    M = "M"
    X = "X"


class RelocationStatus(StrEnum):
    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"
