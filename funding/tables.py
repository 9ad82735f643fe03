"""The funding report as the tables people read and take away: pure, no queries.

The page renders these tables and the CSV/XLSX exports write the very same ones, so
what people take away is what they saw. Chart data comes from the same report.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jointprogramme.transliteration import localized

from .reports import INCOMPLETE_MARK, FundingReport, Line, installation_totals, percent

TEXT, MONEY, PERCENT, DATE, COUNT = "text", "money", "percent", "date", "count"
NUMERIC = frozenset({MONEY, PERCENT, COUNT})


class Cell(NamedTuple):
    """One value of a table and how to show it (a tuple: tables hold tens of thousands)."""

    value: object
    kind: str = TEXT
    pledge_id: int | None = None  # the page links the cell to this pledge

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC


class Row(NamedTuple):
    cells: tuple[Cell, ...]
    is_total: bool = False


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    caption: str = ""
    kinds: tuple[str, ...] = ()

    @property
    def columns(self) -> list[tuple[str, bool]]:
        """(header, is numeric) pairs, to align headers over their figures."""
        kinds = self.kinds or (TEXT,) * len(self.headers)
        return [(h, k in NUMERIC) for h, k in zip(self.headers, kinds, strict=True)]


def _row(kinds: list[str], values: list, *, is_total=False, links: dict | None = None) -> Row:
    links = links or {}
    return Row(
        cells=tuple(
            Cell(value, kind, links.get(i))
            for i, (kind, value) in enumerate(zip(kinds, values, strict=True))
        ),
        is_total=is_total,
    )


def _table(slug, title, columns, rows, *, caption="", total=None) -> Table:
    """``columns``: (header, kind) pairs; ``rows``: lists of values, or (values, links)."""
    kinds = [kind for _, kind in columns]
    built = []
    for row in rows:
        values, links = row if isinstance(row, tuple) else (row, None)
        built.append(_row(kinds, values, links=links))
    if total is not None:
        built.append(_row(kinds, total, is_total=True))
    return Table(slug, title, tuple(h for h, _ in columns), tuple(built), caption, tuple(kinds))


def table_page(table: Table, number, *, per_page: int) -> tuple[Table, Page]:
    """One page of a long table's rows, with its total row (if any) on every page;
    ``number`` as it comes from the query string (out of range: the nearest page)."""
    rows = [row for row in table.rows if not row.is_total]
    totals = tuple(row for row in table.rows if row.is_total)
    page = Paginator(rows, per_page).get_page(number)
    return replace(table, rows=tuple(page.object_list) + totals), page


def report_tables(report: FundingReport) -> list[Table]:
    """Every table of the funding page, in page order."""
    c = report.currency
    h = report.headline
    tables = [
        _table(
            "headline",
            _("Headline"),
            [
                (_("Figure"), TEXT),
                (_("Amount (%(currency)s)") % {"currency": c}, MONEY),
                (_("% of budget"), PERCENT),
            ],
            [
                [_("Budget"), h.budget, percent(h.budget, h.budget)],
                [_("Pledged"), h.pledged, h.percent_pledged],
                [_("Committed (% funded)"), h.committed, h.percent_funded],
                [_("Paid"), h.paid, h.percent_paid],
                [_("Funding gap (budget − committed)"), h.gap, percent(h.gap, h.budget)],
                *(
                    [[_("Over-funded by"), h.over_funded_by, percent(h.over_funded_by, h.budget)]]
                    if h.over_funded_by
                    else []
                ),
            ],
        ),
        _table(
            "earmarking",
            _("By earmarking"),
            [
                (_("Earmarked to"), TEXT),
                (_("Where it counts"), TEXT),
                (_("Pledged (%(currency)s)") % {"currency": c}, MONEY),
                (_("Committed (%(currency)s)") % {"currency": c}, MONEY),
                (_("Paid (%(currency)s)") % {"currency": c}, MONEY),
            ],
            [
                [x.display_label, x.detail, x.figures.pledged, x.figures.committed, x.figures.paid]
                for x in report.by_level
            ],
            total=[_("Total"), "", h.pledged, h.committed, h.paid],
        ),
        _cut_table(report, "pillars", _("By pillar"), _("Pillar"), report.by_pillar),
        _cut_table(
            report, "outcomes", _("By outcome"), _("Outcome"), report.by_outcome, detail=_("Pillar")
        ),
        _agency_table(report),
        _table(
            "donors",
            _("By donor"),
            [
                (_("Donor"), TEXT),
                (_("Pledged (%(currency)s)") % {"currency": c}, MONEY),
                (_("Committed (%(currency)s)") % {"currency": c}, MONEY),
                (_("Paid (%(currency)s)") % {"currency": c}, MONEY),
                (_("Pledged in other currencies"), TEXT),
                (_("Note"), TEXT),
            ],
            [
                [
                    x.display_label,
                    x.figures.pledged,
                    x.figures.committed,
                    x.figures.paid,
                    x.originals_text,
                    x.detail,
                ]
                for x in report.by_donor
            ],
            total=[_("Total"), h.pledged, h.committed, h.paid, "", ""],
        ),
        _table(
            "quarters",
            _("Pledges and payments per quarter"),
            [
                (_("Quarter"), TEXT),
                (_("Pledged (%(currency)s)") % {"currency": c}, MONEY),
                (_("Paid (%(currency)s)") % {"currency": c}, MONEY),
                (_("Pledged to date (%(currency)s)") % {"currency": c}, MONEY),
                (_("Paid to date (%(currency)s)") % {"currency": c}, MONEY),
            ],
            [
                [q.label, q.pledged, q.paid, q.cumulative_pledged, q.cumulative_paid]
                for q in report.by_quarter
            ],
        ),
    ]
    own = not report.viewer.sees_all
    tables.append(
        _table(
            "pledges",
            _("Your pledges") if own else _("All pledges"),
            [
                (_("Pledge"), COUNT),
                (_("Donor"), TEXT),
                (_("Pledged on"), DATE),
                (_("Amount"), MONEY),
                (_("Currency"), TEXT),
                (_("In %(currency)s") % {"currency": c}, MONEY),
                (_("Status"), TEXT),
                (_("Earmarked to"), TEXT),
                (_("Paid (%(currency)s)") % {"currency": c}, MONEY),
                (_("Reference"), TEXT),
            ],
            [
                (
                    [
                        p.id,
                        p.donor_label
                        + (f" ({_('anonymous to other donors')})" if p.is_anonymous else ""),
                        p.pledged_on,
                        p.amount,
                        p.currency,
                        p.converted,
                        p.status_label,
                        p.earmark_label,
                        p.paid,
                        p.reference,
                    ],
                    {0: p.id},
                )
                for p in report.pledges
            ],
        )
    )
    tables.append(
        _table(
            "payments",
            _("Your payments") if own else _("Payments received"),
            [
                (_("Payment"), COUNT),
                (_("Pledge"), COUNT),
                (_("Donor"), TEXT),
                (_("Received on"), DATE),
                (_("Amount"), MONEY),
                (_("Currency"), TEXT),
                (_("In %(currency)s") % {"currency": c}, MONEY),
                (_("Received by"), TEXT),
                (_("Reference"), TEXT),
            ],
            [
                (
                    [
                        p.id,
                        p.pledge_id,
                        p.donor_label,
                        p.received_on,
                        p.amount,
                        p.currency,
                        p.converted,
                        p.received_by,
                        p.reference,
                    ],
                    {1: p.pledge_id},
                )
                for p in report.payments
            ],
        )
    )
    if report.pipeline is not None:
        pipeline = report.pipeline
        tables.append(
            _table(
                "pipeline_stages",
                _("Fundraising pipeline by stage"),
                [
                    (_("Stage"), TEXT),
                    (_("Prospects"), COUNT),
                    (_("Amount hoped (%(currency)s)") % {"currency": c}, MONEY),
                ],
                [[s.label, s.count, s.amount] for s in pipeline.by_stage],
            )
        )
        tables.append(
            _table(
                "pipeline",
                _("Fundraising pipeline"),
                [
                    (_("Donor"), TEXT),
                    (_("Stage"), TEXT),
                    (_("Amount hoped"), MONEY),
                    (_("Currency"), TEXT),
                    (_("In %(currency)s") % {"currency": c}, MONEY),
                    (_("Next step"), TEXT),
                    (_("Owner agency"), TEXT),
                    (_("Date"), DATE),
                ],
                [
                    [
                        p.donor_name,
                        p.stage_label,
                        p.amount,
                        p.currency,
                        p.converted,
                        p.next_step,
                        p.owner_agency,
                        p.date,
                    ]
                    for p in pipeline.prospects
                ],
            )
        )
    if report.missing:
        tables.append(
            _table(
                "missing_rates",
                _("Amounts left out for want of an exchange rate"),
                [
                    (_("What"), TEXT),
                    (_("Amount"), MONEY),
                    (_("Currency"), TEXT),
                    (_("Dated"), DATE),
                    (_("Rate needed"), TEXT),
                ],
                [
                    [m.what, m.amount, m.currency, m.on, f"{m.currency}→{m.target}"]
                    for m in report.missing
                ],
            )
        )
    return tables


def _cut_table(report: FundingReport, slug, title, name, lines: list[Line], detail=None):
    c, h = report.currency, report.headline
    columns = [(name, TEXT)]
    if detail:
        columns.append((detail, TEXT))
    columns += [
        (_("Budget (%(currency)s)") % {"currency": c}, MONEY),
        (_("Pledged (%(currency)s)") % {"currency": c}, MONEY),
        (_("Committed (%(currency)s)") % {"currency": c}, MONEY),
        (_("Paid (%(currency)s)") % {"currency": c}, MONEY),
        (_("Gap after earmarked money (%(currency)s)") % {"currency": c}, MONEY),
        (_("% funded by earmarked money"), PERCENT),
    ]
    rows = []
    for x in lines:
        f = x.figures
        rows.append(
            [
                x.display_label,
                *([x.detail] if detail else []),
                f.budget,
                f.pledged,
                f.committed,
                f.paid,
                f.gap,
                f.percent_funded,
            ]
        )
    total = [
        _("Total"),
        *([""] if detail else []),
        h.budget,
        h.pledged,
        h.committed,
        h.paid,
        h.gap,
        h.percent_funded,
    ]
    return _table(slug, title, columns, rows, total=total)


def _agency_table(report: FundingReport) -> Table:
    c, h = report.currency, report.headline
    columns = [
        (_("Agency"), TEXT),
        (_("Budget (%(currency)s)") % {"currency": c}, MONEY),
        (_("Pledged, earmarked (%(currency)s)") % {"currency": c}, MONEY),
        (_("Committed, earmarked (%(currency)s)") % {"currency": c}, MONEY),
        (_("Paid, earmarked (%(currency)s)") % {"currency": c}, MONEY),
        (_("Gap after earmarked money (%(currency)s)") % {"currency": c}, MONEY),
        (_("Received by the agency, all pledges (%(currency)s)") % {"currency": c}, MONEY),
    ]
    rows = [
        [
            x.display_label,
            x.figures.budget,
            x.figures.pledged,
            x.figures.committed,
            x.figures.paid,
            x.figures.gap,
            x.received,
        ]
        for x in report.by_agency
    ]
    total = [_("Total"), h.budget, h.pledged, h.committed, h.paid, h.gap, h.paid]
    return _table("agencies", _("By agency"), columns, rows, total=total)


def _numbers(values) -> list[str]:
    return [str(v) for v in values]


def chart_data(report: FundingReport) -> dict:
    """What static/js/funding-charts.js draws: the same figures as the tables.

    Amounts go as strings so no float rounding happens before the browser draws them.
    """

    def stacked(lines: list[Line]) -> dict:
        return {
            "labels": [x.display_label for x in lines],
            "budget": [None if x.figures.budget is None else str(x.figures.budget) for x in lines],
            "paid": _numbers(x.figures.paid_part for x in lines),
            "committed_unpaid": _numbers(x.figures.committed_unpaid for x in lines),
            "pledged_uncommitted": _numbers(x.figures.pledged_uncommitted for x in lines),
        }

    return {
        "currency": report.currency,
        "text": {
            "paid": _("Paid"),
            "committed_unpaid": _("Committed, not yet paid"),
            "pledged_uncommitted": _("Pledged, not yet committed"),
            "budget": _("Budget"),
            "pledged_quarter": _("Pledged in the quarter"),
            "paid_quarter": _("Paid in the quarter"),
            "pledged_to_date": _("Pledged to date"),
            "paid_to_date": _("Paid to date"),
        },
        "pillars": stacked(report.by_pillar),
        "donors": stacked(report.by_donor),
        "quarters": {
            "labels": [q.label for q in report.by_quarter],
            "pledged": _numbers(q.pledged for q in report.by_quarter),
            "paid": _numbers(q.paid for q in report.by_quarter),
            "cumulative_pledged": _numbers(q.cumulative_pledged for q in report.by_quarter),
            "cumulative_paid": _numbers(q.cumulative_paid for q in report.by_quarter),
        },
    }


def installation_tables(rows: list[tuple[object, FundingReport]]) -> list[Table]:
    """The programmes side by side, with a total per reporting currency."""
    columns = [
        (_("Programme"), TEXT),
        (_("Country"), TEXT),
        (_("Currency"), TEXT),
        (_("Budget"), MONEY),
        (_("Pledged"), MONEY),
        (_("Committed"), MONEY),
        (_("Paid"), MONEY),
        (_("Funding gap"), MONEY),
        (_("% funded"), PERCENT),
        (_("Amounts without a rate"), COUNT),
    ]
    body = []
    for programme, report in rows:
        h = report.headline
        body.append(
            [
                str(programme) + (INCOMPLETE_MARK if h.incomplete else ""),
                localized(programme, "country")[0],
                report.currency,
                h.budget,
                h.pledged,
                h.committed,
                h.paid,
                h.gap,
                h.percent_funded,
                len(report.missing),
            ]
        )
    table = _table("programmes", _("Funding of every programme"), columns, body)
    totals = installation_totals([report for _, report in rows])
    kinds = [kind for _, kind in columns]
    total_rows = tuple(
        _row(
            kinds,
            [
                ngettext(
                    "Total of %(count)s programme", "Total of %(count)s programmes", t.programmes
                )
                % {"count": t.programmes}
                + (INCOMPLETE_MARK if t.figures.incomplete else ""),
                "",
                t.currency,
                t.figures.budget,
                t.figures.pledged,
                t.figures.committed,
                t.figures.paid,
                t.figures.gap,
                t.figures.percent_funded,
                None,
            ],
            is_total=True,
        )
        for t in totals
    )
    caption = _(
        "Each programme in its own currency; programmes are summed per currency, since "
        "budgets carry no date to convert them at."
    )
    return [
        Table(table.slug, table.title, table.headers, table.rows + total_rows, caption, table.kinds)
    ]
