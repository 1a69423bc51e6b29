"""The preparation checklist: owners, notes, done and undone, ready for arrival, arrival."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import ACCEPT_REFERRAL, COMPLETE_TASK, REGISTER_ARRIVAL, create_referral

UPDATE_TASK = """
mutation($id: ID!, $task: PreparationTaskKind!, $input: PreparationTaskInput!) {
  updatePreparationTask(referralId: $id, task: $task, input: $input) {
    preparation { kind owner notes done } } }"""
REOPEN = """
mutation($id: ID!, $task: PreparationTaskKind!) {
  reopenPreparationTask(referralId: $id, task: $task) {
    readyForArrival openTasks preparation { kind done doneBy } } }"""
CHECKLIST = """
query($id: ID!) { referral(id: $id) {
  readyForArrival openTasks plannedArrival preparation { kind dueOn done owner } } }"""
PRE_ARRIVAL = ("HOUSING", "GUARDIAN", "INTERPRETER")


def task(referral: dict, kind: str) -> dict:
    return next(t for t in referral["preparation"] if t["kind"] == kind)


@pytest.fixture
async def accepted(gql, stack) -> dict:
    today = stack.clock.today()
    referral = await create_referral(gql, today)
    planned = today + timedelta(days=20)
    await gql(
        "bergen-coordinator",
        ACCEPT_REFERRAL,
        {
            "id": referral["id"],
            "input": {"plannedArrival": planned.isoformat(), "careArrangement": "GROUP_HOME"},
        },
    )
    return {**referral, "plannedArrival": planned}


async def test_tasks_are_due_around_the_planned_arrival(gql, accepted):
    data = (await gql("bergen-coordinator", CHECKLIST, {"id": accepted["id"]}))["referral"]
    planned: date = accepted["plannedArrival"]
    assert task(data, "HOUSING")["dueOn"] == (planned - timedelta(days=14)).isoformat()
    assert task(data, "SCHOOL")["dueOn"] == (planned + timedelta(days=14)).isoformat()
    assert data["openTasks"] == 7 and not data["readyForArrival"]


async def test_a_task_is_given_to_a_user_of_the_municipality_with_notes(gql, accepted):
    # given the caseworker has acted in Havn in Bergen (a read would not make them staff)
    await gql("bergen-caseworker", COMPLETE_TASK, {"id": accepted["id"], "task": "GP"})
    # when the coordinator gives housing to the caseworker, with a note
    data = await gql(
        "bergen-coordinator",
        UPDATE_TASK,
        {
            "id": accepted["id"],
            "task": "HOUSING",
            "input": {"owner": "bergen-caseworker", "notes": "Flat in Årstad, key on Monday"},
        },
    )
    housing = task(data["updatePreparationTask"], "HOUSING")
    assert housing["owner"] == "bergen-caseworker"
    assert housing["notes"] == "Flat in Årstad, key on Monday"
    # and clearing the notes keeps the owner
    data = await gql(
        "bergen-coordinator",
        UPDATE_TASK,
        {"id": accepted["id"], "task": "HOUSING", "input": {"notes": None}},
    )
    housing = task(data["updatePreparationTask"], "HOUSING")
    assert (housing["owner"], housing["notes"]) == ("bergen-caseworker", None)


@pytest.mark.parametrize("owner", ["nobody-at-all", "asker-caseworker"])
async def test_a_task_owner_from_outside_the_municipality_is_refused(gql, accepted, owner):
    await gql("asker-caseworker", "{ children(first: 1) { totalCount } }")
    body = await gql.raw(
        "bergen-coordinator",
        UPDATE_TASK,
        {"id": accepted["id"], "task": "GP", "input": {"owner": owner}},
    )
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "owner"}
    data = (await gql("bergen-coordinator", CHECKLIST, {"id": accepted["id"]}))["referral"]
    assert task(data, "GP")["owner"] is None


async def test_ready_for_arrival_once_the_tasks_due_before_it_are_done_and_undone_again(
    gql, accepted
):
    for kind in PRE_ARRIVAL:
        await gql("bergen-coordinator", COMPLETE_TASK, {"id": accepted["id"], "task": kind})
    data = (await gql("bergen-coordinator", CHECKLIST, {"id": accepted["id"]}))["referral"]
    assert data["readyForArrival"] and data["openTasks"] == 4

    reopened = await gql("bergen-coordinator", REOPEN, {"id": accepted["id"], "task": "HOUSING"})

    result = reopened["reopenPreparationTask"]
    assert not result["readyForArrival"]
    assert task(result, "HOUSING") == {"kind": "HOUSING", "done": False, "doneBy": None}


async def test_arrival_with_open_tasks_is_allowed_and_reports_them(gql, stack, accepted):
    # given only housing is done
    await gql("bergen-coordinator", COMPLETE_TASK, {"id": accepted["id"], "task": "HOUSING"})
    # when the child arrives anyway
    data = await gql(
        "bergen-coordinator",
        """mutation($id: ID!, $on: Date!) { registerArrival(referralId: $id, arrivedOn: $on) {
             id openPreparationTasks { kind done dueOn } } }""",
        {"id": accepted["id"], "on": stack.clock.today().isoformat()},
    )
    # then it is settled, and the six open tasks come back on the result
    open_tasks = data["registerArrival"]["openPreparationTasks"]
    assert {t["kind"] for t in open_tasks} == {
        "GUARDIAN",
        "SCHOOL",
        "GP",
        "HEALTH_CHECK",
        "INTERPRETER",
        "BANK_ACCOUNT",
    }
    # and tasks due after arrival can still be completed
    done = await gql("bergen-coordinator", COMPLETE_TASK, {"id": accepted["id"], "task": "SCHOOL"})
    assert task(done["completePreparationTask"], "SCHOOL")["done"]


async def test_a_pending_referral_has_no_checklist(gql, stack):
    referral = await create_referral(gql, stack.clock.today())
    body = await gql.raw("bergen-coordinator", COMPLETE_TASK, {"id": referral["id"], "task": "GP"})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "CONFLICT" and "PENDING" in error["message"]


async def test_the_allocator_sees_the_status_but_not_the_checklist(gql, accepted):
    data = await gql(
        "imdi-allocator",
        "query($id: ID!) { referral(id: $id) { status preparation { kind owner } } }",
        {"id": accepted["id"]},
    )
    assert data["referral"] == {"status": "ACCEPTED", "preparation": []}


async def test_another_arrival_of_a_registered_child_is_a_conflict(gql, stack, accepted):
    # The same arrival sent again is a retry and answers the child (tests/gateway/test_idempotency).
    on = stack.clock.today()
    await gql("bergen-coordinator", REGISTER_ARRIVAL, {"id": accepted["id"], "on": on.isoformat()})
    other_day = (on - timedelta(days=1)).isoformat()
    body = await gql.raw(
        "bergen-coordinator", REGISTER_ARRIVAL, {"id": accepted["id"], "on": other_day}
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "CONFLICT" and "ARRIVED" in error["message"]
