"""The demo data generator: reproducible, export-like, and with a visible story for every analysis."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cjm.data import demo
from cjm.errors import ParameterError

START, END = pd.Timestamp("2025-05-01", tz="UTC"), pd.Timestamp("2026-05-01", tz="UTC")
SHIPPED = Path(__file__).resolve().parents[1] / "data"
COMMENTED = {"survey_response", "review_written", "support_ticket", "chat"}
SUPPORT = ["support_ticket", "chat"]


@pytest.fixture(scope="module")
def shipped():
    """The data/ files' content: 3000 customers, seed 7, with the hidden archetype for checks."""
    return demo.generate_demo(customers=3000, seed=7, include_archetype=True)


@pytest.fixture(scope="module")
def large():
    return demo.generate_demo(customers=20_000, seed=11, include_archetype=True)


def journeys(events: pd.DataFrame) -> pd.DataFrame:
    """Events customer by customer in time order (file order breaks ties), with the next event."""
    out = events.assign(ts=pd.to_datetime(events["event_time"], utc=True), row=np.arange(len(events)))
    out = out.sort_values(["customer_id", "ts", "row"], kind="stable").reset_index(drop=True)
    same_next = out["customer_id"].eq(out["customer_id"].shift(-1))
    out["next_event"] = out["event"].shift(-1).where(same_next)
    out["prev_event"] = out["event"].shift(1).where(out["customer_id"].eq(out["customer_id"].shift(1)))
    return out


