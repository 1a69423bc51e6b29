"""Intake's mutations, a module per noun: capacity, referrals, the checklist, the child's
arrival and profile, relocations."""

from __future__ import annotations

from gateway.schema.intake.mutations.capacity import CapacityMutation
from gateway.schema.intake.mutations.children import ChildMutation
from gateway.schema.intake.mutations.preparation import PreparationMutation
from gateway.schema.intake.mutations.referrals import ReferralMutation
from gateway.schema.intake.mutations.relocations import RelocationMutation

# In the order the schema lists them.
MUTATIONS = (
    CapacityMutation,
    ReferralMutation,
    PreparationMutation,
    ChildMutation,
    RelocationMutation,
)
