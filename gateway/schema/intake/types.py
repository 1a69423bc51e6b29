"""Intake (phases 1-2) as the public schema shows it, and the Child every phase hangs off."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from enum import Enum
from typing import TypeAlias, TypeVar

import strawberry
from strawberry.types import Info
from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case

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
    CareArrangement,
    Connection,
    Payload,
    Phase,
    optional_date,
    page_size,
    selected,
)
from gateway.schema.community.types import Enrolment
from gateway.schema.transition.types import Transition
from gateway.security import Requires, declared_permission
from havn import permissions
from havn.auth import Principal
from havn.pagination import check_page_size

T = TypeVar("T")
# A field's value, or (when its list did not preload it) an awaitable of it.
Resolved: TypeAlias = T | Awaitable[T]


@strawberry.enum
class ReferralStatus(Enum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    ARRIVED = "ARRIVED"
    WITHDRAWN = "WITHDRAWN"


@strawberry.enum
class PreparationTaskKind(Enum):
    HOUSING = "HOUSING"
    GUARDIAN = "GUARDIAN"
    SCHOOL = "SCHOOL"
    GP = "GP"
    HEALTH_CHECK = "HEALTH_CHECK"
    INTERPRETER = "INTERPRETER"
    BANK_ACCOUNT = "BANK_ACCOUNT"


@strawberry.enum
class ReferralSort(Enum):
    RESPOND_BY_ASC = "RESPOND_BY_ASC"
    RESPOND_BY_DESC = "RESPOND_BY_DESC"


@strawberry.enum
class RelocationStatus(Enum):
    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"


@strawberry.enum
class RelocationDirection(Enum):
    OUTGOING = "OUTGOING"
    INCOMING = "INCOMING"


def optional_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@strawberry.type
class PreparationTask:
    kind: PreparationTaskKind
    done: bool
    due_on: date | None
    payload: strawberry.Private[Payload]

    @classmethod
    def from_payload(cls, p: Payload) -> PreparationTask:
        return cls(
            kind=PreparationTaskKind(p["kind"]),
            done=p["done"],
            due_on=optional_date(p["due_on"]),
            payload=p,
        )

    @strawberry.field(
        extensions=[Requires(permissions.intake.PREPARATION)],
        description="Username of the municipality's staff member who owns it.",
    )
    def owner(self, info: Info) -> str | None:
        return self.payload.get("owner")

    @strawberry.field(extensions=[Requires(permissions.intake.PREPARATION)])
    def notes(self, info: Info) -> str | None:
        return self.payload.get("notes")

    @strawberry.field(extensions=[Requires(permissions.intake.PREPARATION)])
    def done_by(self, info: Info) -> str | None:
        return self.payload.get("done_by")

    @strawberry.field(extensions=[Requires(permissions.intake.PREPARATION)])
    def done_at(self, info: Info) -> datetime | None:
        return optional_datetime(self.payload.get("done_at"))


@strawberry.type
class Appointment:
    """A representative (representant) or guardian (verge), and when they were appointed."""

    name: str
    appointed_on: date

    @classmethod
    def from_payload(cls, p: Payload | None) -> Appointment | None:
        return (
            cls(name=p["name"], appointed_on=date.fromisoformat(p["appointed_on"])) if p else None
        )


@strawberry.type
class Child:
    """A settled child. Basic fields resolve from the intake payload; the rest as declared."""

    id: strawberry.ID
    municipality: str
    first_name: str
    age: int
    languages: list[str]
    payload: strawberry.Private[Payload]
    # What a list preloaded for this child, by loader (see `preload`).
    loaded: strawberry.Private[dict[str, Payload | None]] = dataclasses.field(default_factory=dict)

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
        """Loads what the fields selected at `path` need for every child of a list at once,
        so that they resolve without awaiting: an awaited field costs strawberry several times
        a plain one, and a caseload has hundreds. Nothing loads for a field the caller may not
        see."""
        principal = info.context.principal
        fields = selected(info, *path)
        loaders = list(
            dict.fromkeys(
                loader
                for field, loader in PRELOADED.items()
                if field in fields and _may_preload(field, principal)
            )
        )
        if (
            "followUpNotes" in fields
            and selected(info, *path, "followUpNotes") <= COUNT_ONLY
            and _may_preload("followUpNotes", principal)
        ):
            loaders.append(NOTES_COUNTS)
        if {"care", NOTES_COUNTS} <= set(loaders):
            # Both from care: one call, the record carrying the count.
            loaders = [CARE_WITH_NOTE_COUNTS if n == "care" else n for n in loaders]
            loaders.remove(NOTES_COUNTS)
        ids = [child.uuid for child in children]
        loaded = await asyncio.gather(
            *(getattr(info.context.loaders, loader).load_many(ids) for loader in loaders)
        )
        for loader, values in zip(loaders, loaded, strict=True):
            for child, value in zip(children, values, strict=True):
                if loader == CARE_WITH_NOTE_COUNTS:
                    child.loaded["care"] = value
                    count = (value or {}).get("follow_up_note_count")
                    child.loaded[NOTES_COUNTS] = None if count is None else {"total_count": count}
                else:
                    child.loaded[loader] = value

    def _with(self, info: Info, loader: str, build: Callable[[Payload | None], T]) -> Resolved[T]:
        """`build` on what `loader` has for this child: at once when its list preloaded it,
        else through the loader (strawberry awaits what a field returns when it must)."""
        if loader in self.loaded:
            return build(self.loaded[loader])

        async def later() -> T:
            return build(await getattr(info.context.loaders, loader).load(self.uuid))

        return later()

    @strawberry.field(
        description="Computed in one place, by transition, from the child's age.",
        graphql_type=Phase,
    )
    def phase(self, info: Info) -> Resolved[Phase]:
        # Until transition has heard of a just-settled child, the payload's phase stands in.
        return self._with(
            info,
            "phase",
            lambda computed: Phase(computed["phase"] if computed else self.payload["phase"]),
        )

    @strawberry.field(
        extensions=[Requires(permissions.care.PLAN_STATUS_READ)],
        description="The child's whole care record, as your role may see it.",
        graphql_type=ChildCare | None,
    )
    def care(self, info: Info) -> Resolved[ChildCare | None]:
        return self._with(info, "care", lambda care: ChildCare.from_payload(care) if care else None)

    @strawberry.field(graphql_type=list[str])
    def interests(self, info: Info) -> Resolved[list[str]]:
        return self._with(
            info, "community", lambda community: list(community["interests"]) if community else []
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

    @strawberry.field(
        extensions=[Requires(permissions.care.PLAN_STATUS_READ)], graphql_type=CarePlan | None
    )
    def care_plan(self, info: Info) -> Resolved[CarePlan | None]:
        return self._with(info, "care", care_plan_in)

    @strawberry.field(
        extensions=[Requires(permissions.care.CONFIDENTIAL_READ)],
        description="Confidential: null with FORBIDDEN for roles not cleared.",
        graphql_type=list[Assessment] | None,
    )
    def assessments(self, info: Info) -> Resolved[list[Assessment] | None]:
        return self._with(info, "care", assessments_in)

    @strawberry.field(
        extensions=[Requires(permissions.care.CONFIDENTIAL_READ)],
        description="Confidential: null with FORBIDDEN for roles not cleared.",
        graphql_type=Connection[FollowUpNote] | None,
    )
    def follow_up_notes(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Resolved[Connection[FollowUpNote] | None]:
        # A list preloads the counts only when its query asks nothing else of the notes.
        if NOTES_COUNTS in self.loaded:
            check_page_size(page_size(first))  # refused as the page itself would be
            return notes_counted(self.loaded[NOTES_COUNTS])
        return follow_up_notes_of(info, self.uuid, first, after)

    @strawberry.field(
        extensions=[Requires(permissions.community.CHILD_READ)], graphql_type=list[Enrolment] | None
    )
    def enrolments(self, info: Info) -> Resolved[list[Enrolment] | None]:
        return self._with(
            info,
            "community",
            lambda community: [
                Enrolment.from_payload(e) for e in (community or {}).get("enrolments", [])
            ],
        )

    @strawberry.field(
        extensions=[Requires(permissions.transition.TRANSITION_READ)],
        graphql_type=Transition | None,
    )
    def transition(self, info: Info) -> Resolved[Transition | None]:
        return self._with(
            info,
            "transition_summary",
            lambda summary: Transition.from_payload(summary) if summary else None,
        )


NOTES_COUNTS = "notes_counts"
CARE_WITH_NOTE_COUNTS = "care_with_note_counts"
# The fields a list of children preloads for all of them, and the loader each needs; a
# field is preloaded only for a caller its declared permission allows.
PRELOADED: dict[str, str] = {
    "phase": "phase",
    "care": "care",
    "carePlan": "care",
    "assessments": "care",
    "interests": "community",
    "enrolments": "community",
    "transition": "transition_summary",
}
_PERMISSIONS = {
    to_camel_case(field.python_name): declared_permission(field)
    for field in get_object_definition(Child, strict=True).fields
}


def _may_preload(field: str, principal: Principal) -> bool:
    permission = _PERMISSIONS[field]
    return permission is None or permission.allows(principal)


@strawberry.type
class ReferredMinor:
    """The minor's facts as the directorate referred them: personal data."""

    full_name: str
    date_of_birth: date
    sex: str
    nationality: str
    languages: list[str]
    needs_summary: str | None
    proposed_arrival: date | None

    @classmethod
    def from_payload(cls, p: Payload) -> ReferredMinor:
        return cls(
            full_name=p["full_name"],
            date_of_birth=date.fromisoformat(p["date_of_birth"]),
            sex=p["sex"],
            nationality=p["nationality"],
            languages=p["languages"],
            needs_summary=p["needs_summary"],
            proposed_arrival=optional_date(p["proposed_arrival"]),
        )


