"""Internal REST routes of the care service (/v1), called by the gateway with the user's token.

Each route names its permission (havn.permissions.care); the use case it calls checks the
child's reach (a contact person reaches only the children assigned to them) and logs what it
read or wrote. Every route notes who acts (a contact person can be assigned once seen) and
which children the caller opened by breaking the glass (policy.EVERY_REQUEST).
"""

from __future__ import annotations

from services.care.api import (
    assessments,
    care_plans,
    care_records,
    caseload,
    contact_persons,
    education,
    follow_up_notes,
    health,
    meetings,
)

routers = [
    care_records.router,
    caseload.router,
    contact_persons.router,
    care_plans.router,
    assessments.router,
    follow_up_notes.router,
    health.router,
    education.router,
    meetings.router,
]
