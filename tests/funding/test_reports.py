"""The funding report's sums, on hand-built rows: no database."""

from datetime import date
from decimal import Decimal as D

import pytest

from funding.currency import Rate, RateTable
from funding.reports import (
    ANONYMOUS_DONOR,
    STAFF,
    BudgetLine,
    FundingData,
    OutcomeRow,
    PaymentRow,
    PillarRow,
    PledgeRow,
    ProspectRow,
    Viewer,
    funding_report,
    percent,
    summarise_funding,
)

USD = "USD"
PREVENTION, PROTECTION = 1, 2
OUTCOME_1, OUTCOME_2, OUTCOME_3 = 11, 12, 13
UNODC, UNHCR, IOM = 21, 22, 23
NORWAY, SWEDEN, EU = 31, 32, 33

RATES = RateTable(
    [
        Rate("EUR", USD, date(2009, 1, 1), D("1.30")),
        Rate("EUR", USD, date(2009, 6, 1), D("1.40")),
        Rate(USD, "SEK", date(2009, 1, 1), D("8.00")),  # inverted: 1 SEK = 0.125 USD
    ],
    USD,
)


def pledge(id, donor, amount, currency=USD, on=date(2009, 3, 25), status="committed", **kw):
    names = {NORWAY: "Norway", SWEDEN: "Sweden", EU: "European Union"}
    return PledgeRow(
        amount=D(amount),
        currency=currency,
        pledged_on=on,
        status=status,
        id=id,
        donor_id=donor,
        donor_name=names[donor],
        **kw,
    )


def payment(id, pledge_id, amount, currency=USD, on=date(2009, 7, 1), by=UNODC):
    return PaymentRow(id, pledge_id, D(amount), currency, on, by)


def data(pledges=(), payments=(), prospects=()):
    return FundingData(
        currency=USD,
        pillars=[PillarRow(PREVENTION, "prevention", "Prevention"),
                 PillarRow(PROTECTION, "protection", "Protection")],
        outcomes=[
            OutcomeRow(OUTCOME_1, "1", "Awareness raised", PREVENTION),
            OutcomeRow(OUTCOME_2, "2", "Hotline running", PREVENTION),
            OutcomeRow(OUTCOME_3, "3", "Shelters open", PROTECTION),
        ],
        budget_lines=[
            BudgetLine(OUTCOME_1, UNODC, D("100000")),
            BudgetLine(OUTCOME_1, IOM, D("50000")),
            BudgetLine(OUTCOME_2, IOM, D("50000")),
            BudgetLine(OUTCOME_3, UNHCR, D("300000")),
        ],
        agencies={UNODC: "UNODC", UNHCR: "UNHCR", IOM: "IOM"},
        pledges=list(pledges),
        payments=list(payments),
        prospects=list(prospects),
        participating_agency_ids=(UNODC, UNHCR, IOM),
    )  # fmt: skip


def line(lines, label):
    return next(x for x in lines if x.label.rstrip(" †") == label)


def test_budget_sums_outcome_shares_by_pillar_and_agency():
    report = funding_report(data=data(), rates=RATES, viewer=STAFF)
    assert report.headline.budget == D("500000")
    assert line(report.by_pillar, "Prevention").figures.budget == D("200000")
    assert line(report.by_pillar, "Protection").figures.budget == D("300000")
    assert line(report.by_agency, "IOM").figures.budget == D("100000")
    assert line(report.by_outcome, "1 Awareness raised").figures.budget == D("150000")
    assert report.headline.gap == D("500000")
    assert report.headline.percent_funded == D("0.0")


