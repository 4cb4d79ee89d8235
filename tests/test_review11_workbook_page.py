"""Review 11: the UCI "Online Retail II" workbook holds one year per sheet ('Year 2009-2010', 'Year 2010-2011');
the Data page reads one sheet and must say which sheets are left out of the figures (made-up invoice lines)."""

from __future__ import annotations

import datetime as dt

from tests import fixtures_io as fx
from tests.apptest import open_app

HEADER = ["Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price", "Customer ID", "Country"]


def test_the_data_page_says_which_sheets_of_a_workbook_are_not_in_the_figures():
    first = [HEADER, [489434, "85048", "GLASS BALL 20 LIGHTS", 12, dt.datetime(2009, 12, 1, 7, 45), 6.95, 13085.0,
                      "United Kingdom"]]
    second = [HEADER, [536365, "85123A", "HEART T-LIGHT HOLDER", 6, dt.datetime(2010, 12, 1, 8, 26), 2.55, 17850.0,
                       "United Kingdom"]]
    workbook = fx.xlsx({"Year 2009-2010": first, "Year 2010-2011": second})
    at = open_app("app_pages/data.py", files={"online_retail_II.xlsx": workbook})
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "'Year 2010-2011' is not in the figures" in captions
    # the figures are the first sheet's: 1 row in, 1 used (was "1 rows in")
    assert "1 row in, 1 used" in captions
