"""A reporting period in a real browser, on the demo data: IOM submits a result,
the manager returns it, IOM corrects and resubmits it, the manager approves it,
and the outcome page counts it; then the manager locks the period.

Demo contract (``manage.py load_demo``): outcome 1.2 led by IOM with indicator
1.2.b and no result yet; 2010 H1 locked, 2010 H2 open; outcome 3.2's sensitive
indicator 3.2.a approved at 4 survivors in 2010 H1; accounts iom, manager,
donor with the password demo12345.
"""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from outcomes.models import Indicator, Outcome, ReportingPeriod, Result
from tests.browser.conftest import sign_in_as

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, fast_password_hashing):
    call_command("load_demo", stdout=io.StringIO())
    outcome = Outcome.objects.get(code="1.2")
    return outcome, Indicator.objects.get(outcome=outcome, code="1.2.b")


def test_iom_submits_the_manager_returns_iom_resubmits_the_manager_approves(demo, new_page):
    outcome, indicator = demo
    iom, manager = new_page(), new_page()
    sign_in_as(iom, "iom")
    sign_in_as(manager, "manager")

    # IOM reports 1.2.b for 2010 H2 and submits it at once.
    iom.goto(f"/outcomes/{outcome.pk}/")
    iom.get_by_test_id("report-1.2.b").click()
    iom.get_by_label("Reporting period").select_option(label="2010 H2")
    iom.get_by_label("Value").fill("40")
    iom.get_by_label("Note").fill("Schools in Belgrade, Novi Sad and Niš")
    iom.get_by_role("button", name="Save and submit for approval").click()
    expect(iom.get_by_role("alert")).to_contain_text(
        "Result for 1.2.b, 2010 H2 saved and submitted for approval."
    )
    row = iom.get_by_test_id("result-1.2.b-2010-h2")
    expect(row.get_by_test_id("status")).to_have_text("Submitted")
    expect(row).to_contain_text("Waiting for someone else to approve it.")
    expect(iom.get_by_test_id("latest-1.2.b")).to_have_count(0)  # not counted yet

    # The manager finds it on the reporting status page and returns it.
    manager.goto("/outcomes/reporting/")
    expect(manager.get_by_test_id("period")).to_contain_text("2010 H2")
    status_row = manager.get_by_test_id("row-1.2.b")
    expect(status_row).to_contain_text("Submitted")
    status_row.get_by_role("link").click()
    expect(manager).to_have_url(re.compile(rf"/outcomes/{outcome.pk}/#indicator-{indicator.pk}$"))
    row = manager.get_by_test_id("result-1.2.b-2010-h2")
    row.get_by_test_id("return-1.2.b-2010-h2").locator("summary").click()
    row.get_by_label("What needs to change").fill(
        "Attach the Ministry of Education's list of schools."
    )
    row.get_by_role("button", name="Return with this comment").click()
    expect(manager.get_by_role("alert")).to_contain_text("Result for 1.2.b, 2010 H2 returned.")

    # IOM reads why, corrects the figure and resubmits.
    iom.reload()
    row = iom.get_by_test_id("result-1.2.b-2010-h2")
    expect(row.get_by_test_id("status")).to_have_text("Returned")
    expect(row.get_by_test_id("review-comment")).to_contain_text(
        "Attach the Ministry of Education's list of schools."
    )
    row.get_by_role("link", name="Correct the result of 1.2.b for 2010 H2").click()
    expect(iom.get_by_test_id("returned-comment")).to_contain_text("Attach the Ministry")
    expect(iom.get_by_label("Value")).to_have_value(re.compile(r"^40(\.00)?$"))
    iom.get_by_label("Value").fill("42")
    iom.get_by_label("Evidence link").fill("https://example.org/moe-schools-2010.pdf")
    iom.get_by_role("button", name="Save and submit for approval").click()
    expect(iom.get_by_test_id("result-1.2.b-2010-h2").get_by_test_id("status")).to_have_text(
        "Submitted"
    )

    # The manager approves it; the outcome page now counts it.
    manager.reload()
    manager.get_by_test_id("approve-1.2.b-2010-h2").click()
    expect(manager.get_by_role("alert")).to_contain_text("Result for 1.2.b, 2010 H2 approved.")
    expect(manager.get_by_test_id("latest-1.2.b")).to_contain_text(
        "Latest approved: 42 schools in 2010 H2"
    )
    trail = manager.get_by_test_id("result-1.2.b-2010-h2").get_by_test_id("trail")
    expect(trail).to_contain_text("Submitted by Demo IOM staff (IOM)")
    expect(trail).to_contain_text("Approved by Demo Manager")
    history = manager.get_by_test_id("history")
    expect(history.locator("tr", has_text="Result 1.2.b · 2010 H2 returned")).to_contain_text(
        "Demo Manager"
    )
    expect(history.locator("tr", has_text="Result 1.2.b · 2010 H2 approved")).to_be_visible()

    # Everyone else sees the approved value, the donor included.
    donor = new_page()
    sign_in_as(donor, "donor")
    donor.goto(f"/outcomes/{outcome.pk}/")
    expect(donor.get_by_test_id("latest-1.2.b")).to_contain_text("Latest approved: 42")
    expect(donor.get_by_test_id("result-1.2.b-2010-h2").get_by_test_id("value")).to_have_text("42")

    result = Result.objects.get(indicator=indicator, period__name="2010 H2")
    assert (result.status, result.value) == (Result.Status.APPROVED, 42)
    steps = list(
        result.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert steps == [None, "submitted", "returned", None, "submitted", "approved"]


def test_the_manager_locks_the_period_and_it_no_longer_changes(demo, new_page):
    outcome, _ = demo
    manager, iom = new_page(), new_page()
    sign_in_as(manager, "manager")
    sign_in_as(iom, "iom")

    manager.goto("/outcomes/reporting/")
    form = manager.get_by_test_id("lock-form")
    form.get_by_label("Why lock it").fill("Report for 2010 H2 sent to the donors")
    form.get_by_role("button", name="Lock 2010 H2").click()
    expect(manager.get_by_role("alert")).to_contain_text("2010 H2 locked.")
    expect(manager.get_by_test_id("lock-state")).to_contain_text("Locked by Demo Manager")
    assert ReportingPeriod.objects.get(name="2010 H2").is_locked

    # IOM's draft of 1.1.a in 2010 H2 shows the lock and offers nothing to do.
    first = Outcome.objects.get(code="1.1")
    iom.goto(f"/outcomes/{first.pk}/")
    row = iom.get_by_test_id("result-1.1.a-2010-h2")
    expect(row.get_by_test_id("locked")).to_be_visible()
    expect(row.get_by_role("button")).to_have_count(0)
    expect(row.get_by_role("link", name=re.compile("Correct"))).to_have_count(0)

    # The donor sees survivors assisted (4 in 2010 H1) only as "< 5".
    donor = new_page()
    sign_in_as(donor, "donor")
    donor.goto(f"/outcomes/{Outcome.objects.get(code='3.2').pk}/")
    expect(donor.get_by_test_id("latest-3.2.a")).to_contain_text("Latest approved: < 5")
    expect(donor.get_by_test_id("result-3.2.a-2010-h1").get_by_test_id("value")).to_have_text("< 5")
