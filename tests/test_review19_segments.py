"""Review 19, segments: conversion None when the data has no conversion or purchase signal (as the Overview), the
signal the Overview uses when it has one, and segment names without a spend column. Segments are profiled on labels
written in the test (not on a clustering), so every expected figure is worked out by hand beside it."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import report
from cjm.customers.features import compute_customer_features
from cjm.customers.profiles import compute_segment_profiles, name_segments
from cjm.data.dataset import build_dataset
from cjm.journey.buying import ONLY_CONVERSIONS, Buying
from cjm.journey.kpis import NO_CONVERSION, compute_kpis
from tests.helpers import dataset, parsed_text


def T(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def conversion_signal(ds):
    """(how a conversion is told: "stage", "purchase" or None; the purchase names when by purchase), by the one rule
    of the Overview and the segments (cjm.journey.buying)."""
    rule = Buying.of(ds)
    return rule.conversion, (rule.purchase if rule.conversion == "purchase" else [])


def conversion_kpi(ds):
    row = compute_kpis(ds, period="all").set_index("name").loc["conversion_rate"]
    return (row["value"] if row["available"] else None), bool(row["available"])


# Twelve customers of a newsletter: each opens it (awareness) and answers a survey (retention) with a rating 1..5;
# nothing is a conversion, nothing a purchase.
NEWSLETTER = "customer_id,date,event,rating\n" + "".join(
    f"c{i:02d},2024-02-{i + 1:02d} 08:00,newsletter_open,\nc{i:02d},2024-02-{i + 1:02d} 09:00,survey,{1 + i % 5}\n"
    for i in range(12))


def test_without_a_conversion_or_a_purchase_segment_conversion_is_unknown_with_the_overviews_reason():
    ds = build_dataset(parsed_text(NEWSLETTER, "newsletter.csv"))
    assert conversion_signal(ds) == (None, [])
    assert conversion_kpi(ds) == (None, False)  # the Overview shows no conversion rate
    features = compute_customer_features(ds)
    assert "converted" not in features and features.attrs["dropped"]["converted"] == NO_CONVERSION
    profiles = compute_segment_profiles(features, [0] * 6 + [1] * 6)
    assert profiles["conversion"].isna().all()  # unknown, never 0.0
    out = report.build_report(ds)
    assert {s["conversion"] for s in out["segments"]["segments"]} == {None}
    assert out["skipped"]["segments.conversion"] == NO_CONVERSION


def test_a_conversion_stage_event_that_is_no_purchase_converts_in_the_segments_as_in_the_overview():
    # signup is at the conversion stage (the touchpoint dictionary): a, b and c sign up after a page view; d, e, f only
    # view. No event is named as a purchase and there is no money.
    rows = [(c, T(f"2024-03-0{i + 1} 10:00"), "page_view") for i, c in enumerate("abcdef")]
    rows += [(c, T(f"2024-03-0{i + 1} 10:30"), "signup") for i, c in enumerate("abc")]
    ds = dataset(rows, stages={"page_view": "consideration", "signup": "conversion"})
    assert conversion_signal(ds) == ("stage", [])
    assert conversion_kpi(ds) == (pytest.approx(0.5), True)  # 3 of 6
    features = compute_customer_features(ds).set_index("customer_id")
    assert features["converted"].astype(bool).to_dict() == dict(zip("abcdef", [True] * 3 + [False] * 3))
    # segments {a, d} and {b, c, e, f}: 1 / 2 and 2 / 4
    profiles = compute_segment_profiles(features.reset_index(), [0, 1, 1, 0, 1, 1]).set_index("segment")
    assert profiles["conversion"].to_dict() == {0: pytest.approx(0.5), 1: pytest.approx(0.5)}


def test_a_purchase_mapped_to_retention_converts_when_no_event_is_at_the_conversion_stage():
    rows = [("a", T("2024-03-01 10:00"), "page_view"), ("a", T("2024-03-01 10:10"), "purchase"),
            ("b", T("2024-03-02 10:00"), "page_view"), ("c", T("2024-03-03 10:00"), "page_view")]
    ds = dataset(rows, stages={"page_view": "consideration", "purchase": "retention"})
    # no event at 'conversion': customers with a purchase, a of a, b, c = 1 / 3, in the Overview and the segments
    assert conversion_signal(ds)[0] == "purchase"
    assert conversion_kpi(ds) == (pytest.approx(1 / 3), True)
    features = compute_customer_features(ds).set_index("customer_id")
    assert features["converted"].astype(bool).to_dict() == {"a": True, "b": False, "c": False}


def shop(revenue: bool):
    """Eight customers a..h, one page view each on 1..8 Jan; a..d also buy an hour later (100 each when `revenue`)."""
    rows = []
    for i, c in enumerate("abcdefgh"):
        rows.append((c, T(f"2024-01-0{i + 1} 10:00"), "page_view", None))
        if c in "abcd":
            rows.append((c, T(f"2024-01-0{i + 1} 11:00"), "purchase", 100.0 if revenue else None))
    columns = ("customer_id", "timestamp", "event", "revenue") if revenue else ("customer_id", "timestamp", "event")
    rows = rows if revenue else [r[:3] for r in rows]
    return dataset(rows, columns, stages={"page_view": "consideration", "purchase": "conversion"})


def test_buying_once_without_a_spend_column_names_no_value_and_calls_them_one_time_buyers():
    features = compute_customer_features(shop(revenue=False))
    assert "monetary" not in features  # no money at all
    profiles = compute_segment_profiles(features, [0, 0, 0, 0, 1, 1, 1, 1])
    # segment 0 = a..d: all converted (1.0), one purchase each (mean 1 < 1.3: one-time buyers); segment 1: 0.0
    assert profiles.set_index("segment")["conversion"].to_dict() == {0: 1.0, 1: 0.0}
    names = name_segments(profiles)
    assert not any("value" in name.lower() for name in names.values()), names  # nothing says what anyone spent
    assert names[0].endswith("one-time buyers") and names[1].endswith("browsers"), names


def test_with_a_spend_column_the_buyers_are_high_value():
    features = compute_customer_features(shop(revenue=True))
    profiles = compute_segment_profiles(features, [0, 0, 0, 0, 1, 1, 1, 1])
    # spend a..d 100, e..h 0: segment 0's mean 100 against 50 overall; on the log scale log1p(100) = 4.62 against a
    # mean of 2.31 and a standard deviation of 2.31 (population) or 2.47 (sample): z = +0.94..+1.0, above 0.5
    assert profiles.set_index("segment")["value_mean"].to_dict() == {0: 100.0, 1: 0.0}
    assert name_segments(profiles)[0].startswith("High-value")


def test_a_purchases_only_export_has_no_segment_conversion_as_the_overview_has_no_conversion_rate():
    rows = [(c, T(f"2024-01-0{i + 1}"), "purchase", 10.0 * (i + 1)) for i, c in enumerate("abcdef")]
    rows.append(("a", T("2024-01-09"), "purchase", 5.0))
    ds = dataset(rows, ("customer_id", "timestamp", "event", "revenue"), stages={"purchase": "conversion"})
    # every event is a purchase: no event shows anyone before converting, so the Overview says 100% says nothing
    assert conversion_kpi(ds) == (None, False)
    features = compute_customer_features(ds)
    assert features.attrs["dropped"]["converted"] == ONLY_CONVERSIONS  # the Overview's reason, said
    profiles = compute_segment_profiles(features, [0, 0, 0, 1, 1, 1])
    assert profiles["conversion"].isna().all()
