"""Education: the child's school, class level and Norwegian level as they are now."""

from __future__ import annotations

from datetime import date

from havn.errors import InvalidInput
from havn.text import required_text
from havn.vocabulary import NorwegianLevel
from services.care.models import Child, Education


def record_education(
    child: Child,
    education: Education | None,
    *,
    school: str,
    class_level: str,
    norwegian_level: NorwegianLevel,
    started_on: date,
) -> Education:
    """The child's school as it is now: the existing record changed, or a new one."""
    if started_on < child.date_of_birth:
        raise InvalidInput("the start date is before the child's birth", field="started_on")
    education = education or Education(child_id=child.id, tenant_id=child.tenant_id)
    education.school = required_text(school, field="school", message="the school is required")
    education.class_level = required_text(
        class_level, field="class_level", message="the class level is required"
    )
    education.norwegian_level = norwegian_level.value
    education.started_on = started_on
    return education
