"""The reporting cycle's writes (services) and who may take each step (rules):
every allowed and refused step, no self-approval, locked periods refuse every
write, stale buttons are refused, disaggregated parts add up."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from jointprogramme.access import forget_memberships
from jointprogramme.models import Membership
from outcomes.models import Indicator, PeriodLockEvent, Result, ResultBreakdown
from outcomes.reporting import Step
from outcomes.services import (
    BreakdownInvalid,
    PeriodLocked,
    ResultConflict,
    ResultRefused,
    RowChanges,
    outcome_update,
    period_lock,
    period_unlock,
    result_approve,
    result_reopen,
    result_report,
    result_return,
    result_step,
    result_submit,
    result_token,
    result_withdraw,
)
from tests import factories as f

Status = Result.Status


@pytest.fixture
def ow(outcome_world):
    return outcome_world


def report(ow, who="iom", *, value="20", period=0, based_on="", submit=False, **extra):
    return result_report(
        indicator=ow.indicator,
        period=ow.periods[period],
        value=Decimal(value),
        note=extra.pop("note", ""),
        evidence_url="",
        based_on=based_on,
        by=ow.user(who),
        submit=submit,
        **extra,
    )


def fresh(result) -> Result:
    return Result.objects.select_related("period", "indicator__outcome").get(pk=result.pk)


def step(ow, result, name, who, comment=""):
    result = fresh(result)
    return result_step(
        result=result, step=name, based_on=result_token(result), by=ow.user(who), comment=comment
    )


def in_status(ow, status, *, author="iom") -> Result:
    """A result of 2.1.a in 2010 H1 brought to ``status`` the way people would."""
    result = report(ow, author, submit=status != Status.DRAFT)
    if status == Status.APPROVED:
        result = step(ow, result, Step.APPROVE, "manager")
    elif status == Status.RETURNED:
        result = step(ow, result, Step.RETURN, "manager", "Check the source.")
    return fresh(result)


# The whole cycle -------------------------------------------------------------------


def test_submit_return_correct_resubmit_approve_keeps_who_and_when_in_the_history(ow):
    result = report(ow, "iom", value="20", submit=True)
    assert result.status == Status.SUBMITTED
    assert (result.submitted_by, result.submitted_for) == (ow.user("iom"), ow.world.agencies["iom"])
    assert result.submitted_at is not None

    result = step(ow, result, Step.RETURN, "manager", "The court registers say 22.")
    assert (result.status, result.reviewed_by) == (Status.RETURNED, ow.user("manager"))
    assert result.review_comment == "The court registers say 22."

    result = report(ow, "iom", value="22", based_on=result_token(fresh(result)))
    assert (result.status, result.value) == (Status.RETURNED, Decimal("22"))  # still to resubmit
    result = step(ow, result, Step.SUBMIT, "iom")
    assert result.status == Status.SUBMITTED
    assert result.review_comment == ""  # reviewed afresh; the return stays in the history

    result = step(ow, result, Step.APPROVE, "manager")
    assert (result.status, result.value, result.reviewed_by) == (
        Status.APPROVED,
        Decimal("22"),
        ow.user("manager"),
    )
    history = list(result.history.order_by("history_id"))
    assert [(h.history_change_reason, h.status, h.history_user.username) for h in history] == [
        (None, Status.DRAFT, "iom"),
        ("submitted", Status.SUBMITTED, "iom"),
        ("returned", Status.RETURNED, "manager"),
        (None, Status.RETURNED, "iom"),
        ("submitted", Status.SUBMITTED, "iom"),
        ("approved", Status.APPROVED, "manager"),
    ]
    assert history[2].review_comment == "The court registers say 22."


ALLOWED = {
    (Status.DRAFT, Step.SUBMIT): (Status.SUBMITTED, "iom"),
    (Status.RETURNED, Step.SUBMIT): (Status.SUBMITTED, "iom"),
    (Status.SUBMITTED, Step.WITHDRAW): (Status.DRAFT, "iom"),
    (Status.SUBMITTED, Step.APPROVE): (Status.APPROVED, "manager"),
    (Status.SUBMITTED, Step.RETURN): (Status.RETURNED, "manager"),
    (Status.APPROVED, Step.REOPEN): (Status.RETURNED, "manager"),
}


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED]
)
@pytest.mark.parametrize("name", list(Step))
def test_every_step_from_every_status_through_the_service(ow, status, name):
    result = in_status(ow, status)
    before = fresh(result)
    expected = ALLOWED.get((status, name))
    who = expected[1] if expected else "manager"
    if expected:
        after = step(ow, result, name, who, comment="Because.")
        assert after.status == expected[0]
    else:
        with pytest.raises(ResultRefused):
            step(ow, result, name, who, comment="Because.")
        after = fresh(result)
        assert (after.status, after.version) == (before.status, before.version)


def test_only_drafts_and_returned_results_can_be_corrected(ow):
    for status in (Status.SUBMITTED, Status.APPROVED):
        Result.objects.all().delete()
        result = in_status(ow, status)
        with pytest.raises(ResultRefused, match="withdraw it|reopen it"):
            report(ow, "iom", value="99", based_on=result_token(result))
        assert fresh(result).value == Decimal("20")


def test_an_approved_result_changes_only_by_a_manager_reopening_it(ow):
    result = in_status(ow, Status.APPROVED)
    result = step(ow, result, Step.REOPEN, "manager", "The ministry revised its figure.")
    assert (result.status, result.review_comment) == (
        Status.RETURNED,
        "The ministry revised its figure.",
    )
    result = report(ow, "iom", value="25", based_on=result_token(fresh(result)), submit=True)
    assert (result.status, result.value) == (Status.SUBMITTED, Decimal("25"))


def test_returning_or_reopening_needs_a_comment(ow):
    submitted = in_status(ow, Status.SUBMITTED)
    with pytest.raises(ResultRefused, match="Say what needs to change"):
        step(ow, submitted, Step.RETURN, "manager", "   ")
    assert fresh(submitted).status == Status.SUBMITTED


def test_named_services_take_the_same_steps(ow):
    result = report(ow, "iom")
    result = result_submit(
        result=fresh(result), based_on=result_token(fresh(result)), by=ow.user("iom")
    )
    result = result_withdraw(
        result=fresh(result), based_on=result_token(fresh(result)), by=ow.user("iom")
    )
    assert result.status == Status.DRAFT
    result = result_submit(
        result=fresh(result), based_on=result_token(fresh(result)), by=ow.user("iom")
    )
    result = result_return(
        result=fresh(result),
        based_on=result_token(fresh(result)),
        by=ow.user("manager"),
        comment="x",
    )
    result = result_submit(
        result=fresh(result), based_on=result_token(fresh(result)), by=ow.user("iom")
    )
    result = result_approve(
        result=fresh(result), based_on=result_token(fresh(result)), by=ow.user("manager")
    )
    result = result_reopen(
        result=fresh(result),
        based_on=result_token(fresh(result)),
        by=ow.user("manager"),
        comment="y",
    )
    assert result.status == Status.RETURNED


# Nobody approves their own ----------------------------------------------------------


def test_the_submitter_cannot_approve_or_return_their_own_result(ow):
    result = report(ow, "manager", submit=True)
    for name in (Step.APPROVE, Step.RETURN):
        with pytest.raises(ResultRefused, match="someone else must approve or return it"):
            step(ow, result, name, "manager", "ok")
    assert fresh(result).status == Status.SUBMITTED
    # Another manager may.
    other = f.UserFactory(username="manager2")
    f.MembershipFactory(user=other, programme=ow.world.programme, role="manager")
    result = fresh(result)
    approved = result_approve(result=result, based_on=result_token(result), by=other)
    assert approved.status == Status.APPROVED


def test_whoever_entered_the_value_cannot_approve_it_either(ow):
    result = report(ow, "manager")  # the manager types the figure in
    result = step(ow, result, Step.SUBMIT, "unodc")  # UNODC submits it
    with pytest.raises(ResultRefused):
        step(ow, result, Step.APPROVE, "manager")
    assert not ow.user("manager").has_perm("outcomes.approve_result", fresh(result))


def _perm(user, result) -> bool:
    forget_memberships(user)
    result = Result.objects.select_related("indicator__outcome__programme", "period").get(
        pk=result.pk
    )
    return user.has_perm("outcomes.approve_result", result)


def test_who_may_approve_managers_and_flagged_staff_of_another_agency(ow):
    result = report(ow, "iom", submit=True)  # submitted for IOM
    users = ow.world.users
    assert _perm(users["manager"], result)
    for name in ("unodc", "unhcr", "iom", "coordinator", "donor", "outsider"):
        assert not _perm(users[name], result), name
    # UNHCR staff flagged as approvers review IOM's results, never UNHCR's own.
    Membership.objects.filter(user=users["unhcr"]).update(can_approve=True)
    assert _perm(users["unhcr"], result)
    Membership.objects.filter(user=users["iom"]).update(can_approve=True)
    assert not _perm(users["iom"], result)  # its own agency (and its own result)
    Result.objects.filter(pk=result.pk).update(submitted_for=ow.world.agencies["unhcr"])
    assert not _perm(users["unhcr"], result)


def test_flagged_staff_approve_through_the_service(ow):
    Membership.objects.filter(user=ow.user("unhcr")).update(can_approve=True)
    result = report(ow, "iom", submit=True)
    assert step(ow, result, Step.APPROVE, "unhcr").status == Status.APPROVED


# Locked periods ------------------------------------------------------------------------


def test_a_locked_period_refuses_every_write_until_a_manager_unlocks_it(ow):
    approved = in_status(ow, Status.APPROVED)  # 2010 H1
    period = ow.periods[0]
    period_lock(period=period, reason="Report sent to donors", by=ow.user("manager"))
    period.refresh_from_db()
    assert period.is_locked and period.lock_reason == "Report sent to donors"

    with pytest.raises(PeriodLocked, match="2010 H1 is locked \\(Report sent to donors\\)"):
        step(ow, approved, Step.REOPEN, "manager", "Correction")
    with pytest.raises(PeriodLocked):
        report(ow, "manager", value="1", based_on=result_token(approved))
    Result.objects.filter(pk=approved.pk).update(status=Status.DRAFT)
    for name in Step:
        with pytest.raises(PeriodLocked):
            step(ow, approved, name, "manager", "x")
    assert fresh(approved).value == Decimal("20")
    # A new result in a locked period is refused too.
    other = f.IndicatorFactory(outcome=ow.outcome, code="2.1.b")
    with pytest.raises(PeriodLocked):
        result_report(
            indicator=other, period=period, value=Decimal(1), note="", evidence_url="",
            based_on="", by=ow.user("unodc"),
        )  # fmt: skip
    assert not Result.objects.filter(indicator=other).exists()

    with pytest.raises(ResultRefused, match="Give the reason for unlocking"):
        period_unlock(period=period, reason=" ", by=ow.user("manager"))
    period_unlock(period=period, reason="Ministry corrected its figures", by=ow.user("manager"))
    period.refresh_from_db()
    assert not period.is_locked
    assert report(ow, "iom", value="21", based_on=result_token(fresh(approved))).value == 21
    events = [(e.action, e.reason, e.by.username) for e in PeriodLockEvent.objects.order_by("pk")]
    assert events == [
        ("locked", "Report sent to donors", "manager"),
        ("unlocked", "Ministry corrected its figures", "manager"),
    ]


def test_locking_twice_or_unlocking_an_open_period_is_refused(ow):
    period = ow.periods[1]
    with pytest.raises(ResultRefused, match="is not locked"):
        period_unlock(period=period, reason="why", by=ow.user("manager"))
    period_lock(period=period, reason="", by=ow.user("manager"))
    with pytest.raises(ResultRefused, match="already locked"):
        period_lock(period=period, reason="", by=ow.user("manager"))
    assert PeriodLockEvent.objects.count() == 1


def test_indicators_with_approved_or_locked_results_are_not_deleted_with_the_outcome_edit(ow):
    in_status(ow, Status.APPROVED)
    indicator = Indicator.objects.get(pk=ow.indicator.pk)
    with pytest.raises(
        ResultRefused, match="2.1.a cannot be deleted: its result for 2010 H1 is approved"
    ):
        outcome_update(
            outcome=ow.outcome,
            expected_version=ow.outcome.version,
            by=ow.user("manager"),
            indicators=RowChanges(deleted=[indicator]),
        )
    assert Indicator.objects.filter(pk=indicator.pk).exists()


# Stale pages -------------------------------------------------------------------------


def test_a_button_from_a_page_opened_before_a_change_is_refused(ow):
    result = report(ow, "iom", submit=True)
    stale = result_token(fresh(result))
    step(ow, result, Step.WITHDRAW, "iom")
    report(ow, "iom", value="99", based_on=result_token(fresh(result)), submit=True)
    # The manager approves what they saw (20): it is 99 now, so nothing happens.
    with pytest.raises(ResultConflict) as conflict:
        result_approve(result=fresh(result), based_on=stale, by=ow.user("manager"))
    assert conflict.value.current.value == Decimal("99")
    assert fresh(result).status == Status.SUBMITTED


# Disaggregation -----------------------------------------------------------------------


@pytest.fixture
def sex_and_age(ow):
    programme = ow.world.programme
    sex = f.DisaggregationDimensionFactory(programme=programme, name="Sex", order=1)
    female = f.DisaggregationCategoryFactory(dimension=sex, name="Female")
    male = f.DisaggregationCategoryFactory(dimension=sex, name="Male")
    age = f.DisaggregationDimensionFactory(programme=programme, name="Age group", order=2)
    child = f.DisaggregationCategoryFactory(dimension=age, name="Children")
    adult = f.DisaggregationCategoryFactory(dimension=age, name="Adults")
    ow.indicator.dimensions.set([sex, age])
    return female, male, child, adult


def parts(*pairs):
    return {category.pk: None if value is None else Decimal(value) for category, value in pairs}


def test_parts_are_stored_when_each_dimension_adds_up_to_the_total(ow, sex_and_age):
    female, male, child, adult = sex_and_age
    result = report(
        ow, "iom", value="38",
        breakdown=parts((female, 27), (male, 11), (child, 9), (adult, 29)), submit=True,
    )  # fmt: skip
    stored = dict(result.breakdowns.values_list("category__name", "value"))
    assert stored == {"Female": 27, "Male": 11, "Children": 9, "Adults": 29}
    assert ResultBreakdown.history.count() == 4


def test_parts_that_do_not_add_up_are_refused_and_nothing_is_written(ow, sex_and_age):
    female, male, child, adult = sex_and_age
    with pytest.raises(BreakdownInvalid) as invalid:
        report(
            ow,
            "iom",
            value="38",
            breakdown=parts((female, 27), (male, 10), (child, 9), (adult, 29)),
        )
    assert invalid.value.problems == ["Sex: the parts add up to 37, but the total is 38."]
    assert not Result.objects.exists() and not ResultBreakdown.objects.exists()


def test_a_result_without_its_breakdown_is_saved_but_not_submitted(ow, sex_and_age):
    female, male, child, adult = sex_and_age
    draft = report(ow, "iom", value="38", breakdown=parts((female, 27), (male, 11)))
    with pytest.raises(BreakdownInvalid, match="Break the result down by age group"):
        step(ow, draft, Step.SUBMIT, "iom")
    assert fresh(draft).status == Status.DRAFT
    # Completing it (and clearing nothing) lets it through.
    report(
        ow, "iom", value="38", based_on=result_token(fresh(draft)),
        breakdown=parts((female, 27), (male, 11), (child, 9), (adult, 29)),
    )  # fmt: skip
    assert step(ow, draft, Step.SUBMIT, "iom").status == Status.SUBMITTED


def test_emptying_a_dimension_removes_its_parts(ow, sex_and_age):
    female, male, child, adult = sex_and_age
    result = report(
        ow, "iom", value="38", breakdown=parts((female, 27), (male, 11), (child, 9), (adult, 29))
    )
    report(
        ow, "iom", value="38", based_on=result_token(fresh(result)),
        breakdown=parts((female, 27), (male, 11), (child, None), (adult, None)),
    )  # fmt: skip
    assert set(result.breakdowns.values_list("category__name", flat=True)) == {"Female", "Male"}


# Two reviewers at the same instant ------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database that takes concurrent writers (SQLite's test database does not)",
)
def test_two_reviewers_acting_on_one_submission_at_once_only_one_wins(ow, transactional_db):
    """One manager approves while another returns the same submitted result: the
    conditional claim of its version lets exactly one through."""
    second = f.UserFactory(username="manager2")
    f.MembershipFactory(user=second, programme=ow.world.programme, role="manager")
    result = report(ow, "iom", submit=True)
    token = result_token(fresh(result))
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def act(name: str, who, step_name: str) -> None:
        try:
            mine = fresh(result)
            barrier.wait(timeout=10)
            try:
                result_step(result=mine, step=step_name, based_on=token, by=who, comment="No.")
                outcomes[name] = "done"
            except ResultConflict:
                outcomes[name] = "refused"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=("approve", ow.user("manager"), Step.APPROVE)),
        threading.Thread(target=act, args=("return", second, Step.RETURN)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["done", "refused"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "done")
    expected = Status.APPROVED if winner == "approve" else Status.RETURNED
    assert fresh(result).status == expected
    assert (
        fresh(result).history.filter(history_change_reason__in=["approved", "returned"]).count()
        == 1
    )
