"""Demo data for `make run`: a child in every phase, made through the public API.

Everything is created with the dev users' tokens through the gateway, so every event flows
and every service's projection agrees, with dates chosen relative to today:

The minors and how far along each one is taken: cli/demo_minors.py.

History cannot be made through the API: a referral is made today, and a child arrives
no earlier than its referral. So the seed dates back the making (and for the overdue one,
the answer-by date) of those referrals in intake's own table, as their history would have
it, before their child arrives; everything after goes through the API. Dates of birth of
the 18-year-old are corrected after arrival (updateChild), as a caseworker would.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from cli.demo_minors import ALI_AGE_DAYS, ASKER, BERGEN, DEMO_MINORS, Minor
from havn.clock import Clock
from havn.config import Settings

DEMO_MUNICIPALITIES = {"4601": "Bergen", "3203": "Asker", "5501": "Tromsø", "4621": "Voss"}
DEV_PASSWORD = "dev"  # noqa: S105 - the dev realm's published password (API.md)
COORDINATORS = {BERGEN: "bergen-coordinator", ASKER: "asker-coordinator"}
CASEWORKERS = {BERGEN: "bergen-caseworker", ASKER: "asker-caseworker"}
PARTNER_SLUG = "sos-barnebyer"
# How long the seed waits for a service to learn of a settled child (events, milliseconds).
PROJECTION_WAIT_SECONDS = 20.0


class SeedingFailed(RuntimeError):
    pass


class Seeder:
    """Talks to the running stack as its dev users do: tokens, then GraphQL."""

    def __init__(self, settings: Settings, http: httpx.AsyncClient, today: date) -> None:
        self.settings = settings
        self.http = http
        self.today = today
        self.tokens: dict[str, str] = {}
        self.gateway = f"http://{settings.host}:{settings.gateway_port}/graphql"
        self.children: dict[str, str] = {}  # full name -> child id
        self.referrals: dict[str, str] = {}  # full name -> referral id

    def day(self, offset: int) -> str:
        return (self.today + timedelta(days=offset)).isoformat()

    async def token(self, username: str) -> str:
        if username not in self.tokens:
            response = await self.http.post(
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

    async def graphql(
        self, username: str, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        response = await self.http.post(
            self.gateway,
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {await self.token(username)}"},
        )
        body: dict[str, Any] = response.json()
        if body.get("errors"):
            raise SeedingFailed(f"seeding failed as {username}: {body['errors']}")
        data: dict[str, Any] = body["data"]
        return data

    async def once_known(
        self, username: str, query: str, variables: dict[str, Any]
    ) -> dict[str, Any]:
        """Retries an act on a child until the service it goes to has learned of the child
        (child.settled arrives a few milliseconds after the arrival is registered)."""
        deadline = time.monotonic() + PROJECTION_WAIT_SECONDS
        while True:
            try:
                return await self.graphql(username, query, variables)
            except SeedingFailed as failed:
                if "NOT_FOUND" not in str(failed) or time.monotonic() > deadline:
                    raise
            await asyncio.sleep(0.05)

    async def service(self, username: str, service: str, method: str, path: str, **kw: Any) -> Any:
        response = await self.http.request(
            method,
            f"{self.settings.service_url(service)}{path}",
            headers={"Authorization": f"Bearer {await self.token(username)}"},
            **kw,
        )
        response.raise_for_status()
        return response.json()

    async def already_seeded(self) -> bool:
        body = await self.service("platform-admin", "intake", "GET", "/v1/municipalities")
        return bool(body["items"])

    async def register_municipalities(self) -> None:
        for number, name in DEMO_MUNICIPALITIES.items():
            await self.service(
                "platform-admin",
                "intake",
                "PUT",
                f"/v1/municipalities/{number}",
                json={"number": number, "name": name},
            )

    async def record_capacity(self) -> None:
        await self.graphql(
            "bergen-admin",
            "mutation($y: Int!) "
            "{ recordSettlementDecision(year: $y, minors: 30) { municipality } }",
            {"y": self.today.year},
        )
        for arrangement, places, free in (
            ("GROUP_HOME", 12, 8),
            ("FOSTER_HOME", 6, 3),
            ("SUPPORTED_LODGING", 8, 5),
        ):
            await self.graphql(
                "bergen-admin",
                "mutation($a: CareArrangement!, $p: Int!, $f: Int!) "
                "{ recordCarePlaces(careArrangement: $a, places: $p, free: $f) { municipality } }",
                {"a": arrangement, "p": places, "f": free},
            )

    async def refer(self, minor: Minor, history: Callable[..., Awaitable[None]]) -> None:
        referral = (
            await self.graphql(
                "imdi-allocator",
                CREATE,
                {
                    "input": {
                        "municipality": minor.municipality,
                        "fullName": minor.full_name,
                        "dateOfBirth": self.day(-minor.age_days),
                        "sex": minor.sex,
                        "nationality": minor.nationality,
                        "languages": minor.languages,
                        "respondBy": self.day(10),
                    }
                },
            )
        )["createReferral"]
        self.referrals[minor.full_name] = referral["id"]
        if minor.stage == "overdue":
            await history(minor.municipality, referral["id"], made=-20, respond_by=-3)
        if minor.stage in ("pending", "overdue"):
            return
        coordinator = COORDINATORS[minor.municipality]
        arrives = -minor.settled_days_ago if minor.stage == "arrived" else 14
        if arrives < 0:
            # The referral was made, and accepted, some weeks before the child came.
            await history(minor.municipality, referral["id"], made=arrives - 30, respond_by=None)
        await self.graphql(
            coordinator,
            ACCEPT,
            {
                "id": referral["id"],
                "input": {
                    "plannedArrival": self.day(max(arrives, 0)),
                    "careArrangement": minor.arrangement,
                },
            },
        )
        done = ("HOUSING", "GUARDIAN") if minor.stage == "preparation" else TASKS
        for task in done:
            await self.graphql(coordinator, COMPLETE, {"id": referral["id"], "task": task})
        if minor.stage == "arrived":
            child = await self.graphql(
                coordinator, ARRIVE, {"id": referral["id"], "on": self.day(arrives)}
            )
            self.children[minor.full_name] = child["registerArrival"]["id"]

    async def follow_up_in_care(self) -> None:
        caseworker = CASEWORKERS[BERGEN]
        amina, hana = self.children["Amina Rahimi"], self.children["Hana Ahmed"]
        # bergen-contact signs in and looks at their caseload: Havn now knows them as a
        # contact person in Bergen, so they can be assigned.
        await self.graphql("bergen-contact", "{ children(first: 1) { totalCount } }")
        for child in (amina, hana):
            await self.once_known(caseworker, ASSIGN, {"id": child, "who": "bergen-contact"})
        await self.graphql(
            caseworker,
            CARE_PLAN,
            {
                "id": amina,
                "input": {
                    "goals": [
                        {
                            "domain": "education",
                            "description": "Start in the introductory class at Årstad",
                            "measures": ["school place", "Norwegian lessons"],
                            "responsible": "bergen-caseworker",
                            "reviewOn": self.day(60),
                        },
                        {
                            "domain": "leisure",
                            "description": "Play football with a team",
                            "measures": ["find a club near the group home"],
                            "responsible": "bergen-contact",
                            "reviewOn": self.day(90),
                        },
                    ],
                    "childsOwnWords": "I want to go to school and play football.",
                },
            },
        )
        await self.graphql(caseworker, APPROVE, {"id": amina})
        await self.graphql(
            caseworker,
            ASSESS,
            {
                "id": hana,
                "input": {
                    "scores": [
                        {"domain": "health", "score": 4},
                        {"domain": "education", "score": 3},
                        {"domain": "language", "score": 2},
                    ],
                    "childsOwnWords": "School is hard but I like my foster family.",
                    "notes": "Settling well; Norwegian is slow.",
                },
            },
        )

    async def partner_and_enrolment(self) -> None:
        organiser = "bergen-volunteers"
        await self.graphql(
            organiser,
            "mutation($i: PartnerInput!) { registerPartner(input: $i) { slug } }",
            {"i": {"slug": PARTNER_SLUG, "name": "SOS-barnebyer", "kind": "NGO"}},
        )
        await self.graphql(
            organiser,
            "mutation($i: AgreementInput!) { createAgreement(input: $i) { id } }",
            {
                "i": {
                    "partnerSlug": PARTNER_SLUG,
                    "scope": "Leisure activities and mentors for young refugees",
                    "validFrom": self.day(-365),
                    "validTo": self.day(730),
                }
            },
        )
        offer = await self.graphql(
            organiser,
            "mutation($i: OfferInput!) { createOffer(input: $i) { id } }",
            {
                "i": {
                    "partnerSlug": PARTNER_SLUG,
                    "title": "Football on Tuesdays",
                    "tags": ["football", "sport"],
                    "capacity": 12,
                    "languages": ["en", "so"],
                    "schedule": "Tuesdays 17:00",
                }
            },
        )
        hana = self.children["Hana Ahmed"]
        await self.once_known(
            organiser,
            "mutation($c: ID!, $o: ID!) "
            "{ enrol(childId: $c, offerId: $o, consentGiven: true) { id } }",
            {"c": hana, "o": offer["createOffer"]["id"]},
        )

    async def transition(self) -> None:
        caseworker = CASEWORKERS[BERGEN]
        sara, ali, omar = (self.children[n] for n in ("Sara Haile", "Ali Rezaei", "Omar Yusuf"))
        await self.graphql(
            "bergen-coordinator",
            "mutation($id: ID!, $i: ChildProfileInput!) { updateChild(id: $id, input: $i) { id } }",
            {"id": ali, "i": {"dateOfBirth": self.day(-ALI_AGE_DAYS)}},
        )
        await self.once_known(
            caseworker,
            "mutation($id: ID!, $i: TransitionPlanInput!) "
            "{ writeTransitionPlan(childId: $id, input: $i) { planOpensOn } }",
            {
                "id": sara,
                "i": {
                    "goals": [
                        {
                            "domain": "HOUSING",
                            "description": "A flat of her own near school",
                            "status": "IN_PROGRESS",
                        },
                        {
                            "domain": "EDUCATION",
                            "description": "Finish upper secondary, health track",
                            "status": "IN_PROGRESS",
                        },
                    ],
                    "youthsOwnWords": "I want to become a nurse.",
                },
            },
        )
        for milestone, status in ((1, "INTRODUCTION_PROGRAMME"), (2, "EDUCATION")):
            await self.once_known(
                caseworker,
                "mutation($id: ID!, $i: OutcomeInput!) "
                "{ recordOutcome(childId: $id, input: $i) { milestoneYears } }",
                {"id": omar, "i": {"milestoneYears": milestone, "status": status}},
            )


TASKS = ("HOUSING", "GUARDIAN", "SCHOOL", "GP", "HEALTH_CHECK", "INTERPRETER", "BANK_ACCOUNT")
CREATE = "mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }"
ACCEPT = (
    "mutation($id: ID!, $input: AcceptReferralInput!) "
    "{ acceptReferral(id: $id, input: $input) { id } }"
)
COMPLETE = (
    "mutation($id: ID!, $task: PreparationTaskKind!) "
    "{ completePreparationTask(referralId: $id, task: $task) { id } }"
)
ARRIVE = (
    "mutation($id: ID!, $on: Date!) { registerArrival(referralId: $id, arrivedOn: $on) { id } }"
)
ASSIGN = (
    "mutation($id: ID!, $who: String!) "
    "{ assignContactPerson(childId: $id, username: $who) { contactPerson } }"
)
CARE_PLAN = (
    "mutation($id: ID!, $input: CarePlanInput!) "
    "{ updateCarePlan(childId: $id, input: $input) { status } }"
)
APPROVE = "mutation($id: ID!) { approveCarePlan(childId: $id) { status } }"
ASSESS = (
    "mutation($id: ID!, $input: AssessmentInput!) "
    "{ recordAssessment(childId: $id, input: $input) { nextDueOn } }"
)


async def date_back_referral(
    owner_url: str,
    *,
    tenant: str,
    referral_id: str,
    made_on: date,
    respond_by: date | None = None,
) -> None:
    """Dates back when a referral was made (and when it was to be answered by), as the owner:
    the history of a demo (or a test) that the API, which makes referrals today, cannot."""
    engine = create_async_engine(owner_url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("select set_config('havn.tenant', :t, true)"), {"t": tenant})
            await conn.execute(
                text(
                    "update intake.referrals set created_at = :made,"
                    " respond_by = coalesce(:respond_by, respond_by) where id = :id"
                ),
                {
                    "made": datetime.combine(made_on, clock_time(10), tzinfo=UTC),
                    "respond_by": respond_by,
                    "id": referral_id,
                },
            )
    finally:
        await engine.dispose()


async def seed_demo(settings: Settings, clock: Clock | None = None) -> bool:
    """Seeds the demo municipalities and a minor in every phase, once; returns whether it did."""
    if settings.database_owner_url is None:
        raise SeedingFailed("the demo seed needs HAVN_DATABASE_OWNER_URL to date referrals back")
    today = (clock or Clock()).today()
    owner_url = settings.database_owner_url

    async def date_back(
        tenant: str, referral_id: str, *, made: int, respond_by: int | None
    ) -> None:
        await date_back_referral(
            owner_url,
            tenant=tenant,
            referral_id=referral_id,
            made_on=today + timedelta(days=made),
            respond_by=today + timedelta(days=respond_by) if respond_by is not None else None,
        )

    async with httpx.AsyncClient(timeout=30) as http:
        seeder = Seeder(settings, http, today)
        if await seeder.already_seeded():
            return False
        await seeder.register_municipalities()
        await seeder.record_capacity()
        for minor in DEMO_MINORS:
            await seeder.refer(minor, date_back)
        await seeder.follow_up_in_care()
        await seeder.partner_and_enrolment()
        await seeder.transition()
    return True
