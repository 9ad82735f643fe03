"""Bad files given to the admin's imports get a plain message and write nothing.

Every import (organisations, contacts, outcomes, indicators, NAP objectives,
alignments, pledges, exchange rates) takes CSV or XLSX through the same upload
check (``stakeholders.uploads``) and the same import base
(``stakeholders.resources.NaturalKeyResource``). A file is refused, before any row
is read, when it is not CSV/XLSX, is empty, is over 5 MB, is an XLSX that unpacks
past 50 MB, has more than 20,000 rows, or has missing, unknown, repeated or
semicolon-separated columns. Bad values are refused row by row, and then no row is
written.

Encodings: a CSV is read as UTF-8 (with or without Excel's byte-order mark) or as
UTF-16 with its byte-order mark, and its Serbian letters (Latin č ć ž š đ, Cyrillic)
arrive exactly. Any other encoding — Windows-1250, Windows-1251, Latin-1 — is
refused with a message saying how to save the file as UTF-8: those encodings read
almost any bytes, so guessing would write wrong letters without anyone noticing.

The confirm step may name only a file this user's own preview wrote, with a format
and resource the admin has: a tampered or stale confirmation is refused, never a 500.
"""

from __future__ import annotations

import html
import io
import zipfile

import pytest
import tablib
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import XLSX

from funding.models import ExchangeRate, Pledge
from outcomes.models import Alignment, Indicator, NapObjective, Outcome
from stakeholders.models import Contact, Organisation
from stakeholders.resources import IMPORT_MAX_ROWS, OrganisationResource, import_errors
from stakeholders.uploads import IMPORT_MAX_BYTES
from tests.jointprogramme.test_site_access import database_snapshot

CSV_FORMAT, XLSX_FORMAT = "0", "1"

IMPORTED_MODELS = [
    Organisation,
    Contact,
    Outcome,
    Indicator,
    NapObjective,
    Alignment,
    Pledge,
    ExchangeRate,
]

SERBIAN_LATIN = "Ministarstvo unutrašnjih poslova — Čačak, Đakovica, Žabalj, Šabac, Ćuprija"
SERBIAN_CYRILLIC = "Министарство унутрашњих послова — Чачак, Ђаковица, Жабаљ, Шабац, Ћуприја"


@pytest.fixture
def staff(world):
    manager = world.users["manager"]
    manager.is_staff = True
    manager.save()
    return world.client_for("manager")


def import_url(model) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_import")


def upload(client, model, content: bytes, *, name="data.csv", file_format=CSV_FORMAT):
    return client.post(
        import_url(model),
        {"resource": "0", "format": file_format, "import_file": SimpleUploadedFile(name, content)},
    )


def confirm(client, model, preview):
    opts = model._meta
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_process_import"),
        preview.context["confirm_form"].initial,
    )


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def file_errors(response) -> list[str]:
    form = response.context["form"]
    return [str(e) for e in form.errors.get("import_file", [])]


def assert_refused(response, expected: str) -> None:
    """Refused at the upload: the form comes back with ``expected``, no way on."""
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    text = page_text(response)
    assert expected in text, file_errors(response) or text[-3000:]
    assert "Traceback" not in text
    assert "encountered while trying to read file" not in text  # import-export's own words


def xlsx(headers, *rows) -> bytes:
    dataset = tablib.Dataset(headers=list(headers))
    for row in rows:
        dataset.append(list(row))
    return XLSX().export_data(dataset)


