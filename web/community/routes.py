"""The volunteer coordinator's screens: partners and agreements, offers, volunteers and their
police certificates, a child's interests, suggestions, enrolments and matches (each with the
child's consent), the belonging overview and funding applications."""

from __future__ import annotations

from fastapi import APIRouter

from web.areas import Area, NavItem
from web.community import children, enrolments, funding, offers, partners, volunteers
from web.i18n import N_

VOLUNTEER_COORDINATION = frozenset({"volunteer-coordinator"})
router = APIRouter()
for part in (partners, offers, volunteers, children, enrolments, funding):
    router.include_router(part.router)

AREA = Area(
    name="community",
    router=router,
    nav=(
        NavItem(N_("Partners"), "/partners", VOLUNTEER_COORDINATION),
        NavItem(N_("Offers"), "/offers", VOLUNTEER_COORDINATION),
        NavItem(N_("Volunteers"), "/volunteers", VOLUNTEER_COORDINATION),
        NavItem(N_("Children and belonging"), "/community/children", VOLUNTEER_COORDINATION),
        NavItem(N_("Belonging overview"), "/belonging", VOLUNTEER_COORDINATION),
        NavItem(N_("Funding"), "/funding", VOLUNTEER_COORDINATION),
    ),
)
