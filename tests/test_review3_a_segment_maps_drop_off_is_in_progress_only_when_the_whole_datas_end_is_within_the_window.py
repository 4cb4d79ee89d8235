"""Review 3: the journey map's drop-off cell says how many who dropped are "still in progress": their window is
open at the end of the data (DESIGN.md section 4). A segment's map must use the end of the data, not the
segment's own last event: otherwise a customer is abandoned on the all-customers map and in progress on their
segment's map, and the segments' in-progress counts exceed the whole's."""

import re

import numpy as np

from cjm.maps import build_current_map
from tests.helpers import dataset

MAPPED = {"ad_click": "awareness", "product_view": "consideration", "purchase": "conversion",
          "invoice": "retention"}
COLUMNS = ("customer_id", "timestamp", "event", "segment")


def test_a_segment_whose_events_end_early_shows_its_closed_windows_as_abandoned():
    # silver: s saw an ad on 1 Jan and nothing after; t went on to a view on 2 Jan (the segment's last event).
    # The data ends on 1 Feb (gold's z): s's 7-day window closed on 8 Jan: abandoned, not in progress.
    rows = [("s", "2024-01-01 00:00", "ad_click", "silver"), ("t", "2024-01-01 00:00", "ad_click", "silver"),
            ("t", "2024-01-02 00:00", "product_view", "silver"),
            ("g", "2024-01-01 00:00", "ad_click", "gold"), ("g", "2024-01-02 00:00", "product_view", "gold"),
            ("z", "2024-02-01 00:00", "invoice", "gold")]
    data = dataset(rows, COLUMNS, stages=MAPPED)
    assert build_current_map(data).cell("dropoff", "awareness").value == "1 of 3 (33.3%)"
    assert build_current_map(data, segment="silver").cell("dropoff", "awareness").value == "1 of 2 (50.0%)"


def _in_progress(jm, stage):
    found = re.search(r"([\d,]+) of them still in progress", jm.cell("dropoff", stage).value)
    return int(found.group(1).replace(",", "")) if found else 0


def test_on_random_logs_the_segments_in_progress_add_up_to_the_whole_maps():
    names = list(MAPPED)
    for seed in range(4):
        rng = np.random.default_rng(seed)
        rows = []
        for c in range(40):
            segment = "gold" if c % 2 else "silver"
            start = int(rng.integers(0, 40 * 24))
            for k in range(int(rng.integers(1, 6))):
                hour = start + k * int(rng.integers(1, 72))
                if segment == "silver":
                    hour = min(hour, 20 * 24)  # silver's events end on 21 Jan, gold's run into February
                stamp = np.datetime64("2024-01-01T00:00") + np.timedelta64(hour, "h")
                rows.append((f"c{c}", str(stamp).replace("T", " "), names[int(rng.integers(0, 4))], segment))
        data = dataset(rows, COLUMNS, stages=MAPPED)
        whole = build_current_map(data)
        parts = [build_current_map(data, segment=s) for s in ("gold", "silver")]
        for stage in whole.cells["dropoff"]:
            assert sum(_in_progress(p, stage) for p in parts if stage in p.cells.get("dropoff", {})) \
                == _in_progress(whole, stage), (seed, stage)