def zip_with(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return out.getvalue()


# Files refused as a whole, for every import

BAD_FILES = {
    "pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "report.pdf", CSV_FORMAT, "is neither"),
    "no-extension": (b"name,kind\nX,ministry\n", "data", CSV_FORMAT, "is neither"),
    "png-named-csv": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "data.csv",
        CSV_FORMAT,
        "not UTF-8 text",
    ),
    "empty-csv": (b"", "data.csv", CSV_FORMAT, "The submitted file is empty."),
    "empty-xlsx": (b"", "data.xlsx", XLSX_FORMAT, "The submitted file is empty."),
    "blank-lines": (b"\n\n\n", "data.csv", CSV_FORMAT, "No valid data to import"),
    "csv-chosen-as-xlsx": (b"name,kind\nX,ministry\n", "data.xlsx", XLSX_FORMAT, "not an Excel"),
    "xlsx-chosen-as-csv": (
        xlsx(["name", "kind"], ["X", "ministry"]),
        "data.csv",
        CSV_FORMAT,
        "choose XLSX as the format",
    ),
    "old-xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "d.xlsx", XLSX_FORMAT, ".xls"),
    "zip-not-workbook": (zip_with({"a.txt": b"hello"}), "data.xlsx", XLSX_FORMAT, "not an Excel"),
    "truncated-xlsx": (
        xlsx(["name", "kind"], ["X", "ministry"])[:200],
        "data.xlsx",
        XLSX_FORMAT,
        "damaged",
    ),
    "nul-bytes": (b"name,kind\nX\x00Y,ministry\n", "data.csv", CSV_FORMAT, "NUL characters"),
    "utf16-without-bom": (
        "name,kind\nX,ministry\n".encode("utf-16-le"),
        "data.csv",
        CSV_FORMAT,
        "NUL characters",
    ),
    "ragged-rows": (
        b"name,kind\nX,ministry,extra,more\n",
        "data.csv",
        CSV_FORMAT,
        "more or fewer cells than the header row",
    ),
    "one-huge-cell": (
        b'name,kind\n"' + b"x" * 200_000 + b'",ministry\n',
        "data.csv",
        CSV_FORMAT,
        "not valid CSV",
    ),
}


@pytest.mark.parametrize("model", IMPORTED_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_refused_with_a_plain_message_and_writes_nothing(world, staff, model, case):
    content, name, file_format, expected = BAD_FILES[case]
    before = database_snapshot()
    response = upload(staff, model, content, name=name, file_format=file_format)
    assert_refused(response, expected)
    assert database_snapshot() == before


@pytest.mark.parametrize("model", IMPORTED_MODELS, ids=lambda m: m.__name__)
def test_file_over_the_size_limit_is_refused_before_it_is_read(world, staff, model):
    content = b"name,kind\n" + b"A ministry,ministry\n" * (IMPORT_MAX_BYTES // 20 + 1)
    assert len(content) > IMPORT_MAX_BYTES
    before = database_snapshot()
    response = upload(staff, model, content)
    assert_refused(response, "an import takes at most 5.0 MB")
    assert database_snapshot() == before


def test_workbook_that_unpacks_past_the_limit_is_refused(world, staff):
    # 60 MB of one repeated byte packs into a few dozen kilobytes: a ZIP bomb.
    bomb = zip_with(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<" * (60 * 1024 * 1024),
        }
    )
    assert len(bomb) < IMPORT_MAX_BYTES
    response = upload(staff, Organisation, bomb, name="bomb.xlsx", file_format=XLSX_FORMAT)
    assert_refused(response, "The workbook unpacks to 60.0 MB")
    assert not Organisation.objects.filter(name="X").exists()


def test_file_with_more_rows_than_the_limit_is_refused_before_any_row(world, staff):
    rows = "".join(f"Ministry {n},ministry\n" for n in range(IMPORT_MAX_ROWS + 1))
    response = upload(staff, Organisation, ("name,kind\n" + rows).encode())
    assert "confirm_form" not in response.context
    assert import_errors(response.context["result"]) == [
        "File: The file has 20,001 rows; at most 20,000 can be imported at once: "
        "split it into smaller files."
    ]
    assert not Organisation.objects.filter(name__startswith="Ministry ").exists()


# Wrong headers


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"foo,bar\n1,2\n", "File: The file has no column 'name', 'kind'."),
        (
            b"name;kind\nX;ministry\n",
            "File: The file's columns are separated by semicolons: save it as CSV with commas",
        ),
        (b"name,kind,name\nX,ministry,Y\n", "File: The file has the column 'name' more than once."),
        (
            b"name,kind,descripton\nX,ministry,Typo in the header\n",
            "File: The file has columns this import does not know: 'descripton'. The columns "
            "are: name, acronym, kind, country, website, description, is_sample.",
        ),
    ],
    ids=["no-known-column", "semicolons", "repeated", "misspelt"],
)
def test_wrong_headers_get_one_plain_sentence_and_no_row_errors(world, staff, content, expected):
    response = upload(staff, Organisation, content)
    assert "confirm_form" not in response.context
    [error] = import_errors(response.context["result"])
    assert error.startswith(expected), error
    assert expected.removeprefix("File: ") in page_text(response)
    assert not Organisation.objects.filter(name="X").exists()


def test_headers_with_spaces_around_them_are_read(world, staff):
    response = upload(staff, Organisation, b" name , kind \nMinistry of Justice,ministry\n")
    assert import_errors(response.context["result"]) == []
    confirm(staff, Organisation, response)
    assert Organisation.objects.filter(name="Ministry of Justice").exists()


