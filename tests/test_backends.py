"""The same analyses on the same generated data give identical numbers on every backend (issue 14):
the upload path (in-process DuckDB) is the reference; a DuckDB table, a real PostgreSQL server and
PySpark in local mode read the same events in place through cjm.data.source."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.data.dataset import load_dataset
from cjm.data.source import dataset_from_table
from tests.backends_helpers import MAPPING, demo_frames, differences, events_with_row_id, golden, write_csv


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    path = write_csv(tmp_path_factory.mktemp("golden"))
    dataset = load_dataset([path], mappings={"events.csv": MAPPING})
    return golden(dataset)


def customers_frame() -> pd.DataFrame:
    _, customers = demo_frames()
    return customers


def test_a_duckdb_table_read_in_place_gives_the_numbers_of_the_upload(reference):
    backend = engine.local()
    backend.register(events_with_row_id(), name="events")
    dataset = dataset_from_table(backend, "events", mapping=MAPPING)
    assert dataset.backend is backend
    assert differences(reference, golden(dataset)) == []


@pytest.mark.postgres
def test_postgresql_gives_the_numbers_of_the_upload(reference, postgres_url):
    import sqlalchemy

    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        events_with_row_id().to_sql("events", con, index=False)
    sa.dispose()
    backend = engine.connect(postgres_url)
    assert backend.kind == "postgres"
    dataset = dataset_from_table(backend, "events", mapping=MAPPING)
    got = golden(dataset)
    backend.close()
    assert differences(reference, got) == []


@pytest.mark.spark
def test_spark_in_local_mode_gives_the_numbers_of_the_upload(reference, spark_backend):
    session = spark_backend.con._session
    session.createDataFrame(events_with_row_id()).createOrReplaceTempView("events")
    dataset = dataset_from_table(spark_backend, "events", mapping=MAPPING)
    assert dataset.backend.kind == "pyspark"
    assert differences(reference, golden(dataset)) == []
