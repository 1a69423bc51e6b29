"""SIGKILL under load: a stream of settlements while each kind of process is killed in turn.

The stack is `havn run` itself (tests.chaos.driver): the supervisor and its processes, a
data directory and ports of its own. `make chaos` runs the same with many more kills.
"""

from __future__ import annotations

from pathlib import Path

from tests.chaos.driver import KINDS, havn_run, run_chaos


async def test_every_acknowledged_child_is_applied_once_and_every_killed_process_comes_back(
    tmp_path: Path,
) -> None:
    # given `havn run`, one of each, and clients settling children through the gateway
    async with havn_run(tmp_path / "havn") as stack:
        # when a service, the gateway, NATS and PostgreSQL are killed in turn
        report = await run_chaos(stack, list(KINDS), pause=1.0)

    print("\n".join(report.lines()))
    # then every process came back by itself, and every settlement a client saw
    # acknowledged is in care, transition and community once, nothing was parked on the way;
    # retried changes had one effect
    assert report.unrecovered == []
    assert report.tally.acknowledged > 0
    assert report.tally.lost == {}
    assert report.tally.duplicated == {}
    assert report.tally.dead_letters == {}


async def test_replicas_on_a_nats_cluster_apply_each_child_once_and_publish_each_milestone_once(
    tmp_path: Path,
) -> None:
    # given two replicas of every service on one database, and three NATS servers
    async with havn_run(tmp_path / "havn", replicas=2, nats_cluster=3) as stack:
        assert sum(p.kind == "service" for p in stack.processes()) == 8
        assert sum(p.kind == "NATS" for p in stack.processes()) == 3

        # when one NATS server is killed, and a service replica, while children settle
        report = await run_chaos(stack, ["NATS", "service"], pause=1.0)

    print("\n".join(report.lines()))
    # then each child is applied once everywhere, nothing was parked, and its due milestone
    # was published once
    assert report.unrecovered == []
    assert report.tally.acknowledged > 0
    assert report.tally.lost == {}
    assert report.tally.duplicated == {}
    assert report.tally.dead_letters == {}
    assert report.tally.milestones_published == report.tally.acknowledged
