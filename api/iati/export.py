"""A programme's IATI export, checked: what the page, the check page and the
management command use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from jointprogramme.models import Programme

from .build import ERROR, WARNING, Built, IatiConfig, Problem, build_activity
from .checks import check_activity
from .data import iati_data
from .schema import SchemaMissing, schema_dir, schema_problems


@dataclass
class Export:
    built: Built
    problems: list[Problem] = field(default_factory=list)
    schema_checked: bool = False
    schema_note: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def xml(self) -> bytes:
        return etree.tostring(
            self.built.tree, xml_declaration=True, encoding="UTF-8", pretty_print=True
        )


def config_for(programme_id: int) -> IatiConfig:
    """The installation's IATI settings; the NAP codes are listed by the API."""
    return IatiConfig(
        organisation_refs=getattr(settings, "IATI_ORGANISATION_REFS", {}),
        reporting_organisation=getattr(settings, "IATI_REPORTING_ORGANISATION", ""),
        placeholder_prefix=getattr(settings, "IATI_PLACEHOLDER_PREFIX", "XI-IATI-JPM"),
        nap_vocabulary_uri=(
            f"{settings.SITE_URL}{reverse('api:napobjective-list')}?programme={programme_id}"
        ),
    )


def export_programme(
    programme: Programme,
    *,
    config: IatiConfig | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    validate_schema: bool = True,
) -> Export:
    """Build the programme's activity XML and check it: the data (while building),
    IATI's rules (on the XML) and, when the schema is there, the official schema."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    built = build_activity(iati_data(programme), config or config_for(programme.pk), today=today)
    stamp = now.replace(microsecond=0).isoformat()
    built.tree.set("generated-datetime", stamp)
    for activity in built.tree:
        activity.set("last-updated-datetime", stamp)
    export = Export(built=built, problems=list(built.problems))
    for activity in built.tree:
        export.problems += check_activity(activity, today=today)
    if validate_schema:
        try:
            export.problems += schema_problems(built.tree)
            export.schema_checked = True
        except SchemaMissing:
            export.schema_note = (
                f"The official IATI 2.03 schema was not found at {schema_dir()}, so the XML "
                "was not validated against it (set JP_IATI_SCHEMA_DIR)."
            )
    # Errors first, then warnings, each in the order met.
    export.problems.sort(key=lambda p: p.level != ERROR)
    return export
