"""manage.py export_iati <programme_id> [--output FILE] [--validate]

Writes the programme's IATI 2.03 activity XML (the public view: approved results,
survivor-safe figures, donors' totals) to standard output or FILE. The data and
IATI's rules are always checked: with an error nothing is written and the command
fails, listing the problems in plain words. ``--validate`` also validates the XML
against the official schema (settings.IATI_SCHEMA_DIR) and fails if it is missing.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from api.iati.export import export_programme
from jointprogramme.models import Programme


class Command(BaseCommand):
    help = "Export a programme as IATI 2.03 activity XML, checked before it is written."

    def add_arguments(self, parser):
        parser.add_argument("programme_id", type=int)
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")
        parser.add_argument(
            "--validate",
            action="store_true",
            help="Also validate against the official IATI 2.03 schema (fails if it is missing).",
        )

    def handle(self, *args, programme_id: int, output: str | None, validate: bool, **options):
        programme = Programme.objects.filter(pk=programme_id).first()
        if programme is None:
            raise CommandError(f"There is no programme {programme_id}.")
        export = export_programme(programme, validate_schema=validate)
        if validate and not export.schema_checked:
            raise CommandError(export.schema_note)
        for problem in export.problems:
            self.stderr.write(str(problem))
        if not export.ok:
            raise CommandError(
                f"{len(export.errors)} error(s): nothing was written. Fix them and export again."
            )
        if output:
            Path(output).write_bytes(export.xml)
            self.stderr.write(f"Wrote {output} ({export.built.identifier}).")
        else:
            self.stdout.write(export.xml.decode("utf-8"), ending="")
        if validate:
            self.stderr.write(
                self.style.SUCCESS(
                    "Valid against the IATI 2.03 schema and IATI's rules"
                    + (f" ({len(export.warnings)} warning(s) above)." if export.warnings else ".")
                )
            )