def test_mixed_currencies_convert_at_the_rate_in_force_on_each_date():
    report = funding_report(
        data=data(
            [
                pledge(1, NORWAY, "100000", "EUR", on=date(2009, 3, 25)),  # 1.30
                pledge(2, SWEDEN, "80000", "SEK", on=date(2009, 3, 25)),  # 0.125
                pledge(3, EU, "50000", USD, status="pledged"),
            ],
            [payment(10, 1, "50000", "EUR", on=date(2009, 7, 1))],  # 1.40 by then
        ),
        rates=RATES,
        viewer=STAFF,
    )
    assert report.headline.pledged == D("130000") + D("10000") + D("50000")
    assert report.headline.committed == D("140000")
    assert report.headline.paid == D("70000.00")
    assert report.headline.gap == D("360000")
    assert report.headline.percent_funded == D("28.0")
    norway = line(report.by_donor, "Norway")
    assert norway.originals == {"EUR": D("100000")}
    assert norway.figures.paid == D("70000.00")
    assert report.missing == []


def test_each_amount_rounds_half_up_to_the_cent_once():
    rates = RateTable([Rate("EUR", USD, date(2009, 1, 1), D("1.005"))], USD)
    report = funding_report(
        data=data([pledge(1, NORWAY, "0.50", "EUR"), pledge(2, SWEDEN, "0.50", "EUR")]),
        rates=rates,
        viewer=STAFF,
    )
    # 0.5025 rounds to 0.50 each time: sums are of rounded amounts (1.00), not 1.005 → 1.01.
    assert report.headline.pledged == D("1.00")
    rates = RateTable([Rate("EUR", USD, date(2009, 1, 1), D("1.01"))], USD)
    report = funding_report(
        data=data([pledge(1, NORWAY, "0.50", "EUR")]), rates=rates, viewer=STAFF
    )
    assert report.headline.pledged == D("0.51")  # 0.505 half up


def test_missing_rate_is_reported_and_left_out_never_zero_or_one():
    report = funding_report(
        data=data(
            [
                pledge(1, NORWAY, "100000", "CHF", earmark_outcome_id=OUTCOME_1),
                pledge(2, SWEDEN, "1000", "EUR", on=date(2008, 12, 31)),  # before any EUR rate
                pledge(3, EU, "50000"),
            ],
            [payment(10, 3, "100", "GBP")],
        ),
        rates=RATES,
        viewer=STAFF,
    )
    assert report.headline.pledged == D("50000")
    assert report.headline.paid == D("0")
    assert report.headline.incomplete
    assert [(m.kind, m.ref, m.currency, m.on) for m in report.missing] == [
        ("pledge", 1, "CHF", date(2009, 3, 25)),
        ("pledge", 2, "EUR", date(2008, 12, 31)),
        ("payment", 10, "GBP", date(2009, 7, 1)),
    ]
    assert str(report.missing[0]) == (
        "Pledge #1 (Norway): 100,000.00 CHF on 25 Mar 2009 — no CHF→USD rate on or before that date"
    )
    outcome = line(report.by_outcome, "1 Awareness raised")
    assert outcome.figures.incomplete and outcome.display_label.endswith("†")
    assert outcome.figures.pledged == 0
    assert not line(report.by_outcome, "3 Shelters open").figures.incomplete
    view = next(v for v in report.pledges if v.id == 1)
    assert view.converted is None


