"""Review 42: the dashboard's dates follow the data's time zone (README's sidebar date range, DESIGN section 8), cjm
against tests/review42_reference.py (written from README before reading cjm.data.clock), on upload and in place.

The days are the zone's the data names for all its events, the one offset all its times are written at, or the zone
whose rules give every time the offset it is written at (any of the zones that agree: they give the events the same
dates); else UTC's. A range [start, end] keeps the events whose date on that clock is start..end.

Each hand file's instants and dates are worked out below it; each row is its own customer so the customers kept name
the events kept.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

import pandas as pd
import pytest

from cjm import engine
from cjm.data.clock import dates_clock
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import load_dataset
from cjm.data.filters import Filters, filter_choices
from cjm.data.source import dataset_from_files
from tests import review42_reference as ref

MODES = ("upload", "in place")


def _csv(rows, header="customer_id,timestamp,event") -> str:
    return header + "\n" + "".join(f"{c},{t},{e}\n" for c, t, e in rows)


def _open(tmp_path, files, mode, zones=None):
    """files: {name: rows}; zones: {name: the zone its mapping names}."""
    paths = []
    for name, rows in files.items():
        path = tmp_path / name
        path.write_text(_csv(rows))
        paths.append(path)
    zones = zones or {}
    mappings = {name: ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp",
                                             "event": "event"}, timezone=zone) for name, zone in zones.items()}
    if mode == "upload":
        return load_dataset(paths, mappings=mappings or None)
    assert len(set(zones.values())) <= 1, "in place takes one mapping"
    return dataset_from_files(paths, mapping=next(iter(mappings.values()), None))


def _kept(dataset, start, end) -> list[str]:
    events = dataset.filtered(Filters(start=start, end=end)).events
    return sorted(engine.execute(events.select("customer_id"))["customer_id"].astype(str))


def _first_last(dataset):
    choices = filter_choices(dataset.events, tz=dates_clock(dataset).tz)
    return choices["first"], choices["last"]


def _agrees(clock, expected: ref.Clock) -> bool:
    """cjm's clock is one the reference allows: a zone among those agreeing (the named one when the data names one),
    the one offset (or a zone giving it), UTC (or the offset 0)."""
    if expected.kind == "zone":
        return clock.zone == expected.named if expected.named else clock.zone in expected.zones
    if expected.kind == "offset":
        return clock.offset == expected.offset * 60 or clock.zone in expected.zones
    return clock.tz == "UTC" or clock.offset == 0


def _check(tmp_path, files, ranges, zones=None, first_last=None, modes=MODES):
    """cjm agrees with the reference (and the reference with the hand figures `ranges`: {(start, end): customers})."""
    events = ref.read([(rows, (zones or {}).get(name)) for name, rows in files.items()])
    expected = ref.clock(events)
    customers = [e.customer for e in events]
    for (start, end), hand in ranges.items():
        assert sorted(customers[i] for i in ref.kept(events, start, end, expected)) == sorted(hand), (start, end)
    if first_last:
        assert ref.first_last_day(events, expected) == first_last
    for mode in modes:
        sub = tmp_path / mode.replace(" ", "_")
        sub.mkdir(exist_ok=True)
        dataset = _open(sub, files, mode, zones)
        clock = dates_clock(dataset)
        assert _agrees(clock, expected), (mode, clock, expected.kind, sorted(expected.zones)[:5])
        for (start, end), hand in ranges.items():
            assert _kept(dataset, start, end) == sorted(hand), (mode, start, end)
        if first_last:
            assert _first_last(dataset) == first_last, mode
    return expected


def _d(text):
    return dt.date.fromisoformat(text)


# New York (2024: EST -05:00 until 10 Mar 02:00, EDT -04:00 until 3 Nov 02:00), written as Shopify writes them:
#   n1 9 Mar 23:30 -0500 = 10 Mar 04:30 UTC, date 9 Mar       n2 10 Mar 00:15 -0500 = 10 Mar 05:15 UTC, 10 Mar
#   n3 10 Mar 23:45 -0400 = 11 Mar 03:45 UTC, 10 Mar          n4 11 Mar 00:10 -0400 = 11 Mar 04:10 UTC, 11 Mar
#   n5 3 Nov 01:30 -0400 = 05:30 UTC, 3 Nov (first 01:30)     n6 3 Nov 01:30 -0500 = 06:30 UTC, 3 Nov (second)
#   n7 3 Nov 23:50 -0500 = 4 Nov 04:50 UTC, 3 Nov             n8 2 Nov 23:59 -0400 = 3 Nov 03:59 UTC, 2 Nov
# 10 Mar keeps n2 n3 (UTC's would keep n1 n2); 3 Nov keeps n5 n6 n7 (UTC's n8 n5 n6); days offered 9 Mar - 3 Nov
# (UTC's 10 Mar - 4 Nov).
NEW_YORK = [("n1", "2024-03-09 23:30:00 -0500", "page_view"), ("n2", "2024-03-10 00:15:00 -0500", "page_view"),
            ("n3", "2024-03-10 23:45:00 -0400", "page_view"), ("n4", "2024-03-11 00:10:00 -0400", "page_view"),
            ("n5", "2024-11-03 01:30:00 -0400", "page_view"), ("n6", "2024-11-03 01:30:00 -0500", "page_view"),
            ("n7", "2024-11-03 23:50:00 -0500", "page_view"), ("n8", "2024-11-02 23:59:00 -0400", "page_view")]


@pytest.mark.parametrize("mode", MODES)
def test_a_new_york_shops_offsets_give_new_york_days_across_both_changes_of_summer_time(tmp_path, mode):
    expected = _check(tmp_path, {"orders_export.csv": NEW_YORK},
                      {("2024-03-10", "2024-03-10"): ["n2", "n3"], ("2024-11-03", "2024-11-03"): ["n5", "n6", "n7"],
                       ("2024-03-09", "2024-03-09"): ["n1"], ("2024-11-02", "2024-11-02"): ["n8"]},
                      first_last=(_d("2024-03-09"), _d("2024-11-03")), modes=(mode,))
    assert "America/New_York" in expected.zones and "America/Chicago" not in expected.zones


# Paris (2024: +01:00 until 31 Mar 02:00, +02:00 until 27 Oct 03:00), ISO with 'T' and a colon:
#   p1 30 Mar 23:30 +01:00 = 22:30 UTC, 30 Mar       p2 31 Mar 00:30 +01:00 = 30 Mar 23:30 UTC, 31 Mar
#   p3 31 Mar 23:30 +02:00 = 21:30 UTC, 31 Mar       p4 27 Oct 00:15 +02:00 = 26 Oct 22:15 UTC, 27 Oct
#   p5 27 Oct 23:59 +01:00 = 22:59 UTC, 27 Oct       p6 28 Oct 00:00 +01:00 = 27 Oct 23:00 UTC, 28 Oct
# 31 Mar keeps p2 p3 (UTC's: p3); 27 Oct keeps p4 p5 (UTC's: p5 p6)
PARIS = [("p1", "2024-03-30T23:30:00+01:00", "page_view"), ("p2", "2024-03-31T00:30:00+01:00", "page_view"),
         ("p3", "2024-03-31T23:30:00+02:00", "page_view"), ("p4", "2024-10-27T00:15:00+02:00", "page_view"),
         ("p5", "2024-10-27T23:59:00+01:00", "page_view"), ("p6", "2024-10-28T00:00:00+01:00", "page_view")]
PARIS_RANGES = {("2024-03-31", "2024-03-31"): ["p2", "p3"], ("2024-10-27", "2024-10-27"): ["p4", "p5"]}


@pytest.mark.parametrize("mode", MODES)
def test_a_paris_shops_offsets_written_with_a_colon_give_paris_days(tmp_path, mode):
    expected = _check(tmp_path, {"boutique.csv": PARIS}, PARIS_RANGES,
                      first_last=(_d("2024-03-30"), _d("2024-10-28")), modes=(mode,))
    assert "Europe/Paris" in expected.zones and "Europe/London" not in expected.zones


@pytest.mark.parametrize("mode", MODES)
def test_a_paris_shops_offsets_written_in_hours_alone_give_paris_days(tmp_path, mode):
    # PARIS written '+01' and '+02' (ISO's hours-only offset): the same instants, the same days
    hours = [(c, t[:-3], e) for c, t, e in PARIS]
    assert hours[0][1] == "2024-03-30T23:30:00+01"
    _check(tmp_path, {"boutique.csv": hours}, PARIS_RANGES, first_last=(_d("2024-03-30"), _d("2024-10-28")),
           modes=(mode,))


# Sydney (southern summer: +11:00 until 7 Apr 2024 03:00, +10:00 until 6 Oct 02:00, +11:00 again), written '+1100':
#   s1 6 Apr 23:30 +1100 = 6 Apr 12:30 UTC, 6 Apr     s2 7 Apr 00:30 +1100 = 6 Apr 13:30 UTC, 7 Apr
#   s3 7 Apr 23:30 +1000 = 7 Apr 13:30 UTC, 7 Apr     s4 6 Oct 00:10 +1000 = 5 Oct 14:10 UTC, 6 Oct
#   s5 6 Oct 23:50 +1100 = 6 Oct 12:50 UTC, 6 Oct     s6 1 Jan 2025 00:05 +1100 = 31 Dec 13:05 UTC, 1 Jan 2025
# 7 Apr keeps s2 s3 (UTC's: s3); 6 Oct s4 s5 (UTC's: s5); 1 Jan 2025 s6 (UTC's: none); days 6 Apr 2024 - 1 Jan 2025
SYDNEY = [("s1", "2024-04-06 23:30:00+1100", "page_view"), ("s2", "2024-04-07 00:30:00+1100", "page_view"),
          ("s3", "2024-04-07 23:30:00+1000", "page_view"), ("s4", "2024-10-06 00:10:00+1000", "page_view"),
          ("s5", "2024-10-06 23:50:00+1100", "page_view"), ("s6", "2025-01-01 00:05:00+1100", "page_view")]


@pytest.mark.parametrize("mode", MODES)
def test_a_sydney_shops_offsets_give_sydney_days_in_the_southern_summer(tmp_path, mode):
    expected = _check(tmp_path, {"sydney.csv": SYDNEY},
                      {("2024-04-07", "2024-04-07"): ["s2", "s3"], ("2024-10-06", "2024-10-06"): ["s4", "s5"],
                       ("2025-01-01", "2025-01-01"): ["s6"]},
                      first_last=(_d("2024-04-06"), _d("2025-01-01")), modes=(mode,))
    assert "Australia/Sydney" in expected.zones and "Australia/Brisbane" not in expected.zones


# Santiago (-03:00 until 7 Apr 2024 00:00, when 23:00-23:59 of 6 Apr repeats at -04:00; -04:00 until 8 Sep 00:00,
# which is skipped to 01:00 -03:00):
#   c1 6 Apr 23:30 -03:00 = 7 Apr 02:30 UTC, 6 Apr    c2 6 Apr 23:30 -04:00 = 7 Apr 03:30 UTC, 6 Apr (repeated)
#   c3 7 Apr 00:30 -04:00 = 7 Apr 04:30 UTC, 7 Apr    c4 7 Sep 23:50 -04:00 = 8 Sep 03:50 UTC, 7 Sep
#   c5 8 Sep 01:10 -03:00 = 8 Sep 04:10 UTC, 8 Sep    c6 8 Sep 23:30 -03:00 = 9 Sep 02:30 UTC, 8 Sep
# 6 Apr keeps c1 c2 (UTC's: none); 7 Sep c4 (UTC's: none); 8 Sep c5 c6 (UTC's: c4 c5)
SANTIAGO = [("c1", "2024-04-06 23:30:00 -03:00", "page_view"), ("c2", "2024-04-06 23:30:00 -04:00", "page_view"),
            ("c3", "2024-04-07 00:30:00 -04:00", "page_view"), ("c4", "2024-09-07 23:50:00 -04:00", "page_view"),
            ("c5", "2024-09-08 01:10:00 -03:00", "page_view"), ("c6", "2024-09-08 23:30:00 -03:00", "page_view")]


@pytest.mark.parametrize("mode", MODES)
def test_a_santiago_shops_offsets_give_santiago_days_where_midnight_repeats_and_is_skipped(tmp_path, mode):
    expected = _check(tmp_path, {"santiago.csv": SANTIAGO},
                      {("2024-04-06", "2024-04-06"): ["c1", "c2"], ("2024-04-07", "2024-04-07"): ["c3"],
                       ("2024-09-07", "2024-09-07"): ["c4"], ("2024-09-08", "2024-09-08"): ["c5", "c6"]},
                      first_last=(_d("2024-04-06"), _d("2024-09-08")), modes=(mode,))
    assert "America/Santiago" in expected.zones


# Kolkata, +05:30 all year: one offset.
#   k1 30 Jun 23:59 = 18:29 UTC, 30 Jun    k2 1 Jul 00:00 = 30 Jun 18:30 UTC, 1 Jul
#   k3 1 Jul 05:29 = 30 Jun 23:59 UTC, 1 Jul    k4 1 Jul 05:30 = 1 Jul 00:00 UTC, 1 Jul
# 1 Jul keeps k2 k3 k4 (UTC's: k4); 30 Jun k1 (UTC's: k1 k2 k3)
KOLKATA = [("k1", "2024-06-30 23:59:00 +05:30", "page_view"), ("k2", "2024-07-01 00:00:00 +05:30", "page_view"),
           ("k3", "2024-07-01 05:29:00 +05:30", "page_view"), ("k4", "2024-07-01 05:30:00 +05:30", "page_view")]


@pytest.mark.parametrize("mode", MODES)
def test_a_kolkata_shops_one_offset_gives_its_days(tmp_path, mode):
    expected = _check(tmp_path, {"kolkata.csv": KOLKATA},
                      {("2024-07-01", "2024-07-01"): ["k2", "k3", "k4"], ("2024-06-30", "2024-06-30"): ["k1"]},
                      first_last=(_d("2024-06-30"), _d("2024-07-01")), modes=(mode,))
    assert expected.kind == "offset" and expected.offset == 330 and "Asia/Kolkata" in expected.zones


# Two places' clocks: a New York order at 23:30 -0400 on 8 Jul (9 Jul 03:30 UTC) and a London one at 00:30 +0100 on 9
# Jul (8 Jul 23:30 UTC). No zone is -04:00 and +01:00 in July: UTC's days. 8 Jul keeps m2 (New York's days would keep
# m1, London's neither); 9 Jul m1.
TWO_PLACES = [("m1", "2024-07-08 23:30:00 -0400", "page_view"), ("m2", "2024-07-09 00:30:00 +0100", "page_view")]


@pytest.mark.parametrize("mode", MODES)
def test_two_places_clocks_mixed_keep_utc_days(tmp_path, mode):
    expected = _check(tmp_path, {"two.csv": TWO_PLACES},
                      {("2024-07-08", "2024-07-08"): ["m2"], ("2024-07-09", "2024-07-09"): ["m1"]},
                      first_last=(_d("2024-07-08"), _d("2024-07-09")), modes=(mode,))
    assert expected.kind == "utc" and not expected.zones


@pytest.mark.parametrize("mode", MODES)
def test_a_file_with_offsets_beside_a_file_naming_no_zone_keeps_utc_days(tmp_path, mode):
    # NEW_YORK beside o1 at 23:30 on 10 Mar as written (UTC). UTC's 10 Mar: n1 (04:30), n2 (05:15), o1 (23:30), not
    # n3 (11 Mar 03:45 UTC); 3 Nov: n8 (03:59), n5 (05:30), n6 (06:30), not n7 (4 Nov 04:50)
    plain = [("o1", "2024-03-10 23:30:00", "page_view")]
    expected = _check(tmp_path, {"orders_export.csv": NEW_YORK, "other.csv": plain},
                      {("2024-03-10", "2024-03-10"): ["n1", "n2", "o1"],
                       ("2024-11-03", "2024-11-03"): ["n5", "n6", "n8"]},
                      first_last=(_d("2024-03-10"), _d("2024-11-04")), modes=(mode,))
    assert expected.kind == "utc"


# London written with 'Z' in winter and '+01:00' in summer (British Summer Time from 31 Mar 2024 01:00 UTC):
#   l1 30 Mar 23:30Z, 30 Mar     l2 31 Mar 00:30Z, 31 Mar     l3 31 Mar 23:30+01:00 = 22:30 UTC, 31 Mar
#   l4 1 Apr 00:30+01:00 = 31 Mar 23:30 UTC, 1 Apr
# 31 Mar keeps l2 l3 (UTC's: l2 l3 l4)
LONDON = [("l1", "2024-03-30T23:30:00Z", "page_view"), ("l2", "2024-03-31T00:30:00Z", "page_view"),
          ("l3", "2024-03-31T23:30:00+01:00", "page_view"), ("l4", "2024-04-01T00:30:00+01:00", "page_view")]


@pytest.mark.parametrize("mode", MODES)
def test_times_written_z_in_winter_and_plus_one_in_summer_have_londons_days(tmp_path, mode):
    expected = _check(tmp_path, {"london.csv": LONDON},
                      {("2024-03-31", "2024-03-31"): ["l2", "l3"], ("2024-04-01", "2024-04-01"): ["l4"]},
                      first_last=(_d("2024-03-30"), _d("2024-04-01")), modes=(mode,))
    assert "Europe/London" in expected.zones


# Wall times without an offset in a file whose mapping names Australia/Sydney:
#   w1 7 Apr 02:30 (repeated hour, read in summer time +11:00) = 6 Apr 15:30 UTC, 7 Apr
#   w2 6 Oct 02:30 (skipped hour, moved to the gap's end 03:00 +11:00) = 5 Oct 16:00 UTC, 6 Oct
#   w3 6 Apr 23:30 +11:00 = 6 Apr 12:30 UTC, 6 Apr     w4 5 Oct 23:30 +10:00 = 5 Oct 13:30 UTC, 5 Oct
# 7 Apr keeps w1 (UTC's: none); 6 Oct w2 (UTC's: none); 5 Oct w4 (UTC's: w4 w2)
SYDNEY_WALL = [("w1", "2024-04-07 02:30:00", "page_view"), ("w2", "2024-10-06 02:30:00", "page_view"),
               ("w3", "2024-04-06 23:30:00", "page_view"), ("w4", "2024-10-05 23:30:00", "page_view")]


@pytest.mark.parametrize("mode", MODES)
def test_a_mapping_naming_sydney_gives_sydney_days(tmp_path, mode):
    expected = _check(tmp_path, {"wall.csv": SYDNEY_WALL},
                      {("2024-04-07", "2024-04-07"): ["w1"], ("2024-10-06", "2024-10-06"): ["w2"],
                       ("2024-10-05", "2024-10-05"): ["w4"], ("2024-04-06", "2024-04-06"): ["w3"]},
                      zones={"wall.csv": "Australia/Sydney"},
                      first_last=(_d("2024-04-06"), _d("2024-10-06")), modes=(mode,))
    assert expected.named == "Australia/Sydney"


@pytest.mark.postgres
def test_a_postgresql_table_read_in_sydney_has_sydney_days_with_a_time_in_the_skipped_hour(postgres_url):
    # SYDNEY_WALL as a table of text read in Australia/Sydney: w2's 02:30 in the skipped hour is on +11:00 there too
    from cjm.data.source import dataset_from_table
    from tests.postgres import text_table

    text_table(postgres_url, "wall", _csv(SYDNEY_WALL))
    backend = engine.connect(postgres_url)
    try:
        mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event"},
                                timezone="Australia/Sydney")
        dataset = dataset_from_table(backend, "wall", mapping=mapping)
        assert dates_clock(dataset).zone == "Australia/Sydney"
        assert [_kept(dataset, day, day) for day in ("2024-04-07", "2024-10-06", "2024-10-05")] == \
            [["w1"], ["w2"], ["w4"]]
    finally:
        backend.close()


@pytest.mark.parametrize("mode", MODES)
def test_a_mapping_naming_paris_for_times_written_at_paris_offsets_gives_paris_days(tmp_path, mode):
    # PARIS read in Europe/Paris: every time carries the offset Paris gives it, so every event is on Paris' clock (the
    # zone named and the offsets agree): PARIS_RANGES as without the mapping
    expected = _check(tmp_path, {"boutique.csv": PARIS}, PARIS_RANGES, zones={"boutique.csv": "Europe/Paris"},
                      first_last=(_d("2024-03-30"), _d("2024-10-28")), modes=(mode,))
    assert "Europe/Paris" in expected.zones


@pytest.mark.parametrize("mode", MODES)
def test_a_mapping_naming_new_york_for_times_at_offsets_new_york_never_gives_then_keeps_utc_days(tmp_path, mode):
    # read in America/New_York, but written at -04:00 in January and -05:00 in July (New York's offsets, each in the
    # other season): x1 15 Jan 23:30 -04:00 = 16 Jan 03:30 UTC (New York's 15 Jan 22:30), x2 15 Jul 23:30 -05:00 = 16
    # Jul 04:30 UTC (New York's 16 Jul 00:30). The data names New York and two offsets it does not give then: mixed
    # clocks, UTC's days. 16 Jan keeps x1 (New York's days would keep it on 15 Jan, as cjm did in place); 16 Jul x2
    swapped = [("x1", "2024-01-15T23:30:00-04:00", "page_view"), ("x2", "2024-07-15T23:30:00-05:00", "page_view")]
    expected = _check(tmp_path, {"swapped.csv": swapped},
                      {("2024-01-15", "2024-01-15"): [], ("2024-01-16", "2024-01-16"): ["x1"],
                       ("2024-07-16", "2024-07-16"): ["x2"]},
                      zones={"swapped.csv": "America/New_York"},
                      first_last=(_d("2024-01-16"), _d("2024-07-16")), modes=(mode,))
    assert expected.kind == "utc"


# Paris written day first, slashed, with an offset after the time (30/03 can only be day-first: 1 April, 3 April):
#   d1 30 Mar 23:30 +01:00 = 22:30 UTC, 30 Mar      d2 31 Mar 00:30 +01:00 = 30 Mar 23:30 UTC, 31 Mar
#   d3 1 Apr 00:30 +02:00 = 31 Mar 22:30 UTC, 1 Apr   d4 3 Apr 12:00 +02:00 = 10:00 UTC, 3 Apr
# 31 Mar keeps d2 (UTC's: d3); 1-3 Apr d3 d4
DAY_FIRST = [("d1", "30/03/2024 23:30 +01:00", "page_view"), ("d2", "31/03/2024 00:30 +01:00", "page_view"),
             ("d3", "01/04/2024 00:30 +02:00", "page_view"), ("d4", "03/04/2024 12:00 +02:00", "page_view")]


@pytest.mark.parametrize("mode", MODES)
def test_day_first_dates_with_paris_offsets_give_paris_days(tmp_path, mode):
    expected = _check(tmp_path, {"jour.csv": DAY_FIRST},
                      {("2024-03-31", "2024-03-31"): ["d2"], ("2024-04-01", "2024-04-03"): ["d3", "d4"]},
                      first_last=(_d("2024-03-30"), _d("2024-04-03")), modes=(mode,))
    assert "Europe/Paris" in expected.zones


# Randomised: a zone from zoneinfo (two seeds in three one whose offset changes in 2024-2025), instants over
# 2024-2025 (uniform, plus some within 90 minutes of the zone's changes of offset and 45 of its midnights), written at
# the zone's offsets in one of four styles, or as wall times without an offset in a file whose mapping names the zone
# (then also some wall times in the hour summer time skips); ranges of random days.
ZONES = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
STYLES = ("space", "plain", "colon", "T")
LO, HI = pd.Timestamp("2024-01-01", tz="UTC"), pd.Timestamp("2026-01-01", tz="UTC")


def _changes(zone):
    hours = pd.date_range(LO, HI, freq="15min").tz_convert(zone)
    offsets = pd.Series([t.utcoffset() for t in hours])
    return [(hours[i - 1], hours[i]) for i in offsets.index[offsets.ne(offsets.shift())][1:]]


def _changing_zones():
    days = pd.date_range(LO, HI, freq="7D")
    return [z for z in ZONES if (days.tz_convert(z).tz_localize(None) - days.tz_localize(None)).nunique() > 1]


def _random_rows(seed, wall=False):
    rng = random.Random(seed)
    zone = rng.choice(_changing_zones() if seed % 3 else ZONES)
    span = int((HI - LO).total_seconds())
    instants = [LO + pd.Timedelta(seconds=rng.randrange(span)) for _ in range(30)]
    changes = _changes(zone)
    for before, after in changes:
        instants += [after.tz_convert("UTC") + pd.Timedelta(minutes=rng.randrange(-90, 90)) for _ in range(3)]
    for _ in range(10):  # near a local midnight
        day = (LO + pd.Timedelta(days=rng.randrange(700))).tz_convert(zone).normalize()
        instants.append(day.tz_convert("UTC") + pd.Timedelta(minutes=rng.randrange(-45, 45)))
    instants = [pd.Timestamp(t.floor("s")) for t in instants]
    if wall:  # as written on the zone's clock, without an offset; and some in the hour summer time skips
        texts = [t.tz_convert(zone).strftime("%Y-%m-%d %H:%M:%S") for t in instants]
        for before, after in changes:
            skipped = (after.tz_localize(None) - (before.tz_localize(None) + pd.Timedelta(minutes=15)))
            if skipped > pd.Timedelta(0):  # the wall clock jumps forward: the times in between are skipped
                gap_start = before.tz_localize(None) + pd.Timedelta(minutes=15)
                texts += [(gap_start + pd.Timedelta(seconds=rng.randrange(int(skipped.total_seconds()))))
                          .strftime("%Y-%m-%d %H:%M:%S") for _ in range(2)]
    else:
        style = rng.choice(STYLES)
        texts = ref.write_at_zone(instants, zone, "colon" if style == "space" else style)
        if style == "space":
            texts = [t[:-6] + " " + t[-6:] for t in texts]
    rows = [(f"r{i}", t, "page_view") for i, t in enumerate(texts)]
    events = ref.read([(rows, zone if wall else None)])
    days = sorted(set(ref.local_dates(events, ref.clock(events))))
    ranges = {}
    for _ in range(6):
        a, b = sorted(rng.sample(days, 2)) if rng.random() < 0.5 else [rng.choice(days)] * 2
        ranges[(a.isoformat(), b.isoformat())] = None
    return zone, rows, ranges


def _random_check(tmp_path, seed, mode, wall):
    zone, rows, ranges = _random_rows(seed, wall)
    name = f"shop_{seed}.csv"
    events = ref.read([(rows, zone if wall else None)])
    expected = ref.clock(events)
    assert zone in expected.zones or expected.kind == "utc" and expected.offset == 0  # the reference finds the zone
    hand = {r: [events[i].customer for i in ref.kept(events, *r, expected)] for r in ranges}
    _check(tmp_path, {name: rows}, hand, zones={name: zone} if wall else None,
           first_last=ref.first_last_day(events, expected), modes=(mode,))


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("mode", MODES)
def test_times_written_at_a_random_zones_offsets_have_that_zones_days(tmp_path, seed, mode):
    _random_check(tmp_path, seed, mode, wall=False)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("mode", MODES)
def test_wall_times_read_in_a_random_zone_named_by_the_mapping_have_that_zones_days(tmp_path, seed, mode):
    _random_check(tmp_path, seed, mode, wall=True)


def test_two_files_of_one_name_read_in_place_from_two_folders_each_have_their_own_days(tmp_path):
    # orders_export.csv of the New York shop in one folder, of the Paris boutique in another, read in place one after
    # the other (two sessions of the app, or a new export over the old one): each has its own zone's days. The in-place
    # key named the file but not which file, so the second got the first's clock from dates_clock's cache (New York's
    # days for Paris' events: 31 Mar kept p2 p3's UTC 30 Mar 23:30 and 31 Mar 21:30 only as New York's 30/31 Mar)
    first, second = tmp_path / "new_york", tmp_path / "paris"
    first.mkdir()
    second.mkdir()
    (first / "orders_export.csv").write_text(_csv(NEW_YORK))
    (second / "orders_export.csv").write_text(_csv(PARIS))
    new_york = dataset_from_files([first / "orders_export.csv"])
    paris = dataset_from_files([second / "orders_export.csv"])
    assert new_york.key != paris.key
    assert (dates_clock(new_york).zone, dates_clock(paris).zone) == ("America/New_York", "Europe/Paris")
    assert _kept(paris, "2024-03-31", "2024-03-31") == ["p2", "p3"]


# Apia's four offsets in a year: -11:00 in winter, -10:00 in summer time, then it crossed the date line (30 Dec 2011
# never happened there): +14:00 in summer time, +13:00 in winter.
#   a1 15 Jun 2011 23:30 -1100 = 16 Jun 10:30 UTC, 15 Jun      a2 29 Dec 2011 23:30 -1000 = 30 Dec 09:30 UTC, 29 Dec
#   a3 31 Dec 2011 00:30 +1400 = 30 Dec 10:30 UTC, 31 Dec      a4 15 Jun 2012 23:30 +1300 = 15 Jun 10:30 UTC, 15 Jun
# Apia's rules give all four: its days. 29-30 Dec keeps a2 (UTC's 30 Dec: a2 a3); 31 Dec a3; days 15 Jun 2011 - 15 Jun
# 2012 (UTC's 16 Jun 2011 - 15 Jun 2012). cjm looked for a zone only among two or three offsets: UTC's days.
APIA = [("a1", "2011-06-15 23:30:00 -1100", "page_view"), ("a2", "2011-12-29 23:30:00 -1000", "page_view"),
        ("a3", "2011-12-31 00:30:00 +1400", "page_view"), ("a4", "2012-06-15 23:30:00 +1300", "page_view")]


@pytest.mark.parametrize("mode", MODES)
def test_times_at_four_offsets_of_one_zone_have_that_zones_days(tmp_path, mode):
    expected = _check(tmp_path, {"apia.csv": APIA},
                      {("2011-12-29", "2011-12-30"): ["a2"], ("2011-12-31", "2011-12-31"): ["a3"],
                       ("2011-12-30", "2011-12-30"): []},
                      first_last=(_d("2011-06-15"), _d("2012-06-15")), modes=(mode,))
    assert "Pacific/Apia" in expected.zones
