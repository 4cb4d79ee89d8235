"""Review 33: the gaps of two periods side by side (cjm.journey.gap_periods) and the Overview's period
(cjm.journey.kpi_period.KpiParams with cjm.journey.kpis.compute_kpis), against references written by hand here from
the written definitions only (DESIGN.md section 4 "Gaps", the module docstrings of cjm/journey/gaps.py,
gap_periods.py, kpi_period.py, kpis.py and periods.py).

The references are plain Python over the rows (loops on purpose: clarity over speed); the data is built as an upload
is (parsed_text + build_dataset) and the stage of every row is read from the dataset's own stage model. With the
5-stage model the events used here map as: ad_impression -> awareness (0), page_view / add_to_cart -> consideration
(1), purchase -> conversion (2), support_ticket -> retention (3), referral -> loyalty (4, the last stage), foo_bar ->
no stage (-1).
"""

from __future__ import annotations

import math
import random

import pandas as pd
import pytest

from cjm import engine
from cjm.data.dataset import build_dataset
from cjm.errors import ParameterError
from cjm.journey.gap_periods import compare_gap_periods
from cjm.journey.gaps import GapParams
from cjm.journey.kpi_period import KpiParams, thin_period_note
from cjm.journey.kpis import compute_kpis
from tests.helpers import parsed_text

FIGURES = ("customers", "customers_compared", "conversion_after", "conversion_without_switch", "customers_lost")
STATUS_ORDER = {"new": 0, "in both": 1, "gone": 2}
DAY = pd.Timedelta(days=1)


# ------------------------------------------------------------------------------------------------------------------
# Building the data as an upload is built

def _csv(rows, columns=("customer_id", "timestamp", "event", "device")) -> str:
    lines = [",".join(columns)]
    for row in rows:
        lines.append(",".join("" if v is None else str(v) for v in row))
    return "\n".join(lines) + "\n"


def _dataset(rows, columns=("customer_id", "timestamp", "event", "device"), name="shop.csv"):
    return build_dataset(parsed_text(_csv(rows, columns), name))


def _rows_of(dataset) -> pd.DataFrame:
    return engine.execute(dataset.events).sort_values("row_id").reset_index(drop=True)


# ------------------------------------------------------------------------------------------------------------------
# Reference: periods (kpis.default_periods' rule as the docstrings write it)

def ref_default_periods(first: pd.Timestamp, last: pd.Timestamp, length):
    """(current, previous): the last `length` of the data ending at the midnight after the last event and the
    `length` before it; the two halves of [first day, that midnight) when the data covers less than two such
    periods. Data within one day: halves of its own span to the minute (previous None within one minute)."""
    if first.floor("D") == last.floor("D"):
        end = last.floor("min") + pd.Timedelta(minutes=1)
        middle = (first + (last - first) / 2).floor("min")
        if first >= middle:
            return (middle, end), None
        return (middle, end), (middle - (end - middle), middle)
    end = last.floor("D") + DAY
    middle = end - length
    start = middle - length
    if start >= first.floor("D"):
        return (middle, end), (start, middle)
    half = (end - first.floor("D")) / 2
    return (end - half, end), (end - 2 * half, end - half)


def ref_gap_default_periods(first: pd.Timestamp, last: pd.Timestamp):
    """gap_periods' docstring: the last 6 months of the data against the 6 months before, or the data's two halves
    when it covers less than a year."""
    if first.floor("D") == last.floor("D"):
        return ref_default_periods(first, last, pd.DateOffset(months=6))
    end = last.floor("D") + DAY
    if end - pd.DateOffset(months=12) >= first.floor("D"):
        middle = end - pd.DateOffset(months=6)
        return (middle, end), (middle - pd.DateOffset(months=6), middle)
    half = (end - first.floor("D")) / 2
    return (end - half, end), (end - 2 * half, end - half)


# ------------------------------------------------------------------------------------------------------------------
# Reference: gaps of one period (gaps.py's module docstring, word by word)

def _journeys(rows: pd.DataFrame, period):
    """Every customer's events inside the half-open period, ordered by (timestamp, row_id)."""
    start, end = period
    inside = rows[rows["timestamp"].notna() & (rows["timestamp"] >= start) & (rows["timestamp"] < end)]
    journeys: dict[str, list[dict]] = {}
    for record in inside.sort_values(["timestamp", "row_id"]).to_dict("records"):
        journeys.setdefault(record["customer_id"], []).append(record)
    return journeys


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def ref_gaps(rows: pd.DataFrame, dimension: str, n_stages: int, period) -> dict[str, dict]:
    """switch -> {from_value, to_value, customers, customers_compared, conversion_after, conversion_without_switch,
    customers_lost} for every switch type made inside the period (no minimum)."""
    journeys = _journeys(rows, period)
    last_stage = n_stages - 1
    switchers: dict[str, set] = {}            # type -> customers who made it (any stage)
    first_compared: dict[tuple, tuple] = {}   # (type, customer) -> (stage S, converted)
    switched_at: dict[int, set] = {}          # stage S -> customers with a switch (any type) made at S
    values: dict[str, tuple] = {}
    for customer, events in journeys.items():
        for i in range(1, len(events)):
            a, b = events[i - 1][dimension], events[i][dimension]
            if not (_present(a) and _present(b)) or a == b:
                continue
            kind = f"{a} → {b}"
            values[kind] = (a, b)
            switchers.setdefault(kind, set()).add(customer)
            stage = int(events[i - 1]["stage_index"])
            switched_at.setdefault(stage, set()).add(customer)
            if 0 <= stage < last_stage and (kind, customer) not in first_compared:
                converted = any(int(e["stage_index"]) > stage for e in events[i:])
                first_compared[(kind, customer)] = (stage, converted)
    # stayers: had an event at S, made no switch at S, reached a later stage after their first event at S
    stayers: dict[int, list[bool]] = {}
    for customer, events in journeys.items():
        seen = set()
        for position, event in enumerate(events):
            stage = int(event["stage_index"])
            if stage in seen or not 0 <= stage < last_stage:
                continue
            seen.add(stage)
            if customer in switched_at.get(stage, set()):
                continue
            stayers.setdefault(stage, []).append(any(int(e["stage_index"]) > stage for e in events[position + 1:]))
    found = {}
    for kind, customers in switchers.items():
        compared, converted, weighted = 0, 0, 0.0
        for (k, _customer), (stage, moved_on) in first_compared.items():
            if k != kind or not stayers.get(stage):
                continue  # a stage where nobody stayed: not compared
            compared += 1
            converted += moved_on
            weighted += sum(stayers[stage]) / len(stayers[stage])
        after = converted / compared if compared else math.nan
        without = weighted / compared if compared else math.nan
        lost = compared * max(0.0, without - after) if compared else 0.0
        found[kind] = {"from_value": values[kind][0], "to_value": values[kind][1], "customers": len(customers),
                       "customers_compared": compared, "conversion_after": after,
                       "conversion_without_switch": without, "customers_lost": lost}
    return found


