"""Review 38: abandonment (per step, checkout) and the Overview's conversion rate against a reference written from
DESIGN.md section 4 alone (tests/review38_reference.py), on hand-made exports, the demo and real exports.

The hand-made export SHOP (steps product_view -> add_to_cart -> checkout_started -> purchase, 7-day window). The end
of the data is 31 Jan 00:00 (A12's e-mail open: an event outside the funnel still ends the data).

  customer  counted attempt                                   depth  window ends  closed?
  A1        view, cart, checkout, purchase 1 Jan               4      8 Jan        yes
  A2        view, cart, checkout at the same second 2 Jan      3      9 Jan        yes   (rows in reverse order)
  A3        cart, checkout, purchase, no view                  -      -            -     (never entered the funnel)
  A4        view twice, cart twice 4 Jan                       2      11 Jan       yes
  A5        view 24 Jan 00:00                                  1      31 Jan 00:00 NO    (ends exactly at the data end)
  A5b       view 23 Jan 23:59:59                               1      30 Jan 23:59:59 yes
  A6        view 5 Jan; cart, checkout 13 Jan (after window)   1      12 Jan       yes
  A7        view, purchase, cart, checkout 6 Jan               3      13 Jan       yes   (purchase before cart: none)
  A8        view, cart 2 Jan; view again 29 Jan                2      9 Jan        yes   (newer shallower attempt)
  A9        view, cart, checkout 28 Jan                        3      4 Feb        no
  A10       view, cart, checkout, purchase 29 Jan              4      5 Feb        no
  A11       view 1 Jan; view 20 Jan, cart 21 Jan               2      27 Jan       yes   (DESIGN's example)
  A12       email_open 31 Jan 00:00                            -      -            -
  A13       view, cart 7 Jan; purchase row before checkout     4      14 Jan       yes   (same second)

Per step (abandoned = depth i-1 and closed; in progress = depth i-1 and open; base = depth >= i-1 and closed):
  add_to_cart      reached before 12, reached 9, abandoned 2 (A5b, A6), in progress 1 (A5), base 9  -> 22.2%
  checkout_started reached before 9,  reached 6, abandoned 3 (A4, A8, A11), in progress 0, base 7 -> 42.9%
  purchase         reached before 6,  reached 3, abandoned 2 (A2, A7), in progress 1 (A9), base 4 -> 50.0%
Checkout abandonment as cjm reads it (its own funnel checkout -> purchase, window from the checkout): started 8 (A1,
A2, A3, A6, A7, A9, A10, A13), purchased 4 (A1, A3, A10, A13), abandoned 3 (A2, A6, A7), in progress 1 (A9), closed 6
(A1, A2, A3, A6, A7, A13; A10 bought inside an open window) -> 3 / 6 = 50.0%.
Conversion rate (all data): 14 customers, 5 with a purchase (A1, A3, A7, A10, A13) -> 35.7%.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cjm import engine
from cjm.data import views
from cjm.data.dataset import SourceFile, build_dataset, load_dataset, parse_files
from cjm.data.filters import Filters
from cjm.journey.abandonment import (compute_abandonment, compute_checkout_abandonment, compute_last_touchpoints,
                                     compute_time_to_abandon)
from cjm.journey.funnel import FunnelParams, compute_funnel
from cjm.journey.kpis import compute_kpis
from cjm.present.charts.abandonment import abandonment_chart, checkout_abandonment_chart
from tests import review38_reference as ref
from tests.helpers import real_file

STEPS = ("product_view", "add_to_cart", "checkout_started", "purchase")
WEEK = pd.Timedelta(days=7)
FUNNEL = FunnelParams(steps=STEPS, step_kind="event")  # 7-day window
BOUGHT = {"purchase", "repeat_purchase"}  # what completes a checkout (is_purchase_name)

HEADER = "customer_id,event_time,event,channel,device\n"
SHOP_ROWS = """\
A1,2025-01-01T10:00:00Z,product_view,web,desktop
A1,2025-01-01T10:05:00Z,add_to_cart,web,desktop
A1,2025-01-01T10:10:00Z,checkout_started,web,desktop
A1,2025-01-01T10:15:00Z,purchase,web,desktop
A2,2025-01-02T09:00:00Z,checkout_started,web,mobile
A2,2025-01-02T09:00:00Z,add_to_cart,web,mobile
A2,2025-01-02T09:00:00Z,product_view,web,mobile
A3,2025-01-03T09:00:00Z,add_to_cart,web,desktop
A3,2025-01-03T09:01:00Z,checkout_started,web,desktop
A3,2025-01-03T09:02:00Z,purchase,web,desktop
A4,2025-01-04T10:00:00Z,product_view,web,desktop
A4,2025-01-04T10:01:00Z,product_view,web,desktop
A4,2025-01-04T10:02:00Z,add_to_cart,web,desktop
A4,2025-01-04T10:03:00Z,add_to_cart,web,desktop
A5,2025-01-24T00:00:00Z,product_view,web,mobile
A5b,2025-01-23T23:59:59Z,product_view,web,mobile
A6,2025-01-05T00:00:00Z,product_view,web,desktop
A6,2025-01-13T00:00:00Z,add_to_cart,web,desktop
A6,2025-01-13T00:01:00Z,checkout_started,web,desktop
A7,2025-01-06T10:00:00Z,product_view,web,desktop
A7,2025-01-06T10:01:00Z,purchase,web,desktop
A7,2025-01-06T10:02:00Z,add_to_cart,web,desktop
A7,2025-01-06T10:03:00Z,checkout_started,web,desktop
A8,2025-01-02T12:00:00Z,product_view,web,desktop
A8,2025-01-02T12:05:00Z,add_to_cart,web,desktop
A8,2025-01-29T12:00:00Z,product_view,web,desktop
A9,2025-01-28T10:00:00Z,product_view,web,mobile
A9,2025-01-28T10:01:00Z,add_to_cart,web,mobile
A9,2025-01-28T10:02:00Z,checkout_started,web,mobile
A10,2025-01-29T10:00:00Z,product_view,web,desktop
A10,2025-01-29T10:01:00Z,add_to_cart,web,desktop
A10,2025-01-29T10:02:00Z,checkout_started,web,desktop
A10,2025-01-29T10:03:00Z,purchase,web,desktop
A11,2025-01-01T08:00:00Z,product_view,web,desktop
A11,2025-01-20T08:00:00Z,product_view,web,desktop
A11,2025-01-21T08:00:00Z,add_to_cart,web,desktop
A12,2025-01-31T00:00:00Z,email_open,email,mobile
A13,2025-01-07T10:00:00Z,product_view,web,desktop
A13,2025-01-07T10:01:00Z,add_to_cart,web,desktop
A13,2025-01-07T10:02:00Z,purchase,web,desktop
A13,2025-01-07T10:02:00Z,checkout_started,web,desktop
"""
SHOP = HEADER + SHOP_ROWS

# (step, reached_previous, reached, abandoned, in_progress, closed), worked out in the module doc
SHOP_STEPS = [
    ("add_to_cart", 12, 9, 2, 1, 9),
    ("checkout_started", 9, 6, 3, 0, 7),
    ("purchase", 6, 3, 2, 1, 4),
]


# F completes the funnel on 1 Jan, so that every step name occurs in a part of SHOP (cjm refuses a step no event has)
FILLER = """\
F,2025-01-01T00:00:00Z,product_view,web,desktop
F,2025-01-01T00:01:00Z,add_to_cart,web,desktop
F,2025-01-01T00:02:00Z,checkout_started,web,desktop
F,2025-01-01T00:03:00Z,purchase,web,desktop
"""


def part(*customers: str):
    """The Dataset of SHOP's rows of these customers, plus F."""
    rows = [r for r in SHOP_ROWS.splitlines() if r.split(",")[0] in customers]
    return load_texts(HEADER + FILLER + "\n".join(rows) + "\n")


