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


# At the size of a real file


def pledge_rows(world, count: int, *, start: int = 0) -> list[list]:
    """``count`` different pledges naming the same programme, donors, pillar and
    outcome, as a donor's yearly file does."""
    donors = ["Embassy of Norway", "IOM", "UNHCR"]
    return [
        pledge_row(
            world,
            donor=donors[i % len(donors)],
            amount=f"{1000 + i}.50",
            currency=["USD", "EUR", "SEK"][i % 3],
            pledged_on=f"2009-{1 + i % 12:02d}-{1 + i % 28:02d}",
            earmark_pillar="protection" if i % 4 == 1 else "",
            earmark_outcome="2" if i % 4 == 2 else "",
            reference=f"FILE-{i:05d}",
        )
        for i in range(start, start + count)
    ]


@pytest.fixture
def earmarks(world):
    f.PillarFactory(programme=world.programme, code="protection")
    f.OutcomeFactory(programme=world.programme, code="2")


@pytest.mark.parametrize("dry_run", [True, False], ids=["preview", "confirm"])
def test_pledge_import_costs_the_same_queries_for_50_and_500_rows(world, earmarks, dry_run):
    """Related records are read once per file, not once per row, and records are
    inserted in batches (as many rows a statement as the database takes: 1,000 in
    PostgreSQL, fewer in SQLite). Each import as the admin makes it: the user read
    afresh."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    others, inserts = {}, {}
    for rows in (50, 500):
        dataset = make_dataset(PLEDGE_HEADERS, *pledge_rows(world, rows, start=rows))
        user = get_user_model().objects.get(pk=world.users["manager"].pk)
        with CaptureQueriesContext(connection) as queries:
            result = PledgeResource().import_data(dataset, dry_run=dry_run, user=user)
        assert import_errors(result) == []
        statements = [q["sql"] for q in queries.captured_queries]
        inserts[rows] = sum(s.startswith("INSERT") for s in statements)
        others[rows] = len(statements) - inserts[rows]
    assert others[50] == others[500], others
    assert others[500] <= 30, others
    fields = [f for f in Pledge._meta.concrete_fields if not f.primary_key]
    per_statement = min(1000, connection.ops.bulk_batch_size(fields, [None] * 1000))
    if dry_run:
        assert inserts == {50: 0, 500: 0}
    else:  # the pledges, then their history copied in one statement
        assert inserts == {50: 2, 500: -(-500 // per_statement) + 1}, inserts
    assert Pledge.objects.count() == (0 if dry_run else 550)


def test_a_bad_row_in_the_middle_of_a_large_file_writes_nothing(world, earmarks):
    rows = pledge_rows(world, 2000)
    rows[1234][PLEDGE_HEADERS.index("amount")] = "lots"
    for dry_run in (True, False):
        result = PledgeResource().import_data(
            make_dataset(PLEDGE_HEADERS, *rows), dry_run=dry_run, user=world.users["manager"]
        )
        assert import_errors(result) == [
            "Row 1235, amount: 'lots' is not a number: write "
            "digits with a decimal point, e.g. 1250.50"
        ]
        assert Pledge.objects.count() == 0
        assert Pledge.history.count() == 0


def test_a_file_the_database_refuses_writes_nothing(world, earmarks, monkeypatch):
    """A batch the database refuses after every row passed (it changed since the
    preview) rolls back the batches already inserted, history included."""
    from stakeholders import resources

    inserted = resources.bulk_create_audited

    def refuse_the_second_batch(model, instances, **kwargs):
        if Pledge.objects.exists():
            raise resources.models.ProtectedError("the database changed", set())
        inserted(model, instances, **kwargs)

    monkeypatch.setattr(resources, "bulk_create_audited", refuse_the_second_batch)
    result = run_import(
        PledgeResource(),
        make_dataset(PLEDGE_HEADERS, *pledge_rows(world, 1500)),
        user=world.users["manager"],
    )
    assert import_errors(result) == ["File: ('the database changed', set())"]
    assert Pledge.objects.count() == 0
    assert Pledge.history.count() == 0


def test_imported_pledges_have_the_history_simple_history_writes(world, earmarks):
    from simple_history.utils import bulk_create_with_history

    manager = world.users["manager"]
    result = run_import(
        PledgeResource(), make_dataset(PLEDGE_HEADERS, *pledge_rows(world, 30)), user=manager
    )
    assert import_errors(result) == []
    copies = [
        Pledge(**{f.attname: getattr(p, f.attname) for f in Pledge._meta.concrete_fields[1:]})
        for p in Pledge.objects.order_by("pk")
    ]
    for copy in copies:
        copy.reference = f"copy of {copy.reference}"
    bulk_create_with_history(copies, Pledge, default_user=manager)

    def history(reference_prefix: str) -> list[dict]:
        rows = Pledge.history.filter(reference__startswith=reference_prefix).order_by("id")
        return [
            {
                key: value
                for key, value in vars(row).items()
                if key not in {"_state", "history_id", "history_date", "id", "reference"}
            }
            for row in rows
        ]

    imported, by_simple_history = history("FILE-"), history("copy of ")
    assert len(imported) == 30
    assert imported == by_simple_history
    assert {row["history_user_id"] for row in imported} == {manager.pk}
    assert {row["history_type"] for row in imported} == {"+"}


def test_preview_shows_each_row_as_import_export_would(world, earmarks):
    from import_export.resources import Diff

    rows = pledge_rows(world, 8)
    rows[3][PLEDGE_HEADERS.index("reference")] = "<b>&\nnew line"
    resource = PledgeResource()
    result = resource.import_data(
        make_dataset(PLEDGE_HEADERS, *rows),
        dry_run=True,
        user=world.users["manager"],
        retain_instance_in_row_result=True,
    )
    assert import_errors(result) == []
    assert [row.import_type for row in result.rows] == ["new"] * 8
    for row in result.rows:
        expected = Diff(resource, Pledge(), True)
        expected.compare_with(resource, row.instance)
        assert row.diff == expected.as_html()
    assert '<ins style="background:#e6ffe6;">&lt;b&gt;&amp;&para;<br>new line</ins>' in (
        result.rows[3].diff
    )
