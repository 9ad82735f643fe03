"""The reporting cycle's rules as pure functions: the steps a result may take, the
parts of a disaggregated result, the current period, the reporting status of a
period on hand-built data, and which reminders are due. No database."""

import datetime as dt
from decimal import Decimal

import pytest

from outcomes.reporting import (
    MISSING,
    TRANSITIONS,
    DimensionParts,
    IndicatorToReport,
    PeriodInfo,
    ReminderPeriod,
    StaffMember,
    Step,
    StepRefused,
    breakdown_problems,
    current_period,
    edit_refusal,
    is_author,
    next_status,
    plan_reminders,
    reminder_kind,
    reporting_status,
)

DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"
STATUSES = [DRAFT, SUBMITTED, RETURNED, APPROVED]

# The whole state machine: (from, step) → to; every pair not listed is refused.
ALLOWED = {
    (DRAFT, Step.SUBMIT): SUBMITTED,
    (RETURNED, Step.SUBMIT): SUBMITTED,
    (SUBMITTED, Step.WITHDRAW): DRAFT,
    (SUBMITTED, Step.APPROVE): APPROVED,
    (SUBMITTED, Step.RETURN): RETURNED,
    (APPROVED, Step.REOPEN): RETURNED,
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("step", list(Step))
def test_every_step_from_every_status_is_allowed_or_refused_as_designed(status, step):
    if (status, step) in ALLOWED:
        assert next_status(status, step) == ALLOWED[(status, step)]
    else:
        with pytest.raises(StepRefused) as refused:
            next_status(status, step)
        assert str(refused.value)  # a message for people


def test_the_table_has_exactly_the_designed_transitions():
    declared = {
        (status, step): target
        for step, (starts, target) in TRANSITIONS.items()
        for status in starts
    }
    assert declared == ALLOWED


def test_refusals_say_what_to_do():
    with pytest.raises(StepRefused, match="a programme manager must reopen it first"):
        next_status(APPROVED, Step.SUBMIT)
    with pytest.raises(
        StepRefused, match="Only a submitted result can be approved; this one is draft"
    ):
        next_status(DRAFT, Step.APPROVE)


def test_only_drafts_and_returned_results_are_edited():
    assert edit_refusal(DRAFT) is None
    assert edit_refusal(RETURNED) is None
    assert "withdraw it" in edit_refusal(SUBMITTED)
    assert "reopen it" in edit_refusal(APPROVED)


def test_whoever_entered_or_submitted_a_result_is_its_author():
    assert is_author(7, submitted_by_id=7, reported_by_id=3)
    assert is_author(3, submitted_by_id=7, reported_by_id=3)
    assert not is_author(9, submitted_by_id=7, reported_by_id=3)
    assert not is_author(None, submitted_by_id=None, reported_by_id=None)


# Disaggregation totals -------------------------------------------------------------


def parts(name, *values):
    return DimensionParts(name, tuple(None if v is None else Decimal(v) for v in values))


def test_parts_that_add_up_to_the_total_are_accepted():
    dims = [parts("Sex", 27, 11), parts("Age group", 9, 29)]
    assert breakdown_problems(Decimal(38), dims, complete=True) == []


def test_parts_that_do_not_add_up_are_refused_with_both_figures():
    problems = breakdown_problems(Decimal(38), [parts("Sex", 27, 10)], complete=False)
    assert problems == ["Sex: the parts add up to 37, but the total is 38."]


def test_a_dimension_is_filled_in_completely_or_not_at_all():
    assert breakdown_problems(Decimal(38), [parts("Sex", None, None)], complete=False) == []
    assert breakdown_problems(Decimal(38), [parts("Sex", 38, None)], complete=False) == [
        "Sex: give every category (0 where there is none), or leave them all empty."
    ]


def test_submitting_needs_every_dimension():
    problems = breakdown_problems(Decimal(38), [parts("Age group", None, None)], complete=True)
    assert problems == [
        "Break the result down by age group before submitting: give every category "
        "(0 where there is none)."
    ]


def test_decimal_parts_are_compared_exactly():
    assert breakdown_problems(Decimal("12.5"), [parts("Sex", "6.25", "6.25")], complete=True) == []


# The current period ------------------------------------------------------------------


def period(pk, name, start, end, *, locked=False, due=None):
    return PeriodInfo(pk, name, dt.date(*start), dt.date(*end), due, locked)


PERIODS = [
    period(1, "2010 H1", (2010, 1, 1), (2010, 6, 30), locked=True),
    period(2, "2010 H2", (2010, 7, 1), (2010, 12, 31)),
    period(3, "2011 H1", (2011, 1, 1), (2011, 6, 30)),
]


def test_current_period_is_the_earliest_ended_one_not_locked():
    assert current_period(PERIODS, dt.date(2011, 1, 20)).name == "2010 H2"
    assert current_period(PERIODS, dt.date(2026, 1, 1)).name == "2010 H2"


def test_before_any_period_ends_the_one_under_way_is_current():
    assert current_period(PERIODS[1:], dt.date(2010, 9, 1)).name == "2010 H2"


def test_when_all_are_locked_the_latest_is_current():
    locked = [period(1, "A", (2010, 1, 1), (2010, 6, 30), locked=True)]
    assert current_period(locked, dt.date(2026, 1, 1)).name == "A"
    assert current_period([], dt.date(2026, 1, 1)) is None


# The reporting status of a period, on hand-built data ------------------------------


def indicator(pk, code, outcome_id, agency_id, agency):
    return IndicatorToReport(
        indicator_id=pk,
        code=code,
        title=f"Indicator {code}",
        outcome_id=outcome_id,
        outcome_code=code.rsplit(".", 1)[0],
        outcome_title=f"Outcome {outcome_id}",
        agency_id=agency_id,
        agency_name=agency,
        programme_id=1,
    )


INDICATORS = [
    indicator(1, "1.1.a", 11, 100, "IOM"),
    indicator(2, "1.1.b", 11, 100, "IOM"),
    indicator(3, "2.1.a", 21, 200, "UNODC"),
    indicator(4, "2.1.b", 21, 200, "UNODC"),
    indicator(5, "3.1.a", 31, 300, "UNHCR"),
    indicator(6, "3.1.b", 31, 300, "UNHCR"),
]
STATUS_BY_INDICATOR = {1: APPROVED, 2: DRAFT, 3: SUBMITTED, 4: RETURNED, 5: APPROVED}  # 6 missing
DUE = dt.date(2011, 1, 31)


def counts(group):
    c = group.counts
    return (c.missing, c.draft, c.submitted, c.returned, c.approved, c.overdue)


def test_before_the_due_date_nothing_is_overdue_and_everything_is_counted():
    report = reporting_status(
        INDICATORS, STATUS_BY_INDICATOR, due_date=DUE, today=dt.date(2011, 1, 20)
    )
    assert (report.totals.total, report.totals.overdue) == (6, 0)
    assert (report.totals.missing, report.totals.draft, report.totals.submitted) == (1, 1, 1)
    assert (report.totals.returned, report.totals.approved) == (1, 2)
    assert report.days_left == 11 and not report.past_due
    # What needs action first: returned, missing, draft, then submitted and approved.
    assert [r.indicator.code for r in report.rows] == [
        "2.1.b", "3.1.b", "1.1.b", "2.1.a", "1.1.a", "3.1.a",
    ]  # fmt: skip
    assert report.rows[1].status == MISSING and report.rows[1].status_label == "Missing"


def test_after_the_due_date_what_the_agencies_still_owe_is_overdue_and_first():
    report = reporting_status(
        INDICATORS, STATUS_BY_INDICATOR, due_date=DUE, today=dt.date(2011, 2, 3)
    )
    assert report.past_due and report.days_overdue == 3
    assert report.totals.overdue == 3  # draft, returned, missing; not submitted or approved
    assert [r.overdue for r in report.rows] == [True, True, True, False, False, False]
    by_agency = {g.label: counts(g) for g in report.by_agency}
    assert by_agency == {
        "UNODC": (0, 0, 1, 1, 0, 1),
        "IOM": (0, 1, 0, 0, 1, 1),
        "UNHCR": (1, 0, 0, 0, 1, 1),
    }
    by_outcome = {(g.label, g.title): counts(g) for g in report.by_outcome}
    assert by_outcome[("2.1", "Outcome 21")] == (0, 0, 1, 1, 0, 1)
    assert report.totals.approved_percent == 33


def test_agencies_with_the_most_overdue_come_first():
    statuses = {1: DRAFT, 2: DRAFT, 3: APPROVED, 4: APPROVED, 5: SUBMITTED, 6: APPROVED}
    report = reporting_status(INDICATORS, statuses, due_date=DUE, today=dt.date(2011, 3, 1))
    assert [(g.label, g.counts.overdue) for g in report.by_agency] == [
        ("IOM", 2),
        ("UNHCR", 0),
        ("UNODC", 0),
    ]


def test_a_period_without_due_date_is_never_overdue():
    report = reporting_status(INDICATORS, {}, due_date=None, today=dt.date(2030, 1, 1))
    assert report.totals.missing == 6 and report.totals.overdue == 0
    assert report.days_left is None


# Reminders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "kind"),
    [
        (30, None),
        (15, None),
        (14, "due_14"),
        (4, "due_14"),
        (3, "due_3"),
        (0, "due_3"),
        (-1, "overdue"),
    ],
)
def test_which_reminder_a_deadline_calls_for(days_left, kind):
    today = dt.date(2011, 1, 1)
    assert reminder_kind(today + dt.timedelta(days=days_left), today) == kind