def ref_compare_gap_periods(rows: pd.DataFrame, dimension: str, n_stages: int, min_customers: int,
                            current=None, previous=None) -> list[dict]:
    if current is None or previous is None:
        dated = rows["timestamp"].dropna()
        default_current, default_previous = ref_gap_default_periods(dated.min(), dated.max())
        current = current or default_current
        previous = previous or default_previous
    before = ref_gaps(rows, dimension, n_stages, previous)
    now = ref_gaps(rows, dimension, n_stages, current)
    listed = []
    for kind in set(before) | set(now):
        either = now.get(kind) or before[kind]
        row = {"switch": kind, "from_value": either["from_value"], "to_value": either["to_value"]}
        for suffix, gaps in (("previous", before), ("current", now)):
            figures = gaps.get(kind)
            for figure in FIGURES:
                if figures is not None:
                    row[f"{figure}_{suffix}"] = figures[figure]
                else:
                    row[f"{figure}_{suffix}"] = 0 if figure in ("customers", "customers_compared") else (
                        0.0 if figure == "customers_lost" else math.nan)
        if max(row["customers_previous"], row["customers_current"]) < min_customers:
            continue
        row["status"] = ("new" if row["customers_previous"] == 0 else
                         "gone" if row["customers_current"] == 0 else "in both")
        row["previous_start"], row["previous_end"] = previous
        row["current_start"], row["current_end"] = current
        listed.append(row)
    listed.sort(key=lambda r: (STATUS_ORDER[r["status"]], -round(r["customers_lost_current"], 9),
                               -round(r["customers_lost_previous"], 9), -r["customers_current"], r["switch"]))
    return listed


def assert_same_gaps(found: pd.DataFrame, expected: list[dict]):
    """Every column of every row, and the order of the rows by status, customers lost (current, previous) and
    customers. Rows whose customers lost are equal but for the last bit of a float (2 x (5/6 - 1/2) against 1 x 2/3)
    may come in either order here: test_switches_that_lose_as_many_customers_are_ordered_by_name pins that down."""
    key = lambda r: (r["status"], round(r["customers_lost_current"], 9), round(r["customers_lost_previous"], 9),
                     r["customers_current"])
    assert [key(r) for r in found.to_dict("records")] == [key(r) for r in expected]
    assert sorted(found["switch"]) == sorted(r["switch"] for r in expected)
    by_switch = {r["switch"]: r for r in found.to_dict("records")}
    for want in expected:
        got = by_switch[want["switch"]]
        for column, value in want.items():
            if isinstance(value, float):
                if math.isnan(value):
                    assert pd.isna(got[column]), (want["switch"], column, got[column])
                else:
                    assert got[column] == pytest.approx(value), (want["switch"], column)
            else:
                assert got[column] == value, (want["switch"], column)


def check_gaps(rows, *, dimension="device", min_customers=1, current=None, previous=None,
               columns=("customer_id", "timestamp", "event", "device")) -> pd.DataFrame:
    dataset = _dataset(rows, columns)
    found = compare_gap_periods(dataset, params=GapParams(dimension=dimension, min_customers=min_customers),
                                current=current, previous=previous)
    period = lambda p: None if p is None else (pd.Timestamp(p[0], tz="UTC"), pd.Timestamp(p[1], tz="UTC"))
    expected = ref_compare_gap_periods(_rows_of(dataset), dimension, len(dataset.stages), min_customers,
                                       current=period(current), previous=period(previous))
    assert_same_gaps(found, expected)
    return found


# ------------------------------------------------------------------------------------------------------------------
# Seeded random small exports (a few hundred events): ties in time, empty devices, unmapped and last-stage events,
# rows out of time order in the file

EVENTS = ("ad_impression", "page_view", "page_view", "add_to_cart", "purchase", "support_ticket", "referral",
          "foo_bar")
DEVICES = ("mobile", "desktop", "tablet", None)
RARE_DEVICES = ("tv", "watch", "console")