@strawberry.type
class Referral:
    id: strawberry.ID
    municipality: str
    status: ReferralStatus
    respond_by: date
    overdue: bool
    planned_arrival: date | None
    care_arrangement: CareArrangement | None
    care_place_reserved: bool | None = strawberry.field(
        description="Set on acceptance: true when one of the municipality's recorded free "
        "places of the arrangement was taken; false when it records no places of that "
        "arrangement, so no capacity check was made. Null before acceptance."
    )
    decline_reason: str | None
    withdraw_reason: str | None
    preparation: list[PreparationTask]
    ready_for_arrival: bool = strawberry.field(
        description="Every task due by the planned arrival is done."
    )
    open_tasks: int = strawberry.field(description="Checklist tasks not done yet.")
    child_id: strawberry.Private[str | None]
    minor_payload: strawberry.Private[Payload | None]

    @classmethod
    def from_payload(cls, p: Payload) -> Referral:
        arrangement = p["care_arrangement"]
        return cls(
            id=strawberry.ID(p["id"]),
            municipality=p["municipality"],
            status=ReferralStatus(p["status"]),
            respond_by=date.fromisoformat(p["respond_by"]),
            overdue=p["overdue"],
            planned_arrival=optional_date(p["planned_arrival"]),
            care_arrangement=CareArrangement(arrangement) if arrangement else None,
            care_place_reserved=p.get("care_place_reserved"),
            decline_reason=p["decline_reason"],
            withdraw_reason=p.get("withdraw_reason"),
            preparation=[PreparationTask.from_payload(t) for t in p["preparation"]],
            ready_for_arrival=p["ready_for_arrival"],
            open_tasks=p.get("open_tasks", 0),
            child_id=p["child_id"],
            minor_payload=p.get("minor"),
        )

    @strawberry.field(
        extensions=[Requires(permissions.intake.PROFILE_READ)],
        description="The referred minor's facts: the municipality's staff only.",
    )
    def minor(self, info: Info) -> ReferredMinor | None:
        return ReferredMinor.from_payload(self.minor_payload) if self.minor_payload else None

    @strawberry.field(description="The settled child, once ARRIVED and if you may see it.")
    async def child(self, info: Info) -> Child | None:
        if self.child_id is None:
            return None
        payload = await info.context.loaders.child.load(uuid.UUID(self.child_id))
        return Child.from_payload(payload) if payload else None


