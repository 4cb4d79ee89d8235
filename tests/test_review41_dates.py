"""Review 41: dates in the dataset's time zone (DESIGN 8; README's sidebar filters and default periods) against
tests/review41_reference.py: the date range keeps the events whose local date in the one zone (or one offset) the
data names is within [start, end]; UTC's dates when it names none or several; the Overview's last 30 days end at
that zone's midnight after the last event."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest

from cjm.data.clock import data_clock
from cjm.data.dataset import SourceFile, load_dataset
from cjm.data.filters import Filters
from cjm.data.views import filtered
from cjm.journey.funnel import FunnelParams, compute_conversion_over_time
from cjm.journey.kpis import compute_kpis
from tests import review41_reference as ref

NY = "America/New_York"

# A New York shop whose file names its zone on every row; times as written on New York's clock (winter -05:00,
# summer -04:00):
# n1 1 Jan 00:30 (05:30 UTC) and 8 Jan 23:30 (04:30 UTC 9 Jan); n2 31 Dec 23:30 (04:30 UTC 1 Jan);
# n3 1 Jul 00:30 (04:30 UTC) and 8 Jul 23:30 (03:30 UTC 9 Jul); n4 9 Jul 00:15 (04:15 UTC 9 Jul);
# n5 9 Jun 00:30 (04:30 UTC 9 Jun); n6 8 Jun 23:30 (03:30 UTC 9 Jun).
# 1-8 Jan keeps n1's two events (not n2's, New Year's Eve in New York); 1-8 Jul keeps n3's two (not n4's, 9 Jul
# in New York though 04:15 UTC is also 9 Jul, nor n3's 8 Jul 23:30 lost as UTC's 9 Jul).
# The last event is n4's 9 Jul 00:15: the last 30 days are 10 Jun 00:00 - 10 Jul 00:00 New York (04:00 UTC):
# n3, n4 (2 customers); n5 (9 Jun) and n6 (8 Jun) are before it. On UTC's days the last day is 9 Jul too (04:15
# UTC): the same [10 Jun, 10 Jul) but at UTC midnights.
ZONED = """customer_id,timestamp,event,time_zone
n1,2025-01-01 00:30,page_view,America/New_York
n1,2025-01-08 23:30,purchase,America/New_York
n2,2024-12-31 23:30,page_view,America/New_York
n3,2025-07-01 00:30,page_view,America/New_York
n3,2025-07-08 23:30,purchase,America/New_York
n4,2025-07-09 00:15,page_view,America/New_York
n5,2025-06-09 00:30,page_view,America/New_York
n6,2025-06-08 23:30,page_view,America/New_York
"""


def dataset(text: str, name: str = "events.csv"):
    return load_dataset([SourceFile(name=name, data=text.encode())])


def reference_events(text: str, zone: str | None = None) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text), dtype={"customer_id": str})
    if zone:
        stamps = pd.to_datetime(frame["timestamp"]).dt.tz_localize(zone).dt.tz_convert("UTC")
    else:
        stamps = pd.to_datetime(frame["timestamp"], utc=True, format="ISO8601")
    frame["timestamp"] = stamps
    return frame


def kept(ds, start: str, end: str) -> list[tuple[str, pd.Timestamp]]:
    view = filtered(ds, Filters(start=start, end=end))
    frame = view.events.select("customer_id", "timestamp").execute()
    stamps = pd.to_datetime(frame["timestamp"], utc=True)
    return sorted(zip(frame["customer_id"], stamps))


def want(frame: pd.DataFrame, start: str, end: str, zone) -> list[tuple[str, pd.Timestamp]]:
    inside = ref.in_date_range(frame, dt.date.fromisoformat(start), dt.date.fromisoformat(end), zone)
    return sorted(zip(inside["customer_id"], inside["timestamp"]))


def test_a_zone_named_on_every_row_gives_the_date_filter_its_days_winter_and_summer():
    ds = dataset(ZONED)
    assert data_clock(ds).tz == NY
    frame = reference_events(ZONED, NY)
    for start, end in [("2025-01-01", "2025-01-08"), ("2025-07-01", "2025-07-08"), ("2025-06-09", "2025-06-09")]:
        assert kept(ds, start, end) == want(frame, start, end, NY), (start, end)
    assert [c for c, _ in kept(ds, "2025-01-01", "2025-01-08")] == ["n1", "n1"]
    assert [c for c, _ in kept(ds, "2025-07-01", "2025-07-08")] == ["n3", "n3"]
    assert [c for c, _ in kept(ds, "2025-06-09", "2025-06-09")] == ["n5"]


def test_the_overviews_last_30_days_end_at_the_zones_midnight_after_the_last_event():
    ds = dataset(ZONED)
    frame = reference_events(ZONED, NY)
    start, end = ref.last_days_period(frame, NY)
    assert (start, end) == (pd.Timestamp("2025-06-10 04:00", tz="UTC"), pd.Timestamp("2025-07-10 04:00", tz="UTC"))
    inside = frame[(frame["timestamp"] >= start) & (frame["timestamp"] < end)]
    kpis = compute_kpis(ds).set_index("name")
    assert kpis.loc["customers", "value"] == inside["customer_id"].nunique() == 2


# One offset on every event (-05:00, a file exported in winter): the days are UTC-05:00's.
# o1 1 Jan 00:30-05:00 (05:30 UTC) and 8 Jan 23:30-05:00 (04:30 UTC 9 Jan); o2 31 Dec 23:30-05:00.
ONE_OFFSET = """customer_id,timestamp,event
o1,2025-01-01T00:30:00-05:00,page_view
o1,2025-01-08T23:30:00-05:00,purchase
o2,2024-12-31T23:30:00-05:00,page_view
o3,2025-01-09T00:10:00-05:00,page_view
"""

# Offsets of two zones (-05:00 and +01:00): the days are UTC's. p1 8 Jan 23:30-05:00 is 9 Jan 04:30 UTC: out of
# 1-8 Jan; p2 9 Jan 00:30+01:00 is 8 Jan 23:30 UTC: in; p3 1 Jan 00:30+01:00 is 31 Dec 23:30 UTC: out; p4 1 Jan
# 00:30-05:00 is 05:30 UTC: in. (The first hand figure kept p3: the hand was wrong, cjm and the reference agreed.)
TWO_OFFSETS = """customer_id,timestamp,event
p1,2025-01-08T23:30:00-05:00,page_view
p2,2025-01-09T00:30:00+01:00,page_view
p3,2025-01-01T00:30:00+01:00,page_view
p4,2025-01-01T00:30:00-05:00,page_view
"""


def test_one_offset_on_every_event_gives_its_days():
    ds = dataset(ONE_OFFSET)
    zone = dt.timezone(dt.timedelta(hours=-5))
    frame = reference_events(ONE_OFFSET)
    got = kept(ds, "2025-01-01", "2025-01-08")
    assert got == want(frame, "2025-01-01", "2025-01-08", zone)
    assert [c for c, _ in got] == ["o1", "o1"]


def test_offsets_of_two_zones_give_utcs_days():
    ds = dataset(TWO_OFFSETS)
    frame = reference_events(TWO_OFFSETS)
    got = kept(ds, "2025-01-01", "2025-01-08")
    assert got == want(frame, "2025-01-01", "2025-01-08", "UTC")
    assert [c for c, _ in got] == ["p2", "p4"]


@pytest.mark.parametrize("seed", [21, 22])
def test_random_new_york_logs_across_the_clock_changes_agree_with_the_reference(seed):
    # times spread over March and November 2025 (both clock changes), 2 days ranged each side of the change
    rng = np.random.default_rng(seed)
    rows = ["customer_id,timestamp,event,time_zone"]
    for base in ("2025-03-06", "2025-10-30"):
        for m in rng.choice(60 * 24 * 8, 60, replace=False):
            t = pd.Timestamp(base) + pd.Timedelta(minutes=int(m))
            if t.month == 3 and t.day == 9 and t.hour == 2:  # the hour New York skips
                continue
            if t.month == 11 and t.day == 2 and t.hour == 1:  # the hour it repeats: ambiguous as written
                continue
            rows.append(f"c{int(rng.integers(15))},{t:%Y-%m-%d %H:%M},page_view,{NY}")
    text = "\n".join(rows) + "\n"
    ds = dataset(text)
    frame = reference_events(text, NY)
    for start, end in [("2025-03-08", "2025-03-10"), ("2025-03-09", "2025-03-09"), ("2025-11-01", "2025-11-03"),
                       ("2025-11-02", "2025-11-02")]:
        assert kept(ds, start, end) == want(frame, start, end, NY), (start, end)


def test_a_period_given_as_dates_is_the_zones_days_for_the_repeat_purchase_rate():
    # A New York shop, March given as ('2025-03-01', '2025-04-01'): New York's midnights (05:00 UTC 1 Mar, 04:00
    # UTC 1 Apr). w bought 10 Mar and 31 Mar 22:00 (02:00 UTC 1 Apr): twice in March, repeat. y bought 28 Feb
    # 23:30 (04:30 UTC 1 Mar) and 15 Mar: bought before March, repeat. z bought 1 Mar 00:30 only: no.
    # 2 of 3. On UTC's days: w once in March (its second on 1 Apr), y twice in March, z once: 1 of 3.
    text = """customer_id,timestamp,event,revenue,time_zone
