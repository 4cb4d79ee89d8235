"""The end of the data under the dashboard filters (DESIGN.md section 4; cjm.data.views.data_end): a date filter shows
the data as of its range, so the range's end (the midnight after its end date) ends the data when the data goes on
after it; a segment's customers are judged by the end of the data they were selected from; a channel filter's by the
channel's own last event. The Overview's default period is placed on that end, so two segments' tiles compare the
same periods.

The hand-made export STORE (all times UTC):

  C1  product_view 1 Jan 2025 10:00, purchase 1 Jan 10:05   web     segment early
  C2  product_view 10 Feb 12:00                             web     segment early
  C3  product_view 20 Mar 09:00, purchase 20 Mar 09:30      web     segment late
  C4  product_view 31 Mar 18:00                             email   segment late

The data runs from 1 Jan 10:00 to 31 Mar 18:00. The last 30 days end at the midnight after the last event, 1 Apr:
[2 Mar, 1 Apr), against [31 Jan, 2 Mar) (1 Apr - 60 days = 31 Jan, on or after 1 Jan: two whole periods).
"""

from __future__ import annotations

import pandas as pd
import pytest

from cjm.customers.features import compute_customer_features
from cjm.data import views
from cjm.data.filters import Filters
from cjm.journey.abandonment import compute_checkout_abandonment
from cjm.journey.kpi_period import KpiParams
from cjm.journey.kpis import compute_kpis
from tests.test_review38_abandonment import SHOP, load_texts

STORE = """\
customer_id,event_time,event,channel
C1,2025-01-01T10:00:00Z,product_view,web
C1,2025-01-01T10:05:00Z,purchase,web
C2,2025-02-10T12:00:00Z,product_view,web
C3,2025-03-20T09:00:00Z,product_view,web
C3,2025-03-20T09:30:00Z,purchase,web
C4,2025-03-31T18:00:00Z,product_view,email
"""
SEGMENTS = pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C4"], "persona": ["early", "early", "late", "late"]})
UTC = "UTC"


@pytest.fixture(scope="module")
def store():
    return views.with_segments(load_texts(STORE), SEGMENTS)


def tiles(view) -> tuple[str, str, float, float]:
    """(period, previous period, customers in it, customers in the previous one) of the Overview's last 30 days."""
    table = compute_kpis(view, params=KpiParams("30d")).set_index("name")
    row = table.loc["customers"]
    return row["period"], row["previous_period"], float(row["value"]), float(row["previous"])


def test_two_segments_tiles_compare_the_last_30_days_of_the_data_not_each_segments_own(store):
    # The whole data: [2 Mar, 1 Apr) holds C3, C4; [31 Jan, 2 Mar) holds C2.
    assert tiles(store) == ("2 Mar 2025 – 31 Mar 2025", "31 Jan 2025 – 1 Mar 2025", 2.0, 1.0)
    # Segment early (C1, C2) read its own last event (10 Feb 12:00): halves of 1 Jan - 11 Feb, [21 Jan 12:00, 11 Feb)
    # against [1 Jan, 21 Jan 12:00), 1 customer each. Placed on the data's end it is the data's periods: nobody of
    # early came in March, C2 in the 30 days before.
    early = views.filtered(store, Filters(segments=("early",)))
    assert tiles(early) == ("2 Mar 2025 – 31 Mar 2025", "31 Jan 2025 – 1 Mar 2025", 0.0, 1.0)
    # Segment late (C3, C4) read 20 Mar - 1 Apr, halved at 26 Mar: C4 against C3. The data's periods: both in March.
    late = views.filtered(store, Filters(segments=("late",)))
    assert tiles(late) == ("2 Mar 2025 – 31 Mar 2025", "31 Jan 2025 – 1 Mar 2025", 2.0, 0.0)


def test_a_channel_filters_period_ends_after_the_channels_last_event_for_its_segments_too(store):
    # Channel web: its events end with C3's purchase, 20 Mar 09:30 (C4 came by e-mail): [19 Feb, 21 Mar) holds C3,
    # [20 Jan, 19 Feb) C2 (21 Mar - 60 days = 20 Jan, on or after 1 Jan). Segment late under the same channel filter
    # compares the same periods (not its own span, 20 Mar alone): C3, and nobody before.
    web = views.filtered(store, Filters(channels=("web",)))
    assert tiles(web) == ("19 Feb 2025 – 20 Mar 2025", "20 Jan 2025 – 18 Feb 2025", 1.0, 1.0)
    late_web = views.filtered(store, Filters(channels=("web",), segments=("late",)))
    assert tiles(late_web) == ("19 Feb 2025 – 20 Mar 2025", "20 Jan 2025 – 18 Feb 2025", 1.0, 0.0)