def random_rows(seed: int, *, days: int | None = None, events: int = 300):
    """About `events` rows of 10..40 customers over `days` days; from seed to seed some devices are rare (a handful
    of rows), so that switches appear in one period only."""
    rng = random.Random(seed)
    devices = DEVICES + tuple(rng.sample(RARE_DEVICES, rng.randrange(0, 3)))
    days = days or rng.choice([20, 45, 100, 200, 300, 400, 500, 800])
    start = pd.Timestamp("2023-01-01") + pd.Timedelta(days=rng.randrange(0, 400))
    customers = [f"c{i}" for i in range(rng.randrange(10, 40))]
    rows = []
    while len(rows) < events:
        customer = rng.choice(customers)
        moment = start + pd.Timedelta(days=rng.randrange(0, days))
        for _ in range(rng.randrange(1, 8)):  # a burst: a visit of a few events, some in the same minute
            moment += pd.Timedelta(minutes=rng.choice([0, 0, 1, 5, 60, 60 * 30]))
            device = rng.choice(devices) if rng.random() < 0.97 else rng.choice(RARE_DEVICES)
            rows.append((customer, f"{moment:%Y-%m-%d %H:%M}", rng.choice(EVENTS), device))
    rng.shuffle(rows)
    return rows


# ------------------------------------------------------------------------------------------------------------------
# Reference: the Overview's KPIs over its period (kpi_period.py and kpis.py's docstrings)

PERIOD_LENGTHS = {"30d": pd.Timedelta(days=30), "90d": pd.Timedelta(days=90), "12m": pd.DateOffset(months=12),
                  "all": None}


def ref_kpi_periods(rows: pd.DataFrame, choice: str):
    """(current, previous) for the Overview's choice: None, None for all data."""
    length = PERIOD_LENGTHS[choice]
    if length is None:
        return None, None
    dated = rows["timestamp"].dropna()
    return ref_default_periods(dated.min(), dated.max(), length)


def ref_kpi_values(rows: pd.DataFrame, stages: tuple, period) -> dict[str, float]:
    """customers, conversion_rate (customers with a conversion-stage event / customers) and revenue inside the
    period (the whole data for None)."""
    if period is not None:
        start, end = period
        rows = rows[rows["timestamp"].notna() & (rows["timestamp"] >= start) & (rows["timestamp"] < end)]
    customers, converted, revenue = set(), set(), 0.0
    conversion = stages.index("conversion")
    for record in rows.to_dict("records"):
        customers.add(record["customer_id"])
        if record["stage_index"] == conversion:
            converted.add(record["customer_id"])
        if _present(record.get("revenue")):
            revenue += float(record["revenue"])
    return {"customers": len(customers),
            "conversion_rate": len(converted) / len(customers) if customers else math.nan,
            "revenue": revenue}


def ref_thin(customers_in_period: int, all_customers: int, choice: str) -> bool:
    """A note when the period (not all data) holds fewer than 2% of the data's customers: n / all < 2 / 100, in
    whole numbers n x 50 < all."""
    return choice != "all" and all_customers > 0 and customers_in_period * 50 < all_customers


def check_kpis(rows, choice: str, columns=("customer_id", "timestamp", "event", "device", "revenue")):
    dataset = _dataset(rows, columns)
    found = compute_kpis(dataset, params=KpiParams(choice)).set_index("name")
    events = _rows_of(dataset)
    current, previous = ref_kpi_periods(events, choice)
    now = ref_kpi_values(events, tuple(dataset.stages), current)
    before = ref_kpi_values(events, tuple(dataset.stages), previous) if previous is not None else None
    for name, value in now.items():
        assert found.loc[name, "value"] == pytest.approx(value, nan_ok=True), (choice, name)
        if before is None:
            assert pd.isna(found.loc[name, "previous"]), (choice, name)
        elif name == "revenue" and before["customers"] == 0:
            continue  # a previous period without any event: cjm gives NaN, not 0 (test_the_revenue_of_a_period_...)
        else:
            assert found.loc[name, "previous"] == pytest.approx(before[name], nan_ok=True), (choice, name)
    all_customers = events["customer_id"].nunique()
    note = thin_period_note(found.reset_index(), all_customers=all_customers, params=KpiParams(choice))
    assert (note is not None) == ref_thin(now["customers"], all_customers, choice), (choice, note)
    return found, (current, previous)


def random_kpi_rows(seed: int):
    rng = random.Random(seed)
    rows = []
    for customer, timestamp, event, device in random_rows(seed, events=rng.randrange(40, 250)):
        revenue = rng.choice([10, 25.5, 99.99]) if event == "purchase" else None
        rows.append((customer, timestamp, event, device, revenue))
    return rows


# ------------------------------------------------------------------------------------------------------------------
# Gaps over time: hand-made cases (each also compared with the reference, every column)

FEBRUARY, MARCH = ("2024-02-01", "2024-03-01"), ("2024-03-01", "2024-04-01")

