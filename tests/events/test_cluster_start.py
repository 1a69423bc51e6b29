"""A service starting while its NATS cluster cannot answer (no quorum, no meta leader) keeps
asking, and has its consumers once the cluster answers: it does not exit."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from havn.events.consumer import ConsumerGroup, Subscription
from havn.events.credentials import ADMIN
from havn.events.envelope import STREAM
from havn.events.stream import connect, ensure_stream, until_answered
from havn.nats_cluster import EmbeddedNatsCluster
from tests.events.conftest import PROBE_SUBJECTS, Scratch, counting_handler
from tests.waiting import eventually


async def test_a_service_starting_while_its_cluster_has_no_quorum_waits_and_then_consumes(
    tmp_path: Path, scratch: Scratch
) -> None:
    # given a three-server cluster with the stream, two of whose servers are away: without
    # a quorum JetStream answers nothing
    cluster = EmbeddedNatsCluster(tmp_path / "nats", size=3, sync_always=False)
    first, *others = cluster.nodes
    for node in cluster.nodes:
        node.server.start()
    # As `havn run` does, services start once every server is in the cluster (healthz).
    await eventually(
        lambda: asyncio.to_thread(lambda: all(node.healthy() for node in cluster.nodes)),
        bool,
        within=60,
        interval=0.2,
    )
    client, js = await connect(
        cluster.url, user=ADMIN, credentials_dir=first.server.credentials_dir
    )
    durable = f"probe-{uuid.uuid4().hex[:8]}"
    group = ConsumerGroup(
        scratch.system_sessionmaker,
        scratch.tables.inbox,
        scratch.tables.dead_letters,
        js,
        [Subscription(durable, PROBE_SUBJECTS, counting_handler(scratch, []))],
    )
    try:
        await ensure_stream(js, replicas=3)
        for node in others:
            node.server.stop()

        # when a service starts its consumers
        starting = asyncio.create_task(group.start())
        await asyncio.sleep(3)
        # then it is still asking, not failed
        assert not starting.done()

        # when the other two servers are back
        for node in others:
            node.server.start()

        # then its consumer is set up on the replicated stream
        await asyncio.wait_for(starting, 60)
        # (asked as the service asks: a cluster still electing the stream's leader answers late)
        stream = await until_answered(lambda: js.stream_info(STREAM), "the stream")
        consumer = await until_answered(lambda: js.consumer_info(STREAM, durable), "the consumer")
        assert stream.config.num_replicas == 3
        assert consumer.name == durable
    finally:
        await group.stop()
        await client.close()
        for node in cluster.nodes:
            node.server.stop()
