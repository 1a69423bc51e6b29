"""Transition's mutations, a module per noun: outcomes, the plan, aftercare, housing."""

from __future__ import annotations

from gateway.schema.transition.mutations.aftercare import AftercareMutation
from gateway.schema.transition.mutations.housing import HousingMutation
from gateway.schema.transition.mutations.outcomes import OutcomeMutation
from gateway.schema.transition.mutations.plan import TransitionPlanMutation

# In the order the schema lists them.
MUTATIONS = (
    OutcomeMutation,
    TransitionPlanMutation,
    AftercareMutation,
    HousingMutation,
)