w,2025-03-10 12:00,purchase,10,America/New_York
w,2025-03-31 22:00,purchase,10,America/New_York
y,2025-02-28 23:30,purchase,10,America/New_York
y,2025-03-15 12:00,purchase,10,America/New_York
z,2025-03-01 00:30,purchase,10,America/New_York
"""
    frame = reference_events(text, NY)
    frame["reversal"] = False
    frame["event"] = "purchase"
    start, end = pd.Timestamp("2025-03-01", tz=NY), pd.Timestamp("2025-04-01", tz=NY)
    assert ref.repeat_purchase_rate(frame, start.tz_convert("UTC"), end.tz_convert("UTC")) == (2, 3)
    value = compute_kpis(dataset(text), period=("2025-03-01", "2025-04-01")).set_index("name").loc[
        "repeat_purchase_rate", "value"]
    assert value == pytest.approx(2 / 3)


def test_the_last_30_days_across_the_end_of_summer_time_start_at_the_zones_midnight():
    # Last event 15 Nov 2025 (New York, EST): the period is 17 Oct 00:00 EDT (04:00 UTC) to 16 Nov 00:00 EST (05:00
    # UTC), 30 days and an hour. q1 17 Oct 00:30 EDT (04:30 UTC) is in (30 x 24 h before the end, 05:00 UTC, would
    # leave it out); q2 16 Oct 23:30 EDT is in the 30 days before: 17 Sep - 16 Oct. Customers 2 (q1, q3) against 1.
    text = """customer_id,timestamp,event,time_zone
