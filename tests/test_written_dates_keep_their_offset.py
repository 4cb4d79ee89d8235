"""US dates written with an offset ('03/15/2024 2:30 PM -05:00', read by dateparser as written dates) keep the clock
they were written on beside their UTC time (cjm.data.schema.CLOCK; cjm.data.timestamps.clock_offsets), as ISO times
with an offset do: the day map puts them on that clock and the date filter's days are that offset's.

The hand export US (Friday 15 and Saturday 16 March 2024, all at UTC-05:00):

  a  03/15/2024 2:30 PM -05:00  = 19:30 UTC 15 Mar     -> 12-15 on its clock (18-21 in UTC)
  b  03/16/2024 9:05 AM -05:00  = 14:05 UTC 16 Mar     -> 09-12 on its clock (12-15 in UTC)
  c  03/15/2024 11:30 PM -05:00 = 04:30 UTC 16 Mar     -> 21-24 on Friday (03-06 on Saturday in UTC)
"""

from __future__ import annotations

import pandas as pd

from cjm import engine
from cjm.data.clock import dates_clock
from cjm.data.dataset import load_dataset
from cjm.data.filters import Filters
from cjm.data.timestamps import WRITTEN, clock_offsets, parse_timestamps
from cjm.maps import build_day_map

US = ("customer_id,timestamp,event\n"
      "a,03/15/2024 2:30 PM -05:00,page_view\n"
      "b,03/16/2024 9:05 AM -05:00,page_view\n"
      "c,03/15/2024 11:30 PM -05:00,page_view\n")


def test_a_written_date_with_an_offset_keeps_that_offset_as_its_clock():
    # 14:30 at -05:00 is 19:30 UTC: -18000 s; 09:30 at +01:00 is 08:30 UTC: +3600 s; a date without an offset read in
    # UTC keeps no clock of its own (0: nothing to add when every value is so)
    values = pd.Series(["03/15/2024 2:30 PM -05:00", "16/03/2024 09:30 +01:00"], dtype="string")
    parsed = parse_timestamps(values)
    assert parsed.style == WRITTEN
    assert list(parsed.values) == [pd.Timestamp("2024-03-15 19:30", tz="UTC"),
                                   pd.Timestamp("2024-03-16 08:30", tz="UTC")]
    assert clock_offsets(values, parsed).tolist() == [-18000, 3600]
    plain = pd.Series(["Mar 15, 2024 2:30 PM", "Mar 16, 2024 9:05 AM"], dtype="string")
    assert clock_offsets(plain, parse_timestamps(plain)) is None


def test_the_day_map_puts_us_dates_written_with_an_offset_on_that_offsets_clock(tmp_path):
    path = tmp_path / "us.csv"
    path.write_text(US)
    day = build_day_map(load_dataset([path]))
    # a 14:30 in 12-15, b 09:05 in 09-12, c 23:30 in 21-24 (in UTC they were 18-21, 12-15 and 03-06)
    assert [day.cell("interactions", f"h{h:02d}").evidence.events for h in range(0, 24, 3)] == [0, 0, 0, 1, 1, 0, 0, 1]
    assert day.heat[4][14] == 1 and day.heat[4][23] == 1 and day.heat[5][9] == 1  # Fri 14:30, Fri 23:30, Sat 09:05
    assert day.persona.description.endswith("hours at UTC-05:00, the offset the times are written with")


def test_the_date_filter_cuts_us_dates_written_with_an_offset_at_that_offsets_midnights(tmp_path):
    # 15 Mar at UTC-05:00 is [15 Mar 05:00, 16 Mar 05:00 UTC): a (19:30) and c (04:30 16 Mar), not b (14:05 16 Mar)
    path = tmp_path / "us.csv"
    path.write_text(US)
    dataset = load_dataset([path])
    assert dates_clock(dataset).label == "UTC-05:00"
    events = dataset.filtered(Filters(start="2024-03-15", end="2024-03-15")).events
    assert sorted(engine.execute(events.select("customer_id"))["customer_id"]) == ["a", "c"]