def load_texts(*texts: str):
    """A Dataset from CSV texts, one file each (shop1.csv, shop2.csv, ...)."""
    sources = [SourceFile(name=f"shop{i}.csv", data=t.encode()) for i, t in enumerate(texts, 1)]
    return build_dataset(parse_files(sources))


def canonical(dataset) -> pd.DataFrame:
    """The dataset's events as the reference reads them."""
    return engine.execute(dataset.events.select("customer_id", "timestamp", "event", "stage"))


def step_rows(table: pd.DataFrame) -> list[tuple]:
    return [(r.step, int(r.reached_previous), int(r.reached), int(r.abandoned), int(r.in_progress), int(r.closed))
            for r in table.itertuples(index=False)]


def reference_rows(events: pd.DataFrame, steps=STEPS, window=WEEK, data_end=None) -> list[tuple]:
    table = ref.abandonment_by_step(events, list(steps), window, data_end)
    return [(r.step, r.reached_previous, r.reached, r.abandoned, r.in_progress, r.closed_base)
            for r in table.itertuples(index=False)]


def kpi(table: pd.DataFrame, name: str) -> float:
    return float(table.set_index("name").loc[name, "value"])


@pytest.fixture(scope="module")
def shop():
    return load_texts(SHOP)


# --- hand-made export -------------------------------------------------------------------------------------------

