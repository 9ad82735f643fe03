"""The IATI export end to end: the demo programme and a generated one validate
against the official 2.03 schema (loaded with lxml from ../shared/iati-2.03, no
network); IATI's own rules catch what the schema cannot; a programme with missing
data gets plain messages, never invalid XML; the page, the check and the command;
a fixed number of queries whatever the size."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from api.iati.checks import check_activity
from api.iati.export import export_programme
from jointprogramme.demo import demo_load
from jointprogramme.models import Participation, Programme
from jointprogramme.synthetic import generate
from outcomes.models import DisaggregationDimension
from tests import factories as f

SCHEMA_DIR = Path(settings.BASE_DIR).parent / "shared" / "iati-2.03"
needs_schema = pytest.mark.skipif(
    not (SCHEMA_DIR / "iati-activities-schema.xsd").is_file(),
    reason=f"The official IATI 2.03 schema is not at {SCHEMA_DIR} (CI puts shared/ beside "
    "the checkout).",
)
TODAY = dt.date(2012, 6, 1)


def official_schema() -> etree.XMLSchema:
    """The schema loaded afresh here, independently of the export's own loader."""
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd"), parser))


def assert_schema_valid(xml: bytes) -> None:
    schema = official_schema()
    document = etree.fromstring(xml)
    valid = schema.validate(document)
    assert valid, "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)


@pytest.fixture
def iati_settings(settings):
    settings.IATI_SCHEMA_DIR = SCHEMA_DIR
    settings.IATI_ORGANISATION_REFS = {}
    settings.IATI_REPORTING_ORGANISATION = ""
    return settings


# The demo and a generated programme -------------------------------------------------


@needs_schema
@pytest.mark.django_db
def test_demo_programme_exports_valid_iati(iati_settings):
    programme = demo_load(today=dt.date(2026, 1, 15)).programme
    export = export_programme(programme, today=dt.date(2026, 1, 15))
    assert export.schema_checked
    assert export.ok, [str(p) for p in export.errors]
    assert_schema_valid(export.xml)
    activity = etree.fromstring(export.xml).find("iati-activity")
    assert check_activity(activity, today=dt.date(2026, 1, 15)) == []
    # What the demo holds, in the file: three agencies, results, money, NAP links.
    assert len(activity.findall("result")) >= 6
    assert {t.find("transaction-type").get("code") for t in activity.findall("transaction")} == {
        "1",
        "11",
    }
    assert activity.findall("result/reference")
    assert {s.get("code") for s in activity.findall("sector")} <= {
        "15130",
        "15160",
        "15180",
        "15190",
    }
    # The demo's draft, submitted and returned results stay out: 2010 H1 is approved.
    periods = {p.get("iso-date") for p in activity.iterfind(".//actual/../period-start")}
    assert periods == {"2010-01-01"}
    # Sample data is flagged to the manager before publishing.
    assert any("sample data" in p.message for p in export.warnings)


