"""The Child every phase hangs off, and how it loads: each field that needs more than intake's
payload declares the data it is built from, and a list preloads what its selected fields
declare, for all its children at once.

The phases' types (care/, community/, transition/, intake/types.py) are the parts a Child is
built from, so this module imports them and they never import it: where one of them points
back to its child, it names the type lazily (gateway/schema/common.py, `child_field`) and
loads it through the request's context (`load_child`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import date
from typing import Any, TypeAlias, TypeVar

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info
from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case

from gateway.loaders import Loaders
from gateway.schema.care.types import (
    COUNT_ONLY,
    Assessment,
    CarePlan,
    ChildCare,
    FollowUpNote,
    assessments_in,
    care_plan_in,
    follow_up_notes_of,
    notes_counted,
)
from gateway.schema.common import (
    DEFAULT_PAGE_SIZE,
    Connection,
    Payload,
    optional_date,
    page_size,
    selected,
)
from gateway.schema.community.types import Enrolment
from gateway.schema.intake.types import Appointment, PreparationTask
from gateway.schema.transition.types import Transition
from gateway.security import Requires, declared_permission
from havn import permissions
from havn.auth import Principal
from havn.pagination import check_page_size
from havn.vocabulary import CareArrangement, Phase

T = TypeVar("T")
# A field's value, or (when its list did not preload it) an awaitable of it.
Resolved: TypeAlias = T | Awaitable[T]
LoaderOf = Callable[[Loaders], DataLoader[uuid.UUID, Payload | None]]
# How each kind of data a call brings is taken out of its answer.
Parts = Mapping["ChildData", Callable[[Payload | None], Payload | None]]


@dataclasses.dataclass(frozen=True, eq=False)
class ChildData:
    """A kind of data Child fields are built from, loaded per child by one of the request's
    loaders."""

    loader: LoaderOf


PHASE = ChildData(lambda loaders: loaders.phase)
CARE = ChildData(lambda loaders: loaders.care)
COMMUNITY = ChildData(lambda loaders: loaders.community)
TRANSITION = ChildData(lambda loaders: loaders.transition_summary)
# How many follow-up notes a child has ({total_count}), for a list that asks no more.
NOTE_COUNT = ChildData(lambda loaders: loaders.notes_counts)


def _as_is(value: Payload | None) -> Payload | None:
    return value


def _note_count_in(care: Payload | None) -> Payload | None:
    count = (care or {}).get("follow_up_note_count")
    return None if count is None else {"total_count": count}


@dataclasses.dataclass(frozen=True, eq=False)
class LoadedTogether:
    """Kinds of data one call brings at once: a list that needs each of them makes that call,
    and each part is taken out of its answer."""

    loader: LoaderOf
    parts: Parts


# Both from care: one call, the record carrying the count.
LOADED_TOGETHER = (
    LoadedTogether(
        lambda loaders: loaders.care_with_note_counts, {CARE: _as_is, NOTE_COUNT: _note_count_in}
    ),
)


@dataclasses.dataclass(frozen=True)
class Needs:
    """What a Child field declares it is built from (kept in the field's metadata)."""

    data: ChildData
    # Preloaded only when the field's own selection asks no more than this (e.g. a count).
    only_selecting: frozenset[str] | None = None


def needs(data: ChildData, *, only_selecting: frozenset[str] | None = None) -> dict[Any, Any]:
    """A Child field's metadata, declaring the data it is built from."""
    return {Needs: Needs(data, only_selecting)}


def loaded_field(
    data: ChildData, build: Callable[[Child, Payload | None], T], **options: Any
) -> Any:
    """A Child field built from `data`: at once when its list preloaded it, else through the
    data's loader (strawberry awaits what a field returns when it must)."""

    def resolve(root: Child, info: Info) -> Resolved[T]:
        if data in root.loaded:
            return build(root, root.loaded[data])

        async def later() -> T:
            return build(root, await data.loader(info.context.loaders).load(root.uuid))

        return later()

    return strawberry.field(resolver=resolve, metadata=needs(data), **options)


@strawberry.type
class Child:
    """A settled child. Basic fields resolve from the intake payload; the rest as declared."""

    id: strawberry.ID
    municipality: str
    first_name: str
    age: int
    languages: list[str]
    payload: strawberry.Private[Payload]
    # What a list preloaded for this child (see `preload`).
    loaded: strawberry.Private[dict[ChildData, Payload | None]] = dataclasses.field(
        default_factory=dict
    )

    @classmethod
    def from_payload(cls, p: Payload) -> Child:
        return cls(
            id=strawberry.ID(p["id"]),
            municipality=p["municipality"],
            first_name=p["first_name"],
            age=p["age"],
            languages=p["languages"],
            payload=p,
        )

    @property
    def uuid(self) -> uuid.UUID:
        return uuid.UUID(self.id)

    @staticmethod
    async def preload(info: Info, children: Sequence[Child], *path: str) -> None:
        """Loads what the fields selected at `path` declare they need, for every child of a
        list at once, so that they resolve without awaiting: an awaited field costs strawberry
        several times a plain one, and a caseload has hundreds."""
        calls = preload_calls(
            data_needed(lambda *names: selected(info, *path, *names), info.context.principal)
        )
        ids = [child.uuid for child in children]
        loaded = await asyncio.gather(
            *(loader(info.context.loaders).load_many(ids) for loader, _ in calls)
        )
        for (_, parts), values in zip(calls, loaded, strict=True):
            for child, value in zip(children, values, strict=True):
                for data, part in parts.items():
                    child.loaded[data] = part(value)

    phase = loaded_field(
        PHASE,
        # Until transition has heard of a just-settled child, the payload's phase stands in.
        lambda child, computed: Phase(computed["phase"] if computed else child.payload["phase"]),
        description="Computed in one place, by transition, from the child's age.",
        graphql_type=Phase,
    )
    care = loaded_field(
        CARE,
        lambda _, care: ChildCare.from_payload(care) if care else None,
        extensions=[Requires(permissions.care.PLAN_STATUS_READ)],
        description="The child's whole care record, as your role may see it.",
        graphql_type=ChildCare | None,
    )
    interests = loaded_field(
        COMMUNITY,
        lambda _, community: list(community["interests"]) if community else [],
        graphql_type=list[str],
    )

    @strawberry.field(extensions=[Requires(permissions.intake.PROFILE_READ)])
    def full_name(self, info: Info) -> str | None:
        return str(self.payload["full_name"])

    @strawberry.field(extensions=[Requires(permissions.intake.PROFILE_READ)])
    def date_of_birth(self, info: Info) -> date | None:
        return optional_date(self.payload["date_of_birth"])

    @strawberry.field(extensions=[Requires(permissions.intake.PROFILE_READ)])
    def nationality(self, info: Info) -> str | None:
        return str(self.payload["nationality"])

    @strawberry.field(extensions=[Requires(permissions.intake.PROFILE_READ)])
    def sex(self, info: Info) -> str | None:
        return str(self.payload["sex"])

    @strawberry.field(extensions=[Requires(permissions.intake.PROFILE_READ)])
    def care_arrangement(self, info: Info) -> CareArrangement | None:
        return CareArrangement(self.payload["care_arrangement"])

    @strawberry.field(extensions=[Requires(permissions.intake.PROFILE_READ)])
    def settled_on(self, info: Info) -> date | None:
        return optional_date(self.payload["settled_on"])

    @strawberry.field(
        extensions=[Requires(permissions.intake.PROFILE_READ)],
        description="Whether the date of birth is an estimate.",
    )
    def date_of_birth_estimated(self, info: Info) -> bool | None:
        return bool(self.payload.get("date_of_birth_estimated"))

    @strawberry.field
    def interpreter_needed(self) -> bool:
        return bool(self.payload.get("interpreter_needed"))

    @strawberry.field(description="ISO 639 code of the language the interpreter must speak.")
    def interpreter_language(self) -> str | None:
        return self.payload.get("interpreter_language")

    @strawberry.field(
        extensions=[Requires(permissions.intake.PROFILE_READ)],
        description="Representative (representant) in the asylum phase.",
    )
    def representative(self, info: Info) -> Appointment | None:
        return Appointment.from_payload(self.payload.get("representative"))

    @strawberry.field(
        extensions=[Requires(permissions.intake.PROFILE_READ)],
        description="Guardian (verge); guardianship ends at 18.",
    )
    def guardian(self, info: Info) -> Appointment | None:
        return Appointment.from_payload(self.payload.get("guardian"))

    @strawberry.field(
        extensions=[Requires(permissions.intake.PROFILE_READ)],
        description="The 18th birthday, when guardianship ends.",
    )
    def guardianship_ends_on(self, info: Info) -> date | None:
        return optional_date(self.payload.get("guardianship_ends_on"))

    @strawberry.field(
        extensions=[Requires(permissions.intake.PROFILE_READ)],
        description="Checklist tasks still open; arrival does not wait for them.",
    )
    def open_preparation_tasks(self, info: Info) -> list[PreparationTask] | None:
        return [
            PreparationTask.from_payload(t) for t in self.payload.get("open_preparation_tasks", [])
        ]

    care_plan = loaded_field(
        CARE,
        lambda _, care: care_plan_in(care),
        extensions=[Requires(permissions.care.PLAN_STATUS_READ)],
        graphql_type=CarePlan | None,
    )
    assessments = loaded_field(
        CARE,
        lambda _, care: assessments_in(care),
        extensions=[Requires(permissions.care.CONFIDENTIAL_READ)],
        description="Confidential: null with FORBIDDEN for roles not cleared.",
        graphql_type=list[Assessment] | None,
    )

    @strawberry.field(
        extensions=[Requires(permissions.care.CONFIDENTIAL_READ)],
        description="Confidential: null with FORBIDDEN for roles not cleared.",
        graphql_type=Connection[FollowUpNote] | None,
        # A list preloads the count only when its query asks nothing else of the notes.
        metadata=needs(NOTE_COUNT, only_selecting=COUNT_ONLY),
    )
    def follow_up_notes(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Resolved[Connection[FollowUpNote] | None]:
        if NOTE_COUNT in self.loaded:
            check_page_size(page_size(first))  # refused as the page itself would be
            return notes_counted(self.loaded[NOTE_COUNT])
        return follow_up_notes_of(info, self.uuid, first, after)

    enrolments = loaded_field(
        COMMUNITY,
        lambda _, community: [
            Enrolment.from_payload(e) for e in (community or {}).get("enrolments", [])
        ],
        extensions=[Requires(permissions.community.CHILD_READ)],
        graphql_type=list[Enrolment] | None,
    )
    transition = loaded_field(
        TRANSITION,
        lambda _, summary: Transition.from_payload(summary) if summary else None,
        extensions=[Requires(permissions.transition.TRANSITION_READ)],
        graphql_type=Transition | None,
    )


# By GraphQL name, what each Child field declares it needs and who may see it: read from the
# fields themselves, so a new field is declared in one place.
_DECLARED = {
    to_camel_case(field.python_name): (field.metadata[Needs], declared_permission(field))
    for field in get_object_definition(Child, strict=True).fields
    if Needs in field.metadata
}


def data_needed(
    selected_at: Callable[..., set[str]], principal: Principal
) -> dict[ChildData, None]:
    """The data the selected Child fields declare they need (`selected_at()` names them,
    `selected_at(name)` what is selected below one), in field order; nothing for a field the
    caller may not see."""
    fields = selected_at()
    return dict.fromkeys(
        declared.data
        for name, (declared, permission) in _DECLARED.items()
        if name in fields
        and (permission is None or permission.allows(principal))
        and (declared.only_selecting is None or selected_at(name) <= declared.only_selecting)
    )


def preload_calls(needed: Mapping[ChildData, None]) -> list[tuple[LoaderOf, Parts]]:
    """The loaders that bring `needed`, each with the data taken out of its answer: data
    loaded together comes in one call."""
    rest = dict(needed)
    calls: list[tuple[LoaderOf, Parts]] = []
    for together in LOADED_TOGETHER:
        if together.parts.keys() <= rest.keys():
            calls.append((together.loader, together.parts))
            for data in together.parts:
                del rest[data]
    return calls + [(data.loader, {data: _as_is}) for data in rest]


async def load_child(loaders: Loaders, child_id: uuid.UUID) -> Child | None:
    """The child as the caller's child loader gives it (a partner: per its grant), or None."""
    payload = await loaders.child.load(child_id)
    return Child.from_payload(payload) if payload else None