# --- capacity -------------------------------------------------------------------------------


@strawberry.type
class CarePlaces:
    care_arrangement: CareArrangement
    places: int
    free: int


@strawberry.type
class MunicipalityCapacity:
    """A municipality's settlement decision and care places beside its pending referrals.

    Counts only: nothing here is about a child.
    """

    municipality: str
    name: str
    year: int
    settlement_decision: int | None = strawberry.field(
        description="How many minors the municipality decided to settle this year (vedtak)."
    )
    care_places: list[CarePlaces]
    free_places: int
    pending_referrals: int

    @classmethod
    def from_payload(cls, p: Payload) -> MunicipalityCapacity:
        return cls(
            municipality=p["municipality"],
            name=p["name"],
            year=p["year"],
            settlement_decision=p["settlement_decision"],
            care_places=[
                CarePlaces(
                    care_arrangement=CareArrangement(c["care_arrangement"]),
                    places=c["places"],
                    free=c["free"],
                )
                for c in p["care_places"]
            ],
            free_places=p["free_places"],
            pending_referrals=p["pending_referrals"],
        )


@strawberry.type
class StaffMember:
    """A user of the municipality who may own checklist tasks."""

    username: str
    role: str

    @classmethod
    def from_payload(cls, p: Payload) -> StaffMember:
        return cls(username=p["username"], role=p["role"])


# --- relocation -----------------------------------------------------------------------------


@strawberry.type
class Relocation:
    """A settled child's move to another municipality (flytting)."""

    id: strawberry.ID
    from_municipality: str
    to_municipality: str
    status: RelocationStatus
    note: str | None
    child_first_name: str
    child_age: int
    child_languages: list[str]
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decline_reason: str | None
    care_arrangement: CareArrangement | None
    relocated_on: date | None
    child_id: strawberry.Private[str]

    @classmethod
    def from_payload(cls, p: Payload) -> Relocation:
        arrangement = p["care_arrangement"]
        return cls(
            id=strawberry.ID(p["id"]),
            from_municipality=p["from_municipality"],
            to_municipality=p["to_municipality"],
            status=RelocationStatus(p["status"]),
            note=p["note"],
            child_first_name=p["child_first_name"],
            child_age=p["child_age"],
            child_languages=p["child_languages"],
            proposed_by=p["proposed_by"],
            proposed_at=datetime.fromisoformat(p["proposed_at"]),
            decided_by=p["decided_by"],
            decided_at=optional_datetime(p["decided_at"]),
            decline_reason=p["decline_reason"],
            care_arrangement=CareArrangement(arrangement) if arrangement else None,
            relocated_on=optional_date(p["relocated_on"]),
            child_id=p["child_id"],
        )

    @strawberry.field(description="The child, where it lives now and if you may see it.")
    async def child(self, info: Info) -> Child | None:
        payload = await info.context.loaders.child.load(uuid.UUID(self.child_id))
        return Child.from_payload(payload) if payload else None
