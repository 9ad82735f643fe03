"""The national coordinator walks the alignment report in a real browser, on the demo.

Demo contract (``manage.py load_demo``): links 1.2 → 1.2 (proposed), 3.1 → 2.1
(partial, proposed), 2.2 → 2.2 (queried); 4 of 7 links confirmed (57%); outcome
3.1 is led by UNHCR with IOM and UNODC; the one gap is objective 2.3.
"""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from outcomes.models import Alignment
from tests.browser.conftest import sign_in_as

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, fast_password_hashing):
    call_command("load_demo", stdout=io.StringIO())


def test_coordinator_confirms_one_link_and_queries_another(demo, new_page):
    unhcr = new_page()
    sign_in_as(unhcr, "unhcr")
    unhcr.goto("/alignment/")
    queue = unhcr.get_by_test_id("agency-queue")
    expect(queue).to_contain_text("No query awaits your agency.")

    page = new_page()
    sign_in_as(page, "coordinator")
    page.locator("#mainnav").get_by_role("link", name="Alignment").click()
    expect(page).to_have_url(re.compile(r"/alignment/$"))
    expect(page.get_by_test_id("figure-confirmed")).to_have_text("57%")
    expect(page.get_by_test_id("figure-links")).to_contain_text(
        "4 of 7 links; 1 queried, 2 awaiting"
    )
    expect(page.get_by_test_id("gaps")).to_contain_text("2.3 Compensation for victims")
    expect(page.get_by_test_id("review-queue")).to_contain_text("2 links await your review")

    # Confirm 1.2 → 1.2.
    row = page.get_by_test_id("link-1.2-1.2")
    row.get_by_role("textbox").fill("Agreed with the Ministry of Education.")
    row.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("alert")).to_contain_text("Link 1.2 → NAP 1.2 confirmed.")
    expect(page.get_by_test_id("link-1.2-1.2").get_by_test_id("status")).to_contain_text(
        "Confirmed"
    )
    expect(page.get_by_test_id("figure-confirmed")).to_have_text("71%")

    # Query 3.1 → 2.1: without a comment the page says what is missing.
    row = page.get_by_test_id("link-3.1-2.1")
    row.get_by_role("button", name="Query").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_contain_text(
        "Say what you query"
    )
    page.get_by_label("Comment").fill("Which investigations do the identified victims support?")
    page.get_by_role("button", name="Query").click()
    expect(page.get_by_role("alert")).to_contain_text("Link 3.1 → NAP 2.1 queried.")
    expect(page.get_by_test_id("figure-links")).to_contain_text(
        "5 of 7 links; 2 queried, 0 awaiting"
    )
    expect(page.get_by_test_id("review-queue")).to_contain_text("No link awaits your review")

    # UNHCR, which leads outcome 3.1, now finds the query in its queue...
    unhcr.reload()
    item = unhcr.get_by_test_id("queue-3.1-2.1")
    expect(item).to_contain_text("Which investigations do the identified victims support?")
    # ...and answers it: the link goes back to the coordinator.
    item.get_by_role("link", name="Answer").click()
    unhcr.get_by_label("Your reply").fill("Victims identified by the referral mechanism testify.")
    unhcr.get_by_role("button", name="Send answer").click()
    expect(unhcr.get_by_role("alert")).to_contain_text("is back with the coordinator")
    expect(unhcr.get_by_test_id("agency-queue")).to_contain_text("No query awaits your agency.")

    page.reload()
    expect(page.get_by_test_id("review-queue")).to_contain_text("1 link awaits your review")
    link = Alignment.objects.get(outcome__code="3.1", objective__code="2.1")
    assert link.review_status == "proposed"
    assert list(
        Alignment.history.filter(id=link.pk)
        .order_by("history_id")
        .values_list("history_change_reason", "history_user__username")
    ) == [("Demo data (load_demo)", None), ("Queried", "coordinator"), ("Answered", "unhcr")]


def test_two_coordinators_at_once_the_second_is_told(demo, new_page):
    first, second = new_page(), new_page()
    sign_in_as(first, "coordinator")
    sign_in_as(second, "manager")
    for page in (first, second):
        page.goto("/alignment/")
    first.get_by_test_id("link-1.2-1.2").get_by_role("button", name="Confirm").click()
    expect(first.get_by_role("alert")).to_contain_text("confirmed")
    row = second.get_by_test_id("link-1.2-1.2")
    row.get_by_role("textbox").fill("Not yet: the ministry has doubts.")
    row.get_by_role("button", name="Query").click()
    expect(second.get_by_test_id("review-conflict")).to_contain_text(
        "Someone else changed this link"
    )
    assert Alignment.objects.get(outcome__code="1.2", objective__code="1.2").review_status == (
        "confirmed"
    )


def test_the_report_prints_without_navigation_and_exports(demo, page, sign_in):
    sign_in("coordinator")
    page.goto("/alignment/")
    # A folded matrix group is opened for printing.
    page.locator("[data-testid=matrix-protection] > summary").click()
    expect(page.get_by_test_id("matrix-protection")).not_to_have_attribute("open", "")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    expect(page.get_by_test_id("matrix-protection")).to_have_attribute("open", "")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_role("button", name="Confirm").first).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 4

    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
