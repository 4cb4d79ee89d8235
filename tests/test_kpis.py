import json
import math

import pandas as pd
import pytest

from cjm.report.sections import kpis_section
from cjm import engine
from cjm.data import schema
from cjm.errors import ParameterError
from cjm.journey.kpis import compute_kpis, default_periods, format_change, format_value
from cjm.data.dataset import Dataset
from tests.helpers import dataset, real_file

STAGES = schema.STAGE_MODELS["5"]
MAPPING = {
    "ad_impression": "awareness", "ad_click": "awareness", "page_view": "consideration",
    "checkout_started": "consideration", "purchase": "conversion", "support_ticket": "retention",
    "review_written": "loyalty", "referral": "loyalty",
}
COLUMNS = ("customer_id", "timestamp", "event", "session_id", "revenue", "scroll_depth")
# Three customers over January 2024 (data end: 31 Jan 10:00).
LOG = [
    ("a", "2024-01-01 10:00", "ad_impression", "s1", None, 80),
    ("a", "2024-01-01 10:01", "ad_click", "s1", None, 20),
    ("a", "2024-01-01 10:02", "checkout_started", "s1", None, None),
    ("a", "2024-01-01 10:03", "purchase", "s1", 100.0, None),
    ("b", "2024-01-02 10:00", "ad_impression", "s2", None, 30),
    ("b", "2024-01-20 10:00", "checkout_started", "s3", None, None),
    ("a", "2024-01-25 10:00", "purchase", "s4", 50.0, None),
    ("c", "2024-01-26 10:00", "support_ticket", None, None, None),
    ("c", "2024-01-31 10:00", "checkout_started", "s5", None, None),
]


def kpis_of(rows=LOG, columns=COLUMNS, mapping=MAPPING, **kwargs):
    frame = compute_kpis(dataset(rows, columns, stages=mapping), **kwargs)
    return frame.set_index("name")


def test_every_kpi_of_a_small_log_over_the_whole_data_matches_the_hand_computed_value():
    k = kpis_of(period="all")
    expected = {
        "customers": 3,  # a, b, c
        "conversion_rate": 1 / 3,  # only a has an event in the conversion stage
        # visits a/s1 (3 events besides its impression), b/s3, a/s4, c/s5 (1 event each); b/s2 is an ad shown to b
        # and nothing else: no visit
        "bounce_rate": 3 / 4,
        "checkout_abandonment": 1 / 2,  # a bought; b's window closed 27 Jan; c's still open -> 1 / (3 - 1)
        "ctr": 1 / 2,  # 1 click event / 2 impression events
        "scroll_rate": 1 / 3,  # depths 80, 20, 30: one of three at 50 or more
        "revenue": 150.0,
        "average_order_value": 75.0,  # 150 / 2 orders with revenue
        "repeat_purchase_rate": 1.0,  # the only buyer (a) bought twice
        "support_contacts_per_customer": 1 / 3,  # one support_ticket, three customers
    }
    for name, value in expected.items():
        assert k.loc[name, "value"] == pytest.approx(value), name
        assert k.loc[name, "available"], name
    assert k["previous"].isna().all()


def test_kpis_whose_events_are_missing_are_unavailable_and_say_what_they_need_never_0():
    k = kpis_of(period="all")
    for name, needs in {"reviews": "review_written", "referrals": "referral"}.items():
        assert not k.loc[name, "available"]
        assert math.isnan(k.loc[name, "value"])
        assert needs in k.loc[name, "needs"]
        assert k.loc[name, "display"] == "–"  # the one "no value" glyph (cjm.present.formats.NO_VALUE)


def test_a_bare_log_with_only_ids_times_and_event_names_lists_what_each_kpi_needs():
    rows = [("a", "2024-01-01", "page_view"), ("b", "2024-01-02", "page_view")]
    k = kpis_of(rows, ("customer_id", "timestamp", "event"), mapping=None, period="all")
    assert k.loc["customers", "value"] == 2 and k.loc["customers", "available"]
    needs = {
        "conversion_rate": "conversion", "bounce_rate": "session_id", "checkout_abandonment": "checkout",
        "ctr": "impression", "scroll_rate": "scroll", "revenue": "revenue", "average_order_value": "revenue",
        "repeat_purchase_rate": "purchase", "support_contacts_per_customer": "department",
        "reviews": "review_written", "referrals": "referral",
    }
    for name, word in needs.items():
        assert not k.loc[name, "available"], name
        assert word in k.loc[name, "needs"], name
        assert math.isnan(k.loc[name, "value"]), name
    assert k.loc["customers", "needs"] is None