def staff(user_id, agency_id, agency, programme_id=1):
    return StaffMember(user_id, f"u{user_id}@example.org", f"User {user_id}", programme_id,
                       agency_id, agency)  # fmt: skip


def test_each_person_hears_about_their_agencys_outstanding_indicators_once():
    h2 = ReminderPeriod(20, 1, "2010 H2", dt.date(2011, 1, 31))
    h1 = ReminderPeriod(10, 1, "2010 H1", dt.date(2010, 7, 31))
    statuses = {(20, i): s for i, s in STATUS_BY_INDICATOR.items()}  # H1: all missing
    people = [staff(1, 100, "IOM"), staff(2, 200, "UNODC"), staff(3, 300, "UNHCR")]
    reminders = plan_reminders(
        periods=[h2, h1],
        indicators=INDICATORS,
        statuses=statuses,
        staff=people,
        already_sent={(3, 10, "overdue")},  # UNHCR already reminded about H1
        today=dt.date(2011, 1, 29),
    )
    by_user = {
        r.staff.user_id: [(i.period.name, i.kind, [row.indicator.code for row in i.rows])
                          for i in r.items]
        for r in reminders
    }  # fmt: skip
    assert by_user == {
        1: [("2010 H1", "overdue", ["1.1.a", "1.1.b"]), ("2010 H2", "due_3", ["1.1.b"])],
        2: [("2010 H1", "overdue", ["2.1.a", "2.1.b"]), ("2010 H2", "due_3", ["2.1.b"])],
        3: [("2010 H2", "due_3", ["3.1.b"])],
    }
    iom = next(r for r in reminders if r.staff.user_id == 1)
    assert iom.subject == "Results to report: 2 overdue (2010 H1); 1 due within 3 days (2010 H2)"


def test_nothing_outstanding_or_another_programme_means_no_reminder():
    h2 = ReminderPeriod(20, 1, "2010 H2", dt.date(2011, 1, 31))
    done = {(20, i): APPROVED for i in range(1, 7)}
    people = [staff(1, 100, "IOM"), staff(9, 100, "IOM", programme_id=2)]
    assert plan_reminders(
        periods=[h2], indicators=INDICATORS, statuses=done, staff=people,
        already_sent=set(), today=dt.date(2011, 1, 29),
    ) == []  # fmt: skip
    reminders = plan_reminders(
        periods=[h2], indicators=INDICATORS, statuses={}, staff=people,
        already_sent=set(), today=dt.date(2011, 1, 29),
    )  # fmt: skip
    assert [r.staff.user_id for r in reminders] == [1]
