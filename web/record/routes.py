"""A child's record for caseworkers and contact persons: one tab per part, each its own address.

Every form posts, redirects back to its tab when the gateway took it, and otherwise shows the
tab again with the gateway's messages at their fields (web.record.tab).
"""

from __future__ import annotations

from fastapi import APIRouter

from web.areas import Area
from web.record import care_plan, health, meetings, notes, overview, transition

router = APIRouter()
for part in (overview, care_plan, notes, health, meetings, transition):
    router.include_router(part.router)

AREA = Area(name="record", router=router)
