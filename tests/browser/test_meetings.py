"""unodc records a meeting in a real browser, on the demo data: three ministries
invited, two attending, a feedback item on outcome 2.1 that then shows on the
outcome's page."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from meetings.models import Meeting
from outcomes.models import Outcome

pytestmark = pytest.mark.browser

INVITED = ["Ministry of Interior", "Ministry of Justice", "Ministry of Education"]
ATTENDING = INVITED[:2]


@pytest.fixture
def outcome(transactional_db, fast_password_hashing):
    call_command("load_demo", stdout=io.StringIO())
    return Outcome.objects.get(code="2.1")


def test_unodc_records_a_meeting_and_its_feedback_reaches_the_outcome(outcome, page, sign_in):
    sign_in("unodc")
    page.goto("/meetings/")
    page.get_by_role("link", name="New meeting").click()

    page.get_by_label("Kind").select_option(label="Bilateral meeting")
    page.get_by_label("Title").fill("Follow-up with the line ministries")
    page.get_by_label("Audience").select_option(label="National counterparts")
    page.locator("#id_start_date").fill("2009-04-10")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:00")
    page.get_by_label("Place").fill("Belgrade")
    page.get_by_label("Purpose").fill("Go through the comments of the roundtable.")
    page.get_by_role("button", name="Create meeting").click()

    # Straight on to invitations and attendance: many organisations, one save.
    expect(page.get_by_role("heading", name="Invitations and attendance")).to_be_visible()
    for name in INVITED:
        page.get_by_label(f"{name} invited", exact=True).check()
    for name in ATTENDING:
        page.get_by_label(f"{name} attended", exact=True).check()
    page.get_by_role("button", name="Save invitations and attendance").click()

    meeting = Meeting.objects.get(title="Follow-up with the line ministries")
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    expect(page.get_by_test_id("invited-count")).to_have_text("3")
    expect(page.get_by_test_id("attended-count")).to_have_text("2")
    expect(page.get_by_test_id("attendance-rate")).to_have_text("67%")
    expect(page.get_by_test_id("absent")).to_contain_text("Ministry of Education")
    expect(page.get_by_test_id("when")).to_have_text("10 Apr 2009, 10:00–12:00")

    # A feedback item on outcome 2.1, captured as the meeting goes.
    page.get_by_role("link", name="Add feedback").click()
    page.get_by_label("From").select_option(label="Ministry of Interior")
    page.get_by_label("Outcome").select_option(label=f"{outcome.code} {outcome.title}")
    page.get_by_label("What was said").fill("Train the border police with the criminal police.")
    page.get_by_role("button", name="Add feedback").click()
    expect(page.get_by_test_id("feedback-table")).to_contain_text(
        "Train the border police with the criminal police."
    )

    # ...and it is there on the outcome's page.
    page.get_by_test_id("feedback-table").get_by_role("link", name=outcome.code).click()
    expect(page).to_have_url(re.compile(rf"/outcomes/{outcome.pk}/$"))
    feedback = page.locator("section[aria-labelledby=feedback-heading]")
    expect(feedback).to_contain_text("Train the border police with the criminal police.")
    expect(feedback).to_contain_text("Follow-up with the line ministries")


def test_the_roundtable_of_23_march_2009_reads_as_the_article_and_prints_on_one_page(
    outcome, page, sign_in
):
    sign_in("coordinator")
    page.goto("/meetings/")
    page.get_by_role(
        "link", name="Roundtable with state secretaries on the joint programme"
    ).click()
    expect(page.get_by_test_id("when")).to_have_text("23 Mar 2009")
    opened, _chaired, presented = (page.get_by_test_id(f"role-{n}") for n in (1, 2, 3))
    for name in ("Lennart Kotsalainen", "Carla Ciavarella", "Gregoire Goodstein"):
        expect(opened).to_contain_text(name)
    expect(presented).to_contain_text("National Coordinator")
    expect(presented).to_contain_text("consultant")
    expect(page.get_by_test_id("invited-count")).to_have_text("8")
    invited = int(page.get_by_test_id("invited-count").inner_text())
    attended = int(page.get_by_test_id("attended-count").inner_text())
    assert attended > invited / 2  # "the majority of them participated"
    # The coordinator reads the record but does not record meetings.
    expect(page.get_by_role("link", name="Invitations and attendance")).to_have_count(0)

    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