def test_checkout_abandonment_needs_purchase_events_when_only_checkouts_exist():
    rows = [("a", "2024-01-01", "checkout_started"), ("b", "2024-01-20", "checkout_started")]
    k = kpis_of(rows, ("customer_id", "timestamp", "event"), mapping=None, period="all")
    assert not k.loc["checkout_abandonment", "available"]
    assert "purchase" in k.loc["checkout_abandonment", "needs"]


def test_by_default_the_last_days_of_the_data_are_compared_with_the_same_number_of_days_before():
    # The log spans 1..31 January (31 days < 60), so N = 15.5 days: the current period is
    # [16 Jan 12:00, 1 Feb) and the previous one [1 Jan, 16 Jan 12:00).
    k = kpis_of()
    assert k.loc["customers", "value"] == 3  # b (20 Jan), a (25 Jan), c (26 and 31 Jan)
    assert k.loc["customers", "previous"] == 2  # a and b
    assert k.loc["customers", "change"] == 1
    assert k.loc["conversion_rate", "value"] == pytest.approx(1 / 3)
    assert k.loc["conversion_rate", "previous"] == pytest.approx(1 / 2)
    assert k.loc["conversion_rate", "change"] == pytest.approx(1 / 3 - 1 / 2)
    assert k.loc["revenue", "value"] == 50 and k.loc["revenue", "previous"] == 100
    # Current: b abandoned (window closed 27 Jan), c in progress -> 1/1; previous: a bought -> 0.
    assert k.loc["checkout_abandonment", "value"] == 1.0
    assert k.loc["checkout_abandonment", "previous"] == 0.0
    assert k.loc["conversion_rate", "change_display"] == "-16.7 pts"


def test_the_default_periods_are_30_days_when_the_data_covers_more_than_60_days():
    current, previous = default_periods(pd.Timestamp("2024-01-01 08:00", tz="UTC"), pd.Timestamp("2024-06-30 17:00", tz="UTC"))
    assert current == (pd.Timestamp("2024-06-01", tz="UTC"), pd.Timestamp("2024-07-01", tz="UTC"))
    assert previous == (pd.Timestamp("2024-05-02", tz="UTC"), pd.Timestamp("2024-06-01", tz="UTC"))


def test_an_explicit_period_and_previous_period_are_used_start_included_end_excluded():
    k = kpis_of(period=("2024-01-20", "2024-01-26"), previous=("2024-01-01", "2024-01-02"))
    assert k.loc["customers", "value"] == 2  # b on 20 Jan, a on 25 Jan (c's 26 Jan event is excluded)
    assert k.loc["customers", "previous"] == 1  # only a on 1 Jan
    assert k.loc["revenue", "value"] == 50.0 and k.loc["revenue", "previous"] == 100.0


def test_a_period_without_the_events_a_kpi_needs_shows_no_value_rather_than_0():
    k = kpis_of(period=("2024-01-20", "2024-02-01"))
    assert k.loc["ctr", "available"]  # the data has impressions...
    assert math.isnan(k.loc["ctr", "value"])  # ...but none in this period
    assert k.loc["ctr", "display"] == "–"  # the one "no value" glyph (cjm.present.formats.NO_VALUE)


def test_ctr_comes_from_impressions_and_clicks_columns_when_the_export_has_them():
    rows = [("a", "2024-01-01", "campaign_stats", 1000, 25), ("b", "2024-01-02", "campaign_stats", 500, 5)]
    k = kpis_of(rows, ("customer_id", "timestamp", "event", "Impressions", "Clicks"), mapping=None, period="all")
    assert k.loc["ctr", "value"] == pytest.approx(30 / 1500)


def test_scroll_depths_given_as_fractions_use_half_the_page_as_the_threshold():
    rows = [("a", "2024-01-01", "page_view", 0.9), ("a", "2024-01-02", "page_view", 0.2),
            ("b", "2024-01-02", "page_view", 0.5), ("b", "2024-01-03", "page_view", None)]
    k = kpis_of(rows, ("customer_id", "timestamp", "event", "Scroll Depth"), mapping=None, period="all")
    assert k.loc["scroll_rate", "value"] == pytest.approx(2 / 3)