# Encodings


@pytest.mark.parametrize(
    "encoding, text",
    [
        ("cp1250", SERBIAN_LATIN.replace("—", "-")),
        ("cp1251", SERBIAN_CYRILLIC.replace("—", "-")),
        ("latin-1", "Café de la Paix, Genève"),
    ],
    ids=["windows-1250-latin", "windows-1251-cyrillic", "latin-1"],
)
def test_csv_in_a_legacy_encoding_is_refused_not_guessed(world, staff, encoding, text):
    content = f"name,kind\n{text},ministry\n".encode(encoding)
    before = database_snapshot()
    response = upload(staff, Organisation, content)
    assert_refused(response, "The file is not UTF-8 text (line 2")
    assert "CSV UTF-8 (Comma delimited)" in page_text(response)
    assert database_snapshot() == before


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: text.encode("utf-8-sig"),  # Excel's "CSV UTF-8"
        lambda text: text.encode("utf-16"),  # byte-order mark first
        lambda text: "\ufeff".encode("utf-16-be") + text.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8-with-bom", "utf-16-le-with-bom", "utf-16-be-with-bom"],
)
def test_utf8_and_utf16_csv_import_serbian_letters_exactly(world, staff, encode):
    text = f'name,kind\n"{SERBIAN_LATIN}",ministry\n"{SERBIAN_CYRILLIC}",ministry\n'
    preview = upload(staff, Organisation, encode(text))
    assert import_errors(preview.context["result"]) == []
    response = confirm(staff, Organisation, preview)
    assert response.status_code == 302
    assert Organisation.objects.filter(name=SERBIAN_LATIN).exists()
    assert Organisation.objects.filter(name=SERBIAN_CYRILLIC).exists()


def test_xlsx_imports_serbian_letters_exactly(world, staff):
    content = xlsx(["name", "kind"], [SERBIAN_CYRILLIC, "ministry"], [SERBIAN_LATIN, "ministry"])
    preview = upload(staff, Organisation, content, name="o.xlsx", file_format=XLSX_FORMAT)
    assert import_errors(preview.context["result"]) == []
    confirm(staff, Organisation, preview)
    assert Organisation.objects.filter(name=SERBIAN_CYRILLIC).exists()
    assert Organisation.objects.filter(name=SERBIAN_LATIN).exists()


# Bad values


@pytest.mark.parametrize(
    "row, expected",
    [
        (f'"{"Ж" * 201}",ministry', "Row 2, name: Ensure this value has at most 200 characters"),
        ("Ministry of Health,ministerstvo", "Row 2, kind: 'ministerstvo' is not one of"),
        ('"Ministry of Health",ministry,,,not a link', "Row 2, website: Enter a valid URL."),
        ("Ministry of Health,ministry,,,,,maybe", "Row 2, is_sample: 'maybe' is neither yes nor"),
        ("MINISTRY OF JUSTICE,ministry", "Row 2: duplicate organisation"),
    ],
    ids=["too-long", "bad-choice", "bad-url", "bad-boolean", "duplicate-in-file"],
)
def test_one_bad_value_refuses_the_whole_file(world, staff, row, expected):
    content = (
        "name,kind,acronym,country,website,description,is_sample\n"
        "Ministry of Justice,ministry\n" + row + "\n"
    ).encode()
    response = upload(staff, Organisation, _pad_csv(content))
    assert "confirm_form" not in response.context
    errors = import_errors(response.context["result"])
    assert any(e.startswith(expected) for e in errors), errors
    assert not Organisation.objects.filter(name__in=["Ministry of Justice"]).exists()


def _pad_csv(content: bytes) -> bytes:
    """Every row with as many cells as the header row."""
    import csv

    rows = list(csv.reader(io.StringIO(content.decode())))
    width = len(rows[0])
    out = io.StringIO()
    csv.writer(out).writerows(row + [""] * (width - len(row)) for row in rows)
    return out.getvalue().encode()


def test_nul_character_in_a_cell_is_a_row_error_not_a_crash(db):
    """PostgreSQL cannot store NUL: a resource used outside the admin (a script, a
    command) refuses the row instead of failing at the database."""
    dataset = tablib.Dataset(headers=["name", "kind"])
    dataset.append(["Ministry\x00of Justice", "ministry"])
    result = OrganisationResource().import_data(dataset, dry_run=False)
    assert any("NUL character" in e for e in import_errors(result))
    assert not Organisation.objects.exists()


# The confirm step


