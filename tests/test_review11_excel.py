"""Review 11: the UCI "Online Retail" workbook (.xlsx, invoice lines) and a JSON export whose property mixes
numbers and text. Every expected value is worked out by hand from the literal rows in the test (made-up values
shaped like the real exports)."""

from __future__ import annotations

import datetime as dt
import json

from cjm.data.dataset import SourceFile, build_dataset, parse_files
from tests import fixtures_io as fx
from tests.helpers import parsed_rows as rows, report_kpis as kpis

HEADER = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"]
# Excel stores the invoice numbers as numbers and the cancellations' ("C" + number) as text, the ids as numbers.
LINES = [
    [536365, "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 6, dt.datetime(2010, 12, 1, 8, 26), 2.55, 17850.0,
     "United Kingdom"],
    [536365, 71053, "WHITE METAL LANTERN WITH CANDLE", 2, dt.datetime(2010, 12, 1, 8, 26), 3.39, 17850.0,
     "United Kingdom"],
    ["C536379", "D", "DISCOUNT ON LAST ORDER PLACED", -1, dt.datetime(2010, 12, 1, 9, 41), 27.5, 17850.0,
     "United Kingdom"],
    [536400, 22633, "HAND WARMER UNION JACK DESIGN", 3, dt.datetime(2010, 12, 2, 10, 0), 1.0, 13047.0,
     "United Kingdom"],
    [536401, 22632, "HAND WARMER RED POLKA DOT SET", 4, dt.datetime(2010, 12, 2, 11, 0), 1.25, None,
     "United Kingdom"],
]


def workbook():
    return parse_files([SourceFile("Online Retail.xlsx", fx.xlsx({"Online Retail": [HEADER] + LINES}))])


def test_an_excel_invoice_sheet_whose_invoice_numbers_mix_numbers_and_cancellation_text_loads():
    # Was: ArrowInvalid "Could not convert 'C536379' with type str: tried to convert to int64" (the extra
    # column InvoiceNo kept Excel's mix of numbers and text). 5 lines: 1 without a customer id, 4 used.
    parsed = workbook()
    dataset = build_dataset(parsed)
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (5, 4)
    assert rows(parsed)["InvoiceNo"].tolist() == ["536365", "536365", "C536379", "536400"]


def test_an_excel_invoice_sheets_revenue_is_quantity_times_unit_price_net_of_the_cancellation():
    # 6 x 2.55 + 2 x 3.39 - 1 x 27.50 + 3 x 1.00 = 15.30 + 6.78 - 27.50 + 3.00 = -2.42; customers 17850, 13047.
    figures = kpis(workbook())
    assert round(figures["revenue"], 2) == -2.42
    assert figures["customers"] == 2


def test_a_json_export_whose_property_holds_numbers_and_text_loads_with_it_as_text():
    # Was the same ArrowInvalid: "ref" holds 5 in one record and "x5" in the other. 2 events, both used.
    records = [{"user": "a", "time": "2024-01-01T10:00:00Z", "event": "page_view", "ref": 5},
               {"user": "b", "time": "2024-01-02T10:00:00Z", "event": "page_view", "ref": "x5"}]
    parsed = parse_files([SourceFile("events.json", json.dumps(records).encode())])
    assert build_dataset(parsed).accounting.rows_used == 2
    assert rows(parsed)["ref"].tolist() == ["5", "x5"]


def test_the_cancellations_note_counts_only_the_cancellation_lines_that_are_used():
    # Two cancellation lines: C536379 (customer 17850, used) and C536380 without a customer id (set aside as
    # "missing customer id"). The note said "2 rows of cancellations" while 1 is an event of the data.
    lines = LINES + [["C536380", 22632, "HAND WARMER RED POLKA DOT SET", -2, dt.datetime(2010, 12, 3, 9, 0), 1.25,
                      None, "United Kingdom"]]
    parsed = parse_files([SourceFile("Online Retail.xlsx", fx.xlsx({"Online Retail": [HEADER] + lines}))])
    notes = " ".join(parsed.files[0].notes)
    # ... and names the events the data holds: only 'cancellation' (no line was named 'return')
    assert "1 row of cancellations or returns are events of their own ('cancellation') with negative" in notes
    assert (rows(parsed)["event"] == "cancellation").sum() == 1
