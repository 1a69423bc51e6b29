"""Envelopes and contracts: subjects, versions and validation."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from havn.events.contracts import (
    CONTRACTS,
    ChildSettledV1,
    ReferralCreatedV1,
    UnknownContract,
    contract,
    parse,
)
from havn.events.envelope import Envelope, subject_for


def settled_envelope(**overrides: object) -> Envelope:
    data = ChildSettledV1(
        child_id=uuid.uuid4(),
        referral_id=uuid.uuid4(),
        first_name="Amina",
        full_name="Amina Rahimi",
        date_of_birth=date(2009, 3, 1),
        date_of_birth_estimated=True,
        sex="F",
        nationality="AF",
        languages=["prs", "en"],
        care_arrangement="foster_home",
        settled_on=date(2025, 6, 2),
    ).model_dump(mode="json")
    fields: dict[str, object] = {
        "type": "intake.child.settled",
        "version": 1,
        "tenant": "4601",
        "actor": "kari",
        "data": data,
    }
    fields.update(overrides)
    return Envelope.model_validate(fields)


def test_subject_is_service_entity_event_and_tenant():
    assert subject_for("intake.child.settled", "4601") == "havn.intake.child.settled.4601"
    assert settled_envelope().subject == "havn.intake.child.settled.4601"


@pytest.mark.parametrize(
    ("event_type", "tenant"),
    [("intake.child", "4601"), ("intake.child.*", "4601"), ("intake.child.settled", "46.>")],
)
def test_subject_refuses_what_would_change_its_shape(event_type: str, tenant: str):
    with pytest.raises(ValueError, match="is not"):
        subject_for(event_type, tenant)


def test_envelope_refuses_a_tenant_that_is_no_municipality_number():
    with pytest.raises(ValidationError, match="tenant"):
        settled_envelope(tenant="4601.>")


def test_envelope_time_is_aware_and_utc():
    oslo_summer = timezone(timedelta(hours=2))
    envelope = settled_envelope(occurred_at=datetime(2025, 6, 2, 12, 0, tzinfo=oslo_summer))
    assert envelope.occurred_at == datetime(2025, 6, 2, 10, 0, tzinfo=UTC)
    assert envelope.occurred_at.utcoffset() == timedelta(0)
    with pytest.raises(ValidationError, match="timezone"):
        settled_envelope(occurred_at=datetime(2025, 6, 2, 12, 0))  # noqa: DTZ001 - the naive time refused


def test_parse_validates_data_against_the_registered_contract():
    envelope = settled_envelope()
    child = parse(envelope)
    assert isinstance(child, ChildSettledV1)
    assert child.date_of_birth == date(2009, 3, 1)
    assert ChildSettledV1.from_envelope(envelope) == child


def test_parse_refuses_unknown_type_or_version():
    with pytest.raises(UnknownContract, match=r"intake\.child\.settled v2"):
        parse(settled_envelope(version=2))
    with pytest.raises(UnknownContract, match=r"intake\.child\.vanished v1"):
        parse(settled_envelope(type="intake.child.vanished"))


def test_a_contract_refuses_another_event_type():
    with pytest.raises(UnknownContract, match=r"not intake\.child\.settled v1"):
        ReferralCreatedV1.from_envelope(settled_envelope())


def test_parse_refuses_data_that_breaks_the_contract():
    envelope = settled_envelope()
    broken = settled_envelope(data={**envelope.data, "date_of_birth": "not a date"})
    with pytest.raises(ValidationError, match="date_of_birth"):
        parse(broken)


def test_one_type_and_version_has_one_contract():
    assert CONTRACTS["intake.child.settled", 1] is ChildSettledV1
    with pytest.raises(ValueError, match="already ChildSettledV1"):
        contract("intake.child.settled", 1)(ReferralCreatedV1)


def test_referral_events_carry_no_personal_data():
    personal = {"first_name", "full_name", "date_of_birth", "sex", "nationality", "languages"}
    referral_contracts = [
        cls for (kind, _), cls in CONTRACTS.items() if kind.startswith("intake.referral.")
    ]
    assert len(referral_contracts) == 4
    for cls in referral_contracts:
        assert personal.isdisjoint(cls.model_fields), cls.__name__
