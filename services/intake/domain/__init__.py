"""Intake rules, a module per noun: capacity, referrals, the preparation checklist, arrival,
the child's profile, relocation and breaking the glass; here the words they share (those the
gateway speaks too are in havn/vocabulary.py).

Functions in the noun modules change model objects and raise typed errors; they never touch
HTTP, SQL text or the transaction (the request's unit of work commits).
"""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    F = "F"
    M = "M"
    X = "X"
