"""Settings from the environment (HAVN_*), one object shared by every process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("intake", "care", "community", "transition")

# How long the `HAVN` stream keeps an event, and how much it may hold in all (README, Retention).
DEFAULT_STREAM_MAX_AGE_DAYS = 30
DEFAULT_STREAM_MAX_BYTES = 10 * 1024**3


class Settings(BaseSettings):
    """What every Havn process reads from `HAVN_*` variables."""

    model_config = SettingsConfigDict(env_prefix="HAVN_", extra="ignore")

    env: Literal["dev", "test", "prod"] = "prod"
    data_dir: Path = PROJECT_ROOT / ".havn"

    # The application role (owns nothing, cannot bypass RLS) and the owner role (migrations).
    database_url: str | None = None
    database_owner_url: str | None = None
    # The system role (the relay, consumers and schedulers: the only role that may see every
    # tenant's event rows) and the statistics role (the only one that may call the national
    # statistics functions). See havn/db.py.
    database_system_url: str | None = None
    database_statistics_url: str | None = None
    # The web client's role: its sessions (users' tokens) and nothing of the services'.
    database_web_url: str | None = None
    nats_url: str | None = None
    # A directory with each service's NATS NKEY seed (`<service>.nk`); a service reads only
    # its own. Unset, services connect without credentials (the URL may carry a user).
    nats_credentials_dir: Path | None = None

    # Identity: the realm's issuer. Unset, it is the dev identity provider's own address,
    # so `HAVN_IDP_PORT` alone moves both (`make run`).
    issuer: str = ""
    audience: str = "havn-gateway"
    realm_file: Path = PROJECT_ROOT / "deploy" / "keycloak" / "havn-realm.json"

    host: str = "127.0.0.1"
    gateway_port: int = 8080
    idp_port: int = 8180
    web_port: int = 8090
    intake_port: int = 8101
    care_port: int = 8102
    community_port: int = 8103
    transition_port: int = 8104

    # Where the gateway finds each service; defaults to host and port above. Several
    # replicas' base URLs may be listed, comma-separated: the gateway takes turns.
    intake_url: str | None = None
    care_url: str | None = None
    community_url: str | None = None
    transition_url: str | None = None

    # Where the realm's keys are fetched when the issuer URL is not reachable from inside
    # (e.g. http://keycloak:8080); tokens must still name `issuer` exactly.
    keycloak_url: str | None = None

    # The full OTLP/HTTP traces URL of a collector, e.g. http://collector:4318/v1/traces.
    otlp_endpoint: str | None = None
    log_level: str = "info"
    database_pool_size: int = Field(default=10, ge=1)
    # JetStream replicas of the HAVN stream: 3 on a production cluster.
    stream_replicas: int = Field(default=1, ge=1, le=5)

    # `havn run` only (README, More than one of each): processes of each service, all on one
    # database, and embedded NATS servers, one alone or a JetStream cluster of three or more.
    replicas: int = Field(default=1, ge=1, le=4)
    nats_cluster: int = Field(default=1, ge=1, le=5)
    # How often the transition service looks for milestones that became due.
    milestone_scan_interval: float = Field(default=60.0, gt=0)

    # JetStream delivery attempts before a message is parked as a dead letter.
    max_deliver: int = Field(default=5, ge=1)
    # An event that cannot be applied yet (its child not here yet, an earlier change of it
    # on its way) is delivered again after a delay doubling from `event_wait_delay` s up to
    # `event_max_wait_delay` s, `event_max_waits` times at most (about 7.5 minutes), then
    # parked as a dead letter.
    event_wait_delay: float = Field(default=0.5, gt=0)
    event_max_wait_delay: float = Field(default=30.0, gt=0)
    event_max_waits: int = Field(default=20, ge=1)

    # Retention (README, Retention): the stream drops events older than `stream_max_age_days`
    # and refuses new ones beyond `stream_max_bytes` (they wait in the outbox, nothing is
    # lost); each service keeps its inbox rows a day longer than the stream keeps events and
    # purges what is due every `retention_sweep_interval` seconds.
    stream_max_age_days: float = Field(default=DEFAULT_STREAM_MAX_AGE_DAYS, gt=0)
    stream_max_bytes: int = Field(default=DEFAULT_STREAM_MAX_BYTES, gt=0)
    retention_sweep_interval: float = Field(default=600.0, gt=0)

    @model_validator(mode="after")
    def _issuer_of_the_dev_identity_provider(self) -> Settings:
        if not self.issuer:
            self.issuer = f"http://127.0.0.1:{self.idp_port}/realms/havn"
        return self

    @model_validator(mode="after")
    def _a_cluster_that_can_elect(self) -> Settings:
        # JetStream replicates by majority: two servers cannot lose one and go on.
        if self.nats_cluster == 2:
            raise ValueError("HAVN_NATS_CLUSTER must be 1 (one server) or 3 or more (a cluster)")
        return self

    # The staff web client (web/): a confidential OIDC client of the realm. Its secret comes
    # from HAVN_WEB_CLIENT_SECRET; under dev and test, from the realm file when unset.
    web_client_id: str = "havn-web"
    web_client_secret: SecretStr | None = None
    # Where the browser reaches the client (redirect URIs, the Origin check); default host:port.
    web_public_url: str | None = None
    # Where the client reaches the gateway; default host:gateway_port.
    web_gateway_url: str | None = None
    # The IdP's discovery document, when the issuer URL is not reachable from inside.
    web_discovery_url: str | None = None
    web_idle_timeout_minutes: int = Field(default=30, ge=2)
    # How long a break-the-glass access lasts (havn.reach): a child opened outside one's
    # reach is reachable this many minutes, then no more.
    break_glass_minutes: int = Field(default=120, ge=1, le=24 * 60)
    web_idle_warning_minutes: int = Field(default=2, ge=1)

    # How long a service keeps a mutation's Idempotency-Key and response (API.md: 24 h).
    idempotency_retention_hours: int = Field(default=24, ge=1)

    def service_url(self, service: str) -> str:
        """Returns the base URL of one service (its first replica's, if several are listed)."""
        return self.service_urls(service)[0]

    def service_urls(self, service: str) -> list[str]:
        """Returns the base URLs of every replica of one service the gateway may call."""
        configured: str | None = getattr(self, f"{service}_url")
        if configured:
            return [url.strip() for url in configured.split(",") if url.strip()]
        return [f"http://{self.host}:{getattr(self, f'{service}_port')}"]

    def web_url(self) -> str:
        """Returns the staff web client's origin as the browser sees it."""
        return (self.web_public_url or f"http://{self.host}:{self.web_port}").rstrip("/")

    def gateway_url(self) -> str:
        """Returns where the staff web client posts GraphQL."""
        return (self.web_gateway_url or f"http://{self.host}:{self.gateway_port}").rstrip("/")

    def discovery_url(self) -> str:
        """Returns the OpenID Connect discovery document of the realm."""
        return self.web_discovery_url or f"{self.issuer}/.well-known/openid-configuration"


@lru_cache
def get_settings() -> Settings:
    """Returns the process-wide settings, read once."""
    return Settings()
