"""Dates that fit both orders (03/09/2024) read in place by DuckDB as an upload reads them (cjm.data.timestamps):
the mapping's day_first when it says one, else day-first when dotted and month-first when slashed; a day above 12
anywhere in the file settles it. Expected dates worked by hand beside each assertion."""

from __future__ import annotations

import pandas as pd

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import load_dataset
from cjm.data.source import dataset_from_files

MAPPING = ColumnMapping(columns={"customer_id": "Name", "timestamp": "Date", "event": "Type"})


def _dates(dataset) -> list[str]:
    events = engine.execute(dataset.events.select("customer_id", "timestamp")).sort_values(["customer_id", "timestamp"])
    return [t.strftime("%Y-%m-%d") for t in events["timestamp"]]


def _both(tmp_path, text: str, mapping: ColumnMapping = MAPPING) -> tuple[list[str], list[str]]:
    path = tmp_path / "export.csv"
    path.write_text(text)
    return (_dates(load_dataset([path], mappings={"export.csv": mapping})),
            _dates(dataset_from_files(path, mapping=mapping)))


def test_slashed_dates_that_fit_both_orders_are_month_first_in_place_as_uploaded(tmp_path):
    # 03/09/2024 and 03/10/2024: 9 and 10 March (PayPal US); DuckDB's sniffer alone says 3 September, 3 October
    assert _both(tmp_path, "Name,Date,Type\nAnn,03/09/2024,pay\nBo,03/10/2024,pay\n") == (
        ["2024-03-09", "2024-03-10"], ["2024-03-09", "2024-03-10"])


def test_dotted_dates_that_fit_both_orders_are_day_first(tmp_path):
    # 03.09.2024 and 03.10.2024: 3 September and 3 October (a German export)
    assert _both(tmp_path, "Name,Date,Type\nAnn,03.09.2024,pay\nBo,03.10.2024,pay\n") == (
        ["2024-09-03", "2024-10-03"], ["2024-09-03", "2024-10-03"])


def test_the_mappings_day_first_wins_for_dates_that_fit_both_orders(tmp_path):
    # day-first chosen on the Data page: 03/09/2024 is 3 September, 03/10/2024 3 October
    day_first = ColumnMapping(columns=dict(MAPPING.columns), day_first=True)
    assert _both(tmp_path, "Name,Date,Type\nAnn,03/09/2024,pay\nBo,03/10/2024,pay\n", day_first) == (
        ["2024-09-03", "2024-10-03"], ["2024-09-03", "2024-10-03"])


def test_a_day_above_12_after_the_sniffers_sample_settles_day_first(tmp_path):
    # 30,000 rows of 03/09/2024 (either order), then 25/12/2024 (day-first only): the whole column is day-first,
    # 3 September and 25 December, on both paths (DuckDB's sniffer reads 20,480 rows; the month-first reading
    # fails on the last row, so the sniffer's day-first order stands)
    rows = "".join(f"c{i},03/09/2024,pay\n" for i in range(30_000)) + "z,25/12/2024,pay\n"
    uploaded, in_place = _both(tmp_path, "Name,Date,Type\n" + rows)
    assert set(uploaded) == set(in_place) == {"2024-09-03", "2024-12-25"}


def test_slashed_timestamps_that_fit_both_orders_are_month_first_too(tmp_path):
    # 03/09/2024 14:05:00 is 9 March at 14:05 (as uploaded)
    path = tmp_path / "export.csv"
    path.write_text("Name,Date,Type\nAnn,03/09/2024 14:05:00,pay\nBo,03/10/2024 08:00:00,pay\n")
    events = engine.execute(dataset_from_files(path, mapping=MAPPING).events).sort_values("customer_id")
    assert events["timestamp"].tolist() == [pd.Timestamp("2024-03-09 14:05", tz="UTC"),
                                            pd.Timestamp("2024-03-10 08:00", tz="UTC")]


def test_e_mail_customer_ids_read_in_place_are_compared_in_lower_case_as_uploaded(tmp_path):
    # Ann@X.com and ann@x.com are one mailbox: 2 customers (ann@x.com, bo@y.com) on both paths, and 1 row wrote capitals
    text = "Email,Date,Type\nAnn@X.com,2024-01-02,pay\nann@x.com,2024-01-03,pay\nbo@y.com,2024-01-04,pay\n"
    path = tmp_path / "orders.csv"
    path.write_text(text)
    mapping = ColumnMapping(columns={"customer_id": "Email", "timestamp": "Date", "event": "Type"})
    uploaded = load_dataset([path], mappings={"orders.csv": mapping})
    in_place = dataset_from_files(path, mapping=mapping)
    for dataset in (uploaded, in_place):
        assert sorted(engine.execute(dataset.events)["customer_id"]) == ["ann@x.com", "ann@x.com", "bo@y.com"]
        assert ("E-mail addresses in 'Email' are compared in lower case (Ann@X.com is ann@x.com): 1 row wrote them "
                "with capitals.") in dataset.files[0].notes