def per_customer(events: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    counts = pd.crosstab(events["customer_id"], events["event"])
    table = customers.set_index("customer_id").join(counts).fillna({e: 0 for e in counts.columns})
    table["events"] = counts.sum(axis=1)
    table["sessions"] = events.groupby("customer_id")["session_id"].nunique()
    return table


def checkout_conversion_by_arm(events: pd.DataFrame) -> pd.Series:
    """Share of checkouts (of exposed customers) whose very next event is a purchase."""
    j = journeys(events)
    checkouts = j[(j["event"] == "checkout_started") & j["variant"].notna()]
    bought = checkouts["next_event"].isin(["purchase", "repeat_purchase"])
    return bought.groupby(checkouts["variant"]).mean()


# ---- reproducibility ---------------------------------------------------------------------------
def test_the_same_seed_gives_identical_frames():
    first = demo.generate_demo(customers=400, seed=3)
    second = demo.generate_demo(customers=400, seed=3)
    pd.testing.assert_frame_equal(first[0], second[0])
    pd.testing.assert_frame_equal(first[1], second[1])


def test_a_different_seed_gives_different_data():
    events_a, customers_a = demo.generate_demo(customers=400, seed=3)
    events_b, customers_b = demo.generate_demo(customers=400, seed=4)
    assert not events_a.equals(events_b)
    assert not customers_a.equals(customers_b)


def test_write_demo_writes_byte_identical_files_for_the_same_seed(tmp_path):
    paths_1 = demo.write_demo(tmp_path / "one", customers=300, seed=5)
    paths_2 = demo.write_demo(tmp_path / "two", customers=300, seed=5)
    assert [p.name for p in paths_1] == ["demo_events.csv.gz", "demo_customers.csv"]
    for a, b in zip(paths_1, paths_2):
        assert a.read_bytes() == b.read_bytes()


def test_the_written_events_file_reads_back_as_the_generated_frame(tmp_path):
    events_path, customers_path = demo.write_demo(tmp_path, customers=300, seed=5)
    events, customers = demo.generate_demo(customers=300, seed=5)
    back = pd.read_csv(events_path, dtype={"rating": "Int64", "scroll_depth": "Int64"})
    pd.testing.assert_frame_equal(back, events, check_dtype=False)
    assert pd.read_csv(customers_path).equals(customers.astype({"churned": "int64"}))


def test_the_shipped_demo_files_are_exactly_what_the_generator_writes(tmp_path):
    if not (SHIPPED / "demo_events.csv.gz").exists():
        pytest.skip("data/ has not been generated yet")
    fresh = demo.write_demo(tmp_path, customers=3000, seed=7)
    for path in fresh:
        assert path.read_bytes() == (SHIPPED / path.name).read_bytes(), path.name


def test_the_shipped_events_file_stays_under_two_megabytes():
    if not (SHIPPED / "demo_events.csv.gz").exists():
        pytest.skip("data/ has not been generated yet")
    assert (SHIPPED / "demo_events.csv.gz").stat().st_size < 2_000_000


# ---- schema and value domains ------------------------------------------------------------------
def test_the_events_have_exactly_the_export_columns(shipped):
    events, customers = shipped
    assert tuple(events.columns) == demo.EVENT_COLUMNS
    assert tuple(customers.columns) == demo.CUSTOMER_COLUMNS + ("archetype",)
    assert tuple(demo.generate_demo(customers=50)[1].columns) == demo.CUSTOMER_COLUMNS


def test_ids_and_times_look_like_an_export(shipped):
    events, customers = shipped
    assert events["customer_id"].str.fullmatch(r"C\d{6}").all()
    assert events["session_id"].str.fullmatch(r"S\d{7}").all()
    assert events["event_time"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").all()
    times = pd.to_datetime(events["event_time"], utc=True)
    assert times.min() >= START and times.max() < END
    assert times.is_monotonic_increasing  # an export in time order
    assert customers["customer_id"].is_unique
    assert set(events["customer_id"]) == set(customers["customer_id"])


def test_categorical_columns_use_only_the_documented_values(shipped):
    events, customers = shipped
    assert set(events["event"]) == set(demo.EVENTS)
    assert set(events["channel"]) == set(demo.CHANNELS)
    assert set(events["device"].dropna()) == set(demo.DEVICES)
    assert set(events["department"]) == set(demo.DEPARTMENTS)
    assert set(events["variant"].dropna()) == {"A", "B"}
    assert set(customers["age_band"]) == set(demo.AGE_BANDS)
    assert set(customers["income_band"]) <= set(demo.INCOME_BANDS)
    assert set(customers["gender"]) <= set(demo.GENDERS)
    assert set(customers["location"]) == set(demo.CITIES)
    assert set(customers["acquisition_channel"]) == set(demo.ACQUISITION)
    assert set(customers["churned"]) == {0, 1}
    assert customers["signup_date"].str.fullmatch(r"\d{4}-\d\d-\d\d").all()


def test_device_is_empty_exactly_for_store_and_phone(shipped):
    events, _ = shipped
    offline = events["channel"].isin(["store", "phone"])
    assert offline.any()
    assert events.loc[offline, "device"].isna().all()
    assert events.loc[~offline, "device"].notna().all()
    assert (events.loc[events["channel"] == "mobile app", "device"] != "desktop").all()


def test_revenue_rating_comment_and_scroll_appear_only_on_their_events(shipped):
    events, _ = shipped
    bought = events["event"].isin(["purchase", "repeat_purchase"])
    assert events.loc[bought, "revenue"].gt(0).all() and events.loc[~bought, "revenue"].isna().all()
    assert (events.loc[bought, "revenue"].round(2) == events.loc[bought, "revenue"]).all()
    rated = events["event"].isin(["survey_response", "review_written"])
    assert events.loc[rated, "rating"].between(1, 5).all() and events.loc[~rated, "rating"].isna().all()
    assert set(events.loc[rated, "rating"]) == {1, 2, 3, 4, 5}
    assert events.loc[~events["event"].isin(COMMENTED), "comment"].isna().all()
    assert events.loc[events["event"] == "review_written", "comment"].notna().all()
    viewed = events["event"] == "page_view"
    assert events.loc[viewed, "scroll_depth"].between(0, 100).all()
    assert events.loc[~viewed, "scroll_depth"].isna().all()


def test_sessions_group_events_less_than_thirty_minutes_apart(shipped):
    events, _ = shipped
    j = journeys(events)
    same_customer = j["customer_id"].eq(j["customer_id"].shift())
    gap = j["ts"].diff().dt.total_seconds()
    same_session = j["session_id"].eq(j["session_id"].shift())
    assert (gap[same_customer & same_session] <= 1800).all()
    assert (gap[same_customer & ~same_session] > 1800).all()
    assert events.groupby("session_id")["customer_id"].nunique().eq(1).all()


def test_bad_parameters_are_refused_in_plain_words():
    with pytest.raises(ParameterError, match="customers must be a whole number.*found 0"):
        demo.generate_demo(customers=0)
    with pytest.raises(ParameterError, match="months must be"):
        demo.generate_demo(customers=10, months=0)
    with pytest.raises(ParameterError, match="start must be a date.*'soon'"):
        demo.generate_demo(customers=10, start="soon")


# ---- journeys are plausible --------------------------------------------------------------------
def test_every_online_purchase_follows_a_checkout_which_follows_a_cart(shipped):
    events, _ = shipped
    j = journeys(events)
    online = (j["event"] == "purchase") | ((j["event"] == "repeat_purchase") & (j["channel"] != "store"))
    assert (j.loc[online, "prev_event"] == "checkout_started").all()
    checkout = j["event"] == "checkout_started"
    assert (j.loc[checkout, "prev_event"] == "add_to_cart").all()
    assert (j.loc[j["event"] == "invoice", "prev_event"].isin(["purchase", "repeat_purchase"])).all()


def test_nobody_repurchases_or_asks_support_before_a_first_purchase(shipped):
    events, _ = shipped
    j = journeys(events)
    j["bought_before"] = (j["event"] == "purchase").groupby(j["customer_id"]).cummax()
    after_sale = j["event"].isin(["repeat_purchase", "invoice", "support_ticket", "referral",
                                  "review_written"])
    assert j.loc[after_sale, "bought_before"].all()
    assert (j[j["event"] == "purchase"].groupby("customer_id").size() == 1).all()


def test_the_data_has_single_event_customers_ties_and_journeys_still_in_progress(shipped):
    events, customers = shipped
    table = per_customer(events, customers)
    assert 0.02 < (table["events"] == 1).mean() < 0.2
    assert events.duplicated(["customer_id", "event_time"]).sum() > 0
    j = journeys(events)
    recent_checkout = j[(j["event"] == "checkout_started") & (j["ts"] > END - pd.Timedelta(days=7))]
    assert recent_checkout["next_event"].isna().sum() > 0  # started checkout, data ends before a purchase


# ---- every archetype leaves a visible signature -----------------------------------------------
def test_loyal_repeaters_come_back_to_buy_again_and_recommend(large):
    table = per_customer(*large)
    arch = table["archetype"]
    buyers = table[table["purchase"] > 0]
    repeat_share = (buyers["repeat_purchase"] > 0).groupby(buyers["archetype"]).mean()
    assert repeat_share["loyal repeater"] > 0.55
    assert repeat_share.drop("loyal repeater").max() < 0.2
    referral = (table["referral"] > 0).groupby(arch).mean()
    assert referral.idxmax() == "loyal repeater"
    events, customers = large
    arch = events["customer_id"].map(customers.set_index("customer_id")["archetype"])
    assert events.groupby(arch)["rating"].mean().idxmax() == "loyal repeater"


def test_customers_who_churn_after_support_buy_once_then_keep_contacting_support(large):
    table = per_customer(*large)
    support_share = table[SUPPORT].sum(axis=1) / table["events"]
    by_arch = support_share.groupby(table["archetype"]).mean()
    assert by_arch.idxmax() == "churned after support"
    group = table[table["archetype"] == "churned after support"]
    bought = group[group["purchase"] > 0]
    assert (bought["support_ticket"] > 0).mean() > 0.8
    assert (bought["repeat_purchase"] == 0).all()
    assert group["churned"].mean() > 0.7


def test_customers_who_churn_after_support_are_handed_from_sales_to_support(large):
    events, customers = large
    j = journeys(events).merge(customers[["customer_id", "archetype"]], on="customer_id")
    care = j["event"].isin(SUPPORT)
    handoff = care & care.shift() & j["customer_id"].eq(j["customer_id"].shift()) \
        & (j["department"].shift() == "sales") & (j["department"] == "support")
    handed_off = handoff.groupby(j["customer_id"]).any()
    per_arch = handed_off.groupby(customers.set_index("customer_id")["archetype"]).mean()
    assert per_arch.idxmax() == "churned after support"


def test_comparison_shoppers_browse_over_days_and_abandon_carts(large):
    table = per_customer(*large)
    by_arch = table.groupby("archetype")
    views = (table["product_view"] + table["review_read"]).groupby(table["archetype"]).mean()
    assert views["comparison shopper"] > views["fast buyer"]
    assert by_arch["sessions"].mean()["comparison shopper"] > by_arch["sessions"].mean()["fast buyer"]
    carts = table[table["add_to_cart"] > 0]
    abandoned = (carts["purchase"] == 0).groupby(carts["archetype"]).mean()
    assert abandoned["comparison shopper"] > 0.5 > abandoned["fast buyer"]


def test_fast_buyers_buy_within_a_day_or_two_mostly_on_desktop(large):
    events, customers = large
    j = journeys(events).merge(customers[["customer_id", "archetype"]], on="customer_id")
    fast = j[j["archetype"] == "fast buyer"]
    first_seen = fast.groupby("customer_id")["ts"].min()
    first_buy = fast[fast["event"] == "purchase"].groupby("customer_id")["ts"].min()
    days_to_buy = (first_buy - first_seen.loc[first_buy.index]).dt.total_seconds() / 86400
    assert days_to_buy.median() < 1 and days_to_buy.quantile(0.75) < 2
    assert fast["device"].value_counts(normalize=True).idxmax() == "desktop"


def test_mobile_browsers_arrive_from_social_on_phones_and_rarely_buy(large):
    events, customers = large
    table = per_customer(events, customers)
    arch = events["customer_id"].map(customers.set_index("customer_id")["archetype"])
    mobile = events[arch == "mobile browser"]
    assert mobile["device"].value_counts(normalize=True)["mobile"] > 0.8
    assert (table.loc[table["archetype"] == "mobile browser", "acquisition_channel"] == "social").mean() > 0.6
    conversion = (table["purchase"] > 0).groupby(table["archetype"]).mean()
    assert conversion.idxmin() == "mobile browser"
    depth = events[events["event"] == "page_view"].groupby(arch)["scroll_depth"].mean()
    assert depth.idxmin() == "mobile browser"


# ---- the analyses have something to find -------------------------------------------------------
def test_variant_b_converts_checkout_to_purchase_a_few_points_better(shipped, large):
    for events, _ in (shipped, large):
        rate = checkout_conversion_by_arm(events)
        assert 0.01 < rate["B"] - rate["A"] < 0.15


def test_the_variant_is_a_customer_property_set_only_for_those_exposed_to_the_checkout(shipped):
    events, _ = shipped
    assert events.groupby("customer_id")["variant"].nunique(dropna=False).eq(1).all()
    exposed = set(events.loc[events["variant"].notna(), "customer_id"])
    test_start = START + pd.Timedelta(days=int((END - START).days * demo.TEST_START_FRACTION))
    times = pd.to_datetime(events["event_time"], utc=True)
    in_test = (events["event"] == "checkout_started") & (times >= test_start)
    checked_out = set(events.loc[in_test, "customer_id"])
    assert exposed == checked_out
    shares = events.drop_duplicates("customer_id")["variant"].value_counts(normalize=True)
    assert abs(shares["A"] - 0.5) < 0.05


def test_landing_on_the_website_from_social_costs_conversions(large):
    events, customers = large
    j = journeys(events)
    landing = j[(j["prev_event"] == "social_view") & j["channel"].isin(["web", "mobile app"])]
    first_landing = landing.groupby("customer_id")["channel"].first()
    buyers = j.loc[j["event"] == "purchase", "customer_id"]
    bought = pd.Series(customers["customer_id"].isin(buyers).to_numpy(), index=customers["customer_id"])
    mobile = customers.loc[customers["archetype"] == "mobile browser", "customer_id"]
    mobile_landing = first_landing[first_landing.index.isin(mobile)]
    by_landing = bought[mobile_landing.index].groupby(mobile_landing).mean()
    assert by_landing["web"] < 0.5 * by_landing["mobile app"]
    to_web = landing.loc[landing["channel"] == "web", "customer_id"].unique()
    assert bought[to_web].mean() < bought.drop(to_web).mean()


def test_switching_device_before_buying_costs_conversions(large):
    events, _ = large
    j = journeys(events)
    same = j["customer_id"].eq(j["customer_id"].shift())
    switch = same & j["device"].notna() & j["device"].shift().notna() & (j["device"] != j["device"].shift())
    first_switch = j[switch].groupby("customer_id")["ts"].min()
    first_buy = j[j["event"] == "purchase"].groupby("customer_id")["ts"].min()
    multi_session = j.groupby("customer_id")["session_id"].nunique() > 1
    people = pd.DataFrame({"switch": first_switch, "buy": first_buy}).reindex(multi_session.index)
    people = people[multi_session]
    switched_first = people["switch"].notna() & (people["buy"].isna() | (people["switch"] < people["buy"]))
    converted = people["buy"].notna()
    assert converted[switched_first].mean() < converted[~switched_first].mean() - 0.1


def test_sentiment_follows_the_experience(large):
    events, customers = large
    arch = events["customer_id"].map(customers.set_index("customer_id")["archetype"])
    rating = events.groupby(arch)["rating"].mean()
    assert rating["loyal repeater"] > rating["fast buyer"] > rating["churned after support"]
    assert rating["churned after support"] < 2.5
    churned = events["customer_id"].map(customers.set_index("customer_id")["churned"])
    by_churn = events.groupby(churned)["rating"].mean()
    assert by_churn[1] < by_churn[0]


def test_comments_carry_recurring_pain_points_and_a_little_spanish_and_french(large):
    events, _ = large
    comments = events["comment"].dropna()
    lowered = comments.str.lower()
    for theme in ("delivery was late", "checkout kept failing", "too many forms",
                  "support never called back", "great prices"):
        assert lowered.str.contains(theme, regex=False).sum() > 20, theme
    foreign = comments.isin([text for texts in demo._FOREIGN.values() for text in texts])
    assert 0.01 < foreign.mean() < 0.04
    low = events.loc[events["rating"] <= 2, "comment"].dropna().str.lower()
    high = events.loc[events["rating"] >= 4, "comment"].dropna().str.lower()
    assert low.str.contains("late|failing|forms|never called|charged twice|crashing|too high").mean() > 0.8
    assert high.str.contains("great|fast|easy|helpful|love|excellent|quick").mean() > 0.8


def test_churned_customers_had_more_support_contacts_and_went_quiet_earlier(large):
    events, customers = large
    table = per_customer(events, customers)
    support_share = table[SUPPORT].sum(axis=1) / table["events"]
    assert support_share[table["churned"] == 1].mean() > 1.5 * support_share[table["churned"] == 0].mean()
    last = pd.to_datetime(events["event_time"], utc=True).groupby(events["customer_id"]).max()
    quiet_days = (END - last).dt.days.reindex(table.index)
    assert quiet_days[table["churned"] == 1].median() > quiet_days[table["churned"] == 0].median()
    assert 0.15 < table["churned"].mean() < 0.45


def test_twenty_thousand_customers_are_generated_in_one_vectorised_pass():
    events, customers = demo.generate_demo(customers=20_000, seed=1)
    assert len(customers) == 20_000
    assert len(events) > 5 * len(customers)
    assert events["customer_id"].nunique() == 20_000
