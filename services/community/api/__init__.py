"""Internal REST routes of the community service (/v1), called by the gateway with a token.

Municipal staff work in their municipality; partner users (role `partner`, claim `org`)
see their own organisation's offers, enrolments, volunteers and attendance, and a child's
basic profile only while a grant to their organisation is in force in the chosen tenant.
"""

from __future__ import annotations

from services.community.api import (
    agreements,
    attendance,
    belonging,
    enrolments,
    funding,
    grants,
    interests,
    matches,
    offers,
    partner_children,
    partners,
    settings,
    suggestions,
    volunteers,
)

routers = [
    partners.router,
    agreements.router,
    offers.router,
    volunteers.router,
    settings.router,
    interests.router,
    suggestions.router,
    enrolments.router,
    matches.router,
    attendance.router,
    partner_children.router,
    grants.router,
    belonging.router,
    funding.router,
]
