"""Review 4, the journey map's KPI lane against hand-counted journeys (DESIGN.md sections 4 and 5).

The stage funnel over the stages present (awareness -> consideration -> conversion -> retention), window 7
days from entry: every awareness event starts an attempt; a customer counts once, at the furthest step of
their deepest attempt (the earliest among equally deep ones); a drop-off is "in progress" when the counted
attempt's window (entry + 7 days) is at or after the end of the whole data.
"""

import pandas as pd

from cjm.customers.features import compute_customer_features
from cjm.data import views
from cjm.data.filters import Filters
from cjm.journey.abandonment import compute_abandonment, compute_checkout_abandonment
from cjm.journey.funnel import FunnelParams
from cjm.maps.current import build_current_map
from cjm.voice.risk import compute_risk_features
from tests.helpers import dataset

MAPPED = {"ad_click": "awareness", "product_view": "consideration", "purchase": "conversion",
          "repeat_purchase": "retention"}
# End of the data: I's product_view, 30 Jan 12:00.
JOURNEYS = [
    ("A", "2024-01-01 10:00", "ad_click"), ("A", "2024-01-02 10:00", "product_view"),
    ("A", "2024-01-03 10:00", "purchase"), ("A", "2024-01-05 10:00", "repeat_purchase"),  # all 4 steps
    ("B", "2024-01-01 10:00", "ad_click"), ("B", "2024-01-02 10:00", "product_view"),  # 2 steps, closed
    ("C", "2024-01-01 10:00", "ad_click"),  # 1 step, window closed 8 Jan
    ("D", "2024-01-28 10:00", "ad_click"),  # 1 step, window open until 4 Feb: in progress
    ("E", "2024-01-01 10:00", "ad_click"), ("E", "2024-01-10 10:00", "product_view"),  # view after the window: 1
    ("F", "2024-01-05 10:00", "product_view"), ("F", "2024-01-06 10:00", "purchase"),  # never entered the funnel
    ("G", "2024-01-03 10:00", "newsletter"),  # an unmapped event only
    ("H", "2024-01-01 10:00", "ad_click"), ("H", "2024-01-01 10:00", "product_view"),  # a tie: 2 steps, closed
    ("I", "2024-01-29 10:00", "ad_click"), ("I", "2024-01-30 12:00", "product_view"),  # 2 steps, open
    ("K", "2024-01-02 10:00", "ad_click"), ("K", "2024-01-03 10:00", "purchase"),  # skips consideration: 1
    ("L", "2024-01-01 10:00", "ad_click"), ("L", "2024-01-27 10:00", "ad_click"),
    ("L", "2024-01-28 10:00", "product_view"),  # deepest attempt is 27 Jan's: 2 steps, open
    ("M", "2024-01-01 10:00", "ad_click"), ("M", "2024-01-02 10:00", "product_view"),
    ("M", "2024-01-29 10:00", "ad_click"),  # counted on 1 Jan's attempt (deeper): 2 steps, closed
]


def _map(rows=JOURNEYS, **kwargs):
    return build_current_map(dataset(rows, stages=MAPPED, customers=kwargs.pop("customers", None)), **kwargs)


def test_customers_reached_counts_anyone_with_an_event_at_the_stage_out_of_all_customers():
    jm = _map()
    # 12 customers (G too); awareness A B C D E H I K L M = 10; consideration A B E F H I L M = 8;
    # conversion A F K = 3; retention A = 1
    assert [jm.cell("reached", s).value for s in ("awareness", "consideration", "conversion", "retention")] == [
        "10 (83.3%)", "8 (66.7%)", "3 (25.0%)", "1 (8.3%)"]
    assert jm.baseline["customers"] == 12


def test_conversion_cells_state_the_stage_funnels_own_base():
    jm = _map()
    # funnel: 10 at awareness; consideration A B H I L M = 6 (E after the window, K skipped it); conversion A;
    # retention A. 6 / 10 = 60.0%, 1 / 6 = 16.7%, 1 / 1 = 100.0%
    assert jm.cell("conversion", "awareness").value == "60.0% of 10 to consideration"
    assert jm.cell("conversion", "consideration").value == "16.7% of 6 to conversion"
    assert jm.cell("conversion", "conversion").value == "100.0% of 1 to retention"
    assert not jm.cell("conversion", "retention").value  # the last stage has no next stage
    assert jm.baseline["funnel_customers"] == [10, 6, 1, 1]


