"""The funding pages for every role, an outsider and an anonymous visitor."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from funding.models import Payment, Pledge
from funding.views import TABLE_PAGE_SIZE
from tests import factories as f
from tests.conftest import ROLES

DASHBOARD = reverse("funding:dashboard")
OTHER_DONORS_SECRETS = ["Embassy of Sweden", "SIDA-SECRET-REF", "SWE-PAY-SECRET", "EU-REF-77"]
NOTES = ["Sweden&#x27;s confidential note", "Sweden's confidential note", "Norway&#x27;s own note"]


def page(funded, name, url=DASHBOARD):
    response = funded.world.client_for(name).get(url)
    return response, response.content.decode()


@pytest.mark.parametrize("name", ROLES)
def test_every_member_sees_the_headline_figures_computed_by_hand(funded, name):
    response, content = page(funded, name)
    assert response.status_code == 200
    for figure in ["450,000.00", "205,000.00", "180,000.00", "120,000.00", "270,000.00"]:
        assert figure in content
    assert "40.0% funded" in content
    assert 'id="funding-chart-data" type="application/json"' in content
    assert "vendor/chart.js/chart.umd.js" in content
    assert "js/funding-charts.js" in content
    assert "<script>" not in content  # no inline script: the CSP will forbid them


def test_anonymous_visitor_is_sent_to_sign_in(funded):
    response = funded.world.client_for(None).get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_outsider_sees_only_their_own_programme(funded):
    response, content = page(funded, "outsider")
    assert response.status_code == 200
    assert escape(funded.world.other_programme.title) in content
    for secret in ["Embassy of Norway", "Embassy of Sweden", "Public aware", "450,000.00"]:
        assert secret not in content


def test_user_without_a_programme_is_refused(db, client):
    client.force_login(f.UserFactory(username="nobody"))
    assert client.get(DASHBOARD).status_code == 403


def test_page_shows_original_currency_beside_the_converted_amount(funded):
    _, content = page(funded, "manager")
    assert "100,000.00 EUR" in content  # Norway's pledge, in the donor table
    assert "400,000.00 SEK" in content


def test_page_states_the_earmarking_rule_and_the_rounding_rule(funded):
    _, content = page(funded, "donor")
    assert "counts for its outcome and rolls up to the outcome&#x27;s pillar" in content
    assert "counts for the pillar only" in content
    assert "Not earmarked (whole programme)" in content
    assert "rounded to the cent, half up, once" in content


def test_donor_sees_own_pledges_in_full_and_others_by_totals_only(funded):
    _, content = page(funded, "donor")
    assert "Your pledges" in content
    assert "NOR-2009-1" in content and "NOR-PAY-1" in content
    assert reverse("funding:pledge", args=[funded.norway.pk]) in content
    assert reverse("funding:pledge", args=[funded.sweden.pk]) not in content
    for secret in OTHER_DONORS_SECRETS + NOTES:
        assert secret not in content
    assert "Anonymous donor" in content  # Sweden asked for it
    assert "European Union Delegation (EU)" in content  # by name and totals
    assert "25,000.00" in content


def test_long_pledge_and_payment_tables_come_a_page_at_a_time(funded):
    """30 more pledges: the table shows 25 rows, the pager says where the rest are;
    the second page has the rest, and the other table keeps its page."""
    world = funded.world
    donor = f.DonorFactory(name="Embassy of Many Pledges")
    for n in range(30):
        f.PledgeFactory(programme=world.programme, donor=donor, amount=Decimal(1000 + n))
    client = world.client_for("manager")
    first = client.get(DASHBOARD)
    pledges = first.context["tables"]["pledges"]
    assert TABLE_PAGE_SIZE == 25
    assert len([row for row in pledges.rows if not row.is_total]) == 25
    content = first.content.decode()
    assert 'data-testid="pager-pledges"' in content
    assert "Rows 1–25 of 33" in content
    assert "?pledges_page=2#table-pledges" in content
    assert 'data-testid="pager-payments"' not in content  # two payments: one page

    second = client.get(DASHBOARD, {"pledges_page": 2, "payments_page": 1})
    rows = second.context["tables"]["pledges"].rows
    assert len([row for row in rows if not row.is_total]) == 8
    assert "Rows 26–33 of 33" in second.content.decode()
    # A page out of range or not a number shows the nearest page, never an error.
    for wrong in ("99", "x"):
        assert client.get(DASHBOARD, {"pledges_page": wrong}).status_code == 200


def test_donor_cannot_see_the_pipeline(funded):
    _, content = page(funded, "donor")
    assert "Fundraising pipeline" not in content
    assert "Embassy of Japan" not in content
    assert "Invite to the field visit" not in content


@pytest.mark.parametrize("name", ["manager", "iom", "unodc"])
def test_agency_staff_and_managers_see_every_pledge_and_the_pipeline(funded, name):
    _, content = page(funded, name)
    assert "Embassy of Sweden" in content and "anonymous to other donors" in content
    assert "SIDA-SECRET-REF" in content and "SWE-PAY-SECRET" in content
    assert 'data-testid="pipeline"' in content
    assert "Embassy of Japan" in content and "Invite to the field visit" in content


def test_coordinator_sees_every_pledge_but_not_the_pipeline(funded):
    _, content = page(funded, "coordinator")
    assert "Embassy of Sweden" in content
    assert "Embassy of Japan" not in content


def test_only_managers_are_offered_to_record_a_pledge(funded):
    assert reverse("funding:pledge_create") in page(funded, "manager")[1]
    for name in ["iom", "donor", "coordinator"]:
        assert reverse("funding:pledge_create") not in page(funded, name)[1]


def test_missing_rate_is_reported_and_left_out(funded):
    f.PledgeFactory(
        programme=funded.world.programme,
        donor=funded.world.donor_org,
        amount=Decimal("90000"),
        currency="CHF",
        pledged_on=date(2009, 5, 5),
        status="committed",
    )
    _, content = page(funded, "manager")
    assert 'data-testid="missing-rates"' in content
    assert "90,000.00 CHF on 5 May 2009 — no CHF→USD rate on or before that date" in content
    assert "205,000.00" in content  # pledged unchanged: never counted as 0 or at 1
    assert "295,000.00" not in content and "90,000.00 USD" not in content


def test_missing_rate_of_another_donor_is_reported_to_a_donor_without_details(funded):
    f.PledgeFactory(
        programme=funded.world.programme,
        donor=funded.sweden.donor,
        amount=Decimal("12345"),
        currency="CHF",
        pledged_on=date(2009, 5, 5),
    )
    _, content = page(funded, "donor")
    warning = content[content.index('data-testid="missing-rates"') :].split("</div>")[0]
    assert "Pledge (another donor): CHF on 5 May 2009" in warning
    assert "12,345" not in warning and "Sweden" not in warning


def test_over_funded_programme_says_so(funded):
    f.PledgeFactory(
        programme=funded.world.programme,
        amount=Decimal("500000"),
        currency="USD",
        status="committed",
    )
    _, content = page(funded, "manager")
    assert "Over-funded by 230,000.00" in content


def test_nav_links_to_the_funding_page(funded):
    _, content = page(funded, "donor", reverse("dashboard"))
    assert f'href="{DASHBOARD}"' in content


# --- The pledge page -----------------------------------------------------------------


def pledge_url(pledge):
    return reverse("funding:pledge", args=[pledge.pk])


@pytest.mark.parametrize("name", ["manager", "unodc", "unhcr", "iom", "coordinator", "donor"])
def test_members_who_may_see_a_pledge_see_it_with_its_payments(funded, name):
    response, content = page(funded, name, pledge_url(funded.norway))
    assert response.status_code == 200
    assert "100,000.00 EUR = 130,000.00 USD" in content
    assert "NOR-PAY-1" in content and "70,000.00" in content
    assert "Norway&#x27;s own note" in content


def test_donor_cannot_see_another_donors_pledge(funded):
    response, content = page(funded, "donor", pledge_url(funded.sweden))
    assert response.status_code == 403
    assert "SWE-PAY-SECRET" not in content and "confidential" not in content


def test_outsider_gets_404_for_a_pledge_of_another_programme(funded):
    assert page(funded, "outsider", pledge_url(funded.norway))[0].status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in_from_a_pledge(funded):
    assert page(funded, None, pledge_url(funded.norway))[0].status_code == 302


def test_unknown_pledge_is_404(funded):
    assert page(funded, "manager", reverse("funding:pledge", args=[999999]))[0].status_code == 404


def test_pledge_page_reports_a_payment_without_a_rate(funded):
    f.PaymentFactory(
        pledge=funded.norway,
        amount=Decimal("10"),
        currency="GBP",
        received_on=date(2009, 8, 1),
        received_by=funded.world.agencies["iom"],
    )
    _, content = page(funded, "manager", pledge_url(funded.norway))
    assert "no GBP→USD rate" in content
    assert "no rate" in content
    assert "70,000.00" in content  # paid so far leaves the GBP payment out


# --- Recording pledges and payments -------------------------------------------------


def pledge_post(funded, **overrides):
    data = {
        "donor": funded.world.donor_org.pk,
        "amount": "75000.00",
        "currency": "eur",
        "pledged_on": "2009-09-01",
        "status": "pledged",
        "earmark": f"outcome:{funded.norway.earmark_outcome_id}",
        "reference": "NOR-2009-2",
        "note": "",
    }
    data.update(overrides)
    return data


def test_manager_records_a_pledge(funded):
    client = funded.world.client_for("manager")
    response = client.post(reverse("funding:pledge_create"), pledge_post(funded))
    pledge = Pledge.objects.get(reference="NOR-2009-2")
    assert response.status_code == 302
    assert response["Location"] == pledge_url(pledge)
    assert (pledge.currency, pledge.amount, pledge.earmark_outcome_id) == (
        "EUR",
        Decimal("75000.00"),
        funded.norway.earmark_outcome_id,
    )
    assert pledge.programme == funded.world.programme
    assert pledge.history.count() == 1


@pytest.mark.parametrize("name", ["iom", "coordinator", "donor"])
def test_only_managers_record_pledges(funded, name):
    client = funded.world.client_for(name)
    assert client.get(reverse("funding:pledge_create")).status_code == 403
    assert client.post(reverse("funding:pledge_create"), pledge_post(funded)).status_code == 403
    assert not Pledge.objects.filter(reference="NOR-2009-2").exists()


def test_pledge_with_bad_input_is_refused_with_a_message(funded):
    client = funded.world.client_for("manager")
    other_outcome = f.OutcomeFactory(programme=funded.world.other_programme)
    response = client.post(
        reverse("funding:pledge_create"),
        pledge_post(funded, currency="EURO", earmark=f"outcome:{other_outcome.pk}"),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "three-letter" in content or "at most 3" in content
    assert "Select a valid choice" in content
    assert not Pledge.objects.filter(reference="NOR-2009-2").exists()


def payment_post(**overrides):
    data = {"amount": "25000.00", "currency": "EUR", "received_on": "2009-09-15", "reference": "P"}
    data.update(overrides)
    return data


def test_agency_staff_record_a_payment_their_agency_received(funded):
    eu = funded.eu
    client = funded.world.client_for("iom")
    url = reverse("funding:payment_create", args=[eu.pk])
    unodc = funded.world.agencies["unodc"]
    response = client.post(url, payment_post(currency="USD", received_by=unodc.pk))
    assert response.status_code == 302
    payment = Payment.objects.get(pledge=eu)
    assert payment.received_by == funded.world.agencies["iom"]  # not the posted agency
    eu.refresh_from_db()
    assert eu.status == "committed"  # money that arrived was committed
    assert eu.version == 2


def test_manager_records_a_payment_for_any_agency(funded):
    client = funded.world.client_for("manager")
    url = reverse("funding:payment_create", args=[funded.norway.pk])
    unhcr = funded.world.agencies["unhcr"]
    assert client.post(url, payment_post(received_by=unhcr.pk)).status_code == 302
    assert funded.norway.payments.filter(received_by=unhcr, reference="P").exists()


@pytest.mark.parametrize(("name", "status"), [("donor", 403), ("coordinator", 403),
                                              ("outsider", 404)])  # fmt: skip
def test_others_cannot_record_payments(funded, name, status):
    client = funded.world.client_for(name)
    url = reverse("funding:payment_create", args=[funded.norway.pk])
    assert client.get(url).status_code == status
    assert client.post(url, payment_post()).status_code == status
    assert funded.norway.payments.count() == 1


def test_payment_with_bad_input_is_refused(funded):
    client = funded.world.client_for("iom")
    url = reverse("funding:payment_create", args=[funded.norway.pk])
    response = client.post(url, payment_post(amount="-5", received_on="2999-01-01"))
    assert response.status_code == 200
    assert "future" in response.content.decode()
    assert funded.norway.payments.count() == 1


# --- All programmes ------------------------------------------------------------------


def test_manager_sees_the_programmes_they_manage_summed(funded):
    response, content = page(funded, "manager", reverse("funding:installation"))
    assert response.status_code == 200
    assert escape(funded.world.programme.title) in content
    assert escape(funded.world.other_programme.title) not in content
    assert "Total of 1 programme" in content and "205,000.00" in content


def test_superuser_sees_every_programme(funded):
    admin = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    funded.world.users["root"] = admin
    _, content = page(funded, "root", reverse("funding:installation"))
    assert escape(funded.world.programme.title) in content
    assert escape(funded.world.other_programme.title) in content


@pytest.mark.parametrize("name", ["iom", "coordinator", "donor"])
def test_non_managers_cannot_see_all_programmes(funded, name):
    for url in ["installation", "installation_csv", "installation_xlsx"]:
        assert page(funded, name, reverse(f"funding:{url}"))[0].status_code == 403


def test_anonymous_visitor_cannot_see_all_programmes(funded):
    assert page(funded, None, reverse("funding:installation"))[0].status_code == 302
