"""The exports carry the page's tables, cell for cell, and never run a formula."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from funding.exports import neutralise, write_csv, write_xlsx
from funding.selectors import funding_report_for
from funding.tables import MONEY, PERCENT, Cell, Row, Table, report_tables
from jointprogramme.access import forget_memberships
from tests import factories as f


def read_csv(content: bytes) -> list[list[list[str]]]:
    """The CSV's blocks: one list of rows per table (title first)."""
    text = content.decode("utf-8-sig")
    blocks, block = [], []
    for row in csv.reader(io.StringIO(text)):
        if not row:
            blocks.append(block)
            block = []
        else:
            block.append(row)
    return blocks


def expected_text(cell: Cell) -> str:
    if cell.value is None:
        return ""
    if cell.kind == MONEY:
        return f"{cell.value:.2f}"
    if cell.kind == PERCENT:
        return f"{cell.value:.1f}"
    if isinstance(cell.value, date):
        return cell.value.isoformat()
    return neutralise(str(cell.value))


def tables_for(funded, name):
    user = funded.world.users[name]
    forget_memberships(user)
    return report_tables(funding_report_for(programme=funded.world.programme, user=user))


@pytest.mark.parametrize("name", ["manager", "donor", "iom"])
def test_csv_export_matches_the_page_tables(funded, name):
    response = funded.world.client_for(name).get(reverse("funding:export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    blocks = read_csv(response.content)
    tables = tables_for(funded, name)
    assert [b[0][0] for b in blocks] == [t.title for t in tables]
    for block, table in zip(blocks, tables, strict=True):
        assert block[1] == list(table.headers)
        assert block[2:] == [[expected_text(c) for c in row.cells] for row in table.rows]


def test_csv_headline_holds_the_figures_computed_by_hand(funded):
    response = funded.world.client_for("manager").get(reverse("funding:export_csv"))
    headline = {row[0]: row[1:] for row in read_csv(response.content)[0][2:]}
    assert headline["Budget"] == ["450000.00", "100.0"]
    assert headline["Pledged"] == ["205000.00", "45.6"]
    assert headline["Committed (% funded)"] == ["180000.00", "40.0"]
    assert headline["Paid"] == ["120000.00", "26.7"]
    assert headline["Funding gap (budget − committed)"] == ["270000.00", "60.0"]


@pytest.mark.parametrize("name", ["manager", "donor"])
def test_xlsx_export_matches_the_page_tables(funded, name):
    response = funded.world.client_for(name).get(reverse("funding:export_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    tables = tables_for(funded, name)
    assert len(workbook.sheetnames) == len(tables)
    for sheet, table in zip(workbook.worksheets, tables, strict=True):
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == list(table.headers)
        assert len(rows) - 1 == len(table.rows)
        for got, row in zip(rows[1:], table.rows, strict=True):
            for value, cell in zip(got, row.cells, strict=True):
                if cell.value is None:
                    assert value is None
                elif isinstance(cell.value, Decimal):
                    assert Decimal(str(value)) == cell.value
                elif isinstance(cell.value, date):
                    assert value == datetime(cell.value.year, cell.value.month, cell.value.day)
                elif isinstance(cell.value, str):
                    assert value == (neutralise(cell.value) or None)  # empty cells read as None
                else:
                    assert value == cell.value


def test_donor_export_holds_no_other_donors_details(funded):
    client = funded.world.client_for("donor")
    for url in ["funding:export_csv", "funding:export_xlsx"]:
        content = client.get(reverse(url)).content
        if url.endswith("xlsx"):
            workbook = load_workbook(io.BytesIO(content))
            content = "\n".join(
                str(v) for s in workbook.worksheets for r in s.iter_rows(values_only=True)
                for v in r
            )  # fmt: skip
        else:
            content = content.decode("utf-8-sig")
        for secret in ["Sweden", "SIDA-SECRET-REF", "SWE-PAY-SECRET", "EU-REF-77", "Japan"]:
            assert secret not in content
        assert "NOR-2009-1" in content and "Anonymous donor" in content


def test_export_of_the_outsider_is_their_own_programme(funded):
    content = funded.world.client_for("outsider").get(reverse("funding:export_csv")).content
    assert b"Norway" not in content and b"450000.00" not in content


def test_anonymous_visitor_cannot_export(funded):
    for url in ["funding:export_csv", "funding:export_xlsx"]:
        assert funded.world.client_for(None).get(reverse(url)).status_code == 302


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_prefixes_formula_starts(text):
    assert neutralise(text) == "'" + text
    assert neutralise("Embassy") == "Embassy"


def test_formulas_in_names_are_neutralised_in_both_exports(funded):
    hostile = f.DonorFactory(name='=HYPERLINK("http://evil.example","click")')
    f.PledgeFactory(
        programme=funded.world.programme,
        donor=hostile,
        amount=Decimal("10"),
        reference="@SUM(1+1)",
    )
    client = funded.world.client_for("manager")
    text = client.get(reverse("funding:export_csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and "'@SUM(1+1)" in text
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "@")) or cell == ""
            assert not (cell.startswith("-") and not cell[1:2].isdigit())
    workbook = load_workbook(io.BytesIO(client.get(reverse("funding:export_xlsx")).content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    values = [c.value for s in workbook.worksheets for r in s.iter_rows() for c in r]
    assert '\'=HYPERLINK("http://evil.example","click")' in values


def test_writers_keep_money_exact_and_mark_totals():
    table = Table(
        "t",
        "A title: with [odd] characters * that Excel refuses in sheet names",
        ("Name", "Amount"),
        (
            Row((Cell("a"), Cell(Decimal("0.10"), MONEY))),
            Row((Cell("Total"), Cell(Decimal("1234567.89"), MONEY)), is_total=True),
        ),
        kinds=("text", MONEY),
    )
    assert read_csv(write_csv([table]))[0][2:] == [["a", "0.10"], ["Total", "1234567.89"]]
    sheet = load_workbook(io.BytesIO(write_xlsx([table, table]))).worksheets
    assert len(sheet) == 2 and len(sheet[0].title) <= 31 and sheet[0].title != sheet[1].title
    assert sheet[0]["B3"].value == Decimal("1234567.89") or sheet[0]["B3"].value == 1234567.89
    assert sheet[0]["B3"].number_format == "#,##0.00"
    assert sheet[0]["A3"].font.bold


def test_installation_exports_parse_back(funded):
    client = funded.world.client_for("manager")
    blocks = read_csv(client.get(reverse("funding:installation_csv")).content)
    programme_row = blocks[0][2]
    assert programme_row[0] == funded.world.programme.title
    assert programme_row[3:7] == ["450000.00", "205000.00", "180000.00", "120000.00"]
    assert blocks[0][3][0] == "Total of 1 programme"
    workbook = load_workbook(io.BytesIO(client.get(reverse("funding:installation_xlsx")).content))
    assert workbook.worksheets[0]["A2"].value == funded.world.programme.title
