import json
from dataclasses import replace

import pandas as pd
import pytest

from cjm.report.sections import abandonment_section
from cjm import engine
from cjm.data.dataset import Dataset
from cjm.journey.abandonment import (
    compute_abandonment,
    compute_abandonment_by,
    compute_checkout_abandonment,
    compute_last_touchpoints,
    compute_time_to_abandon,
)
from cjm.errors import InsufficientDataError, ParameterError
from cjm.journey.funnel import FunnelParams
from tests.helpers import dataset, real_file

FUNNEL = FunnelParams(steps=("view", "cart", "buy"), step_kind="event")  # 7-day window
# Data end: 15 Jan 00:00 (customer z).
LOG = [
    ("a", "2024-01-01 00:00", "view", "web"), ("a", "2024-01-01 01:00", "cart", "web"),
    ("a", "2024-01-01 02:00", "help", "web"),  # reached cart, never bought: abandons at buy
    ("b", "2024-01-02 00:00", "view", "app"), ("b", "2024-01-02 05:00", "faq", "app"),  # abandons at cart
    ("c", "2024-01-03 00:00", "view", "web"), ("c", "2024-01-03 01:00", "cart", "web"),
    ("c", "2024-01-03 02:00", "buy", "web"),  # completes
    ("d", "2024-01-08 00:00", "view", "app"),  # window ends 15 Jan 00:00 = data end: still in progress
    ("e", "2024-01-07 23:59", "view", "web"),  # window ends one minute before the data end: abandoned
    ("z", "2024-01-15 00:00", "other", "web"),
]
COLUMNS = ("customer_id", "timestamp", "event", "channel")


@pytest.fixture(scope="module")
def log():
    return dataset(LOG, COLUMNS)


def test_a_customer_whose_window_closed_before_the_end_of_the_data_abandons_and_one_still_open_is_in_progress(log):
    table = compute_abandonment(log, params=FUNNEL).set_index("step")
    cart = table.loc["cart"]
    assert cart["reached_previous"] == 5  # a, b, c, d, e viewed
    assert cart["reached"] == 2  # a, c
    assert cart["abandoned"] == 2  # b and e (e's window closed one minute before the data end)
    assert cart["in_progress"] == 1  # d: window ends exactly at the last timestamp
    assert cart["abandonment_rate"] == pytest.approx(2 / (5 - 1))
    buy = table.loc["buy"]
    assert (buy["reached_previous"], buy["reached"], buy["abandoned"], buy["in_progress"]) == (2, 1, 1, 0)
    assert buy["abandonment_rate"] == pytest.approx(0.5)


def test_the_rows_are_the_steps_from_the_second_in_funnel_order_and_every_customer_is_accounted_for(log):
    table = compute_abandonment(log, params=FUNNEL)
    assert list(table["step"]) == ["cart", "buy"]
    assert list(table["step_number"]) == [2, 3]
    assert (table["reached_previous"] == table["reached"] + table["abandoned"] + table["in_progress"]).all()


def test_one_more_event_after_the_window_moves_the_boundary_customer_from_in_progress_to_abandoned():
    later = LOG + [("z", "2024-01-15 00:00:01", "other", "web")]
    cart = compute_abandonment(dataset(later, COLUMNS), params=FUNNEL).set_index("step").loc["cart"]
    assert (cart["abandoned"], cart["in_progress"]) == (3, 0)


