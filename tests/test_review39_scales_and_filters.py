"""Review 39 (helper-103): the satisfaction scale 'sat10' and the end of the data under the dashboard filters, checked
against a plain-pandas reference written from the rules before reading their implementation
(tests/review39_reference.py), on hand-made exports. Expected figures worked out by hand in the comments.

The export SHOP (all times UTC; the columns a shop writes: customer, time, event, channel, segment):

  A  product_view 5 Jan 2025 09:00, add_to_cart 09:10, checkout_started 09:20         web    gold
  B  product_view 20 Jan 23:30 (app), checkout_started 21 Jan 00:30 (app)              app    silver
  F  product_view 31 Jan 23:00, checkout_started 1 Feb 00:00                           web    gold
  C  product_view 14 Feb 12:00, checkout_started 12:05, purchase 12:30                 web    gold
  D  product_view 1 Mar 08:00 (web), checkout_started 3 Mar 08:00 (email)              web/email silver
  E  product_view 9 Mar 23:59                                                          web    gold

The data runs from 5 Jan 09:00 to 9 Mar 23:59; its only purchase is C's, 14 Feb. A checkout's window is 7 days.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.data import views
from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.data.filters import Filters
from cjm.journey.abandonment import compute_abandonment, compute_checkout_abandonment
from cjm.journey.funnel import FunnelParams
from cjm.journey.kpi_period import KpiParams
from cjm.journey.kpis import compute_kpis
from tests import review38_reference as r38
from tests import review39_reference as ref

SHOP = """\
customer_id,event_time,event,channel,segment
A,2025-01-05T09:00:00Z,product_view,web,gold
A,2025-01-05T09:10:00Z,add_to_cart,web,gold
A,2025-01-05T09:20:00Z,checkout_started,web,gold
B,2025-01-20T23:30:00Z,product_view,app,silver
B,2025-01-21T00:30:00Z,checkout_started,app,silver
F,2025-01-31T23:00:00Z,product_view,web,gold
F,2025-02-01T00:00:00Z,checkout_started,web,gold
C,2025-02-14T12:00:00Z,product_view,web,gold
C,2025-02-14T12:05:00Z,checkout_started,web,gold
C,2025-02-14T12:30:00Z,purchase,web,gold
D,2025-03-01T08:00:00Z,product_view,web,silver
D,2025-03-03T08:00:00Z,checkout_started,email,silver
E,2025-03-09T23:59:00Z,product_view,web,gold
"""
STEPS = ("product_view", "checkout_started", "purchase")
WEEK = pd.Timedelta(days=7)
UTC = "UTC"


def load(*texts: str, names=None):
    names = names or [f"f{i}.csv" for i in range(len(texts))]
    return build_dataset(parse_files([SourceFile(n, t.encode()) for n, t in zip(names, texts)]))


@pytest.fixture(scope="module")
def shop():
    return load(SHOP)


@pytest.fixture(scope="module")
def shop_events(shop):
    return engine.execute(shop.events.select("customer_id", "timestamp", "event", "channel", "segment"))


def view_events(view) -> pd.DataFrame:
    return engine.execute(view.events.select("customer_id", "timestamp", "event"))


def checkout(view) -> tuple[int, int, int]:
    out = compute_checkout_abandonment(view)
    return out["abandoned"], out["closed"], out["in_progress"]


def checkout_tiles(view) -> tuple[float, float]:
    row = compute_kpis(view, params=KpiParams("30d")).set_index("name").loc["checkout_abandonment"]
    return float(row["value"]), float(row["previous"])


# --- (b) the end of the data under filters --------------------------------------------------------------------

@pytest.mark.parametrize("filters", [
    Filters(), Filters(end="2025-02-28"), Filters(end="2025-03-08"), Filters(end="2025-03-09"), Filters(end="2025-03-10"),
    Filters(channels=("app",)), Filters(channels=("email",)), Filters(segments=("gold",)), Filters(start="2025-02-01"),
    Filters(segments=("silver",), channels=("web",), start="2025-01-10", end="2025-03-02"),
])
def test_the_end_of_the_data_under_every_filter_is_the_references(shop, shop_events, filters):
    # None, to 9 Mar, to 10 Mar, a channel, a segment, a start: the data's last event, 9 Mar 23:59. To 28 Feb: the
    # midnight after, 1 Mar 00:00 (the data goes on); to 8 Mar: 9 Mar 00:00 (E's 23:59 lies after it).
    # Silver + web + 10 Jan..2 Mar: D's email checkout 3 Mar 08:00 goes on after the range: 3 Mar 00:00.
    view = views.filtered(shop, filters)
    assert views.data_end(view) == ref.data_end(shop_events, start=filters.start, end=filters.end)


def test_a_range_ending_on_the_datas_last_day_or_after_it_keeps_the_words_the_end_of_the_data(shop):
    # The last event is 9 Mar 23:59: a range to 9 Mar (cut 10 Mar 00:00) or to 10 Mar cuts nothing; to 8 Mar cuts E.
    assert views.end_phrase(views.filtered(shop, Filters(end="2025-03-09"))) == "the end of the data"
    assert views.end_phrase(views.filtered(shop, Filters(end="2025-03-10"))) == "the end of the data"
    assert views.end_phrase(views.filtered(shop, Filters(end="2025-03-08"))) == "the end of the chosen range (8 Mar 2025)"


@pytest.mark.parametrize("filters", [
    Filters(), Filters(end="2025-02-07"), Filters(end="2025-02-06"), Filters(end="2025-01-25"),
    Filters(channels=("app",)), Filters(channels=("web",), end="2025-02-07"),
    Filters(segments=("gold",), start="2025-01-10", end="2025-02-20"),
    Filters(segments=("silver",), channels=("web",), start="2025-01-10", end="2025-03-02"),
])
def test_abandonment_per_step_under_every_filter_is_the_references(shop, shop_events, filters):
    # review 38's reference (counted attempts, window from entry) judged at review 39's end of the data.
    view = views.filtered(shop, filters)
    end = ref.data_end(shop_events, start=filters.start, end=filters.end)
    expected = r38.abandonment_by_step(view_events(view), list(STEPS), WEEK, data_end=end)
    got = compute_abandonment(view, params=FunnelParams(steps=STEPS, step_kind="event"))
    keys = ["step", "reached_previous", "abandoned", "in_progress"]
    assert got[keys].values.tolist() == expected[keys].values.tolist()
    assert got["closed"].tolist() == expected["closed_base"].tolist()


def test_a_checkout_window_closing_exactly_at_the_ranges_end_is_still_in_progress(shop):
    # Range to 7 Feb: the data ends at its cut, 8 Feb 00:00. F's checkout 1 Feb 00:00 closes 8 Feb 00:00, not
    # before the end: in progress. A (5 Jan, closed 12 Jan) and B (21 Jan 00:30, closed 28 Jan) abandoned: 2 of 2.
    assert checkout(views.filtered(shop, Filters(end="2025-02-07"))) == (2, 2, 1)


def test_a_date_range_in_which_nobody_bought_reads_its_closed_checkouts_as_abandoned(shop):
    # The only purchase is 14 Feb. Range to 25 Jan (data cut 26 Jan 00:00): A's window closed 12 Jan, abandoned; B's
    # (21 Jan 00:30 + 7 days = 28 Jan) still open: 1 abandoned of 1 closed, 1 in progress.
    # Before the fix the view had no purchase event: 'Checkout abandonment needs purchase events ... (found:
    # 'add_to_cart', 'checkout_started', 'product_view')', and the Abandonment page said cjm could not find one.
    assert checkout(views.filtered(shop, Filters(end="2025-01-25"))) == (1, 1, 1)


def test_a_channel_in_which_nobody_bought_reads_its_closed_checkouts_as_abandoned(shop):
    # Channel app: B's checkout 21 Jan 00:30, window closed 28 Jan, before the data's end (9 Mar): 1 of 1.
    assert checkout(views.filtered(shop, Filters(channels=("app",)))) == (1, 1, 0)


def test_the_overviews_checkout_tile_of_a_period_without_a_purchase_is_the_share_abandoned_not_blank(shop):
    # Whole data: [8 Feb, 10 Mar) against [9 Jan, 8 Feb). Current: C bought 14 Feb (closed 21 Feb), D's checkout
    # 3 Mar 08:00 still open at 9 Mar 23:59: 0 of 1. Previous: B's window closed 28 Jan, abandoned; F's closes 8 Feb
    # 00:00, the period's end: open. 1 of 1 = 1.0 (was blank: the period holds no purchase event).
    assert checkout_tiles(shop) == (0.0, 1.0)
    # Channel app: the same periods; B in the previous one, 1 of 1; nothing in the current one.
    value, previous = checkout_tiles(views.filtered(shop, Filters(channels=("app",))))
    assert pd.isna(value) and previous == 1.0


def test_a_segment_that_never_reached_a_funnel_step_reads_0_there_not_an_unknown_step(shop):
    # Segment silver: B and D viewed and checked out, nobody bought: 2, 2, 0 (as channel app reads 1, 1, 0). Since the
    # segment filter became a semi-join (dac1059) the step check no longer saw through it: "steps: 'purchase' is not
    # an event in this dataset. Known events: checkout_started, product_view".
    from cjm.journey.funnel import compute_funnel

    params = FunnelParams(steps=STEPS, step_kind="event")
    silver = views.filtered(shop, Filters(segments=("silver",)))
    assert compute_funnel(silver, params=params)["customers"].tolist() == [2, 2, 0]
    # Silver + web + 10 Jan..2 Mar: D's web view 1 Mar alone (its checkout was by email, 3 Mar): 1, 0, 0.
    narrow = views.filtered(shop, Filters(segments=("silver",), channels=("web",), start="2025-01-10", end="2025-03-02"))
    assert compute_funnel(narrow, params=params)["customers"].tolist() == [1, 0, 0]


# --- (a) the satisfaction scale sat10 -------------------------------------------------------------------------

def survey(question: str, answers, prefix: str = "R") -> str:
    return f"ResponseId,RecordedDate,{question}\n" + "".join(
        f"{prefix}_{i},2024-01-{1 + i:02d},{a}\n" for i, a in enumerate(answers))


def overall(dataset) -> dict:
    from cjm import report

    return report.build_report(dataset)["sentiment"]["overall"]


def agrees(got: dict, expected: dict) -> bool:
    same = lambda a, b: (a is None and b is None) or (a is not None and b is not None and a == pytest.approx(b))  # noqa: E731
    return got["scale"] == expected["scale"] and got["n"] == expected["n"] and all(
        same(got[k], expected[k]) for k in ("mean", "nps", "csat"))


@pytest.mark.parametrize("question, answers, scale", [
    # 0, 5, 10: -1, 0, 1, mean 0; a 0 is an answer of the 0..10 scale, not one outside 1..5
    ("Satisfaction", [0, 5, 10], "sat10"),
    # only 6..10 (no answer below 6): 0.2, 0.6, 1, mean 0.6; no NPS (it would have read 1 promoter of 3 as 33.3 - 0)
    ("Overall satisfaction", [6, 8, 10], "sat10"),
    # within 1..5: a CSAT rating, (r - 3) / 2: -1, 0.5, 1, mean 1/6; CSAT 4-5: 2 of 3
    ("Satisfaction", [1, 4, 5], "rating5"),
    # 'Customer Satisfaction Score' 1..10: named CSAT (1..5), but answered to 10: -0.8, 0.4, 1, mean 0.2
    ("Customer Satisfaction Score", [1, 7, 10], "sat10"),
    # 'CSAT' 1..10: the same; it was read by its range as NPS 0..10: 'NPS' 1 promoter - 1 detractor of 3 = 0
    ("CSAT", [1, 7, 10], "sat10"),
    # decimals 5.5, 7.5: 0.1, 0.5, mean 0.3
    ("Satisfaction", [5.5, 7.5], "sat10"),
    # the recommend question stays NPS: 10, 9, 7, 3: promoters 2, detractors 1 of 4: 25
    ("How likely are you to recommend us to a friend?", [10, 9, 7, 3], "nps10"),
])
def test_a_score_column_is_read_on_the_scale_the_reference_reads_from_its_name_and_answers(question, answers, scale):
    values = pd.Series(answers, dtype="float64")
    assert ref.scale_of(question, values) == scale
    assert agrees(overall(load(survey(question, answers))), ref.overall(values, scale))


def test_read_in_place_a_csat_column_answered_to_10_is_satisfaction_0_10_too(tmp_path):
    # 1, 7, 10 on sat10: mean 0.2, no NPS (was nps10: 'NPS' 0).
    from cjm.data.source import dataset_from_files

    path = tmp_path / "csat.csv"
    path.write_text(survey("CSAT", [1, 7, 10]))
    dataset = dataset_from_files(str(path))
    assert dataset.score_scale == "sat10"
    assert agrees(overall(dataset), ref.overall(pd.Series([1.0, 7.0, 10.0]), "sat10"))


def test_sat10_answers_0_to_4_are_negative_5_neutral_6_to_10_positive():
    from cjm.voice.sentiment import compute_signals

    answers = [0, 4, 5, 6, 10]
    signals = compute_signals(load(survey("How satisfied were you?", answers))).sort_values("timestamp")
    expected = ref.sentiment(pd.Series(answers), "sat10")  # -1, -0.2, 0, 0.2, 1
    assert signals["value"].tolist() == pytest.approx(expected.tolist())
    assert signals["label"].tolist() == ref.labels(expected).tolist() == [
        "negative", "negative", "neutral", "positive", "positive"]


@pytest.mark.parametrize("header", [
    "How likely are you to recommend us?,Overall satisfaction", "Overall satisfaction,How likely are you to recommend us?"])
def test_beside_the_recommend_question_a_satisfaction_question_does_not_take_the_score_whatever_the_column_order(header):
    # R1 recommend 10 / satisfaction 3, R2 3 / 8, R3 9 / 9. The score is the recommend question: NPS promoters 10, 9,
    # detractor 3: (2 - 1) / 3 = 33.3; mean (1 - 0.4 + 0.8) / 3 = 0.467. With the satisfaction question first it took
    # the score (a tie of ranks decided by the order): sat10, mean 0.333, no NPS.
    rows = {"How likely are you to recommend us?": [10, 3, 9], "Overall satisfaction": [3, 8, 9]}
    first, second = header.split(",")
    text = f"ResponseId,RecordedDate,{header}\n" + "".join(
        f"R{i},2024-01-0{i + 1},{rows[first][i]},{rows[second][i]}\n" for i in range(3))
    got = overall(load(text))
    assert agrees(got, ref.overall(pd.Series(rows["How likely are you to recommend us?"], dtype="float64"), "nps10"))


def test_two_files_one_sat10_and_one_csat_rating_are_each_read_on_their_own_scale():
    # f0 'Satisfaction' 2, 9 (sat10): -0.6, 0.8; f1 'Satisfaction' 1, 5 (rating5): -1, 1. Mean 0.2 / 4 = 0.05; CSAT
    # over the 1..5 answers: 1 of 2; no NPS. In either order.
    for texts in ((survey("Satisfaction", [2, 9]), survey("Satisfaction", [1, 5], "S")),
                  (survey("Satisfaction", [1, 5], "S"), survey("Satisfaction", [2, 9]))):
        got = overall(load(*texts))
        assert got["n"] == 4 and got["mean"] == pytest.approx(0.05)
        assert got["nps"] is None and got["csat"] == pytest.approx(0.5)


def test_a_satisfaction_comment_beside_a_satisfaction_question_is_no_score():
    # 'Satisfaction comment' holds text; the score is 'How satisfied were you? (0-10)': 9, 2: 0.8, -0.6, mean 0.1.
    text = ("ResponseId,RecordedDate,Satisfaction comment,How satisfied were you? (0-10)\n"
            "R1,2024-01-01,great,9\nR2,2024-01-02,bad,2\n")
    got = overall(load(text))
    assert got["scale"] == "sat10" and got["n"] == 2 and got["mean"] == pytest.approx(0.1)


def customers_tiles(view) -> tuple[float, float]:
    row = compute_kpis(view, params=KpiParams("30d")).set_index("name").loc["customers"]
    return float(row["value"]), float(row["previous"])


@pytest.mark.parametrize("filters, figures", [
    # whole data: [8 Feb, 10 Mar) C, D, E against [9 Jan, 8 Feb) B, F (A's events are 5 Jan): 3, 2
    (Filters(), (3, 2)),
    # to 28 Feb (cut 1 Mar): 5 Jan..1 Mar is 55 days, halves of 27.5 days: [1 Feb 12:00, 1 Mar) C; [5 Jan, 1 Feb 12:00)
    # A, B, F: 1, 3
    (Filters(end="2025-02-28"), (1, 3)),
    # channel app: the data's periods; B (20-21 Jan) in the previous one: 0, 1
    (Filters(channels=("app",)), (0, 1)),
    # channel email: D's 3 Mar checkout: 1, 0
    (Filters(channels=("email",)), (1, 0)),
    # segment gold: C, E against F: 2, 1
    (Filters(segments=("gold",)), (2, 1)),
    # silver + web + 10 Jan..2 Mar: the loaded data from 10 Jan (first B 20 Jan 23:30, day 20 Jan) to the cut 3 Mar:
    # 42 days, halves of 21: [10 Feb, 3 Mar) D's 1 Mar web view; [20 Jan, 10 Feb) nobody of silver by web: 1, 0
    (Filters(segments=("silver",), channels=("web",), start="2025-01-10", end="2025-03-02"), (1, 0)),
    # from 1 Feb: first event F's checkout 1 Feb 00:00; [1 Feb, 10 Mar) is 37 days, halved at 19 Feb 12:00: D, E
    # against F, C: 2, 2
    (Filters(start="2025-02-01"), (2, 2)),
])
def test_the_overviews_customers_tiles_under_filters_are_the_references(shop, shop_events, filters, figures):
    view = views.filtered(shop, filters)
    seen = engine.execute(view.events.select("customer_id", "timestamp"))
    _, _, now, before = ref.last_30_days(shop_events, seen, start=filters.start, end=filters.end)
    assert customers_tiles(view) == (float(now), float(before)) == tuple(map(float, figures))


ZONED = """\
customer_id,event_time,event
Z1,2025-03-01T10:00:00+02:00,product_view
Z1,2025-03-08T23:30:00-05:00,checkout_started
Z2,2025-03-09T01:00:00+02:00,product_view
Z3,2025-03-09T00:00:00Z,product_view
"""


def test_a_date_filter_cuts_at_utc_midnight_whatever_zone_the_times_were_written_in():
    # In UTC: Z1 1 Mar 08:00, checkout 9 Mar 04:30; Z2 8 Mar 23:00; Z3 9 Mar 00:00 exactly. The range to 8 Mar ends at
    # 9 Mar 00:00 UTC: Z2's view (9 Mar 01:00 where it was written) is inside it, Z1's checkout (8 Mar 23:30 where it
    # was written) after it. The data goes on, so the data ends at the cut, 9 Mar 00:00, as the reference reads it.
    zoned = load(ZONED)
    events = engine.execute(zoned.events.select("customer_id", "timestamp"))
    view = views.filtered(zoned, Filters(end="2025-03-08"))
    assert views.data_end(view) == ref.data_end(events, end="2025-03-08") == pd.Timestamp("2025-03-09", tz=UTC)
    assert sorted(view_events(view)["customer_id"]) == ["Z1", "Z2"]
    assert views.end_phrase(view) == "the end of the chosen range (8 Mar 2025)"


def test_an_event_exactly_at_the_ranges_cut_lies_after_the_range_and_ends_the_data_there():
    # Without Z1's checkout the last event is Z3's at 9 Mar 00:00, the cut of a range to 8 Mar: outside the range (its
    # end is excluded), so the data goes on after it and the range's end is the end of the data.
    zoned = load(ZONED.replace("Z1,2025-03-08T23:30:00-05:00,checkout_started\n", ""))
    view = views.filtered(zoned, Filters(end="2025-03-08"))
    assert views.data_end(view) == pd.Timestamp("2025-03-09", tz=UTC)
    assert "Z3" not in set(view_events(view)["customer_id"])
    assert views.end_phrase(view) == "the end of the chosen range (8 Mar 2025)"


def test_beside_the_recommend_question_a_column_named_satisfaction_does_not_take_the_score_either():
    # NPS: promoters 10, 9, detractor 3 of 3: 33.3.
    text = ("ResponseId,RecordedDate,How likely are you to recommend us?,Satisfaction\n"
            "R1,2024-01-01,10,3\nR2,2024-01-02,3,8\nR3,2024-01-03,9,9\n")
    got = overall(load(text))
    assert got["scale"] == "nps10" and got["nps"] == pytest.approx(100 / 3)


# --- the seeded demo ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo():
    from cjm.data.dataset import load_dataset

    return load_dataset(["data/demo_events.csv.gz", "data/demo_customers.csv"])


@pytest.mark.parametrize("filters, customers, checkouts", [
    # the demo runs 1 May 2025 07:44 to 30 Apr 2026 23:45 (UTC): the last 30 days [1 Apr, 1 May) 492, before 252;
    # checkout 246 abandoned of 997 closed, 6 in progress (review 38's figures)
    (Filters(), (492, 252), (246, 997, 6)),
    # to 21 Mar 2026: the data ends at 22 Mar 00:00; [20 Feb, 22 Mar) 276, [21 Jan, 20 Feb) 263; checkout 221 of 882, 5
    (Filters(end="2026-03-21"), (276, 263), (221, 882, 5)),
    # web, 30 Jan..21 Mar: the loaded data from 30 Jan to the cut 22 Mar, 51 days in halves; 127 vs 120; checkout 22
    # of 85 closed, 6 in progress (a repeat_purchase is a purchase, as cjm.data.purchases names it)
    (Filters(channels=("web",), start="2026-01-30", end="2026-03-21"), (127, 120), (22, 85, 6)),
    # mobile: the data's periods: 311 vs 139; checkout 101 of 370, 4
    (Filters(devices=("mobile",)), (311, 139), (101, 370, 4)),
])
def test_the_demo_under_filters_agrees_with_the_reference(demo, filters, customers, checkouts):
    events = engine.execute(demo.events.select("customer_id", "timestamp", "event"))
    view = views.filtered(demo, filters)
    seen = view_events(view)
    end = ref.data_end(events, start=filters.start, end=filters.end)
    assert views.data_end(view) == end
    _, _, now, before = ref.last_30_days(events, seen, start=filters.start, end=filters.end)
    assert customers_tiles(view) == (now, before) == customers
    expected = r38.checkout_abandonment_two_step(seen, WEEK, checkout={"checkout_started"},
                                                 purchase={"purchase", "repeat_purchase"}, data_end=end)
    assert checkout(view) == (expected["abandoned"], expected["closed"], expected["in_progress"]) == checkouts


def test_the_demos_store_channel_whose_last_event_is_5_days_before_the_end_uses_the_datas_periods(demo):
    # store's last event is 25 Apr 2026 10:27; the data's, 30 Apr 23:45: [1 Apr, 1 May) 5 store customers, before 8.
    store = views.filtered(demo, Filters(channels=("store",)))
    assert views.data_end(store) == pd.Timestamp("2026-04-30 23:45:20", tz=UTC)
    assert customers_tiles(store) == (5.0, 8.0)


def test_a_view_holding_carts_and_no_checkout_is_still_judged_from_the_checkout_as_the_data_is():
    # The data has checkout events (a: cart, checkout, purchase on the web). Under the app channel only b's cart is
    # left: before, the view was judged from the cart ('Cart abandonment', b abandoned, 1 of 1); the data's rule is
    # the checkout, and nobody started one on the app: 0 started, no rate.
    dataset = load("customer_id,timestamp,event,channel\n"
                   "a,2025-01-01 10:00,add_to_cart,web\na,2025-01-01 10:05,checkout_started,web\n"
                   "a,2025-01-01 10:10,purchase,web\nb,2025-01-02 10:00,add_to_cart,app\n"
                   "c,2025-02-20 10:00,product_view,web\n")
    whole = compute_checkout_abandonment(dataset)
    assert (whole["started"], whole["purchased"]) == (1, 1)
    app = compute_checkout_abandonment(views.filtered(dataset, Filters(channels=("app",))))
    assert app["started"] == 0 and app["rate"] is None
