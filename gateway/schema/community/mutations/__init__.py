"""Community's mutations, a module per noun: partners, agreements, offers, volunteers, the
child's interests, enrolments, matches, attendance, funding."""

from __future__ import annotations

from gateway.schema.community.mutations.agreements import AgreementMutation
from gateway.schema.community.mutations.attendance import AttendanceMutation
from gateway.schema.community.mutations.enrolments import EnrolmentMutation
from gateway.schema.community.mutations.funding import FundingMutation
from gateway.schema.community.mutations.interests import InterestMutation
from gateway.schema.community.mutations.matches import MatchMutation
from gateway.schema.community.mutations.offers import OfferMutation
from gateway.schema.community.mutations.partners import PartnerMutation
from gateway.schema.community.mutations.volunteers import VolunteerMutation

# In the order the schema lists them.
MUTATIONS = (
    PartnerMutation,
    AgreementMutation,
    OfferMutation,
    VolunteerMutation,
    InterestMutation,
    EnrolmentMutation,
    MatchMutation,
    AttendanceMutation,
    FundingMutation,
)
