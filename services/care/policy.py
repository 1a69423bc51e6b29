"""Care's reach rules: which children each part of care's list and batch routes returns.

Care owns the assignment (the child's `contact_person`); the rule is havn.reach's, applied
to the roles that see a part of the child's care (domain.CARE_REACH).
"""

from __future__ import annotations

from havn.auth import Principal
from havn.reach import Reach, reach_of
from services.care.domain import CarePart, readers_of


def part_reach(principal: Principal, part: CarePart) -> Reach:
    """The children whose `part` the caller's routes return."""
    return reach_of(principal, readers_of(part))