def test_each_steps_abandonment_on_the_hand_made_export_is_the_hand_worked_figure_and_the_references(shop):
    table = compute_abandonment(shop, params=FUNNEL)
    assert step_rows(table) == SHOP_STEPS
    assert step_rows(table) == reference_rows(canonical(shop))
    # 2 / 9, 3 / 7, 2 / 4
    assert list(table["abandonment_rate"]) == pytest.approx([2 / 9, 3 / 7, 2 / 4])
    assert [int(n) for n in compute_funnel(shop, params=FUNNEL)["customers"]] == [12, 9, 6, 3]


def test_a_window_ending_exactly_at_the_last_event_is_in_progress_and_one_second_earlier_is_abandoned():
    # A5's window ends 31 Jan 00:00, the data's end (A12): still open. A5b's ends 30 Jan 23:59:59: closed. F went on.
    table = compute_abandonment(part("A5", "A5b", "A12"), params=FUNNEL)
    cart = table.set_index("step").loc["add_to_cart"]
    assert (cart["reached_previous"], cart["abandoned"], cart["in_progress"], cart["closed"]) == (3, 1, 1, 2)
    assert cart["abandonment_rate"] == 0.5  # A5b of A5b, F


def test_steps_at_the_same_second_count_in_funnel_order_whatever_the_row_order():
    # A2: view, cart and checkout at one second, written in reverse: reaches checkout, abandons at purchase.
    # A13: purchase and checkout at one second, the purchase row first: completes. A12 ends the data; F completes.
    table = compute_abandonment(part("A2", "A13", "A12"), params=FUNNEL)
    purchase = table.set_index("step").loc["purchase"]
    assert (purchase["reached_previous"], purchase["reached"], purchase["abandoned"]) == (3, 2, 1)


def test_a_newer_shallower_attempt_does_not_make_an_old_drop_off_in_progress():
    # A8: view + cart on 2 Jan (window closed 9 Jan), a lone view on 29 Jan (window open at the 31 Jan end): counted on
    # the deeper attempt of 2 Jan, so abandoned before checkout, not in progress.
    table = compute_abandonment(part("A8", "A12"), params=FUNNEL).set_index("step")
    assert (table.loc["checkout_started", "abandoned"], table.loc["checkout_started", "in_progress"]) == (1, 0)
    assert table["in_progress"].sum() == 0


def test_the_checkout_abandonment_of_the_hand_made_export_is_three_of_six_with_one_in_progress(shop):
    checkout = compute_checkout_abandonment(shop)
    assert checkout == {"started": 8, "abandoned": 3, "in_progress": 1, "purchased": 4, "closed": 6, "rate": 0.5,
                        "start": "checkout"}
    two_step = ref.checkout_abandonment_two_step(canonical(shop), WEEK, checkout={"checkout_started"}, purchase=BOUGHT)
    assert {k: checkout[k] for k in two_step} == two_step