def test_a_date_filters_default_period_ends_at_the_midnight_after_its_end_date_when_the_data_goes_on(store):
    # Range up to 1 Mar: the data goes on to 31 Mar, so the data seen ends 2 Mar 00:00 (not C2's 10 Feb, the view's
    # last event, which placed the period at [21 Jan 12:00, 11 Feb)): [31 Jan, 2 Mar) holds C2, [1 Jan, 31 Jan) C1.
    march = views.filtered(store, Filters(end="2025-03-01"))
    assert views.data_end(march) == pd.Timestamp("2025-03-02", tz=UTC)
    assert tiles(march) == ("31 Jan 2025 – 1 Mar 2025", "1 Jan 2025 – 30 Jan 2025", 1.0, 1.0)
    # A range ending after the data: the data's last event ends it, and the periods are the whole data's.
    year = views.filtered(store, Filters(start="2025-01-01", end="2025-12-31"))
    assert views.data_end(year) == pd.Timestamp("2025-03-31 18:00", tz=UTC)
    assert tiles(year) == tiles(store)


def test_without_an_end_date_or_a_segment_the_views_own_last_event_ends_the_data_as_before(store):
    # No filter: C4's 31 Mar 18:00. A start date or a channel keeps the view's own last event (web: C3's 20 Mar
    # 09:30) and sets nothing else: these paths are untouched.
    assert views.data_end(store) == pd.Timestamp("2025-03-31 18:00", tz=UTC)
    for filters, last in [(Filters(start="2025-02-01"), "2025-03-31 18:00"),
                          (Filters(channels=("web",)), "2025-03-20 09:30")]:
        view = views.filtered(store, filters)
        assert views.end_source(view) is view and views.range_end_of(view) is None
        assert views.data_end(view) == pd.Timestamp(last, tz=UTC)


def test_recency_under_a_date_filter_counts_to_the_end_of_the_range(store):
    # Range up to 1 Mar, seen as of 2 Mar 00:00: C2's last event (10 Feb 12:00) is 19.5 days old, C1's (1 Jan 10:05)
    # 59 days 13 h 55 min = 59.58 days (the view's last event, 10 Feb 12:00, made C2's 0 days).
    features = compute_customer_features(views.filtered(store, Filters(end="2025-03-01")), attributes=False)
    assert features.attrs["as_of"] == "2025-03-02T00:00:00+00:00"
    recency = features.set_index("customer_id")["recency_days"]
    assert recency["C2"] == pytest.approx(19.5)
    assert recency["C1"] == pytest.approx(59 + (13 * 60 + 55) / 1440)


def test_a_segment_under_a_date_filter_is_judged_by_the_ranges_end_when_the_data_goes_on():
    # Review 38's SHOP, segment gold = A7, A13, range 1-14 Jan (end 15 Jan 00:00; the data goes on to 31 Jan).
    # A7's checkout 6 Jan 10:03 closed 13 Jan 10:03 without a purchase: abandoned; A13 bought, its window closed
    # 14 Jan 10:02: 1 of 2. The data's last event inside the range (A6's checkout, 13 Jan 00:01) left both open.
    shop = views.with_segments(load_texts(SHOP), pd.DataFrame({"customer_id": ["A7", "A13"],
                                                               "persona": ["gold", "gold"]}))
    gold = views.filtered(shop, Filters(start="2025-01-01", end="2025-01-14", segments=("gold",)))
    assert views.data_end(gold) == pd.Timestamp("2025-01-15", tz=UTC)
    page = compute_checkout_abandonment(gold)
    assert (page["abandoned"], page["closed"], page["rate"]) == (1, 2, 0.5)
    tile = compute_kpis(gold, period=("2025-01-01", "2025-01-15")).set_index("name").loc["checkout_abandonment"]
    assert tile["value"] == 0.5  # the Overview for the same period agrees


def test_at_risk_recency_under_a_date_filter_counts_to_the_end_of_the_range_as_the_features_do(store):
    # As above: as of 2 Mar 00:00, C2 19.5 days since their last event, C1 59 days 13 h 55 min.
    from cjm.voice.risk import compute_risk_features

    risk = compute_risk_features(views.filtered(store, Filters(end="2025-03-01"))).set_index("customer_id")
    assert risk.loc["C2", "recency_days"] == pytest.approx(19.5)
    assert risk.loc["C1", "recency_days"] == pytest.approx(59 + (13 * 60 + 55) / 1440)
