"""A yes / no column saying each row bought (ColumnMapping.purchase_flag: a sessions table's "Revenue" TRUE / FALSE)
works on data read in place as on an upload: each used yes row is also a 'purchase' event of the same customer at the
same time, right after its row; the rows' accounting is the table's (rows in = rows used + rejected, the purchases
being no rows of it) and the event counts hold the purchases. On DuckDB (files read in place, a table) and on a real
PostgreSQL server. A flag the table cannot use is an error naming the fix, never ignored. Expected figures worked out
by hand in the comments."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import load_dataset
from cjm.data.source import dataset_from_files, dataset_from_table
from cjm.errors import MappingError
from cjm.journey.kpis import compute_kpis

# Seven sessions: c1 bought on 1 Mar, c3 on 3 Mar; c3's undated session and the session without a customer id say
# TRUE too, but are rejected (missing timestamp, missing customer id), so they make no purchase; c4's flag is empty.
SESSIONS = ("customer_id,visited_at,Revenue,Pages\n"
            "c1,2024-03-01 10:00,TRUE,3\n"
            "c1,2024-03-02 11:00,FALSE,1\n"
            "c2,2024-03-01 09:00,FALSE,2\n"
            "c3,2024-03-03 12:00,TRUE,5\n"
            "c3,,TRUE,4\n"
            ",2024-03-04 08:00,TRUE,1\n"
            "c4,2024-03-05 13:00,,2\n")
MAPPING = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "visited_at"}, event_constant="session",
                        purchase_flag="Revenue")
# By hand: rows in 7 = used 5 (c1, c1, c2, c3, c4) + rejected 2; events 5 sessions + 2 purchases (c1 10:00, c3 12:00)
EXPECTED_EVENTS = [("c2", "2024-03-01 09:00", "session"), ("c1", "2024-03-01 10:00", "session"),
                   ("c1", "2024-03-01 10:00", "purchase"), ("c1", "2024-03-02 11:00", "session"),
                   ("c3", "2024-03-03 12:00", "session"), ("c3", "2024-03-03 12:00", "purchase"),
                   ("c4", "2024-03-05 13:00", "session")]


def _events(dataset) -> list[tuple[str, str, str]]:
    """(customer, time, event) in the order of ties (time, then row_id)."""
    frame = engine.execute(dataset.events).sort_values(["timestamp", "row_id"])
    return [(c, t.strftime("%Y-%m-%d %H:%M"), e) for c, t, e in zip(frame["customer_id"], frame["timestamp"],
                                                                       frame["event"])]


def _check(dataset, *, yes: str, no: str) -> None:
    assert _events(dataset) == EXPECTED_EVENTS  # each purchase right after its session
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used, dataset.accounting.rows_rejected) == (7, 5, 2)
    assert dataset.accounting.reasons == {"missing customer id": 1, "missing timestamp": 1}
    counts = dataset.event_counts.set_index("event")
    assert counts.loc["session", "events"] == 5 and counts.loc["session", "customers"] == 4  # c1 c2 c3 c4
    assert counts.loc["purchase", "events"] == 2 and counts.loc["purchase", "customers"] == 2  # c1 c3
    assert counts.loc["purchase", "stage"] == "conversion"
    note = next(n for n in dataset.files[0].notes if "says whether each row bought" in n)
    # the used yes rows: c1's and c3's dated sessions, 2 (the rejected yes rows make none)
    assert note.startswith(f"'Revenue' says whether each row bought ({yes}/{no}, not money): its 2 {yes} rows are "
                           "also a purchase (a 'purchase' event beside the row's 'session', at the same time)")
    kpis = compute_kpis(dataset).set_index("name")
    assert kpis.loc["conversion_rate", "value"] == pytest.approx(2 / 4)  # c1 and c3 of 4 customers
    # the flag stays an attribute, named beside the canonical revenue as an upload names it
    assert "attr_Revenue" in dataset.events.columns and engine.execute(dataset.events)["revenue"].isna().all()


def test_the_upload_of_the_sessions_gives_the_hand_worked_figures(tmp_path):
    path = tmp_path / "sessions.csv"
    path.write_text(SESSIONS)
    _check(load_dataset([path], mappings={"sessions.csv": MAPPING}), yes="TRUE", no="FALSE")


def test_csv_files_read_in_place_by_duckdb_make_the_same_purchases(tmp_path):
    path = tmp_path / "sessions.csv"
    path.write_text(SESSIONS)
    # DuckDB reads TRUE / FALSE as a boolean column, which it writes true / false
    _check(dataset_from_files(path, mapping=MAPPING), yes="true", no="false")


def test_a_duckdb_table_of_yes_and_no_text_makes_the_same_purchases():
    frame = pd.read_csv(pd.io.common.StringIO(SESSIONS), dtype=str, keep_default_na=False)
    # text in several spellings: "yes" twice, " YES " and "Yes" once each (yes rows), "no" and "No" (no rows)
    frame["Revenue"] = ["yes", "no", "No", " YES ", "Yes", "yes", ""]
    backend = engine.local()
    backend.register(frame.replace({"": None}), name="sessions")
    dataset = dataset_from_table(backend, "sessions", mapping=MAPPING)
    # the commonest spellings over all rows: "yes" (2 of 4 yes cells), "No" and "no" once each: "No" first by name
    _check(dataset, yes="yes", no="No")


@pytest.mark.postgres
@pytest.mark.parametrize("kind", ["boolean", "text"])
def test_postgresql_makes_the_same_purchases(postgres_url, kind):
    import sqlalchemy

    frame = pd.read_csv(pd.io.common.StringIO(SESSIONS), dtype=str, keep_default_na=False).replace({"": None})
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql(f'CREATE TABLE sessions (customer_id text, visited_at timestamp, "Revenue" {kind}, '
                            '"Pages" text)')
        for row in frame.itertuples(index=False):
            con.exec_driver_sql("INSERT INTO sessions VALUES (%s, %s, %s, %s)", tuple(row))
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        # PostgreSQL writes a boolean as true / false, and keeps the text as written
        _check(dataset_from_table(backend, "sessions", mapping=MAPPING),
               yes="true" if kind == "boolean" else "TRUE", no="false" if kind == "boolean" else "FALSE")
    finally:
        backend.close()


def test_a_flag_column_that_is_not_yes_no_is_an_error_naming_the_fix(tmp_path):
    path = tmp_path / "sessions.csv"
    path.write_text(SESSIONS)
    with pytest.raises(MappingError, match=r"'Pages' was chosen as the column saying whether each row bought, but it "
                                           r"holds values that are not yes or no \(such as '[2-5]'\)\. Name a column of "
                                           r"TRUE/FALSE, yes/no or 1/0 as 'purchase_flag' in the mapping, or set it to "
                                           r"null\."):
        dataset_from_files(path, mapping=ColumnMapping.from_dict({**MAPPING.to_dict(), "purchase_flag": "Pages"}))


def test_a_flag_beside_an_event_column_is_an_error_not_ignored(tmp_path):
    path = tmp_path / "sessions.csv"
    path.write_text(SESSIONS.replace("Pages", "event"))
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "visited_at", "event": "event"},
                            purchase_flag="Revenue")
    with pytest.raises(MappingError, match=r"this mapping reads each row's event from 'event'\. Set 'purchase_flag' "
                                           r"to null, or map no event column"):
        dataset_from_files(path, mapping=mapping)


def test_a_flag_naming_a_column_the_table_lacks_says_so(tmp_path):
    path = tmp_path / "sessions.csv"
    path.write_text(SESSIONS)
    with pytest.raises(MappingError, match=r"'purchase_flag' names column 'Bought', which the table sessions.csv does "
                                           r"not have"):
        dataset_from_files(path, mapping=ColumnMapping.from_dict({**MAPPING.to_dict(), "purchase_flag": "Bought"}))


def test_the_purchases_of_a_table_read_in_place_are_one_query_any_sql_engine_runs(tmp_path):
    import ibis

    path = tmp_path / "sessions.csv"
    path.write_text(SESSIONS)
    events = dataset_from_files(path, mapping=MAPPING).events
    for dialect in ("postgres", "snowflake", "bigquery"):  # (Ibis compiles for Spark only with a session)
        sql = ibis.to_sql(events, dialect=dialect)
        assert "UNION ALL" in sql.upper() and "'purchase'" in sql, dialect


def test_missing_value_markers_in_a_flag_read_in_place_are_missing_as_on_upload():

    from cjm.data.source import yes_no
    import ibis

    con = ibis.duckdb.connect()
    table = con.create_table("flags", obj=__import__("pandas").DataFrame({"f": ["TRUE", "NA", "false", " - ", "?", "ja"]}))
    yes, written = yes_no(table.f)
    got = con.execute(table.select(yes=yes, written=written))
    # TRUE yes, NA missing, false no, '-' and '?' missing, ja yes
    assert got["yes"].tolist()[0] is True and got["yes"].tolist()[2] is False and got["yes"].tolist()[5] is True
    assert got["yes"].isna().tolist() == [False, True, False, True, True, False]
    assert got["written"].isna().tolist() == [False, True, False, True, True, False]
