"""A Serbian reader switches the interface to Cyrillic and reads the alignment
report in Cyrillic, on the demo (``manage.py load_demo``: 4 of 7 links confirmed,
the one gap is objective 2.3, whose Serbian text the demo gives)."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_as

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, fast_password_hashing):
    call_command("load_demo", stdout=io.StringIO())


def test_coordinator_reads_the_alignment_report_in_cyrillic_then_latin(demo, page):
    sign_in_as(page, "coordinator")
    page.get_by_role("button", name="Ћирилица").click()
    expect(page.locator("html")).to_have_attribute("lang", "sr")
    nav = page.locator("#mainnav")
    nav.get_by_role("link", name="Усклађеност").click()
    expect(page).to_have_url(re.compile(r"/alignment/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Усклађеност са Националним акционим планом"
    )
    expect(page.get_by_test_id("figure-links")).to_contain_text("4 од 7 веза")
    expect(page.get_by_test_id("gap-2.3")).to_contain_text(
        "Накнада штете жртвама и одузимање имовине трговаца људима"
    )
    expect(page.get_by_test_id("plan-shown")).to_contain_text(
        "Национални акциони план за борбу против трговине људима"
    )
    # The choice is remembered: the next page is Cyrillic too.
    nav.get_by_role("link", name="Исходи").click()
    expect(nav.get_by_role("link", name="Усклађеност")).to_be_visible()
    # And Latin script on request, from the same stored Serbian text.
    page.get_by_role("button", name="Latinica").click()
    expect(page.locator("html")).to_have_attribute("lang", "sr-latn")
    page.goto("/alignment/")
    expect(page.get_by_test_id("gap-2.3")).to_contain_text(
        "Naknada štete žrtvama i oduzimanje imovine trgovaca ljudima"
    )