BOUNDARY_ROWS = [
    # previous period, February
    ("a", "2024-02-10 10:00", "page_view", "mobile"),
    ("a", "2024-02-10 10:05", "page_view", "desktop"),
    ("a", "2024-03-02 10:00", "purchase", "desktop"),     # moved on, but in March: not inside February
    ("b", "2024-02-11 10:00", "page_view", "desktop"),    # same minute: the row order says desktop first
    ("b", "2024-02-11 10:00", "page_view", "mobile"),
    ("b", "2024-02-11 10:10", "purchase", "mobile"),
    ("c", "2024-02-12 10:00", "page_view", "mobile"),
    ("c", "2024-02-12 10:01", "add_to_cart", None),       # no device between mobile and desktop: no switch
    ("c", "2024-02-12 10:02", "purchase", "desktop"),
    ("d", "2024-02-29 23:59", "page_view", "mobile"),     # spans the boundary: in neither period
    ("d", "2024-03-01 00:00", "purchase", "desktop"),
    ("e", "2024-02-13 10:00", "foo_bar", "mobile"),       # mobile -> desktop at no stage, then twice more
    ("e", "2024-02-13 10:01", "page_view", "desktop"),
    ("e", "2024-02-13 10:02", "page_view", "mobile"),
    ("e", "2024-02-13 10:03", "page_view", "desktop"),
    ("e", "2024-02-13 10:04", "purchase", "desktop"),
    ("f", "2024-02-14 10:00", "page_view", "desktop"),
    ("f", "2024-02-14 10:05", "add_to_cart", "desktop"),
    # current period, March
    ("g", "2024-03-05 10:00", "page_view", "tablet"),
    ("g", "2024-03-05 10:05", "page_view", "mobile"),
    ("h", "2024-03-06 10:00", "referral", "mobile"),      # a switch at the last stage only
    ("h", "2024-03-06 10:01", "referral", "desktop"),
    ("i", "2024-03-07 10:00", "page_view", "mobile"),
    ("i", "2024-03-07 10:01", "purchase", "desktop"),
    ("k", "2024-03-08 10:00", "page_view", "desktop"),
    ("k", "2024-03-08 10:05", "purchase", "desktop"),
    ("m", "2024-03-09 10:00", "page_view", "desktop"),
]
# February (previous):
#   mobile -> desktop: a (at consideration; its purchase is in March: did not move on inside February) and e (its
#     first switch is at foo_bar, no stage; its first one at a stage with a next stage is 10:02 -> 10:03 at
#     consideration, then bought): 2 customers, 2 compared, after 1/2.
#   desktop -> mobile: b (row order, bought) and e (10:01 -> 10:02, bought): 2 customers, 2 compared, after 2/2.
#   Stayers at consideration (an event there, no device switch there): c (bought; its empty device breaks the pair),
#   d (29 Feb view, its purchase is in March: no), f (no) -> 1/3.
#   lost: mobile -> desktop 2 x max(0, 1/3 - 1/2) = 0; desktop -> mobile 2 x max(0, 1/3 - 1) = 0.
# March (current):
#   tablet -> mobile: g at consideration, did not move on: 1 customer, after 0.
#   mobile -> desktop: h (at loyalty, the last stage: counted, not compared) and i (bought): 2 customers, 1 compared,
#     after 1/1. d's 1 Mar purchase is alone in March: no switch.
#   Stayers at consideration: k (bought), m (no) -> 1/2. lost: tablet -> mobile 1 x 1/2 = 0.5; mobile -> desktop 0.
# Status: tablet -> mobile new, mobile -> desktop in both, desktop -> mobile gone.


def test_a_switch_across_the_period_boundary_and_a_purchase_after_it_count_in_neither_period():
    found = check_gaps(BOUNDARY_ROWS, previous=FEBRUARY, current=MARCH).set_index("switch")
    assert found["status"].to_dict() == {"tablet → mobile": "new", "mobile → desktop": "in both",
                                         "desktop → mobile": "gone"}
    row = found.loc["mobile → desktop"]
    assert (row["customers_previous"], row["customers_compared_previous"]) == (2, 2)
    assert row["conversion_after_previous"] == pytest.approx(0.5)
    assert row["conversion_without_switch_previous"] == pytest.approx(1 / 3)
    assert (row["customers_current"], row["customers_compared_current"]) == (2, 1)
    assert (row["conversion_after_current"], row["conversion_without_switch_current"]) == (1.0, 0.5)
    assert (row["customers_lost_previous"], row["customers_lost_current"]) == (0.0, 0.0)


def test_ties_in_time_follow_the_row_order_and_an_empty_device_breaks_the_pair():
    found = check_gaps(BOUNDARY_ROWS, previous=FEBRUARY, current=MARCH).set_index("switch")
    row = found.loc["desktop → mobile"]
    assert (row["customers_previous"], row["customers_compared_previous"]) == (2, 2)   # b and e; c made none
    assert row["conversion_after_previous"] == 1.0
    assert row["conversion_without_switch_previous"] == pytest.approx(1 / 3)
    assert (row["customers_current"], row["customers_compared_current"]) == (0, 0)
    assert pd.isna(row["conversion_after_current"]) and row["customers_lost_current"] == 0.0


def test_a_new_switch_made_by_one_customer_who_did_not_move_on_loses_half_a_customer():
    found = check_gaps(BOUNDARY_ROWS, previous=FEBRUARY, current=MARCH)
    assert found["switch"].tolist() == ["tablet → mobile", "mobile → desktop", "desktop → mobile"]
    assert found.loc[0, "customers_lost_current"] == pytest.approx(0.5)   # 1 x (1/2 - 0)
    assert found.loc[0, "conversion_without_switch_current"] == pytest.approx(0.5)
    assert found.loc[0, "previous_start"] == pd.Timestamp("2024-02-01", tz="UTC")
    assert found.loc[0, "current_end"] == pd.Timestamp("2024-04-01", tz="UTC")


