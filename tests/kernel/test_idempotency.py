"""Every service mutation honours an Idempotency-Key, stored with the change, per caller."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.routing import iter_route_contexts
from sqlalchemy import func, insert, select, text

from havn.clock import Clock
from havn.config import SERVICES
from havn.db import scoped_transaction
from havn.events.retention import RetentionSweep
from havn.events.tables import system_transaction
from havn.idempotency import (
    MUTATING_METHODS,
    REPLAYED_HEADER,
    IdempotencyStore,
    IdempotentRoute,
    claim_idempotency_key,
    idempotency_purge,
    key_lock,
)
from services.intake.models import Referral, idempotency_keys
from tests.factories import referral_input

BATCH_READ = "a read of a page of ids, a POST only because the ids do not fit a URL"
# Every POST, PUT, PATCH and DELETE route that does not honour Idempotency-Key, and why.
EXEMPT = {
    ("POST", "/v1/dead-letters/{dead_letter_id}/replay"): (
        "a platform operator's replay outside any tenant's unit of work; a second replay "
        "is refused by the dead letter's replayed_at"
    ),
    ("DELETE", "/v1/dead-letters/{dead_letter_id}"): (
        "a platform operator's discard outside any tenant's unit of work; a second discard "
        "finds nothing and is NOT_FOUND"
    ),
    ("POST", "/v1/referrals/batch"): BATCH_READ,
    ("POST", "/v1/children/batch"): BATCH_READ,
    ("POST", "/v1/care/batch"): BATCH_READ,
    ("POST", "/v1/care-plan-versions/batch"): BATCH_READ,
    ("POST", "/v1/follow-up-notes/batch"): BATCH_READ,
    ("POST", "/v1/follow-up-notes/counts/batch"): BATCH_READ,
    ("POST", "/v1/health/batch"): BATCH_READ,
    ("POST", "/v1/education/batch"): BATCH_READ,
    ("POST", "/v1/meetings/batch"): BATCH_READ,
    ("POST", "/v1/enrolments/batch"): BATCH_READ,
    ("POST", "/v1/attendance/batch"): BATCH_READ,
    ("POST", "/v1/partner/children/batch"): BATCH_READ,
    ("POST", "/v1/transitions/batch"): BATCH_READ,
    ("POST", "/v1/transitions/summaries/batch"): BATCH_READ,
    ("POST", "/v1/phases/batch"): BATCH_READ,
}


def mutating_routes(stack):
    for service in SERVICES:
        for route in iter_route_contexts(stack.apps[service].routes):
            for method in sorted((route.methods or set()) & MUTATING_METHODS):
                yield service, method, route


def honours_keys(route) -> bool:
    original = route.original_route
    return (
        isinstance(original, IdempotentRoute)
        and original.keyed
        and any(d.call is claim_idempotency_key for d in route.dependant.dependencies)
    )


def test_every_mutating_service_route_honours_idempotency_keys_unless_exempt(stack):
    bypassing = [
        f"{service} {method} {route.path}"
        for service, method, route in mutating_routes(stack)
        if (method, route.path) not in EXEMPT and not honours_keys(route)
    ]
    assert bypassing == []


def test_every_exempt_route_exists_and_really_bypasses_the_keys(stack):
    bypassing = {
        (method, route.path)
        for _, method, route in mutating_routes(stack)
        if not honours_keys(route)
    }
    assert set(EXEMPT) == bypassing


def subject_of(token: str) -> str:
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return str(claims["sub"])


async def referrals_named(app_sessionmaker, full_name: str) -> int:
    async with scoped_transaction(app_sessionmaker, tenant="4601") as session:
        count = await session.scalar(
            select(func.count()).select_from(Referral).where(Referral.full_name == full_name)
        )
    return int(count or 0)


def referral_body(stack, name: str) -> dict[str, object]:
    sent = referral_input(stack.clock.today(), fullName=name)
    return {
        "municipality": sent["municipality"],
        "full_name": sent["fullName"],
        "date_of_birth": sent["dateOfBirth"],
        "sex": sent["sex"],
        "nationality": sent["nationality"],
        "languages": sent["languages"],
        "respond_by": sent["respondBy"],
    }


async def create_referral(gql, stack, name: str, key: str):
    return await gql.service(
        "imdi-allocator",
        "intake",
        "POST",
        "/v1/referrals",
        json=referral_body(stack, name),
        headers={"Idempotency-Key": key},
    )


async def test_a_repeated_keyed_call_answers_the_stored_response_without_running_the_route(
    gql, stack, app_sessionmaker
):
    name, key = f"Stored {uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    first = await create_referral(gql, stack, name, key)
    again = await create_referral(gql, stack, name, key)

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers[REPLAYED_HEADER] == "true"
    assert REPLAYED_HEADER not in first.headers
    assert await referrals_named(app_sessionmaker, name) == 1


async def test_the_key_and_response_are_stored_with_the_change_for_the_caller(
    gql, stack, system_sessionmaker
):
    name, key = f"Row {uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    created = await create_referral(gql, stack, name, key)
    async with system_transaction(system_sessionmaker) as session:
        row = (
            await session.execute(select(idempotency_keys).where(idempotency_keys.c.key == key))
        ).one()
    assert (row.tenant_id, row.subject) == ("", subject_of(await gql.token("imdi-allocator")))
    assert (row.status_code, row.response_body) == (201, created.content)


async def test_a_key_still_in_flight_is_a_conflict_and_runs_nothing(gql, stack, app_sessionmaker):
    name, key = f"In flight {uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    subject = subject_of(await gql.token("imdi-allocator"))
    # Another request with the key holds its lock: this transaction plays that request.
    async with app_sessionmaker() as session, session.begin():
        await session.execute(
            select(func.pg_advisory_xact_lock(key_lock(idempotency_keys, "", subject, key)))
        )
        refused = await create_referral(gql, stack, name, key)
    later = await create_referral(gql, stack, name, key)

    assert refused.status_code == 409
    assert refused.json() | {"message": ""} == {
        "code": "CONFLICT",
        "message": "",
        "field": "Idempotency-Key",
    }
    assert later.status_code == 201
    assert await referrals_named(app_sessionmaker, name) == 1


async def test_the_same_key_for_another_request_is_bad_user_input(gql, stack, app_sessionmaker):
    name, key = f"Other {uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    await create_referral(gql, stack, name, key)
    other = await create_referral(gql, stack, f"{name} B", key)

    assert other.status_code == 422
    assert (other.json()["code"], other.json()["field"]) == ("BAD_USER_INPUT", "Idempotency-Key")
    assert await referrals_named(app_sessionmaker, f"{name} B") == 0


@pytest.mark.parametrize("key", ["", "with space", "x" * 129, '"unterminated', "semi;colon"])
async def test_a_malformed_key_is_bad_user_input(gql, stack, app_sessionmaker, key):
    name = f"Malformed {uuid.uuid4().hex[:8]}"
    refused = await create_referral(gql, stack, name, key)

    assert refused.status_code == 422
    assert refused.json()["field"] == "Idempotency-Key"
    assert await referrals_named(app_sessionmaker, name) == 0


async def test_a_quoted_key_is_the_same_key_as_the_bare_one(gql, stack, app_sessionmaker):
    name, key = f"Quoted {uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    await create_referral(gql, stack, name, f'"{key}"')
    again = await create_referral(gql, stack, name, key)

    assert again.headers[REPLAYED_HEADER] == "true"
    assert await referrals_named(app_sessionmaker, name) == 1


async def stored_row(session, *, subject: str, key: str, created_at: datetime) -> None:
    await session.execute(
        insert(idempotency_keys).values(
            tenant_id="4601",
            subject=subject,
            key=key,
            fingerprint="f",
            status_code=200,
            response_body=b"{}",
            created_at=created_at,
        )
    )


async def keys_named(system_sessionmaker, keys: list[str]) -> set[str]:
    async with system_transaction(system_sessionmaker) as session:
        found = await session.scalars(
            select(idempotency_keys.c.key).where(idempotency_keys.c.key.in_(keys))
        )
        return set(found)


async def test_the_purge_deletes_keys_older_than_the_retention_and_keeps_younger_ones(
    system_sessionmaker,
):
    now = datetime.now(UTC)
    old, young = f"old-{uuid.uuid4()}", f"young-{uuid.uuid4()}"
    async with system_transaction(system_sessionmaker) as session:
        await stored_row(session, subject="a", key=old, created_at=now - timedelta(hours=25))
        await stored_row(session, subject="b", key=young, created_at=now - timedelta(hours=23))

    sweep = RetentionSweep(
        system_sessionmaker,
        [idempotency_purge(IdempotencyStore(idempotency_keys, timedelta(hours=24)))],
        Clock(),
        interval=60,
    )
    purged = (await sweep.run_once())["idempotency keys"]

    assert purged >= 1
    assert await keys_named(system_sessionmaker, [old, young]) == {young}


async def test_a_caller_sees_only_its_own_keys(app_sessionmaker, system_sessionmaker):
    key = f"mine-{uuid.uuid4()}"
    async with system_transaction(system_sessionmaker) as session:
        await stored_row(session, subject="owner", key=key, created_at=datetime.now(UTC))

    async def seen_by(subject: str) -> int:
        async with scoped_transaction(app_sessionmaker, tenant="4601") as session:
            await session.execute(
                text("select set_config('havn.caller', :s, true)"), {"s": subject}
            )
            count = await session.scalar(
                select(func.count())
                .select_from(idempotency_keys)
                .where(idempotency_keys.c.key == key)
            )
        return int(count or 0)

    assert await seen_by("owner") == 1
    assert await seen_by("someone-else") == 0


async def test_a_key_older_than_the_retention_is_fresh_even_before_the_purge(
    gql, stack, app_sessionmaker
):
    name, key = f"Lapsed {uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    first = await create_referral(gql, stack, name, key)
    moved = stack.apps["intake"].state.idempotency.retention + timedelta(minutes=1)
    stack.clock.advance(moved)
    try:
        later = await create_referral(gql, stack, name, key)
    finally:
        stack.clock.advance(-moved)

    assert later.status_code == 201
    assert REPLAYED_HEADER not in later.headers
    assert later.json()["id"] != first.json()["id"]
    assert await referrals_named(app_sessionmaker, name) == 2
