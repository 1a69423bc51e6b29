"""Intake's reach rules: which children its routes return, and whose log a relocation's read is."""

from __future__ import annotations

from havn.auth import Principal
from havn.auth.policy import MUNICIPAL_ROLES
from havn.reach import Reach, reach_of
from services.intake.domain import RelocationStatus
from services.intake.models import Relocation

# Every municipal role reads the child's record, a contact person only the children assigned
# to them (havn.reach); partners see a child's basic profile through community's grants.
CHILD_READERS = MUNICIPAL_ROLES


def child_reach(principal: Principal) -> Reach:
    """The children the caller's child lists, searches and batches return."""
    return reach_of(principal, CHILD_READERS)


def childs_municipality(relocation: Relocation) -> str:
    """Where the child of a relocation lives, whose access log records reads of it: the
    sending municipality until the receiving one has accepted."""
    if relocation.status == RelocationStatus.ACCEPTED:
        return relocation.to_tenant
    return relocation.tenant_id