def test_min_customers_keeps_a_switch_made_by_exactly_that_many_in_one_period():
    # min 2: tablet -> mobile (0 and 1) goes; mobile -> desktop (2, 2) and desktop -> mobile (2, 0) stay.
    found = check_gaps(BOUNDARY_ROWS, previous=FEBRUARY, current=MARCH, min_customers=2)
    assert found["switch"].tolist() == ["mobile → desktop", "desktop → mobile"]
    # min 3: no switch type was made by 3 customers in either period.
    assert check_gaps(BOUNDARY_ROWS, previous=FEBRUARY, current=MARCH, min_customers=3).empty


def test_periods_given_as_dates_are_read_as_utc_midnights_and_may_leave_a_gap_between_them():
    # previous: 10-13 Feb only (a, b, c, e; d and f fall outside); current: 7-8 Mar (i, k).
    # 10-13 Feb: mobile -> desktop a (no) and e (yes); desktop -> mobile b, e (yes); stayers at consideration: c
    # (bought) -> 1/1, so mobile -> desktop loses 2 x (1 - 1/2) = 1.0.
    # 7-8 Mar: mobile -> desktop i (bought), stayer k (bought): 1 vs 1, lost 0.
    found = check_gaps(BOUNDARY_ROWS, previous=("2024-02-10", "2024-02-14"), current=("2024-03-07", "2024-03-09"))
    assert found["switch"].tolist() == ["mobile → desktop", "desktop → mobile"]
    assert found["status"].tolist() == ["in both", "gone"]
    assert found.loc[0, "customers_lost_previous"] == pytest.approx(1.0)
    assert found.loc[0, "conversion_without_switch_previous"] == 1.0


def test_a_switch_made_only_at_the_last_stage_or_at_no_stage_is_listed_but_never_compared():
    rows = [("x", "2024-03-06 10:00", "referral", "mobile"), ("x", "2024-03-06 10:01", "referral", "tv"),
            ("y", "2024-03-07 10:00", "foo_bar", "mobile"), ("y", "2024-03-07 10:01", "page_view", "tv"),
            ("y", "2024-03-07 10:02", "purchase", "tv"),
            ("z", "2024-02-07 10:00", "page_view", "mobile"), ("z", "2024-02-07 10:01", "purchase", "mobile")]
    # mobile -> tv: x at loyalty (last stage), y at foo_bar (no stage): 2 customers, 0 compared, no rates, 0 lost.
    found = check_gaps(rows, previous=FEBRUARY, current=MARCH)
    row = found.iloc[0]
    assert (row["switch"], row["status"], row["customers_current"], row["customers_compared_current"]) == (
        "mobile → tv", "new", 2, 0)
    assert pd.isna(row["conversion_after_current"]) and pd.isna(row["conversion_without_switch_current"])
    assert row["customers_lost_current"] == 0.0


# Data of 10 Jan .. 31 Mar 2024, less than a year: the two halves of [10 Jan, 1 Apr) (82 days), split after 41 days on
# 20 Feb. Previous [10 Jan, 20 Feb): p and q never switch. Current [20 Feb, 1 Apr): r desktop -> mobile at
# consideration at 00:00 on 20 Feb, did not move on; s stayed and bought -> 1 vs 0 lost 1 x (1 - 0) = 1.
HALVES_ROWS = [("p", "2024-01-10 09:00", "page_view", "mobile"), ("p", "2024-01-10 09:05", "purchase", "mobile"),
               ("q", "2024-02-19 23:00", "page_view", "desktop"),
               ("r", "2024-02-20 00:00", "page_view", "desktop"), ("r", "2024-02-20 00:10", "page_view", "mobile"),
               ("s", "2024-03-31 12:00", "page_view", "mobile"), ("s", "2024-03-31 12:01", "purchase", "mobile")]


def test_data_shorter_than_a_year_is_halved_and_a_period_without_any_switch_makes_every_switch_new():
    found = check_gaps(HALVES_ROWS)
    assert found["switch"].tolist() == ["desktop → mobile"] and found["status"].tolist() == ["new"]
    bounds = (found.loc[0, "previous_start"], found.loc[0, "previous_end"], found.loc[0, "current_end"])
    assert bounds == tuple(pd.Timestamp(day, tz="UTC") for day in ("2024-01-10", "2024-02-20", "2024-04-01"))
    assert (found.loc[0, "customers_previous"], found.loc[0, "customers_current"]) == (0, 1)
    assert found.loc[0, "customers_lost_current"] == 1.0


def test_a_previous_period_without_any_device_value_is_a_period_where_nobody_switched():
    rows = [(c, t, e, None if t < "2024-02-20" else d) for c, t, e, d in HALVES_ROWS]
    found = check_gaps(rows)
    assert found["status"].tolist() == ["new"] and found.loc[0, "customers_lost_current"] == 1.0


def test_data_covering_a_year_and_a_day_to_a_month_end_compares_the_last_6_months_with_the_6_before():
    # gap_periods: "the last 6 months of the data against the 6 months before, or the data's two halves when it
    # covers less than a year". The data runs 30 Aug 2023 .. 30 Aug 2024: [30 Aug 2023, 31 Aug 2024) is more than a
    # year (a year before 31 Aug 2024 is 31 Aug 2023). So current [29 Feb 2024, 31 Aug 2024) (6 months before 31 Aug
    # is 29 Feb in a leap year) and previous the 6 months before it, [29 Aug 2023, 29 Feb 2024).
    rows = [("a", "2023-08-30 10:00", "page_view", "mobile"), ("a", "2023-08-30 10:05", "purchase", "desktop"),
            ("b", "2024-08-30 10:00", "page_view", "mobile"), ("b", "2024-08-30 10:05", "page_view", "desktop")]
    found = check_gaps(rows)
    assert (found.loc[0, "current_start"], found.loc[0, "previous_start"]) == (
        pd.Timestamp("2024-02-29", tz="UTC"), pd.Timestamp("2023-08-29", tz="UTC"))


