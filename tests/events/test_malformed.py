"""A malformed message is parked at once as a dead letter the operator sees, never dropped."""

from __future__ import annotations

import uuid

from nats.js import JetStreamContext

from havn.auth import Role
from havn.db import scoped_transaction
from havn.events.dead_letters import list_dead_letters
from havn.events.envelope import STREAM, Envelope
from tests.events.conftest import Runner, Scratch, counting_handler
from tests.events.test_dead_letters import operator_client
from tests.waiting import eventually

SUBJECT = "havn.probe.counter.incremented.4601"


async def settled(js: JetStreamContext, durable: str) -> None:
    await eventually(
        lambda: js.consumer_info(STREAM, durable),
        lambda info: info.num_ack_pending == 0 and info.num_pending == 0,
    )


async def test_a_message_that_is_no_envelope_is_a_dead_letter_only_the_operator_lists_not_replays(
    scratch: Scratch, runner: Runner, js: JetStreamContext
):
    seen: list[Envelope] = []
    group, [durable] = await runner.consumers(counting_handler(scratch, seen))

    await js.publish(SUBJECT, b"\xffnot an envelope {")
    [dead_letter] = await eventually(scratch.dead_letters, bool)
    await settled(js, durable)

    # parked at its first delivery, without a tenant or event id it does not have
    assert seen == []
    assert (dead_letter.tenant_id, dead_letter.event_id) == (None, None)
    assert dead_letter.subject == SUBJECT
    assert dead_letter.deliveries == 1
    assert dead_letter.error_type == "ValidationError"
    assert dead_letter.payload == "\ufffdnot an envelope {"
    async with await operator_client(group, Role.PLATFORM_ADMIN) as client:
        listed = await client.get("/v1/dead-letters")
        replayed = await client.post(f"/v1/dead-letters/{dead_letter.id}/replay")
    assert listed.status_code == 200
    [item] = listed.json()["items"]
    assert item["id"] == str(dead_letter.id)
    assert (item["tenant"], item["event_id"], item["event_type"]) == (None, None, None)
    # there is no event to replay: the operator is told so, nothing runs
    assert replayed.status_code == 409 and replayed.json()["code"] == "CONFLICT"
    assert seen == []
    # a municipality's own view (row-level security) does not include it
    async with scoped_transaction(scratch.sessionmaker, tenant="4601") as session:
        page = await list_dead_letters(session, scratch.tables.dead_letters, first=10, after=None)
    assert page.items == []


async def test_an_envelope_whose_data_breaks_its_contract_is_parked_at_once(
    scratch: Scratch, runner: Runner, js: JetStreamContext
):
    seen: list[Envelope] = []
    group, [durable] = await runner.consumers(counting_handler(scratch, seen), max_deliver=5)
    envelope = Envelope(
        type="probe.counter.incremented",
        version=1,
        tenant="4601",
        actor="tester",
        data={"counter_id": str(uuid.uuid4()), "amount": "lots"},
    )

    await js.publish(envelope.subject, envelope.model_dump_json().encode())
    [dead_letter] = await eventually(scratch.dead_letters, bool)
    await settled(js, durable)

    assert seen == []
    assert (dead_letter.tenant_id, dead_letter.event_id) == ("4601", envelope.id)
    assert dead_letter.deliveries == 1
    assert dead_letter.error_type == "ValidationError"
    async with await operator_client(group, Role.PLATFORM_ADMIN) as client:
        listed = await client.get("/v1/dead-letters")
    [item] = listed.json()["items"]
    assert (item["tenant"], item["event_type"]) == ("4601", "probe.counter.incremented")
