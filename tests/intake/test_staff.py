"""The municipality's staff: a user becomes one whom tasks can be given to by acting there
(a change), never by reading, so a read costs no write. A contact person, who changes
nothing in intake, is known to work there (havn.staff) by looking its children up."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from havn.auth import Role
from havn.db import scoped_transaction
from havn.staff import holds_role
from services.intake import repository
from tests.client import TestRealm
from tests.security.fresh_realm import register_fresh_municipalities, run_callers

READS = ("/v1/children", "/v1/capacity", "/v1/staff", "/v1/relocations")


@dataclass(frozen=True)
class Municipality:
    """A fresh municipality whose users have never used Havn."""

    number: str
    run: str
    realm: TestRealm
    intake_url: str

    def user(self, kind: str) -> str:
        return f"fz{self.run}-{self.number}-{kind}"

    def intake(self, kind: str) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {self.realm.token(self.user(kind))}"}
        return httpx.AsyncClient(base_url=self.intake_url, headers=headers)


@pytest.fixture
async def fresh(stack, gql) -> AsyncIterator[Municipality]:
    run = uuid.uuid4().hex[:6]
    (number,) = await register_fresh_municipalities(gql, run, 1)
    gql.realm.add(run_callers(run, (number,), {}))
    yield Municipality(number, run, gql.realm, f"http://127.0.0.1:{stack.settings.intake_port}")


async def known(sessionmaker, fresh: Municipality, kind: str, role: Role) -> tuple[bool, bool]:
    """Whether the user is on intake's staff list, and whether its role is noted there."""
    username = fresh.user(kind)
    async with scoped_transaction(sessionmaker, tenant=fresh.number) as session:
        staff = await repository.staff_usernames(session, fresh.number)
        noted = await holds_role(session, username=username, role=role)
    return username in staff, noted


async def test_a_read_notes_no_staff_member_and_a_write_does(fresh, app_sessionmaker):
    coordinator = Role.SETTLEMENT_COORDINATOR
    async with fresh.intake("coordinator") as http:
        # when a coordinator who has never used Havn only reads, through routes of every kind
        for path in READS:
            assert (await http.get(path)).status_code == 200, path
        # then nothing of it is written: not on the staff list, no role noted
        assert await known(app_sessionmaker, fresh, "coordinator", coordinator) == (False, False)
        # when it records its care places (a change)
        response = await http.put(
            "/v1/capacity/care-places/GROUP_HOME", json={"places": 2, "free": 2}
        )
        assert response.status_code == 200, response.text
    # then it is one of the municipality's staff, with its role
    assert await known(app_sessionmaker, fresh, "coordinator", coordinator) == (True, True)


async def test_a_contact_person_looking_up_children_is_known_to_work_in_the_municipality(
    fresh, app_sessionmaker
):
    # when a contact person who has never used Havn looks its children up in intake
    async with fresh.intake("contact") as http:
        assert (await http.get("/v1/children")).status_code == 200
    # then its role there is noted (care may assign it), though it is no task owner
    noted = await known(app_sessionmaker, fresh, "contact", Role.CONTACT_PERSON)
    assert noted == (False, True)