def test_a_newer_shallower_open_attempt_does_not_make_an_old_drop_off_in_progress():
    # DESIGN.md section 4 (clarified). Data end 1 Feb. a: attempt of 1 Jan reaches cart (its window
    # closed 8 Jan); the attempt of 30 Jan (open until 6 Feb) only reaches view. a is counted on the
    # deeper 1 Jan attempt, whose window closed: a abandoned at buy.
    # y: views on 2 Jan and 31 Jan, equally deep: counted on the earliest (closed 9 Jan): abandons at cart.
    # x: view on 28 Jan, counted attempt open until 4 Feb: in progress at cart.
    rows = [("a", "2024-01-01", "view"), ("a", "2024-01-01 01:00", "cart"), ("a", "2024-01-30", "view"),
            ("b", "2024-01-01", "view"), ("b", "2024-01-01", "cart"), ("b", "2024-01-01", "buy"),
            ("y", "2024-01-02", "view"), ("y", "2024-01-31", "view"), ("x", "2024-01-28", "view"),
            ("z", "2024-02-01", "other")]
    table = compute_abandonment(dataset(rows), params=FUNNEL).set_index("step")
    cart, buy = table.loc["cart"], table.loc["buy"]
    assert (cart["reached_previous"], cart["reached"], cart["abandoned"], cart["in_progress"]) == (4, 2, 1, 1)
    assert cart["abandonment_rate"] == pytest.approx(1 / 3)
    assert (buy["reached_previous"], buy["reached"], buy["abandoned"], buy["in_progress"]) == (2, 1, 1, 0)
    assert buy["abandonment_rate"] == pytest.approx(1 / 2)


def test_abandonment_by_channel_uses_the_channel_at_entry(log):
    by = compute_abandonment_by(log, params=FUNNEL, column="channel").set_index(["group", "step"])
    assert by.loc[("app", "cart"), "abandoned"] == 1  # b
    assert by.loc[("app", "cart"), "in_progress"] == 1  # d
    assert by.loc[("web", "cart"), "abandoned"] == 1  # e
    assert by.loc[("web", "cart"), "reached"] == 2  # a, c
    assert by.loc[("web", "buy"), "abandoned"] == 1  # a
    assert by["abandoned"].sum() == compute_abandonment(log, params=FUNNEL)["abandoned"].sum()


def test_abandonment_by_a_column_the_data_lacks_names_it(log):
    with pytest.raises(InsufficientDataError, match="'device'"):
        compute_abandonment_by(replace(log, events=log.events.drop("device")), params=FUNNEL, column="device")


def test_time_to_abandon_runs_from_the_last_step_to_the_last_event_before_the_window_closed(log):
    table = compute_time_to_abandon(log, params=FUNNEL).set_index("step")
    # cart: b left 5 h after viewing, e's view was their last event -> 18000 s and 0 s.
    assert table.loc["cart", "customers"] == 2
    assert table.loc["cart", "median_seconds"] == pytest.approx(9000)
    assert table.loc["cart", "no_later_activity"] == 1
    # buy: a's last event (help) came 1 h after the cart.
    assert table.loc["buy", "mean_seconds"] == pytest.approx(3600)


def test_events_after_the_window_closed_do_not_count_towards_time_to_abandon():
    rows = [("a", "2024-01-01", "view"), ("a", "2024-01-02", "faq"), ("a", "2024-01-20", "faq"),
            ("b", "2024-01-01", "view"), ("b", "2024-01-01", "cart"), ("b", "2024-01-01", "buy"),
            ("z", "2024-02-01", "other")]
    table = compute_time_to_abandon(dataset(rows), params=FUNNEL)
    assert table["mean_seconds"].tolist() == [86400.0]


def test_the_last_touchpoints_of_abandoners_are_ranked_by_customers(log):
    rows = LOG + [("f", "2024-01-04 00:00", "view", "web"), ("f", "2024-01-04 00:10", "faq", "web")]
    table = compute_last_touchpoints(dataset(rows, COLUMNS), params=FUNNEL, step="cart")
    assert table.iloc[0][["rank", "event", "customers"]].tolist() == [1, "faq", 2]  # b and f
    assert table.iloc[1][["rank", "event", "customers"]].tolist() == [2, "view", 1]  # e
    assert table["share"].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert set(table["abandoners"]) == {3}


def test_a_step_can_be_given_by_number_and_step_1_is_refused(log):
    assert compute_last_touchpoints(log, params=FUNNEL, step=3)["event"].tolist() == ["help"]
    with pytest.raises(ParameterError, match="step"):
        compute_last_touchpoints(log, params=FUNNEL, step="view")
    with pytest.raises(ParameterError, match="'pay'"):
        compute_last_touchpoints(log, params=FUNNEL, step="pay")


