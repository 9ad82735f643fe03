"""``manage.py load_demo``: the Serbia demo programme and one account per role."""

from django.core.management.base import BaseCommand

from jointprogramme.demo import DEMO_PASSWORD, DEMO_USERS, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo programme (Serbia, UN.GIFT, March 2009 roundtables) with sample "
        "outcomes, NAP objectives, donors and pledges, and the demo accounts. Safe to run "
        "again: it only adds what is missing. For demonstration only."
    )

    def handle(self, *args, **options):
        summary = demo_load()
        programme = summary.programme
        self.stdout.write(f"Demo programme: {programme.title} ({programme.short_title})")
        if summary.created_total:
            self.stdout.write("Created:")
            for label, count in sorted(summary.created.items(), key=lambda item: item[0].lower()):
                self.stdout.write(f"  {label}: {count}")
        self.stdout.write(
            f"{summary.created_total} records created, "
            f"{summary.existing_total} already present and left as they are."
        )
        if summary.accounts_updated:
            names = ", ".join(sorted(set(summary.accounts_updated)))
            self.stdout.write(f"Demo accounts reset to their documented role or password: {names}")
        self.stdout.write(
            "Records the source article does not state (outcomes, NAP objectives, donors, "
            "pledges, which ministries attended, some dates) are marked as sample data."
        )
        self.stdout.write(
            self.style.WARNING(
                "FOR DEMONSTRATION ONLY: the accounts "
                + ", ".join(DEMO_USERS)
                + f" share the published password {DEMO_PASSWORD}. "
                "Never load the demo into a real installation."
            )
        )
