"""`engine.trimmed` is Ibis' `strip()` that trims only values with a blank at an end (cjm.engine.portable): the same
text on DuckDB, PostgreSQL and Spark, whatever sits at the ends or inside."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine

VALUES = ["plain", "  lead", "trail  ", "\tboth\n", "\r\nlines\r\n", "in side", " ", "", "\x0bvertical\x0c", "é  ",
          "  日本", "\u00a0no-break\u00a0", "a", "x\x01", None]
# strip() trims space, tab, line feed, carriage return, vertical tab and form feed: no other character (the no-break
# space stays, as DuckDB's and PostgreSQL's TRIM with that list leave it)
EXPECTED = ["plain", "lead", "trail", "both", "lines", "in side", "", "", "vertical", "é", "日本", "\u00a0no-break\u00a0",
            "a", "x\x01", None]


def _trimmed_on(backend):
    table = backend.register(pd.DataFrame({"k": range(len(VALUES)), "v": pd.Series(VALUES, dtype="object")}))
    got = backend.execute(table.select("k", t=engine.trimmed(table.v), s=table.v.strip()).order_by("k"))
    return [None if pd.isna(v) else v for v in got["t"]], [None if pd.isna(v) else v for v in got["s"]]


def test_trimmed_text_is_the_stripped_text_on_duckdb():
    backend = engine.DuckDBBackend()
    trimmed, stripped = _trimmed_on(backend)
    backend.close()
    assert trimmed == stripped == EXPECTED


def test_trimmed_text_is_the_stripped_text_on_postgresql(postgres_url):
    backend = engine.connect(postgres_url)
    try:
        trimmed, stripped = _trimmed_on(backend)
    finally:
        backend.close()
    assert trimmed == stripped == [v for v in EXPECTED]


@pytest.mark.spark
def test_trimmed_text_is_the_stripped_text_on_spark(spark_backend):
    trimmed, stripped = _trimmed_on(spark_backend)
    assert trimmed == stripped == EXPECTED
