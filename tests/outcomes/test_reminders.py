"""``manage.py send_reminders``: each agency's staff are e-mailed what they still
have to report, 14 days and 3 days before the due date and once overdue; never
the same reminder twice, never about locked periods, never to other roles."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from outcomes.models import Result, SentReminder
from outcomes.services import period_lock
from tests import factories as f

DUE = dt.date(2011, 1, 31)


@pytest.fixture
def cycle(outcome_world):
    """Outcome 2.1 (UNODC leads, IOM takes part) with 2.1.a and 2.1.b; outcome 1.1
    led by IOM with 1.1.a; 2010 H2 due on 31 January 2011."""
    ow = outcome_world
    world = ow.world
    f.IndicatorFactory(outcome=ow.outcome, code="2.1.b", title="Convictions")
    iom_outcome = f.OutcomeFactory(
        programme=world.programme,
        pillar=ow.outcome.pillar,
        code="1.1",
        title="Awareness raised",
        lead_agency=world.agencies["iom"],
    )
    f.IndicatorFactory(outcome=iom_outcome, code="1.1.a", title="People reached")
    for i, period in enumerate(ow.periods):
        period.due_date = [dt.date(2010, 7, 31), DUE, dt.date(2011, 7, 31)][i]
        period.save()
    ow.periods[0].results.all().delete()
    period_lock(period=ow.periods[0], reason="Sent", by=ow.user("manager"))  # 2010 H1 closed
    return ow


def run(today, *args) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--today", today.isoformat(), *args, stdout=out)
    return out.getvalue()


def recipients(mailoutbox) -> list[str]:
    return sorted(address for mail in mailoutbox for address in mail.to)


def test_reminders_go_to_the_agencies_that_lead_outstanding_indicators_once(cycle, mailoutbox):
    output = run(DUE - dt.timedelta(days=10))
    assert recipients(mailoutbox) == ["iom@example.org", "unodc@example.org"]
    assert "2 reminders sent for 2011-01-21." in output
    unodc = next(m for m in mailoutbox if m.to == ["unodc@example.org"])
    assert unodc.subject == "Results to report: 2 due within 14 days (2010 H2)"
    assert "2.1.a" in unodc.body and "2.1.b" in unodc.body and "1.1.a" not in unodc.body
    assert f"/outcomes/{cycle.outcome.pk}/#indicator-{cycle.indicator.pk}" in unodc.body
    assert "(missing)" in unodc.body

    # The same day again, or the next day: nothing new.
    run(DUE - dt.timedelta(days=10))
    run(DUE - dt.timedelta(days=9))
    assert len(mailoutbox) == 2
    assert SentReminder.objects.count() == 2

    # Three days before: the second reminder; after the due date: the last one.
    run(DUE - dt.timedelta(days=3))
    run(DUE - dt.timedelta(days=1))
    run(DUE + dt.timedelta(days=1))
    run(DUE + dt.timedelta(days=20))
    kinds = sorted(SentReminder.objects.values_list("user__username", "kind"))
    assert kinds == [
        ("iom", "due_14"),
        ("iom", "due_3"),
        ("iom", "overdue"),
        ("unodc", "due_14"),
        ("unodc", "due_3"),
        ("unodc", "overdue"),
    ]
    assert len(mailoutbox) == 6


def test_what_is_submitted_or_approved_is_not_reminded(cycle, mailoutbox):
    ow = cycle
    for indicator in ow.outcome.indicators.all():
        f.ResultFactory(indicator=indicator, period=ow.periods[1], status=Result.Status.SUBMITTED)
    f.ResultFactory(
        indicator=ow.world.programme.outcomes.get(code="1.1").indicators.get(),
        period=ow.periods[1],
        status=Result.Status.RETURNED,
        value=Decimal(3),
    )
    run(DUE - dt.timedelta(days=2))
    assert recipients(mailoutbox) == ["iom@example.org"]  # its returned 1.1.a
    assert "(returned)" in mailoutbox[0].body


def test_locked_periods_and_far_deadlines_send_nothing(cycle, mailoutbox):
    run(dt.date(2010, 8, 15))  # 2010 H1 overdue but locked; 2010 H2 far off
    assert mailoutbox == []
    period_lock(period=cycle.periods[1], reason="Closed early", by=cycle.user("manager"))
    run(DUE + dt.timedelta(days=5))
    assert mailoutbox == []


def test_staff_without_an_address_or_inactive_are_skipped(cycle, mailoutbox):
    users = cycle.world.users
    users["unodc"].email = ""
    users["unodc"].save()
    users["iom"].is_active = False
    users["iom"].save()
    run(DUE)
    assert mailoutbox == []


def test_a_reminder_that_could_not_be_sent_is_tried_again(cycle, mailoutbox, monkeypatch):
    import outcomes.services

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(outcomes.services, "send_mail", broken)
    with pytest.raises(ConnectionRefusedError):
        run(DUE)
    assert not SentReminder.objects.exists()
    monkeypatch.undo()
    run(DUE)
    assert len(mailoutbox) == 2


def test_a_reminder_another_run_recorded_first_is_not_sent_again(cycle, mailoutbox):
    from outcomes.reporting import plan_reminders
    from outcomes.reporting_selectors import reminder_inputs, reminder_periods
    from outcomes.services import reminder_send

    today = DUE - dt.timedelta(days=2)
    planned = plan_reminders(**reminder_inputs(reminder_periods(today)), today=today)
    # Another process sends UNODC's while this one was planning.
    unodc = next(r for r in planned if r.staff.agency_name == "UNODC")
    SentReminder.objects.create(user_id=unodc.staff.user_id, period=cycle.periods[1], kind="due_3")
    assert reminder_send(reminder=unodc) is False
    assert mailoutbox == []


def test_dry_run_says_who_would_be_reminded_and_sends_nothing(cycle, mailoutbox):
    output = run(DUE, "--dry-run")
    assert "Would remind unodc <unodc@example.org>: 2010 H2 due within 3 days: 2" in output
    assert "2 reminders would be sent" in output
    assert mailoutbox == [] and not SentReminder.objects.exists()


def test_a_bad_date_is_refused_clearly():
    with pytest.raises(CommandError, match="--today must be a date like 2011-01-20"):
        call_command("send_reminders", "--today", "tomorrow", stdout=io.StringIO())