def test_drop_off_cells_count_who_stopped_and_how_many_of_them_are_still_in_progress():
    jm = _map()
    # awareness: 10 - 6 = 4 stopped (C, D, E, K), 40.0%; D's window is open at the end of the data
    assert jm.cell("dropoff", "awareness").value == "4 of 10 (40.0%)\n1 of them still in progress"
    # consideration: 6 - 1 = 5 stopped (B, H, I, L, M), 83.3%; I and L open; M's newer, shallower attempt
    # of 29 Jan does not make its drop-off of 1 Jan's attempt "in progress"
    assert jm.cell("dropoff", "consideration").value == "5 of 6 (83.3%)\n2 of them still in progress"
    assert jm.cell("dropoff", "conversion").value == "0 of 1 (0.0%)"
    assert jm.cell("dropoff", "consideration").number == 5.0


def test_median_time_in_awareness_is_over_customers_who_moved_on():
    # first awareness event -> first later-stage event at or after it, in days: A 1, B 1, E 9, H 0 (tie),
    # I 26 h, K 1, L 27 (1 Jan to 28 Jan), M 1; C and D never moved on. Sorted 0 1 1 1 1 1.08 9 27:
    # median of 8 = (1 + 1) / 2 = 1 day
    cell = _map().cell("time_in_stage", "awareness")
    assert cell.number == 86400.0 and cell.evidence.customers == 8


def test_a_window_that_ends_exactly_at_the_end_of_the_data_is_still_in_progress():
    rows = [("X", "2024-01-01 10:00", "ad_click"),  # window ends 8 Jan 10:00 = the end of the data
            ("Y", "2024-01-01 10:00", "ad_click"), ("Y", "2024-01-08 10:00", "product_view")]  # 7 days: inside
    jm = _map(rows)
    assert jm.cell("conversion", "awareness").value == "50.0% of 2 to consideration"
    assert jm.cell("dropoff", "awareness").value == "1 of 2 (50.0%)\n1 of them still in progress"


def test_a_segments_drop_off_is_in_progress_by_the_whole_datas_end_not_the_segments():
    # segment "late" = N (ad 19 Jan, purchase 20 Jan) and N2 (ad 20 Jan only). The segment's own last event is
    # 20 Jan (N2's window, to 27 Jan, would look open); the data ends 30 Jan: N2 has abandoned.
    rows = JOURNEYS + [("N", "2024-01-19 10:00", "ad_click"), ("N", "2024-01-20 10:00", "purchase"),
                       ("N2", "2024-01-20 10:00", "ad_click")]
    jm = _map(rows, segment="late", customers=pd.DataFrame({"customer_id": ["N", "N2"], "segment": ["late"] * 2}))
    assert jm.cell("reached", "awareness").value == "2 (100.0%)"
    assert jm.cell("conversion", "awareness").value == "50.0% of 2 to conversion"
    assert jm.cell("dropoff", "awareness").value == "1 of 2 (50.0%)"


def test_pain_point_cells_count_the_themes_comments_written_at_each_stage():
    columns = ("customer_id", "timestamp", "event", "score", "text")
    rows = [(f"p{i}", f"2024-01-0{i + 1} 10:00", "product_view", 1, text)  # 3 at consideration, rated 1
            for i, text in enumerate(["delivery was late again", "the delivery was late", "delivery late"])]
    rows += [(f"q{i}", f"2024-01-0{i + 1} 12:00", "purchase", 1, text)  # 2 at conversion, rated 1
             for i, text in enumerate(["delivery was late", "delivery late for my order"])]
    rows += [("r", "2024-01-09 12:00", "purchase", 5, "delivery late but fine"),  # rated 5: not a complaint
             ("s", "2024-01-09 13:00", "ad_click", None, "love the ads")]
    jm = build_current_map(dataset(rows, columns, stages=MAPPED))
    consideration, conversion = jm.cell("pain_points", "consideration"), jm.cell("pain_points", "conversion")
    assert consideration.value.endswith("(3 comments)") and consideration.evidence.comments == 3
    assert conversion.value.endswith("(2 comments)") and conversion.evidence.comments == 2
    assert not jm.cell("pain_points", "awareness").value


