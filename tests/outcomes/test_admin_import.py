"""Importing through the admin's two steps: upload (a dry run that shows every bad
row), then confirm. A bad file never reaches the confirm step and writes nothing."""

import datetime as dt
import html

import pytest
import tablib
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import XLSX

from funding.models import ExchangeRate, Pledge
from outcomes.models import Outcome
from stakeholders.resources import import_errors
from tests import factories as f
from tests.stakeholders.test_resources import fast_password_hashing  # noqa: F401

CSV_FORMAT, XLSX_FORMAT = "0", "1"

OUTCOME_HEADERS = "programme,code,title,pillar,lead_agency,participating_agencies,status\n"


@pytest.fixture
def staff_manager(world):
    manager = world.users["manager"]
    manager.is_staff = True
    manager.save()
    f.PillarFactory(programme=world.programme, code="prevention")
    return world.client_for("manager")


def outcome_csv(world, *rows: str) -> bytes:
    title = world.programme.title
    body = "".join(f'"{title}",{row}\n' for row in rows)
    return (OUTCOME_HEADERS + body).encode()


def upload(client, model, content: bytes, *, file_format=CSV_FORMAT, name="data.csv"):
    opts = model._meta
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_import"),
        {
            "resource": "0",
            "format": file_format,
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def confirm(client, model, response):
    opts = model._meta
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_process_import"),
        response.context["confirm_form"].initial,
    )


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_good_file_is_previewed_then_imported_on_confirm(staff_manager, world):
    content = outcome_csv(
        world,
        '1,Awareness raised,prevention,UNODC,"UNHCR; IOM",on_track',
        "2,Victims identified,prevention,IOM,,planned",
    )
    preview = upload(staff_manager, Outcome, content)
    assert preview.status_code == 200
    assert "confirm_form" in preview.context
    assert Outcome.objects.count() == 0  # the upload is a dry run

    response = confirm(staff_manager, Outcome, preview)
    assert response.status_code == 302
    assert sorted(Outcome.objects.values_list("code", flat=True)) == ["1", "2"]
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Import finished: 2 new, 0 updated, 0 deleted and 0 skipped outcomes."]
    outcome = Outcome.objects.get(code="1")
    assert outcome.history.get().history_user == world.users["manager"]


@pytest.mark.parametrize(
    "bad_row, expected",
    [
        (
            "2,Victims identified,prevention,Ministry of Magic,,planned",
            "no organisation named 'Ministry of Magic'",
        ),
        ('2,Victims identified,prevention,IOM,"UNHCR; Ministry of Magic",', "Ministry of Magic"),
        ("1,Victims identified,prevention,IOM,,planned", "duplicate outcome: one with programme"),
        ("2,Victims identified,prosecution,IOM,,planned", "has no pillar with code 'prosecution'"),
        ("2,Victims identified,prevention,IOM,,excellent", "'excellent' is not one of"),
    ],
    ids=["unknown-organisation", "unknown-agency", "duplicate-code", "unknown-pillar", "choice"],
)
def test_bad_outcome_file_is_refused_with_row_and_reason(staff_manager, world, bad_row, expected):
    content = outcome_csv(world, "1,Awareness raised,prevention,UNODC,,on_track", bad_row)
    response = upload(staff_manager, Outcome, content)
    assert response.status_code == 200
    assert "confirm_form" not in response.context  # no way on to the confirm step
    errors = import_errors(response.context["result"])
    assert len(errors) >= 1 and all(e.startswith("Row 2") for e in errors), errors
    assert any(expected in e for e in errors), errors
    assert expected in page_text(response)
    assert "Some rows failed to validate" in page_text(response)
    assert Outcome.objects.count() == 0


