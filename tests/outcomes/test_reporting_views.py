"""The reporting cycle's pages and posts, for every role, a member of another
programme and an anonymous visitor; what each sees of results (drafts, statuses,
survivor-safe figures, locks) on the outcome pages and in the exports; the
reporting status page; and the query budgets of the new pages at two sizes."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from outcomes.models import PeriodLockEvent, Result
from outcomes.services import period_lock, result_token
from tests import factories as f
from tests.conftest import EVERYONE

Status = Result.Status
EDITORS = {"manager", "unodc", "iom"}  # of outcome 2.1 (UNODC leads, IOM takes part)


def make_result(ow, status, *, author="iom", period=0, value="20", indicator=None) -> Result:
    agency = ow.world.agencies.get(author)
    submitted = status != Status.DRAFT
    return f.ResultFactory(
        indicator=indicator or ow.indicator,
        period=ow.periods[period],
        value=Decimal(value),
        status=status,
        reported_by=ow.user(author),
        submitted_by=ow.user(author) if submitted else None,
        submitted_for=agency if submitted else None,
        reviewed_by=ow.user("manager") if status in (Status.APPROVED, Status.RETURNED) else None,
    )


def step_url(ow, result, step):
    return reverse("outcomes:result_step", args=[ow.outcome.pk, result.pk, step])


def post_step(ow, who, result, step, **data):
    payload = {"based_on": result_token(result), "comment": "Please check.", **data}
    return ow.client_for(who).post(step_url(ow, result, step), payload)


def state(result):
    fresh = Result.objects.get(pk=result.pk)
    return (fresh.status, fresh.value, fresh.version, Result.history.count())


# Steps, for every role ------------------------------------------------------------------

STEP_CASES = [  # step, status it starts from, who may, status it leads to
    ("submit", Status.DRAFT, EDITORS, Status.SUBMITTED),
    ("withdraw", Status.SUBMITTED, EDITORS, Status.DRAFT),
    ("approve", Status.SUBMITTED, {"manager"}, Status.APPROVED),
    ("return", Status.SUBMITTED, {"manager"}, Status.RETURNED),
    ("reopen", Status.APPROVED, {"manager"}, Status.RETURNED),
]


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize(("step", "start", "allowed", "target"), STEP_CASES)
def test_each_step_for_each_role(outcome_world, name, step, start, allowed, target):
    ow = outcome_world
    result = make_result(ow, start)
    before = state(result)
    client = ow.client_for(name)
    payload = {"based_on": result_token(result), "comment": "Please check."}
    response = client.post(step_url(ow, result, step), payload)
    if name in allowed:
        assert response.status_code == 302, response.content.decode()[:500]
        assert (
            response["Location"] == f"{ow.outcome.get_absolute_url()}#indicator-{ow.indicator.pk}"
        )
        assert Result.objects.get(pk=result.pk).status == target
        return
    if name is None:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif name == "outsider":
        assert response.status_code == 404
    else:
        assert response.status_code == 403
    assert state(result) == before
    assert client.get(step_url(ow, result, step)).status_code in {302, 404, 405}


def test_approving_ones_own_result_is_refused_with_the_reason(outcome_world):
    ow = outcome_world
    result = make_result(ow, Status.SUBMITTED, author="manager")
    before = state(result)
    response = post_step(ow, "manager", result, "approve")
    assert response.status_code == 403
    assert "someone else must approve or return it" in response.content.decode()
    assert state(result) == before


def test_a_step_in_a_locked_period_is_a_conflict_that_says_why(outcome_world):
    ow = outcome_world
    result = make_result(ow, Status.SUBMITTED)
    period_lock(period=ow.periods[0], reason="Report sent", by=ow.user("manager"))
    before = state(result)
    response = post_step(ow, "manager", result, "approve")
    assert response.status_code == 409
    assert "2010 H1 is locked (Report sent)" in response.content.decode()
    assert state(result) == before


def test_a_step_from_a_stale_page_is_refused(outcome_world):
    ow = outcome_world
    result = make_result(ow, Status.SUBMITTED)
    response = post_step(ow, "manager", result, "approve", based_on=f"{result.pk}:0")
    assert response.status_code == 409
    assert "changed after you opened the page" in response.content.decode()
    assert Result.objects.get(pk=result.pk).status == Status.SUBMITTED


def test_returning_without_a_comment_is_bad_input(outcome_world):
    ow = outcome_world
    result = make_result(ow, Status.SUBMITTED)
    response = post_step(ow, "manager", result, "return", comment="")
    assert response.status_code == 400
    assert "Say what needs to change" in response.content.decode()
    assert Result.objects.get(pk=result.pk).status == Status.SUBMITTED


def test_unknown_steps_and_results_of_other_outcomes_are_not_found(outcome_world):
    ow = outcome_world
    result = make_result(ow, Status.SUBMITTED)
    client = ow.client_for("manager")
    assert client.post(step_url(ow, result, "publish"), {}).status_code == 404
    elsewhere = f.IndicatorFactory(outcome=ow.other_outcome)
    other = f.ResultFactory(
        indicator=elsewhere,
        period=f.ReportingPeriodFactory(programme=ow.world.other_programme),
        status=Status.SUBMITTED,
    )
    url = reverse("outcomes:result_step", args=[ow.outcome.pk, other.pk, "approve"])
    assert client.post(url, {}).status_code == 404


def test_a_step_may_return_to_the_reporting_status_page_but_nowhere_else(outcome_world):
    ow = outcome_world
    result = make_result(ow, Status.SUBMITTED)
    status_page = reverse("outcomes:reporting_status")
    response = post_step(ow, "manager", result, "approve", next=status_page)
    assert response["Location"] == status_page
    other = make_result(ow, Status.SUBMITTED, period=1)
    response = post_step(ow, "manager", other, "approve", next="https://evil.example/")
    assert response["Location"].startswith(ow.outcome.get_absolute_url())


# What the outcome pages show ------------------------------------------------------------


@pytest.fixture
def mixed(outcome_world):
    """2010 H1 approved (20), 2010 H2 submitted (30), 2011 H1 a draft (40)."""
    ow = outcome_world
    make_result(ow, Status.APPROVED, period=0, value="20")
    make_result(ow, Status.SUBMITTED, period=1, value="30")
    make_result(ow, Status.DRAFT, period=2, value="40")
    return ow


@pytest.mark.parametrize("name", ["manager", "unodc", "unhcr", "iom", "coordinator", "donor"])
def test_only_approved_results_count_and_only_staff_see_the_others(mixed, name):
    ow = mixed
    response = ow.client_for(name).get(ow.outcome.get_absolute_url())
    indicator = response.context["outcome"].indicator_list[0]
    assert indicator.latest_result.value == Decimal("20")  # the latest approved
    assert indicator.progress == 25  # (20 - 10) / (50 - 10)
    shown = [r.period.name for r in indicator.result_list]
    content = response.content.decode()
    if name in {"coordinator", "donor"}:
        assert shown == ["2010 H1"]
        assert "result-2.1.a-2010-h2" not in content
        assert "Draft" not in content and "Submitted" not in content
    else:
        assert shown == ["2010 H1", "2010 H2", "2011 H1"]
        assert 'data-testid="status">Submitted<' in content
        assert 'data-testid="status">Draft<' in content
    listing = ow.client_for(name).get(reverse("outcomes:list")).content.decode()
    row = listing[listing.index('data-testid="outcome-2.1"') :]
    assert "20 / 50 cases" in row[: row.index("</tr>")]


def test_the_outcome_page_offers_each_role_its_steps(mixed):
    ow = mixed
    submitted = Result.objects.get(period=ow.periods[1])
    approve = step_url(ow, submitted, "approve")
    withdraw = step_url(ow, submitted, "withdraw")
    pages = {
        name: ow.client_for(name).get(ow.outcome.get_absolute_url()).content.decode()
        for name in ("manager", "unodc", "iom", "unhcr", "donor")
    }
    assert approve in pages["manager"] and withdraw in pages["manager"]
    assert approve not in pages["iom"] and withdraw in pages["iom"]
    assert "Waiting for someone else to approve it." in pages["iom"]
    assert approve not in pages["unodc"] and withdraw in pages["unodc"]
    assert approve not in pages["unhcr"] and withdraw not in pages["unhcr"]
    assert "results/" not in pages["donor"]


def test_a_returned_result_shows_who_returned_it_and_why(outcome_world):
    ow = outcome_world
    result = make_result(ow, Status.SUBMITTED)
    post_step(ow, "manager", result, "return", comment="Attach the court statistics.")
    content = ow.client_for("iom").get(ow.outcome.get_absolute_url()).content.decode()
    assert "Returned by manager" in content
    assert "“Attach the court statistics.”" in content


def test_a_locked_period_shows_on_the_outcome_pages_and_offers_no_steps(mixed):
    ow = mixed
    period_lock(period=ow.periods[0], reason="Report sent", by=ow.user("manager"))
    approved = Result.objects.get(period=ow.periods[0])
    content = ow.client_for("manager").get(ow.outcome.get_absolute_url()).content.decode()
    row = content[content.index('data-testid="result-2.1.a-2010-h1"') :]
    row = row[: row.index("</tr>")]
    assert 'data-testid="locked"' in row and "Report sent" in row
    assert step_url(ow, approved, "reopen") not in content
    listing = ow.client_for("donor").get(reverse("outcomes:list")).content.decode()
    assert "(2010 H1, " in listing and "locked)" in listing


@pytest.fixture
def sensitive(outcome_world):
    """A sensitive indicator broken down by sex: 2010 H1 approved, 3 women and 40 men."""
    ow = outcome_world
    programme = ow.world.programme
    sex = f.DisaggregationDimensionFactory(programme=programme, name="Sex")
    women = f.DisaggregationCategoryFactory(dimension=sex, name="Women", order=1)
    men = f.DisaggregationCategoryFactory(dimension=sex, name="Men", order=2)
    indicator = f.IndicatorFactory(
        outcome=ow.outcome,
        code="2.1.v",
        title="Victims identified",
        unit="victims",
        is_sensitive=True,
        baseline=Decimal(2),
        target=Decimal(60),
    )
    indicator.dimensions.set([sex])
    result = make_result(ow, Status.APPROVED, value="43", indicator=indicator)
    f.ResultBreakdownFactory(result=result, category=women, value=Decimal(3))
    f.ResultBreakdownFactory(result=result, category=men, value=Decimal(40))
    small = make_result(ow, Status.APPROVED, value="4", indicator=indicator, period=1)
    f.ResultBreakdownFactory(result=small, category=women, value=Decimal(4))
    f.ResultBreakdownFactory(result=small, category=men, value=Decimal(0))
    return ow


def test_donors_see_sensitive_figures_survivor_safe_and_staff_exactly(sensitive):
    ow = sensitive
    donor = ow.client_for("donor").get(ow.outcome.get_absolute_url())
    indicator = next(i for i in donor.context["outcome"].indicator_list if i.code == "2.1.v")
    h1, h2 = indicator.result_list
    assert h1.figures.total.label == "43"
    assert [fig.label for _c, fig in h1.figures.dimensions[0].cells] == ["< 5", "hidden"]
    assert h2.figures.total.label == "< 5"
    assert [fig.label for _c, fig in h2.figures.dimensions[0].cells] == ["< 5", "0"]
    assert indicator.baseline_figure.label == "< 5"
    assert indicator.progress is None  # it would give the hidden figures back
    content = donor.content.decode()
    assert 'data-suppressed="small"' in content and 'data-suppressed="secondary"' in content
    for name in ("manager", "iom", "coordinator"):
        page = ow.client_for(name).get(ow.outcome.get_absolute_url())
        exact = next(i for i in page.context["outcome"].indicator_list if i.code == "2.1.v")
        assert [fig.label for _c, fig in exact.result_list[0].figures.dimensions[0].cells] == [
            "3",
            "40",
        ]
        assert exact.result_list[1].figures.total.label == "4"


def test_donors_do_not_see_small_counts_on_the_results_framework_page(sensitive):
    ow = sensitive
    donor = ow.client_for("donor").get(reverse("outcomes:list")).content.decode()
    row = donor[donor.index("2.1.v") :]
    row = row[: row.index("</div>")]
    assert "&lt; 5" in row and "aria-valuenow" not in row
    staff = ow.client_for("unhcr").get(reverse("outcomes:list")).content.decode()
    row = staff[staff.index("2.1.v") :]
    assert "4 / 60 victims" in row[: row.index("</div>")]


def test_small_baselines_of_sensitive_indicators_are_hidden_in_the_donors_history(sensitive):
    ow = sensitive

    def baseline(who):
        history = ow.client_for(who).get(ow.outcome.get_absolute_url()).context["history"]
        entry = next(e for e in history if e.kind == "Indicator" and e.label == "2.1.v")
        return next(c.new for c in entry.changes if c.field == "Baseline")

    assert baseline("donor") == "< 5"
    assert baseline("manager") == "2"


def test_results_history_is_not_shown_to_donors(sensitive):
    ow = sensitive
    history = ow.client_for("donor").get(ow.outcome.get_absolute_url()).context["history"]
    assert "Result" not in {entry.kind for entry in history}
    history = ow.client_for("manager").get(ow.outcome.get_absolute_url()).context["history"]
    assert "Result" in {entry.kind for entry in history}


# Exports --------------------------------------------------------------------------------


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_donor_export_holds_only_approved_survivor_safe_figures(sensitive):
    ow = sensitive
    make_result(ow, Status.SUBMITTED, period=2, value="33")
    rows = csv_rows(ow.client_for("donor").get(reverse("outcomes:results_csv")))
    figures = [
        (r["Indicator"], r["Period"], r["Dimension"], r["Category"], r["Value"], r["Shown as"])
        for r in rows
    ]
    assert figures == [
        ("2.1.v", "2010 H1", "Total", "", "43", "43"),
        ("2.1.v", "2010 H1", "Sex", "Women", "", "< 5"),
        ("2.1.v", "2010 H1", "Sex", "Men", "", "hidden"),
        ("2.1.v", "2010 H2", "Total", "", "", "< 5"),
        ("2.1.v", "2010 H2", "Sex", "Women", "", "< 5"),
        ("2.1.v", "2010 H2", "Sex", "Men", "0", "0"),
    ]
    staff = csv_rows(ow.client_for("iom").get(reverse("outcomes:results_csv")))
    assert [r["Value"] for r in staff if r["Indicator"] == "2.1.v"] == [
        "43",
        "3",
        "40",
        "4",
        "4",
        "0",
    ]
    assert "33" not in {r["Value"] for r in staff}  # submitted, not approved


def test_the_xlsx_export_matches_the_csv(sensitive):
    ow = sensitive
    response = ow.client_for("donor").get(reverse("outcomes:results_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Outcome", "Indicator", "Indicator title")
    assert [(r[7], r[8], r[9], r[10]) for r in rows[1:4]] == [
        ("Total", None, 43, "43"),
        ("Sex", "Women", None, "< 5"),
        ("Sex", "Men", None, "hidden"),
    ]


# The reporting status page ------------------------------------------------------------


def status_page(ow, who, **params):
    return ow.client_for(who).get(reverse("outcomes:reporting_status"), params)


@pytest.mark.parametrize("name", EVERYONE)
def test_reporting_status_page_for_each_role(mixed, name):
    response = status_page(mixed, name)
    if name is None:
        assert response.status_code == 302
    elif name in {"coordinator", "donor"}:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        content = response.content.decode()
        if name == "outsider" or name == "unhcr":  # their own programme, nothing of ours
            assert "2.1.a" not in content
        else:
            assert "2.1.a" in content


def test_reporting_status_counts_a_chosen_period_with_overdue_first(outcome_world):
    ow = outcome_world
    world = ow.world
    second = f.IndicatorFactory(outcome=ow.outcome, code="2.1.b", order=2)
    iom_outcome = f.OutcomeFactory(
        programme=world.programme,
        pillar=ow.outcome.pillar,
        code="1.1",
        lead_agency=world.agencies["iom"],
    )
    iom_indicator = f.IndicatorFactory(outcome=iom_outcome, code="1.1.a")
    make_result(ow, Status.APPROVED, period=0)  # 2.1.a approved
    make_result(ow, Status.RETURNED, period=0, indicator=second)  # 2.1.b returned
    make_result(ow, Status.SUBMITTED, period=0, indicator=iom_indicator)  # 1.1.a submitted
    ow.periods[0].due_date = dt.date(2010, 7, 31)  # long overdue
    ow.periods[0].save()
    response = status_page(ow, "manager", period=ow.periods[0].pk)
    report = response.context["report"]
    assert response.context["period"] == ow.periods[0]
    assert [(r.indicator.code, r.status, r.overdue) for r in report.rows] == [
        ("2.1.b", "returned", True),
        ("1.1.a", "submitted", False),
        ("2.1.a", "approved", False),
    ]
    assert [(g.label, g.counts.overdue, g.counts.approved) for g in report.by_agency] == [
        ("UNODC", 1, 1),
        ("IOM", 0, 0),
    ]
    content = response.content.decode()
    assert content.index('data-testid="row-2.1.b"') < content.index('data-testid="row-2.1.a"')
    assert 'data-testid="total-overdue">1<' in content
    # IOM staff see the outcomes IOM leads or takes part in: both.
    iom = status_page(ow, "iom", period=ow.periods[0].pk).context["report"]
    assert {r.indicator.code for r in iom.rows} == {"2.1.a", "2.1.b", "1.1.a"}
    unhcr = status_page(ow, "unhcr", period=ow.periods[0].pk).context["report"]
    assert unhcr.rows == []


def test_reporting_status_starts_at_the_current_period(outcome_world):
    ow = outcome_world
    period_lock(period=ow.periods[0], reason="Sent", by=ow.user("manager"))
    response = status_page(ow, "manager")
    assert response.context["period"] == ow.periods[1]  # earliest ended and not locked
    bad = status_page(ow, "manager", period="nonsense")
    assert bad.status_code == 200 and bad.context["period"] == ow.periods[1]


# Locking periods -----------------------------------------------------------------------


@pytest.mark.parametrize("name", EVERYONE)
def test_lock_and_unlock_for_each_role(outcome_world, name):
    ow = outcome_world
    period = ow.periods[0]
    lock = reverse("outcomes:period_lock", args=[period.pk, "lock"])
    response = ow.client_for(name).post(lock, {"reason": "Report sent"})
    period.refresh_from_db()
    if name == "manager":
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('outcomes:reporting_status')}?period={period.pk}"
        assert period.is_locked and period.locked_by == ow.user("manager")
        unlock = reverse("outcomes:period_lock", args=[period.pk, "unlock"])
        assert ow.client_for(name).post(unlock, {"reason": ""}).status_code == 400
        assert ow.client_for(name).post(unlock, {"reason": "Correction"}).status_code == 302
        period.refresh_from_db()
        assert not period.is_locked
        return
    expected = {None: 302, "outsider": 404}.get(name, 403)
    assert response.status_code == expected
    assert not period.is_locked and not PeriodLockEvent.objects.exists()


def test_the_status_page_shows_the_lock_and_its_history(outcome_world):
    ow = outcome_world
    period = ow.periods[0]
    period_lock(period=period, reason="Report sent to donors", by=ow.user("manager"))
    content = status_page(ow, "manager", period=period.pk).content.decode()
    assert 'data-testid="lock-state"' in content and "Report sent to donors" in content
    assert "Unlock 2010 H1" in content
    assert "Locked by manager" in content
    staff = status_page(ow, "unodc", period=period.pk).content.decode()
    assert 'data-testid="lock-form"' not in staff and "Report sent to donors" in staff


# The report form ------------------------------------------------------------------------


def report_url(ow, indicator=None):
    return reverse("outcomes:report_result", args=[ow.outcome.pk, (indicator or ow.indicator).pk])


def test_save_and_submit_in_one_go(outcome_world):
    ow = outcome_world
    response = ow.client_for("iom").post(
        report_url(ow), {"period": ow.periods[1].pk, "value": "31", "action": "submit"}
    )
    assert response.status_code == 302
    result = Result.objects.get(indicator=ow.indicator)
    assert (result.status, result.submitted_by) == (Status.SUBMITTED, ow.user("iom"))


def test_reporting_into_a_locked_period_is_a_conflict_with_the_reason(outcome_world):
    ow = outcome_world
    period_lock(period=ow.periods[0], reason="Report sent", by=ow.user("manager"))
    page = ow.client_for("iom").get(report_url(ow), {"period": ow.periods[0].pk}).content.decode()
    assert "2010 H1 (locked)" in page and "2010 H1 is locked (Report sent)" in page
    response = ow.client_for("iom").post(report_url(ow), {"period": ow.periods[0].pk, "value": "3"})
    assert response.status_code == 409
    assert "2010 H1 is locked (Report sent)" in response.content.decode()
    assert not Result.objects.exists()


def test_correcting_a_submitted_result_is_refused_until_withdrawn(outcome_world):
    ow = outcome_world
    result = make_result(ow, Status.SUBMITTED)
    data = {"period": ow.periods[0].pk, "value": "99", "based_on": result_token(result)}
    response = ow.client_for("iom").post(report_url(ow), data)
    assert response.status_code == 409
    assert "withdraw it to change it" in response.content.decode()
    assert Result.objects.get(pk=result.pk).value == Decimal("20")


def test_the_form_asks_for_the_parts_and_checks_them_against_the_total(sensitive):
    ow = sensitive
    indicator = ow.outcome.indicators.get(code="2.1.v")
    women, men = (c for d in indicator.dimensions.all() for c in d.categories.order_by("order"))
    page = ow.client_for("iom").get(report_url(ow, indicator))
    assert f'name="part_{women.pk}"' in page.content.decode()
    data = {
        "period": ow.periods[2].pk,
        "value": "12",
        f"part_{women.pk}": "5",
        f"part_{men.pk}": "6",
    }
    response = ow.client_for("iom").post(report_url(ow, indicator), data)
    assert response.status_code == 200
    assert "Sex: the parts add up to 11, but the total is 12." in response.content.decode()
    data[f"part_{men.pk}"] = "7"
    assert ow.client_for("iom").post(report_url(ow, indicator), data).status_code == 302
    result = Result.objects.get(indicator=indicator, period=ow.periods[2])
    assert dict(result.breakdowns.values_list("category__name", "value")) == {"Women": 5, "Men": 7}
    corrected = ow.client_for("iom").get(report_url(ow, indicator), {"period": ow.periods[2].pk})
    assert corrected.context["form"][f"part_{men.pk}"].value() == Decimal(7)


# Query budgets ---------------------------------------------------------------------------

STATUS_PAGE_QUERIES = 8
EXPORT_QUERIES = 10  # the results export built: 5 read the results, 1 the fingerprint
EXPORT_QUERIES_CACHED = 5  # the same file again, from the cache
DETAIL_WITH_DIMENSIONS_QUERIES = 20  # manager: 19, plus the dimensions' categories


def build(world, *, outcomes: int):
    programme = world.programme
    pillar = f.PillarFactory(programme=programme, code="protection")
    periods = [
        f.ReportingPeriodFactory(programme=programme, name=name) for name in ("2010 H1", "2010 H2")
    ]
    sex = f.DisaggregationDimensionFactory(programme=programme, name="Sex")
    women = f.DisaggregationCategoryFactory(dimension=sex, name="Women")
    men = f.DisaggregationCategoryFactory(dimension=sex, name="Men")
    statuses = [Status.APPROVED, Status.SUBMITTED, Status.DRAFT, Status.RETURNED]
    first = None
    for n in range(outcomes):
        outcome = f.OutcomeFactory(
            programme=programme,
            pillar=pillar,
            code=f"3.{n + 1}",
            lead_agency=list(world.agencies.values())[n % 3],
            participating_agencies=[world.agencies["iom"]],
        )
        first = first or outcome
        for code in ("a", "b"):
            indicator = f.IndicatorFactory(
                outcome=outcome, code=f"{outcome.code}.{code}", is_sensitive=True
            )
            indicator.dimensions.set([sex])
            for p, period in enumerate(periods):
                result = f.ResultFactory(
                    indicator=indicator,
                    period=period,
                    value=Decimal(10 + n),
                    status=statuses[(n + p) % 4],
                    reported_by=world.users["iom"],
                    submitted_by=world.users["iom"],
                    submitted_for=world.agencies["iom"],
                )
                f.ResultBreakdownFactory(result=result, category=women, value=Decimal(3))
                f.ResultBreakdownFactory(result=result, category=men, value=Decimal(7 + n))
        period_lock(period=periods[0], reason="x", by=world.users["manager"]) if n == 0 else None
    return first


@pytest.mark.parametrize("size", [3, 60])
def test_reporting_status_page_query_count_is_constant(world, size, django_assert_num_queries):
    build(world, outcomes=size)
    manager, iom = world.client_for("manager"), world.client_for("iom")
    with django_assert_num_queries(STATUS_PAGE_QUERIES):
        response = manager.get(reverse("outcomes:reporting_status"))
    assert response.context["report"].totals.total == size * 2
    with django_assert_num_queries(STATUS_PAGE_QUERIES):  # agency staff: the same
        iom.get(reverse("outcomes:reporting_status"))


@pytest.mark.parametrize("size", [3, 60])
def test_results_export_query_count_is_constant(world, size, django_assert_num_queries):
    build(world, outcomes=size)
    for client in (world.client_for("donor"), world.client_for("manager")):
        with django_assert_num_queries(EXPORT_QUERIES):
            response = client.get(reverse("outcomes:results_csv"))
        assert response.status_code == 200
        with django_assert_num_queries(EXPORT_QUERIES_CACHED):
            again = client.get(reverse("outcomes:results_csv"))
        assert again.content == response.content


@pytest.mark.parametrize("size", [3, 60])
def test_outcome_page_with_breakdowns_query_count_is_constant(
    world, size, django_assert_num_queries
):
    outcome = build(world, outcomes=size)
    for extra in range(size // 3):  # the outcome itself grows too
        indicator = f.IndicatorFactory(outcome=outcome, code=f"x{extra}", is_sensitive=True)
        indicator.dimensions.set(outcome.indicators.first().dimensions.all())
    client = world.client_for("manager")
    with django_assert_num_queries(DETAIL_WITH_DIMENSIONS_QUERIES):
        client.get(outcome.get_absolute_url())
