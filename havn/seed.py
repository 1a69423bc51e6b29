"""Demo data for `make run`, created through the public API with the dev users' tokens."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from havn.clock import Clock
from havn.config import Settings

DEMO_MUNICIPALITIES = {"4601": "Bergen", "3203": "Asker", "5501": "Tromsø", "4621": "Voss"}
DEV_PASSWORD = "dev"  # noqa: S105 - the dev realm's published password (API.md)

# (municipality, full name, age in years, nationality, languages, how far it gets)
DEMO_MINORS = [
    ("4601", "Amina Rahimi", 16, "AF", ["prs", "en"], "arrived"),
    ("4601", "Yonas Tesfay", 15, "ER", ["ti"], "arrived"),
    ("4601", "Layla Haddad", 16, "SY", ["ar", "en"], "accepted"),
    ("4601", "Mohammed Nuur", 14, "SO", ["so"], "pending"),
    ("3203", "Olena Kovalenko", 15, "UA", ["uk", "ru"], "arrived"),
    ("3203", "Zahra Ahmadi", 17, "AF", ["fa"], "pending"),
]


class Seeder:
    def __init__(self, settings: Settings, http: httpx.Client) -> None:
        self.settings = settings
        self.http = http
        self.tokens: dict[str, str] = {}
        self.gateway = f"http://{settings.host}:{settings.gateway_port}/graphql"

    def token(self, username: str) -> str:
        if username not in self.tokens:
            response = self.http.post(
                f"{self.settings.issuer}/protocol/openid-connect/token",
                data={
                    "grant_type": "password",
                    "client_id": "havn-cli",
                    "username": username,
                    "password": DEV_PASSWORD,
                },
            )
            response.raise_for_status()
            self.tokens[username] = response.json()["access_token"]
        return self.tokens[username]

    def graphql(self, username: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post(
            self.gateway,
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {self.token(username)}"},
        )
        body: dict[str, Any] = response.json()
        if body.get("errors"):
            raise RuntimeError(f"seeding failed: {body['errors']}")
        data: dict[str, Any] = body["data"]
        return data

    def already_seeded(self) -> bool:
        response = self.http.get(
            f"{self.settings.service_url('intake')}/v1/municipalities",
            headers={"Authorization": f"Bearer {self.token('platform-admin')}"},
        )
        response.raise_for_status()
        return bool(response.json()["items"])

    def register_municipalities(self) -> None:
        for number, name in DEMO_MUNICIPALITIES.items():
            self.http.put(
                f"{self.settings.service_url('intake')}/v1/municipalities/{number}",
                json={"number": number, "name": name},
                headers={"Authorization": f"Bearer {self.token('platform-admin')}"},
            ).raise_for_status()

    def settle(self, today: date) -> None:
        coordinators = {"4601": "bergen-coordinator", "3203": "asker-coordinator"}
        for municipality, name, age, nationality, languages, stage in DEMO_MINORS:
            referral = self.graphql(
                "imdi-allocator",
                CREATE,
                {
                    "input": {
                        "municipality": municipality,
                        "fullName": name,
                        "dateOfBirth": (today - timedelta(days=age * 365 + 40)).isoformat(),
                        "sex": "F"
                        if name.split()[0] in {"Amina", "Layla", "Olena", "Zahra"}
                        else "M",
                        "nationality": nationality,
                        "languages": languages,
                        "respondBy": (today + timedelta(days=10)).isoformat(),
                    }
                },
            )["createReferral"]
            if stage == "pending":
                continue
            coordinator = coordinators[municipality]
            self.graphql(
                coordinator,
                ACCEPT,
                {
                    "id": referral["id"],
                    "input": {"plannedArrival": today.isoformat(), "careArrangement": "GROUP_HOME"},
                },
            )
            if stage == "arrived":
                self.graphql(coordinator, ARRIVE, {"id": referral["id"], "on": today.isoformat()})


CREATE = "mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }"
ACCEPT = (
    "mutation($id: ID!, $input: AcceptReferralInput!) "
    "{ acceptReferral(id: $id, input: $input) { id } }"
)
ARRIVE = (
    "mutation($id: ID!, $on: Date!) { registerArrival(referralId: $id, arrivedOn: $on) { id } }"
)


def seed_demo(settings: Settings, clock: Clock | None = None) -> bool:
    """Seeds the demo municipalities and minors once; returns whether it seeded now."""
    with httpx.Client(timeout=30) as http:
        seeder = Seeder(settings, http)
        if seeder.already_seeded():
            return False
        seeder.register_municipalities()
        seeder.settle((clock or Clock()).today())
    return True
