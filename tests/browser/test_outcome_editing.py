"""Agency staff edit their outcome in a real browser, on the demo data.

Demo contract (``manage.py load_demo``): outcome 2.1 (prosecution, led by UNODC
alone) with indicator 2.1.a, reporting periods 2010 H1 to 2011 H2, and the
accounts unodc, unhcr, manager... with the password demo12345.
"""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from outcomes.models import Indicator, Outcome, Result
from tests.browser.conftest import sign_in_as

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, fast_password_hashing):
    call_command("load_demo", stdout=io.StringIO())
    outcome = Outcome.objects.get(code="2.1")
    return outcome, Indicator.objects.get(outcome=outcome, code="2.1.a")


def test_unodc_edits_the_title_and_reports_a_result(demo, page, sign_in):
    outcome, indicator = demo
    new_title = "Police and prosecutors investigate and prosecute trafficking proactively"
    sign_in("unodc")

    page.goto("/outcomes/")
    page.get_by_role("link", name=outcome.title).click()
    expect(page).to_have_url(re.compile(rf"/outcomes/{outcome.pk}/$"))

    # Edit the title.
    page.get_by_test_id("edit-outcome").click()
    page.locator("#id_title").fill(new_title)
    page.get_by_role("button", name="Save outcome").click()
    expect(page).to_have_url(re.compile(rf"/outcomes/{outcome.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text("Outcome 2.1 saved.")
    expect(page.get_by_test_id("outcome-title")).to_have_text(new_title)

    # Report a result for 2.1.a in 2010 H2.
    page.get_by_test_id("report-2.1.a").click()
    page.get_by_label("Reporting period").select_option(label="2010 H2")
    page.get_by_label("Value").fill("140")
    page.get_by_label("Note").fill("Two training rounds completed")
    page.get_by_label("Evidence link").fill("https://example.org/training-2010-h2.pdf")
    page.get_by_role("button", name="Save result").click()
    expect(page).to_have_url(re.compile(rf"/outcomes/{outcome.pk}/#indicator-{indicator.pk}$"))
    expect(page.get_by_role("alert")).to_contain_text("Result for 2.1.a, 2010 H2 saved.")

    # Both on the outcome page...
    row = page.get_by_test_id("result-2.1.a-2010-h2")
    expect(row).to_contain_text("140")
    expect(row).to_contain_text("Two training rounds completed")
    # ...and in its history, with who changed what from what to what.
    history = page.get_by_test_id("history")
    title_change = history.locator("tr", has_text="Outcome 2.1 changed")
    expect(title_change).to_contain_text("Demo UNODC staff")
    expect(title_change.locator("del")).to_have_text(outcome.title)
    expect(title_change.locator("ins")).to_have_text(new_title)
    result_entry = history.locator("tr", has_text="Result 2.1.a · 2010 H2 created")
    expect(result_entry).to_contain_text("Demo UNODC staff")
    expect(result_entry).to_contain_text("140")

    assert Outcome.objects.get(pk=outcome.pk).title == new_title
    assert Result.objects.get(indicator=indicator, period__name="2010 H2").value == 140


def test_unhcr_sees_no_edit_controls_on_a_unodc_only_outcome(demo, page, sign_in):
    outcome, indicator = demo
    sign_in("unhcr")
    page.goto(f"/outcomes/{outcome.pk}/")
    expect(page.get_by_test_id("outcome-title")).to_have_text(outcome.title)
    expect(page.get_by_test_id("edit-outcome")).to_have_count(0)
    expect(page.get_by_test_id("report-2.1.a")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    # Going straight to the edit page is refused.
    response = page.goto(f"/outcomes/{outcome.pk}/edit/")
    assert response.status == 403


def test_the_second_of_two_editors_is_told_and_nothing_is_overwritten(demo, new_page):
    outcome, _ = demo
    unodc, manager = new_page(), new_page()
    sign_in_as(unodc, "unodc")
    sign_in_as(manager, "manager")
    for page in (unodc, manager):
        page.goto(f"/outcomes/{outcome.pk}/edit/")

    manager.locator("#id_title").fill("The manager's title")
    manager.get_by_role("button", name="Save outcome").click()
    expect(manager.get_by_role("alert")).to_contain_text("Outcome 2.1 saved.")

    unodc.locator("#id_title").fill("UNODC's title")
    unodc.get_by_role("button", name="Save outcome").click()
    conflict = unodc.get_by_test_id("edit-conflict")
    expect(conflict).to_contain_text("Someone else saved this outcome while you were editing it")
    expect(conflict).to_contain_text("Demo Manager saved it at")
    expect(conflict.get_by_test_id("theirs")).to_have_text("The manager's title")
    expect(conflict.get_by_test_id("yours")).to_have_text("UNODC's title")
    expect(unodc.locator("#id_title")).to_have_value("UNODC's title")
    assert Outcome.objects.get(pk=outcome.pk).title == "The manager's title"

    # Saving again after seeing the other change is a deliberate choice, and works.
    unodc.get_by_role("button", name="Save outcome").click()
    expect(unodc.get_by_test_id("outcome-title")).to_have_text("UNODC's title")


def test_add_another_output_adds_rows_saved_in_one_go(demo, page, sign_in):
    outcome, _ = demo
    sign_in("unodc")
    page.goto(f"/outcomes/{outcome.pk}/edit/")
    rows = page.get_by_test_id("outputs-formset").locator(".card")
    existing = rows.count()
    page.get_by_role("button", name="Add another output").click()
    expect(rows).to_have_count(existing + 1)
    # The row the page came with, then the one added by the button.
    for index, (code, title) in enumerate(
        [("2.1.3", "Case-management guidelines issued"), ("2.1.4", "Judges' handbook printed")],
        start=existing - 1,
    ):
        page.locator(f"#id_outputs-{index}-code").fill(code)
        page.locator(f"#id_outputs-{index}-title").fill(title)
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_test_id("output-2.1.3")).to_be_visible()
    expect(page.get_by_test_id("output-2.1.4")).to_contain_text("Judges' handbook printed")
