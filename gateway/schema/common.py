"""Types every domain module shares: connections, the viewer, the public enums (the kernel's,
each shown under its API.md name)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection

from gateway.security import Requires
from havn import permissions, vocabulary
from havn.auth import DataClass
from havn.statistics.dimensions import Dimension, Measure

T = TypeVar("T")
Payload = dict[str, Any]


DEFAULT_PAGE_SIZE = 50

# The kernel defines each enum once (havn/vocabulary.py, havn/auth, havn/statistics); wrapping
# one names and describes it for GraphQL. Here, so each is wrapped once, and before the schema
# (gateway/schema/__init__.py imports this module) is built.
for shared_enum in (
    vocabulary.ReferralStatus,
    vocabulary.ReferralSort,
    vocabulary.CareArrangement,
    vocabulary.PreparationTaskKind,
    vocabulary.RelocationStatus,
    vocabulary.RelocationDirection,
    vocabulary.CarePlanStatus,
    vocabulary.NorwegianLevel,
    vocabulary.CaseloadFilter,
    vocabulary.Phase,
    vocabulary.TransitionCaseloadFilter,
    vocabulary.AftercareStatus,
    vocabulary.GoalStatus,
    vocabulary.HousingType,
    vocabulary.OutcomeStatus,
):
    strawberry.enum(shared_enum)
strawberry.enum(
    vocabulary.TransitionMilestone,
    description="A dated step on a child's way to independent life.",
)
strawberry.enum(DataClass, description="The kinds of a child's data, from least to most protected.")
strawberry.enum(Measure, name="StatisticMeasure")
strawberry.enum(Dimension, name="StatisticDimension")


def page_size(first: int | None) -> int:
    """API.md's `first: Int = 50`: an explicit null means the default too."""
    return DEFAULT_PAGE_SIZE if first is None else first


def sent_fields(input: object, *names: str) -> dict[str, Any]:
    """The input fields the caller sent (null included); one left out keeps its value."""
    return {
        name: getattr(input, name) for name in names if getattr(input, name) is not strawberry.UNSET
    }


def optional_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    """A page of a list: edges of cursor and node, page info and the total count."""

    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int


def selected(info: Info, *path: str) -> set[str]:
    """The names of the fields selected at `path` below the current field, fragments included
    (e.g. `selected(info, "edges", "node")` for a connection's nodes)."""
    level = [selection for field in info.selected_fields for selection in field.selections]
    for name in path:
        level = [
            child for field in _fields(level) if field.name == name for child in field.selections
        ]
    return {field.name for field in _fields(level)}


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:  # a fragment spread or an inline fragment: its own fields count
            yield from _fields(selection.selections)


def connection_of(page: Payload, node: Callable[[Payload], T]) -> Connection[T]:
    """Builds a connection from a service's page payload."""
    return Connection(
        edges=[
            Edge(cursor=cursor, node=node(item))
            for item, cursor in zip(page["items"], page["cursors"], strict=True)
        ],
        page_info=PageInfo(has_next_page=page["has_next_page"], end_cursor=page["end_cursor"]),
        total_count=page["total_count"],
    )


# The Child every phase hangs off, named, not imported: gateway/schema/child.py builds it from
# the phases' types, so they never import it (a cycle); a type pointing back to its child
# loads it through the request's context.
ChildType: Any = Annotated["Child", strawberry.lazy("gateway.schema.child")]  # noqa: F821


def child_field(
    child_id: Callable[[Any], str | uuid.UUID | None], *, description: str | None = None
) -> Any:
    """A field pointing back to the child `child_id` names: the child if you may see it."""

    async def child(root: Any, info: Info) -> Any:
        found = child_id(root)
        if found is None:
            return None
        return await info.context.child(uuid.UUID(str(found)))

    return strawberry.field(resolver=child, graphql_type=ChildType | None, description=description)


@strawberry.type
class Viewer:
    username: str
    roles: list[str]
    tenants: list[str]
    org: str | None
    tenant: str | None


@strawberry.type
class CommonQuery:
    @strawberry.field(
        extensions=[Requires(permissions.SIGNED_IN)],
        description="Who the token says you are, and the municipality you act in.",
    )
    def me(self, info: Info) -> Viewer:
        principal = info.context.principal
        return Viewer(
            username=principal.username,
            roles=sorted(principal.roles),
            tenants=list(principal.tenants),
            org=principal.org,
            tenant=principal.tenant,
        )
