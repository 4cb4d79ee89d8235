"""The end of the data under the dashboard filters (DESIGN.md section 4; cjm.data.views.data_end): a date filter shows
the data as of its range, so the range's end (the midnight after its end date) ends the data when the data goes on
after it; a segment's customers, and a channel's or a device's events, are judged by the end of the loaded data they
were taken from (seen through the date filter), not by the view's own last event. The Overview's default period is
placed on that end, so two segments' or two channels' tiles compare the same calendar periods.

The hand-made export STORE (all times UTC):

  C1  product_view 1 Jan 2025 10:00, purchase 1 Jan 10:05   web     segment early
  C2  product_view 10 Feb 12:00                             web     segment early
  C3  product_view 20 Mar 09:00, purchase 20 Mar 09:30      web     segment late
  C4  product_view 31 Mar 18:00                             email   segment late
  (QUIET adds C1 product_view 1 Jan 10:02 by sms: a channel whose only event is in January)

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
from cjm.journey.funnel import FunnelParams
from cjm.journey.gap_periods import compare_gap_periods
from cjm.journey.gaps import GapParams
from cjm.journey.kpi_period import KpiParams
from cjm.journey.kpis import compute_kpis
from cjm.journey.periods import compare_periods
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
QUIET = STORE + "C1,2025-01-01T10:02:00Z,product_view,sms\n"
SEGMENTS = pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C4"], "persona": ["early", "early", "late", "late"]})
UTC = "UTC"
CHECKOUTS = """\
customer_id,event_time,event,channel
D1,2025-01-01T10:00:00Z,checkout_started,web
D4,2025-01-01T11:00:00Z,checkout_started,web
D4,2025-01-01T11:30:00Z,purchase,web
D2,2025-01-20T10:00:00Z,checkout_started,email
D2,2025-01-21T10:00:00Z,purchase,email
D3,2025-01-31T12:00:00Z,product_view,email
"""


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


def test_two_channels_tiles_compare_the_same_calendar_periods_of_the_data_for_their_segments_too(store):
    # Channel web (C1, C2, C3; its events end with C3's purchase, 20 Mar 09:30) read its own last event: [19 Feb,
    # 21 Mar) against [20 Jan, 19 Feb), while email (C4 alone, 31 Mar) read halves of its minute. Placed on the data's
    # end, both compare the data's [2 Mar, 1 Apr) with [31 Jan, 2 Mar): web C3 against C2, email C4 against nobody.
    web = views.filtered(store, Filters(channels=("web",)))
    assert tiles(web) == ("2 Mar 2025 – 31 Mar 2025", "31 Jan 2025 – 1 Mar 2025", 1.0, 1.0)
    email = views.filtered(store, Filters(channels=("email",)))
    assert tiles(email) == ("2 Mar 2025 – 31 Mar 2025", "31 Jan 2025 – 1 Mar 2025", 1.0, 0.0)
    # Segment late under the web filter: C3 in March, nobody before; early under it: nobody in March, C2 before.
    late_web = views.filtered(store, Filters(channels=("web",), segments=("late",)))
    assert tiles(late_web) == ("2 Mar 2025 – 31 Mar 2025", "31 Jan 2025 – 1 Mar 2025", 1.0, 0.0)
    early_web = views.filtered(store, Filters(channels=("web",), segments=("early",)))
    assert tiles(early_web) == ("2 Mar 2025 – 31 Mar 2025", "31 Jan 2025 – 1 Mar 2025", 0.0, 1.0)


def test_a_channel_quiet_in_the_datas_last_30_days_shows_0_customers_not_a_period_of_its_own():
    # QUIET: channel sms holds C1's 1 Jan 10:02 alone. On its own event it showed "1 Jan 2025 10:02 - 1 Jan 2025
    # 10:03 UTC", 1 customer, nothing to compare (data within one minute). The data's periods hold no sms event.
    quiet = views.with_segments(load_texts(QUIET), SEGMENTS)
    sms = views.filtered(quiet, Filters(channels=("sms",)))
    assert views.data_end(sms) == pd.Timestamp("2025-03-31 18:00", tz=UTC)
    assert tiles(sms) == ("2 Mar 2025 – 31 Mar 2025", "31 Jan 2025 – 1 Mar 2025", 0.0, 0.0)
    assert views.end_source(sms) is not sms and views.range_end_of(sms) is None  # the loaded data, no range


def test_a_device_filters_data_ends_where_the_loaded_data_ends():
    # Review 38's SHOP: desktop's last event is A8's view, 29 Jan 12:00; the data ends 31 Jan 00:00 with A12's
    # email_open on mobile.
    desktop = views.filtered(load_texts(SHOP), Filters(devices=("desktop",)))
    assert views.data_end(desktop) == pd.Timestamp("2025-01-31", tz=UTC)


def test_a_channel_customers_checkout_whose_window_closed_before_the_datas_end_is_closed_whatever_came_later():
    # By web: D1's checkout 1 Jan 10:00, no purchase (7-day window closed 8 Jan 10:00); D4's checkout 1 Jan 11:00,
    # bought 11:30 (window closed 8 Jan 11:00). By email: D2 checked out 20 Jan 10:00, bought 21 Jan (window closed
    # 27 Jan 10:00); D3's view, 31 Jan 12:00, ends the data.
    # Whole data: D1 abandoned, D2 and D4 bought: 1 of 3.
    # Web: the channel's own last event (D4's purchase, 1 Jan 11:30) left both windows open: D1 in progress, D4 in
    # neither count, no rate. The data was recorded to 31 Jan 12:00 and no web purchase came in D1's window:
    # abandoned; D4 bought, its window closed: 1 of 2.
    shop = load_texts(CHECKOUTS)
    whole = compute_checkout_abandonment(shop)
    assert (whole["abandoned"], whole["closed"]) == (1, 3)
    web = views.filtered(shop, Filters(channels=("web",)))
    assert views.data_end(web) == pd.Timestamp("2025-01-31 12:00", tz=UTC)
    page = compute_checkout_abandonment(web)
    assert (page["abandoned"], page["in_progress"], page["closed"], page["rate"]) == (1, 0, 2, 0.5)
    # The Overview's tile for January agrees: its period ends 1 Feb, the data 31 Jan 12:00, sooner: both closed.
    tile = compute_kpis(web, period=("2025-01-01", "2025-02-01")).set_index("name").loc["checkout_abandonment"]
    assert tile["value"] == 0.5


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


def test_without_an_end_date_a_segment_a_channel_or_a_device_the_views_own_last_event_ends_the_data_as_before(store):
    # No filter: C4's 31 Mar 18:00. A start date keeps the view's own last event (the same: a start cuts no end) and
    # sets nothing else: this path is untouched.
    assert views.data_end(store) == pd.Timestamp("2025-03-31 18:00", tz=UTC)
    view = views.filtered(store, Filters(start="2025-02-01"))
    assert views.end_source(view) is view and views.range_end_of(view) is None
    assert views.data_end(view) == pd.Timestamp("2025-03-31 18:00", tz=UTC)
    # A channel from 1 Mar: the loaded data seen from 1 Mar (C3, C4) ends it, not web's own 20 Mar 09:30; its first
    # event is C3's 20 Mar 09:00, so the last 30 days are the halves of [20 Mar, 1 Apr): [26 Mar, 1 Apr) against
    # [20 Mar, 26 Mar), as for the whole data from 1 Mar: web C3 before, nobody in the current half.
    web = views.filtered(store, Filters(start="2025-03-01", channels=("web",)))
    assert views.data_end(web) == pd.Timestamp("2025-03-31 18:00", tz=UTC)
    assert tiles(web) == ("26 Mar 2025 – 31 Mar 2025", "20 Mar 2025 – 25 Mar 2025", 0.0, 1.0)


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


# The funnel's and the gaps' period comparisons (cjm.journey.periods, gap_periods): 6-month periods, or the halves of
# the data when it covers less than a year. STORE runs 1 Jan 10:00 - 31 Mar 18:00: its halves end at the midnight
# after the last event, 1 Apr; 1 Jan - 1 Apr is 90 days, halved at 15 Feb: [15 Feb, 1 Apr) against [1 Jan, 15 Feb).
VIEW_BUY = FunnelParams(steps=("product_view", "purchase"), step_kind="event")
HALVES = ((pd.Timestamp("2025-02-15", tz=UTC), pd.Timestamp("2025-04-01", tz=UTC)),
          (pd.Timestamp("2025-01-01", tz=UTC), pd.Timestamp("2025-02-15", tz=UTC)))


def compared(view) -> tuple[tuple, tuple, list[int], list[int]]:
    """(current period, previous period, customers per step in it, in the previous one) of the funnel comparison."""
    table = compare_periods(view, params=VIEW_BUY)
    first = table.iloc[0]
    return ((first["current_start"], first["current_end"]), (first["previous_start"], first["previous_end"]),
            table["customers_current"].tolist(), table["customers_previous"].tolist())


def test_the_funnels_period_comparison_of_two_segments_or_two_channels_compares_the_datas_periods(store):
    # Whole data: C3 (viewed, bought) and C4 (viewed) in the current half, C1 (viewed, bought) and C2 (viewed) before.
    assert compared(store) == (*HALVES, [2, 1], [2, 1])
    # Segment early (C1, C2) read its own span, 1 Jan 10:00 - 10 Feb 12:00: halves [21 Jan 12:00, 11 Feb) against
    # [1 Jan, 21 Jan 12:00). On the data's halves: nobody of early after 15 Feb, C1 and C2 before.
    assert compared(views.filtered(store, Filters(segments=("early",)))) == (*HALVES, [0, 0], [2, 1])
    # Channel web (C1, C2, C3) read 1 Jan 10:00 - 20 Mar 09:30: [10 Feb 12:00, 21 Mar) against [1 Jan, 10 Feb 12:00).
    # On the data's halves: C3 viewed and bought after 15 Feb; C1 (bought) and C2 before.
    assert compared(views.filtered(store, Filters(channels=("web",)))) == (*HALVES, [1, 1], [2, 1])
    # Channel email (C4 alone, 31 Mar 18:00) had no earlier half at all (data within one minute: refused).
    assert compared(views.filtered(store, Filters(channels=("email",)))) == (*HALVES, [1, 0], [0, 0])


def test_the_funnels_period_comparison_under_a_date_filter_ends_at_the_midnight_after_its_end_date(store):
    # Range up to 1 Mar: seen to 2 Mar 00:00, from 1 Jan (60 days): halves [31 Jan, 2 Mar) (C2 viewed) against
    # [1 Jan, 31 Jan) (C1 viewed and bought). The view's own last event (C2's 10 Feb 12:00) placed them at
    # [21 Jan 12:00, 11 Feb) against [1 Jan, 21 Jan 12:00).
    march = views.filtered(store, Filters(end="2025-03-01"))
    assert compared(march) == ((pd.Timestamp("2025-01-31", tz=UTC), pd.Timestamp("2025-03-02", tz=UTC)),
                               (pd.Timestamp("2025-01-01", tz=UTC), pd.Timestamp("2025-01-31", tz=UTC)), [1, 0], [1, 1])


def test_the_gaps_period_comparison_of_a_segment_compares_the_datas_periods(store):
    # The gaps' periods are the funnel comparison's: segment late's own span (20 Mar 09:00 - 31 Mar 18:00, halved at
    # 26 Mar) gave [26 Mar, 1 Apr) against [20 Mar, 26 Mar); it now compares the data's halves. Nobody switched
    # channel inside a half (C1..C4 each used one channel), so no switch is listed.
    late = views.filtered(store, Filters(segments=("late",)))
    found = compare_gap_periods(late, params=GapParams(dimension="channel", min_customers=1))
    assert found.empty
    assert found.attrs["periods"] == {"current": HALVES[0], "previous": HALVES[1]}


# Words: where a date filter's end cut the data, the interface says "at the end of the chosen range (D Mon YYYY)".
def test_the_end_is_called_the_end_of_the_chosen_range_only_when_a_date_filters_end_cut_the_data(store):
    # Range up to 1 Mar: the data goes on to 31 Mar, so the range's end ends it. Up to 31 Dec: the data ended
    # first (31 Mar 18:00), as with no filter, a segment or a channel.
    assert views.end_phrase(views.filtered(store, Filters(end="2025-03-01"))) == \
        "the end of the chosen range (1 Mar 2025)"
    for filters in [Filters(end="2025-12-31"), Filters(), Filters(segments=("early",)), Filters(channels=("web",))]:
        assert views.end_phrase(views.filtered(store, filters)) == "the end of the data"


def test_the_checkout_sentence_under_a_date_filter_says_the_window_is_open_at_the_end_of_the_chosen_range():
    # Review 38's SHOP, range 1-14 Jan (seen to 15 Jan 00:00; the data goes on to 31 Jan). Checkouts: A1 (bought,
    # window closed 8 Jan), A2 (none bought, closed 9 Jan: abandoned), A3 (bought, closed 10 Jan), A7 (its purchase
    # came before the checkout, closed 13 Jan 10:03: abandoned), A13 (bought at the checkout's second, closed 14 Jan
    # 10:02), A6 (13 Jan 00:01, open to 20 Jan: in progress). 2 abandoned of 5 closed = 40.0%.
    from cjm.ui.funnel import checkout_sentence

    view = views.filtered(load_texts(SHOP), Filters(start="2025-01-01", end="2025-01-14"))
    assert checkout_sentence(compute_checkout_abandonment(view), end=views.end_phrase(view)) == (
        "**40.0%** of the 5 customers whose checkout window has closed abandoned (2 abandoned, 3 purchased); not "
        "counted, their checkout window still open at the end of the chosen range (14 Jan 2025): 1 still in progress.")
