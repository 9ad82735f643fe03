"""Importing and exporting pledges and exchange rates."""

import datetime as dt
from decimal import Decimal

import pytest

from funding.models import ExchangeRate, Pledge
from funding.resources import ExchangeRateResource, PledgeResource
from stakeholders.resources import import_errors
from tests import factories as f
from tests.stakeholders.test_resources import (
    EXPORTS,
    assert_nothing_written,
    fast_password_hashing,  # noqa: F401  (autouse fixture)
    make_dataset,
    run_import,
    snapshot,
)

PLEDGE_HEADERS = [
    "programme",
    "donor",
    "amount",
    "currency",
    "pledged_on",
    "earmark_pillar",
    "earmark_outcome",
    "earmark_agency",
    "reference",
]


def pledge_row(world, **values) -> list:
    row = {
        "programme": world.programme.title,
        "donor": "Embassy of Norway",
        "amount": "50000.00",
        "currency": "USD",
        "pledged_on": "2009-03-25",
        "earmark_pillar": "",
        "earmark_outcome": "",
        "earmark_agency": "",
        "reference": "NOR-1",
    }
    row.update(values)
    return [row[h] for h in PLEDGE_HEADERS]


def test_pledges_import_with_earmarks(world):
    f.PillarFactory(programme=world.programme, code="protection")
    f.OutcomeFactory(programme=world.programme, code="2")
    result = run_import(
        PledgeResource(),
        make_dataset(
            PLEDGE_HEADERS,
            pledge_row(world, earmark_pillar="protection"),
            pledge_row(world, reference="NOR-2", earmark_outcome="2"),
            pledge_row(world, reference="NOR-3", earmark_agency="IOM", amount="1250.5"),
        ),
        user=world.users["manager"],
    )
    assert import_errors(result) == []
    assert Pledge.objects.get(reference="NOR-3").amount == Decimal("1250.50")
    assert (
        Pledge.objects.get(reference="NOR-1").history.get().history_user == (world.users["manager"])
    )


@pytest.mark.parametrize(
    "bad, expected",
    [
        ({"donor": "Ministry of Magic"}, "Row 2, donor: no organisation named 'Ministry of Magic'"),
        ({"amount": "fifty thousand"}, "Row 2, amount: 'fifty thousand' is not a number"),
        ({"amount": "NaN"}, "Row 2, amount: 'NaN' is not a number"),
        ({"amount": "-5"}, "Row 2, amount: Ensure this value is greater than or equal to 0."),
        ({"pledged_on": "25.03.2009"}, "Row 2, pledged_on: '25.03.2009' is not a date"),
        ({"pledged_on": "2009-02-30"}, "Row 2, pledged_on: '2009-02-30' is not a date"),
        ({"reference": "NOR-1"}, "Row 2: duplicate pledge: one with programme"),
        ({"currency": "euro"}, "Row 2, currency: Use a three-letter ISO 4217 code"),
        (
            {"earmark_pillar": "protection", "earmark_agency": "IOM"},
            "Row 2: a pledge is earmarked to one pillar, outcome or agency at most",
        ),
    ],
    ids=[
        "unknown-organisation",
        "bad-number",
        "not-a-number",
        "negative",
        "bad-date",
        "impossible-date",
        "duplicate",
        "bad-currency",
        "earmarked-twice",
    ],
)
def test_bad_pledge_rows_write_nothing(world, bad, expected):
    f.PillarFactory(programme=world.programme, code="protection")
    result = run_import(
        PledgeResource(),
        make_dataset(
            PLEDGE_HEADERS,
            pledge_row(world),
            pledge_row(world, **{"reference": "NOR-2", **bad}),
            pledge_row(world, reference="NOR-3"),
        ),
    )
    errors = assert_nothing_written(Pledge, 0, result)
    assert any(e.startswith(expected) for e in errors), errors


RATE_HEADERS = ["base_currency", "quote_currency", "rate_date", "rate", "source"]


def test_exchange_rates_import_from_csv_text(db):
    from import_export.formats.base_formats import CSV

    text = (
        "base_currency,quote_currency,rate_date,rate,source\n"
        "EUR,USD,2009-01-02,1.3917,ECB\n"
        "EUR,RSD,2009-01-02,88.6010,NBS\n"
    )
    result = run_import(ExchangeRateResource(), CSV().create_dataset(text))
    assert import_errors(result) == []
    assert ExchangeRate.objects.get(quote_currency="RSD").rate == Decimal("88.601")


@pytest.mark.parametrize(
    "bad, expected",
    [
        (["EUR", "USD", "2009-01-32", "1.39", ""], "Row 2, rate_date: '2009-01-32' is not a date"),
        (["EUR", "USD", "2009-01-03", "1,39", ""], "Row 2, rate: '1,39' is not a number"),
        (["EUR", "USD", "2009-01-02", "1.40", ""], "Row 2: duplicate exchange rate: one with"),
        (["EUR", "EUR", "2009-01-03", "1", ""], "Row 2: the base and quote currencies must differ"),
        (["EUR", "USD", "2009-01-03", "0", ""], "Row 2: the rate must be more than 0"),
    ],
    ids=["bad-date", "bad-number", "duplicate", "same-currency", "zero-rate"],
)
def test_bad_exchange_rate_rows_write_nothing(db, bad, expected):
    result = run_import(
        ExchangeRateResource(),
        make_dataset(RATE_HEADERS, ["EUR", "USD", "2009-01-02", "1.3917", "ECB"], bad),
    )
    errors = assert_nothing_written(ExchangeRate, 0, result)
    assert any(e.startswith(expected) for e in errors), errors


@pytest.mark.parametrize("file_format", EXPORTS)
def test_pledges_and_rates_round_trip(world, file_format):
    programme = world.programme
    pillar = f.PillarFactory(programme=programme, code="protection")
    outcome = f.OutcomeFactory(programme=programme, code="2")
    f.PledgeFactory(programme=programme, donor=world.donor_org, reference="A", note="Line\nbreak")
    f.PledgeFactory(
        programme=programme,
        donor=world.donor_org,
        amount=Decimal("123456789.99"),
        currency="EUR",
        pledged_on=dt.date(2010, 1, 31),
        status=Pledge.Status.COMMITTED,
        earmark_pillar=pillar,
        is_anonymous=True,
    )
    f.PledgeFactory(programme=programme, earmark_outcome=outcome, amount=Decimal("0.01"))
    f.PledgeFactory(programme=programme, earmark_agency=world.agencies["iom"], is_sample=True)
    f.ExchangeRateFactory(rate=Decimal("1.39170000"), source="ECB")
    f.ExchangeRateFactory(quote_currency="RSD", rate=Decimal("88.60100000"))
    f.ExchangeRateFactory(rate_date=dt.date(2009, 1, 2), rate=Decimal("0.00000001"))
    export = EXPORTS[file_format]
    pledges, rates = export(PledgeResource()), export(ExchangeRateResource())
    expected_pledges = snapshot(Pledge.objects.all())
    expected_rates = snapshot(ExchangeRate.objects.all())

    Pledge.objects.all().delete()
    ExchangeRate.objects.all().delete()
    assert import_errors(run_import(PledgeResource(), pledges)) == []
    assert import_errors(run_import(ExchangeRateResource(), rates)) == []

    assert snapshot(Pledge.objects.all()) == expected_pledges
    assert snapshot(ExchangeRate.objects.all()) == expected_rates
