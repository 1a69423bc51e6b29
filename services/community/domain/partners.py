"""Partner organisations: registered once for the whole platform, named by a slug."""

from __future__ import annotations

import re
import uuid

from havn.errors import Conflict, InvalidInput
from services.community.domain.kinds import PartnerKind, parse_kind
from services.community.domain.text import check_text
from services.community.models import Partner

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def register_partner(*, slug: str, name: str, kind: str) -> Partner:
    """A new partner organisation; the slug is how partner users' tokens name it (`org`)."""
    slug = slug.strip().lower()
    if not SLUG.match(slug) or len(slug) > 60:
        raise InvalidInput(
            "slug must be lower-case letters and digits joined by single hyphens", field="slug"
        )
    return Partner(
        id=uuid.uuid4(),
        slug=slug,
        name=check_text(name, field="name"),
        kind=parse_kind(PartnerKind, kind).value,
    )


def check_same_partner(existing: Partner, *, kind: str) -> None:
    """Registering a known partner again names the same organisation, or it is a conflict."""
    if existing.kind != parse_kind(PartnerKind, kind).value:
        raise Conflict(f"partner '{existing.slug}' is already registered as a {existing.kind}")