def test_the_two_readings_of_designs_checkout_rate_agree_in_rate_on_the_hand_export_but_not_in_who_counts(shop):
    # DESIGN: "customers whose counted attempt started checkout". Read on the view -> purchase funnel's counted
    # attempt: started and closed A1, A2, A7, A13; abandoned A2, A7 -> 2 / 4. cjm reads checkout -> purchase: A3 (no
    # view) counts, as does A6 (checkout after the view's window) -> 3 / 6. Both 50%.
    funnel_reading = ref.checkout_abandonment(canonical(shop), list(STEPS), WEEK, checkout="checkout_started",
                                              purchase="purchase")
    assert funnel_reading == {"abandoned": 2, "base": 4, "in_progress": 1, "rate": 0.5}


def test_a_purchase_inside_the_checkouts_window_but_after_the_views_window_completes_the_checkout_not_the_funnel():
    # B1: view and cart 1 Jan 00:00, checkout 7 Jan 12:00, purchase 9 Jan 12:00. The funnel's window (from the view)
    # closed 8 Jan: the purchase step reads 1 of 1 abandoned (100%). The checkout's own window (from 7 Jan 12:00)
    # holds the purchase: 0 of 1 checkouts abandoned (0%). The page shows both on one screen.
    text = HEADER + (
        "B1,2025-01-01T00:00:00Z,product_view,web,desktop\nB1,2025-01-01T00:01:00Z,add_to_cart,web,desktop\n"
        "B1,2025-01-07T12:00:00Z,checkout_started,web,desktop\nB1,2025-01-09T12:00:00Z,purchase,web,desktop\n"
        "Z,2025-01-31T00:00:00Z,email_open,email,mobile\n")
    data = load_texts(text)
    purchase = compute_abandonment(data, params=FUNNEL).set_index("step").loc["purchase"]
    assert (purchase["abandoned"], purchase["closed"], purchase["abandonment_rate"]) == (1, 1, 1.0)
    checkout = compute_checkout_abandonment(data)
    assert (checkout["abandoned"], checkout["closed"], checkout["rate"]) == (0, 1, 0.0)


def test_an_export_split_over_two_files_gives_the_same_abandonment_and_conversion_as_one_file(shop):
    # A1's checkout and purchase rows in a second file; A9's checkout written in both (no duplicate across files,
    # DESIGN section 3: only within a file; a second checkout at the same second changes nothing).
    rows = SHOP_ROWS.splitlines()
    second = [r for r in rows if r.startswith("A1,") and ("checkout" in r or "purchase" in r)]
    first = [r for r in rows if r not in second]
    a9_checkout = next(r for r in rows if r.startswith("A9,") and "checkout" in r)
    split = load_texts(HEADER + "\n".join(first) + "\n", HEADER + "\n".join(second + [a9_checkout]) + "\n")
    assert step_rows(compute_abandonment(split, params=FUNNEL)) == SHOP_STEPS
    assert compute_checkout_abandonment(split) == compute_checkout_abandonment(shop)
    assert kpi(compute_kpis(split, period="all"), "conversion_rate") == pytest.approx(5 / 14)


def test_the_overviews_conversion_rate_of_the_hand_export_is_five_of_fourteen_and_its_checkout_tile_the_pages(shop):
    table = compute_kpis(shop, period="all")
    # A1, A3, A7, A10, A13 bought (A3 without a view, A7 before its cart: a purchase all the same) of 14 customers
    assert kpi(table, "customers") == 14
    assert kpi(table, "conversion_rate") == pytest.approx(5 / 14)
    assert ref.conversion_rate(canonical(shop), {"purchase"}) == {"customers": 14, "converted": 5, "rate": 5 / 14}
    assert kpi(table, "checkout_abandonment") == pytest.approx(compute_checkout_abandonment(shop)["rate"])


