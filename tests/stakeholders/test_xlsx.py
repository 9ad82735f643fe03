"""The direct XLSX writer: what openpyxl reads back is what openpyxl would have written."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from stakeholders import xlsx


def cells(data: bytes) -> dict:
    book = load_workbook(io.BytesIO(data))
    return {
        sheet.title: {
            "freeze": sheet.freeze_panes,
            "widths": {k: v.width for k, v in sheet.column_dimensions.items() if v.customWidth},
            "rows": [
                [(c.value, c.number_format, bool(c.font.b)) for c in row]
                for row in sheet.iter_rows()
            ],
        }
        for sheet in book.worksheets
    }


ROWS = [
    ["Name", "Amount", "On", "At", "Done"],
    ["Tom & Jerry <co>", Decimal("43.00"), dt.date(2024, 2, 29), None, True],
    ["  spaced  ", Decimal("0.10"), None, dt.datetime(2024, 1, 2, 13, 45), False],
    ["Ћирилица “quotes” ✓", 7, dt.date(1999, 12, 31), None, None],
    ["", -1.5, None, None, None],
    ["Total", Decimal("1234567.89"), None, None, None],
]


def openpyxl_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tom's & <sheet>"
    for row in ROWS:
        sheet.append(row)
    for cell in (*sheet[1], *sheet[len(ROWS)]):
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "#,##0.00"
    sheet["D3"].number_format = "yyyy-mm-dd hh:mm"
    sheet.column_dimensions["A"].width = 50
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_workbook_reads_back_as_openpyxl_would_have_written_it():
    sheet = xlsx.Sheet(
        title="Tom's & <sheet>",
        rows=ROWS,
        bold_last=1,
        widths={1: 50},
        number_formats={2: "#,##0.00", 4: "yyyy-mm-dd hh:mm"},
    )
    assert cells(xlsx.workbook([sheet])) == cells(openpyxl_bytes())


def test_several_sheets_in_order_each_with_its_own_header():
    data = xlsx.workbook(
        [
            xlsx.Sheet(title="First", rows=[["a"], [1]]),
            xlsx.Sheet(title="Second", rows=[["b"], ["x"]], freeze_header=False),
        ]
    )
    book = cells(data)
    assert list(book) == ["First", "Second"]
    assert book["First"]["rows"] == [[("a", "General", True)], [(1, "General", False)]]
    assert book["First"]["freeze"] == "A2" and book["Second"]["freeze"] is None


def test_text_is_written_as_given_and_special_characters_survive():
    text = "=SUM(A1) <b>&amp; \"quoted\" 'single'"
    data = xlsx.workbook([xlsx.Sheet(title="S", rows=[["h"], [text]])])
    assert cells(data)["S"]["rows"][1][0][0] == text


def test_control_characters_never_make_the_file_unreadable():
    data = xlsx.workbook([xlsx.Sheet(title="S", rows=[["h"], ["line\x0bbreak\x01"]])])
    assert cells(data)["S"]["rows"][1][0][0] == "line\nbreak\ufffd"
