"""The demo shows a reporting cycle under way: 2010 H1 approved and locked, 2010 H2
with a draft, a submitted and a returned result, sensitive indicators broken down,
UNHCR staff approving other agencies' results."""

import datetime as dt

import pytest

from jointprogramme.demo import demo_load
from jointprogramme.models import Membership
from outcomes.models import PeriodLockEvent, ReportingPeriod, Result
from outcomes.reporting import DimensionParts, breakdown_problems

TODAY = dt.date(2026, 1, 15)


@pytest.fixture
def programme(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return demo_load(today=TODAY).programme


def test_demo_periods_have_due_dates_and_2010_h1_is_locked_with_its_reason(programme):
    periods = {p.name: p for p in ReportingPeriod.objects.filter(programme=programme)}
    assert all(p.due_date for p in periods.values())
    assert periods["2010 H1"].is_locked and periods["2010 H1"].locked_by.username == "manager"
    assert not periods["2010 H2"].is_locked
    event = PeriodLockEvent.objects.get(period=periods["2010 H1"])
    assert (event.action, event.reason) == ("locked", periods["2010 H1"].lock_reason)


def test_demo_results_stand_at_every_step_of_the_cycle(programme):
    statuses = {
        (r.indicator.code, r.period.name): r.status
        for r in Result.objects.filter(indicator__outcome__programme=programme).select_related(
            "indicator", "period"
        )
    }
    assert {s for (_code, period), s in statuses.items() if period == "2010 H1"} == {"approved"}
    assert statuses[("1.1.a", "2010 H2")] == "draft"
    assert statuses[("2.2.a", "2010 H2")] == "submitted"
    assert statuses[("3.1.a", "2010 H2")] == "returned"
    returned = Result.objects.get(indicator__code="3.1.a", period__name="2010 H2")
    assert returned.review_comment and returned.reviewed_by.username == "manager"
    approved = Result.objects.filter(status="approved")
    assert all(r.reviewed_by_id and r.reviewed_by_id != r.submitted_by_id for r in approved)


def test_demo_breakdowns_add_up_and_include_small_counts(programme):
    for result in Result.objects.filter(breakdowns__isnull=False).distinct():
        dimensions = {}
        for part in result.breakdowns.select_related("category__dimension"):
            dimensions.setdefault(part.category.dimension.name, []).append(part.value)
        checks = [DimensionParts(name, tuple(values)) for name, values in dimensions.items()]
        assert breakdown_problems(result.value, checks, complete=False) == []
        assert set(dimensions) == {d.name for d in result.indicator.dimensions.all()}
    small = Result.objects.get(indicator__code="3.2.a", period__name="2010 H1")
    assert small.value < programme.min_cell_size  # what donors see as "< 5"


def test_unhcr_staff_approve_other_agencies_results_in_the_demo(programme):
    flagged = Membership.objects.filter(programme=programme, can_approve=True)
    assert [m.user.username for m in flagged] == ["unhcr"]