def _late_segment():
    # N: ad 19 Jan, purchase 20 Jan; N2: ad 20 Jan only (segment "late"); Z: ad 30 Jan (the data's end)
    rows = [("N", "2024-01-19 10:00", "ad_click"), ("N", "2024-01-20 10:00", "purchase"),
            ("N2", "2024-01-20 10:00", "ad_click"), ("Z", "2024-01-30 10:00", "ad_click")]
    data = views.with_segments(dataset(rows, stages=MAPPED), pd.DataFrame(
        {"customer_id": ["N", "N2", "Z"], "persona": ["late", "late", "other"]}))
    return data, data.filtered(Filters(segments=("late",)))


def test_under_a_segment_filter_a_drop_off_is_judged_by_the_datas_end_as_on_the_segments_map():
    # N2's window closes 27 Jan, before the data ends (30 Jan): abandoned, not in progress (the segment's own
    # last event, 20 Jan, is not the end of the data). Rate 1 abandoned / (1 reached + 1 abandoned) = 50%
    data, view = _late_segment()
    table = compute_abandonment(view, params=FunnelParams(steps=("awareness", "conversion"), step_kind="stage",
                                                          window_seconds=7 * 86400)).iloc[0]
    assert (table["abandoned"], table["in_progress"], table["abandonment_rate"]) == (1, 0, 0.5)
    assert build_current_map(view).cell("dropoff", "awareness").value == "1 of 2 (50.0%)"
    assert build_current_map(data, segment="late").cell("dropoff", "awareness").value == "1 of 2 (50.0%)"


def test_under_a_date_filter_the_end_of_the_data_is_the_filters_end():
    # the filter to 20 Jan cuts the journeys there: N2's window (to 27 Jan) is open at the end of that data
    data, _ = _late_segment()
    view = data.filtered(Filters(end="2024-01-20", segments=("late",)))
    table = compute_abandonment(view, params=FunnelParams(steps=("awareness", "conversion"), step_kind="stage",
                                                          window_seconds=7 * 86400)).iloc[0]
    assert (table["abandoned"], table["in_progress"]) == (0, 1)


def test_under_a_segment_filter_recency_counts_to_the_datas_end():
    # N2's last event 20 Jan 10:00, the data's end 30 Jan 10:00: 10 days since they were last seen
    _, view = _late_segment()
    risk = compute_risk_features(view).set_index("customer_id")
    assert risk.loc["N2", "recency_days"] == 10.0 and risk.loc["N", "recency_days"] == 10.0


def test_under_a_segment_filter_rfm_recency_counts_to_the_datas_end():
    # as at-risk: N and N2 last seen 20 Jan 10:00, the data ends 30 Jan 10:00: 10 days
    _, view = _late_segment()
    features = compute_customer_features(view)
    assert features.attrs["constant"]["recency_days"] == 10.0  # the same for both: kept as a constant


def test_under_a_segment_filter_checkout_abandonment_is_judged_by_the_datas_end():
    # N checked out 19 Jan and bought 20 Jan; N2 checked out 20 Jan (window to 27 Jan) and never bought; the data
    # ends 30 Jan (Z): N2 abandoned. Both windows closed (N's on 26 Jan): rate 1 / 2 = 50%
    rows = [("N", "2024-01-19 10:00", "checkout_started"), ("N", "2024-01-20 10:00", "purchase"),
            ("N2", "2024-01-20 10:00", "checkout_started"), ("Z", "2024-01-30 10:00", "page_view")]
    data = views.with_segments(dataset(rows), pd.DataFrame(
        {"customer_id": ["N", "N2", "Z"], "persona": ["late", "late", "other"]}))
    found = compute_checkout_abandonment(data.filtered(Filters(segments=("late",))))
    assert found == {"started": 2, "abandoned": 1, "in_progress": 0, "purchased": 1, "closed": 2, "rate": 0.5,
                     "start": "checkout"}