def test_stage_funnels_count_abandonment_between_stages():
    mapping = {"ad": "awareness", "view": "consideration", "buy": "conversion"}
    rows = [("a", "2024-01-01", "ad"), ("a", "2024-01-02", "view"), ("b", "2024-01-01", "ad"),
            ("c", "2024-01-01", "ad"), ("c", "2024-01-02", "view"), ("c", "2024-01-03", "buy"),
            ("z", "2024-03-01", "ad")]
    params = FunnelParams(steps=("awareness", "consideration", "conversion"))
    table = compute_abandonment(dataset(rows, stages=mapping), params=params).set_index("step")
    assert table.loc["consideration", "abandoned"] == 1  # b
    assert table.loc["conversion", "abandoned"] == 1  # a
    assert table.loc["consideration", "in_progress"] == 1  # z entered on the last day


# --- checkout abandonment --------------------------------------------------------------------------

CHECKOUT_LOG = [
    ("a", "2024-01-01 10:00", "checkout_started"), ("a", "2024-01-01 10:00", "purchase"),  # same instant: bought
    ("b", "2024-01-02", "checkout_started"), ("b", "2024-01-12", "purchase"),  # bought after the window: abandoned
    ("c", "2024-01-03", "Begin Checkout"), ("c", "2024-01-05", "order_completed"),  # bought
    ("d", "2024-01-04", "checkout_started"),  # abandoned
    ("e", "2024-01-01", "checkout_started"), ("e", "2024-01-20", "checkout_started"),
    ("e", "2024-01-22", "order"),  # bought within the window of the second checkout
    ("f", "2024-01-28", "checkout_started"),  # window still open at the end of the data: in progress
    ("g", "2024-01-05", "page_view"), ("g", "2024-01-30", "page_view"),  # never started checkout
]


def test_checkout_abandonment_by_hand():
    result = compute_checkout_abandonment(dataset(CHECKOUT_LOG))
    # window closed (data end 30 Jan): a, c, e (bought; e on its 20 Jan checkout, closed 27 Jan), b, d: 2 / 5
    assert result == {"started": 6, "abandoned": 2, "in_progress": 1, "purchased": 3, "closed": 5,
                      "rate": pytest.approx(2 / 5), "start": "checkout"}


def test_a_later_open_checkout_does_not_make_an_old_unbought_checkout_in_progress():
    # Data end 30 Jan. h: checkout 2 Jan (window closed 9 Jan), checkout 27 Jan (open), no purchase:
    # counted on the first checkout (equally deep, earliest): abandoned. f: only checkout 28 Jan: in progress.
    rows = [("h", "2024-01-02", "checkout_started"), ("h", "2024-01-27", "checkout_started"),
            ("f", "2024-01-28", "checkout_started"), ("c", "2024-01-03", "checkout_started"),
            ("c", "2024-01-04", "purchase"), ("z", "2024-01-30", "page_view")]
    result = compute_checkout_abandonment(dataset(rows))
    # window closed: h (abandoned) and c (bought 4 Jan, window closed 10 Jan): 1 / 2
    assert result == {"started": 3, "abandoned": 1, "in_progress": 1, "purchased": 1, "closed": 2, "rate": 0.5,
                      "start": "checkout"}


def test_checkout_and_purchase_events_can_be_named_explicitly():
    rows = [("a", "2024-01-01", "basket"), ("a", "2024-01-02", "paid"), ("b", "2024-01-01", "basket"),
            ("z", "2024-02-01", "page_view")]
    result = compute_checkout_abandonment(dataset(rows), checkout_events=("basket",), purchase_events=["paid"])
    assert (result["started"], result["purchased"], result["abandoned"], result["rate"]) == (2, 1, 1, 0.5)


def test_a_shorter_window_turns_a_late_purchase_into_an_abandonment():
    rows = [("a", "2024-01-01 00:00", "checkout"), ("a", "2024-01-01 02:00", "purchase"),
            ("z", "2024-02-01", "page_view")]
    assert compute_checkout_abandonment(dataset(rows), window_seconds=3600)["abandoned"] == 1
    assert compute_checkout_abandonment(dataset(rows), window_seconds=7200)["purchased"] == 1


