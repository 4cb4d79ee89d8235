"""Have new gaps appeared? The device gaps of two periods side by side, worked out by hand.

The data runs from 1 Jan to 31 Dec 2024, so the default periods are the last 6 months against the 6 before:
previous [1 Jan 2024, 1 Jul 2024), current [1 Jul 2024, 1 Jan 2025). page_view is at consideration, purchase at
conversion (the next stage): "moved on" is a later purchase inside the same period.

Previous period: a mobile -> desktop, bought (moved on); b mobile -> desktop, did not; j desktop -> mobile, did not;
stayers at consideration (no device switch there): z (its one view on 1 Jan), c (bought) and h (its 30 Jun view)
-> without a switch 1/3.
  mobile -> desktop: 2 customers, after 1/2 = 0.5, lost 2 x max(0, 1/3 - 0.5) = 0.
  desktop -> mobile: 1 customer, after 0/1 = 0, lost 1 x 1/3 = 1/3.
Current period: d and e mobile -> tablet, neither bought; k desktop -> mobile, bought; stayers f, g, h (its 1 Jul
view: h's switch from 30 Jun 23:00 to 1 Jul 01:00 spans the boundary, so it is in neither period) and i (bought)
-> without a switch 1/4 = 0.25.
  mobile -> tablet: 2 customers, after 0, lost 2 x 0.25 = 0.5 (new: nobody made it before).
  desktop -> mobile: 1 customer, after 1/1 = 1.0, lost 0.
  mobile -> desktop: nobody (gone).
"""

import pandas as pd
import pytest

from cjm.data.dataset import build_dataset
from cjm.errors import ParameterError
from cjm.journey.gap_periods import compare_gap_periods, gap_periods_headline
from cjm.journey.gaps import GapParams
from tests.helpers import parsed_text

ROWS = """customer_id,timestamp,event,device
z,2024-01-01 10:00,page_view,desktop
a,2024-02-01 10:00,page_view,mobile
a,2024-02-01 10:05,purchase,desktop
b,2024-02-02 10:00,page_view,mobile
b,2024-02-02 10:05,page_view,desktop
c,2024-02-03 10:00,page_view,desktop
c,2024-02-03 10:05,purchase,desktop
j,2024-03-01 10:00,page_view,desktop
j,2024-03-01 10:05,page_view,mobile
h,2024-06-30 23:00,page_view,mobile
h,2024-07-01 01:00,page_view,desktop
d,2024-08-01 10:00,page_view,mobile
d,2024-08-01 10:05,page_view,tablet
e,2024-08-02 10:00,page_view,mobile
e,2024-08-02 10:05,page_view,tablet
k,2024-09-01 10:00,page_view,desktop
k,2024-09-01 10:05,purchase,mobile
f,2024-08-03 10:00,page_view,desktop
f,2024-08-03 10:05,page_view,desktop
i,2024-08-04 10:00,page_view,desktop
i,2024-08-04 10:05,purchase,desktop
g,2024-12-31 10:00,page_view,desktop
"""


def _compare(**kwargs) -> pd.DataFrame:
    return compare_gap_periods(build_dataset(parsed_text(ROWS, "shop.csv")), **kwargs)


def test_a_switch_nobody_made_before_is_new_one_nobody_makes_now_is_gone_and_the_rest_are_in_both():
    found = _compare(params=GapParams(dimension="device", min_customers=1))
    assert found["switch"].tolist() == ["mobile → tablet", "desktop → mobile", "mobile → desktop"]
    assert found["status"].tolist() == ["new", "in both", "gone"]
    assert found["customers_previous"].tolist() == [0, 1, 2]
    assert found["customers_current"].tolist() == [2, 1, 0]
    assert found["customers_lost_previous"].tolist() == pytest.approx([0.0, 1 / 3, 0.0])
    assert found["customers_lost_current"].tolist() == pytest.approx([0.5, 0.0, 0.0])
    assert found["conversion_after_current"].tolist()[:2] == pytest.approx([0.0, 1.0])
    assert found["conversion_without_switch_current"].tolist()[:2] == pytest.approx([0.25, 0.25])
    assert found["conversion_after_previous"].tolist()[1:] == pytest.approx([0.0, 0.5])
    assert found["conversion_without_switch_previous"].tolist()[1:] == pytest.approx([1 / 3, 1 / 3])
    assert pd.isna(found.loc[0, "conversion_after_previous"]) and pd.isna(found.loc[2, "conversion_after_current"])
    assert found.loc[0, "previous_start"] == pd.Timestamp("2024-01-01", tz="UTC")
    assert found.loc[0, "current_start"] == pd.Timestamp("2024-07-01", tz="UTC")
    assert found.loc[0, "current_end"] == pd.Timestamp("2025-01-01", tz="UTC")


