"""The isolation fuzz's ledger of what it made, and who may see each record's markers."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from tests.client import Caller

# Ids, and the markers this module writes into names and confidential text.
MARKER = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|Fz[0-9a-f]{6}[ns][0-9a-f]{10}"
)


# --- what was made, and who may see it --------------------------------------------------------


@dataclass
class ChildRecord:
    tenant: str
    referral: str
    name: str  # the marker in the full name (personal data)
    secret: str  # the marker in notes and assessments (confidential)
    contact: str | None = None
    partners: dict[str, str] = field(default_factory=dict)  # active enrolment id -> partner org


@dataclass
class ReferralRecord:
    tenant: str
    name: str


@dataclass
class Ledger:
    """Every record the run made, with the markers that betray it in an answer."""

    children: dict[str, ChildRecord] = field(default_factory=dict)
    pending: dict[str, ReferralRecord] = field(default_factory=dict)
    # every id and marker -> (what it shows, the child's or pending referral's id)
    markers: dict[str, tuple[str, str]] = field(default_factory=dict)
    steps: int = 0
    checks: int = 0
    probes: int = 0
    # markers shown to callers who may see them, per role: the probes reach real data
    sightings: Counter[str] = field(default_factory=Counter)
    logs_checked: int = 0
    violations: list[str] = field(default_factory=list)


MUNICIPAL_SEE_IDS = {"settlement-coordinator", "caseworker", "volunteer-coordinator"}
PERSONAL = {"settlement-coordinator", "caseworker"}
REFERRALS = {"settlement-coordinator", "caseworker", "municipality-admin"}


def may_see_child(caller: Caller, tenant: str | None, child: ChildRecord, what: str) -> bool:
    """Whether `caller`, acting in `tenant`, may be shown `what` (id/referral/name/secret)."""
    if caller.role == "directorate-allocator":
        return what == "referral"  # the status of the referral it made, nothing of the child
    if tenant != child.tenant:
        return False
    if caller.role == "partner":
        return what == "id" and caller.org in child.partners.values()
    if caller.role == "contact-person":
        return child.contact == caller.username and what != "referral"
    if caller.role == "municipality-admin":
        # the access log and grants name children; the referral list shows its minor
        return what in {"id", "referral"}
    if caller.role == "volunteer-coordinator":
        return what == "id"
    if caller.role == "caseworker":
        return True
    if caller.role == "settlement-coordinator":
        return what != "secret"
    return False


def may_see_referral(
    caller: Caller, tenant: str | None, referral: ReferralRecord, what: str
) -> bool:
    if caller.role == "directorate-allocator":
        # the allocator made the referral: it sees its status, not the minor's name again
        return what == "referral"
    if tenant != referral.tenant:
        return False
    return caller.role in PERSONAL or (caller.role == "municipality-admin" and what == "referral")