@needs_schema
@pytest.mark.django_db
def test_command_writes_the_demo_export_and_validates_it(iati_settings, tmp_path):
    programme = demo_load(today=dt.date(2026, 1, 15)).programme
    target = tmp_path / "demo.xml"
    err = StringIO()
    call_command("export_iati", programme.pk, "--output", str(target), "--validate", stderr=err)
    assert_schema_valid(target.read_bytes())
    assert "Valid against the IATI 2.03 schema" in err.getvalue()
    out = StringIO()
    call_command("export_iati", programme.pk, stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("<?xml")


@needs_schema
@pytest.mark.django_db
def test_generated_programme_exports_valid_iati(iati_settings):
    generate(scale=2, seed=11)
    programme = Programme.objects.filter(title__startswith="Synthetic").order_by("pk").first()
    export = export_programme(programme)
    assert export.ok, [str(p) for p in export.errors]
    assert_schema_valid(export.xml)
    assert export.built.counts["results"] > 10
    assert export.built.counts["transactions"] > 3


# Hand-built data in the database ------------------------------------------------------------


def small_programme(world, *, outcomes: int = 1, summary: str = "Against trafficking."):
    programme = world.programme
    programme.summary = summary
    programme.save()
    pillar = f.PillarFactory(programme=programme, code="protection", name="Protection")
    first = f.ReportingPeriodFactory(
        programme=programme,
        name="2010 H1",
        start_date=dt.date(2010, 1, 1),
        end_date=dt.date(2010, 6, 30),
    )
    dimension = DisaggregationDimension.objects.create(programme=programme, name="Sex")
    female = dimension.categories.create(name="Female", order=1)
    male = dimension.categories.create(name="Male", order=2)
    for n in range(outcomes):
        outcome = f.OutcomeFactory(
            programme=programme, pillar=pillar, lead_agency=world.agencies["unodc"]
        )
        f.OutcomeBudgetFactory(outcome=outcome, amount=Decimal("1000"))
        output = f.OutputFactory(outcome=outcome)
        f.IndicatorFactory(outcome=outcome, output=output)
        sensitive = f.IndicatorFactory(outcome=outcome, is_sensitive=True)
        sensitive.dimensions.add(dimension)
        result = f.ResultFactory(indicator=sensitive, period=first, value=Decimal("30"))
        result.breakdowns.create(category=female, value=Decimal("27"))
        result.breakdowns.create(category=male, value=Decimal("3"))
        f.ResultFactory(indicator=sensitive, period=f.ReportingPeriodFactory(programme=programme),
                        status="draft", value=Decimal("999"))  # fmt: skip
        objective = f.NapObjectiveFactory(plan__programme=programme, code=f"O{n}")
        f.AlignmentFactory(outcome=outcome, objective=objective, review_status="confirmed")
        f.AlignmentFactory(outcome=outcome, review_status="proposed")
        pledge = f.PledgeFactory(programme=programme, donor=world.donor_org, status="committed")
        f.PaymentFactory(pledge=pledge, received_by=world.agencies["unodc"])
    return programme


@needs_schema
def test_hand_built_programme_exports_only_approved_and_confirmed_data(world, iati_settings):
    programme = small_programme(world)
    export = export_programme(programme, today=TODAY)
    assert export.ok, [str(p) for p in export.errors]
    assert_schema_valid(export.xml)
    xml = export.xml
    assert b'value="999"' not in xml  # a draft result
    assert b'value="3"' not in xml  # a small count of people
    assert b'value="27"' not in xml  # it would give the 3 away: 30 - 27
    assert b'<actual value="30"/>' in xml
    assert xml.count(b'vocabulary="99"') == 1  # the confirmed link only


def test_rules_catch_what_the_schema_cannot():
    activity = etree.fromstring(
        b"""<iati-activity default-currency="USD">
          <iati-identifier>OTHER-1</iati-identifier>
          <reporting-org ref="XM-A" type="40"><narrative>A</narrative></reporting-org>
          <participating-org role="1"/>
          <activity-status code="9"/>
          <activity-date type="1" iso-date="2011-01-01"/>
          <activity-date type="3" iso-date="2010-01-01"/>
          <activity-date type="2" iso-date="2030-01-01"/>
          <sector code="15180" percentage="60"/>
          <sector code="15190" percentage="30"/>
          <budget><period-start iso-date="2010-01-01"/><period-end iso-date="2011-06-30"/>
            <value value-date="2010-01-01">10</value></budget>
          <budget><period-start iso-date="2011-01-01"/><period-end iso-date="2011-03-31"/>
            <value currency="ZZZ" value-date="2011-01-01">10</value></budget>
          <transaction><transaction-type code="1"/><transaction-date iso-date="2030-01-01"/>
            <value value-date="2030-01-01">5</value>
            <provider-org><narrative> </narrative></provider-org></transaction>
          <result type="1"><title><narrative>R</narrative></title>
            <indicator measure="1"><title><narrative>I</narrative></title>
              <baseline year="2010"/>
              <period><period-start iso-date="2010-12-31"/><period-end iso-date="2010-01-01"/>
                <actual value="many"/></period>
            </indicator></result>
        </iati-activity>"""
    )
    problems = [p.message for p in check_activity(activity, today=TODAY)]
    expected = [
        'must start with the reporting organisation\'s identifier "XM-A"',
        "neither an identifier nor a name",
        "not one of IATI's codes",
        "planned end date (2010-01-01) is before the planned start date",
        "actual start date (2030-01-01) is in the future",
        "add up to 90, not 100",
        "IATI budgets span a year at most",
        "Two budgets overlap",
        '"ZZZ" is not an ISO 4217 code',
        "A transaction is dated 2030-01-01, in the future",
        "A text in <provider-org> is empty",
        "A baseline of a number indicator has no value",
        "A results period ends (2010-01-01) before it starts",
        'The actual value "many" is not a number',
    ]
    for words in expected:
        assert any(words in message for message in problems), (words, problems)


def test_rules_want_a_currency_on_every_value_without_a_default():
    activity = etree.fromstring(
        b"""<iati-activity><iati-identifier>XM-A-1</iati-identifier>
          <reporting-org ref="XM-A" type="40"><narrative>A</narrative></reporting-org>
          <activity-status code="2"/><activity-date type="2" iso-date="2010-01-01"/>
          <transaction><transaction-type code="1"/><transaction-date iso-date="2010-01-01"/>
            <value value-date="2010-01-01">5</value></transaction>
          <transaction><transaction-type code="1"/><transaction-date iso-date="2010-01-01"/>
            <value currency="EUR" value-date="2010-01-01">5</value></transaction>
        </iati-activity>"""
    )
    problems = [p.message for p in check_activity(activity, today=TODAY)]
    assert problems == ["A value has no currency and the activity has no default currency."]


# Missing data: messages, not invalid XML --------------------------------------------------


def incomplete_programme(world):
    programme = world.programme
    programme.start_date = programme.end_date = None
    programme.country = "Atlantis"
    programme.save()
    Participation.objects.filter(programme=programme).delete()
    return programme


def test_missing_data_gives_messages_and_no_xml_on_the_page(world, iati_settings):
    programme = incomplete_programme(world)
    response = world.client_for("manager").get(reverse("iati:activity", args=[programme.pk]))
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "cannot be published yet" in page
    assert "has no start date and no reporting periods" in page
    assert "has no participating UN agency" in page
    assert "&quot;Atlantis&quot; is not a country name" in page
    assert "<iati-activities" not in page
    # Other members learn that it is not ready, not the details.
    response = world.client_for("donor").get(reverse("iati:activity", args=[programme.pk]))
    assert response.status_code == 422
    assert b"must be fixed by the programme manager" in response.content
    assert b"Atlantis" not in response.content


def test_missing_data_makes_the_command_fail_and_write_nothing(world, iati_settings, tmp_path):
    programme = incomplete_programme(world)
    target = tmp_path / "out.xml"
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("export_iati", programme.pk, "--output", str(target), stderr=err)
    assert not target.exists()
    assert "has no participating UN agency" in err.getvalue()


def test_command_refuses_an_unknown_programme_and_a_missing_schema(world, settings, tmp_path):
    with pytest.raises(CommandError, match="There is no programme 9999"):
        call_command("export_iati", 9999)
    settings.IATI_SCHEMA_DIR = tmp_path
    with pytest.raises(CommandError, match="schema was not found"):
        call_command("export_iati", world.programme.pk, "--validate", stderr=StringIO())


# The pages -------------------------------------------------------------------------------


@needs_schema
def test_iati_xml_is_served_to_members(world, iati_settings):
    programme = small_programme(world)
    response = world.client_for("donor").get(reverse("iati:activity", args=[programme.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert_schema_valid(response.content)
    assert world.client_for("outsider").get(
        reverse("iati:activity", args=[programme.pk])
    ).status_code == 404  # fmt: skip


@needs_schema
def test_check_page_tells_the_manager_what_to_know_before_publishing(world, iati_settings):
    programme = small_programme(world, summary="")
    response = world.client_for("manager").get(reverse("iati:check", args=[programme.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The export is valid" in page
    assert "no summary" in page
    assert "placeholder" in page
    assert reverse("iati:activity", args=[programme.pk]) in page
    for actor in ("unodc", "coordinator", "donor"):
        client = world.client_for(actor)
        assert client.get(reverse("iati:check", args=[programme.pk])).status_code == 403


# Queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 6])
def test_export_reads_in_a_fixed_number_of_queries(world, iati_settings, size,
                                                   django_assert_num_queries):  # fmt: skip
    programme = small_programme(world, outcomes=size)
    with django_assert_num_queries(14):
        export_programme(programme, today=TODAY, validate_schema=False)


def test_only_confirmed_links_to_objectives_in_force_are_references(world, iati_settings):
    programme = small_programme(world)
    outcome = programme.outcomes.get()
    withdrawn = f.NapObjectiveFactory(plan__programme=programme, code="W1", status="withdrawn")
    f.AlignmentFactory(outcome=outcome, objective=withdrawn, review_status="confirmed")
    old_plan = f.NationalActionPlanFactory(programme=programme, status="superseded")
    old = f.NapObjectiveFactory(plan=old_plan, code="OLD1")
    f.AlignmentFactory(outcome=outcome, objective=old, review_status="confirmed")
    queried = f.NapObjectiveFactory(plan__programme=programme, code="Q1")
    f.AlignmentFactory(outcome=outcome, objective=queried, review_status="queried")
    export = export_programme(programme, today=TODAY, validate_schema=False)
    activity = etree.fromstring(export.xml).find("iati-activity")
    codes = [r.get("code") for r in activity.iterfind("result/reference")]
    assert len(codes) == 1 and codes[0].endswith("-O0")