def test_a_segment_is_judged_by_the_datas_end_on_the_overview_as_on_the_abandonment_page(shop):
    # Segment gold = A7, A13, whose last event is 7 Jan 10:02; the data ends 31 Jan. A7's checkout window closed on
    # 13 Jan without a purchase, A13 bought (window closed 14 Jan): 1 of 2 abandoned. The Overview's tile read the
    # segment's own last event as the data's end, so both windows were open and it showed no figure.
    gold = views.filtered(views.with_segments(shop, pd.DataFrame({"customer_id": ["A7", "A13"],
                                                                  "persona": ["gold", "gold"]})),
                          Filters(segments=("gold",)))
    page = compute_checkout_abandonment(gold)
    assert (page["abandoned"], page["closed"], page["rate"]) == (1, 2, 0.5)
    table = compute_kpis(gold, period="all")
    assert kpi(table, "checkout_abandonment") == 0.5
    assert kpi(table, "conversion_rate") == 1.0  # both bought
    steps = compute_abandonment(gold, params=FUNNEL).set_index("step")
    assert (steps.loc["purchase", "abandoned"], steps.loc["purchase", "closed"]) == (1, 2)  # A7 of A7, A13


def test_the_overviews_period_judges_checkouts_by_the_periods_end_and_counts_the_periods_customers(shop):
    # Period 1-8 Jan (end 9 Jan 00:00). Customers with an event in it: A1, A2, A3, A4, A6, A7, A8, A11, A13 = 9, of
    # whom A1, A3, A7, A13 bought: 4 / 9. Checkouts in it: A1 bought, window closed 8 Jan 10:10; A2 (9 Jan 09:00),
    # A3 (10 Jan), A7 (13 Jan), A13 (14 Jan) still open at 9 Jan: 0 of 1 abandoned.
    table = compute_kpis(shop, period=("2025-01-01", "2025-01-09"))
    assert kpi(table, "customers") == 9
    assert kpi(table, "conversion_rate") == pytest.approx(4 / 9)
    assert kpi(table, "checkout_abandonment") == 0.0
    events = canonical(shop)
    inside = events[(events["timestamp"] >= pd.Timestamp("2025-01-01", tz="UTC"))
                    & (events["timestamp"] < pd.Timestamp("2025-01-09", tz="UTC"))]
    assert ref.conversion_rate(inside, {"purchase"})["rate"] == pytest.approx(4 / 9)
    two_step = ref.checkout_abandonment_two_step(inside, WEEK, checkout={"checkout_started"}, purchase=BOUGHT,
                                                 data_end=pd.Timestamp("2025-01-09", tz="UTC"))
    assert (two_step["abandoned"], two_step["closed"]) == (0, 1)


def test_a_date_filter_judges_windows_by_the_end_of_the_range_as_the_overviews_period_does(shop):
    # The range 1-8 Jan ends at 9 Jan 00:00 and the data goes on (to 31 Jan): that is the end of what is seen, not the
    # view's last event (A13, 7 Jan 10:02, which left every window of the range 'in progress'). A11's window (1 Jan
    # 08:00 + 7 d = 8 Jan 08:00) closed inside the range: abandoned before add_to_cart; A1's (8 Jan 10:00) closed with
    # a cart; A6's (5 Jan + 7 d = 12 Jan) is open at 9 Jan: in progress; A2, A4, A7, A8, A13 reached the cart in open
    # windows (9 Jan 09:00 and later). Checkout: A1 bought (window 8 Jan 10:10, closed); A2, A3, A7, A13 open.
    view = views.filtered(shop, Filters(start="2025-01-01", end="2025-01-08"))
    assert views.data_end(view) == pd.Timestamp("2025-01-09", tz="UTC")
    cart = compute_abandonment(view, params=FUNNEL).set_index("step").loc["add_to_cart"]
    assert (cart["abandoned"], cart["in_progress"], cart["closed"]) == (1, 1, 2)  # A11 abandoned, A6 open
    checkout = compute_checkout_abandonment(view)
    assert (checkout["abandoned"], checkout["closed"], checkout["rate"]) == (0, 1, 0.0)  # A1, as on the Overview


