"""Generate the Serbian Cyrillic catalogue from the Latin one and compile both."""

from django.core.management.base import BaseCommand

from jointprogramme.catalogues import catalogue_path, write_cyrillic_and_compile


class Command(BaseCommand):
    help = (
        "Write locale/sr (Cyrillic) from locale/sr_Latn by transliteration and compile "
        "both .mo files with polib. Run after editing the Latin catalogue."
    )

    def handle(self, *args, **options):
        cyrillic = write_cyrillic_and_compile()
        self.stdout.write(
            f"{len(cyrillic)} entries written to {catalogue_path('sr')} and both catalogues "
            "compiled."
        )
