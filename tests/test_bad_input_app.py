"""Hostile uploads in the app (AppTest): every page shows a message or its analysis, never a traceback."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.apptest import open_app

PAGES = ["app_pages/overview.py", "app_pages/data.py", "app_pages/funnel.py", "app_pages/abandonment.py",
         "app_pages/journeys.py", "app_pages/gaps.py", "app_pages/segments.py", "app_pages/personas.py",
         "app_pages/sentiment.py", "app_pages/followup.py", "app_pages/customer.py"]


def events_with(day: str) -> bytes:
    rows = ["customer_id,timestamp,event,channel,score,comment"]
    for i in range(30):
        for step, event in enumerate(["ad_click", "product_view", "add_to_cart", "purchase"][: 2 + i % 3]):
            rows.append(f"c{i},2024-03-{i % 27 + 1:02d} 1{step}:00:00,{event},web,{1 + i % 5},fine")
    rows.append(f"c0,{day},purchase,web,5,odd date")
    return ("\n".join(rows) + "\n").encode()


def map_parquet() -> bytes:
    n = 40
    table = pa.table({
        "customer_id": [f"c{i % 10}" for i in range(n)],
        "timestamp": [f"2024-01-{i % 28 + 1:02d} 10:00:00" for i in range(n)],
        "event": [["ad_click", "product_view", "purchase"][i % 3] for i in range(n)],
        "props": pa.array([[("utm", f"s{i % 3}")] for i in range(n)], type=pa.map_(pa.string(), pa.string())),
    })
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


def no_traceback(at, where: str) -> None:
    assert not at.exception, f"{where}: {[e.value for e in at.exception][:1]}"


@pytest.mark.parametrize("day", ["0001-01-01 00:00:00", "9999-12-31 23:59:59"])
@pytest.mark.parametrize("page", PAGES)
def test_a_single_date_in_year_1_or_9999_gives_every_page_a_message_not_a_traceback(page, day):
    at = open_app(page, files={"events.csv": events_with(day)})
    no_traceback(at, page)


@pytest.mark.parametrize("page", ["app_pages/data.py", "app_pages/overview.py", "app_pages/segments.py",
                                  "app_pages/customer.py"])
def test_a_parquet_file_with_a_map_column_opens_without_a_traceback(page):
    at = open_app(page, files={"events.parquet": map_parquet()})
    no_traceback(at, page)
