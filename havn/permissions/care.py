"""Care's actions: what each role reads of a child's care and what it writes.

A contact person reads and writes these of the children assigned to them only (havn.reach,
care's policy); the permission says which roles may do an action to some child.
"""

from __future__ import annotations

from havn.auth.policy import DataClass, Role
from havn.permissions.permission import MUNICIPAL, Permission

_CASEWORKERS = frozenset({Role.CASEWORKER})
_CASEWORKERS_AND_CONTACTS = frozenset({Role.CASEWORKER, Role.CONTACT_PERSON})

# A settlement coordinator sees the plan's status (a summary, the caseload); a caseworker
# everything; a contact person everything but health.
PLAN_STATUS_READ = Permission(
    frozenset({Role.SETTLEMENT_COORDINATOR}) | _CASEWORKERS_AND_CONTACTS,
    DataClass.PERSONAL,
    "see care plans",
)
DETAILS_READ = Permission(_CASEWORKERS_AND_CONTACTS, DataClass.PERSONAL, "see a child's care")
CONFIDENTIAL_READ = Permission(
    _CASEWORKERS_AND_CONTACTS, DataClass.CONFIDENTIAL, "see assessments and follow-up notes"
)
HEALTH_READ = Permission(_CASEWORKERS, DataClass.SENSITIVE, "see health information")
ASSESSMENT_SCHEDULE_READ = Permission(MUNICIPAL, None, "read the assessment schedule")

# DOMAIN.md: caseworkers write care; contact persons write follow-up notes (and meet the
# child), for their own children only.
CONTACT_PERSON_ASSIGN = Permission(_CASEWORKERS, DataClass.PERSONAL, "assign a contact person")
PLAN_REVISE = Permission(_CASEWORKERS, DataClass.PERSONAL, "change a care plan")
PLAN_APPROVE = Permission(_CASEWORKERS, DataClass.PERSONAL, "approve a care plan")
ASSESSMENT_RECORD = Permission(_CASEWORKERS, DataClass.CONFIDENTIAL, "record an assessment")
NOTE_WRITE = Permission(_CASEWORKERS_AND_CONTACTS, DataClass.CONFIDENTIAL, "write a follow-up note")
HEALTH_RECORD = Permission(_CASEWORKERS, DataClass.SENSITIVE, "record health information")
EDUCATION_RECORD = Permission(_CASEWORKERS, DataClass.PERSONAL, "record education")
MEETING_RECORD = Permission(_CASEWORKERS_AND_CONTACTS, DataClass.PERSONAL, "record a meeting")
ASSESSMENT_SCHEDULE_WRITE = Permission(
    frozenset({Role.MUNICIPALITY_ADMIN}), None, "set the assessment schedule"
)
# Care records whether the child needs an interpreter (on intake's profile, for meetings).
INTERPRETER_NEED_SET = Permission(
    _CASEWORKERS, DataClass.PERSONAL, "set a child's interpreter need"
)
