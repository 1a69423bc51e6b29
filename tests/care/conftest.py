"""Fixtures of care's route tests: the staff they assign must have signed in first."""

from __future__ import annotations

import pytest

from havn.db import scoped_transaction
from services.care import policy
from tests.care.routes_support import CONTACT, OTHER_CONTACT, Sessionmaker
from tests.factories import BERGEN


@pytest.fixture(scope="module")
async def contact_persons_have_signed_in(app_sessionmaker: Sessionmaker) -> None:
    """Bergen's two contact persons have used Havn, so they can be assigned."""
    for contact in (CONTACT, OTHER_CONTACT):
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            await policy.note_staff_member(contact, session)
