"""The child's consent, without which nothing is started for it."""

from __future__ import annotations

from havn.errors import InvalidInput


def require_consent(consent_given: bool) -> None:
    if not consent_given:
        raise InvalidInput(
            "the child's consent is required: ask the child and set consentGiven to true",
            field="consent_given",
        )
