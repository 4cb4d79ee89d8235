"""A session or respondent file whose only sign of buying is a yes / no column (the UCI online shoppers' "Revenue"
TRUE / FALSE): each yes row is also a 'purchase' event, the column stays an attribute, the Data page says so with the
count, and the mapping can undo it. Expected figures worked by hand in the comments."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cjm import engine, report
from cjm.data.cells import yes_no
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, build_dataset, load_dataset, parse_files
from cjm.data.purchases import names_a_purchase_flag
from cjm.errors import MappingError
from cjm.journey.kpis import compute_kpis
from cjm.journey.reach import compute_stage_reach
from cjm.spec import DashboardSpec
from tests.apptest import open_app
from tests.helpers import parsed_rows, parsed_text, real_file

BOUGHT = (2, 5, 6)  # the 0-based rows that bought: file lines 4, 7 and 8


def sessions(flag: str = "Revenue", yes: str = "TRUE", no: str = "FALSE") -> str:
    """Ten anonymous sessions (no id, no date: read as one session per row), rows 2, 5 and 6 bought."""
    return f"Pages,Duration,{flag}\n" + "".join(
        f"{i + 1},{10 * i},{yes if i in BOUGHT else no}\n" for i in range(10))


def events_of(parsed) -> pd.DataFrame:
    return parsed_rows(parsed)[["customer_id", "timestamp", "event"]]


def test_a_sessions_revenue_column_of_true_and_false_makes_each_true_row_also_a_purchase():
    parsed = parsed_text(sessions(), "sessions.csv")
    report_ = parsed.files[0]
    assert report_.mapping.purchase_flag == "Revenue" and report_.mapping.event_constant == "session"
    rows = events_of(parsed)
    # 10 sessions + 3 purchases = 13 events; rows in = rows used = 10 (the purchases are no rows of the file)
    assert len(rows) == 13
    assert (parsed.accounting.rows_in, parsed.accounting.rows_used, parsed.accounting.rows_rejected) == (10, 10, 0)
    # each purchase right after its session, of the same respondent (file lines 4, 7 and 8: "row 4" ...)
    bought = rows[rows["event"] == "purchase"]
    assert bought["customer_id"].tolist() == ["row 4", "row 7", "row 8"]
    assert [rows["event"].iloc[i - 1] for i in bought.index] == ["session"] * 3
    assert [rows["customer_id"].iloc[i - 1] for i in bought.index] == ["row 4", "row 7", "row 8"]
    assert bought["timestamp"].isna().all()  # the same time as its row: none
    assert ("'Revenue' says whether each row bought (TRUE/FALSE, not money): its 3 TRUE rows are also a purchase"
            in " ".join(report_.notes))
    # the flag stays an attribute of the events (named attr_Revenue beside the canonical revenue column)
    assert parsed_rows(parsed)["attr_Revenue"].tolist().count("TRUE") == 3 + 3


def test_the_purchases_make_the_conversion_rate_and_the_stage_reach():
    ds = build_dataset(parsed_text(sessions(), "sessions.csv"))
    kpis = compute_kpis(ds).set_index("name")
    # 3 of 10 respondents have a purchase (conversion stage by the touchpoint dictionary): 3 / 10
    assert kpis.loc["conversion_rate", "available"] and kpis.loc["conversion_rate", "value"] == pytest.approx(0.3)
    reach = compute_stage_reach(ds).set_index("stage")["customers"]
    assert reach["consideration"] == 10 and reach["conversion"] == 3  # every session; the 3 that bought


def test_the_revenue_column_of_money_stays_revenue():
    # A numeric Revenue is money: revenue 0 + 12.5 + 30 = 42.5, every row a purchase (no flag to read)
    text = "Pages,Revenue\n" + "".join(f"{i},{v}\n" for i, v in enumerate(["0", "12.5", "30"] + ["0"] * 7))
    parsed = parsed_text(text, "orders.csv")
    mapping = parsed.files[0].mapping
    assert mapping.columns.get("revenue") == "Revenue" and mapping.purchase_flag is None
    rows = parsed_rows(parsed)
    assert rows["revenue"].sum() == pytest.approx(42.5) and "purchase" in set(rows["event"]) and len(rows) == 10


@pytest.mark.parametrize("flag, yes, no", [
    ("Made Purchase", "yes", "no"), ("Converted", "Y", "n"), ("Purchased", "1", "0"), ("ORDERED", "True", "False"),
    ("Bought (Y/N)", "YES", "NO"), ("Transaction", "true", "false"), ("is_converted", "1.0", "0.0"),
])
def test_a_yes_no_column_named_for_a_purchase_or_a_conversion_is_read_in_any_spelling(flag, yes, no):
    parsed = parsed_text(sessions(flag, yes, no), "sessions.csv")
    assert parsed.files[0].mapping.purchase_flag == flag
    assert (events_of(parsed)["event"] == "purchase").sum() == 3  # rows 2, 5 and 6


@pytest.mark.parametrize("flag, yes, no", [
    ("Weekend", "TRUE", "FALSE"),   # a yes / no column whose name says nothing of buying
    ("Purchase", "yes", "maybe"),   # named for a purchase, but not every value is a yes or a no
    ("Purchased", "FALSE", "FALSE"),  # no row says yes: nothing to read
])
def test_other_columns_are_no_purchase_flag(flag, yes, no):
    parsed = parsed_text(sessions(flag, yes, no), "sessions.csv")
    assert parsed.files[0].mapping.purchase_flag is None
    assert set(events_of(parsed)["event"]) == {"session"}


def test_names_that_say_a_purchase_or_a_conversion():
    for name in ("Revenue", "Purchase", "Purchased", "Converted", "Conversion", "Bought", "Ordered", "Transaction",
                 "Made Purchase", "has_purchased", "Order Placed", "purchase_flag"):
        assert names_a_purchase_flag(name), name
    for name in ("Weekend", "Revenue Share", "Purchase Date", "Order ID", "VisitorType", "Repeat Purchase Amount"):
        assert not names_a_purchase_flag(name), name


def test_the_yes_no_reader_is_the_one_the_deals_flags_use():
    values = pd.Series(["TRUE", "false", None, " Yes ", "n", "1", "0.0", "x"])
    assert yes_no(values).tolist() == [True, False, pd.NA, True, False, True, False, True]
    assert yes_no(pd.Series(["yes", "later"])) is None


def test_choosing_no_flag_in_the_mapping_undoes_it():
    parsed = parsed_text(sessions(), "sessions.csv")
    mapping = ColumnMapping.from_dict({**parsed.files[0].mapping.to_dict(), "purchase_flag": None})
    undone = parse_files([SourceFile("sessions.csv", sessions().encode())], mappings={"sessions.csv": mapping})
    assert set(events_of(undone)["event"]) == {"session"} and len(events_of(undone)) == 10
    assert not any("says whether each row bought" in n for n in undone.files[0].notes)
    kpis = compute_kpis(build_dataset(undone)).set_index("name")
    assert not kpis.loc["conversion_rate", "available"]  # no purchase, no conversion: not shown


def test_a_chosen_flag_column_that_is_not_yes_no_says_so():
    mapping = ColumnMapping(shape="anonymous", event_constant="session", purchase_flag="Duration")
    with pytest.raises(MappingError, match=r"'Duration' was chosen as the column saying whether each row bought.*"
                                           r"not yes or no \(such as '10'\)"):
        parse_files([SourceFile("sessions.csv", sessions().encode())], mappings={"sessions.csv": mapping})


def test_the_flag_is_saved_in_the_mapping_and_the_dashboard_spec():
    mapping = ColumnMapping(shape="anonymous", event_constant="session", purchase_flag="Revenue")
    saved = mapping.to_dict()
    assert saved["purchase_flag"] == "Revenue"
    assert ColumnMapping.from_dict(json.loads(json.dumps(saved))) == mapping
    assert ColumnMapping.from_dict({"columns": {}, "event_constant": "session"}).purchase_flag is None  # older files
    spec = DashboardSpec(mappings={"sessions.csv": mapping})
    assert DashboardSpec.from_dict(json.loads(json.dumps(spec.to_dict()))).mappings["sessions.csv"] == mapping
    with pytest.raises(MappingError, match="purchase_flag"):
        ColumnMapping.from_dict({"columns": {}, "purchase_flag": 1})
    assert mapping.describe()["event"] == "= session, and also purchase where Revenue is yes"


def test_a_visit_log_with_ids_and_dates_gets_the_purchase_at_the_visits_time():
    text = ("visitor_id,Visit Date,Pages,Purchased\n"
            "a,2024-01-01 10:00,3,no\na,2024-01-02 11:00,5,yes\nb,2024-01-03 09:00,1,no\n")
    parsed = parsed_text(text, "visits.csv")
    assert parsed.files[0].mapping.event_constant == "visit" and parsed.files[0].mapping.purchase_flag == "Purchased"
    rows = events_of(parsed)
    # a's second visit (2 Jan 11:00) bought: its purchase follows it, same customer, same time
    assert rows.values.tolist()[1:3] == [["a", pd.Timestamp("2024-01-02 11:00", tz="UTC"), "visit"],
                                         ["a", pd.Timestamp("2024-01-02 11:00", tz="UTC"), "purchase"]]
    assert len(rows) == 4 and parsed.accounting.rows_used == 3


def test_an_undated_purchase_is_one_purchase_in_the_customer_features():
    from cjm.customers.features import compute_customer_features

    features = compute_customer_features(build_dataset(parsed_text(sessions(), "sessions.csv")))
    by_id = features.set_index("customer_id")
    # rows 2, 5 and 6 (file lines 4, 7, 8) bought once; the others never. Before, an undated purchase counted 0 and
    # purchases were dropped as "no purchase events identified".
    assert by_id["purchases"].to_dict() == {f"row {i + 2}": int(i in BOUGHT) for i in range(10)}
    assert by_id["converted"].sum() == 3


# --- the real export (skipped when /work/shared/data is absent) ---------------------------------------------------

def test_the_online_shoppers_sessions_that_bought_convert_and_are_counted_by_segment():
    from cjm.customers.features import compute_customer_features
    from cjm.customers.segments import SegmentParams, build_segmentation
    from cjm.report import sections

    path = real_file("online_shoppers_intention.csv")
    raw = pd.read_csv(path, sep=";", dtype=str)
    bought = raw["Revenue"] == "TRUE"
    assert int(bought.sum()) == 1908  # PROVENANCE.md: 15.5% TRUE
    ds = load_dataset([path])
    notes = " ".join(ds.files[0].notes)
    assert "'Revenue' says whether each row bought (TRUE/FALSE, not money): its 1,908 TRUE rows are also a purchase" \
        in notes
    assert (ds.accounting.rows_in, ds.accounting.rows_used, ds.accounting.rows_rejected) == (12330, 12330, 0)
    events = ds.events
    assert engine.execute(events.aggregate(n=events.count()))["n"].iloc[0] == 12330 + 1908
    kpis = compute_kpis(ds).set_index("name")
    assert kpis.loc["conversion_rate", "value"] == pytest.approx(1908 / 12330)  # 15.47%
    reach = compute_stage_reach(ds).set_index("stage")["customers"]
    assert (reach["consideration"], reach["conversion"]) == (12330, 1908)

    # Segments on what the sessions did on the site (not on whether they bought): each segment's conversion is the
    # share of its sessions whose Revenue is TRUE, as pandas counts it.
    features = compute_customer_features(ds)
    result = build_segmentation(features, params=SegmentParams(
        features=("BounceRates", "ExitRates", "PageValues", "ProductRelated_Duration"), k=3), max_points=0)
    line = features["customer_id"].str.removeprefix("row ").astype(int)  # "row 2" is the file's first session
    expected = bought.to_numpy()[line.to_numpy() - 2]
    by_pandas = pd.Series(expected).groupby(result.labels).mean()
    profiles = result.profiles.set_index("segment")["conversion"]
    assert profiles.sort_index().to_numpy() == pytest.approx(by_pandas.sort_index().to_numpy())
    assert len(set(profiles.round(3))) == 3  # three different shares, none of them the 0.0 every segment had
    # the report's default segments agree with the same rule
    out = sections.segments_section(ds)["segments"]["segments"]
    shares = sum(s["conversion"] * s["size"] for s in out) / sum(s["size"] for s in out)
    assert shares == pytest.approx(1908 / 12330)


def test_the_report_on_online_shoppers_gives_the_conversion_rate_and_says_the_funnel_needs_dates():
    out = report.build_report(load_dataset([real_file("online_shoppers_intention.csv")]))
    assert out["kpis"]["conversion_rate"] == pytest.approx(1908 / 12330)
    assert out["stages"]["consideration"] == 12330 and out["stages"]["conversion"] == 1908
    assert out["skipped"]["funnel"].startswith("The funnel needs dates")
    assert out["mapping"]["event"] == "= session, and also purchase where Revenue is yes"


# --- the app ------------------------------------------------------------------------------------------------------

def test_the_data_page_says_what_was_done_and_the_overview_shows_the_conversion_rate():
    files = {"sessions.csv": sessions().encode()}
    at = open_app("app_pages/data.py", files=files)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("its 3 TRUE rows are also a purchase" in c.value for c in at.caption)
    assert at.selectbox(key="cjm.map.sessions.csv.bought").value == "Revenue"
    assert {m.label: m.value for m in at.metric}["Events"] == "13"  # 10 sessions + 3 purchases
    at.switch_page("app_pages/overview.py").run()
    assert {m.label: m.value for m in at.metric}["Conversion rate"] == "30.0%"  # 3 of 10


def test_choosing_none_under_rows_that_bought_on_the_data_page_undoes_it():
    at = open_app("app_pages/data.py", files={"sessions.csv": sessions().encode()})
    at.selectbox(key="cjm.map.sessions.csv.bought").set_value("— none —").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state["cjm.spec"].mappings["sessions.csv"].purchase_flag is None
    assert not any("rows are also a purchase" in c.value for c in at.caption)
    assert {m.label: m.value for m in at.metric}["Events"] == "10"
