"""The pages in a real browser: Debian's Chromium driven by Playwright against a live server."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

# Every test here drives Chromium (conftest skips them, saying so, where it is not installed).
pytestmark = pytest.mark.browser


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)  # a phone's width
    page = context.new_page()
    yield page
    context.close()


def test_search_filter_open_record_and_follow_source(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.get_by_label("Question or words").fill("will an officer visit every burgled home?")
    page.keyboard.press("Enter")
    first = page.locator(".result").first
    expect(first).to_contain_text("minute 43/22")
    expect(first.locator(".date")).to_have_text("17 November 2022")

    page.get_by_label("Question or words").fill("officers")
    page.get_by_text("Filters and sort").click()  # folded away on a phone
    page.get_by_label("Meeting from").fill("2022-01-01")
    page.get_by_label("Asked by").select_option(label="Cllr H Dhindsa")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(lambda url: "asker=dhindsa-h" in url and "date_from=2022-01-01" in url)
    results = page.locator(".result")
    assert results.count() >= 1
    for i in range(results.count()):
        expect(results.nth(i)).to_contain_text("17 November 2022")
        expect(results.nth(i)).to_contain_text("Cllr H Dhindsa")

    results.first.locator("h2 a").click()
    expect(page.locator("h1")).to_contain_text("Derbyshire Police and Crime Panel, 17 November 2022")
    expect(page.get_by_role("button", name="Copy citation").first).to_be_visible()
    page.locator(".citation a").first.click()
    page.wait_for_url(lambda url: "/documents/corpus/" in url and "#L" in url)
    cited = page.locator(".line.cited")
    assert cited.count() >= 1
    expect(cited.first).to_be_visible()


def test_drafting_check_reports_changed_figure(page: Page, base_url: str) -> None:
    page.goto(base_url + "/draft")
    page.get_by_label("Draft question").fill(
        "What proportion of Derbyshire officers are from black and minority ethnic groups?"
    )
    page.get_by_label("Draft response (optional)").fill("Black and minority ethnic officers are 3.5% of the force.")
    page.get_by_role("button", name="Check the draft").click()
    difference = page.locator(".difference").first
    expect(difference).to_contain_text("draft: 3.5%")
    expect(difference).to_contain_text("17 November 2022, Question 2: 3.2%")


def test_download_csv_of_the_search(page: Page, base_url: str, tmp_path: Path) -> None:
    page.goto(base_url + "/?q=burglary")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    path = tmp_path / "results.csv"
    download.value.save_as(path)
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0][:3] == ["id", "kind", "meeting_date"]
    assert any("minute 43/22" in row[7] for row in rows[1:])


def test_keyboard_only_search(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.keyboard.press("Tab")  # the first stop: the skip link, which leads to the query box
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Question or words")).to_be_focused()
    page.keyboard.type("closure of buxton custody suite")
    page.keyboard.press("Enter")
    expect(page.locator(".result").first).to_contain_text("item 9A")


def test_figure_history_chart_and_its_text(page: Page, base_url: str) -> None:
    page.goto(base_url + "/?q=" + "proportion of black and minority ethnic officers".replace(" ", "+"))
    history = page.locator("figure.figure-history")
    chart = history.locator("svg[role=img]")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 80  # drawn, not collapsed
    # The image is named by its title and described by its values, for a screen reader.
    expect(chart).to_have_accessible_name(re.compile("proportion of black and minority ethnic officers"))
    items = history.locator("ol.history-points > li")
    expect(items).to_have_count(2)
    dates = items.locator(".history-date").all_inner_texts()
    assert [d[-4:] for d in dates] == ["2019", "2022"]
    expect(items.nth(1)).to_contain_text("3.2%")
    items.nth(0).get_by_role("link").first.click()
    expect(page.locator("body")).to_contain_text("4.15%")


def test_results_over_time_bars_filter_to_their_year(page: Page, base_url: str) -> None:
    page.goto(base_url + "/?q=officers")
    bars = page.locator("nav.timeline a")
    assert bars.count() >= 2  # the results span more than one year
    year = bars.first.locator(".year").inner_text()
    bars.first.click()
    expect(page).to_have_url(re.compile(rf"date_from={year}-01-01.*date_to={year}-12-31"))
    dates = page.locator(".result .date").all_inner_texts()
    assert dates and all(d.endswith(year) for d in dates)


def test_undertakings_filtered_and_followed_up(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.get_by_role("link", name="Undertakings").click()
    expect(page.locator("h1")).to_have_text("Undertakings")
    assert page.locator(".result.undertaking").count() >= 10
    page.get_by_label("Status").select_option("possibly followed up")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"status=possibly\+followed\+up"))
    statuses = page.locator(".result .status").all_inner_texts()
    assert statuses and set(statuses) == {"possibly followed up"}
    first = page.locator(".result.undertaking").first
    expect(first.locator("dl")).to_contain_text("What")
    later = first.locator("ul.follow-ups a").first
    label = later.inner_text()
    later.click()
    expect(page.locator("h1")).to_contain_text(label.split(",")[0])
