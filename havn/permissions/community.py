"""Community's actions: partners, agreements, offers, volunteers, enrolments, matches,
attendance, grants, funding and settings.

Partners see their own organisation's offers, enrolments, volunteers and attendance, and a
child's basic profile only through a grant (checked per child in community and the gateway).
"""

from __future__ import annotations

from havn.auth.policy import DataClass, Role
from havn.permissions.permission import MUNICIPAL, Permission

# Who runs the municipality's community work: partners, agreements, offers, volunteers,
# enrolments and matches.
ORGANISERS = frozenset({Role.VOLUNTEER_COORDINATOR, Role.CASEWORKER})
_PARTNERS = frozenset({Role.PARTNER})
_ADMINS = frozenset({Role.MUNICIPALITY_ADMIN})

# A child's community data is basic: every municipal role reads it (a contact person: of the
# children assigned to them), a partner through its grants.
CHILD_READ = Permission(MUNICIPAL | _PARTNERS, DataClass.BASIC, "see children's community life")
ENROLMENTS_READ = Permission(MUNICIPAL | _PARTNERS, DataClass.BASIC, "list enrolments")
ATTENDANCE_READ = Permission(MUNICIPAL | _PARTNERS, DataClass.BASIC, "see attendance")
CATALOGUE_READ = Permission(MUNICIPAL | _PARTNERS, DataClass.BASIC, "see the catalogue")
SETTINGS_READ = Permission(MUNICIPAL, None, "read community settings")
SETTINGS_WRITE = Permission(_ADMINS, None, "change community settings")

PARTNER_REGISTER = Permission(ORGANISERS, DataClass.BASIC, "register partners")
AGREEMENT_MAKE = Permission(ORGANISERS, DataClass.BASIC, "make agreements")
OFFER_CREATE = Permission(ORGANISERS | _PARTNERS, DataClass.BASIC, "create offers")
VOLUNTEERS_READ = Permission(ORGANISERS | _PARTNERS, DataClass.BASIC, "list volunteers")
VOLUNTEER_REGISTER = Permission(ORGANISERS, DataClass.BASIC, "register volunteers")
POLICE_CERTIFICATE_RECORD = Permission(ORGANISERS, DataClass.BASIC, "record police certificates")
INTERESTS_RECORD = Permission(ORGANISERS, DataClass.BASIC, "record a child's interests")
SUGGESTIONS_READ = Permission(ORGANISERS, DataClass.BASIC, "see suggestions")
ENROL = Permission(ORGANISERS, DataClass.BASIC, "enrol children")
ENROLMENT_END = Permission(ORGANISERS, DataClass.BASIC, "end enrolments")
MATCH = Permission(ORGANISERS, DataClass.BASIC, "match children with volunteers")
MATCH_END = Permission(ORGANISERS, DataClass.BASIC, "end matches")
MATCHES_READ = Permission(ORGANISERS | _PARTNERS, DataClass.BASIC, "list matches")
ATTENDANCE_RECORD = Permission(ORGANISERS | _PARTNERS, DataClass.BASIC, "record attendance")
BELONGING_READ = Permission(ORGANISERS, DataClass.BASIC, "see the belonging overview")
PARTNER_VIEW = Permission(_PARTNERS, DataClass.BASIC, "use the partner view")
GRANTS_READ = Permission(
    _ADMINS | {Role.VOLUNTEER_COORDINATOR}, DataClass.BASIC, "read partners' grants"
)
FUNDING_READ = Permission(ORGANISERS | _ADMINS, DataClass.BASIC, "read funding applications")
FUNDING_WRITE = Permission(
    _ADMINS | {Role.VOLUNTEER_COORDINATOR}, DataClass.BASIC, "apply for funding"
)
FUNDING_DECIDE = Permission(FUNDING_WRITE.roles, DataClass.BASIC, "record funding decisions")
