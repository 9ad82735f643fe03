"""The funding page in a real browser, on the demo data: charts drawn, no console
errors, a donor sees its own pledges and never the pipeline."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from funding.models import Pledge
from jointprogramme.models import Membership

pytestmark = pytest.mark.browser

CHARTS = ["chart-pillars", "chart-donors", "chart-quarters"]


@pytest.fixture
def demo(transactional_db, fast_password_hashing):
    call_command("load_demo", stdout=io.StringIO())
    donor = Membership.objects.get(user__username="donor").organisation
    own = list(Pledge.objects.filter(donor=donor).order_by("pk"))
    others = list(Pledge.objects.exclude(donor=donor).order_by("pk"))
    assert own and others
    return own, others


def console_errors(page) -> list[str]:
    """Errors the page logs, but not the browser's own favicon probe."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error" and "favicon" not in (message.location or {}).get("url", ""):
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def drawn_pixels(page, canvas_id: str) -> int:
    """How many pixels of the canvas the chart painted (0 when nothing was drawn)."""
    return page.evaluate(
        """(id) => {
            const canvas = document.getElementById(id);
            if (!canvas || !window.Chart || !Chart.getChart(canvas)) return 0;
            const context = canvas.getContext("2d");
            const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
            return painted;
        }""",
        canvas_id,
    )


def test_donor_sees_the_charts_and_its_own_pledges_but_not_the_pipeline(demo, page, sign_in):
    own, others = demo
    errors = console_errors(page)
    sign_in("donor")

    page.get_by_role("link", name="Funding").click()
    expect(page).to_have_url(re.compile(r"/funding/$"))
    expect(page.get_by_role("heading", name="Funding", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-funding-charts", "3")
    for chart in CHARTS:
        assert drawn_pixels(page, chart) > 1000, chart

    # Each chart has its figures in a table.
    expect(page.get_by_test_id("table-pillars")).to_contain_text("Total")
    expect(page.get_by_test_id("table-donors")).to_contain_text("Total")
    expect(page.get_by_test_id("table-quarters")).to_contain_text("Q")

    # Its own pledges in full; other donors' pledges are not listed.
    expect(page.get_by_role("heading", name="Your pledges")).to_be_visible()
    pledges = page.get_by_test_id("table-pledges")
    for pledge in own:
        expect(pledges).to_contain_text(pledge.reference)
    for pledge in others:
        expect(pledges).not_to_contain_text(pledge.reference)

    # No pipeline, anywhere on the page.
    expect(page.get_by_test_id("pipeline")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("Fundraising pipeline")

    # Its own pledge opens with its payments; another donor's is refused.
    pledges.get_by_role("link", name=f"#{own[0].pk}", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/funding/pledges/{own[0].pk}/$"))
    expect(page.get_by_role("heading", name="Payments received")).to_be_visible()
    assert errors == []
    response = page.goto(f"/funding/pledges/{others[0].pk}/")
    assert response.status == 403


def test_manager_sees_the_pipeline_and_downloads_the_report(demo, page, sign_in):
    errors = console_errors(page)
    sign_in("manager")
    page.goto("/funding/")
    expect(page.get_by_test_id("pipeline")).to_be_visible()
    for chart in CHARTS:
        assert drawn_pixels(page, chart) > 1000, chart
    with page.expect_download() as download:
        page.get_by_role("link", name="Export XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert errors == []
