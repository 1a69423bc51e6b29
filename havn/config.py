"""Settings from the environment (HAVN_*), one object shared by every process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("intake", "care", "community", "transition")


class Settings(BaseSettings):
    """What every Havn process reads from `HAVN_*` variables."""

    model_config = SettingsConfigDict(env_prefix="HAVN_", extra="ignore")

    env: Literal["dev", "test", "prod"] = "prod"
    data_dir: Path = PROJECT_ROOT / ".havn"

    # The application role (owns nothing, cannot bypass RLS) and the owner role (migrations).
    database_url: str | None = None
    database_owner_url: str | None = None
    nats_url: str | None = None

    # Identity: the realm's issuer; the dev identity provider serves it under `make run`.
    issuer: str = "http://127.0.0.1:8180/realms/havn"
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

    # Where the gateway finds each service; defaults to host and port above.
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

    # JetStream delivery attempts before a message is parked as a dead letter.
    max_deliver: int = Field(default=5, ge=1)

    # How long a service keeps a mutation's Idempotency-Key and response (API.md: 24 h).
    idempotency_retention_hours: int = Field(default=24, ge=1)

    def service_url(self, service: str) -> str:
        """Returns the base URL the gateway uses to reach one service."""
        configured: str | None = getattr(self, f"{service}_url")
        return configured or f"http://{self.host}:{getattr(self, f'{service}_port')}"


@lru_cache
def get_settings() -> Settings:
    """Returns the process-wide settings, read once."""
    return Settings()
