"""Community rules without a database: consent, places, agreements, certificates, grants,
suggestions and funding."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from havn.errors import Conflict, InvalidInput
from havn.events.contracts import ChildSettledV1
from services.community.domain import enrolments
from services.community.domain.agreements import (
    active_agreement,
    agreement_is_active,
    open_agreement,
)
from services.community.domain.attendance import record_attendance
from services.community.domain.children import project_settled_child, set_interests
from services.community.domain.enrolments import end_enrolment, enrolment_is_active
from services.community.domain.funding import apply_for_funding, decide_funding
from services.community.domain.grants import close_grant, grant_is_effective
from services.community.domain.matches import match_volunteer
from services.community.domain.offers import NewOffer, create_offer
from services.community.domain.partners import register_partner
from services.community.domain.suggestions import suggest_offers, suggest_volunteers
from services.community.domain.volunteers import (
    NewVolunteer,
    police_certificate_is_valid,
    police_certificate_valid_until,
    record_police_certificate,
    register_volunteer,
)
from services.community.models import Agreement, Enrolment, Offer, Partner, Volunteer
from tests.factories import BERGEN, child_settled

TODAY = date(2027, 3, 1)
NOW = datetime(2027, 3, 1, 10, tzinfo=UTC)


def a_child(interests: list[str] | None = None, languages: list[str] | None = None):
    child = project_settled_child(
        settled=ChildSettledV1.from_envelope(child_settled()), tenant_id=BERGEN
    )
    child.interests = interests or []
    if languages is not None:
        child.languages = languages
    return child


def a_partner() -> Partner:
    return register_partner(slug="sos-barnebyer", name="SOS-barnebyer", kind="NGO")


def an_agreement(valid_to: date | None = None) -> Agreement:
    return open_agreement(
        tenant_id=BERGEN,
        partner=a_partner(),
        scope="mentoring",
        valid_from=date(2027, 1, 1),
        valid_to=valid_to,
    )


def an_offer(
    title: str = "Football",
    tags: list[str] | None = None,
    languages: list[str] | None = None,
    capacity: int = 10,
) -> Offer:
    return create_offer(
        tenant_id=BERGEN,
        partner=a_partner(),
        new=NewOffer(
            kind="LEISURE",
            title=title,
            tags=tags or [],
            languages=languages or [],
            capacity=capacity,
            schedule=None,
        ),
    )


def a_volunteer(checked_on: date | None, name: str = "Kari", interests=None, languages=None):
    return register_volunteer(
        tenant_id=BERGEN,
        partner=a_partner(),
        new=NewVolunteer(
            kind="MENTOR",
            name=name,
            languages=languages or [],
            interests=interests or [],
            police_certificate_checked_on=checked_on,
        ),
        today=TODAY,
    )


def enrol(**overrides):
    values = {
        "child": a_child(),
        "offer": an_offer(capacity=2),
        "partner": a_partner(),
        "agreement": an_agreement(valid_to=date(2027, 12, 31)),
        "active_enrolments": 0,
        "already_enrolled": False,
        "consent_given": True,
        "by": "bergen-volunteers",
        "today": TODAY,
        "now": NOW,
    }
    values.update(overrides)
    return enrolments.enrol(**values)


def test_a_settled_child_is_kept_with_no_interests_until_asked():
    # given
    settled = ChildSettledV1.from_envelope(child_settled())

    # when
    child = project_settled_child(settled=settled, tenant_id=BERGEN)

    # then
    assert (child.id, child.tenant_id, child.first_name) == (settled.child_id, BERGEN, "Amina")
    assert (child.date_of_birth, child.languages, child.interests) == (
        date(2010, 5, 17),
        ["prs", "en"],
        [],
    )


@pytest.mark.parametrize(
    ("started_on", "ended_on", "active"),
    [
        (date(2027, 1, 10), None, True),
        (date(2027, 1, 10), date(2027, 6, 1), True),
        (date(2027, 1, 10), date(2027, 3, 1), False),
        (date(2027, 1, 10), date(2027, 2, 28), False),
        (date(2027, 3, 2), None, False),
    ],
)
def test_an_enrolment_is_active_from_its_start_until_the_day_it_ends(started_on, ended_on, active):
    # given today is 1 March 2027
    enrolment = Enrolment(
        tenant_id=BERGEN,
        child_id=uuid.uuid4(),
        offer_id=uuid.uuid4(),
        started_on=started_on,
        ended_on=ended_on,
    )

    # when / then
    assert enrolment_is_active(enrolment=enrolment, today=TODAY) is active


def test_an_enrolment_opens_a_basic_grant_for_the_offers_partner_until_the_agreement_ends():
    # given
    child, partner = a_child(), a_partner()

    # when
    enrolment, grant = enrol(child=child, partner=partner)

    # then
    assert (enrolment.child_id, enrolment.started_on, enrolment.ended_on) == (child.id, TODAY, None)
    assert enrolment.consent_recorded_by == "bergen-volunteers"
    assert (grant.child_id, grant.partner_id, grant.scope) == (child.id, partner.id, "basic")
    assert (grant.source, grant.source_id, grant.expires_on) == (
        "enrolment",
        enrolment.id,
        date(2027, 12, 31),
    )


def test_an_enrolment_without_the_childs_consent_is_bad_input():
    with pytest.raises(InvalidInput) as refused:
        enrol(consent_given=False)
    assert refused.value.field == "consent_given"


def test_an_enrolment_beyond_the_offers_capacity_is_a_conflict():
    with pytest.raises(Conflict, match="full"):
        enrol(active_enrolments=2)


def test_a_child_cannot_be_enrolled_twice_in_the_same_offer():
    with pytest.raises(Conflict, match="already enrolled"):
        enrol(already_enrolled=True)


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "active"),
    [
        (date(2027, 1, 1), None, True),
        (date(2027, 1, 1), date(2027, 3, 1), True),
        (date(2027, 1, 1), date(2027, 2, 28), False),
        (date(2027, 3, 2), None, False),
    ],
)
def test_an_agreement_is_in_force_from_its_first_to_its_last_day(valid_from, valid_to, active):
    agreement = open_agreement(
        tenant_id=BERGEN, partner=a_partner(), scope="x", valid_from=valid_from, valid_to=valid_to
    )
    assert agreement_is_active(agreement, today=TODAY) is active


def test_without_an_agreement_in_force_a_partner_cannot_work_with_children():
    expired = an_agreement(valid_to=date(2027, 2, 28))
    with pytest.raises(Conflict, match="no active agreement"):
        active_agreement([expired], partner=a_partner(), today=TODAY)


def test_an_agreement_that_ends_before_it_starts_is_bad_input():
    with pytest.raises(InvalidInput) as refused:
        open_agreement(
            tenant_id=BERGEN,
            partner=a_partner(),
            scope="x",
            valid_from=date(2027, 2, 1),
            valid_to=date(2027, 1, 1),
        )
    assert refused.value.field == "valid_to"


@pytest.mark.parametrize(
    ("checked_on", "limit", "valid"),
    [
        (None, 36, False),
        (date(2024, 3, 1), 36, True),
        (date(2024, 2, 29), 36, False),
        (date(2026, 4, 1), 12, True),
        (date(2026, 2, 28), 12, False),
    ],
)
def test_a_police_certificate_is_valid_when_checked_within_the_municipalitys_limit(
    checked_on, limit, valid
):
    volunteer = a_volunteer(checked_on)
    assert police_certificate_is_valid(volunteer, today=TODAY, limit_months=limit) is valid


def test_a_volunteer_without_a_valid_certificate_cannot_be_matched():
    with pytest.raises(Conflict, match="police certificate"):
        match_volunteer(
            child=a_child(),
            volunteer=a_volunteer(date(2023, 1, 1)),
            partner=a_partner(),
            agreement=an_agreement(),
            already_matched=False,
            consent_given=True,
            limit_months=36,
            by="bergen-volunteers",
            today=TODAY,
            now=NOW,
        )


def test_a_match_needs_consent_and_opens_a_grant_for_the_volunteers_partner():
    # given
    child, volunteer, partner = a_child(), a_volunteer(date(2026, 1, 1)), a_partner()
    arguments = {
        "child": child,
        "volunteer": volunteer,
        "partner": partner,
        "agreement": an_agreement(),
        "already_matched": False,
        "limit_months": 36,
        "by": "bergen-volunteers",
        "today": TODAY,
        "now": NOW,
    }

    # when / then
    with pytest.raises(InvalidInput):
        match_volunteer(consent_given=False, **arguments)
    match, grant = match_volunteer(consent_given=True, **arguments)
    assert (grant.source, grant.source_id, grant.partner_id) == ("match", match.id, partner.id)
    assert grant.expires_on is None


@pytest.mark.parametrize(
    ("closed", "expires_on", "effective"),
    [
        (False, None, True),
        (False, date(2027, 3, 1), True),
        (False, date(2027, 2, 28), False),
        (True, None, False),
    ],
)
def test_a_grant_is_in_force_while_open_and_within_its_agreement(closed, expires_on, effective):
    _, grant = enrol(agreement=an_agreement(valid_to=expires_on))
    if closed:
        close_grant(grant, now=NOW, reason="enrolment ended")
    assert grant_is_effective(grant, today=TODAY) is effective


def test_closing_a_grant_twice_changes_nothing_the_second_time():
    _, grant = enrol()
    assert close_grant(grant, now=NOW, reason="enrolment ended") is True
    assert close_grant(grant, now=NOW + timedelta(days=1), reason="again") is False
    assert (grant.closed_at, grant.close_reason) == (NOW, "enrolment ended")


def test_attendance_is_refused_for_a_future_day_and_for_an_ended_enrolment():
    enrolment, _ = enrol()
    with pytest.raises(InvalidInput):
        record_attendance(
            enrolment=enrolment,
            attended_on=TODAY + timedelta(days=1),
            present=True,
            by="x",
            org=None,
            today=TODAY,
            now=NOW,
        )
    end_enrolment(enrolment, today=TODAY)
    with pytest.raises(Conflict):
        record_attendance(
            enrolment=enrolment,
            attended_on=TODAY,
            present=True,
            by="x",
            org=None,
            today=TODAY,
            now=NOW,
        )


def test_offers_are_ranked_by_shared_interests_and_languages_with_the_reasons():
    # given a child who likes football and music and speaks Dari
    child = a_child(interests=["football", "music"], languages=["prs"])
    both = an_offer("Band and ball", tags=["football", "music"], languages=["prs"])
    one = an_offer("Football", tags=["football"])
    none = an_offer("Chess", tags=["chess"])
    full = an_offer("Full football", tags=["football", "music"], capacity=1)
    taken = an_offer("Already in", tags=["football", "music"])

    # when
    ranked = suggest_offers(
        child, [one, none, both, full, taken], enrolled={full.id: 1}, taken={taken.id}
    )

    # then
    assert [(s.item.title, s.score) for s in ranked] == [("Band and ball", 3), ("Football", 1)]
    assert ranked[0].reasons == [
        "shares the child's interests: football, music",
        "in the child's languages: prs",
    ]


def test_only_volunteers_with_a_valid_certificate_are_suggested():
    child = a_child(interests=["chess"], languages=["prs"])
    valid = a_volunteer(date(2026, 1, 1), name="Valid", interests=["chess"])
    expired = a_volunteer(date(2020, 1, 1), name="Expired", interests=["chess"], languages=["prs"])
    ranked = suggest_volunteers(child, [expired, valid], taken=set(), today=TODAY, limit_months=36)
    assert [s.item.name for s in ranked] == ["Valid"]


@pytest.mark.parametrize(
    ("words", "field"),
    [(["x" * 41], "interests"), ([" "], "interests"), (["a"] * 31, "interests")],
)
def test_interests_must_be_short_words(words, field):
    with pytest.raises(InvalidInput) as refused:
        set_interests(a_child(), interests=words)
    assert refused.value.field == field


def test_interests_are_kept_lower_case_without_duplicates():
    child = a_child()
    set_interests(child, interests=[" Football ", "football", "Drawing  pictures"])
    assert child.interests == ["football", "drawing pictures"]


@pytest.mark.parametrize(
    ("slug", "kind", "field"),
    [("SOS Barnebyer", "NGO", "slug"), ("sos--x", "NGO", "slug"), ("sos", "CIRCUS", "kind")],
)
def test_a_partner_needs_a_slug_and_a_known_kind(slug, kind, field):
    with pytest.raises(InvalidInput) as refused:
        register_partner(slug=slug, name="SOS", kind=kind)
    assert refused.value.field == field


def test_an_offer_needs_a_known_kind_iso_languages_and_a_positive_capacity():
    for kind, languages, capacity, field in (
        ("CIRCUS", [], 1, "kind"),
        ("LEISURE", ["xx"], 1, "languages"),
        ("LEISURE", [], 0, "capacity"),
    ):
        with pytest.raises(InvalidInput) as refused:
            create_offer(
                tenant_id=BERGEN,
                partner=a_partner(),
                new=NewOffer(
                    kind=kind,
                    title="x",
                    tags=[],
                    languages=languages,
                    capacity=capacity,
                    schedule=None,
                ),
            )
        assert refused.value.field == field


def test_a_granted_application_defaults_to_the_full_amount_and_cannot_be_decided_twice():
    # given
    application = apply_for_funding(
        tenant_id=BERGEN,
        foundation="Gjensidigestiftelsen",
        purpose="Football equipment",
        amount_nok=150_000,
        applied_on=date(2027, 1, 10),
        today=TODAY,
    )

    # when
    decide_funding(application, status="GRANTED", decision_on=TODAY, granted_nok=None, today=TODAY)

    # then
    assert (application.status, application.granted_nok, application.decision_on) == (
        "GRANTED",
        150_000,
        TODAY,
    )
    with pytest.raises(Conflict):
        decide_funding(
            application, status="REJECTED", decision_on=TODAY, granted_nok=None, today=TODAY
        )


@pytest.mark.parametrize(
    ("status", "decision_on", "granted", "field"),
    [
        ("APPLIED", TODAY, None, "status"),
        ("GRANTED", date(2027, 1, 9), None, "decision_on"),
        ("GRANTED", TODAY, 200_000, "granted_nok"),
        ("REJECTED", TODAY, 10, "granted_nok"),
    ],
)
def test_a_funding_decision_is_checked(status, decision_on, granted, field):
    application = apply_for_funding(
        tenant_id=BERGEN,
        foundation="Sparebankstiftelsen",
        purpose="Summer camp",
        amount_nok=100_000,
        applied_on=date(2027, 1, 10),
        today=TODAY,
    )
    with pytest.raises(InvalidInput) as refused:
        decide_funding(
            application, status=status, decision_on=decision_on, granted_nok=granted, today=TODAY
        )
    assert refused.value.field == field
    assert application.status == "APPLIED"


def test_volunteer_certificates_checked_in_the_future_are_bad_input():
    volunteer: Volunteer = a_volunteer(None)
    with pytest.raises(InvalidInput):
        record_police_certificate(volunteer, checked_on=TODAY + timedelta(days=1), today=TODAY)


@pytest.mark.parametrize(
    ("checked_on", "limit", "valid_until"),
    [
        (date(2024, 3, 1), 36, date(2027, 3, 1)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        # Every day of March maps back to February's last: all count, up to March's last.
        (date(2026, 2, 28), 1, date(2026, 3, 31)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_a_police_certificate_is_valid_up_to_and_including_its_valid_until_day(
    checked_on, limit, valid_until
):
    volunteer = a_volunteer(checked_on)
    assert police_certificate_valid_until(checked_on, limit_months=limit) == valid_until
    for today, valid in ((valid_until, True), (valid_until + timedelta(days=1), False)):
        assert police_certificate_is_valid(volunteer, today=today, limit_months=limit) is (valid)
