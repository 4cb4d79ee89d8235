"""Review 41: the Overview's repeat-purchase rate (share of the period's buyers who bought before, at any time, or
twice in the period; a cancelled or fully refunded order is no purchase) against tests/review41_reference.py."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from cjm.data.dataset import SourceFile, load_dataset
from cjm.data.filters import Filters
from cjm.data.stages import StageMapping
from cjm.data.views import filtered
from cjm.journey.kpis import compute_kpis
from tests import review41_reference as ref
from tests.helpers import REAL_DATA

TABLE = {"page_view": "awareness", "purchase": "conversion", "refund": "retention", "return": "retention"}
MARCH = ("2025-03-01", "2025-04-01")

# The period: March 2025.
# p1 bought 10 Jan and 5 Mar: repeat (before). p2 bought once, 6 Mar: no. p3's February order (60) was refunded
# whole on 2 Mar, then bought 10 Mar: no (its only earlier order is none). p4 bought 3 and 20 Mar: repeat (twice).
# p5 bought once: no. p6 bought 8 Mar, refunded whole on 9 Mar: no buyer at all. p7 bought in June 2024, 30 of its
# 90 refunded, bought again 15 Mar: repeat (a partial refund leaves the order). p8 two line items at one moment
# (4 Mar 10:00): one order, no. p9's February order is returned on 10 Apr, after the period: it was bought before
# as the period saw it: repeat.
# Buyers p1 p2 p3 p4 p5 p7 p8 p9 = 8; repeat p1 p4 p7 p9 = 4: 50%.
ORDERS = """customer_id,timestamp,event,revenue
p1,2025-01-10 10:00,purchase,30
p1,2025-03-05 10:00,purchase,40
p2,2025-03-06 10:00,purchase,25
p3,2025-02-10 10:00,purchase,60
p3,2025-03-02 10:00,refund,-60
p3,2025-03-10 10:00,purchase,20
p4,2025-03-03 10:00,purchase,10
p4,2025-03-20 10:00,purchase,15
p5,2025-03-12 10:00,purchase,70
p6,2025-03-08 10:00,purchase,45
p6,2025-03-09 10:00,refund,-45
p7,2024-06-01 10:00,purchase,90
p7,2024-06-02 10:00,refund,-30
p7,2025-03-15 10:00,purchase,90
p8,2025-03-04 10:00,purchase,5
p8,2025-03-04 10:00,purchase,7
p9,2025-02-20 10:00,purchase,33
p9,2025-03-25 10:00,purchase,10
p9,2025-04-10 10:00,return,-33
"""


def dataset(text: str):
    return load_dataset([SourceFile(name="orders.csv", data=text.encode())],
                        stage_mapping=StageMapping(model="5", events=dict(TABLE)))


def events(text: str) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text), dtype={"customer_id": str})
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    return ref.with_stages(frame, TABLE)


def rate(ds, period=MARCH) -> float:
    kpis = compute_kpis(ds, period=period).set_index("name")
    return kpis.loc["repeat_purchase_rate", "value"]


def bounds(period=MARCH):
    return pd.Timestamp(period[0], tz="UTC"), pd.Timestamp(period[1], tz="UTC")


def test_a_buyer_who_bought_before_the_period_at_any_time_is_a_repeat_buyer():
    repeat, buyers = ref.repeat_purchase_rate(events(ORDERS), *bounds())
    assert (repeat, buyers) == (4, 8)
    assert rate(dataset(ORDERS)) == pytest.approx(4 / 8)


def test_the_repeat_purchase_rate_reads_the_whole_data_under_a_date_filter_on_the_period():
    # a March date filter (1-31 Mar) cuts the view to March; the earlier orders are still 'bought before' (the
    # rule reads the whole loaded data), so the rate stays 4 of 8
    view = filtered(dataset(ORDERS), Filters(start="2025-03-01", end="2025-03-31"))
    assert rate(view) == pytest.approx(4 / 8)


def test_a_later_period_sees_the_return_made_before_its_end():
    # April: p9's February order was returned 10 Apr, inside April: no April purchase at all, so no buyers:
    # the rate has no value (never a 0 over nothing)
    value = rate(dataset(ORDERS), ("2025-04-01", "2025-05-01"))
    repeat, buyers = ref.repeat_purchase_rate(events(ORDERS), *bounds(("2025-04-01", "2025-05-01")))
    assert buyers == 0
    assert value is None or pd.isna(value)


def random_orders(seed: int, customers: int = 60) -> str:
    rng = np.random.default_rng(seed)
    rows = ["customer_id,timestamp,event,revenue"]
    start = pd.Timestamp("2024-11-01")
    for i in range(customers):
        n = int(rng.integers(1, 5))
        minutes = sorted(int(m) for m in rng.choice(60 * 24 * 180, n, replace=False))
        for m in minutes:
            t = start + pd.Timedelta(minutes=m)
            amount = int(rng.integers(1, 20)) * 5
            rows.append(f"u{i},{t:%Y-%m-%d %H:%M},purchase,{amount}")
            if rng.random() < 0.25:  # refunded whole a few days later
                back = t + pd.Timedelta(days=int(rng.integers(1, 20)))
                rows.append(f"u{i},{back:%Y-%m-%d %H:%M},refund,-{amount}")
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("seed", [11, 12, 13])
@pytest.mark.parametrize("period", [("2025-01-01", "2025-02-01"), ("2025-03-01", "2025-04-01")])
def test_random_order_logs_agree_with_the_reference(seed, period):
    text = random_orders(seed)
    repeat, buyers = ref.repeat_purchase_rate(events(text), *bounds(period))
    value = rate(dataset(text), period)
    assert 0 <= value <= 1
    assert value == pytest.approx(repeat / buyers)


def test_cdnow_june_1998_every_buyer_had_bought_before():
    # CDNOW's customers are a cohort of the first quarter of 1997: every June 1998 buyer bought before
    path = REAL_DATA / "cdnow_master.txt"
    if not path.exists():
        pytest.skip("real exports absent")
    raw = pd.read_csv(path, sep=r"\s+", header=0, names=["customer_id", "date", "quantity", "revenue"],
                      dtype={"customer_id": str, "date": str})
    raw["timestamp"] = pd.to_datetime(raw["date"], format="%Y%m%d", utc=True)
    raw["event"] = "purchase"
    frame = ref.with_stages(raw[["customer_id", "timestamp", "event", "revenue"]], TABLE)
    period = ("1998-06-01", "1998-07-01")
    repeat, buyers = ref.repeat_purchase_rate(frame, *bounds(period))
    assert buyers and repeat == buyers
    ds = load_dataset([path])
    assert rate(ds, period) == pytest.approx(repeat / buyers)


def test_partial_refunds_adding_up_to_an_order_take_it_back_whole():
    # March. q bought 10 and 12 Mar; its 12 Mar order is refunded on 5 Apr, after the period: twice in March,
    # repeat. r's February order of 60 was refunded 30 + 30 in February: taken back whole, so r's 10 Mar purchase
    # is its first: no repeat (the reference first read each partial refund on its own and called r a repeat
    # buyer: the reference was wrong). s's February order was refunded whole on 11 Mar (before the period's
    # end): no. t bought once: no. 1 repeat buyer (q) of 4: 25%.
    text = """customer_id,timestamp,event,revenue
