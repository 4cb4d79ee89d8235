import pandas as pd
import pytest

from cjm import engine
from cjm.data.dataset import Dataset
from cjm.errors import ParameterError
from cjm.journey.funnel import FunnelParams
from cjm.errors import InsufficientDataError
from cjm.journey.kpis import default_periods
from cjm.journey.periods import DEFAULT_LENGTH, compare_periods

FUNNEL = FunnelParams(steps=("view", "buy"), step_kind="event")


def two_periods(previous=(100, 30), current=(100, 45), *, previous_day="2023-09-01", current_day="2024-03-01",
                since=None):
    """Viewers (and buyers an hour later) on one day of each period; data end 1 Apr 2024. `since`: the day of
    one more event ("other"), so that the data starts then."""
    rows = [] if since is None else [("y", since, "other")]
    for tag, day, (customers, buyers) in (("p", previous_day, previous), ("c", current_day, current)):
        for i in range(customers):
            rows.append((f"{tag}{i}", f"{day} 00:00", "view"))
            if i < buyers:
                rows.append((f"{tag}{i}", f"{day} 01:00", "buy"))
    rows.append(("z", "2024-04-01 12:00", "other"))
    return Dataset.from_events(engine.events_table(pd.DataFrame(rows, columns=["customer_id", "timestamp", "event"])))


def test_by_default_the_last_6_months_are_compared_with_the_6_before():
    # the data covers a year and more (1 Mar 2023 .. 1 Apr 2024): two whole 6-month periods fit in it
    result = compare_periods(two_periods(since="2023-03-01"), params=FUNNEL).set_index("step")
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
    # data from 1 Jan 2023 (two whole 6-month periods fit) to 31 Aug 2024 23:59
    current, previous = default_periods(pd.Timestamp("2023-01-01", tz="UTC"), pd.Timestamp("2024-08-31 23:59", tz="UTC"),
                                        length=DEFAULT_LENGTH)
    assert current == (pd.Timestamp("2024-03-01", tz="UTC"), pd.Timestamp("2024-09-01", tz="UTC"))
    assert previous == (pd.Timestamp("2023-09-01", tz="UTC"), pd.Timestamp("2024-03-01", tz="UTC"))


def test_by_default_seven_months_of_data_are_compared_in_two_halves():
    # data from 1 Sep 2023 to 1 Apr 2024 12:00, less than two 6-month periods: the halves of [1 Sep 2023, 2 Apr
    # 2024), 214 days (30 + 31 + 30 + 31 + 31 + 29 + 31 + 1), 107 days each: 2 Apr 2024 - 107 days = 17 Dec 2023.
    # Before: the 6 months ending 2 Apr 2024 against [2 Apr 2023, 2 Oct 2023), of which 5 months precede the data.
    result = compare_periods(two_periods(), params=FUNNEL).set_index("step")
    utc = lambda s: pd.Timestamp(s, tz="UTC")  # noqa: E731
    assert (result.loc["buy", "previous_start"], result.loc["buy", "previous_end"]) == (utc("2023-09-01"),
                                                                                      utc("2023-12-17"))
    assert (result.loc["buy", "current_start"], result.loc["buy", "current_end"]) == (utc("2023-12-17"),
                                                                                    utc("2024-04-02"))
    # the September customers in the previous half, the March ones in the current half
    assert result["customers_previous"].tolist() == [100, 30] and result["customers_current"].tolist() == [100, 45]


