"""`python -m cjm report --source URL --table NAME` on a real PostgreSQL server, and files read in place."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cjm.data.columns import ColumnMapping
from tests.backends_helpers import MAPPING, events_with_row_id, write_csv

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args, env=None):
    import os

    return subprocess.run([sys.executable, "-m", "cjm", "report", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=900)


def funnel_of(text: str):
    return json.loads(text)["funnel"]


@pytest.fixture(scope="module")
def upload_funnel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    path = write_csv(folder)
    mapping = folder / "mapping.json"
    mapping.write_text(json.dumps(MAPPING.to_dict()))
    out = run_cli(str(path), "--mapping", str(mapping), "--steps", "product_view,add_to_cart,purchase")
    assert out.returncode == 0, out.stderr
    return funnel_of(out.stdout), mapping


@pytest.mark.postgres
def test_the_command_line_reads_a_postgresql_table_given_by_an_environment_variable_and_never_prints_the_password(
        upload_funnel, postgres_url):
    import sqlalchemy

    expected, mapping = upload_funnel
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        events_with_row_id().to_sql("events", con, index=False)
    sa.dispose()
    # trust authentication accepts any password, so a secret one can be given and must never appear
    url = postgres_url.replace("postgresql+psycopg://cjm@", "postgresql://cjm:Sup3rSecret@")
    out = run_cli("--source", "CJM_TEST_SOURCE", "--table", "events", "--mapping", str(mapping),
                  "--steps", "product_view,add_to_cart,purchase", env={"CJM_TEST_SOURCE": url})
    assert out.returncode == 0, out.stderr
    assert funnel_of(out.stdout) == expected
    assert "Sup3rSecret" not in out.stdout + out.stderr
    assert "cjm:***@127.0.0.1" in out.stderr


def test_the_command_line_reads_parquet_in_place_with_the_numbers_of_the_upload(upload_funnel, tmp_path):
    expected, mapping = upload_funnel
    path = tmp_path / "events.parquet"
    frame = events_with_row_id().drop(columns="row_id")
    frame.to_parquet(path, index=False)
    out = run_cli("--source", str(path), "--mapping", str(mapping), "--steps", "product_view,add_to_cart,purchase")
    assert out.returncode == 0, out.stderr
    assert funnel_of(out.stdout) == expected


def test_a_source_without_a_table_exits_2_with_a_plain_message():
    out = run_cli("--source", "postgresql://x@127.0.0.1:1/db")
    assert out.returncode == 2 and "--table NAME" in out.stderr and "Traceback" not in out.stderr
