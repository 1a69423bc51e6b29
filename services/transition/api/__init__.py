"""Transition's internal REST routes (/v1), called by the gateway with a token."""

from services.transition.api import aftercare, housing, outcomes, plans, statistics, transitions

routers = [
    transitions.router,
    plans.router,
    aftercare.router,
    housing.router,
    outcomes.router,
    statistics.router,
]