def test_the_abandonment_chart_and_checkout_chart_say_the_hand_worked_figures(shop):
    spec = abandonment_chart(compute_abandonment(shop, params=FUNNEL)).to_dict()
    title = spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]
    assert title == "50.0% of customers abandon before purchase (2 of 4 whose window has closed)"
    spec = checkout_abandonment_chart(compute_checkout_abandonment(shop)).to_dict()
    assert spec["title"]["text"] == "50.0% of checkouts are abandoned (below the ≈70% online average)"
    assert spec["title"]["subtitle"] == "8 customers started checkout; 1 still in progress"
    from cjm.ui.funnel import checkout_sentence

    # 6 closed: 3 abandoned, 3 purchased (A1, A3, A13); not counted: A9 in progress, A10 bought in an open window
    assert checkout_sentence(compute_checkout_abandonment(shop)) == (
        "**50.0%** of the 6 customers whose checkout window has closed abandoned (3 abandoned, 3 purchased); not "
        "counted, their checkout window still open at the end of the data: 1 still in progress and 1 who bought.")


def test_checkout_abandoners_last_touched_their_cart_and_left_zero_zero_and_sixty_seconds_after_it(shop):
    # Abandoned before checkout: A4 (cart 10:02, cart again 10:03: 60 s), A8 (cart 2 Jan 12:05; the 29 Jan view is
    # after its window: 0 s), A11 (cart 21 Jan on the attempt of 20 Jan: 0 s). Median 0, mean 20 s, 2 left at once.
    last = compute_last_touchpoints(shop, params=FUNNEL, step="checkout_started")
    assert [(r.event, int(r.customers), r.share, int(r.abandoners)) for r in last.itertuples()] == [
        ("add_to_cart", 3, 1.0, 3)]
    waited = compute_time_to_abandon(shop, params=FUNNEL).set_index("step").loc["checkout_started"]
    assert (waited["customers"], waited["median_seconds"], waited["mean_seconds"], waited["no_later_activity"]) == (
        3, 0.0, 20.0, 2)


# --- the demo -------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo():
    return load_dataset(["data/demo_events.csv.gz", "data/demo_customers.csv"])


@pytest.fixture(scope="module")
def demo_events(demo):
    return canonical(demo)


def test_the_demos_abandonment_per_step_equals_the_reference(demo, demo_events):
    # data/README: 1,859 -> 1,218 -> 1,018 -> 766. Cart: 600 of 1,789 closed (41 in progress); checkout 192 of 1,189
    # (8); purchase 250 of 997 (2).
    table = compute_abandonment(demo, params=FUNNEL)
    assert step_rows(table) == reference_rows(demo_events)
    assert step_rows(table) == [("add_to_cart", 1859, 1218, 600, 41, 1789),
                                ("checkout_started", 1218, 1018, 192, 8, 1189),
                                ("purchase", 1018, 766, 250, 2, 997)]


def test_the_demos_checkout_abandonment_is_246_of_997_as_its_own_checkout_funnel_reads_it(demo, demo_events):
    # repeat_purchase completes a checkout too (371 of the demo's checkouts are followed by one): 771 bought.
    checkout = compute_checkout_abandonment(demo)
    two_step = ref.checkout_abandonment_two_step(demo_events, WEEK, checkout={"checkout_started"}, purchase=BOUGHT)
    assert {k: checkout[k] for k in two_step} == two_step
    assert (checkout["abandoned"], checkout["closed"], checkout["in_progress"]) == (246, 997, 6)
    # the per-step purchase row of the same page: 250 of 997 (the funnel's window is measured from the view)
    funnel_reading = ref.checkout_abandonment(demo_events, list(STEPS), WEEK, checkout="checkout_started",
                                              purchase="purchase")
    assert (funnel_reading["abandoned"], funnel_reading["base"]) == (250, 997)