def test_the_default_periods_are_the_overviews_rule_with_6_months():
    # one rule for both pages: the KPIs' function with a length of 6 months gives the comparison's default
    first, last = pd.Timestamp("2024-01-10", tz="UTC"), pd.Timestamp("2024-03-31", tz="UTC")
    # 10 Jan .. 31 Mar: [10 Jan, 1 Apr) is 82 days (22 + 29 + 31), under a year: halves of 41 days, split at 20 Feb
    current, previous = default_periods(first, last, length=DEFAULT_LENGTH)
    assert current == (pd.Timestamp("2024-02-20", tz="UTC"), pd.Timestamp("2024-04-01", tz="UTC"))
    assert previous == (pd.Timestamp("2024-01-10", tz="UTC"), pd.Timestamp("2024-02-20", tz="UTC"))
    rows = [("a", "2024-01-10", "view"), ("a", "2024-01-11", "buy"), ("b", "2024-03-31", "view")]
    result = compare_periods(Dataset.from_events(engine.events_table(pd.DataFrame(rows, columns=["customer_id", "timestamp",
                                                                                                 "event"]))),
                             params=FUNNEL)
    assert (result.loc[0, "previous_start"], result.loc[0, "previous_end"]) == previous
    assert (result.loc[0, "current_start"], result.loc[0, "current_end"]) == current
    assert result["customers_previous"].tolist() == [1, 1] and result["customers_current"].tolist() == [1, 0]


def test_by_default_data_within_one_day_is_compared_in_the_halves_of_its_own_span():
    # 17 minutes: first 00:00:10, last 00:17:20. End: the minute after the last, 00:18; the middle 00:08:45 to the
    # minute, 00:08; previous the 10 minutes before it, [30 Sep 23:58, 1 Oct 00:08)
    rows = [("a", "2019-10-01 00:00:10", "view"), ("a", "2019-10-01 00:03:00", "buy"),
            ("b", "2019-10-01 00:05:00", "view"), ("c", "2019-10-01 00:09:00", "view"),
            ("c", "2019-10-01 00:12:00", "buy"), ("d", "2019-10-01 00:15:00", "view"),
            ("e", "2019-10-01 00:17:20", "view")]
    result = compare_periods(Dataset.from_events(engine.events_table(pd.DataFrame(rows, columns=["customer_id", "timestamp",
                                                                                                 "event"]))),
                             params=FUNNEL)
    utc = lambda s: pd.Timestamp(s, tz="UTC")  # noqa: E731
    assert (result.loc[0, "previous_start"], result.loc[0, "previous_end"]) == (utc("2019-09-30 23:58"),
                                                                                utc("2019-10-01 00:08"))
    assert (result.loc[0, "current_start"], result.loc[0, "current_end"]) == (utc("2019-10-01 00:08"),
                                                                              utc("2019-10-01 00:18"))
    # previous: a (view, buy) and b (view): 2 viewers, 1 buyer; current: c (view, buy), d, e: 3 viewers, 1 buyer
    assert result["customers_previous"].tolist() == [2, 1] and result["customers_current"].tolist() == [3, 1]


def test_data_within_a_minute_has_no_default_earlier_period_but_given_periods_still_compare():
    rows = [("a", "2019-10-01 00:00:10", "view"), ("a", "2019-10-01 00:00:40", "buy")]
    log = Dataset.from_events(engine.events_table(pd.DataFrame(rows, columns=["customer_id", "timestamp", "event"])))
    # the message names the span and what to do in the app (its pickers hold whole days, no times)
    with pytest.raises(InsufficientDataError, match=r"between 01 Oct 2019 00:00 and 00:00 UTC: too little time "
                                                    r"to split into two periods .* Load data that spans more time"):
        compare_periods(log, params=FUNNEL)
    result = compare_periods(log, params=FUNNEL, previous=("2019-10-01 00:00:00", "2019-10-01 00:00:30"),
                             current=("2019-10-01 00:00:30", "2019-10-01 00:01"))
    # previous: a's view at 00:00:10 (its buy is after the end); current: a's buy only, no view
    assert result["customers_previous"].tolist() == [1, 0] and result["customers_current"].tolist() == [0, 0]