# Current period only (March). desktop -> mobile: a1 at awareness (did not move on) and a2 at loyalty (not compared):
# 2 customers, 1 compared; stayers at awareness s1, s2 (bought), s3 (no) -> 2/3; lost 1 x (2/3 - 0) = 2/3.
# mobile -> tablet: b1 (bought) and b2 (no) at consideration: 2 customers, 2 compared, after 1/2; stayers at
# consideration t1..t5 (bought), t6 (no) -> 5/6; lost 2 x (5/6 - 1/2) = 2/3.
# Both lose 2/3 of a customer, both have 2 customers: the name decides, desktop -> mobile first.
TIE_ROWS = [("a1", "2024-03-02 10:00", "ad_impression", "desktop"),
            ("a1", "2024-03-02 10:01", "ad_impression", "mobile"),
            ("a2", "2024-03-02 11:00", "referral", "desktop"), ("a2", "2024-03-02 11:01", "referral", "mobile"),
            ("s1", "2024-03-03 10:00", "ad_impression", "desktop"), ("s1", "2024-03-03 10:01", "purchase", "desktop"),
            ("s2", "2024-03-03 11:00", "ad_impression", "desktop"), ("s2", "2024-03-03 11:01", "purchase", "desktop"),
            ("s3", "2024-03-03 12:00", "ad_impression", "desktop"),
            ("b1", "2024-03-04 10:00", "page_view", "mobile"), ("b1", "2024-03-04 10:01", "page_view", "tablet"),
            ("b1", "2024-03-04 10:02", "purchase", "tablet"),
            ("b2", "2024-03-04 11:00", "page_view", "mobile"), ("b2", "2024-03-04 11:01", "page_view", "tablet")]
TIE_ROWS += [row for i in range(1, 6) for row in ((f"t{i}", f"2024-03-05 1{i}:00", "page_view", "desktop"),
                                                   (f"t{i}", f"2024-03-05 1{i}:01", "purchase", "desktop"))]
TIE_ROWS += [("t6", "2024-03-06 10:00", "page_view", "desktop"), ("z", "2024-02-06 10:00", "page_view", "desktop")]


def test_switches_that_lose_as_many_customers_have_the_same_figures_as_the_reference():
    found = check_gaps(TIE_ROWS, previous=FEBRUARY, current=MARCH).set_index("switch")
    assert found["customers_lost_current"].tolist() == pytest.approx([2 / 3, 2 / 3])
    assert found.loc["mobile → tablet", "conversion_without_switch_current"] == pytest.approx(5 / 6)
    assert found.loc["desktop → mobile", "conversion_without_switch_current"] == pytest.approx(2 / 3)


def test_switches_that_lose_as_many_customers_are_ordered_by_name():
    found = compare_gap_periods(_dataset(TIE_ROWS), params=GapParams(min_customers=1), previous=FEBRUARY,
                                current=MARCH)
    assert found["switch"].tolist() == ["desktop → mobile", "mobile → tablet"]


def test_a_previous_period_that_ends_exactly_where_the_current_starts_is_not_an_overlap():
    found = check_gaps(BOUNDARY_ROWS, previous=FEBRUARY, current=MARCH)
    assert len(found) == 3
    with pytest.raises(ParameterError, match="The periods overlap"):
        compare_gap_periods(_dataset(BOUNDARY_ROWS), previous=("2024-02-01", "2024-03-02"), current=MARCH)


def test_switches_at_events_of_no_stage_count_in_a_period_holding_nothing_else():
    # February holds only u's two foo_bar events (no stage): still a mobile -> desktop switch (1 customer, not
    # compared); March: v mobile -> desktop at consideration. So the switch is in both periods, not new.
    rows = [("u", "2024-02-05 10:00", "foo_bar", "mobile"), ("u", "2024-02-05 10:01", "foo_bar", "desktop"),
            ("v", "2024-03-05 10:00", "page_view", "mobile"), ("v", "2024-03-05 10:01", "purchase", "desktop")]
    found = check_gaps(rows, previous=FEBRUARY, current=MARCH)
    assert (found.loc[0, "status"], found.loc[0, "customers_previous"], found.loc[0, "customers_current"]) == (
        "in both", 1, 1)
    assert (found.loc[0, "customers_compared_previous"], found.loc[0, "customers_compared_current"]) == (0, 0)


def test_an_undated_row_between_two_devices_is_in_no_period_and_does_not_break_the_pair():
    # w: mobile 10:00, tablet (no date), desktop 10:05, all views: inside March the journey is mobile, desktop ->
    # one mobile -> desktop switch at consideration, not moved on; no stayer at consideration -> not compared.
    rows = [("w", "2024-03-05 10:00", "page_view", "mobile"), ("w", "", "page_view", "tablet"),
            ("w", "2024-03-05 10:05", "page_view", "desktop"), ("y", "2024-02-05 10:00", "page_view", "mobile")]
    found = check_gaps(rows, previous=FEBRUARY, current=MARCH)
    assert found["switch"].tolist() == ["mobile → desktop"]
    assert (found.loc[0, "customers_current"], found.loc[0, "customers_compared_current"]) == (1, 0)


