"""The directorate analyst's statistics builder in the browser: the limits said before the
question, the suppressed table with its chart, and the CSV and XLSX downloads."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import openpyxl
import pytest
from playwright.sync_api import Locator, Page, expect

from havn.clock import Clock
from havn.statistics.dimensions import COUNTIES, MINIMUM_CELL_SIZE
from tests.factories import Municipality, create_referral, unique_name
from tests.web.conftest import BackgroundStack, Browsing, axe_violations

TODAY = Clock().today()
COUNTY_BY_AGE = "/statistics?measure=SETTLED_CHILDREN&by=COUNTY&by=AGE_BAND"
NO_CHILDREN = "no children"
EN_DASH = "\u2013"


def shown_table(page: Page) -> dict[tuple[str, str], str]:
    """The table on the page: (row, column) -> what its cell shows (":" for a hidden one)."""
    table = page.locator("#statistics-table")
    columns = table.locator("thead th").all_inner_texts()[1:]
    cells: dict[tuple[str, str], str] = {}
    for row in table.locator("tbody tr").all():
        label = row.locator("th").inner_text()
        values = row.locator("td").all()
        for column, cell in zip(columns, values, strict=True):
            kind = cell.get_attribute("class") or ""
            if "havn-no-children" in kind:
                cells[(label, column)] = NO_CHILDREN
            else:
                cells[(label, column)] = ":" if "havn-suppressed" in kind else cell.inner_text()
    return cells


def as_number(text: str) -> float:
    return float(text.replace("\xa0", "").replace(" ", "").replace(",", "."))


def assert_no_small_count(figures: list[str]) -> None:
    """Every count shown is none at all or at least the minimum cell size."""
    for figure in figures:
        if figure not in (":", NO_CHILDREN):
            value = as_number(figure)
            assert value == 0 or value >= MINIMUM_CELL_SIZE, figures


@pytest.fixture(scope="module")
def analyst(web_stack: BackgroundStack) -> str:
    """A directorate analyst of the module's own."""
    return web_stack.fresh_user("directorate-analyst", prefix="imdi")


def download(page: Page, link: Locator) -> bytes:
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    with open(path, "rb") as file:
        return file.read()


def test_the_analyst_builds_a_county_by_age_band_table_with_its_chart_and_downloads_it(
    browsing: Browsing, analyst: str
):
    vestland = browsing.stack.fresh_municipality(county="46")
    browsing.stack.settle_child(vestland, fullName=unique_name("Selam"))
    page = browsing.page(user=analyst, locale="en-GB")
    page.goto("/language/en?next=/statistics")
    page.get_by_label("Settled children").check()
    page.get_by_label("County").check()
    page.get_by_label("Age band").check()
    page.get_by_role("button", name="Show the table").click()
    page.wait_for_url(re.compile(r".*/statistics\?measure=SETTLED_CHILDREN&by=COUNTY&by=AGE_BAND"))
    expect(page.locator("#statistics-table caption")).to_have_text(
        "Settled children by county and age band"
    )
    shown = shown_table(page)
    assert shown, "the table has rows"
    # The chart: a bar (or a hidden mark) for every cell the table shows, and a legend.
    chart = page.locator("figure.havn-chart")
    expect(chart.locator("svg[role=img] title")).to_contain_text("The table holds the same")
    assert chart.locator("rect.havn-chart__bar").count() == len(
        [v for v in shown.values() if v != NO_CHILDREN]
    )
    expect(chart.locator(".havn-chart__legend")).to_contain_text("years")

    written = download(page, page.get_by_role("link", name="Download as CSV")).decode()
    lines = list(csv.reader(io.StringIO(written)))
    assert lines[0] == ["COUNTY", "AGE_BAND", "SETTLED_CHILDREN"]
    data = [line for line in lines[1:] if len(line) == 3]
    assert any(line[0] == "46" for line in data), "Vestland has the child settled there"
    for county, band, value in data:
        # A county the page cannot name (a test's made-up municipality) shows as its number.
        row = COUNTIES.get(county, county)
        cell = shown[(row, f"{band.replace('-', EN_DASH)} years")]
        assert cell == ":" if value == ":" else as_number(cell) == float(value), (county, band)
    assert ":" in lines[-1][0], "the CSV says what ':' means"

    workbook = openpyxl.load_workbook(
        io.BytesIO(download(page, page.get_by_role("link", name="Download as XLSX (Excel)")))
    )
    sheet = workbook.active
    assert sheet is not None
    rows = [[str(v) for v in row] for row in sheet.iter_rows(values_only=True) if row[1]]
    assert rows[0] == ["COUNTY", "AGE_BAND", "SETTLED_CHILDREN"]
    assert [(c, b, str(int(float(v)) if v != ":" else v)) for c, b, v in rows[1:]] == [
        (c, b, v) for c, b, v in data
    ]


def test_the_analysts_pages_never_show_a_count_below_the_minimum_cell_size(
    browsing: Browsing, analyst: str, town: Municipality
):
    # One referral of a child of eight to a municipality: a cell of one, which must not be shown.
    browsing.stack.run(
        create_referral(
            browsing.stack.gql,
            TODAY,
            municipality=town.number,
            fullName=unique_name("Selam"),
            dateOfBirth=(TODAY - timedelta(days=8 * 365 + 30)).isoformat(),
        )
    )
    page = browsing.page(user=analyst)
    page.goto("/statistics?measure=REFERRALS&by=COUNTY&by=AGE_BAND")
    shown = shown_table(page)
    assert_no_small_count(list(shown.values()))
    assert ":" in shown.values(), "small cells are hidden"
    assert_no_small_count(page.locator(".havn-chart__value").all_text_contents())


def test_the_limits_are_said_before_asking_and_too_many_dimensions_are_refused_at_them(
    browsing: Browsing, analyst: str
):
    page = browsing.page(user=analyst)
    page.goto("/statistics")
    limits = page.locator("#by-limits")
    expect(limits).to_contain_text("Høyst 3 dimensjoner")
    expect(limits).to_contain_text(f"færre enn {MINIMUM_CELL_SIZE} barn")
    expect(page.locator("#statistics-table")).to_have_count(0)
    for dimension in ("Fylke", "Aldersgruppe", "Kjønn"):
        page.get_by_label(dimension, exact=True).check()
    page.fill("#year", str(TODAY.year))
    page.get_by_role("button", name="Vis tabellen").click()
    expect(page.locator(".ds-error-summary").get_by_role("link")).to_have_attribute("href", "#by")
    expect(page.locator("#by-limits ~ .ds-validation-message")).to_contain_text("at most 3")
    expect(page.get_by_label("Kjønn", exact=True)).to_be_checked()


def test_the_builder_works_without_javascript(browsing: Browsing, analyst: str):
    page = browsing.page(user=analyst, java_script_enabled=False)
    page.goto("/statistics")
    page.get_by_label("Anmodninger").check()
    page.get_by_label("Kjønn", exact=True).check()
    page.get_by_role("button", name="Vis tabellen").click()
    page.wait_for_url(re.compile(r".*/statistics\?measure=REFERRALS&by=SEX"))
    expect(page.locator("#statistics-table caption")).to_have_text("Anmodninger etter kjønn")


def test_the_analysts_pages_have_no_accessibility_violations(browsing: Browsing, analyst: str):
    for path in ("/statistics", COUNTY_BY_AGE):
        assert axe_violations(browsing, analyst, path) == {}, path
