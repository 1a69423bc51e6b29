"""Recording a youth's housing with its flags."""

from __future__ import annotations

from datetime import date

from havn.auth import Role
from havn.db import scoped_transaction
from havn.vocabulary import HousingType
from services.transition.schemas import HousingIn, present_transition
from services.transition.service import housing
from tests.factories import fresh_tenant
from tests.transition.support import CHILD_BORN, CHILD_SETTLED, caller, settle


async def test_housing_is_recorded_with_its_flags(app_sessionmaker):
    # given
    tenant = fresh_tenant()
    child_id = await settle(
        app_sessionmaker, tenant=tenant, date_of_birth=CHILD_BORN, settled_on=CHILD_SETTLED
    )

    # when
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        transition = await housing.record_housing(
            session,
            principal=caller(Role.CASEWORKER, tenant),
            child_id=child_id,
            body=HousingIn(type=HousingType.OWN_FLAT, start_loan=True, housing_allowance=False),
            today=date(2026, 4, 1),
        )
        shown = present_transition(transition, date(2026, 4, 1))

    # then
    assert shown.housing is not None
    assert (shown.housing.type, shown.housing.start_loan, shown.housing.housing_allowance) == (
        HousingType.OWN_FLAT,
        True,
        False,
    )
