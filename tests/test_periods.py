import pandas as pd
import pytest

from cjm import engine
from cjm.data.dataset import Dataset
from cjm.errors import ParameterError
from cjm.journey.funnel import FunnelParams
from cjm.journey.periods import compare_periods, default_periods

FUNNEL = FunnelParams(steps=("view", "buy"), step_kind="event")


def two_periods(previous=(100, 30), current=(100, 45), *, previous_day="2023-09-01", current_day="2024-03-01"):
    """Viewers (and buyers an hour later) on one day of each period; data end 1 Apr 2024."""
    rows = []
    for tag, day, (customers, buyers) in (("p", previous_day, previous), ("c", current_day, current)):
        for i in range(customers):
            rows.append((f"{tag}{i}", f"{day} 00:00", "view"))
            if i < buyers:
                rows.append((f"{tag}{i}", f"{day} 01:00", "buy"))
    rows.append(("z", "2024-04-01 12:00", "other"))
    return Dataset.from_events(engine.events_table(pd.DataFrame(rows, columns=["customer_id", "timestamp", "event"])))


def test_by_default_the_last_6_months_are_compared_with_the_6_before():
    result = compare_periods(two_periods(), params=FUNNEL).set_index("step")
    assert (result.loc["view", "customers_previous"], result.loc["view", "customers_current"]) == (100, 100)
    assert (result.loc["buy", "customers_previous"], result.loc["buy", "customers_current"]) == (30, 45)
    assert result.loc["buy", "conversion_previous"] == pytest.approx(0.30)
    assert result.loc["buy", "conversion_current"] == pytest.approx(0.45)
    assert result.loc["buy", "change_points"] == pytest.approx(15.0)
    assert result.loc["buy", "p_value"] == pytest.approx(0.02846, abs=1e-4)
    assert result.loc["buy", "significant"]
    assert result.loc["buy", "current_start"] == pd.Timestamp("2023-10-02", tz="UTC")
    assert result.loc["buy", "current_end"] == pd.Timestamp("2024-04-02", tz="UTC")
    assert result.loc["buy", "previous_start"] == pd.Timestamp("2023-04-02", tz="UTC")


def test_the_first_step_has_no_test_and_a_small_change_is_not_significant():
    result = compare_periods(two_periods(current=(100, 32)), params=FUNNEL)
    assert pd.isna(result.loc[0, "p_value"]) and not result.loc[0, "significant"]
    assert result.loc[1, "p_value"] == pytest.approx(0.76, abs=0.01)
    assert not result.loc[1, "significant"]


def test_explicit_periods_are_used_start_included_end_excluded():
    table = two_periods()
    result = compare_periods(table, params=FUNNEL, current=("2024-03-01", "2024-03-02"),
                             previous=("2023-09-01 00:30", "2023-09-02"))
    assert result["customers_current"].tolist() == [100, 45]
    assert result["customers_previous"].tolist() == [0, 0]  # the views at 00:00 fall before the start
    assert result["conversion_previous"].isna().all()
    assert result["p_value"].isna().all()


def test_a_period_without_one_of_the_steps_counts_0_customers_there():
    table = two_periods(previous=(50, 0))
    result = compare_periods(table, params=FUNNEL)
    assert result["customers_previous"].tolist() == [50, 0]
    assert result.loc[1, "conversion_previous"] == 0.0


def test_an_unknown_step_is_still_refused_for_the_whole_data():
    with pytest.raises(ParameterError, match="'pay'"):
        compare_periods(two_periods(), params=FunnelParams(steps=("view", "pay"), step_kind="event"))


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ParameterError, match="current"):
        compare_periods(two_periods(), params=FUNNEL, current=("2024-03-02", "2024-03-01"))


def test_default_periods_end_at_the_midnight_after_the_last_event():
    current, previous = default_periods(pd.Timestamp("2024-08-31 23:59", tz="UTC"))
    assert current == (pd.Timestamp("2024-03-01", tz="UTC"), pd.Timestamp("2024-09-01", tz="UTC"))
    assert previous == (pd.Timestamp("2023-09-01", tz="UTC"), pd.Timestamp("2024-03-01", tz="UTC"))
