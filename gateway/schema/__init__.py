"""The one public schema, merged from a module per domain."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from gateway.schema.audit.types import AuditQuery
from gateway.schema.care.mutations import MUTATIONS as CARE_MUTATIONS
from gateway.schema.care.queries import CareQuery
from gateway.schema.common import CommonQuery
from gateway.schema.community.mutations import MUTATIONS as COMMUNITY_MUTATIONS
from gateway.schema.community.queries import CommunityQuery
from gateway.schema.intake.break_glass import BreakGlassMutation, BreakGlassQuery
from gateway.schema.intake.mutations import MUTATIONS as INTAKE_MUTATIONS
from gateway.schema.intake.queries import IntakeQuery
from gateway.schema.platform.types import PlatformMutation, PlatformQuery
from gateway.schema.statistics.queries import StatisticsQuery
from gateway.schema.transition.mutations import MUTATIONS as TRANSITION_MUTATIONS
from gateway.schema.transition.queries import TransitionQuery
from gateway.security import QuietExecution, extensions, is_unexpected

logger = logging.getLogger("havn.gateway")

Query = merge_types(
    "Query",
    (
        CommonQuery,
        IntakeQuery,
        BreakGlassQuery,
        AuditQuery,
        CareQuery,
        CommunityQuery,
        TransitionQuery,
        StatisticsQuery,
        PlatformQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        *INTAKE_MUTATIONS,
        BreakGlassMutation,
        *CARE_MUTATIONS,
        *COMMUNITY_MUTATIONS,
        *TRANSITION_MUTATIONS,
        PlatformMutation,
    ),
)


class HavnSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Logs what went wrong on our side; a caller's mistake is no server error."""
        for error in errors:
            if is_unexpected(error):
                logger.error("unexpected error at %s", error.path, exc_info=error.original_error)


def build_schema(*, introspection: bool) -> strawberry.Schema:
    """The schema; `introspection` (dev) also lets errors suggest field and value names."""
    return HavnSchema(
        query=Query,
        mutation=Mutation,
        extensions=extensions(introspection=introspection),
        execution_context_class=None if introspection else QuietExecution,
    )