@pytest.mark.parametrize("seed", range(6))
def test_seeded_random_exports_give_the_references_gaps_in_both_periods_column_by_column(seed):
    rows = random_rows(seed)
    for min_customers in (1, 3):
        check_gaps(rows, min_customers=min_customers)


@pytest.mark.parametrize("seed", range(6, 9))
def test_seeded_random_exports_with_chosen_periods_give_the_references_gaps(seed):
    rows = random_rows(seed, days=200)
    first = min(pd.Timestamp(r[1]) for r in rows).floor("D")
    previous = (f"{first + pd.Timedelta(days=10):%Y-%m-%d}", f"{first + pd.Timedelta(days=70):%Y-%m-%d}")
    current = (f"{first + pd.Timedelta(days=70):%Y-%m-%d}", f"{first + pd.Timedelta(days=150):%Y-%m-%d}")
    check_gaps(rows, previous=previous, current=current)


# ------------------------------------------------------------------------------------------------------------------
# The Overview's period: hand-made cases (each also compared with the reference)

KPI_COLUMNS = ("customer_id", "timestamp", "event", "device", "revenue")
# a buys for 30 on 1 Jan 2024, b for 20 on 10 Jun 2024; the data ends 10 Jun, so every period ends 11 Jun 2024.
TWO_BUYERS = [("a", "2024-01-01 10:00", "page_view", "mobile", None),
              ("a", "2024-01-01 10:05", "purchase", "mobile", 30),
              ("b", "2024-06-10 10:00", "page_view", "desktop", None),
              ("b", "2024-06-10 10:05", "purchase", "desktop", 20)]


def test_the_last_90_days_of_two_buyers_hold_the_later_one_and_the_90_days_before_the_earlier_one():
    # 11 Jun - 90 days = 13 Mar; 13 Mar - 90 days = 14 Dec 2023, before 1 Jan: the data covers two whole periods?
    # No: 14 Dec 2023 < 1 Jan 2024 -> the halves of [1 Jan, 11 Jun) (162 days): 81 days each, split on 22 Mar.
    found, (current, previous) = check_kpis(TWO_BUYERS, "90d", KPI_COLUMNS)
    assert current == (pd.Timestamp("2024-03-22", tz="UTC"), pd.Timestamp("2024-06-11", tz="UTC"))
    assert previous == (pd.Timestamp("2024-01-01", tz="UTC"), pd.Timestamp("2024-03-22", tz="UTC"))
    assert found.loc["customers", "period"] == "22 Mar 2024 – 10 Jun 2024"
    assert found.loc["customers", "previous_period"] == "1 Jan 2024 – 21 Mar 2024"
    assert (found.loc["revenue", "value"], found.loc["revenue", "previous"]) == (20, 30)
    assert (found.loc["conversion_rate", "value"], found.loc["conversion_rate", "previous"]) == (1.0, 1.0)


def test_twelve_months_of_half_a_year_of_data_are_its_two_halves_too():
    # 11 Jun 2024 - 12 months = 11 Jun 2023, before the data: the same halves as 90 days, split on 22 Mar.
    found, (current, previous) = check_kpis(TWO_BUYERS, "12m", KPI_COLUMNS)
    assert current[0] == previous[1] == pd.Timestamp("2024-03-22", tz="UTC")
    assert (found.loc["customers", "value"], found.loc["customers", "previous"]) == (1, 1)


def test_the_last_30_days_of_two_buyers_against_30_days_without_any_event():
    # 11 Jun - 30 days = 12 May; 12 May - 30 days = 12 Apr, after 1 Jan: two whole periods, [12 May, 11 Jun) with b
    # only and [12 Apr, 12 May) with nobody: 1 customer against 0, conversion 100% against none (0 / 0).
    found, (current, previous) = check_kpis(TWO_BUYERS, "30d", KPI_COLUMNS)
    assert previous == (pd.Timestamp("2024-04-12", tz="UTC"), pd.Timestamp("2024-05-12", tz="UTC"))
    assert (found.loc["customers", "value"], found.loc["customers", "previous"]) == (1, 0)
    assert pd.isna(found.loc["conversion_rate", "previous"])


def test_the_revenue_of_a_period_without_any_event_is_0():
    # revenue: "sum of the revenue column"; [12 Apr, 12 May) holds no event: its sum is 0, as the customers tile's 0,
    # so the change is +20 (20 - 0).
    found = compute_kpis(_dataset(TWO_BUYERS, KPI_COLUMNS), params=KpiParams("30d")).set_index("name")
    assert (found.loc["revenue", "previous"], found.loc["revenue", "change"]) == (0.0, 20.0)


def test_ninety_days_are_two_whole_periods_when_the_data_starts_exactly_180_days_before_its_end():
    # 1 Jan .. 28 Jun 2024: the end is 29 Jun; 29 Jun - 90 days = 31 Mar, 31 Mar - 90 days = 1 Jan (2024 is a leap
    # year: 31 + 29 + 31 = 91 days to 1 Apr): the data covers both periods exactly.
    rows = [("a", "2024-01-01 00:00", "page_view", "mobile", None),
            ("b", "2024-03-30 23:59", "page_view", "mobile", None),
            ("c", "2024-03-31 00:00", "purchase", "mobile", 5), ("d", "2024-06-28 23:59", "page_view", "mobile", None)]
    found, (current, previous) = check_kpis(rows, "90d", KPI_COLUMNS)
    assert current == (pd.Timestamp("2024-03-31", tz="UTC"), pd.Timestamp("2024-06-29", tz="UTC"))
    assert previous == (pd.Timestamp("2024-01-01", tz="UTC"), pd.Timestamp("2024-03-31", tz="UTC"))
    assert (found.loc["customers", "value"], found.loc["customers", "previous"]) == (2, 2)   # c, d against a, b
    # a day shorter (from 2 Jan): the halves of 179 days, 89.5 each, split at 31 Mar 12:00: c (00:00) falls before.
    shorter = [("a", "2024-01-02 00:00", *rows[0][2:])] + rows[1:]
    found, (current, previous) = check_kpis(shorter, "90d", KPI_COLUMNS)
    assert current[0] == pd.Timestamp("2024-03-31 12:00", tz="UTC")
    assert (found.loc["customers", "value"], found.loc["customers", "previous"]) == (1, 3)


