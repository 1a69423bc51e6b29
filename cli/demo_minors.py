"""The demo's minors, each taken as far along the way as the seed (cli/seed.py) takes them.

Bergen (4601)
- referrals: Mohammed Nuur pending (answer within 10 days), Samir Haidari overdue;
- preparation: Layla Haddad accepted, arriving in two weeks, housing and guardian done;
- care: Yonas Tesfay arrived 5 days ago (first assessment due in 9 days); Amina Rahimi
  arrived 4 months ago, assessment overdue, approved care plan, contact person
  bergen-contact; Hana Ahmed arrived 7 months ago, assessed, contact person bergen-contact,
  enrolled in SOS-barnebyer's football (so sos-partner sees her);
- transition: Sara Haile turned 17 two months ago and has a transition plan; Ali Rezaei
  turned 18 three weeks ago, the aftercare decision due; Omar Yusuf settled two years and
  a month ago with his 1- and 2-year outcomes recorded;
- capacity for the year and care places; partner sos-barnebyer with an agreement and an
  offer.
Asker (3203): Olena Kovalenko settled, Zahra Ahmadi pending.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BERGEN, ASKER = "4601", "3203"


@dataclass(frozen=True)
class Minor:
    """One demo minor: who, and how far along the way the seed takes them."""

    municipality: str
    full_name: str
    sex: str
    nationality: str
    languages: list[str]
    age_days: int  # age today, in days
    stage: str  # pending | overdue | preparation | arrived
    settled_days_ago: int = 0
    arrangement: str = "GROUP_HOME"
    interests: list[str] = field(default_factory=list)


def years(count: float) -> int:
    return round(count * 365.25)


DEMO_MINORS = [
    Minor(BERGEN, "Mohammed Nuur", "M", "SO", ["so"], years(14) + 100, "pending"),
    Minor(BERGEN, "Samir Haidari", "M", "AF", ["prs", "fa"], years(15) + 30, "overdue"),
    Minor(BERGEN, "Layla Haddad", "F", "SY", ["ar", "en"], years(16) + 20, "preparation"),
    Minor(BERGEN, "Yonas Tesfay", "M", "ER", ["ti"], years(15) + 200, "arrived", 5),
    Minor(
        BERGEN,
        "Amina Rahimi",
        "F",
        "AF",
        ["prs", "en"],
        years(16) + 40,
        "arrived",
        120,
        interests=["football", "drawing"],
    ),
    Minor(
        BERGEN,
        "Hana Ahmed",
        "F",
        "SO",
        ["so", "en"],
        years(15) + 90,
        "arrived",
        210,
        arrangement="FOSTER_HOME",
        interests=["football", "music"],
    ),
    Minor(
        BERGEN,
        "Sara Haile",
        "F",
        "ER",
        ["ti", "en"],
        years(17) + 60,
        "arrived",
        400,
        arrangement="SUPPORTED_LODGING",
    ),
    # Referred as 16 (a referral is for a minor); the date of birth is corrected after arrival.
    Minor(
        BERGEN,
        "Ali Rezaei",
        "M",
        "AF",
        ["fa"],
        years(16),
        "arrived",
        700,
        arrangement="SUPPORTED_LODGING",
    ),
    Minor(BERGEN, "Omar Yusuf", "M", "SO", ["so", "en"], years(16) + 200, "arrived", 760),
    Minor(ASKER, "Olena Kovalenko", "F", "UA", ["uk", "ru"], years(15) + 10, "arrived", 3),
    Minor(ASKER, "Zahra Ahmadi", "F", "AF", ["fa"], years(17) + 40, "pending"),
]
# Ali Rezaei's date of birth as it turned out: 18 three weeks ago.
ALI_AGE_DAYS = years(18) + 21
