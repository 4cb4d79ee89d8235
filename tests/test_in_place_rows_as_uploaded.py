"""A table read in place reads its rows as an upload reads them: the same rows used, the same rows rejected with the
same reasons, on DuckDB (a CSV read in place, a table), on a real PostgreSQL server and, for text cells, on Spark.

- Cells of one letter: Spark's SQL read the whitespace Ibis trims with as ' \\t\\n\\r' and the letters 'v' and 'f'
  (cjm.engine.dialects), so an event 'v' (view / cart / purchase) was a missing event and a customer 'fav' was 'a'.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import build_dataset
from cjm.data.source import dataset_from_files, dataset_from_table
from tests.helpers import parsed_text
from tests.postgres import postgres_server, postgres_url  # noqa: F401  (fixtures)
from tests.test_in_place_statuses_and_refunds import _postgres_table

MAPPING = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event"})


def _rows(dataset) -> list[tuple[str, str, str]]:
    """(customer, UTC time, event) of the rows used, sorted."""
    frame = engine.execute(dataset.events.select("customer_id", "timestamp", "event"))
    return sorted((str(c), t.tz_convert("UTC").strftime("%Y-%m-%d %H:%M:%S"), str(e))
                  for c, t, e in zip(frame["customer_id"], frame["timestamp"], frame["event"]))


def _uploaded(text: str, name: str = "export.csv"):
    return build_dataset(parsed_text(text, name))


def _duckdb_table(text: str, name: str):
    backend = engine.local()
    backend.register(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False), name=name)
    return backend


# --- 3. cells of one letter ------------------------------------------------------------------------------------------

# A shop's events written v / c / p (view, cart, purchase) and f (favourite), by customers 'fav', 'dev' and ' v '
# (spaces around it, trimmed as on upload). Line 8's event is NA and line 9's empty: missing events.
LETTERS = ("customer_id,timestamp,event\n"
           "fav,2024-03-01 10:00:00,v\n"
           "fav,2024-03-01 10:05:00,c\n"
           "fav,2024-03-01 10:10:00,p\n"
           "dev,2024-03-02 09:00:00,v\n"
           "dev,2024-03-02 09:01:00,f\n"
           " v ,2024-03-03 09:00:00,view\n"
           "ann,2024-03-04 09:00:00,NA\n"
           "ann,2024-03-04 09:05:00,\n")
# By hand: 8 rows in = 6 used (fav's 3, dev's 2, v's 1) + 2 rejected 'missing event' (lines 8 and 9).
LETTER_ROWS = [("dev", "2024-03-02 09:00:00", "v"), ("dev", "2024-03-02 09:01:00", "f"),
               ("fav", "2024-03-01 10:00:00", "v"), ("fav", "2024-03-01 10:05:00", "c"),
               ("fav", "2024-03-01 10:10:00", "p"), ("v", "2024-03-03 09:00:00", "view")]
LETTER_REASONS = {"missing event": 2}


def _check_letters(dataset) -> None:
    assert _rows(dataset) == LETTER_ROWS
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (8, 6)
    assert dataset.accounting.reasons == LETTER_REASONS


def test_events_and_ids_of_one_letter_are_read_on_upload_and_in_place_by_duckdb(tmp_path):
    _check_letters(_uploaded(LETTERS))
    path = tmp_path / "letters.csv"
    path.write_text(LETTERS)
    _check_letters(dataset_from_files(path, mapping=MAPPING))
    backend = _duckdb_table(LETTERS, "letters")
    _check_letters(dataset_from_table(backend, "letters", mapping=MAPPING))


@pytest.mark.postgres
def test_events_and_ids_of_one_letter_are_read_in_place_on_postgresql_as_uploaded(postgres_url):
    _postgres_table(postgres_url, "letters", LETTERS)
    backend = engine.connect(postgres_url)
    try:
        _check_letters(dataset_from_table(backend, "letters", mapping=MAPPING))
    finally:
        backend.close()


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="pyspark is in requirements-dev.txt (make test installs it)")
    backend = engine.connect("spark://local[2]")
    yield backend
    backend.close()


@pytest.mark.spark
def test_events_and_ids_of_one_letter_are_read_in_place_on_spark_as_uploaded(spark):
    # before: Spark's TRIM cut 'v' and 'f' off both ends: 'v' and 'f' missing events, 'fav' read as 'a', ' v ' as ''
    frame = pd.read_csv(io.StringIO(LETTERS), dtype=str, keep_default_na=False)
    spark.con._session.createDataFrame(frame).createOrReplaceTempView("letters")
    _check_letters(dataset_from_table(spark, "letters", mapping=MAPPING))
