"""The municipality's staff: a user becomes one whom tasks can be given to by acting there
(a change), never by reading, so a read costs no write."""

from __future__ import annotations

import uuid

import httpx
import pytest

from havn.auth import Role
from havn.db import scoped_transaction
from havn.staff import holds_role
from services.intake import repository
from tests.security.fresh_realm import RunRealm, register_fresh_municipalities, run_callers


async def test_a_read_notes_no_staff_member_and_a_write_does(
    stack, gql, app_sessionmaker, tmp_path: pytest.TempPathFactory
):
    # given a coordinator of a fresh municipality, who has never used Havn
    run = uuid.uuid4().hex[:6]
    (tenant,) = await register_fresh_municipalities(gql, run, 1)
    realm = RunRealm(stack, tmp_path, run_callers(run, (tenant,), {}))
    coordinator = f"fz{run}-{tenant}-coordinator"
    headers = {"Authorization": f"Bearer {realm.token(coordinator)}"}
    port = stack.settings.intake_port

    async def is_staff() -> tuple[bool, bool]:
        async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
            staff = await repository.staff_usernames(session, tenant)
            role = await holds_role(session, username=coordinator, role=Role.SETTLEMENT_COORDINATOR)
        return coordinator in staff, role

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers) as http:
        # when it only reads, through routes of every kind
        for path in ("/v1/children", "/v1/capacity", "/v1/staff", "/v1/relocations"):
            assert (await http.get(path)).status_code == 200, path
        # then it is not noted as staff: no row in intake's list nor in its roles
        assert await is_staff() == (False, False)
        # when it records its care places (a change)
        response = await http.put(
            "/v1/capacity/care-places/GROUP_HOME", json={"places": 2, "free": 2}
        )
        assert response.status_code == 200, response.text
    # then it is one of the municipality's staff, with its role
    assert await is_staff() == (True, True)