q1,2025-10-17 00:30,page_view,America/New_York
q2,2025-10-16 23:30,page_view,America/New_York
q3,2025-11-15 12:00,page_view,America/New_York
q4,2025-08-01 12:00,page_view,America/New_York
"""
    frame = reference_events(text, NY)
    start, end = ref.last_days_period(frame, NY)
    assert (start, end) == (pd.Timestamp("2025-10-17 04:00", tz="UTC"), pd.Timestamp("2025-11-16 05:00", tz="UTC"))
    inside = frame[(frame["timestamp"] >= start) & (frame["timestamp"] < end)]
    customers = compute_kpis(dataset(text)).set_index("name").loc["customers"]
    assert customers["value"] == inside["customer_id"].nunique() == 2
    assert customers["previous"] == 1
    assert customers["period"] == "17 Oct 2025 – 15 Nov 2025"


def test_conversion_over_time_buckets_entries_by_the_zones_days_weeks_and_months():
    # DESIGN 8: dates in the dataset's time zone. s1 entered Sunday 5 Jan 23:30 New York (04:30 UTC Monday 6 Jan)
    # and bought 40 min later; s2 entered Tuesday 7 Jan; s3 entered 28 Feb 21:00 (02:00 UTC 1 Mar) and bought the
    # next morning. New York's days: 5 Jan (s1 1 of 1), 7 Jan (s2 0 of 1), 28 Feb (s3 1 of 1); weeks from Monday:
    # 30 Dec (s1), 6 Jan (s2), 24 Feb (s3); months: January (s1, s2: 1 of 2), February (s3). Before, on UTC's:
    # 6 Jan, 7 Jan, 1 Mar; weeks 6 Jan (2) and 24 Feb; months January and March.
    ds = dataset(OVER_TIME)
    assert over_time(ds, "day") == [("2025-01-05", 1, 1), ("2025-01-07", 1, 0), ("2025-02-28", 1, 1)]
    assert over_time(ds, "week") == [("2024-12-30", 1, 1), ("2025-01-06", 1, 0), ("2025-02-24", 1, 1)]
    assert over_time(ds, "month") == [("2025-01-01", 2, 1), ("2025-02-01", 1, 1)]
    from cjm.present.charts.funnel import conversion_over_time_chart
    frame = compute_conversion_over_time(ds, params=FunnelParams(steps=("page_view", "purchase"), step_kind="event"))
    spec = conversion_over_time_chart(frame).to_dict()
    assert spec["encoding"]["x"]["axis"]["title"] == "Week of entry (America/New_York)"
    # by channel (first touch): January app s2 (0 of 1), web s1 (1 of 1); February web s3
    frame = compute_conversion_over_time(ds, params=FunnelParams(steps=("page_view", "purchase"), step_kind="event",
                                                                 breakdown="channel"), period="month")
    assert [(str(p.date()), g, int(e), int(c)) for p, g, e, c in frame[["period", "group", "entered", "converted"]]
            .itertuples(index=False)] == [("2025-01-01", "app", 1, 0), ("2025-01-01", "web", 1, 1),
                                          ("2025-02-01", "web", 1, 1)]


OVER_TIME = """customer_id,timestamp,event,time_zone,channel
s1,2025-01-05 23:30,page_view,America/New_York,web
s1,2025-01-06 00:10,purchase,America/New_York,web
s2,2025-01-07 10:00,page_view,America/New_York,app
s3,2025-02-28 21:00,page_view,America/New_York,web
s3,2025-03-01 09:00,purchase,America/New_York,web
"""


def over_time(ds, period: str, **params) -> list[tuple]:
    frame = compute_conversion_over_time(ds, params=FunnelParams(steps=("page_view", "purchase"), step_kind="event",
                                                                 **params), period=period)
    return [(str(p.date()), int(e), int(c)) for p, e, c in zip(frame["period"], frame["entered"], frame["converted"])]


def test_the_data_pages_span_names_the_zones_dates():
    # The New York shop's first event is 31 Dec 2024 23:30 (04:30 UTC 1 Jan), its last 9 Jul 00:15 (04:15 UTC 9 Jul):
    # 'From 2024-12-31 to 2025-07-09 (America/New_York dates)', as the sidebar's first and last days (was '2025-01-01
    # to 2025-07-09 (UTC)'); data on UTC's clock keeps its wording
    from cjm.data.clock import dates_clock
    from cjm.data.quality import compute_quality
    from cjm.ui.loading import span_caption
    ds = dataset(ZONED)
    assert span_caption(compute_quality(ds), dates_clock(ds).tz) == \
        "From 2024-12-31 to 2025-07-09 (America/New_York dates)"
    ds = dataset(TWO_OFFSETS)
    assert span_caption(compute_quality(ds), dates_clock(ds).tz) == "From 2024-12-31 to 2025-01-09 (UTC)"


def test_a_customers_timeline_shows_the_times_on_the_zones_clock():
    # n1 of the New York shop: 1 Jan 00:30 and 8 Jan 23:30 local (04:30 UTC 9 Jan): the chart says 'first event
    # 2025-01-01, last event 2025-01-08', its axis 'Time (America/New_York)', the second point 2025-01-08 23:30 (was
    # the last event 2025-01-09 and 'Time (UTC)'); data on UTC's clock keeps 'Time (UTC)'
    from cjm.journey.timeline import compute_customer_timeline
    from cjm.present.charts.timeline import timeline_chart
    ds = dataset(ZONED)
    chart = timeline_chart(compute_customer_timeline(ds, customer_id="n1"), stages=ds.stages, customer_id="n1")
    spec = chart.to_dict()
    assert "first event 2025-01-01, last event 2025-01-08" in str(spec["title"])
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Time (America/New_York)"
    values = next(iter(spec["datasets"].values()))
    assert [v["timestamp"][:16] for v in values] == ["2025-01-01T00:30", "2025-01-08T23:30"]
    sequence = timeline_chart(compute_customer_timeline(ds, customer_id="n1"), stages=ds.stages, spacing="sequence")
    assert sequence.to_dict()["layer"][0]["encoding"]["x"]["title"] == "Events in order (date and time, America/New_York)"
    ds = dataset(TWO_OFFSETS)
    chart = timeline_chart(compute_customer_timeline(ds, customer_id="p1"), stages=ds.stages)
    assert chart.to_dict()["layer"][0]["encoding"]["x"]["title"] == "Time (UTC)"


def test_the_customer_profiles_times_are_on_the_zones_clock():
    # n1's last event, 04:30 UTC on 9 Jan, is 8 Jan 23:30 in New York: the profile's 'last seen' says so (it said
    # '2025-01-09 04:30 UTC'); UTC's wording is unchanged
    from cjm.journey.timeline import compute_customer_summary
    from cjm.ui.journeys import _when
    from cjm.data.clock import dates_clock
    ds = dataset(ZONED)
    summary = compute_customer_summary(ds, customer_id="n1")
    assert _when(summary["last_seen"], dates_clock(ds).tz) == "2025-01-08 23:30 America/New_York"
    assert _when(summary["last_seen"]) == "2025-01-09 04:30 UTC"


def test_the_customers_table_of_events_is_on_the_zones_clock_as_its_chart():
    # n1's 8 Jan 23:30 in New York (04:30 UTC on 9 Jan): the table under the chart read '2025-01-09 04:30:00+00:00'
    # beside the chart's 8 Jan 23:30; it now reads the same instant on New York's clock. UTC data is shown as it is
    from cjm.journey.timeline import compute_customer_timeline
    from cjm.ui.journeys import _on_clock
    shown = _on_clock(compute_customer_timeline(dataset(ZONED), customer_id="n1"))
    assert [str(t) for t in shown["timestamp"]] == ["2025-01-01 00:30:00-05:00", "2025-01-08 23:30:00-05:00"]
    utc = compute_customer_timeline(dataset(TWO_OFFSETS), customer_id="p1")
    assert _on_clock(utc) is utc
