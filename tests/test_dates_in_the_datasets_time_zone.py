"""The dashboard's dates are in the dataset's time zone (DESIGN.md section 8; cjm.data.clock): the date filter's days,
the first and last day it offers and the end of the chosen range are the days of the one zone (or offset) the data
names for all its events, or that the offsets its times are written at follow; UTC's when it names none or its events
are on several clocks, and the sidebar says so.

The hand export SHOP of a New York shop (America/New_York: UTC-5 until 9 Mar 2025, UTC-4 from then):

  a  1 Jan 2025 00:30 local = 1 Jan 05:30 UTC      a  8 Jan 23:30 local = 9 Jan 04:30 UTC
  b  9 Jan 00:30 local      = 9 Jan 05:30 UTC      c  31 Dec 2024 23:30 local = 1 Jan 04:30 UTC
  d  8 Jul 23:30 local      = 9 Jul 03:30 UTC      e  9 Jul 00:15 local = 9 Jul 04:15 UTC (summer time)

The range 1-8 Jan in New York is [1 Jan 05:00 UTC, 9 Jan 05:00 UTC): a's two events, not b's nor c's. UTC's days
[1 Jan 00:00, 9 Jan 00:00 UTC) would keep c's (04:30) and a's first, and lose a's 23:30 on 8 Jan. The range 1-8 Jul
ends at 9 Jul 00:00 New York summer time = 04:00 UTC: d's, not e's (a fixed UTC-5 would end at 05:00, keeping e's).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cjm import engine
from cjm.data import views
from cjm.data.clock import dates_clock
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import load_dataset
from cjm.data.filters import Filters, filter_choices
from cjm.maps.day import clock_used

NEW_YORK = "America/New_York"
WALL = [("a", "2025-01-01 00:30", "page_view"), ("a", "2025-01-08 23:30", "purchase"),
        ("b", "2025-01-09 00:30", "page_view"), ("c", "2024-12-31 23:30", "page_view"),
        ("d", "2025-07-08 23:30", "page_view"), ("e", "2025-07-09 00:15", "page_view")]
SHOP = "customer_id,timestamp,event,Time Zone\n" + "".join(f"{c},{t},{e},{NEW_YORK}\n" for c, t, e in WALL)
PLAIN = "customer_id,timestamp,event\n" + "".join(f"{c},{t},{e}\n" for c, t, e in WALL)
JANUARY = Filters(start="2025-01-01", end="2025-01-08")
JULY = Filters(start="2025-07-01", end="2025-07-08")


def _load(tmp_path, text, name="shop.csv", mappings=None):
    path = tmp_path / name
    path.write_text(text)
    return load_dataset([path], mappings=mappings)


def _kept(dataset, filters) -> list[tuple[str, str]]:
    events = dataset.filtered(filters).events
    frame = engine.execute(events.select("customer_id", "timestamp").order_by("timestamp"))
    return [(c, pd.Timestamp(t).tz_convert("UTC").strftime("%d %b %H:%M")) for c, t in
            zip(frame["customer_id"], frame["timestamp"])]


def _utc(text) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def _new_york_days(dataset):
    assert dates_clock(dataset).tz == NEW_YORK
    assert _kept(dataset, JANUARY) == [("a", "01 Jan 05:30"), ("a", "09 Jan 04:30")]
    assert _kept(dataset, JULY) == [("d", "09 Jul 03:30")]  # e's 00:15 on 9 Jul (04:15 UTC) is the next day
    view = dataset.filtered(JANUARY)
    assert views.range_end_of(view) == _utc("2025-01-09 05:00")
    assert views.data_end(view) == _utc("2025-01-09 05:00")  # b's 05:30 follows: the range's end ends the data
    assert views.end_phrase(view) == "the end of the chosen range (8 Jan 2025)"
    assert views.range_end_of(dataset.filtered(JULY)) == _utc("2025-07-09 04:00")  # midnight of summer time
    # the first and last day offered: c's 31 Dec and e's 9 Jul, New York's dates (UTC's would be 1 Jan and 9 Jul)
    choices = filter_choices(dataset.events, tz=dates_clock(dataset).tz)
    assert (choices["first"], choices["last"]) == (dt.date(2024, 12, 31), dt.date(2025, 7, 9))


def test_a_new_york_shops_date_range_keeps_new_york_days_summer_time_included(tmp_path):
    shop = _load(tmp_path, SHOP)
    _new_york_days(shop)
    assert dates_clock(shop).days() == "Days in America/New_York time, the data's time zone."
    assert clock_used(shop)[1] == "America/New_York time"  # the day map's clock, decided by the same function


def test_a_zone_chosen_on_the_data_page_makes_the_dates_that_zones(tmp_path):
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event"},
                            timezone=NEW_YORK)
    _new_york_days(_load(tmp_path, PLAIN, mappings={"shop.csv": mapping}))


def test_a_utc_dataset_keeps_utc_days_as_before(tmp_path):
    # the same wall times naming no zone are UTC: 1-8 Jan is [1 Jan 00:00, 9 Jan 00:00 UTC): a's two, not b's 00:30 on
    # 9 Jan nor c's 23:30 on 31 Dec
    plain = _load(tmp_path, PLAIN)
    assert dates_clock(plain).tz == "UTC" and not dates_clock(plain).mixed
    assert _kept(plain, JANUARY) == [("a", "01 Jan 00:30"), ("a", "08 Jan 23:30")]
    view = plain.filtered(JANUARY)
    assert views.range_end_of(view) == _utc("2025-01-09")
    assert views.end_phrase(view) == "the end of the chosen range (8 Jan 2025)"
    assert dates_clock(plain).days() == "Days in UTC: the data names no time zone."


def test_a_dataset_on_mixed_clocks_keeps_utc_days_and_says_so(tmp_path):
    # the New York shop beside a file naming no zone (f at 23:00 on 8 Jan as written: UTC). UTC's days: a's 00:30 on
    # 1 Jan (05:30 UTC) and c's 31 Dec 23:30 (04:30 UTC 1 Jan) are in 1-8 Jan, a's 8 Jan 23:30 (04:30 UTC 9 Jan) is not
    (tmp_path / "shop.csv").write_text(SHOP)
    (tmp_path / "other.csv").write_text("customer_id,timestamp,event\nf,2025-01-08 23:00,page_view\n")
    both = load_dataset([tmp_path / "shop.csv", tmp_path / "other.csv"])
    clock = dates_clock(both)
    assert clock.tz == "UTC" and clock.mixed
    assert clock.days() == ("Days in UTC: the events are on several clocks (America/New_York; UTC as written where "
                            "no zone is named).")
    assert _kept(both, JANUARY) == [("c", "01 Jan 04:30"), ("a", "01 Jan 05:30"), ("f", "08 Jan 23:00")]
    assert views.range_end_of(both.filtered(JANUARY)) == _utc("2025-01-09")


def test_times_written_with_one_offset_have_that_offsets_days(tmp_path):
    # every time at -05:00: a 1 Jan 00:30 (05:30 UTC), a 8 Jan 23:30 (04:30 UTC 9 Jan), b 9 Jan 00:30 (05:30 UTC 9 Jan)
    # 1-8 Jan at UTC-05:00 is [1 Jan 05:00, 9 Jan 05:00 UTC): a's two
    text = ("customer_id,timestamp,event\na,2025-01-01T00:30:00-05:00,page_view\n"
            "a,2025-01-08T23:30:00-05:00,purchase\nb,2025-01-09T00:30:00-05:00,page_view\n")
    offset = _load(tmp_path, text, "offset.csv")
    assert dates_clock(offset).label == "UTC-05:00"
    assert dates_clock(offset).days() == "Days at UTC-05:00, the offset the times are written with."
    assert _kept(offset, JANUARY) == [("a", "01 Jan 05:30"), ("a", "09 Jan 04:30")]
    assert views.end_phrase(offset.filtered(JANUARY)) == "the end of the chosen range (8 Jan 2025)"


def test_a_filtered_views_days_are_those_of_the_data_it_was_cut_from(tmp_path):
    # a view of a view (the start date alone, then the range) still cuts at New York's midnights: the loaded data's zone
    shop = _load(tmp_path, SHOP)
    narrowed = shop.filtered(Filters(start="2025-01-01"))
    assert _kept(narrowed, JANUARY) == [("a", "01 Jan 05:30"), ("a", "09 Jan 04:30")]


@pytest.mark.postgres
def test_postgresql_filters_a_new_york_table_on_new_york_days(postgres_url):
    import sqlalchemy

    from cjm.data.source import dataset_from_table

    # wall times without a zone in a table whose mapping names America/New_York (SHOP's times): the same days as an
    # upload, the filter run on PostgreSQL
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql("CREATE TABLE shop (customer_id text, at timestamp, event text)")
        con.exec_driver_sql("INSERT INTO shop VALUES " + ", ".join(f"('{c}', '{t}', '{e}')" for c, t, e in WALL))
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "at", "event": "event"},
                                timezone=NEW_YORK)
        _new_york_days(dataset_from_table(backend, "shop", mapping=mapping))
    finally:
        backend.close()


@pytest.mark.spark
def test_spark_filters_a_new_york_table_on_new_york_days_as_duckdb_does(spark_backend, tmp_path):
    from cjm.data.source import dataset_from_files, dataset_from_table

    # SHOP's wall times as text in a Spark table whose mapping names America/New_York: 1-8 Jan keeps a's two events
    # (1 Jan 05:30 and 9 Jan 04:30 UTC), 1-8 Jul d's (9 Jul 03:30 UTC), the filter run on Spark, as on DuckDB in place
    frame = pd.DataFrame(WALL, columns=["customer_id", "at", "event"])
    spark_backend.con._session.createDataFrame(frame).createOrReplaceTempView("shop")
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "at", "event": "event"},
                            timezone=NEW_YORK)
    on_spark = dataset_from_table(spark_backend, "shop", mapping=mapping)
    assert on_spark.backend.kind == "pyspark"
    path = tmp_path / "shop.csv"
    path.write_text("customer_id,at,event\n" + "".join(f"{c},{t},{e}\n" for c, t, e in WALL))
    on_duckdb = dataset_from_files(path, mapping=mapping)
    assert _kept(on_spark, JANUARY) == _kept(on_duckdb, JANUARY) == [("a", "01 Jan 05:30"), ("a", "09 Jan 04:30")]
    assert _kept(on_spark, JULY) == _kept(on_duckdb, JULY) == [("d", "09 Jul 03:30")]
    _new_york_days(on_spark)


def test_the_sidebar_names_the_days_of_the_date_range():
    from tests.apptest import open_app

    at = open_app("app_pages/overview.py", files={"shop.csv": SHOP.encode()})
    assert not at.exception
    captions = [c.value for c in at.sidebar.caption]
    assert any("Days in America/New\\_York time, the data's time zone." in c for c in captions), captions
    # the range offered runs from c's 31 Dec to e's 9 Jul, New York's dates; 1-8 Jan picked keeps a's two interactions
    assert at.date_input(key="cjm.filter.dates").value == (dt.date(2024, 12, 31), dt.date(2025, 7, 9))
    at.date_input(key="cjm.filter.dates").set_value((dt.date(2025, 1, 1), dt.date(2025, 1, 8))).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    # the Overview's current half [5 Jan, 9 Jan) New York holds a's purchase at 23:30 on 8 Jan: 1 customer, converted
    # (under UTC's days that purchase, 04:30 UTC on 9 Jan, would be outside the range)
    assert "Figures cover 5 Jan 2025 – 8 Jan 2025; changes compare with 1 Jan 2025 – 4 Jan 2025." in \
        [c.value for c in at.caption]
    assert [(m.label, m.value) for m in at.metric][:2] == [("Customers", "1"), ("Conversion rate", "100.0%")]
    demo = open_app()
    assert any("Days in UTC\\: the data names no time zone." in c.value for c in demo.sidebar.caption)


def test_a_shared_dashboards_data_keeps_the_days_of_the_zone_it_was_saved_with(tmp_path):
    # a snapshot keeps no files (no zone they were read in), only the events' clocks (-05:00 in winter, -04:00 in
    # summer, which more zones than New York follow). The snapshot keeps the clock, so the viewer's 1-8 Jan is the
    # owner's: a's two events, not c's
    from cjm.data.dataset import build_dataset
    from cjm.store import read_snapshot, take_snapshot

    snapshot = take_snapshot(_load(tmp_path, SHOP))
    assert snapshot.meta["clock"]["zone"] == NEW_YORK
    opened = build_dataset(read_snapshot(snapshot, key="shop_snapshot"))
    assert opened.files == []
    _new_york_days(opened)
    assert clock_used(opened)[1] == "America/New_York time"


def test_a_shared_dashboards_banner_dates_the_data_in_its_time_zone():
    # a's 8 Jan 23:30 in New York was saved as 9 Jan 04:30 UTC: the viewer's banner says 08 Jan 2025; a snapshot saved
    # before the clock was kept (no clock) keeps the date as saved
    from cjm.ui.share import _date

    assert _date("2025-01-09T04:30:00+00:00", {"zone": NEW_YORK}) == "08 Jan 2025"
    assert _date("2025-01-09T04:30:00+00:00", None) == "09 Jan 2025"
    assert _date("2025-01-09T04:30:00+00:00", {"named": ["UTC-05:00", "UTC-04:00"]}) == "09 Jan 2025"


def test_the_board_pack_of_a_new_york_shop_cuts_and_dates_in_new_york(tmp_path):
    # 1-8 Jan in New York: a's two events (1 Jan 00:30 and 8 Jan 23:30 local, the latter 9 Jan 04:30 UTC), dated in New
    # York (UTC would say 1 Jan to 9 Jan), the range's days named
    from cjm.report.pack import build_pack
    from cjm.spec import DashboardSpec

    pack = build_pack(_load(tmp_path, SHOP), DashboardSpec(title="Shop", filters=JANUARY))
    assert pack.data_summary == "2 events of 1 customer"
    assert pack.date_range == "01 Jan 2025 to 08 Jan 2025"
    assert ("Dates", "2025-01-01 to 2025-01-08 (days in America/New_York)") in pack.filters


def test_the_overviews_and_the_funnels_periods_are_on_the_zones_days(tmp_path):
    # SHOP under 1-8 Jan: the data as of the range runs from a's 1 Jan 00:30 to the range's end, 9 Jan 00:00 New York
    # (05:00 UTC). 8 days < 2 x 30: the two halves of [1 Jan, 9 Jan) on New York's days, [5 Jan, 9 Jan) against
    # [1 Jan, 5 Jan), 05:00 UTC each; as the same wall times naming no zone read in UTC (before, the New York view's
    # period ran to the UTC midnight after 9 Jan 04:59: "5 Jan 2025 12:00 – 10 Jan 2025 00:00 UTC")
    from cjm.journey.kpi_period import period_sentence
    from cjm.journey.kpis import compute_kpis, default_periods, period_text

    sentence = "Figures cover 5 Jan 2025 – 8 Jan 2025; changes compare with 1 Jan 2025 – 4 Jan 2025."
    shop = _load(tmp_path, SHOP)
    assert period_sentence(compute_kpis(shop.filtered(JANUARY))) == sentence
    assert period_sentence(compute_kpis(_load(tmp_path, PLAIN, "plain.csv").filtered(JANUARY))) == sentence
    # the whole shop: its last event e's 9 Jul 00:15 local, so the current period ends at 10 Jul 00:00 New York
    # (04:00 UTC, summer time) and runs 30 days back, from 10 Jun 00:00 New York
    current, previous = default_periods(_utc("2025-01-01 04:30"), _utc("2025-07-09 04:15"), tz=NEW_YORK)
    assert current == (_utc("2025-06-10 04:00"), _utc("2025-07-10 04:00"))
    assert previous == (_utc("2025-05-11 04:00"), _utc("2025-06-10 04:00"))
    assert period_text(current, NEW_YORK) == "10 Jun 2025 – 9 Jul 2025"
    assert period_text((_utc("2025-01-05 17:00"), _utc("2025-01-05 23:00")), NEW_YORK) == \
        "5 Jan 2025 12:00 – 5 Jan 2025 18:00 America/New_York"


def test_the_funnels_period_pickers_offer_and_take_the_zones_days(tmp_path):
    # the funnel's periods of SHOP under 1-8 Jan: the halves [1 Jan, 5 Jan) and [5 Jan, 9 Jan) of New York's days (05:00
    # UTC each), which the pickers offer as 1-4 Jan and 5-8 Jan; a range of days picked there is New York's midnights
    from cjm.journey.funnel import FunnelParams
    from cjm.journey.periods import compare_periods
    from cjm.ui.funnel import _days, _picked

    comparison = compare_periods(_load(tmp_path, SHOP).filtered(JANUARY),
                                 params=FunnelParams(steps=("page_view", "purchase"), step_kind="event"))
    assert comparison.attrs["tz"] == NEW_YORK
    row = comparison.iloc[0]
    assert (row["previous_start"], row["current_start"], row["current_end"]) == \
        (_utc("2025-01-01 05:00"), _utc("2025-01-05 05:00"), _utc("2025-01-09 05:00"))
    assert _days((row["current_start"], row["current_end"]), NEW_YORK) == (dt.date(2025, 1, 5), dt.date(2025, 1, 8))
    assert _picked(dt.date(2025, 1, 2), dt.date(2025, 1, 4), NEW_YORK) == ("2025-01-02T05:00:00+00:00",
                                                                           "2025-01-04T05:00:00+00:00")
    assert _picked(dt.date(2025, 1, 2), dt.date(2025, 1, 4), "UTC") == ("2025-01-02", "2025-01-04")


def test_the_stage_reach_names_the_zones_dates(tmp_path):
    # SHOP's first event c's 31 Dec 2024 23:30 and last e's 9 Jul 2025 00:15, New York (1 Jan 04:30 and 9 Jul 04:15 UTC)
    from cjm.journey.reach import reach_period

    assert reach_period(_load(tmp_path, SHOP)) == "31 Dec 2024 – 9 Jul 2025"
    assert reach_period(_load(tmp_path, PLAIN, "plain.csv")) == "31 Dec 2024 – 9 Jul 2025"  # as written, UTC


def test_a_file_read_in_a_zone_whose_times_carry_another_offset_is_not_on_that_zones_clock(tmp_path):
    # the Data page reads the file in New York, but its times are written at +01:00 (a: 9:00 AM +01:00 = 08:00 UTC,
    # 03:00 New York): each keeps its own clock, which New York never uses (-05:00, -04:00), so the data is on mixed
    # clocks and its days are UTC's, not New York's
    text = ("customer_id,timestamp,event\na,03/15/2024 9:00 AM +01:00,page_view\n"
            "b,03/16/2024 10:30 AM +01:00,page_view\n")
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event"},
                            timezone=NEW_YORK)
    clock = dates_clock(_load(tmp_path, text, "paris.csv", mappings={"paris.csv": mapping}))
    assert clock.tz == "UTC" and clock.mixed and clock.named == (NEW_YORK, "UTC+01:00")


# SHOP's times as a New York shop's export writes them, each at its offset (Shopify: '2025-01-08 23:30:00 -0500',
# '-0400' in summer): the same instants, on no named zone
WRITTEN = "customer_id,Created at,event\n" + "".join(
    f"{c},{t}:00 {pd.Timestamp(t).tz_localize(NEW_YORK).strftime('%z')},{e}\n" for c, t, e in WALL)


def test_times_written_at_new_yorks_winter_and_summer_offsets_have_new_yorks_days(tmp_path):
    # -05:00 in January, -04:00 in July: New York's rules give every event its offset (so do Toronto's and Detroit's,
    # with the same dates; New York is named), so 1-8 Jan and 1-8 Jul are New York's days, as for SHOP
    shop = _load(tmp_path, WRITTEN, "orders_export.csv")
    _new_york_days(shop)
    assert dates_clock(shop).days() == ("Days in America/New_York time: the times are written at its offsets "
                                        "(UTC-05:00, UTC-04:00).")
    assert clock_used(shop) == ("hours in America/New_York time, whose offsets the times are written at "
                                "(UTC-05:00, UTC-04:00)", "America/New_York time")


def test_times_at_two_offsets_no_one_zone_gives_stay_on_utc_days(tmp_path):
    # New York's 8 Jul 23:30 at -04:00 beside a Chicago order on 8 Jul at -05:00 (summer: New York is -04:00 then,
    # and Chicago's -05:00 in July is never New York's) and a January time at -05:00 (Chicago's winter is -06:00): no
    # zone gives all three, so the clocks are mixed and the days UTC's
    text = ("customer_id,Created at,event\na,2025-07-08 23:30:00 -0400,page_view\nb,2025-07-08 22:00:00 -0500,"
            "page_view\nc,2025-01-08 23:30:00 -0500,page_view\n")
    clock = dates_clock(_load(tmp_path, text, "two_shops.csv"))
    assert clock.tz == "UTC" and clock.mixed and clock.named == ("UTC-05:00", "UTC-04:00")


def test_times_at_central_european_offsets_have_paris_days(tmp_path):
    # +01:00 in winter, +02:00 in summer (Paris, Berlin, Madrid alike: Paris named). 31 Mar 00:30 +02:00 is 30 Mar
    # 22:30 UTC: in Paris' days it is on 31 Mar, so 31 Mar alone keeps it; in UTC's it would not
    text = ("customer_id,Created at,event\na,2025-01-15 10:00:00 +0100,page_view\n"
            "a,2025-03-31 00:30:00 +0200,purchase\n")
    shop = _load(tmp_path, text, "boutique.csv")
    assert dates_clock(shop).tz == "Europe/Paris"
    assert _kept(shop, Filters(start="2025-03-31", end="2025-03-31")) == [("a", "30 Mar 22:30")]


def test_times_written_at_new_yorks_offsets_read_in_place_have_new_yorks_days(tmp_path):
    from cjm.data.source import dataset_from_files

    path = tmp_path / "orders_export.csv"
    path.write_text(WRITTEN)
    _new_york_days(dataset_from_files([path]))


@pytest.mark.postgres
def test_a_postgresql_table_of_times_at_new_yorks_offsets_has_new_yorks_days(postgres_url):
    from cjm.data.source import dataset_from_table
    from tests.postgres import text_table

    # WRITTEN as a table of text ('2025-01-08 23:30:00 -0500'): each time read at its offset, on New York's days
    text_table(postgres_url, "orders_export", WRITTEN)
    backend = engine.connect(postgres_url)
    try:
        _new_york_days(dataset_from_table(backend, "orders_export"))
    finally:
        backend.close()
