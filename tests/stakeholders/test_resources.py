"""Importing and exporting organisations and contacts; the helpers at the top are
shared by the other apps' resource tests."""

from __future__ import annotations

import pytest
import tablib
from django.db import models
from import_export.formats.base_formats import CSV, XLSX

from stakeholders.models import Contact, Organisation
from stakeholders.resources import ContactResource, OrganisationResource, import_errors
from tests import factories as f

# Helpers


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The world fixture makes seven users; the real hasher would take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_dataset(headers: list[str], *rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=headers)


def run_import(resource, dataset, **kwargs):
    """Import for real (not a dry run), errors reported rather than raised."""
    return resource.import_data(dataset, dry_run=False, raise_errors=False, **kwargs)


def as_csv(resource) -> tablib.Dataset:
    text = CSV().export_data(resource.export())
    return CSV().create_dataset(text)


def as_xlsx(resource) -> tablib.Dataset:
    data = XLSX().export_data(resource.export(force_native_type=True))
    return XLSX().create_dataset(data)


EXPORTS = {"csv": as_csv, "xlsx": as_xlsx}


def snapshot(queryset, *, skip=("id", "version", "updated_at")) -> list[dict]:
    """Every record as plain values: related records by their text, many-to-many as
    sorted texts, ids left out (they change when records are created again)."""
    records = []
    for obj in queryset:
        record = {}
        for field in obj._meta.get_fields():
            if field.name in skip or (field.auto_created and not field.concrete):
                continue
            if isinstance(field, models.ManyToManyField):
                record[field.name] = sorted(str(o) for o in getattr(obj, field.name).all())
            elif field.concrete:
                value = getattr(obj, field.name)
                record[field.name] = str(value) if isinstance(value, models.Model) else value
                if getattr(field, "translated_field", None) is not None and value is None:
                    # A language column of a text (django-modeltranslation): empty is
                    # empty, whether stored as NULL or as "".
                    record[field.name] = ""
        records.append(record)
    return sorted(records, key=repr)


def assert_nothing_written(model, before: int, result) -> list[str]:
    assert result.has_errors() or result.has_validation_errors()
    assert model.objects.count() == before
    return import_errors(result)


# Organisations

ORGANISATION_HEADERS = ["name", "acronym", "kind", "country", "website", "description"]


def test_organisations_import_with_kind_as_code_or_label(db):
    result = run_import(
        OrganisationResource(),
        make_dataset(
            ORGANISATION_HEADERS,
            ["Ministry of Interior", "MoI", "ministry", "Serbia", "", ""],
            ["ASTRA", "", "Civil society organisation", "Serbia", "https://astra.rs", ""],
        ),
    )
    assert import_errors(result) == []
    kinds = dict(Organisation.objects.values_list("name", "kind"))
    assert kinds == {"Ministry of Interior": "ministry", "ASTRA": "civil_society"}


@pytest.mark.parametrize(
    "rows, expected",
    [
        (
            [["Ministry of Interior", "", "ministry", "", "", ""]] * 2,
            "Row 2: duplicate organisation: one with name 'Ministry of Interior' is already",
        ),
        (
            [["ministry of justice", "", "ministry", "", "", ""]],
            "Row 1: duplicate organisation: one with name 'ministry of justice'",
        ),
        (
            [["Ministry of Health", "", "ministry", "", "", ""], ["UNICEF", "", "agency", "", ""]],
            "Row 2, kind: 'agency' is not one of: un_agency, ministry",
        ),
    ],
    ids=["duplicate-in-file", "duplicate-in-database-any-case", "bad-choice"],
)
def test_bad_organisation_rows_write_nothing(db, rows, expected):
    f.OrganisationFactory(name="Ministry of Justice")
    before = Organisation.objects.count()
    rows = [row + [""] * (len(ORGANISATION_HEADERS) - len(row)) for row in rows]
    result = run_import(OrganisationResource(), make_dataset(ORGANISATION_HEADERS, *rows))
    errors = assert_nothing_written(Organisation, before, result)
    assert any(e.startswith(expected) for e in errors), errors


def test_file_without_required_column_is_refused(db):
    result = run_import(OrganisationResource(), make_dataset(["name"], ["Ministry of Interior"]))
    errors = assert_nothing_written(Organisation, 0, result)
    assert errors[0] == "File: The file has no column 'kind'."


# Contacts

CONTACT_HEADERS = ["organisation", "name", "position", "email", "phone", "is_sample"]


def test_contact_names_its_organisation_by_name_or_acronym(db):
    f.AgencyFactory(name="United Nations High Commissioner for Refugees", acronym="UNHCR")
    result = run_import(
        ContactResource(),
        make_dataset(
            CONTACT_HEADERS,
            ["UNHCR", "Eduardo Arboleda", "UNHCR Representative in Serbia", "", "", "0"],
            ["united nations high commissioner for refugees", "", "Protection Officer", "", "", ""],
        ),
    )
    assert import_errors(result) == []
    assert Contact.objects.filter(organisation__acronym="UNHCR").count() == 2


@pytest.mark.parametrize(
    "row, expected",
    [
        (
            ["Ministry of Magic", "Someone", "Minister", "", "", ""],
            "Row 2, organisation: no organisation named 'Ministry of Magic'",
        ),
        (
            ["UNHCR", "Eduardo Arboleda", "Representative", "", "", ""],
            "Row 2: duplicate contact: one with organisation",
        ),
        (
            ["UNHCR", "Someone", "Officer", "not-an-email", "", ""],
            "Row 2, email: Enter a valid email address.",
        ),
        (
            ["UNHCR", "Someone", "Officer", "", "", "perhaps"],
            "Row 2, is_sample: 'perhaps' is neither yes nor no",
        ),
    ],
    ids=["unknown-organisation", "duplicate", "bad-email", "bad-yes-no"],
)
def test_bad_contact_rows_write_nothing(db, row, expected):
    f.AgencyFactory(name="United Nations High Commissioner for Refugees", acronym="UNHCR")
    good = ["UNHCR", "Eduardo Arboleda", "Representative", "", "", ""]
    result = run_import(ContactResource(), make_dataset(CONTACT_HEADERS, good, row))
    errors = assert_nothing_written(Contact, 0, result)
    assert any(e.startswith(expected) for e in errors), errors


# Round trip


@pytest.mark.parametrize("file_format", EXPORTS)
def test_organisations_and_contacts_round_trip(db, file_format):
    unhcr = f.AgencyFactory(
        name="United Nations High Commissioner for Refugees",
        acronym="UNHCR",
        country="Serbia",
        website="https://www.unhcr.org",
        description="Protection of refugees;\nand of victims, too.",
    )
    ministry = f.OrganisationFactory(
        name="Ministry of Labour, Employment and Social Policy", is_sample=True
    )
    f.ContactFactory(organisation=unhcr, name="Eduardo Arboleda", position="Representative")
    f.ContactFactory(organisation=unhcr, name="", position="Protection Officer", phone="+381 11")
    f.ContactFactory(organisation=ministry, name="A. Person", email="a@example.org")
    organisations, contacts = (
        EXPORTS[file_format](OrganisationResource()),
        EXPORTS[file_format](ContactResource()),
    )
    expected_organisations = snapshot(Organisation.objects.all())
    expected_contacts = snapshot(Contact.objects.all())

    Contact.objects.all().delete()
    Organisation.objects.all().delete()
    assert import_errors(run_import(OrganisationResource(), organisations)) == []
    assert import_errors(run_import(ContactResource(), contacts)) == []

    assert snapshot(Organisation.objects.all()) == expected_organisations
    assert snapshot(Contact.objects.all()) == expected_contacts