def test_earmarking_counts_at_each_level_and_every_cut_sums_to_the_headline():
    report = funding_report(
        data=data(
            [
                pledge(1, NORWAY, "1000", earmark_outcome_id=OUTCOME_1),
                pledge(2, NORWAY, "2000", earmark_pillar_id=PROTECTION),
                pledge(3, SWEDEN, "4000", earmark_agency_id=IOM),
                pledge(4, EU, "8000"),
            ],
            [payment(10, 1, "500", by=UNODC), payment(11, 4, "3000", by=UNHCR)],
        ),
        rates=RATES,
        viewer=STAFF,
    )
    by_pillar = {x.label: x.figures for x in report.by_pillar}
    assert by_pillar["Prevention"].pledged == D("1000")  # outcome 1 rolls up
    assert by_pillar["Protection"].pledged == D("2000")  # pillar level
    assert by_pillar["Earmarked to an agency"].pledged == D("4000")
    assert by_pillar["Not earmarked (whole programme)"].pledged == D("8000")
    by_outcome = {x.label: x.figures for x in report.by_outcome}
    assert by_outcome["1 Awareness raised"].pledged == D("1000")
    assert by_outcome["1 Awareness raised"].paid == D("500")
    assert by_outcome["3 Shelters open"].pledged == 0  # pillar money is not the outcome's
    assert by_outcome["Earmarked to a pillar"].pledged == D("2000")
    by_agency = {x.label: x for x in report.by_agency}
    assert by_agency["IOM"].figures.pledged == D("4000")
    assert by_agency["Earmarked to an outcome or a pillar"].figures.pledged == D("3000")
    assert by_agency["UNHCR"].received == D("3000")  # received counts every payment
    assert by_agency["UNODC"].received == D("500")
    assert {x.label: x.figures.pledged for x in report.by_level} == {
        "Earmarked to an outcome": D("1000"),
        "Earmarked to a pillar": D("2000"),
        "Earmarked to an agency": D("4000"),
        "Not earmarked (whole programme)": D("8000"),
    }
    for cut in (report.by_level, report.by_pillar, report.by_outcome, report.by_agency,
                report.by_donor):  # fmt: skip
        for attribute in ("pledged", "committed", "paid"):
            total = sum(getattr(x.figures, attribute) for x in cut)
            assert total == getattr(report.headline, attribute), (cut, attribute)
    assert sum(x.received for x in report.by_agency if x.received is not None) == D("3500")
    assert [v.earmark_label for v in sorted(report.pledges, key=lambda v: v.id)] == [
        "Outcome 1 Awareness raised",
        "Pillar: Protection",
        "Agency: IOM",
        "Whole programme",
    ]


def test_partial_payments_and_status_drive_committed_and_paid():
    report = funding_report(
        data=data(
            [
                pledge(1, NORWAY, "10000", status="pledged"),
                pledge(2, SWEDEN, "20000", status="committed"),
                pledge(3, EU, "30000", status="paid"),
            ],
            [
                payment(10, 2, "5000", on=date(2009, 4, 1)),
                payment(11, 2, "2500", on=date(2009, 10, 1)),
                payment(12, 3, "30000", on=date(2009, 5, 1)),
            ],
        ),
        rates=RATES,
        viewer=STAFF,
    )
    h = report.headline
    assert (h.pledged, h.committed, h.paid) == (D("60000"), D("50000"), D("37500"))
    sweden = line(report.by_donor, "Sweden").figures
    assert (sweden.committed, sweden.paid) == (D("20000"), D("7500"))
    assert (sweden.paid_part, sweden.committed_unpaid, sweden.pledged_uncommitted) == (
        D("7500"),
        D("12500"),
        D("0"),
    )
    view = next(v for v in report.pledges if v.id == 2)
    assert view.paid == D("7500") and len(view.payments) == 2
    assert [(q.label, q.pledged, q.paid, q.cumulative_paid) for q in report.by_quarter] == [
        ("2009 Q1", D("60000"), D("0"), D("0")),
        ("2009 Q2", D("0"), D("35000"), D("35000")),
        ("2009 Q3", D("0"), D("0"), D("35000")),
        ("2009 Q4", D("0"), D("2500"), D("37500")),
    ]


def test_over_funding_shows_no_negative_gap():
    report = funding_report(data=data([pledge(1, NORWAY, "600000")]), rates=RATES, viewer=STAFF)
    assert report.headline.gap == 0
    assert report.headline.over_funded_by == D("100000")
    assert report.headline.percent_funded == D("120.0")