def test_support_contacts_count_events_of_the_support_department_and_support_named_events():
    rows = [("a", "2024-01-01", "email", "Support"), ("a", "2024-01-02", "chat", None),
            ("b", "2024-01-02", "page_view", "marketing"), ("c", "2024-01-03", "page_view", "sales"),
            ("d", "2024-01-03", "page_view", None)]
    k = kpis_of(rows, ("customer_id", "timestamp", "event", "department"), mapping=None, period="all")
    assert k.loc["support_contacts_per_customer", "value"] == pytest.approx(2 / 4)


def test_reviews_and_referrals_are_counted_and_conversion_falls_back_to_purchase_events():
    rows = [("a", "2024-01-01", "order_completed"), ("a", "2024-01-05", "review_written"),
            ("a", "2024-01-06", "referral"), ("a", "2024-01-07", "referral"), ("b", "2024-01-02", "page_view")]
    k = kpis_of(rows, ("customer_id", "timestamp", "event"), mapping=None, period="all")
    assert k.loc["reviews", "value"] == 1
    assert k.loc["referrals", "value"] == 2
    assert k.loc["conversion_rate", "value"] == pytest.approx(1 / 2)  # no stage mapping: purchases count
    assert k.loc["repeat_purchase_rate", "value"] == 0.0


def test_without_purchase_event_names_repeat_purchases_are_counted_from_revenue():
    rows = [("a", "2024-01-01", "txn", 10.0), ("a", "2024-01-09", "txn", 30.0), ("b", "2024-01-02", "txn", 5.0),
            ("b", "2024-01-03", "visit", None)]
    k = kpis_of(rows, ("customer_id", "timestamp", "event", "revenue"), mapping=None, period="all")
    assert k.loc["repeat_purchase_rate", "value"] == pytest.approx(1 / 2)
    assert k.loc["average_order_value", "value"] == pytest.approx(45 / 3)


def test_every_row_has_a_plain_label_and_a_known_unit():
    k = kpis_of(period="all")
    assert set(k["unit"]) <= {"count", "share", "money", "ratio"}
    assert k.loc["bounce_rate", "label"] == "Bounce rate"
    assert k.loc["conversion_rate", "display"] == "33.3%"
    assert k.loc["revenue", "display"] == "150.00"


def test_values_and_changes_are_formatted_as_people_read_them():
    assert format_value(0.4321, "share") == "43.2%"
    assert format_value(12345, "count") == "12,345"
    assert format_value(float("nan"), "money") == "–"  # the one "no value" glyph (cjm.present.formats.NO_VALUE)
    assert format_change(0.021, "share") == "+2.1 pts"
    assert format_change(-3, "count") == "-3"


@pytest.mark.parametrize("period", [("2024-02-01", "2024-01-01"), ("not a date", "2024-01-01"), "last month"])
def test_a_bad_period_is_refused_quoting_it(period):
    with pytest.raises(ParameterError, match="period"):
        kpis_of(period=period)


def test_a_window_outside_1_minute_to_90_days_is_refused():
    with pytest.raises(ParameterError, match="window_seconds"):
        kpis_of(window_seconds=10)


def test_the_report_section_lists_only_available_kpis_as_plain_json_values():
    section = kpis_section(dataset(LOG, COLUMNS, stages=MAPPING))
    kpis = section["kpis"]
    assert kpis["customers"] == 3 and isinstance(kpis["customers"], int)
    assert kpis["checkout_abandonment"] == pytest.approx(0.5)
    assert "reviews" not in kpis and "referrals" not in kpis
    json.dumps(section)


