"""The alignment exports carry the page's figures exactly, a sheet per view, and never
run a formula."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from outcomes.alignment_exports import SUMMARY_HEADERS
from tests import factories as f
from tests.outcomes.alignment_world import alignment_world_fixture  # noqa: F401

SHEETS = ["Summary", "Coverage by objective", "Outcome by outcome", "Matrix"]


def page_and_report(client, plan):
    response = client.get(reverse("outcomes:alignment"), {"plan": plan.pk})
    assert response.status_code == 200
    return response.content.decode(), response.context["report"]


def xlsx_sheets(client, plan) -> dict[str, list[tuple]]:
    response = client.get(reverse("outcomes:alignment_xlsx"), {"plan": plan.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


def csv_tables(client, plan) -> dict[str, list[list[str]]]:
    response = client.get(reverse("outcomes:alignment_csv"), {"plan": plan.pk})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    tables, current = {}, None
    for row in csv.reader(io.StringIO(text)):
        if not row:
            current = None
        elif current is None:
            current = tables.setdefault(row[0], [])
        else:
            current.append(row)
    return tables


def summary_figures(report) -> list[tuple]:
    rows = [(s.pillar.name, s.figures) for s in report.sections] + [("All pillars", report.overall)]
    return [
        (
            name,
            fig.objectives,
            fig.full,
            fig.full_pct,
            fig.partial,
            fig.partial_pct,
            fig.none,
            fig.none_pct,
            fig.links,
            fig.confirmed,
            fig.confirmed_pct,
            fig.queried,
            fig.proposed,
        )
        for name, fig in rows
    ]


def test_summary_sheet_has_exactly_the_pages_figures(alignment_world):
    client = alignment_world.client_for("coordinator")
    page, report = page_and_report(client, alignment_world.plan)
    sheets = xlsx_sheets(client, alignment_world.plan)
    assert list(sheets) == SHEETS
    summary = sheets["Summary"]
    assert summary[0] == SUMMARY_HEADERS
    assert summary[1:] == summary_figures(report)
    # ...which are the figures printed on the page, pillar by pillar.
    for name, objectives, full, full_pct, *_rest in summary[1:-1]:
        code = name.lower()
        row = re.search(rf'data-testid="summary-{code}">(.*?)</tr>', page, re.S).group(1)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert re.sub(r"<[^>]+>|\s", "", cells[0]) == str(objectives)
        assert re.sub(r"<[^>]+>|\s", "", cells[1]) == f"{full}({full_pct}%)"
    overall = report.overall
    assert f"{overall.confirmed_pct}%" in page
    # The fixture: prosecution 2.1 (proposed link) fully, 2.2 (confirmed) partly;
    # protection 3.1 (queried link) fully.
    assert summary[-1] == ("All pillars", 3, 2, 67, 1, 33, 0, 0, 3, 1, 33, 1, 1)


def test_csv_carries_the_same_tables(alignment_world):
    client = alignment_world.client_for("donor")
    _page, report = page_and_report(client, alignment_world.plan)
    tables = csv_tables(client, alignment_world.plan)
    sheets = xlsx_sheets(client, alignment_world.plan)
    assert list(tables) == SHEETS
    for title in SHEETS:
        as_text = [["" if v is None else str(v) for v in row] for row in sheets[title]]
        assert tables[title] == as_text, title
    assert tables["Summary"][-1][0] == "All pillars"
    assert tables["Summary"][-1][10] == str(report.overall.confirmed_pct)


def test_coverage_walk_and_matrix_sheets(alignment_world):
    client = alignment_world.client_for("coordinator")
    unlinked = f.OutcomeFactory(
        programme=alignment_world.world.programme,
        pillar=alignment_world.outcomes["2.1"].pillar,
        code="2.9",
        title="An outcome with no link",
    )
    _page, report = page_and_report(client, alignment_world.plan)
    sheets = xlsx_sheets(client, alignment_world.plan)
    coverage = {row[1]: row for row in sheets["Coverage by objective"][1:]}
    assert coverage["2"][4] == "Partly covered"  # 2.1 fully, 2.2 partly
    assert coverage["2.2"][4] == "Partly covered"
    assert coverage["2.2"][7] == "3.1 (partial, confirmed)"
    assert [row[1] for row in sheets["Coverage by objective"][1:]] == [
        e.objective.code for s in report.sections for e in s.objectives
    ]
    walk = sheets["Outcome by outcome"]
    assert ("2.9", "An outcome with no link") in [(r[1], r[2]) for r in walk]
    no_link = next(r for r in walk if r[1] == unlinked.code)
    assert no_link[5] == "Linked to no NAP objective"
    queried = next(r for r in walk if r[1] == "3.1" and r[4] == "3.1")
    assert queried[7] == "Queried" and queried[9] == "Does it cover asylum seekers?"
    matrix = sheets["Matrix"]
    header = matrix[0]
    assert header[:4] == ("Pillar", "Code", "NAP objective", "Coverage")
    column = header.index("Outcome 3.1")
    row_22 = next(r for r in matrix if r[1] == "2.2")
    assert row_22[column] == "P✓"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_formulas_are_neutralised(alignment_world, kind):
    outcome = alignment_world.outcomes["2.1"]
    outcome.title = '=HYPERLINK("http://evil.example","click")'
    outcome.save()
    objective = alignment_world.objectives["2.1"]
    objective.title = "+SUM(A1:A9)"
    objective.save()
    link = alignment_world.proposed
    link.rationale = "@cmd"
    link.save()
    client = alignment_world.client_for("coordinator")
    if kind == "csv":
        cells = [
            c for rows in csv_tables(client, alignment_world.plan).values() for r in rows for c in r
        ]
    else:
        sheets = xlsx_sheets(client, alignment_world.plan)
        cells = [c for rows in sheets.values() for r in rows for c in r if isinstance(c, str)]
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'+SUM(A1:A9)" in cells and "'@cmd" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