def test_the_rate_is_none_when_every_checkout_is_still_in_progress():
    rows = [("a", "2024-01-01", "checkout_started"), ("b", "2024-01-01", "purchase")]
    result = compute_checkout_abandonment(dataset(rows))
    assert (result["started"], result["in_progress"], result["rate"]) == (1, 1, None)


def test_checkout_abandonment_without_checkout_events_says_which_events_it_needs():
    rows = [("a", "2024-01-01", "page_view"), ("a", "2024-01-02", "purchase")]
    with pytest.raises(InsufficientDataError, match="checkout") as error:
        compute_checkout_abandonment(dataset(rows))
    assert "'page_view'" in str(error.value)


def test_checkout_events_chosen_by_name_that_the_data_lacks_are_quoted_back():
    with pytest.raises(InsufficientDataError, match="'basket'"):
        compute_checkout_abandonment(dataset(CHECKOUT_LOG), checkout_events=("basket",))


def test_checkout_abandonment_without_purchase_events_says_so():
    with pytest.raises(InsufficientDataError, match="purchase"):
        compute_checkout_abandonment(dataset([("a", "2024-01-01", "checkout_started")]))


def test_an_event_listed_as_both_checkout_and_purchase_is_refused():
    with pytest.raises(ParameterError, match="both"):
        compute_checkout_abandonment(dataset(CHECKOUT_LOG), checkout_events=("order",), purchase_events=("order",))


@pytest.mark.parametrize("window", [0, 59, 90 * 86400 + 1, 1.5, "7d"])
def test_a_checkout_window_outside_1_minute_to_90_days_is_refused(window):
    with pytest.raises(ParameterError, match="window_seconds"):
        compute_checkout_abandonment(dataset(CHECKOUT_LOG), window_seconds=window)


def test_the_report_section_gives_steps_stages_checkout_and_kpis_as_plain_json():
    mapping = {"view": "consideration", "checkout_started": "consideration", "purchase": "conversion",
               "ad": "awareness"}
    rows = [("a", "2024-01-01", "ad"), ("a", "2024-01-02", "view"), ("a", "2024-01-03", "checkout_started"),
            ("b", "2024-01-01", "ad"), ("b", "2024-01-02", "checkout_started"), ("b", "2024-01-03", "purchase"),
            ("z", "2024-03-01", "ad")]
    section = abandonment_section(dataset(rows, stages=mapping),
                                  params=FunnelParams(steps=("view", "checkout_started"), step_kind="event"))
    json.dumps(section)
    abandonment = section["abandonment"]
    assert abandonment["checkout_abandonment_rate"] == pytest.approx(0.5)
    assert [row["step"] for row in abandonment["by_stage"]] == ["consideration", "conversion"]
    assert abandonment["steps"][0]["step"] == "checkout_started"
    assert section["kpis"]["customers"] == 3


def test_on_the_real_rees46_sample_every_viewer_is_accounted_for_and_carts_are_checkouts():
    path = real_file("rees46_2019-Oct-sample.csv")
    raw = pd.read_csv(path, dtype={"user_id": str})
    frame = pd.DataFrame({"customer_id": raw["user_id"], "timestamp": raw["event_time"].str.replace(" UTC", ""),
                          "event": raw["event_type"], "session_id": raw["user_session"]})
    table = Dataset.from_events(engine.events_table(frame))
    params = FunnelParams(steps=("view", "cart", "purchase"), step_kind="event", window_seconds=60)
    result = compute_abandonment(table, params=params)
    assert (result["reached_previous"] == result["reached"] + result["abandoned"] + result["in_progress"]).all()
    assert result["reached_previous"].iloc[0] == raw.loc[raw["event_type"] == "view", "user_id"].nunique()
    checkout = compute_checkout_abandonment(table, window_seconds=60, checkout_events=("cart",))
    assert checkout["started"] == raw.loc[raw["event_type"] == "cart", "user_id"].nunique()
    assert checkout["started"] == checkout["abandoned"] + checkout["in_progress"] + checkout["purchased"]