def test_on_the_real_cdnow_purchases_revenue_and_repeat_purchases_match_pandas():
    path = real_file("cdnow_master.txt")
    raw = pd.read_csv(path, sep=r"\s+", header=0, names=["customer_id", "date", "quantity", "amount"],
                      dtype={"customer_id": str, "date": str})
    frame = pd.DataFrame({"customer_id": raw["customer_id"], "timestamp": pd.to_datetime(raw["date"], format="%Y%m%d"),
                          "event": "purchase", "revenue": raw["amount"]})
    k = compute_kpis(Dataset.from_events(engine.events_table(frame), stages=STAGES), period="all").set_index("name")
    # rows of one customer on one day are one order (line items share customer and time; CDNOW has dates only)
    purchases = raw.groupby("customer_id")["date"].nunique()
    orders = raw[raw["amount"] > 0][["customer_id", "date"]].drop_duplicates()
    assert k.loc["customers", "value"] == raw["customer_id"].nunique() == 23570
    assert k.loc["revenue", "value"] == pytest.approx(raw["amount"].sum())
    assert k.loc["repeat_purchase_rate", "value"] == pytest.approx((purchases >= 2).mean())
    assert k.loc["average_order_value", "value"] == pytest.approx(raw["amount"].sum() / len(orders))
    assert not k.loc["bounce_rate", "available"] and "session_id" in k.loc["bounce_rate", "needs"]


def test_on_the_real_rees46_sample_the_bounce_rate_matches_pandas_sessions():
    path = real_file("rees46_2019-Oct-sample.csv")
    raw = pd.read_csv(path, dtype={"user_id": str})
    frame = pd.DataFrame({"customer_id": raw["user_id"], "timestamp": raw["event_time"].str.replace(" UTC", ""),
                          "event": raw["event_type"], "session_id": raw["user_session"], "revenue": None})
    k = compute_kpis(Dataset.from_events(engine.events_table(frame), stages=STAGES), period="all").set_index("name")
    sessions = raw.groupby(["user_id", "user_session"]).size()
    assert k.loc["bounce_rate", "value"] == pytest.approx((sessions == 1).mean())
    assert k.loc["customers", "value"] == raw["user_id"].nunique()


def test_ctr_pairs_clicks_with_the_impressions_they_answer_so_email_clicks_do_not_count():
    log = dataset([("a", "2024-01-01T00:00:00Z", "ad_impression"), ("a", "2024-01-01T00:01:00Z", "ad_click"),
                  ("b", "2024-01-01T00:00:00Z", "ad_impression"), ("c", "2024-01-01T00:00:00Z", "ad_impression"),
                  ("d", "2024-01-01T00:00:00Z", "ad_impression"), ("a", "2024-01-02T00:00:00Z", "email_click"),
                  ("b", "2024-01-02T00:00:00Z", "email_click"), ("c", "2024-01-02T00:00:00Z", "email_click")])
    kpis = compute_kpis(log, period="all").set_index("name")
    assert kpis.loc["ctr", "value"] == pytest.approx(1 / 4)


def test_every_kpi_row_names_the_period_it_covers_and_the_period_it_compares_with():
    # Default: the log spans 1..31 January, so [16 Jan 12:00, 1 Feb) against [1 Jan, 16 Jan 12:00).
    k = kpis_of()
    assert set(k["period"]) == {"16 Jan 2024 12:00 – 1 Feb 2024 00:00 UTC"}
    assert set(k["previous_period"]) == {"1 Jan 2024 00:00 – 16 Jan 2024 12:00 UTC"}
    explicit = kpis_of(period=("2024-01-20", "2024-01-26"), previous=("2024-01-01", "2024-01-02"))
    assert set(explicit["period"]) == {"20 Jan 2024 – 25 Jan 2024"}
    assert set(explicit["previous_period"]) == {"1 Jan 2024"}
    whole = kpis_of(period="all")
    assert set(whole["period"]) == {"all data (1 Jan 2024 – 31 Jan 2024)"} and set(whole["previous_period"]) == {""}


def test_the_tile_caption_says_what_the_figures_cover_and_what_they_compare_with():
    from cjm.journey.kpi_period import period_sentence

    assert period_sentence(kpis_of(period=("2024-01-20", "2024-01-26"), previous=("2024-01-01", "2024-01-02"))) == (
        "Figures cover 20 Jan 2024 – 25 Jan 2024; changes compare with 1 Jan 2024.")
    assert period_sentence(kpis_of(period="all")) == (
        "Figures cover all data (1 Jan 2024 – 31 Jan 2024); no earlier period to compare with.")


