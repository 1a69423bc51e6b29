"""The public schema keeps the names and shapes API.md promises to clients."""

from __future__ import annotations

import pytest

from gateway.schema import build_schema

SDL = str(build_schema(introspection=True))

PROMISED = [
    "me: Viewer!",
    "referral(id: ID!): Referral",
    "referrals(status: ReferralStatus = null, first: Int = 50, after: String = null): "
    "ReferralConnection!",
    "child(id: ID!): Child",
    "children(first: Int = 50, after: String = null): ChildConnection!",
    "accessLog(childId: ID!, first: Int = 50, after: String = null): AccessLogEntryConnection!",
    "createReferral(input: CreateReferralInput!): Referral!",
    "acceptReferral(id: ID!, input: AcceptReferralInput!): Referral!",
    "declineReferral(id: ID!, reason: String!): Referral!",
    "completePreparationTask(referralId: ID!, task: PreparationTaskKind!): Referral!",
    "registerArrival(referralId: ID!, arrivedOn: Date!): Child!",
    "enum ReferralStatus {\n  PENDING\n  ACCEPTED\n  DECLINED\n  ARRIVED\n  WITHDRAWN\n}",
    "enum Phase {\n  PREPARATION\n  CARE\n  TRANSITION\n  AFTERCARE\n  CLOSED\n}",
    "firstName: String!",
    "fullName: String",
    "carePlan: CarePlan",
    "transition: Transition",
    "pageInfo: PageInfo!",
    "totalCount: Int!",
]


@pytest.mark.parametrize("line", PROMISED)
def test_the_schema_has_what_api_md_promises(line):
    assert line in SDL