@pytest.fixture
def previewed(world, staff):
    preview = upload(staff, Organisation, b"name,kind\nMinistry of Justice,ministry\n")
    assert "confirm_form" in preview.context
    return preview.context["confirm_form"].initial


def process_import(client, data):
    return client.post(reverse("admin:stakeholders_organisation_process_import"), data)


@pytest.mark.parametrize(
    "change",
    [
        {"import_file_name": "tmpnotthere"},
        {"import_file_name": "../../etc/passwd"},
        {"format": "abc"},
        {"format": "9"},
        {"format": "-1"},
        {"resource": "5"},
        {"resource": "x"},
    ],
    ids=[
        "unknown-file",
        "path",
        "format-text",
        "format-too-big",
        "format-negative",
        "resource",
        "resource-text",
    ],
)
def test_tampered_confirmation_is_refused_and_writes_nothing(world, staff, previewed, change):
    before = database_snapshot()
    response = process_import(staff, {**previewed, **change})
    assert response.status_code == 302
    assert response["Location"] == import_url(Organisation)
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Nothing was imported: this import can no longer be confirmed")
    assert database_snapshot() == before


def test_confirmation_cannot_name_another_users_preview(world, staff, previewed):
    other = world.users["outsider"]
    other.is_staff = True
    other.save()
    client = world.client_for("outsider")
    response = process_import(client, previewed)
    assert response.status_code == 302
    assert not Organisation.objects.filter(name="Ministry of Justice").exists()
    # The preview's own user still can.
    process_import(staff, previewed)
    assert Organisation.objects.filter(name="Ministry of Justice").exists()


def test_confirmation_of_an_empty_form_writes_nothing(world, staff):
    before = database_snapshot()
    response = process_import(staff, {})
    assert response.status_code == 302
    assert database_snapshot() == before


def test_confirming_twice_imports_once(world, staff, previewed):
    process_import(staff, previewed)
    response = process_import(staff, previewed)  # the file was removed after the import
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Ministry of Justice").count() == 1


# Export links


@pytest.mark.parametrize("model", IMPORTED_MODELS, ids=lambda m: m.__name__)
def test_export_link_with_unknown_filters_is_no_500(world, staff, model):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_export")
    response = staff.get(url + "?format=abc&nonsense=1")
    assert response.status_code == 302
    response = staff.post(url, {"format": "9", "resource": "0"})
    assert response.status_code == 200  # the form, with its error


def test_import_is_closed_to_members_who_are_not_staff(world):
    before = database_snapshot()
    response = upload(world.client_for("unodc"), Organisation, b"name,kind\nX,ministry\n")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert database_snapshot() == before


# The alignment page's import of NAP objectives (outcomes.alignment_forms.read_table)


@pytest.fixture
def coordinator_with_a_plan(world):
    from tests.jointprogramme.test_site_access import HERE, build_programme_objects

    build_programme_objects(
        world.programme, mark=HERE, agencies=world.agencies, donor=world.donor_org
    )
    client = world.client_for("coordinator")
    client.raise_request_exception = False
    return client


PAGE_BAD_FILES = {
    **{case: (content, name) for case, (content, name, _, _) in BAD_FILES.items()},
    "legacy-encoding": ("code,title\n1.9,Čačak\n".encode("cp1250"), "o.csv"),
    "zip-bomb": (
        zip_with(
            {
                "[Content_Types].xml": b"<Types/>",
                "xl/workbook.xml": b"<workbook/>",
                "xl/worksheets/sheet1.xml": b"<" * (60 * 1024 * 1024),
            }
        ),
        "bomb.xlsx",
    ),
    "nul-in-a-cell-of-utf8": (
        b"code,parent,title,description,pillar,responsible_ministries,order\n1.9,,A\x00B,,,,1\n",
        "o.csv",
    ),
    "too-long-title": (
        b"code,parent,title,description,pillar,responsible_ministries,order\n1.9,,"
        + "Ж".encode() * 401
        + b",,,,1\n",
        "o.csv",
    ),
}


@pytest.mark.parametrize("case", sorted(PAGE_BAD_FILES))
def test_bad_file_on_the_alignment_import_page_writes_nothing(world, coordinator_with_a_plan, case):
    content, name = PAGE_BAD_FILES[case]
    before = database_snapshot()
    response = coordinator_with_a_plan.post(
        reverse("outcomes:alignment_import"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code in {200, 400}, response.status_code  # the form, with why
    assert response.context["form"].errors or response.context.get("import_errors")
    assert database_snapshot() == before
