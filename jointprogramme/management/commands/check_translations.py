"""Fail when an interface string has no Serbian translation, or the Cyrillic
catalogue or a compiled file is out of step with the Latin catalogue."""

from django.core.management.base import BaseCommand, CommandError

from jointprogramme.catalogues import catalogue_problems, load_pair


class Command(BaseCommand):
    help = "Check both Serbian catalogues are complete and consistent (exit 1 if not)."

    def handle(self, *args, **options):
        problems = catalogue_problems(**load_pair())
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} translation problem(s).")
        self.stdout.write("Both Serbian catalogues are complete and consistent.")