def test_data_within_one_day_is_halved_at_the_middle_of_its_span_whatever_the_period():
    # 09:00 .. 17:00 on 1 May: the middle 13:00, the end 17:01; previous [08:59, 13:00).
    rows = [("a", "2024-05-01 09:00", "page_view", "mobile", None), ("b", "2024-05-01 17:00", "purchase", "mobile", 9)]
    for choice in ("30d", "90d", "12m"):
        found, (current, previous) = check_kpis(rows, choice, KPI_COLUMNS)
        assert current == (pd.Timestamp("2024-05-01 13:00", tz="UTC"), pd.Timestamp("2024-05-01 17:01", tz="UTC"))
        assert (found.loc["customers", "value"], found.loc["customers", "previous"]) == (1, 1)


def test_a_period_given_explicitly_wins_over_the_overviews_choice():
    # period [1 Jun, 1 Jul): b only; previous: the 30 days before, [2 May, 1 Jun): nobody.
    found = compute_kpis(_dataset(TWO_BUYERS, KPI_COLUMNS), period=("2024-06-01", "2024-07-01"),
                         params=KpiParams("all")).set_index("name")
    assert (found.loc["customers", "value"], found.loc["customers", "previous"]) == (1, 0)
    assert found.loc["customers", "previous_period"] == "2 May 2024 – 31 May 2024"


# 'late' buys on 1 Jun 2024, the leads view on 1 Jan .. 18 Feb 2024: the last 30 days, [3 May, 2 Jun), hold 'late' only.
def _leads(n: int):
    rows = [(f"lead{i}", f"{pd.Timestamp('2024-01-01') + pd.Timedelta(days=i):%Y-%m-%d} 10:00", "page_view", None, None)
            for i in range(n)]
    return rows + [("late", "2024-06-01 10:00", "purchase", None, 10)]


def test_one_customer_of_fifty_is_exactly_two_percent_and_needs_no_note():
    found, _ = check_kpis(_leads(49), "30d", KPI_COLUMNS)   # 1 of 50 = 2%: not fewer than 2%
    assert found.loc["customers", "value"] == 1
    assert thin_period_note(found.reset_index(), all_customers=50, params=KpiParams("30d")) is None


def test_one_customer_of_fifty_one_is_under_two_percent_and_the_note_says_so():
    found, _ = check_kpis(_leads(50), "30d", KPI_COLUMNS)   # 1 of 51 = 1.96%: the note (its percent rounds to 2.0%)
    note = thin_period_note(found.reset_index(), all_customers=51, params=KpiParams("30d"))
    assert note == ("The tiles' period (3 May 2024 – 1 Jun 2024) holds 1 of the data's 51 customers (2.0%): they "
                    "describe the end of the data. Choose a longer period to see more of it.")
    assert thin_period_note(found.reset_index(), all_customers=51, params=KpiParams("all")) is None


def test_the_thin_note_does_not_call_the_later_half_of_fourteen_months_the_last_12_months():
    # 100 leads in January 2024 and 'late' on 1 Mar 2025: 12 months are asked, but 1 Jan 2024 .. 2 Mar 2025 (426 days)
    # is shorter than two of them, so the tiles cover its later half, [1 Aug 2024, 2 Mar 2025): 'late' only, 1 of 101
    # (under 2%: a note). That half is 7 months, and the note must not name it "Last 12 months".
    rows = [(f"lead{i}", f"2024-01-{1 + i % 28:02d} 10:00", "page_view", None, None) for i in range(100)]
    found, (current, _) = check_kpis(rows + [("late", "2025-03-01 10:00", "purchase", None, 10)], "12m", KPI_COLUMNS)
    assert current == (pd.Timestamp("2024-08-01", tz="UTC"), pd.Timestamp("2025-03-02", tz="UTC"))
    note = thin_period_note(found.reset_index(), all_customers=101, params=KpiParams("12m"))
    assert "(1 Aug 2024 – 1 Mar 2025) holds 1 of the data's 101 customers (1.0%)" in note
    assert "Last 12 months" not in note


def test_the_overviews_choice_survives_the_dashboard_spec_and_a_wrong_key_is_refused():
    assert KpiParams.from_dict(KpiParams("12m").to_dict()) == KpiParams("12m")
    assert (KpiParams("12m").label, KpiParams("all").length) == ("Last 12 months", None)
    with pytest.raises(ParameterError, match="Unknown KPI parameter"):
        KpiParams.from_dict({"period": "30d", "window": 7})


@pytest.mark.parametrize("seed", range(5))
def test_seeded_random_exports_give_the_references_kpis_in_every_period(seed):
    rows = random_kpi_rows(seed)
    for choice in ("30d", "90d", "12m", "all"):
        check_kpis(rows, choice, KPI_COLUMNS)