def test_a_purchases_only_export_has_no_conversion_rate_rather_than_one_of_100_percent():
    rows = [("a", "2024-01-01", "purchase"), ("b", "2024-01-02", "purchase"), ("a", "2024-01-20", "purchase")]
    kpis = compute_kpis(dataset(rows), period="all").set_index("name")
    assert not kpis.loc["conversion_rate", "available"]
    assert "every event in this data is a conversion" in kpis.loc["conversion_rate", "needs"]
    with_a_visit = compute_kpis(dataset(rows + [("c", "2024-01-03", "page_view")]), period="all").set_index("name")
    assert with_a_visit.loc["conversion_rate", "value"] == pytest.approx(2 / 3)


def test_an_undated_export_gets_its_kpis_over_all_rows_not_an_empty_table_error():
    # online_shoppers_intention.csv: 12,205 sessions without dates; the Overview said "The events table is
    # empty". Two of three customers have a conversion-stage event; nothing earlier to compare with.
    rows = [("a", None, "page_view", None, None, None), ("a", None, "purchase", None, 30.0, None),
            ("b", None, "page_view", None, None, None), ("c", None, "purchase", None, 20.0, None)]
    k = kpis_of(rows)
    assert k.loc["customers", "value"] == 3
    assert k.loc["conversion_rate", "value"] == pytest.approx(2 / 3)
    assert k.loc["revenue", "value"] == pytest.approx(50.0)
    assert k.loc["customers", "period"] == "all data (it has no dates)"
    assert k.loc["customers", "previous_period"] == ""
    assert math.isnan(k.loc["customers", "change"])


def test_a_table_without_any_event_still_says_it_is_empty():
    with pytest.raises(ParameterError, match="The events table is empty"):
        kpis_of(LOG[:0])


def test_data_within_one_day_is_halved_at_the_middle_of_its_span_so_both_periods_hold_data():
    # rees46_2019-Oct-sample.csv: 1,000 events from 00:00 to 00:17 on 1 Oct 2019. Halving the calendar day
    # compared 12:00-24:00 (no event: "Customers 0, -330") with 00:00-12:00.
    first, last = pd.Timestamp("2019-10-01 00:00:00", tz="UTC"), pd.Timestamp("2019-10-01 00:17:30", tz="UTC")
    current, previous = default_periods(first, last)
    assert current == (pd.Timestamp("2019-10-01 00:08", tz="UTC"), pd.Timestamp("2019-10-01 00:18", tz="UTC"))
    assert previous == (pd.Timestamp("2019-09-30 23:58", tz="UTC"), pd.Timestamp("2019-10-01 00:08", tz="UTC"))
    one = pd.Timestamp("2019-10-01 15:20:10", tz="UTC")
    assert default_periods(one, one)[0] == (pd.Timestamp("2019-10-01 15:20", tz="UTC"),
                                            pd.Timestamp("2019-10-01 15:21", tz="UTC"))


def test_the_kpis_of_seventeen_minutes_of_data_count_the_customers_of_the_last_half():
    rows = [("a", "2019-10-01 00:00", "page_view", None, None, None),
            ("b", "2019-10-01 00:05", "page_view", None, None, None),
            ("c", "2019-10-01 00:12", "page_view", None, None, None),
            ("c", "2019-10-01 00:17", "purchase", None, 9.0, None)]
    k = kpis_of(rows)
    assert k.loc["customers", "value"] == 1 and k.loc["customers", "previous"] == 2  # c | a, b
    assert k.loc["conversion_rate", "value"] == 1.0
    assert k.loc["customers", "period"] == "1 Oct 2019 00:08 – 1 Oct 2019 00:18 UTC"


def test_every_kpi_tile_says_what_it_counts_before_its_period():
    # The tile's help is the marketer's definition: conversion names the stage rule and where repeat purchases go.
    from cjm.journey.kpis import KPIS, MEANINGS
    from cjm.ui.kpis import tile_help

    assert set(MEANINGS) == set(KPIS)
    from types import SimpleNamespace

    row = SimpleNamespace(name="conversion_rate", label="Conversion rate", period="1 Mar 2024 – 31 Mar 2024",
                          previous_period=None, previous=None, unit="share")
    help_text = tile_help(row)
    assert help_text.startswith("Share of the period's customers who converted in it")
    assert "repeat-purchase rate counts it" in help_text and help_text.endswith("1 Mar 2024 – 31 Mar 2024.")
