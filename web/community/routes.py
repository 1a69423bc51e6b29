"""The volunteer coordinator's screens: partners and agreements, offers, volunteers and their
police certificates, a child's interests, suggestions, enrolments and matches (each with the
child's consent), the belonging overview and funding applications."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.areas import Area, NavItem
from web.capacity.routes import whole_number
from web.community.labels import LABELS
from web.context import Staff, signed_in
from web.graphql import GraphQLResult
from web.i18n import N_
from web.referrals.outcome import blank_to_none, see_other, show

router = APIRouter()
PAGE_SIZE = 50
# Enough offers and volunteers to choose from when enrolling or matching one child.
CHOICES = 100
# An agreement ending within this many days is flagged, so that it is renewed in time.
EXPIRING_WITHIN = timedelta(days=30)
VOLUNTEER_COORDINATION = frozenset({"volunteer-coordinator"})


def words(value: str) -> list[str]:
    """A comma-separated field ("football, chess") as the list the gateway takes."""
    return [word.strip() for word in value.split(",") if word.strip()]


def agreement_state(agreement: dict[str, Any], today: date) -> str:
    """What the coordinator must know of an agreement's validity today."""
    valid_to = date.fromisoformat(agreement["validTo"]) if agreement["validTo"] else None
    if date.fromisoformat(agreement["validFrom"]) > today:
        return "UPCOMING"
    if not agreement["active"]:
        return "ENDED"
    if valid_to is not None and valid_to - today <= EXPIRING_WITHIN:
        return "EXPIRING"
    return "ACTIVE"


def community_page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    failed: GraphQLResult | None = None,
    form: str | None = None,
    sent: dict[str, str] | None = None,
    block: str | None = None,
) -> Response:
    return show(
        request,
        template,
        {**LABELS, "sent": sent or {}, **context},
        failed=failed,
        form=form,
        block=block,
    )


# --- partners and agreements ------------------------------------------------------------


async def partners_page(
    request: Request,
    staff: Staff,
    *,
    partners_after: str | None = None,
    agreements_after: str | None = None,
    failed: GraphQLResult | None = None,
    form: str | None = None,
    sent: dict[str, str] | None = None,
) -> Response:
    result = await staff.query(
        "Partners",
        {
            "first": PAGE_SIZE,
            "partnersAfter": partners_after,
            "agreementsAfter": agreements_after,
        },
    )
    today = staff.parts.clock.today()
    agreements = [
        {**edge["node"], "state": agreement_state(edge["node"], today)}
        for edge in result.data["agreements"]["edges"]
    ]
    return community_page(
        request,
        "community/partners.html",
        {
            "partners": result.data["partners"],
            "agreements": agreements,
            "agreements_page": result.data["agreements"]["pageInfo"],
            "partners_after": partners_after,
            "agreements_after": agreements_after,
            "chosen_partner": request.query_params.get("partner", ""),
        },
        failed=failed,
        form=form,
        sent=sent,
    )