def test_the_demos_overview_conversion_and_checkout_tiles_equal_the_reference_for_all_data_and_the_last_30_days(
        demo, demo_events):
    whole = compute_kpis(demo, period="all")
    assert kpi(whole, "conversion_rate") == pytest.approx(774 / 3000)  # 25.8%
    assert kpi(whole, "checkout_abandonment") == pytest.approx(246 / 997)
    last = compute_kpis(demo)  # 1 Apr - 30 Apr 2026 against 2 Mar - 31 Mar 2026
    row = last.set_index("name").loc["conversion_rate"]
    assert (row["period"], row["previous_period"]) == ("1 Apr 2026 – 30 Apr 2026", "2 Mar 2026 – 31 Mar 2026")
    for (start, end), conversion, checkout, column in (
            (("2026-04-01", "2026-05-01"), (87, 492), (17, 103), "value"),
            (("2026-03-02", "2026-04-01"), (36, 252), (16, 64), "previous")):
        s, e = pd.Timestamp(start, tz="UTC"), pd.Timestamp(end, tz="UTC")
        inside = demo_events[(demo_events["timestamp"] >= s) & (demo_events["timestamp"] < e)]
        assert ref.conversion_rate(inside, {"purchase"})["converted"] == conversion[0]
        assert ref.conversion_rate(inside, {"purchase"})["customers"] == conversion[1]
        rate = ref.checkout_abandonment_two_step(inside, WEEK, checkout={"checkout_started"}, purchase=BOUGHT,
                                                 data_end=min(e, demo_events["timestamp"].max()))
        assert (rate["abandoned"], rate["closed"]) == checkout
        table = last.set_index("name")
        assert table.loc["conversion_rate", column] == pytest.approx(conversion[0] / conversion[1])
        assert table.loc["checkout_abandonment", column] == pytest.approx(checkout[0] / checkout[1])


# --- real exports (skip when ../shared/data is absent) --------------------------------------------------------------

def test_rees46s_abandonment_per_step_and_cart_abandonment_equal_the_reference_with_a_five_minute_window():
    # 17 minutes of data: a 7-day window leaves everyone in progress. With 5 minutes: view -> cart 271 of 274 closed
    # abandon (56 in progress); cart -> purchase 1 of 3; cart abandonment (no checkout event) 1 of 3.
    data = load_dataset([real_file("rees46_2019-Oct-sample.csv")])
    events = canonical(data)
    params = FunnelParams(steps=("view", "cart", "purchase"), step_kind="event", window_seconds=300)
    table = compute_abandonment(data, params=params)
    assert step_rows(table) == reference_rows(events, ("view", "cart", "purchase"), pd.Timedelta(seconds=300))
    assert step_rows(table) == [("cart", 330, 3, 271, 56, 274), ("purchase", 3, 2, 1, 0, 3)]
    cart = compute_checkout_abandonment(data, window_seconds=300)
    assert cart["start"] == "cart"
    two_step = ref.checkout_abandonment_two_step(events, pd.Timedelta(seconds=300), checkout={"cart"},
                                                 purchase={"purchase"})
    assert {k: cart[k] for k in two_step} == two_step
    assert (cart["abandoned"], cart["closed"]) == (1, 3)
    # 9 of 330 visitors bought
    assert kpi(compute_kpis(data, period="all"), "conversion_rate") == pytest.approx(9 / 330)
    assert math.isnan(kpi(compute_kpis(data, period="all"), "checkout_abandonment"))  # 7 days: every window open


def test_olists_leads_abandon_before_won_as_the_reference_says_and_convert_at_842_of_8000():
    data = load_dataset([real_file("olist_marketing_funnel/olist_marketing_qualified_leads_dataset.csv"),
                         real_file("olist_marketing_funnel/olist_closed_deals_dataset.csv")])
    events = canonical(data)
    params = FunnelParams(steps=("first contact", "won"), step_kind="event", window_seconds=30 * 86400)
    table = compute_abandonment(data, params=params)
    assert step_rows(table) == reference_rows(events, ("first contact", "won"), pd.Timedelta(days=30))
    assert step_rows(table) == [("won", 8000, 546, 7454, 0, 8000)]  # 93.2% within 30 days
    assert kpi(compute_kpis(data, period="all"), "conversion_rate") == pytest.approx(842 / 8000)