def test_donor_sees_own_pledges_in_detail_and_others_by_totals_with_anonymous_pooled():
    rows = [
        pledge(1, NORWAY, "1000"),
        pledge(2, SWEDEN, "2000", is_anonymous=True),
        pledge(3, EU, "4000", is_anonymous=True),
        pledge(4, EU, "8000"),
        pledge(5, NORWAY, "16000", is_anonymous=True),
    ]
    payments = [payment(10, 2, "2000"), payment(11, 1, "1000")]
    report = funding_report(
        data=data(rows, payments), rates=RATES, viewer=Viewer(sees_all=False, donor_id=NORWAY)
    )
    assert {v.id for v in report.pledges} == {1, 5}
    assert {p.id for p in report.payments} == {11}
    donors = {x.label: x.figures.pledged for x in report.by_donor}
    assert donors == {"Norway": D("17000"), "European Union": D("8000"), ANONYMOUS_DONOR: D("6000")}
    assert "Sweden" not in str(report.by_donor)
    assert report.pipeline is None
    assert report.headline.pledged == D("31000")

    staff = funding_report(data=data(rows, payments), rates=RATES, viewer=STAFF)
    donors = {x.label: x for x in staff.by_donor}
    assert set(donors) == {"Norway", "Sweden", "European Union"}
    assert donors["Sweden"].detail == "anonymous to other donors"
    assert len(staff.pledges) == 5 and len(staff.payments) == 2


def test_donor_sees_other_donors_missing_rates_without_their_details():
    rows = [pledge(1, NORWAY, "1000", "CHF"), pledge(2, SWEDEN, "2000", "CHF")]
    report = funding_report(
        data=data(rows), rates=RATES, viewer=Viewer(sees_all=False, donor_id=NORWAY)
    )
    own, other = report.missing
    assert (own.ref, own.who, own.amount) == (1, "Norway", D("1000"))
    assert (other.ref, other.who, other.amount) == (None, "another donor", None)
    assert "Sweden" not in str(other) and "2,000" not in str(other)


def test_pipeline_totals_by_stage_for_staff_only():
    prospects = [
        ProspectRow(1, "Japan", D("100000"), USD, "approached", "Call", IOM, date(2009, 4, 1)),
        ProspectRow(2, "Swiss", D("10000"), "EUR", "interested", "", UNODC, date(2009, 7, 1)),
        ProspectRow(3, "Canada", D("5000"), USD, "declined", "", UNHCR, date(2009, 5, 1)),
        ProspectRow(4, "Korea", D("5000"), "KRW", "interested", "", UNHCR, date(2009, 5, 1)),
    ]
    report = funding_report(data=data(prospects=prospects), rates=RATES, viewer=STAFF)
    stages = {s.stage: (s.count, s.amount) for s in report.pipeline.by_stage}
    assert stages["approached"] == (1, D("100000"))
    assert stages["interested"] == (2, D("14000"))  # the KRW one is left out and reported
    assert report.pipeline.open_amount == D("114000")
    assert [m.kind for m in report.missing] == ["prospect"]
    assert report.pipeline.prospects[0].owner_agency == "UNODC"
    donor = Viewer(sees_all=False, donor_id=NORWAY)
    assert (
        funding_report(data=data(prospects=prospects), rates=RATES, viewer=donor).pipeline is None
    )


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(D("1"), D("3"), D("33.3")), (D("1"), D("8"), D("12.5")), (D("1"), D("0"), None),
     (D("0.5"), D("1000"), D("0.1"))],
)  # fmt: skip
def test_percent_rounds_half_up_to_one_decimal(part, whole, expected):
    assert percent(part, whole) == expected


def test_dashboard_summary_matches_the_report():
    rows = [pledge(1, NORWAY, "100000", "EUR"), pledge(2, SWEDEN, "1000", "CHF")]
    summary = summarise_funding(budget=D("500000"), pledges=rows, rates=RATES)
    report = funding_report(data=data(rows), rates=RATES, viewer=STAFF)
    assert summary.pledged == report.headline.pledged == D("130000")
    assert summary.gap == report.headline.gap
    assert len(summary.missing_rates) == 1