def test_a_switch_is_listed_when_enough_customers_made_it_in_either_period():
    # desktop -> mobile: 1 customer in each period, under 2 in both: left out; the others had 2 in one period.
    found = _compare(params=GapParams(dimension="device", min_customers=2))
    assert found["switch"].tolist() == ["mobile → tablet", "mobile → desktop"]


def test_the_headline_names_the_new_switch_with_its_customers():
    found = _compare(params=GapParams(dimension="device", min_customers=1))
    assert gap_periods_headline(found, dimension="device") == (
        "1 new device switch since the previous period: mobile → tablet (2 customers)")


def test_chosen_periods_are_used_and_periods_that_overlap_are_refused():
    # previous: February only (a and b mobile -> desktop, j is in March); current: August (d, e; k is in September)
    found = _compare(params=GapParams(dimension="device", min_customers=1),
                     previous=("2024-02-01", "2024-03-01"), current=("2024-08-01", "2024-09-01"))
    assert dict(zip(found["switch"], found["status"])) == {"mobile → tablet": "new", "mobile → desktop": "gone"}
    with pytest.raises(ParameterError, match="The periods overlap"):
        _compare(previous=("2024-01-01", "2024-08-01"), current=("2024-07-01", "2024-09-01"))


def test_the_chart_puts_both_periods_side_by_side_and_states_the_finding_with_its_n():
    from cjm.present.charts.gaps import gap_periods_chart

    found = _compare(params=GapParams(dimension="device", min_customers=1))
    spec = gap_periods_chart(found, title=gap_periods_headline(found, dimension="device"), dimension="device").to_dict()
    assert spec["title"]["text"] == "1 new device switch since the previous period: mobile → tablet (2 customers)"
    assert spec["title"]["subtitle"] == "3 switch types: 1 new, 1 in both, 1 gone"
    assert spec["encoding"]["y"]["sort"] == ["mobile → tablet", "desktop → mobile", "mobile → desktop"]
    assert spec["encoding"]["x"]["title"] == "Customers who made the switch"
    assert {t["title"] for t in spec["encoding"]["tooltip"]} >= {"Status", "Period", "Customers lost (estimate)"}
    rows = pd.DataFrame(next(iter(spec["datasets"].values())))
    counts = rows.pivot(index="switch", columns="period", values="customers")
    assert counts.loc["mobile → tablet"].tolist() == [2, 0]  # columns: Current period, Previous period
    assert counts.loc["mobile → desktop"].tolist() == [0, 2]


def test_the_gaps_page_shows_then_and_now_with_its_periods_and_a_table():
    from tests.apptest import open_app

    at = open_app("app_pages/gaps.py", files={"shop.csv": ROWS.encode()})
    at.number_input(key="cjm.gaps.min_customers").set_value(1).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Then and now: have new gaps appeared?" in [s.value for s in at.subheader]
    assert any(c.value.startswith("Compared: 1 Jan 2024 – 30 Jun 2024 (previous) against 1 Jul 2024 – 31 Dec 2024")
               for c in at.caption)
    table = at.dataframe[-1].value
    assert table["status"].tolist() == ["new", "in both", "gone"]
    assert table["customers (current)"].tolist() == [2, 1, 0]
    # picking the periods: February against August (as in the test of chosen periods above)
    at.date_input(key="cjm.gaps.period_previous").set_value((pd.Timestamp("2024-02-01").date(),
                                                               pd.Timestamp("2024-02-29").date())).run()
    at.date_input(key="cjm.gaps.period_current").set_value((pd.Timestamp("2024-08-01").date(),
                                                              pd.Timestamp("2024-08-31").date())).run()
    assert at.dataframe[-1].value["switch"].tolist() == ["mobile → tablet", "mobile → desktop"]