def test_real_rees46_period_comparison_by_default_compares_two_halves_that_both_hold_data():
    from cjm.data.dataset import load_dataset
    from tests.helpers import real_file

    raw = pd.read_csv(real_file("rees46_2019-Oct-sample.csv"), dtype={"user_id": str})
    raw["t"] = pd.to_datetime(raw["event_time"].str.replace(" UTC", ""), utc=True)
    assert (raw["t"].min(), raw["t"].max()) == (pd.Timestamp("2019-10-01 00:00:00", tz="UTC"),
                                                pd.Timestamp("2019-10-01 00:17:26", tz="UTC"))

    def viewers_and_buyers(start, end):
        inside = raw[(raw["t"] >= start) & (raw["t"] < end)]
        first_view = inside[inside["event_type"] == "view"].groupby("user_id")["t"].min().rename("first_view")
        buys = inside[inside["event_type"] == "purchase"].join(first_view, on="user_id", how="inner")
        return [len(first_view), buys.loc[buys["t"] >= buys["first_view"], "user_id"].nunique()]

    # end 00:18 (the minute after 00:17:26); middle 00:08:43 to the minute, 00:08; previous [30 Sep 23:58, 00:08).
    # Before: the 6 months ending 2 Oct against the 6 before: 0 viewers against 330.
    utc = lambda s: pd.Timestamp(s, tz="UTC")  # noqa: E731
    result = compare_periods(load_dataset([real_file("rees46_2019-Oct-sample.csv")]),
                             params=FunnelParams(steps=("view", "purchase"), step_kind="event"))
    assert result.loc[0, "previous_start"] == utc("2019-09-30 23:58") and result.loc[0, "current_start"] == utc(
        "2019-10-01 00:08")
    assert result["customers_previous"].tolist() == viewers_and_buyers(utc("2019-09-30 23:58"), utc("2019-10-01 00:08"))
    assert result["customers_current"].tolist() == viewers_and_buyers(utc("2019-10-01 00:08"), utc("2019-10-01 00:18"))
    assert result.loc[0, "customers_previous"] > 0 and result.loc[0, "customers_current"] > 0


def test_periods_that_overlap_are_refused_with_both_periods_named():
    # [1 Sep 2023, 1 Mar 2024) and [1 Feb 2024, 2 Mar 2024) share February: a customer there would count twice
    with pytest.raises(ParameterError, match=r"overlap: previous 1 Sep 2023 – 29 Feb 2024 and current "
                                             r"1 Feb 2024 – 1 Mar 2024"):
        compare_periods(two_periods(), params=FUNNEL, previous=("2023-09-01", "2024-03-01"),
                        current=("2024-02-01", "2024-03-02"))


def test_periods_that_touch_at_a_bound_do_not_overlap():
    # half-open: [1 Sep 2023, 1 Mar 2024) ends where [1 Mar 2024, 2 Mar 2024) starts
    result = compare_periods(two_periods(), params=FUNNEL, previous=("2023-09-01", "2024-03-01"),
                             current=("2024-03-01", "2024-03-02"))
    assert result["customers_previous"].tolist() == [100, 30]
    assert result["customers_current"].tolist() == [100, 45]


def test_a_step_compared_on_fewer_than_100_customers_a_period_is_marked_too_few():
    # 99 and 100 customers at step 1: the previous period is under 100, so the buy step is too few to tell;
    # step 1 is never compared
    result = compare_periods(two_periods(previous=(99, 30)), params=FUNNEL)
    assert result["too_few"].tolist() == [False, True]


def test_enough_customers_and_expected_counts_are_not_too_few():
    # 100 and 100 customers, 30 and 45 buyers: pooled rate 75/200 = 0.375, expected buyers 37.5 and
    # non-buyers 62.5 in each period (all >= 5): enough
    assert compare_periods(two_periods(), params=FUNNEL)["too_few"].tolist() == [False, False]


def test_fewer_than_5_expected_conversions_are_too_few_even_with_many_customers():
    # 200 and 200 customers, 2 and 6 buyers: pooled 8/400 = 0.02, expected buyers 200 x 0.02 = 4 < 5
    result = compare_periods(two_periods(previous=(200, 2), current=(200, 6)), params=FUNNEL)
    assert result["too_few"].tolist() == [False, True]