q,2025-03-10 10:00,purchase,20
q,2025-03-12 10:00,purchase,30
q,2025-04-05 10:00,refund,-30
r,2025-02-10 10:00,purchase,60
r,2025-02-12 10:00,refund,-30
r,2025-02-14 10:00,refund,-30
r,2025-03-10 10:00,purchase,20
s,2025-02-10 10:00,purchase,60
s,2025-03-10 10:00,purchase,20
s,2025-03-11 10:00,refund,-60
t,2025-03-10 10:00,purchase,20
"""
    assert ref.repeat_purchase_rate(events(text), *bounds()) == (1, 4)
    assert rate(dataset(text)) == pytest.approx(1 / 4)


def test_a_purchase_before_the_period_in_another_channel_still_makes_a_repeat_buyer_under_a_channel_filter():
    # u bought by email in February and on the web in March; v bought on the web in March only. Under the web
    # filter the March buyers are u and v; u bought before (the rule reads the whole loaded data, any channel):
    # 1 of 2
    text = """customer_id,timestamp,event,revenue,channel
u,2025-02-10 10:00,purchase,20,email
u,2025-03-10 10:00,purchase,30,web
v,2025-03-11 10:00,purchase,30,web
"""
    assert rate(filtered(dataset(text), Filters(channels=("web",)))) == pytest.approx(1 / 2)
