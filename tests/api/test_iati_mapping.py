"""The IATI mapping on hand-built rows, without a database: roles, transactions,
results, dimensions and survivor-safe figures, NAP references, sectors, budgets,
and the problems reported for missing or unusable data."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from lxml import etree

from api.iati.build import ERROR, WARNING, IatiConfig, allocate, build_activity, calendar_years
from api.iati.checks import check_activity
from api.iati.data import (
    BudgetRow,
    DimensionRow,
    IatiData,
    IndicatorRow,
    LinkRow,
    Org,
    OutcomeRow,
    OutputRow,
    ParticipationRow,
    PaymentRow,
    PeriodRow,
    PillarRow,
    PledgeRow,
    ProgrammeRow,
    ResultRow,
)

D = Decimal
TODAY = dt.date(2012, 6, 1)

UNODC = Org(1, "United Nations Office on Drugs and Crime", "UNODC", "un_agency")
IOM = Org(2, "International Organization for Migration", "IOM", "un_agency")
MINISTRY = Org(3, "Ministry of Interior", "", "ministry", "Serbia")
GIFT = Org(4, "UN.GIFT", "UN.GIFT", "fund")
NGO = Org(5, "Astra", "", "civil_society", "Serbia")
FOREIGN_NGO = Org(6, "La Strada International", "", "civil_society", "Netherlands")
NORWAY = Org(10, "Embassy of Norway", "", "embassy", "Norway")
SIDA = Org(11, "Swedish International Development Cooperation Agency", "Sida", "development_agency")
SECRET = Org(12, "Quiet Foundation", "", "fund")
LATE = Org(13, "Embassy still deciding", "", "embassy")


def rows(**changes) -> IatiData:
    """A small programme: two agencies, a ministry, a framework, two NGOs; one outcome
    per pillar; a sensitive indicator broken down by sex; pledges and payments."""
    data = IatiData(
        programme=ProgrammeRow(
            id=7,
            title="Joint Programme against Trafficking",
            country="Serbia",
            status="implementation",
            currency="USD",
            start_date=dt.date(2010, 1, 1),
            end_date=dt.date(2011, 12, 31),
            summary="Three agencies against trafficking.",
            min_cell_size=5,
        ),
        organisations={
            o.id: o
            for o in (UNODC, IOM, MINISTRY, GIFT, NGO, FOREIGN_NGO, NORWAY, SIDA, SECRET, LATE)
        },
        participations=[
            ParticipationRow(UNODC.id, "participating_agency"),
            ParticipationRow(IOM.id, "participating_agency"),
            ParticipationRow(MINISTRY.id, "government_counterpart"),
            ParticipationRow(GIFT.id, "funding_framework"),
            ParticipationRow(NGO.id, "implementing_partner"),
            ParticipationRow(FOREIGN_NGO.id, "implementing_partner"),
        ],
        pillars=[
            PillarRow(1, "prevention", "Prevention", 1),
            PillarRow(2, "prosecution", "Prosecution", 2),
            PillarRow(3, "protection", "Protection", 3),
        ],
        outcomes=[
            OutcomeRow(100, "1.1", "Awareness raised", 1, IOM.id, "People know the risks.", 1),
            OutcomeRow(200, "2.1", "Traffickers prosecuted", 2, UNODC.id, "", 2),
            OutcomeRow(300, "3.1", "Victims protected", 3, UNODC.id, "", 3),
        ],
        budgets=[
            BudgetRow(100, IOM.id, D("100000")),
            BudgetRow(200, UNODC.id, D("200000")),
            BudgetRow(300, UNODC.id, D("100000")),
            BudgetRow(300, IOM.id, D("0")),
        ],
        outputs=[
            OutputRow(101, 100, "1.1.1", "Campaign run", "", 1),
            OutputRow(102, 100, "1.1.2", "Output without indicator", "", 2),
            OutputRow(301, 300, "3.1.1", "Shelters open", "", 1),
        ],
        indicators=[
            IndicatorRow(1001, 100, "1.1.a", "People reached", "people", D("0"), D("5000"), 101),
            IndicatorRow(1002, 100, "1.1.b", "Aware of risks", "%", D("35"), D("60")),
            IndicatorRow(2001, 200, "2.1.a", "Convictions", "cases", D("10"), D("5")),
            IndicatorRow(
                3001,
                300,
                "3.1.a",
                "Victims identified",
                "victims",
                D("3"),
                D("120"),
                None,
                "Agency records",
                True,
                (DimensionRow(50, "Sex", ((51, "Female"), (52, "Male"))),),
            ),
            IndicatorRow(3002, 300, "3.1.b", "Shelter places", "places", D("0"), D("40"), 301),
        ],
        periods=[
            PeriodRow(1, "2010 H1", dt.date(2010, 1, 1), dt.date(2010, 6, 30)),
            PeriodRow(2, "2010 H2", dt.date(2010, 7, 1), dt.date(2010, 12, 31)),
            PeriodRow(3, "2011", dt.date(2011, 1, 1), dt.date(2011, 12, 31)),
        ],
        results=[
            ResultRow(1001, 1, D("1200")),
            ResultRow(1002, 2, D("41.5")),
            ResultRow(3001, 1, D("38"), {51: D("27"), 52: D("11")}),
            ResultRow(3001, 2, D("12"), {51: D("9"), 52: D("3")}),
            ResultRow(3001, 3, D("3"), {51: D("2"), 52: D("1")}),
        ],
        links=[LinkRow(100, "1.2", "Prevent trafficking", "2")],
        pledges=[
            PledgeRow(1, NORWAY.id, D("100000"), "NOK", dt.date(2009, 4, 1), "committed"),
            PledgeRow(2, NORWAY.id, D("50000"), "NOK", dt.date(2010, 2, 1), "paid"),
            PledgeRow(3, NORWAY.id, D("20000"), "USD", dt.date(2010, 3, 1), "committed"),
            PledgeRow(4, SIDA.id, D("300000"), "SEK", dt.date(2009, 6, 1), "paid"),
            PledgeRow(5, SECRET.id, D("70000"), "USD", dt.date(2009, 5, 1), "committed", True),
            PledgeRow(6, LATE.id, D("90000"), "USD", dt.date(2009, 5, 1), "pledged"),
        ],
        payments=[
            PaymentRow(1, 2, D("30000"), "NOK", dt.date(2010, 3, 1), UNODC.id),
            PaymentRow(2, 2, D("20000"), "NOK", dt.date(2010, 9, 1), UNODC.id),
            PaymentRow(3, 4, D("300000"), "SEK", dt.date(2009, 7, 1), IOM.id),
            PaymentRow(4, 5, D("10000"), "USD", dt.date(2010, 1, 5), IOM.id),
        ],
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return data


CONFIG = IatiConfig(
    organisation_refs={"unodc": "XM-TEST-UNODC", "Embassy of Norway": "XM-TEST-NO"},
    nap_vocabulary_uri="https://jpm.example.org/api/nap-objectives/?programme=7",
)


def activity_of(data: IatiData | None = None, config: IatiConfig = CONFIG):
    built = build_activity(data or rows(), config, today=TODAY)
    return built, built.tree.find("iati-activity")


def messages(built, level: str) -> list[str]:
    return [p.message for p in built.problems if p.level == level]


# Who ---------------------------------------------------------------------------------


def test_reporting_org_is_the_agency_leading_most_outcomes_with_its_known_ref():
    built, activity = activity_of()
    reporting = activity.find("reporting-org")
    assert reporting.get("ref") == "XM-TEST-UNODC"
    assert reporting.get("type") == "40"
    assert reporting.findtext("narrative") == UNODC.name
    assert activity.findtext("iati-identifier") == "XM-TEST-UNODC-JP7"
    assert not messages(built, ERROR)


def test_reporting_org_can_be_named_and_gets_a_flagged_placeholder_ref():
    config = replace(CONFIG, reporting_organisation="iom")
    built, activity = activity_of(config=config)
    assert activity.find("reporting-org").get("ref") == "XI-IATI-JPM-IOM"
    assert activity.findtext("iati-identifier") == "XI-IATI-JPM-IOM-JP7"
    assert any("placeholder" in m and "XI-IATI-JPM-IOM" in m for m in messages(built, WARNING))


def test_participating_organisations_get_their_iati_roles():
    _built, activity = activity_of()
    roles = {}
    for element in activity.findall("participating-org"):
        roles.setdefault(element.findtext("narrative"), set()).add(element.get("role"))
    assert roles[UNODC.name] == {"3", "4"}  # extending and implementing
    assert roles[IOM.name] == {"3", "4"}
    assert roles[MINISTRY.name] == {"2"}  # accountable
    assert roles[GIFT.name] == {"1"}  # funding framework
    assert roles[NGO.name] == {"4"}
    assert roles[NORWAY.name] == {"1"}  # donors with committed money fund
    assert roles[SIDA.name] == {"1"}
    assert roles["Anonymous donor"] == {"1"}
    assert SECRET.name not in roles  # anonymous donors are pooled
    assert LATE.name not in roles  # a pledge not yet committed funds nothing


def test_organisation_types_and_refs():
    _built, activity = activity_of()
    by_name = {e.findtext("narrative"): e for e in activity.findall("participating-org")}
    assert by_name[MINISTRY.name].get("type") == "10"
    assert by_name[NGO.name].get("type") == "22"  # national NGO
    assert by_name[FOREIGN_NGO.name].get("type") == "21"  # international NGO
    assert by_name[NORWAY.name].get("ref") == "XM-TEST-NO"
    assert by_name[SIDA.name].get("ref") is None  # never invented
    assert by_name["Anonymous donor"].get("ref") is None


# Status, dates, place, sectors, tags, budget ------------------------------------------


def test_status_dates_country_and_tags():
    _built, activity = activity_of()
    assert activity.find("activity-status").get("code") == "2"
    dates = {e.get("type"): e.get("iso-date") for e in activity.findall("activity-date")}
    assert dates == {"1": "2010-01-01", "2": "2010-01-01", "3": "2011-12-31"}
    country = activity.find("recipient-country")
    assert (country.get("code"), country.get("percentage")) == ("RS", "100")
    tags = [(t.get("vocabulary"), t.get("code")) for t in activity.findall("tag")]
    assert tags == [("3", "5.2"), ("3", "8.7"), ("3", "16.2")]
    assert activity.get("default-currency") == "USD"


def test_a_closed_programme_has_an_actual_end_and_a_pipeline_one_no_actual_dates():
    closed = rows(programme=replace(rows().programme, status="closed"))
    _built, activity = activity_of(closed)
    dates = {e.get("type") for e in activity.findall("activity-date")}
    assert dates == {"1", "2", "3", "4"}
    assert activity.find("activity-status").get("code") == "4"
    pipeline = rows(programme=replace(rows().programme, status="fundraising"))
    _built, activity = activity_of(pipeline)
    assert {e.get("type") for e in activity.findall("activity-date")} == {"1", "3"}
    assert activity.find("activity-status").get("code") == "1"


def test_sectors_follow_the_pillars_budgets_and_add_up_to_100():
    _built, activity = activity_of()
    sectors = {s.get("code"): Decimal(s.get("percentage")) for s in activity.findall("sector")}
    # prevention 100,000 → 15190; prosecution 200,000 → 15130; protection 100,000 → 15180
    assert sectors == {"15190": D("25"), "15130": D("50"), "15180": D("25")}
    assert {s.get("vocabulary") for s in activity.findall("sector")} == {"1"}


def test_uneven_sector_shares_still_add_up_to_exactly_100():
    data = rows(budgets=[BudgetRow(100, IOM.id, D("1")), BudgetRow(200, UNODC.id, D("1")),
                         BudgetRow(300, UNODC.id, D("1"))])  # fmt: skip
    _built, activity = activity_of(data)
    shares = [Decimal(s.get("percentage")) for s in activity.findall("sector")]
    assert sum(shares) == 100
    assert sorted(shares) == [D("33.33"), D("33.33"), D("33.34")]


def test_budget_is_spread_over_calendar_years_to_the_cent():
    data = rows(programme=replace(rows().programme, start_date=dt.date(2010, 7, 1)))
    built, activity = activity_of(data)
    budgets = activity.findall("budget")
    spans = [(b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date"))
             for b in budgets]  # fmt: skip
    assert spans == [("2010-07-01", "2010-12-31"), ("2011-01-01", "2011-12-31")]
    values = [Decimal(b.findtext("value")) for b in budgets]
    assert sum(values) == D("400000")
    assert values[0] < values[1]  # 184 days against 365
    assert all(b.get("status") == "1" and b.get("type") == "1" for b in budgets)
    assert budgets[0].find("value").get("value-date") == "2010-07-01"
    assert any("indicative" in m for m in messages(built, WARNING))


def test_allocation_and_calendar_years():
    assert allocate(D("100"), [D(1), D(1), D(1)], D("0.01")) == [D("33.34"), D("33.33"), D("33.33")]
    assert allocate(D("10"), [D(0), D(0)], D("0.01")) == [D("5"), D("5")]
    assert calendar_years(dt.date(2010, 3, 1), dt.date(2012, 2, 1)) == [
        (dt.date(2010, 3, 1), dt.date(2010, 12, 31)),
        (dt.date(2011, 1, 1), dt.date(2011, 12, 31)),
        (dt.date(2012, 1, 1), dt.date(2012, 2, 1)),
    ]


# Money ----------------------------------------------------------------------------------


def transactions(activity) -> list[dict]:
    found = []
    for t in activity.findall("transaction"):
        value = t.find("value")
        receiver = t.find("receiver-org")
        found.append(
            {
                "type": t.find("transaction-type").get("code"),
                "date": t.find("transaction-date").get("iso-date"),
                "value": Decimal(value.text),
                "currency": value.get("currency"),
                "value_date": value.get("value-date"),
                "provider": t.find("provider-org").findtext("narrative"),
                "provider_ref": t.find("provider-org").get("ref"),
                "receiver": receiver.findtext("narrative") if receiver is not None else None,
            }
        )
    return found


def test_committed_pledges_become_incoming_commitments_per_donor_and_currency():
    _built, activity = activity_of()
    commitments = [t for t in transactions(activity) if t["type"] == "11"]
    assert commitments == [
        {"type": "11", "date": "2010-02-01", "value": D("150000"), "currency": "NOK",
         "value_date": "2010-02-01", "provider": NORWAY.name, "provider_ref": "XM-TEST-NO",
         "receiver": None},
        {"type": "11", "date": "2010-03-01", "value": D("20000"), "currency": None,
         "value_date": "2010-03-01", "provider": NORWAY.name, "provider_ref": "XM-TEST-NO",
         "receiver": None},
        {"type": "11", "date": "2009-06-01", "value": D("300000"), "currency": "SEK",
         "value_date": "2009-06-01", "provider": SIDA.name, "provider_ref": None,
         "receiver": None},
        {"type": "11", "date": "2009-05-01", "value": D("70000"), "currency": None,
         "value_date": "2009-05-01", "provider": "Anonymous donor", "provider_ref": None,
         "receiver": None},
    ]  # fmt: skip


def test_payments_become_incoming_funds_per_donor_currency_and_receiving_agency():
    _built, activity = activity_of()
    funds = [t for t in transactions(activity) if t["type"] == "1"]
    assert [
        (t["provider"], t["receiver"], t["value"], t["currency"], t["date"]) for t in funds
    ] == [
        (NORWAY.name, UNODC.name, D("50000"), "NOK", "2010-09-01"),
        (SIDA.name, IOM.name, D("300000"), "SEK", "2009-07-01"),
        ("Anonymous donor", IOM.name, D("10000"), None, "2010-01-05"),
    ]
    xml = b"".join(etree.tostring(t) for t in activity.iter("transaction"))
    assert SECRET.name.encode() not in xml


def test_a_pledge_not_yet_committed_is_no_transaction():
    _built, activity = activity_of()
    assert all(t["provider"] != LATE.name for t in transactions(activity))


# Results ---------------------------------------------------------------------------------


def results(activity) -> dict[str, object]:
    return {r.find("title").findtext("narrative"): r for r in activity.findall("result")}


def indicator(activity, code: str):
    for element in activity.iter("indicator"):
        if element.find("title").findtext("narrative").startswith(code + " "):
            return element
    raise AssertionError(code)


def test_outcomes_and_outputs_become_results_of_type_2_and_1():
    built, activity = activity_of()
    found = results(activity)
    assert {title: r.get("type") for title, r in found.items()} == {
        "1.1 Awareness raised": "2",
        "1.1.1 Campaign run": "1",
        "2.1 Traffickers prosecuted": "2",
        "3.1 Victims protected": "2",
        "3.1.1 Shelters open": "1",
    }
    outcome = found["1.1 Awareness raised"]
    assert [i.find("title").findtext("narrative") for i in outcome.findall("indicator")] == [
        "1.1.b Aware of risks"
    ]
    assert outcome.find("description").findtext("narrative") == "People know the risks."
    assert any("1.1.2 has no indicator" in m for m in messages(built, WARNING))


def test_indicators_carry_measure_baseline_target_and_approved_actuals_per_period():
    _built, activity = activity_of()
    aware = indicator(activity, "1.1.b")
    assert aware.get("measure") == "2"  # a percentage
    assert aware.get("ascending") == "1"
    baseline = aware.find("baseline")
    assert (baseline.get("year"), baseline.get("value")) == ("2010", "35")
    periods = aware.findall("period")
    spans = [(p.find("period-start").get("iso-date"), p.find("period-end").get("iso-date"))
             for p in periods]  # fmt: skip
    assert spans == [("2010-07-01", "2010-12-31"), ("2011-01-01", "2011-12-31")]
    assert periods[0].find("actual").get("value") == "41.5"
    assert periods[0].find("target") is None
    target = periods[1].find("target")  # the end-of-programme target, in the last period
    assert target.get("value") == "60"
    assert target.find("comment").findtext("narrative") == "End-of-programme target"
    convictions = indicator(activity, "2.1.a")
    assert convictions.get("ascending") == "0"  # target below baseline
    assert convictions.get("measure") == "1"


def test_dimensions_become_disaggregated_actuals():
    _built, activity = activity_of()
    victims = indicator(activity, "3.1.a")
    first = victims.findall("period")[0]
    actuals = [
        (a.get("value"), tuple((d.get("name"), d.get("value")) for d in a.findall("dimension")))
        for a in first.findall("actual")
    ]
    assert actuals == [("38", ()), ("27", (("Sex", "Female"),)), ("11", (("Sex", "Male"),))]


def test_sensitive_small_counts_stay_suppressed():
    built, activity = activity_of()
    victims = indicator(activity, "3.1.a")
    assert victims.find("baseline") is None  # 3 is below the minimum cell size of 5
    periods = {p.find("period-start").get("iso-date"): p for p in victims.findall("period")}
    # 2010 H2: 12 = 9 + 3: the 3 is small, the 9 would give it away by subtraction.
    h2 = periods["2010-07-01"]
    assert [a.get("value") for a in h2.findall("actual")] == ["12"]
    # 2011: the total itself (3) is small: nothing is published but the target.
    last = periods["2011-01-01"]
    assert last.findall("actual") == []
    assert last.find("target").get("value") == "120"
    text = victims.find("description").findtext("narrative")
    assert "withheld to protect survivors" in text
    assert built.counts["withheld figures"] == 6  # baseline, 2 cells of H2, 2011's total and cells
    xml = etree.tostring(victims)
    assert b'value="3"' not in xml and b'value="1"' not in xml and b'value="2"' not in xml


def test_confirmed_nap_links_are_result_references_in_the_reporting_orgs_vocabulary():
    built, activity = activity_of()
    outcome = results(activity)["1.1 Awareness raised"]
    references = outcome.findall("reference")
    assert [(r.get("vocabulary"), r.get("code"), r.get("vocabulary-uri")) for r in references] == [
        ("99", "NAP-2-1.2", "https://jpm.example.org/api/nap-objectives/?programme=7")
    ]
    assert built.counts["NAP references"] == 1


def test_links_of_an_outcome_without_its_own_indicator_go_on_its_outputs():
    data = rows(links=[LinkRow(300, "3.4", "Protect victims", "2")])
    data.indicators = [i for i in data.indicators if i.id != 3001]
    built, activity = activity_of(data)
    found = results(activity)
    assert "3.1 Victims protected" not in found
    output = found["3.1.1 Shelters open"]
    assert [r.get("code") for r in output.findall("reference")] == ["NAP-2-3.4"]
    assert any("no outcome-level indicator" in m for m in messages(built, WARNING))


# The result is valid by IATI's rules ------------------------------------------------------


def test_hand_built_activity_passes_the_rules():
    built, activity = activity_of()
    assert check_activity(activity, today=TODAY) == []
    assert not messages(built, ERROR)


# Missing data: plain messages -------------------------------------------------------------


def test_missing_dates_are_taken_from_the_periods_with_a_warning():
    data = rows(programme=replace(rows().programme, start_date=None, end_date=None))
    built, activity = activity_of(data)
    dates = {e.get("type"): e.get("iso-date") for e in activity.findall("activity-date")}
    assert dates["1"] == "2010-01-01" and dates["3"] == "2011-12-31"
    assert not messages(built, ERROR)
    assert any("no start date" in m for m in messages(built, WARNING))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"programme": replace(rows().programme, start_date=None, end_date=None), "periods": []},
            "has no start date and no reporting periods",
        ),
        ({"participations": []}, "has no participating UN agency"),
        (
            {"programme": replace(rows().programme, country="Atlantis")},
            '"Atlantis" is not a country',
        ),
        ({"programme": replace(rows().programme, currency="XYZ")}, '"XYZ" is not an ISO 4217'),
        (
            {"pledges": [PledgeRow(1, NORWAY.id, D("1"), "ABC", dt.date(2009, 1, 1), "paid")]},
            '"ABC", which is not an ISO 4217',
        ),
    ],
)
def test_missing_or_unusable_data_is_an_error_in_plain_words(change, expected):
    built, _activity = activity_of(rows(**change))
    errors = messages(built, ERROR)
    assert any(expected in m for m in errors), errors


def test_a_reporting_organisation_setting_that_matches_nobody_is_an_error():
    built, _ = activity_of(config=replace(CONFIG, reporting_organisation="UNICEF"))
    assert any('"UNICEF"' in m and "takes part" in m for m in messages(built, ERROR))


def test_missing_summary_and_budget_are_warnings():
    data = rows(programme=replace(rows().programme, summary=""), budgets=[])
    built, activity = activity_of(data)
    assert "a joint programme in Serbia" in activity.find("description").findtext("narrative")
    warnings = messages(built, WARNING)
    assert any("no summary" in m for m in warnings)
    assert any("no budget" in m for m in warnings)
    assert activity.find("budget") is None


# Content in two languages ---------------------------------------------------------------


def test_texts_written_in_english_and_serbian_get_a_narrative_each():
    programme = replace(
        rows().programme,
        title={"en": "Joint Programme", "sr": "Zajednički program"},
        summary={"en": "", "sr": "Samo na srpskom."},
    )
    outcome = replace(rows().outcomes[0], title={"en": "Awareness raised", "sr": "Svest podignuta"})
    data = rows(programme=programme, outcomes=[outcome, *rows().outcomes[1:]])
    built, activity = activity_of(data)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    title = [(n.get(lang), n.text) for n in activity.find("title").findall("narrative")]
    assert title == [(None, "Joint Programme"), ("sr", "Zajednički program")]
    description = activity.find("description").findall("narrative")
    assert [(n.get(lang), n.text) for n in description] == [("sr", "Samo na srpskom.")]
    result = results(activity)["1.1 Awareness raised"]
    assert [(n.get(lang), n.text) for n in result.find("title").findall("narrative")] == [
        (None, "1.1 Awareness raised"),
        ("sr", "1.1 Svest podignuta"),
    ]
    assert check_activity(activity, today=TODAY) == []
    assert not messages(built, ERROR)


def test_text_xml_cannot_hold_is_replaced_not_a_crash():
    programme = replace(
        rows().programme, title="Joint\x0bProgramme\x00 \ud800", summary="Form\x0cfeed"
    )
    org = replace(NGO, name="Astra\x01")
    data = rows(programme=programme)
    data.organisations = {**data.organisations, NGO.id: org}
    built, activity = activity_of(data)
    assert activity.find("title").findtext("narrative") == "Joint\nProgramme\ufffd \ufffd"
    assert activity.find("description").findtext("narrative") == "Form\nfeed"
    names = {e.findtext("narrative") for e in activity.findall("participating-org")}
    assert "Astra\ufffd" in names
    etree.fromstring(etree.tostring(built.tree))  # well-formed
