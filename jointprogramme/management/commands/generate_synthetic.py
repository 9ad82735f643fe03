"""Fill the database with synthetic programmes for benchmarks (see jointprogramme.synthetic)."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError

from jointprogramme import synthetic


class Command(BaseCommand):
    help = (
        "Replace the synthetic data set (programmes titled 'Synthetic …', users bench_…) "
        "with a new one. --scale 1 is about the demo's size, --scale large (= 20) the size "
        "of a real installation. The same --seed gives the same data."
    )
    # It writes rows only: a broken page elsewhere must not stop a benchmark's set-up.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            default="1",
            help='A whole number from 1, or "large" (= 20). Default 1.',
        )
        parser.add_argument("--seed", type=int, default=42, help="Random seed. Default 42.")
        parser.add_argument(
            "--with-history",
            action="store_true",
            help="Also write an initial audit-history row for every audited record.",
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Only delete the synthetic data set, generate nothing.",
        )
        parser.add_argument("--report-json", help="Also write the timings to this JSON file.")
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run even with DJANGO_DEBUG off. Never on a production database: it "
            "creates a superuser and accounts with a published password.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "generate_synthetic creates a superuser and accounts whose password "
                f"({synthetic.PASSWORD}) is published, so it runs only with DJANGO_DEBUG on. "
                "On a database that is not production, pass --allow-without-debug."
            )
        log = self.stdout.write if options["verbosity"] > 0 else synthetic._quiet
        try:
            if options["clear"]:
                deleted = synthetic.delete_synthetic(log)
                self.stdout.write(f"Removed {sum(deleted.values()):,} synthetic rows.")
                return
            scale = synthetic.parse_scale(options["scale"])
            spec = synthetic.spec_for_scale(scale)
            log(
                f"Generating synthetic data, scale {scale}, seed {options['seed']}: "
                f"{spec.programmes} programme(s) of {spec.outcomes} outcomes, "
                f"{spec.organisations:,} organisations, {spec.contacts:,} contacts."
            )
            log(
                "Audit history: "
                + (
                    "an initial record for every audited row."
                    if options["with_history"]
                    else "none (bulk load; history starts with the first edit)."
                )
            )
            report = synthetic.generate(
                scale=scale,
                seed=options["seed"],
                with_history=options["with_history"],
                log=log,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        except ProtectedError as error:
            raise CommandError(
                "Synthetic organisations are used by records outside the synthetic set, "
                f"so they cannot be replaced: {error.args[0]}"
            ) from error
        log(
            self.style.SUCCESS(
                f"Generated {report.rows:,} rows in {report.seconds:.1f} s "
                f"({report.rows_per_second:,.0f} rows/s)."
            )
        )
        log(
            f"Sign in as bench_p01_manager, bench_p01_unodc, bench_p01_coordinator, "
            f"bench_p01_donor … (one set per programme) or bench_admin, password "
            f"{synthetic.PASSWORD} — synthetic accounts for benchmarks only."
        )
        if options["report_json"]:
            with open(options["report_json"], "w", encoding="utf-8") as out:
                json.dump(report.as_dict(), out, indent=2)
