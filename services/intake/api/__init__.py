"""Intake's internal REST routes (/v1), called by the gateway with the user's token: thin,
a module per noun (parse, call one use case in service/, present through schemas)."""

from __future__ import annotations

from services.intake.api import (
    access_log,
    break_glass,
    capacity,
    children,
    municipalities,
    preparation,
    referrals,
    relocations,
    staff,
    statistics,
)

routers = [
    referrals.router,
    preparation.router,
    children.router,
    capacity.router,
    staff.router,
    relocations.router,
    access_log.router,
    municipalities.router,
    break_glass.router,
    statistics.router,
]
