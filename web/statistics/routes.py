"""The analyst's statistics builder: a measure, its dimensions and a year; the suppressed
table with its chart; the same table as CSV and XLSX (as the gateway writes them)."""

from __future__ import annotations

import base64
from typing import Any

from babel.lists import format_list
from babel.numbers import format_percent
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from havn.statistics.dimensions import (
    COUNTIES,
    MAX_DIMENSIONS,
    MAX_MUNICIPALITY_DIMENSIONS,
    MINIMUM_CELL_SIZE,
)
from web import labels
from web.areas import Area, NavItem
from web.context import Staff, signed_in
from web.forms import Refused, whole_number
from web.graphql import PageNotFound
from web.i18n import N_, current_locale, format_number, gettext
from web.referrals.outcome import show
from web.statistics.table import SERIES_COLOURS, Key, bar_chart, pivot

router = APIRouter()
ANALYSIS = frozenset({"directorate-analyst"})
MEASURES = {
    "SETTLED_CHILDREN": N_("Settled children"),
    "REFERRALS": N_("Referrals"),
    "DAYS_REFERRAL_TO_ARRIVAL": N_("Days from referral to arrival (median)"),
    "OUTCOME_EDUCATION_OR_WORK_RATE": N_("Share in education or work"),
}
RATE = "OUTCOME_EDUCATION_OR_WORK_RATE"
EN_DASH = "\u2013"  # between the ages of a band, as typeset
DIMENSIONS = {
    "COUNTY": N_("County"),
    "MUNICIPALITY": N_("Municipality"),
    "YEAR": N_("Year"),
    "AGE_BAND": N_("Age band"),
    "SEX": N_("Sex"),
    "NATIONALITY": N_("Nationality"),
    "CARE_ARRANGEMENT": N_("Care arrangement"),
    "OUTCOME_MILESTONE": N_("Outcome milestone"),
}
NATIONALITY_GROUPS = {
    "OTHER_AFRICA": N_("Other African countries"),
    "OTHER_ASIA": N_("Other Asian countries"),
    "OTHER_EUROPE": N_("Other European countries"),
    "OTHER": N_("Other countries"),
}
MILESTONES = {
    "OUTCOME_1_YEAR": N_("One year after settlement"),
    "OUTCOME_2_YEARS": N_("Two years after settlement"),
    "OUTCOME_4_YEARS": N_("Four years after settlement"),
    "OUTCOME_5_YEARS": N_("Five years after settlement"),
}
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def category_label(dimension: str, code: str) -> str:
    """A category as a person reads it, in the page's language."""
    if dimension == "COUNTY":
        return COUNTIES.get(code, code)
    if dimension == "SEX":
        return labels.sex_label(code)
    if dimension == "CARE_ARRANGEMENT":
        return labels.care_arrangement_label(code)
    if dimension == "NATIONALITY":
        group = NATIONALITY_GROUPS.get(code)
        return gettext(group) if group else labels.country_name(code)
    if dimension == "OUTCOME_MILESTONE":
        return gettext(MILESTONES[code]) if code in MILESTONES else code
    if dimension == "AGE_BAND":
        return gettext("%(band)s years") % {"band": code.replace("-", EN_DASH)}
    return code


def figure_of(measure: str) -> Any:
    """How a value of the measure is written: a share as a percentage, others as numbers."""
    if measure == RATE:
        return lambda value: format_percent(value, locale=current_locale())
    return format_number


def asked(measure: str | None, by: list[str], year: str) -> dict[str, Any] | None:
    """The table asked for in the address, as the operation's variables (None: none yet)."""
    if not measure:
        return None
    return {"measure": measure, "by": by, "year": whole_number(year)}


@router.get("/statistics")
async def builder(
    request: Request,
    measure: str | None = None,
    by: list[str] = Query([]),
    year: str = "",
    staff: Staff = Depends(signed_in),
) -> Response:
    """The builder, with the limits said up front; below it the table asked for, if any."""
    variables = asked(measure, by, year)
    context: dict[str, Any] = {
        "measures": MEASURES,
        "dimensions": DIMENSIONS,
        "limits": {
            "dimensions": MAX_DIMENSIONS,
            "municipality": MAX_MUNICIPALITY_DIMENSIONS,
            "cell": MINIMUM_CELL_SIZE,
        },
        "sent": {"measure": measure or "SETTLED_CHILDREN", "by": by, "year": year},
        "statistics": None,
    }
    if variables is None:
        return show(request, "statistics/builder.html", context)
    result = await staff.query("StatisticsTable", variables)
    statistics = result.data.get("nationalStatistics")
    if statistics is None:
        refused = Refused.of(result, context["sent"])
        return show(request, "statistics/builder.html", {**context, "refused": refused})
    dimensions = statistics["dimensions"]
    table = pivot(dimensions, statistics["rows"])
    figure = figure_of(statistics["measure"])

    def row_label(key: Key) -> str:
        names = [category_label(d, code) for d, code in zip(dimensions, key, strict=False)]
        return ", ".join(names) or gettext("The whole country")

    measure_label = gettext(MEASURES[statistics["measure"]])
    by_names = [gettext(DIMENSIONS[d]).lower() for d in dimensions]
    context.update(
        measure_label=measure_label,
        heading=gettext("%(measure)s, %(year)s") % {"measure": measure_label, "year": year}
        if variables["year"] is not None
        else gettext("%(measure)s, every year") % {"measure": measure_label},
        caption=gettext("%(measure)s by %(dimensions)s")
        % {"measure": measure_label, "dimensions": format_list(by_names, locale=current_locale())}
        if by_names
        else measure_label,
        series_colours=SERIES_COLOURS,
        statistics=statistics,
        table=table,
        chart=bar_chart(table, row_label, figure),
        figure=figure,
        category_label=category_label,
        row_label=row_label,
        download=request.url.query,
    )
    return show(request, "statistics/builder.html", context)


@router.get("/statistics/table.{kind}")
async def download(
    kind: str,
    measure: str = "",
    by: list[str] = Query([]),
    year: str = "",
    staff: Staff = Depends(signed_in),
) -> Response:
    """The table as a file, suppressed cells marked as in the page (":")."""
    if kind not in MEDIA_TYPES or not measure:
        raise PageNotFound
    operation = "StatisticsCsv" if kind == "csv" else "StatisticsXlsx"
    result = await staff.query(operation, asked(measure, by, year))
    statistics = result.data.get("nationalStatistics")
    if statistics is None:
        # Only a table the builder showed has download links; anything else is no file.
        raise PageNotFound
    body = statistics[kind].encode() if kind == "csv" else base64.b64decode(statistics[kind])
    name = "-".join(["havn", measure.lower(), *(d.lower() for d in by), year]).strip("-")
    return Response(
        body,
        media_type=MEDIA_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
    )


AREA = Area(
    name="statistics",
    router=router,
    nav=(NavItem(N_("Statistics"), "/statistics", ANALYSIS),),
)
