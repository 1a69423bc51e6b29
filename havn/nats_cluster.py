"""An embedded NATS JetStream cluster for `havn run` (HAVN_NATS_CLUSTER=3): servers on loopback.

Each server is an `EmbeddedNats` with a store of its own and a `cluster` block routing to
the others (`cluster_config`, the one place the cluster's configuration is written); the
HAVN stream is replicated on three of them (HAVN_STREAM_REPLICAS=3), so one server may
die and come back while the others go on electing, storing and delivering.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from havn.embedded import EmbeddedNats, free_ports
from havn.events.credentials import BusPermissions

CLUSTER_NAME = "havn"
# A server may say it is healthy only once it knows the JetStream meta leader.
HEALTH_TIMEOUT_SECONDS = 0.5


def cluster_config(*, route_port: int, peer_route_ports: list[int], monitor_port: int) -> str:
    """The part of one server's configuration that makes it a member of the cluster."""
    routes = ", ".join(f"nats-route://127.0.0.1:{port}" for port in peer_route_ports)
    return (
        f"http: 127.0.0.1:{monitor_port}\n"
        f"cluster {{\n  name: {CLUSTER_NAME}\n  listen: 127.0.0.1:{route_port}\n"
        f"  routes: [{routes}]\n}}\n"
    )


@dataclass
class ClusterNode:
    """One server of the cluster and the monitoring port that tells whether it is healthy."""

    server: EmbeddedNats
    monitor_port: int

    def healthy(self) -> bool:
        """Whether the server serves JetStream: up, in the cluster, the meta leader known."""
        url = f"http://127.0.0.1:{self.monitor_port}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=HEALTH_TIMEOUT_SECONDS) as answer:
                return bool(answer.status == 200)
        except (urllib.error.URLError, OSError):
            return False


@dataclass
class EmbeddedNatsCluster:
    """`size` NATS servers under `root` (node-1, node-2, …), routed to each other."""

    root: Path
    size: int = 3
    sync_always: bool = True
    # Who may sign in, and where their seeds are: the same for every server.
    permissions: Mapping[str, BusPermissions] = field(default_factory=dict)
    credentials: Path | None = None
    nodes: list[ClusterNode] = field(init=False)

    def __post_init__(self) -> None:
        ports = free_ports(3 * self.size)
        clients, routes, monitors = (
            ports[: self.size],
            ports[self.size : 2 * self.size],
            ports[2 * self.size :],
        )
        self.nodes = [
            ClusterNode(
                EmbeddedNats(
                    self.root / f"node-{number}" / "jetstream",
                    port=clients[index],
                    sync_always=self.sync_always,
                    permissions=self.permissions,
                    credentials=self.credentials or self.root / "credentials",
                    server_name=f"havn-{number}",
                    extra_config=cluster_config(
                        route_port=routes[index],
                        peer_route_ports=[p for p in routes if p != routes[index]],
                        monitor_port=monitors[index],
                    ),
                ),
                monitors[index],
            )
            for index, number in enumerate(range(1, self.size + 1))
        ]

    @property
    def url(self) -> str:
        """Every server's URL, comma-separated, as HAVN_NATS_URL takes them."""
        return ",".join(node.server.url for node in self.nodes)
