"""Review 36: the numbers a marketer reads first (the Overview's KPI tiles, the customer features, RFM scores and the
segment profiles) against hand counts and against tests/review36_reference.py, a plain reading of DESIGN.md,
DOMAIN.md and the help texts written before cjm's code was read.

Files are loaded through cjm's loader (load_dataset), so the Dataset is the one the app uses.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cjm.customers.features import compute_customer_features
from cjm.customers.profiles import compute_segment_profiles
from cjm.customers.rfm import compute_rfm
from cjm.data.dataset import load_dataset
from cjm.data.demo import write_demo
from cjm.journey.kpi_period import KpiParams
from cjm.journey.kpis import compute_kpis
from tests import review36_reference as ref
from tests.helpers import real_file

UTC = "UTC"


def _load(tmp_path, *texts, names=None):
    paths = []
    for i, text in enumerate(texts):
        path = tmp_path / (names[i] if names else f"export{i}.csv")
        path.write_text(text)
        paths.append(path)
    return load_dataset(paths)


def _period(start, end):
    return pd.Timestamp(start, tz=UTC), pd.Timestamp(end, tz=UTC)


def _same(a, b) -> bool:
    if pd.isna(a) or pd.isna(b):
        return pd.isna(a) and pd.isna(b)
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def _agree(kpis: pd.DataFrame, reference: dict, column: str = "value") -> dict:
    """KPI name -> (cjm, reference) for every available KPI on which the two differ."""
    return {name: (kpis.at[name, column], reference.get(name)) for name in kpis.index
            if kpis.at[name, "available"] and not _same(kpis.at[name, column], reference.get(name))}


# ------------------------------------------------------------------------------------------- the KPI tiles by hand

SHOP = """customer_id,timestamp,event,revenue,session_id
a,2024-03-01 00:00:00,page_view,,s1
a,2024-03-01 00:05:00,purchase,30,s1
a,2024-03-01 00:05:00,purchase,20,s1
b,2024-03-10 12:00:00,page_view,,s2
b,2024-03-10 12:01:00,checkout_started,,s2
c,2024-02-28 10:00:00,purchase,40,s3
c,2024-03-05 10:00:00,refund,-40,s4
c,2024-03-31 23:59:59,purchase,60,s5
d,2024-04-01 00:00:00,page_view,,s6
"""


def test_the_march_tiles_count_the_event_at_its_start_leave_out_the_one_at_its_end_and_net_last_months_refund(
        tmp_path):
    # March = [1 Mar, 1 Apr): a's view at 1 Mar 00:00 is in, d's view at 1 Apr 00:00 is not.
    # customers a, b, c = 3; converted (a purchase) a, c: 2/3.
    # sessions of March: s1 (3 events), s2 (2), s4 (1), s5 (1): 2 bounces of 4 = 50%.
    # b started checkout 10 Mar 12:01, its 7-day window closed 17 Mar, before 1 Apr, with no purchase: 1/1 abandoned.
    # revenue = 30 + 20 - 40 + 60 = 70 (net: c's refund of February's order is March money).
    # orders: a's two line items at 00:05 are one order of 50, c's 60 another; the refund takes back February's
    # order, which is no order of March: average order value = (50 + 60) / 2 = 55.
    # repeat-purchase rate: a and c bought once in March: 0 of 2.
    # February (the 31 days before: 30 Jan - 29 Feb): c alone, one purchase of 40: 1 customer, 100% converted,
    # revenue 40, order value 40; change in customers +2, in revenue +30.
    ds = _load(tmp_path, SHOP)
    k = compute_kpis(ds, period=("2024-03-01", "2024-04-01")).set_index("name")
    expected = {"customers": 3, "conversion_rate": 2 / 3, "bounce_rate": 0.5, "checkout_abandonment": 1.0,
                "revenue": 70.0, "average_order_value": 55.0, "repeat_purchase_rate": 0.0}
    assert {n: k.at[n, "value"] for n in expected} == pytest.approx(expected)
    assert {n: k.at[n, "previous"] for n in ("customers", "conversion_rate", "revenue", "average_order_value")} \
        == pytest.approx({"customers": 1, "conversion_rate": 1.0, "revenue": 40.0, "average_order_value": 40.0})
    assert k.at["customers", "change"] == 2 and k.at["revenue", "change"] == pytest.approx(30.0)
    assert (k.at["customers", "period"], k.at["customers", "previous_period"]) == (
        "1 Mar 2024 – 31 Mar 2024", "30 Jan 2024 – 29 Feb 2024")
    events = ds.events.to_pandas()
    assert _agree(k, ref.kpis(events, _period("2024-03-01", "2024-04-01"))) == {}
    assert _agree(k, ref.kpis(events, _period("2024-01-30", "2024-03-01")), "previous") == {}


RETAIL = """InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,A,X,2,2010-12-01 08:26,5.00,17850,UK
536365,B,Y,1,2010-12-01 08:26,10.00,17850,UK
536366,A,X,3,2010-12-01 08:28,5.00,17850,UK
C536379,A,X,-2,2010-12-01 09:41,5.00,17850,UK
536400,B,Y,4,2010-12-02 10:00,10.00,13047,UK
536401,B,Y,1,2010-12-20 10:00,10.00,13047,UK
C536402,B,Y,-1,2010-12-21 10:00,10.00,13047,UK
"""


def test_an_invoice_export_counts_an_order_of_several_lines_once_and_a_cancelled_order_as_none(tmp_path):
    # revenue = quantity x unit price, net: 17850: 536365 = 2x5 + 1x10 = 20, 536366 = 3x5 = 15, C536379 = -2x5 = -10;
    # 13047: 536400 = 40, 536401 = 10, C536402 = -10 (the whole of 536401, the day after). Total 65.
    # orders: 536365 (two lines, one order), 536366 (a part taken back, still an order), 536400; 536401 is cancelled
    # whole, so none: average order value = (20 + 15 - 10 + 40) / 3 = 65 / 3 = 21.67 (per line it would be 65/5 = 13).
    # repeat-purchase rate: 17850 has 2 orders, 13047 has 1 once 536401 is undone: 1 of 2 = 50%.
    ds = _load(tmp_path, RETAIL, names=["retail.csv"])
    k = compute_kpis(ds, period="all").set_index("name")
    assert k.at["customers", "value"] == 2
    assert k.at["revenue", "value"] == pytest.approx(65.0)
    assert k.at["average_order_value", "value"] == pytest.approx(65 / 3)
    assert k.at["repeat_purchase_rate", "value"] == pytest.approx(0.5)
    assert _agree(k, ref.kpis(ds.events.to_pandas(), None)) == {}


def test_a_period_without_events_shows_no_customers_and_no_rates(tmp_path):
    # June and May 2024 hold no event: 0 customers (change +0), revenue 0; every rate has no base: no figure (NaN,
    # shown "–"), never 0%.
    ds = _load(tmp_path, SHOP)
    k = compute_kpis(ds, period=("2024-06-01", "2024-07-01")).set_index("name")
    assert (k.at["customers", "value"], k.at["customers", "change"]) == (0, 0)
    assert k.at["revenue", "value"] == 0
    for name in ("conversion_rate", "bounce_rate", "average_order_value", "repeat_purchase_rate"):
        assert pd.isna(k.at[name, "value"]) and k.at[name, "display"] == "–", name


SCROLLS = """customer_id,timestamp,event,session_id,scroll_depth
a,2024-03-01 10:00,page_view,s1,50%
a,2024-03-01 10:01,page_view,s1,75 %
b,2024-03-01 11:00,page_view,s2,25%
c,2024-03-02 11:00,page_view,s3,90%
c,2024-03-02 11:05,purchase,s3,
"""


def test_scroll_depths_written_with_a_percent_sign_give_the_scroll_rate(tmp_path):
    # depths 50%, 75 %, 25%, 90% on four page views: 3 scrolled at least half way (50 counts) of 4 = 75%.
    # Before the fix every cell was unreadable text and the tile said it needed "a scroll depth column".
    k = compute_kpis(_load(tmp_path, SCROLLS), period="all").set_index("name")
    assert k.at["scroll_rate", "available"]
    assert k.at["scroll_rate", "value"] == pytest.approx(0.75)
    assert k.at["scroll_rate", "display"] == "75.0%"


@pytest.mark.postgres
def test_a_postgresql_table_of_text_scroll_depths_gives_the_scroll_rate_and_never_fails_on_a_word(postgres_url):
    # The same depths in a text column of a PostgreSQL table, with 'n/a' on the purchase row: 50%, 75 %, 25%, 90%
    # give 3 of 4 = 75%, 'n/a' no depth. PostgreSQL has no try-cast (Ibis compiles try_cast to CAST): the word
    # failed the KPIs' query ("invalid input syntax for type double precision").
    import sqlalchemy

    from cjm import engine
    from cjm.data.columns import ColumnMapping
    from cjm.data.source import dataset_from_table

    text = SCROLLS.replace("s3,\n", "s3,n/a\n")
    frame = pd.read_csv(__import__("io").StringIO(text), dtype=str, keep_default_na=False)
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        frame.to_sql("scrolls", con, index=False)
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event",
                                         "session_id": "session_id"})
        k = compute_kpis(dataset_from_table(backend, "scrolls", mapping=mapping), period="all").set_index("name")
        assert k.at["scroll_rate", "available"] and k.at["scroll_rate", "value"] == pytest.approx(0.75)
    finally:
        backend.close()


def test_a_scroll_column_with_no_number_in_it_is_named_in_what_the_tile_needs(tmp_path):
    # "half" and "most" are no depths: no scroll rate, and the reason names the column the data has instead of
    # asking for a scroll depth column.
    text = SCROLLS.replace("50%", "half").replace("75 %", "most").replace("25%", "").replace("90%", "")
    k = compute_kpis(_load(tmp_path, text), period="all").set_index("name")
    assert not k.at["scroll_rate", "available"]
    assert "'scroll_depth'" in k.at["scroll_rate", "needs"] and "75%" in k.at["scroll_rate", "needs"]


def test_a_tiles_help_writes_the_previous_periods_value_as_the_tile_writes_its_own(tmp_path, demo):
    # March against February on SHOP: revenue 40 before ("40.00", was "40"), conversion 1 of 1 ("100.0%", was "1",
    # beside a tile of "66.7%"); customers 1 ("1"). The demo's last 90 days (600 customers, seed 5) against the 90
    # before: revenue 4,963.23 before ("4,963.23", was "4,963"); 12 months halves of 11,427.03 were "1.143e+04".
    from cjm.ui.kpis import tile_help
    k = compute_kpis(_load(tmp_path, SHOP), period=("2024-03-01", "2024-04-01"))
    helps = {row.name: tile_help(row) for row in k.itertuples(index=False)}
    assert helps["revenue"] == ("The period's money: purchases less the refunds and cancellations made in it. "
                                "1 Mar 2024 – 31 Mar 2024. Previous period (30 Jan 2024 – 29 Feb 2024): 40.00.")
    assert helps["conversion_rate"].endswith("(30 Jan 2024 – 29 Feb 2024): 100.0%.")
    assert helps["customers"].endswith("(30 Jan 2024 – 29 Feb 2024): 1.")
    assert helps["checkout_abandonment"].endswith("no data.")
    ds, _ = demo
    k = compute_kpis(ds, params=KpiParams(period="90d"))
    helps = {row.name: tile_help(row) for row in k.itertuples(index=False)}
    assert helps["revenue"].endswith("(2 Nov 2025 – 30 Jan 2026): 4,963.23.")
    row = next(k[k["name"] == "revenue"].assign(previous=11427.03).itertuples(index=False))
    assert tile_help(row).endswith(": 11,427.03.")


# --------------------------------------------------------------------------------------------- customer features

PEOPLE = """customer_id,timestamp,event,revenue,device,department,rating
a,2024-03-01 10:00:00,page_view,,mobile,sales,
a,2024-03-01 10:05:00,product_view,,desktop,sales,
a,2024-03-01 10:06:00,purchase,30,desktop,sales,
a,2024-03-01 10:06:00,purchase,20,desktop,sales,
a,2024-03-03 09:00:00,support_ticket,,,support,
a,2024-03-03 09:30:00,ticket_closed,,,support,
a,2024-03-05 09:00:00,page_view,,mobile,sales,
a,2024-03-06 09:00:00,review_written,,mobile,marketing,2
b,2024-03-02 12:00:00,page_view,,tablet,sales,
b,2024-03-02 12:01:00,add_to_cart,,tablet,sales,
b,2024-03-04 12:00:00,chat,,mobile,sales,
c,2024-02-20 10:00:00,purchase,40,desktop,sales,
c,2024-02-25 10:00:00,refund,-40,,billing,
c,2024-03-10 00:00:00,purchase,60,desktop,sales,
c,2024-03-10 00:00:00,survey_response,,desktop,marketing,5
"""


def test_the_customer_features_of_three_customers_match_the_hand_count(tmp_path):
    # as of the last event, c's 10 Mar 00:00:
    # a: last 6 Mar 09:00 -> recency 3 d 15 h = 3.625; first 1 Mar 10:00 -> tenure 8 d 14 h = 8.5833; 8 events;
    #    1 purchase (two line items at 10:06 are one order), spend 50; furthest stage loyalty (review_written) = 4;
    #    converted; device switches: mobile->desktop (10:00 -> 10:05) = 1 (desktop, (none), (none), mobile is no pair
    #    of consecutive events with two devices: DESIGN.md's "pair of consecutive events ... whose device differs");
    #    support contacts: the ticket = 1 (ticket_closed follows it up); sentiment: rating 2 -> (2 - 3) / 2 = -0.5.
    # b: recency 5 d 12 h = 5.5; tenure 7.5; 3 events; no purchase, spend 0; furthest stage: the chat (retention in
    #    the touchpoint dictionary) = 3; not converted; tablet->mobile = 1; the chat = 1 contact.
    # c: recency 0; tenure 18 d 14 h = 18.5833; 4 events; February's order refunded whole: 1 purchase, spend
    #    40 - 40 + 60 = 60; furthest retention (survey, refund) = 3; converted; no switch; no contact; rating 5 -> +1.
    ds = _load(tmp_path, PEOPLE)
    f = compute_customer_features(ds).set_index("customer_id")
    expected = pd.DataFrame({
        "recency_days": [3.625, 5.5, 0.0], "tenure_days": [8 + 14 / 24, 7.5, 18 + 14 / 24], "frequency": [8, 3, 4],
        "purchases": [1, 0, 1], "monetary": [50.0, 0.0, 60.0], "furthest_stage": [4, 3, 3],
        "converted": [True, False, True], "device_switches": [1, 1, 0], "support_contacts": [1, 1, 0],
        "mean_sentiment": [-0.5, np.nan, 1.0]}, index=pd.Index(["a", "b", "c"], name="customer_id"))
    got = f[expected.columns].astype({"converted": bool})
    got.index = got.index.astype(object)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_index_type=False)
    mine = ref.features(ds.events.to_pandas()).set_index("customer_id")
    mine.index = mine.index.astype(object)
    pd.testing.assert_frame_equal(got.drop(columns="mean_sentiment"), mine[expected.columns[:-1]].astype(
        {"converted": bool}), check_dtype=False, check_index_type=False)


# ----------------------------------------------------------------------------------------------------------- RFM

def test_rfm_quintiles_split_ties_by_the_other_measures_then_by_id_and_read_the_grid():
    # 10 customers, 8 buyers. R: fifths of all 10 by recency (fewer days better), ties by purchases then spend then
    # id (the smaller id ranks higher). Worst first: j (60 d, 0), i (60 d, 1) | h (30 d) f (10 d, 20) | g (10 d, 35)
    # e (5 d, 0) | d (5 d, 2) c (1 d, 1, 20) | b (1 d, 1, 20: ties c but for the id) a (1 d, 3): two a fifth, so
    # j i = 1, h f = 2, g e = 3, d c = 4, b a = 5.
    # F: fifths of the 8 buyers (pd.qcut of positions 0..7: 0-1 -> 1, 2 -> 2, 3-4 -> 3, 5 -> 4, 6-7 -> 5) by
    # purchases, ties by spend then recency: i (1, 10), f (1, 20, 10 d), c (1, 20, 1 d), b, g (1, 35), d (2), a (3),
    # h (4) -> i f = 1, c = 2, b g = 3, d = 4, a h = 5. Non-buyers e, j: F = M = 1.
    # M: by spend, ties by recency: i (10), f (20, 10 d), c, b (20, 1 d), g (35), d (50), a (90), h (200) -> same
    # positions: i f = 1, c = 2, b g = 3, d = 4, a h = 5.
    # FM = (F + M) / 2 half up; grid: a 555 Champions, b 533 Potential loyalists, c 422 Potential loyalists,
    # d 444 Champions, f 211 Hibernating, g 333 Need attention, h 255 At risk, i 111 Lost; e (311) and j (111) never
    # bought: 'Never bought', not the grid's About to sleep and Lost.
    # (b and c are the same customer to the cent and still score 5-3-3 and 4-2-2: quintiles of equal size split ties;
    # cjm's rfm.py says so. On CDNOW no two identical customers land in different named segments.)
    features = pd.DataFrame({
        "customer_id": list("abcdefghij"),
        "recency_days": [1, 1, 1, 5, 5, 10, 10, 30, 60, 60],
        "purchases": [3, 1, 1, 2, 0, 1, 1, 4, 1, 0],
        "monetary": [90.0, 20, 20, 50, 0, 20, 35, 200, 10, 0],
    })
    got = compute_rfm(features).set_index("customer_id")
    assert got["rfm"].to_dict() == {"a": "555", "b": "533", "c": "422", "d": "444", "e": "311", "f": "211",
                                    "g": "333", "h": "255", "i": "111", "j": "111"}
    assert got["segment"].to_dict() == {
        "a": "Champions", "b": "Potential loyalists", "c": "Potential loyalists", "d": "Champions",
        "e": "Never bought", "f": "Hibernating", "g": "Need attention", "h": "At risk", "i": "Lost",
        "j": "Never bought"}
    mine = ref.rfm(features.assign(frequency=features["purchases"])).set_index("customer_id")
    assert (mine[["R", "F", "M", "FM", "segment"]] == got[["R", "F", "M", "FM", "segment"]]).all().all()


# ------------------------------------------------------------------------------------------------ segment profiles

def test_segment_profiles_give_size_share_value_conversion_and_sentiment_by_hand(tmp_path):
    # segments from the PEOPLE export: {a, c} = 0, {b} = 1.
    # 0: size 2, share 2/3, spend (50 + 60) / 2 = 55 mean, 110 total, conversion 2/2, sentiment (-0.5 + 1) / 2 = 0.25
    #    over 2 customers with a score; 1: size 1, share 1/3, spend 0, conversion 0, no sentiment (0 responses).
    f = compute_customer_features(_load(tmp_path, PEOPLE))
    labels = np.array([0 if c in ("a", "c") else 1 for c in f["customer_id"]])
    p = compute_segment_profiles(f, labels).set_index("segment")
    assert p.loc[0, ["size", "share", "value_mean", "value_total", "conversion", "sentiment"]].tolist() == \
        pytest.approx([2, 2 / 3, 55.0, 110.0, 1.0, 0.25])
    assert p.loc[1, ["size", "share", "value_mean", "value_total", "conversion"]].tolist() == \
        pytest.approx([1, 1 / 3, 0.0, 0.0, 0.0])
    assert pd.isna(p.loc[1, "sentiment"]) and p.loc[1, "sentiment_responses"] == 0


# --------------------------------------------------------------------------------------------- the seeded demo data

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    ds = load_dataset(write_demo(tmp_path_factory.mktemp("demo"), customers=600, seed=5))
    return ds, ds.events.to_pandas()


@pytest.mark.parametrize("days", [30, 90])
def test_the_demo_tiles_of_the_last_days_and_the_days_before_match_the_reference(demo, days):
    # seed 5, 600 customers, data 1 May 2025 - 30 Apr 2026; last 30 days: 96 customers against 51, conversion
    # 16.7%, revenue 1,809.57, average order value 82.25, repeat-purchase rate 6 of 22 buyers = 27.3% (none bought
    # twice in the 30 days, 6 had bought before them) against 8 of 14 = 57.1% (1 twice, 7 more who had bought before;
    # counting only purchases inside each period, as before review 40, it read 0% against 7.1%).
    ds, events = demo
    k = compute_kpis(ds, params=KpiParams(period=f"{days}d")).set_index("name")
    current, previous = ref.default_periods(events, days)
    assert _agree(k, ref.kpis(events, current)) == {}
    assert _agree(k, ref.kpis(events, previous), "previous") == {}
    for name in k.index[k["available"]]:
        assert _same(k.at[name, "change"], k.at[name, "value"] - k.at[name, "previous"]), name
    if days == 30:
        assert (k.at["customers", "value"], k.at["customers", "previous"]) == (96, 51)
        assert k.at["revenue", "value"] == pytest.approx(1809.57)
        assert (k.at["repeat_purchase_rate", "value"], k.at["repeat_purchase_rate", "previous"]) == \
            (pytest.approx(6 / 22), pytest.approx(8 / 14))


def test_the_demo_tiles_of_all_data_match_the_reference(demo):
    ds, events = demo
    k = compute_kpis(ds, period="all").set_index("name")
    assert _agree(k, ref.kpis(events, None)) == {}
    assert k.at["customers", "value"] == 600


def test_the_demo_customer_features_and_profiles_match_the_reference(demo):
    ds, events = demo
    f = compute_customer_features(ds)
    mine = ref.features(events)
    both = f.merge(mine, on="customer_id", suffixes=("", "_ref"))
    assert len(both) == len(f) == 600
    for column in ("recency_days", "tenure_days", "frequency", "purchases", "monetary", "furthest_stage", "converted",
                   "device_switches", "support_contacts"):
        assert np.allclose(both[column].astype(float), both[column + "_ref"].astype(float)), column
    labels = np.random.default_rng(1).integers(0, 4, len(f))
    p = compute_segment_profiles(f, labels).set_index("segment").sort_index()
    r = ref.profiles(f, labels).set_index("segment").sort_index()
    for column in ("size", "share", "value_mean", "value_total", "conversion", "sentiment", "sentiment_responses"):
        assert np.allclose(p[column].astype(float), r[column].astype(float)), column



def _rfm_agrees(ds) -> pd.Series:
    got = compute_rfm(ds).set_index("customer_id")
    mine = ref.rfm(got.reset_index()[["customer_id", "recency_days", "frequency", "monetary"]]).set_index("customer_id")
    return (got[["R", "F", "M", "FM", "segment"]] != mine.loc[got.index, ["R", "F", "M", "FM", "segment"]]).sum()


def test_the_demo_rfm_scores_match_the_reference(demo):
    # 600 customers, 159 buyers: R by fifths of all (120 each), F and M by fifths of the 159 buyers, the 441 who
    # never bought F = M = 1.
    ds, _ = demo
    assert _rfm_agrees(ds).sum() == 0


# ------------------------------------------------------------------------------------------------- the real exports


def test_the_cdnow_rfm_scores_match_the_reference():
    # 23,570 buyers (every customer bought); ties are many (12,054 bought once): broken by the other two measures,
    # then by id, money compared to the cent (two customers of 59.85 each, one a float sum a hair above).
    assert _rfm_agrees(load_dataset([real_file("cdnow_master.txt")])).sum() == 0

def test_the_cdnow_tiles_match_the_reference_in_june_1998_and_over_all_data():
    # CDNOW through the loader: 69,659 rows, 255 repeated rows rejected as duplicates, 23,570 customers; June 1998:
    # 1,506 customers, revenue 75,993.50, order value 38.87; repeat-purchase rate 100%: CDNOW holds the customers who
    # first bought in Q1 1997, so every buyer of June 1998 had bought before (19.5% bought on two days or more inside
    # June, the rate before review 40); all data 48.86%
    # (a purchase of $0, a free CD, is a purchase: 80 customers whose only purchase was free count as buyers).
    ds = load_dataset([real_file("cdnow_master.txt")])
    events = ds.events.to_pandas()
    june = compute_kpis(ds, period=("1998-06-01", "1998-07-01")).set_index("name")
    assert _agree(june, ref.kpis(events, _period("1998-06-01", "1998-07-01"))) == {}
    assert june.at["customers", "value"] == 1506 and june.at["revenue", "value"] == pytest.approx(75993.50)
    assert june.at["repeat_purchase_rate", "value"] == pytest.approx(1.0)
    every = compute_kpis(ds, period="all").set_index("name")
    assert _agree(every, ref.kpis(events, None)) == {}
    assert every.at["repeat_purchase_rate", "value"] == pytest.approx(0.48858718710224863)


def test_the_rees46_tiles_match_the_reference():
    # 1,000 events in 17 minutes: halves of 10 minutes (00:08-00:18 against 23:58-00:08); 180 customers against 194,
    # conversion 6/180 = 3.3% against 4/194 = 2.1%; over all data 330 customers, 9 buyers, one of whom bought twice
    # (two purchase moments five minutes apart): repeat-purchase rate 1/9 = 11.1%.
    ds = load_dataset([real_file("rees46_2019-Oct-sample.csv")])
    events = ds.events.to_pandas()
    k = compute_kpis(ds).set_index("name")
    current, previous = _period("2019-10-01 00:08", "2019-10-01 00:18"), _period("2019-09-30 23:58",
                                                                               "2019-10-01 00:08")
    assert _agree(k, ref.kpis(events, current)) == {}
    assert _agree(k, ref.kpis(events, previous), "previous") == {}
    every = compute_kpis(ds, period="all").set_index("name")
    assert (every.at["customers", "value"], every.at["repeat_purchase_rate", "value"]) == (330, pytest.approx(1 / 9))


# ------------------------------------------------------------------------------ disagreements left to the lead (xfail)

ADS = """customer_id,timestamp,event,channel,session_id
a,2024-03-01 10:00,ad_impression,search ads,s1
b,2024-03-01 11:00,ad_impression,search ads,s2
c,2024-03-01 12:00,page_view,web,s3
c,2024-03-01 12:02,product_view,web,s3
d,2024-03-01 13:00,page_view,web,s4
"""


def test_an_ad_impression_nobody_clicked_is_no_bounced_visit(tmp_path):
    # a practitioner's bounce rate is the share of visits that left after one page (DOMAIN.md lists it with the web
    # KPIs: scroll rate, bounce rate, conversion rate). Visits: c (two pages) and d (one page): 1 bounce of 2 = 50%.
    # a and b only saw an ad: no visit. cjm counted sessions s1..s4 with one event: 3 of 4 = 75% (demo 57.8%, where
    # 2,432 of 8,579 sessions were impressions alone).
    k = compute_kpis(_load(tmp_path, ADS), period="all").set_index("name")
    assert k.at["bounce_rate", "value"] == pytest.approx(0.5)


def test_rfm_does_not_name_a_customer_who_never_bought_a_new_or_promising_customer():
    # the grid's New (R 5, FM 1) and Promising (R 4, FM 1) are recent buyers who bought little; a visitor with no
    # purchase scores F = M = 1 (rfm.py) and, when recent, lands there. a (1 day, no purchase) and b (2 days, no
    # purchase) are prospects, not new customers.
    features = pd.DataFrame({"customer_id": list("abcdef"), "recency_days": [1, 2, 3, 4, 5, 6],
                             "purchases": [0, 0, 2, 1, 1, 0], "monetary": [0, 0, 30.0, 10, 20, 0]})
    got = compute_rfm(features).set_index("customer_id")
    assert not got.loc[["a", "b"], "segment"].isin(["New", "Promising"]).any()
    assert (got.loc[["a", "b", "f"], "segment"] == "Never bought").all()  # f too: no purchase, whatever its R
    assert not (got.loc[["c", "d", "e"], "segment"] == "Never bought").any()
