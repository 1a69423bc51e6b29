"""The child as community knows it: the basic facts intake shares, and what it likes to do."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from havn.events.contracts import ChildSettledV1, ChildUpdatedV1
from services.community.domain.text import check_words
from services.community.models import Child


def age_on(date_of_birth: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def project_settled_child(*, settled: ChildSettledV1, tenant_id: str) -> Child:
    """The child as community first knows it: no interests until the child is asked."""
    return Child(
        id=settled.child_id,
        tenant_id=tenant_id,
        first_name=settled.first_name,
        date_of_birth=settled.date_of_birth,
        languages=list(settled.languages),
        interests=[],
        revision=settled.revision,
    )


def apply_child_update(child: Child, *, updated: ChildUpdatedV1) -> None:
    """Keeps the basic facts in step with intake's record; interests are the child's own."""
    child.first_name = updated.first_name
    child.date_of_birth = updated.date_of_birth
    child.languages = list(updated.languages)


def set_interests(child: Child, *, interests: Sequence[str]) -> None:
    """What the child said it would like to do."""
    child.interests = check_words(interests, field="interests")