@router.get("/partners")
async def partners(
    request: Request,
    partners_after: str | None = None,
    agreements_after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    """The partners on the platform and this municipality's agreements with them."""
    return await partners_page(
        request, staff, partners_after=partners_after, agreements_after=agreements_after
    )


@router.post("/partners")
async def register_partner(
    request: Request,
    slug: str = Form(""),
    name: str = Form(""),
    kind: str = Form(""),
    staff: Staff = Depends(signed_in),
) -> Response:
    result = await staff.query("RegisterPartner", {"slug": slug, "name": name, "kind": kind})
    if result.ok:
        # On to its agreement: the form below has the partner filled in.
        registered = result.data["registerPartner"]["slug"]
        return see_other(f"/partners?partner={registered}#agreement")
    sent = {"slug": slug, "name": name, "kind": kind}
    return await partners_page(request, staff, failed=result, form="partner", sent=sent)


@router.post("/agreements")
async def create_agreement(
    request: Request,
    partnerSlug: str = Form(""),  # the gateway's names: its errors find the fields
    scope: str = Form(""),
    validFrom: str = Form(""),
    validTo: str = Form(""),
    staff: Staff = Depends(signed_in),
) -> Response:
    result = await staff.query(
        "CreateAgreement",
        {
            "partnerSlug": partnerSlug,
            "scope": scope,
            "validFrom": blank_to_none(validFrom),
            "validTo": blank_to_none(validTo),
        },
    )
    if result.ok:
        return see_other("/partners#agreements")
    sent = {"partnerSlug": partnerSlug, "scope": scope, "validFrom": validFrom, "validTo": validTo}
    return await partners_page(request, staff, failed=result, form="agreement", sent=sent)


# --- offers -----------------------------------------------------------------------------


async def offers_page(
    request: Request,
    staff: Staff,
    *,
    after: str | None = None,
    failed: GraphQLResult | None = None,
    sent: dict[str, str] | None = None,
) -> Response:
    result = await staff.query("Offers", {"first": PAGE_SIZE, "after": after})
    return community_page(
        request,
        "community/offers.html",
        {"offers": result.data["offers"], "after": after},
        failed=failed,
        form="offer",
        sent=sent,
    )


@router.get("/offers")
async def offers(
    request: Request, after: str | None = None, staff: Staff = Depends(signed_in)
) -> Response:
    """The municipality's offers: capacity, free places, tags, languages, schedule."""
    return await offers_page(request, staff, after=after)


@router.post("/offers")
async def create_offer(
    request: Request,
    partnerSlug: str = Form(""),
    title: str = Form(""),
    kind: str = Form(""),
    tags: str = Form(""),
    languages: str = Form(""),
    capacity: str = Form(""),
    schedule: str = Form(""),
    staff: Staff = Depends(signed_in),
) -> Response:
    result = await staff.query(
        "CreateOffer",
        {
            "partnerSlug": partnerSlug,
            "title": title,
            "kind": kind,
            "tags": words(tags),
            "languages": words(languages),
            "capacity": whole_number(capacity),
            "schedule": blank_to_none(schedule),
        },
    )
    if result.ok:
        return see_other("/offers")
    sent = {
        "partnerSlug": partnerSlug,
        "title": title,
        "kind": kind,
        "tags": tags,
        "languages": languages,
        "capacity": capacity,
        "schedule": schedule,
    }
    return await offers_page(request, staff, failed=result, sent=sent)


# --- volunteers -------------------------------------------------------------------------


async def volunteers_page(
    request: Request,
    staff: Staff,
    *,
    after: str | None = None,
    failed: GraphQLResult | None = None,
    form: str | None = None,
    sent: dict[str, str] | None = None,
) -> Response:
    result = await staff.query("Volunteers", {"first": PAGE_SIZE, "after": after})
    # A row's certificate form: the summary links to the field of that row.
    row = form.removeprefix("certificate-") if form and form.startswith("certificate-") else None
    summary = (
        {f"{field}-{row}": message for field, message in failed.field_errors.items()}
        if failed is not None and row
        else None
    )
    return community_page(
        request,
        "community/volunteers.html",
        {
            "volunteers": result.data["volunteers"],
            "limit_months": result.data["communitySettings"]["policeCertificateMonths"],
            "after": after,
            "summary": summary,
        },
        failed=failed,
        form=form,
        sent=sent,
    )


@router.get("/volunteers")
async def volunteers(
    request: Request, after: str | None = None, staff: Staff = Depends(signed_in)
) -> Response:
    """Volunteers with their police certificates: valid until when, or expired."""
    return await volunteers_page(request, staff, after=after)


@router.post("/volunteers")
async def register_volunteer(
    request: Request,
    partnerSlug: str = Form(""),
    kind: str = Form(""),
    name: str = Form(""),
    languages: str = Form(""),
    interests: str = Form(""),
    policeCertificateCheckedOn: str = Form(""),
    staff: Staff = Depends(signed_in),
) -> Response:
    result = await staff.query(
        "RegisterVolunteer",
        {
            "partnerSlug": partnerSlug,
            "kind": kind,
            "name": name,
            "languages": words(languages),
            "interests": words(interests),
            "policeCertificateCheckedOn": blank_to_none(policeCertificateCheckedOn),
        },
    )
    if result.ok:
        return see_other("/volunteers")
    sent = {
        "partnerSlug": partnerSlug,
        "kind": kind,
        "name": name,
        "languages": languages,
        "interests": interests,
        "policeCertificateCheckedOn": policeCertificateCheckedOn,
    }
    return await volunteers_page(request, staff, failed=result, form="volunteer", sent=sent)


@router.post("/volunteers/{volunteer_id}/police-certificate")
async def record_police_certificate(
    request: Request,
    volunteer_id: str,
    checkedOn: str = Form(""),
    staff: Staff = Depends(signed_in),
) -> Response:
    result = await staff.query(
        "RecordPoliceCertificate",
        {"volunteerId": volunteer_id, "checkedOn": blank_to_none(checkedOn)},
    )
    if result.ok:
        return see_other(f"/volunteers#volunteer-{volunteer_id}")
    return await volunteers_page(
        request,
        staff,
        failed=result,
        form=f"certificate-{volunteer_id}",
        sent={"checkedOn": checkedOn},
    )


# --- a child's belonging ----------------------------------------------------------------


@router.get("/community/children")
async def children(
    request: Request, after: str | None = None, staff: Staff = Depends(signed_in)
) -> Response:
    """The municipality's children, basic profile only, each linking to its belonging."""
    result = await staff.query("CommunityChildren", {"first": PAGE_SIZE, "after": after})
    return community_page(
        request,
        "community/children.html",
        {"children": result.data["children"], "after": after},
        block="results",
    )


async def child_page(
    request: Request,
    staff: Staff,
    child_id: str,
    *,
    failed: GraphQLResult | None = None,
    form: str | None = None,
    sent: dict[str, str] | None = None,
) -> Response:
    result = await staff.query("CommunityChild", {"id": child_id, "first": PAGE_SIZE})
    return community_page(
        request,
        "community/child.html",
        {
            "child": result.data["child"],
            "matches": [edge["node"] for edge in result.data["matches"]["edges"]],
            "suggestions": result.data["suggestions"],
        },
        failed=failed,
        form=form,
        sent=sent,
    )


@router.get("/community/children/{child_id}")
async def child(request: Request, child_id: str, staff: Staff = Depends(signed_in)) -> Response:
    """A child's interests, suggestions with their reasons, enrolments and matches."""
    return await child_page(request, staff, child_id)


@router.post("/community/children/{child_id}/interests")
async def set_interests(
    request: Request,
    child_id: str,
    interests: str = Form(""),
    staff: Staff = Depends(signed_in),
) -> Response:
    result = await staff.query(
        "SetChildInterests", {"childId": child_id, "interests": words(interests)}
    )
    if result.ok:
        return see_other(f"/community/children/{child_id}#suggestions")
    return await child_page(
        request, staff, child_id, failed=result, form="interests", sent={"interests": interests}
    )


async def end_for_child(
    request: Request, staff: Staff, child_id: str, operation: str, record_id: str, form: str
) -> Response:
    result = await staff.query(operation, {"id": record_id})
    if result.ok:
        return see_other(f"/community/children/{child_id}#{form}")
    return await child_page(request, staff, child_id, failed=result, form=form)


@router.post("/community/children/{child_id}/enrolments/{enrolment_id}/end")
async def end_enrolment(
    request: Request, child_id: str, enrolment_id: str, staff: Staff = Depends(signed_in)
) -> Response:
    """Ends the enrolment today: the partner's grant to the child closes with it."""
    return await end_for_child(request, staff, child_id, "EndEnrolment", enrolment_id, "enrolments")


@router.post("/community/children/{child_id}/matches/{match_id}/end")
async def end_match(
    request: Request, child_id: str, match_id: str, staff: Staff = Depends(signed_in)
) -> Response:
    return await end_for_child(request, staff, child_id, "EndMatch", match_id, "matches")


def choices(suggested: list[dict[str, Any]], others: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The suggested first (best fit first), then the rest; each once."""
    seen = {item["id"] for item in suggested}
    return suggested + [item for item in others if item["id"] not in seen]


async def enrol_page(
    request: Request,
    staff: Staff,
    child_id: str,
    offer_id: str,
    *,
    failed: GraphQLResult | None = None,
    consent: bool = False,
) -> Response:
    result = await staff.query("EnrolmentConsent", {"id": child_id, "first": CHOICES})
    suggested = [s["offer"] for s in result.data["suggestions"]["offers"]]
    free = result.data["belongingOverview"]["offersWithFreePlaces"]["edges"]
    return community_page(
        request,
        "community/enrol.html",
        {
            "child": result.data["child"],
            "offers": choices(suggested, [edge["node"] for edge in free]),
            "suggested_ids": {offer["id"] for offer in suggested},
        },
        failed=failed,
        form="enrol",
        sent={"offerId": offer_id, "consentGiven": "true" if consent else ""},
    )


@router.get("/community/children/{child_id}/enrol")
async def enrol_form(
    request: Request, child_id: str, offer: str = "", staff: Staff = Depends(signed_in)
) -> Response:
    """The consent step: the offer chosen, and the child asked before it is enrolled."""
    return await enrol_page(request, staff, child_id, offer)


@router.post("/community/children/{child_id}/enrol")
async def enrol(
    request: Request,
    child_id: str,
    offerId: str = Form(""),
    consentGiven: bool = Form(False),
    staff: Staff = Depends(signed_in),
) -> Response:
    result = await staff.query(
        "Enrol", {"childId": child_id, "offerId": offerId, "consentGiven": consentGiven}
    )
    if result.ok:
        return see_other(f"/community/children/{child_id}#enrolments")
    return await enrol_page(request, staff, child_id, offerId, failed=result, consent=consentGiven)


async def match_page(
    request: Request,
    staff: Staff,
    child_id: str,
    volunteer_id: str,
    *,
    failed: GraphQLResult | None = None,
    consent: bool = False,
) -> Response:
    result = await staff.query("MatchConsent", {"id": child_id, "first": CHOICES})
    suggested = [s["volunteer"] for s in result.data["suggestions"]["volunteers"]]
    certified = [
        edge["node"]
        for edge in result.data["volunteers"]["edges"]
        if edge["node"]["policeCertificateValid"]
    ]
    return community_page(
        request,
        "community/match.html",
        {
            "child": result.data["child"],
            "volunteers": choices(suggested, certified),
            "suggested_ids": {volunteer["id"] for volunteer in suggested},
        },
        failed=failed,
        form="match",
        sent={"volunteerId": volunteer_id, "consentGiven": "true" if consent else ""},
    )


@router.get("/community/children/{child_id}/match")
async def match_form(
    request: Request, child_id: str, volunteer: str = "", staff: Staff = Depends(signed_in)
) -> Response:
    """The consent step for a match with a volunteer (only certified ones are offered)."""
    return await match_page(request, staff, child_id, volunteer)


@router.post("/community/children/{child_id}/match")
async def match(
    request: Request,
    child_id: str,
    volunteerId: str = Form(""),
    consentGiven: bool = Form(False),
    staff: Staff = Depends(signed_in),
) -> Response:
    result = await staff.query(
        "MatchVolunteer",
        {"childId": child_id, "volunteerId": volunteerId, "consentGiven": consentGiven},
    )
    if result.ok:
        return see_other(f"/community/children/{child_id}#matches")
    return await match_page(
        request, staff, child_id, volunteerId, failed=result, consent=consentGiven
    )


# --- belonging and funding --------------------------------------------------------------


@router.get("/belonging")
async def belonging(
    request: Request,
    children_after: str | None = None,
    offers_after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    """Children with neither an activity nor a mentor, and the offers with free places."""
    result = await staff.query(
        "Belonging",
        {"first": PAGE_SIZE, "childrenAfter": children_after, "offersAfter": offers_after},
    )
    return community_page(
        request,
        "community/belonging.html",
        {
            "overview": result.data["belongingOverview"],
            "children_after": children_after,
            "offers_after": offers_after,
        },
    )


async def funding_page(
    request: Request,
    staff: Staff,
    *,
    after: str | None = None,
    failed: GraphQLResult | None = None,
    form: str | None = None,
    sent: dict[str, str] | None = None,
) -> Response:
    result = await staff.query("Funding", {"first": PAGE_SIZE, "after": after})
    return community_page(
        request,
        "community/funding.html",
        {
            "totals": result.data["fundingTotals"],
            "applications": result.data["fundingApplications"],
            "pending": [edge["node"] for edge in result.data["pending"]["edges"]],
            "after": after,
            "today": staff.parts.clock.today().isoformat(),
        },
        failed=failed,
        form=form,
        sent=sent,
    )


@router.get("/funding")
async def funding(
    request: Request, after: str | None = None, staff: Staff = Depends(signed_in)
) -> Response:
    """Funding applications to foundations, with the municipality's totals."""
    return await funding_page(request, staff, after=after)


@router.post("/funding")
async def apply_for_funding(
    request: Request,
    foundation: str = Form(""),
    purpose: str = Form(""),
    amountNok: str = Form(""),
    appliedOn: str = Form(""),
    staff: Staff = Depends(signed_in),
) -> Response:
    result = await staff.query(
        "ApplyForFunding",
        {
            "foundation": foundation,
            "purpose": purpose,
            "amountNok": whole_number(amountNok),
            "appliedOn": blank_to_none(appliedOn),
        },
    )
    if result.ok:
        return see_other("/funding")
    sent = {
        "foundation": foundation,
        "purpose": purpose,
        "amountNok": amountNok,
        "appliedOn": appliedOn,
    }
    return await funding_page(request, staff, failed=result, form="apply", sent=sent)


@router.post("/funding/decision")
async def decide_funding(
    request: Request,
    id: str = Form(""),
    status: str = Form(""),
    decisionOn: str = Form(""),
    grantedNok: str = Form(""),
    staff: Staff = Depends(signed_in),
) -> Response:
    result = await staff.query(
        "DecideFunding",
        {
            "id": id,
            "status": status,
            "decisionOn": blank_to_none(decisionOn),
            "grantedNok": whole_number(grantedNok),
        },
    )
    if result.ok:
        return see_other("/funding")
    sent = {"id": id, "status": status, "decisionOn": decisionOn, "grantedNok": grantedNok}
    return await funding_page(request, staff, failed=result, form="decide", sent=sent)


AREA = Area(
    name="community",
    router=router,
    nav=(
        NavItem(N_("Partners"), "/partners", VOLUNTEER_COORDINATION),
        NavItem(N_("Offers"), "/offers", VOLUNTEER_COORDINATION),
        NavItem(N_("Volunteers"), "/volunteers", VOLUNTEER_COORDINATION),
        NavItem(N_("Children and belonging"), "/community/children", VOLUNTEER_COORDINATION),
        NavItem(N_("Belonging overview"), "/belonging", VOLUNTEER_COORDINATION),
        NavItem(N_("Funding"), "/funding", VOLUNTEER_COORDINATION),
    ),
)