@pytest.mark.parametrize(
    "row, expected",
    [
        ("Embassy of Norway,fifty,USD,2009-03-25", "'fifty' is not a number"),
        ("Embassy of Norway,50000,USD,25/03/2009", "'25/03/2009' is not a date"),
        ("Ministry of Magic,50000,USD,2009-03-25", "no organisation named 'Ministry of Magic'"),
        ("Embassy of Norway,50000.00,USD,2009-03-25", "duplicate pledge"),
    ],
    ids=["bad-number", "bad-date", "unknown-organisation", "duplicate"],
)
def test_bad_pledge_file_is_refused_with_row_and_reason(staff_manager, world, row, expected):
    content = (
        "programme,donor,amount,currency,pledged_on\n"
        f'"{world.programme.title}",Embassy of Norway,50000,USD,2009-03-25\n'
        f'"{world.programme.title}",{row}\n'
    ).encode()
    response = upload(staff_manager, Pledge, content)
    assert "confirm_form" not in response.context
    errors = import_errors(response.context["result"])
    assert any(e.startswith("Row 2") and expected in e for e in errors), errors
    assert expected in page_text(response)
    assert Pledge.objects.count() == 0


def test_exchange_rates_import_from_xlsx_with_native_dates(staff_manager, world):
    dataset = tablib.Dataset(headers=["base_currency", "quote_currency", "rate_date", "rate"])
    dataset.append(["EUR", "USD", dt.date(2009, 1, 2), 1.3917])
    dataset.append(["EUR", "RSD", dt.date(2009, 1, 2), 88.601])
    content = XLSX().export_data(dataset)
    preview = upload(
        staff_manager, ExchangeRate, content, file_format=XLSX_FORMAT, name="rates.xlsx"
    )
    assert import_errors(preview.context["result"]) == []
    confirm(staff_manager, ExchangeRate, preview)
    assert ExchangeRate.objects.get(quote_currency="USD").rate_date == dt.date(2009, 1, 2)
    assert str(ExchangeRate.objects.get(quote_currency="RSD").rate) == "88.60100000"


def test_xlsx_with_a_bad_date_is_refused(staff_manager, world):
    dataset = tablib.Dataset(headers=["base_currency", "quote_currency", "rate_date", "rate"])
    dataset.append(["EUR", "USD", "2 January", 1.39])
    content = XLSX().export_data(dataset)
    response = upload(staff_manager, ExchangeRate, content, file_format=XLSX_FORMAT, name="r.xlsx")
    assert "confirm_form" not in response.context
    assert import_errors(response.context["result"]) == [
        "Row 1, rate_date: '2 January' is not a date: write it as YYYY-MM-DD, e.g. 2009-03-25"
    ]
    assert ExchangeRate.objects.count() == 0


def test_confirm_writes_nothing_when_the_database_changed_since_the_preview(staff_manager, world):
    content = outcome_csv(
        world,
        "1,Awareness raised,prevention,UNODC,,on_track",
        "2,Victims identified,prevention,IOM,,planned",
    )
    preview = upload(staff_manager, Outcome, content)
    assert "confirm_form" in preview.context
    # Someone adds outcome 2 between the preview and the confirmation.
    f.OutcomeFactory(programme=world.programme, code="2")

    response = confirm(staff_manager, Outcome, preview)
    assert response.status_code == 302
    assert list(Outcome.objects.values_list("code", flat=True)) == ["2"]
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Nothing was imported. Row 2: duplicate outcome")


def test_manager_cannot_import_into_another_programme(staff_manager, world):
    f.PillarFactory(programme=world.other_programme, code="prevention")
    content = (
        OUTCOME_HEADERS + f'"{world.other_programme.title}",1,Taken over,prevention,IOM,,\n'
    ).encode()
    response = upload(staff_manager, Outcome, content)
    assert "confirm_form" not in response.context
    assert "among those you manage" in page_text(response)
    assert Outcome.objects.count() == 0


def test_file_missing_a_column_is_refused(staff_manager, world):
    response = upload(staff_manager, Outcome, b"programme,code\nX,1\n")
    assert "confirm_form" not in response.context
    text = page_text(response)
    assert "The file has no column 'title', 'pillar', 'lead_agency'." in text
    assert "Traceback" not in text
    assert Outcome.objects.count() == 0
