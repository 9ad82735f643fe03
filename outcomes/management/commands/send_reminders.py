"""``manage.py send_reminders``: e-mail agency staff what they still have to report.

Run it daily (cron, a systemd timer or any scheduler). Each person hears about
the indicators of outcomes their agency leads that are missing, drafted or
returned, for periods due within 14 days, within 3 days, and overdue; each
reminder goes once (``SentReminder``), so running it twice a day, or on two
servers, sends nothing twice. Locked periods are left alone.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from outcomes.reporting import plan_reminders
from outcomes.reporting_selectors import reminder_inputs, reminder_periods
from outcomes.services import reminder_send


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date like 2011-01-20, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "E-mail each agency's staff the results due within 14 days, within 3 days and "
        "overdue. Never sends the same reminder twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=_date, help="Act as if today were this date (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would be reminded; send nothing."
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        today = today or timezone.localdate()
        # Titles and the e-mail in the installation's language: nobody's own is stored.
        with translation.override(settings.LANGUAGE_CODE):
            inputs = reminder_inputs(reminder_periods(today))
        reminders = plan_reminders(**inputs, today=today)
        sent = 0
        for reminder in reminders:
            person = reminder.staff
            what = "; ".join(
                f"{item.period.name} {item.kind_label.lower()}: {len(item.rows)}"
                for item in reminder.items
            )
            if dry_run:
                self.stdout.write(f"Would remind {person.name} <{person.email}>: {what}")
                continue
            if reminder_send(reminder=reminder):
                sent += 1
                self.stdout.write(f"Reminded {person.name} <{person.email}>: {what}")
        verb = "would be sent" if dry_run else "sent"
        count = len(reminders) if dry_run else sent
        self.stdout.write(f"{count} reminder{'s' if count != 1 else ''} {verb} for {today}.")
