"""Review 17: per-customer features and segment profiles, at-risk scores and the closed loop, and the Overview's
KPI period comparison, checked on small literal exports worked out by hand and against plain-pandas references
written from DESIGN.md section 4 and the module docstrings (not from the code) on real exports."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cjm import engine
from cjm.customers.features import compute_customer_features
from cjm.customers.profiles import compute_segment_profiles
from cjm.data.dataset import load_dataset
from cjm.data.filters import Filters
from cjm.data.views import filtered, with_segments
from cjm.journey.kpis import compute_kpis, default_periods
from cjm.journey.kpi_period import period_sentence
from cjm.voice.followup import compute_closed_loop
from cjm.voice.risk import RiskParams, compute_at_risk
from cjm.voice.sentiment import SentimentParams
from tests.helpers import real_file

HOUR = 1 / 24  # in days


def load(tmp_path, text: str, name: str = "export.csv"):
    path = tmp_path / name
    path.write_text(text)
    return load_dataset([path])


# a: two events in the same second, a purchase at a fractional second, its full refund, a support ticket rated 2/5
#    with no device; b: a purchase whose revenue is missing; c: one event (the last of the data); d: a purchase of
#    revenue 0 rated 4/5; an 'NA' id (rejected, never a customer).
SHOP = """customer_id,timestamp,event,channel,device,department,revenue,score
a,2024-03-01 10:00:00,page_view,web,mobile,,,
a,2024-03-01 10:00:00,add_to_cart,web,mobile,,,
a,2024-03-02 12:00:00.500,purchase,web,desktop,,40.00,
a,2024-03-05 09:00:00,refund,web,desktop,,-40.00,
a,2024-03-06 08:00:00,support_ticket,phone,,support,,2
b,2024-03-03 00:00:00,page_view,email,desktop,,,
b,2024-03-04 00:00:00,purchase,email,desktop,,,
c,2024-03-10 00:00:00,purchase,web,mobile,,25.50,5
NA,2024-03-07 00:00:00,page_view,web,mobile,,,
d,2024-03-08 00:00:00,purchase,web,tablet,,0,4
"""


@pytest.fixture
def shop(tmp_path):
    return load(tmp_path, SHOP)


# ---------------------------------------------------------------------------------------------- (a) features


def test_the_na_id_is_rejected_and_every_other_row_is_used(shop):
    # 10 rows in: 9 used, 1 rejected as "missing customer id" (the NA row); customers a, b, c, d
    assert (shop.accounting.rows_in, shop.accounting.rows_used) == (10, 9)
    assert shop.accounting.rejected["reason"].tolist() == ["missing customer id"]


def test_features_of_a_small_shop_match_the_figures_worked_out_by_hand(shop):
    f = compute_customer_features(shop).set_index("customer_id")
    assert f.index.tolist() == ["a", "b", "c", "d"]  # no "NA" customer
    assert f.attrs["as_of"] == "2024-03-10T00:00:00+00:00"  # the last event of the data (c's)
    # recency: a last 03-06 08:00 -> 3 d 16 h; b 03-04 -> 6 d; c 0; d 03-08 -> 2 d
    assert f["recency_days"].to_dict() == pytest.approx({"a": 3 + 16 * HOUR, "b": 6.0, "c": 0.0, "d": 2.0})
    # days since first activity: a 03-01 10:00 -> 8 d 14 h; b 03-03 -> 7 d; c 0 (one event); d 2 d
    assert f["tenure_days"].to_dict() == pytest.approx({"a": 8 + 14 * HOUR, "b": 7.0, "c": 0.0, "d": 2.0})
    # events: a 5 (the two same-second events are two events, the refund is one), b 2, c 1, d 1
    assert f["frequency"].to_dict() == {"a": 5, "b": 2, "c": 1, "d": 1}
    # net money: a 40 - 40 = 0; b: its one amount is missing -> 0; c 25.50; d a purchase of 0 -> 0
    assert f["monetary"].to_dict() == {"a": 0.0, "b": 0.0, "c": 25.5, "d": 0.0}
    # furthest stage (0 awareness .. 4 loyalty): a's support ticket is retention (3; its refund there lifts nobody to
    # a stage, cjm.data.reversals); b, c, d bought (2)
    assert f["furthest_stage"].to_dict() == {"a": 3, "b": 2, "c": 2, "d": 2}
    # a: mobile, mobile, desktop, desktop, (none): one switch (mobile -> desktop); the others use one device
    assert f["device_switches"].to_dict() == {"a": 1, "b": 0, "c": 0, "d": 0}
    assert f["support_contacts"].to_dict() == {"a": 1, "b": 0, "c": 0, "d": 0}  # a's support_ticket
    # rating r -> (r - 3) / 2: a 2 -> -0.5, c 5 -> 1.0, d 4 -> 0.5; b gave none -> empty, never 0
    assert f.loc[["a", "c", "d"], "mean_sentiment"].tolist() == [-0.5, 1.0, 0.5]
    assert math.isnan(f.loc["b", "mean_sentiment"])
    # channel shares of the customer's events: a web 4/5, phone 1/5; b email 2/2
    assert (f.loc["a", "channel_share_web"], f.loc["a", "channel_share_phone"]) == (0.8, 0.2)
    assert (f.loc["b", "channel_share_email"], f.loc["b", "channel_share_web"]) == (1.0, 0.0)
    # device shares among a's 4 events with a device: desktop 2/4, mobile 2/4 (the ticket has none)
    assert (f.loc["a", "device_share_desktop"], f.loc["a", "device_share_mobile"]) == (0.5, 0.5)
    assert f["device_share_tablet"].to_dict() == {"a": 0.0, "b": 0.0, "c": 0.0, "d": 1.0}
    # purchases kept, as the Overview's repeat-purchase rate counts them: a's purchase of 40 (2 Mar) was refunded
    # in full (-40 on 5 Mar), so it is none (a cancelled or fully refunded order is no purchase); b's (no money) and
    # d's (0) are purchases by name, c's one: a 0, b 1, c 1, d 1. (Was 1 for everyone: a's refunded one counted.)
    assert f["purchases"].to_dict() == {"a": 0, "b": 1, "c": 1, "d": 1}
    # every customer converted (a purchase at the conversion stage, refunded or not, as on the Overview): dropped as
    # the same for everyone, its value kept in attrs["constant"]
    assert f.attrs["constant"] == {"converted": True}


def test_a_sample_counts_recency_to_the_last_event_of_the_whole_data_not_of_the_sampled_customers(tmp_path):
    # d's purchase moves to 03-12: the last event of the data. max_customers=2 keeps every 2nd customer by id:
    # a and c. Their recency counts to 03-12 00:00 as without sampling: a 5 d 16 h, c 2 d; tenure a 10 d 14 h.
    # (Before the fix the sample's own last event, c's 03-10, was the reference: a 3 d 16 h, c 0.)
    data = load(tmp_path, SHOP.replace("d,2024-03-08", "d,2024-03-12"))
    sampled = compute_customer_features(data, max_customers=2).set_index("customer_id")
    whole = compute_customer_features(data).set_index("customer_id")
    assert sampled.index.tolist() == ["a", "c"]
    assert sampled.attrs["as_of"] == "2024-03-12T00:00:00+00:00"
    assert sampled["recency_days"].to_dict() == pytest.approx({"a": 5 + 16 * HOUR, "c": 2.0})
    assert sampled["tenure_days"].to_dict() == pytest.approx({"a": 10 + 14 * HOUR, "c": 2.0})
    assert sampled["recency_days"].to_dict() == whole.loc[["a", "c"], "recency_days"].to_dict()


MILLIS = """customer_id,timestamp,event
x,2024-03-10 09:00:00,page_view
y,2024-03-10 12:00:00.300,page_view
"""


def test_an_event_at_exactly_as_of_with_milliseconds_is_kept(tmp_path):
    # as_of 12:00:00.300 is y's event: on or before as_of, so y is described with recency 0; x's recency is
    # 3 h 0.3 s = 10,800.3 s. (12:00:00.300 as float epoch seconds came back as 12:00:00.299999952 and y's event
    # was dropped as after as_of.)
    data = load(tmp_path, MILLIS)
    f = compute_customer_features(data, as_of="2024-03-10 12:00:00.300").set_index("customer_id")
    assert f.index.tolist() == ["x", "y"]
    assert f["recency_days"].to_dict() == pytest.approx({"x": 10_800.3 / 86_400, "y": 0.0})
    assert f.attrs["as_of"] == "2024-03-10T12:00:00.300000+00:00"


def test_a_segment_whose_customer_made_the_last_event_at_a_millisecond_keeps_that_customer(tmp_path):
    # segment Y = {y}: its recency counts to the end of the data it was selected from (y's own event at
    # 12:00:00.300), so y has recency 0 and is not dropped as "after the end".
    data = load(tmp_path, MILLIS)
    membership = pd.DataFrame({"customer_id": ["x", "y"], "persona": ["X", "Y"]})
    view = filtered(with_segments(data, membership), Filters(segments=("Y",)))
    f = compute_customer_features(view)
    assert f["customer_id"].tolist() == ["y"]
    assert f.attrs["as_of"] == "2024-03-10T12:00:00.300000+00:00"


CONVERSIONS = """customer_id,timestamp,event
p,2024-03-01 10:00:00,page_view
p,2024-03-01 10:05:00,purchase
s,2024-03-02 10:00:00,page_view
s,2024-03-02 11:00:00,support_ticket
q,2024-03-03 10:00:00,page_view
"""


def test_the_overview_counts_one_of_three_customers_converted(tmp_path):
    # p bought; s asked support (no purchase); q only looked: conversion rate 1/3 over the whole data
    data = load(tmp_path, CONVERSIONS)
    kpis = compute_kpis(data, period="all").set_index("name")
    assert kpis.loc["conversion_rate", "value"] == pytest.approx(1 / 3)


def test_a_support_ticket_without_a_purchase_is_no_conversion_in_the_segment_features(tmp_path):
    data = load(tmp_path, CONVERSIONS)
    f = compute_customer_features(data).set_index("customer_id")
    assert f["converted"].to_dict() == {"p": True, "q": False, "s": False}


def test_segment_profiles_of_the_small_shop_match_the_figures_worked_out_by_hand(shop):
    f = compute_customer_features(shop)  # customers a, b, c, d in id order
    profiles = compute_segment_profiles(f, [0, 0, 1, 1]).set_index("segment")
    assert profiles["size"].tolist() == [2, 2] and profiles["share"].tolist() == [0.5, 0.5]
    # spend: segment 0 = a 0 + b 0 -> mean 0, total 0; segment 1 = c 25.50 + d 0 -> mean 12.75, total 25.50
    assert profiles["value_mean"].tolist() == [0.0, 12.75]
    assert profiles["value_total"].tolist() == [0.0, 25.5]
    # sentiment over customers with a score: segment 0 only a (-0.5), 1 response; segment 1 (1.0 + 0.5) / 2
    assert profiles["sentiment"].tolist() == [-0.5, 0.75]
    assert profiles["sentiment_responses"].tolist() == [1, 2]
    # recency in hours: a 88, b 144, c 0, d 48; mean 70; sd (ddof 0) sqrt((18² + 74² + 70² + 22²) / 4) =
    # sqrt(2796) = 52.877; not skewed (skew 0.17). Segment 0 mean 116 h = 4.8333 d, z = 46 / 52.877 = +0.870
    assert profiles["mean_recency_days"].tolist() == pytest.approx([116 / 24, 24 / 24])
    assert profiles["z_recency_days"].tolist() == pytest.approx([46 / math.sqrt(2796), -46 / math.sqrt(2796)])


def test_a_segment_profile_shows_full_conversion_when_every_customer_converted(shop):
    f = compute_customer_features(shop)
    profiles = compute_segment_profiles(f, [0, 0, 1, 1])
    assert profiles["conversion"].tolist() == [1.0, 1.0]


def cdnow_raw() -> pd.DataFrame:
    """The CDNOW purchase log read by plain pandas: whitespace-delimited, ids kept as text, one row per line."""
    raw = pd.read_csv(real_file("cdnow_master.txt"), sep=r"\s+", dtype={"customer_id": str})
    raw["timestamp"] = pd.to_datetime(raw["date"].astype(str), format="%Y%m%d", utc=True)
    return raw


def test_rfm_features_of_the_cdnow_export_agree_with_a_plain_pandas_reference():
    # From the docs: a row equal in every column to an earlier row is a duplicate (rejected); recency / days
    # since first activity = days from the customer's last / first event to the last event of the data;
    # frequency = events; monetary = sum of revenue; purchases = distinct purchase times (an order's line
    # items, the same customer and day here, are one purchase).
    raw = cdnow_raw()
    rows = raw[~raw.duplicated(["customer_id", "date", "number_of_cds", "dollar_value"])]
    end = rows["timestamp"].max()
    by = rows.groupby("customer_id")
    reference = pd.DataFrame({
        "recency_days": (end - by["timestamp"].max()).dt.total_seconds() / 86_400,
        "tenure_days": (end - by["timestamp"].min()).dt.total_seconds() / 86_400,
        "frequency": by.size(),
        "monetary": by["dollar_value"].sum(),
        "purchases": by["timestamp"].nunique(),
    }).sort_index()
    data = load_dataset([real_file("cdnow_master.txt")])
    assert data.accounting.rows_used == len(rows)
    f = compute_customer_features(data, attributes=False).set_index("customer_id")
    assert f.index.tolist() == reference.index.tolist()
    assert len(f) == 23_570  # customers, as PROVENANCE.md counts them
    for column in ("recency_days", "tenure_days", "monetary"):
        assert np.allclose(f[column], reference[column], rtol=0, atol=1e-9), column
    assert (f["frequency"] == reference["frequency"]).all()
    assert (f["purchases"] == reference["purchases"]).all()


# ------------------------------------------------------------------------------------------ (b) at-risk, closed loop

SHORT = RiskParams(window_days=3, inactive_days=3, stalled_days=2, support_contacts=1)


def test_rule_risk_of_the_small_shop_matches_the_points_worked_out_by_hand(shop):
    # End 03-10 00:00. Window 3 days: recent = after 03-07 00:00, before = (03-04 00:00, 03-07 00:00].
    # a: recency 3.67 >= 3 (inactive 30); recent 0, before 2 (03-05 refund, 03-06 ticket): 0 <= 2/2 (falling 20);
    #    latest feedback rating 2 (negative 20); its ticket is before the window (support 0); mean -0.5 (low 10);
    #    furthest stage retention first reached by the ticket 03-06 08:00 (the refund of 03-05 09:00 lifts nobody to
    #    retention: cjm.data.reversals, as the Overview's stage reach) -> 3 d 16 h >= 2, not the last stage
    #    (stalled 5): 85 (was 4 d 15 h, from the refund)
    # b: recency 6 (30); 03-04 00:00 is not after 03-04 00:00, so before 0; conversion reached 03-04 -> 6 d
    #    (stalled 5): 35
    # d: recency 2 < 3; recent 1; conversion reached 03-08 -> 2 d >= 2 (stalled 5): 5
    # c: its one event is the end: 0
    ranked, summary = compute_at_risk(shop, sentiment=SentimentParams(), params=SHORT)
    r = ranked.set_index("customer_id")
    assert ranked["customer_id"].tolist() == ["a", "b", "d", "c"]  # at risk first, then by risk
    assert r["risk"].to_dict() == pytest.approx({"a": 0.85, "b": 0.35, "d": 0.05, "c": 0.0})
    assert (r.loc["a", "events_recent"], r.loc["a", "events_before"], r.loc["a", "support_contacts"]) == (0, 2, 0)
    assert r.loc["a", "days_since_progress"] == pytest.approx(3 + 16 * HOUR)
    assert r["revenue"].to_dict() == {"a": 0.0, "b": 0.0, "c": 25.5, "d": 0.0}  # net of a's refund
    assert r["at_risk"].to_dict() == {"a": True, "b": False, "c": False, "d": False}  # threshold 0.5
    assert summary["count"] == 1 and summary["top"] == ["a"] and summary["method"] == "rules"
    # drivers, most points first; 3.67 days read "4 days" (both the inactivity and, since the ticket, the stall)
    assert r.loc["a", "drivers"].split("; ") == [
        "no activity for 4 days", "events fell from 2 to 0", "negative last comment", "mean sentiment -0.50",
        "no stage progress for 4 days"]
    assert r.loc["b", "drivers"] == "no activity for 6 days; no stage progress for 6 days"
    assert r.loc["c", "drivers"] == ""


AS_OF_FEEDBACK = """customer_id,timestamp,event,score
e,2024-03-01 09:00:00,page_view,
e,2024-03-05 09:00:00,survey,5
e,2024-03-09 09:00:00,survey,1
f,2024-03-06 09:00:00,survey,4
"""


def test_at_risk_as_of_a_date_reads_only_the_feedback_given_by_then(tmp_path):
    # As of 03-07 00:00, e's only feedback is the 5/5 of 03-05 (+1.0): not negative, mean +1.0; the 1/5 of 03-09
    # comes later. f: 4/5 -> +0.5. Default rules: nobody inactive 60 days, no falling frequency (before 0),
    # no support contact, nobody stalled 30 days: risk 0 for both. (The 1/5 of 03-09 used to count: e's mean
    # (1 - 1) / 2 = 0, last negative, risk 0.2.)
    data = load(tmp_path, AS_OF_FEEDBACK)
    ranked, summary = compute_at_risk(data, sentiment=SentimentParams(), as_of="2024-03-07")
    r = ranked.set_index("customer_id")
    assert r["mean_sentiment"].to_dict() == {"e": 1.0, "f": 0.5}
    assert r["last_negative"].to_dict() == {"e": False, "f": False}
    assert r["risk"].to_dict() == {"e": 0.0, "f": 0.0} and summary["count"] == 0
    # e's recency to 03-07 00:00: last event by then 03-05 09:00 -> 1 d 15 h
    assert r.loc["e", "recency_days"] == pytest.approx(1 + 15 * HOUR)


# u: 100 spent (sales), then a 1/5 survey: on the list, owner sales (its latest department before the survey)
# v: 2/5 then 5/5 a day later: off the list (later positive feedback)
# w: 50 spent, a 2/5 at a fractional second, then the 50 refunded: on the list with value 0 (net)
# x: a purchase without an amount, then 1/5 at the last moment of the data: on the list with value 0
# y: 1/5 and 5/5 in the same second: the later row (5/5) is the latest: off the list
# z: 4/5 with an angry comment: the score decides: off the list; an 'NA' id is rejected
FEEDBACK = """customer_id,timestamp,event,department,revenue,score,text
u,2024-05-01 09:00:00,purchase,sales,100,,
u,2024-05-02 10:00:00,survey,,,1,
v,2024-05-01 09:00:00,purchase,,30,,
v,2024-05-03 09:00:00,survey,support,,2,
v,2024-05-04 09:00:00,survey,support,,5,
w,2024-05-02 09:00:00,purchase,,50,,
w,2024-05-04 12:00:00.500,survey,,,2,
w,2024-05-04 18:00:00,refund,,-50,,
x,2024-05-01 09:00:00,purchase,,,,
x,2024-05-05 00:00:00,survey,,,1,
y,2024-05-03 08:00:00,survey,,,1,
y,2024-05-03 08:00:00,survey,,,5,
z,2024-05-03 08:00:00,survey,,,4,"Terrible, awful service"
NA,2024-05-03 08:00:00,survey,,,1,
"""


def test_the_closed_loop_lists_the_unhappy_customers_by_value_then_recency(tmp_path):
    # End 05-05 00:00 (x's survey). Value basis revenue: u 100, w 50 - 50 = 0, x 0 (missing amount).
    # Order: value desc (u), then the most recent feedback first (x 05-05 before w 05-04).
    # Days since: u 2 d 14 h = 2.583 -> 2.6; x 0.0; w 11 h 59 min 59.5 s = 0.49999 -> 0.5.
    data = load(tmp_path, FEEDBACK)
    loop = compute_closed_loop(data)
    assert loop["customer_id"].tolist() == ["u", "x", "w"]
    assert loop["value"].tolist() == [100.0, 0.0, 0.0] and set(loop["value_basis"]) == {"revenue"}
    assert loop["days_since"].tolist() == [2.6, 0.0, 0.5]
    assert loop["department"].tolist() == ["sales", "unassigned", "unassigned"]
    assert loop["last_feedback"].tolist() == ["rating 1/5", "rating 1/5", "rating 2/5"]
    assert loop["sentiment"].tolist() == [-1.0, -1.0, -0.5]  # (1 - 3) / 2, (2 - 3) / 2
    # within 1 day at the end: u's 2.6 days are too old
    assert compute_closed_loop(data, within_days=1)["customer_id"].tolist() == ["x", "w"]


def airline():
    data = load_dataset([real_file("airline_tweets.csv")])
    rows = engine.execute(data.events).sort_values(["timestamp", "row_id"], kind="stable")
    return data, rows


def test_rule_risk_of_the_airline_tweets_agrees_with_a_plain_pandas_reference():
    # From the risk docstring, on the loaded tweets (every one a "feedback" event at the retention stage, rated
    # -1 / 0 / +1): window 2 days, inactive 3 days, stalled 5 days. end = the last tweet; recent: after end - 2 d;
    # before: (end - 4 d, end - 2 d]; no tweet is a support contact (neither "feedback" nor "retention" names
    # support); stalled: 5 days or more since the first tweet (retention is not the last stage).
    # Points: inactive 30, falling (before >= 2 and recent <= before / 2) 20, latest tweet negative 20,
    # mean below -0.05 10, stalled 5; risk = points / 100, at risk from 0.5.
    data, rows = airline()
    params = RiskParams(window_days=2, inactive_days=3, stalled_days=5)
    end = rows["timestamp"].max()
    day = pd.Timedelta(days=1)
    rows = rows.assign(recent=rows["timestamp"] > end - 2 * day,
                       before=(rows["timestamp"] <= end - 2 * day) & (rows["timestamp"] > end - 4 * day))
    by = rows.groupby("customer_id")
    ref = pd.DataFrame({
        "recency": (end - by["timestamp"].max()).dt.total_seconds() / 86_400,
        "since_first": (end - by["timestamp"].min()).dt.total_seconds() / 86_400,
        "recent": by["recent"].sum(), "before": by["before"].sum(),
        "mean": by["score"].mean(), "last_negative": by["score"].last() < 0,
    })
    points = (30 * (ref["recency"] >= 3) + 20 * ((ref["before"] >= 2) & (ref["recent"] <= ref["before"] / 2))
              + 20 * ref["last_negative"] + 10 * (ref["mean"] < -0.05) + 5 * (ref["since_first"] >= 5))
    ref["risk"] = points / 100
    ranked, summary = compute_at_risk(data, sentiment=SentimentParams(), params=params, explain=False)
    r = ranked.set_index("customer_id").loc[ref.index]
    assert np.allclose(r["risk"], ref["risk"], rtol=0, atol=1e-12)
    assert (r["last_negative"] == ref["last_negative"]).all()
    assert np.allclose(r["mean_sentiment"], ref["mean"], rtol=0, atol=1e-12)
    assert summary["count"] == int((ref["risk"] >= 0.5).sum())
    top = ref.reset_index().sort_values(["risk", "customer_id"], ascending=[False, True], kind="stable")
    assert summary["top"] == top["customer_id"].head(10).tolist()


def test_the_closed_loop_of_the_airline_tweets_agrees_with_a_plain_pandas_reference():
    # From the followup docstring: customers whose latest tweet (by time, then file order) is negative; no revenue
    # and no purchase event, so value = the customer's tweets; most valuable first, then most recent, then id.
    data, rows = airline()
    latest = rows.groupby("customer_id").tail(1).set_index("customer_id")
    unhappy = latest[latest["score"] < 0]
    ref = pd.DataFrame({"customer_id": unhappy.index, "value": rows.groupby("customer_id").size()[unhappy.index]
                        .to_numpy(dtype="float64"), "at": unhappy["timestamp"].to_numpy()})
    ref = ref.sort_values(["value", "at", "customer_id"], ascending=[False, False, True], kind="stable")
    loop = compute_closed_loop(data, limit=100_000)
    assert set(loop["value_basis"]) == {"events"}
    assert loop["customer_id"].tolist() == ref["customer_id"].tolist()
    assert loop["value"].tolist() == ref["value"].tolist()
    end = rows["timestamp"].max()
    assert loop["days_since"].tolist() == ((end - ref["at"]).dt.total_seconds() / 86_400).round(1).tolist()


# ------------------------------------------------------------------------------------- (c) KPI period comparison


def kpi_table(data, **kwargs) -> pd.DataFrame:
    return compute_kpis(data, **kwargs).set_index("name")


TWENTY_MINUTES = """customer_id,timestamp,event,revenue
a,2024-03-10 10:00:00,page_view,
a,2024-03-10 10:00:00,add_to_cart,
b,2024-03-10 10:05:30.5,page_view,
a,2024-03-10 10:12:00,purchase,30
c,2024-03-10 10:15:00,page_view,
c,2024-03-10 10:20:00,purchase,0
NA,2024-03-10 10:20:00,purchase,99
"""


def test_twenty_minutes_of_data_are_compared_half_against_half(tmp_path):
    # first 10:00, last 10:20: middle 10:10 (to the minute), end the minute after the last event, 10:21:
    # current [10:10, 10:21), previous [09:59, 10:10) (the same 11 minutes). The NA row (99) is rejected.
    # current: a's purchase 10:12 (30), c 10:15 and 10:20 (purchase of 0): customers a, c = 2; both bought
    #   (100%); revenue 30; one order with money (a's) -> AOV 30; each bought once -> repeat 0%
    # previous: a 10:00 (two same-second events), b 10:05:30.5: customers 2, converted 0, revenue 0 (no amount),
    #   no order -> AOV and repeat have no previous value
    data = load(tmp_path, TWENTY_MINUTES)
    k = kpi_table(data)
    assert k.loc["customers", ["value", "previous", "change"]].tolist() == [2, 2, 0]
    assert k.loc["conversion_rate", ["value", "previous", "change"]].tolist() == [1.0, 0.0, 1.0]
    assert k.loc["conversion_rate", "change_display"] == "+100.0 pts"
    assert k.loc["revenue", ["value", "previous", "change"]].tolist() == [30.0, 0.0, 30.0]
    assert k.loc["average_order_value", "value"] == 30.0 and math.isnan(k.loc["average_order_value", "previous"])
    assert k.loc["repeat_purchase_rate", "value"] == 0.0 and math.isnan(k.loc["repeat_purchase_rate", "change"])
    assert period_sentence(k.reset_index()) == (
        "Figures cover 10 Mar 2024 10:10 – 10 Mar 2024 10:21 UTC; "
        "changes compare with 10 Mar 2024 09:59 – 10 Mar 2024 10:10 UTC.")


def test_twenty_minutes_across_midnight_compare_the_two_calendar_days(tmp_path):
    # 23:50 on 9 Mar to 00:10:00.250 on 10 Mar: two calendar days, so the current period ends at the midnight
    # after the last event (11 Mar) and lasts half the span from 9 Mar 00:00: 1 day. Current = 10 Mar: a's
    # purchase (10) and c: 2 customers, 1 bought (50%); previous = 9 Mar: a, b: 2 customers, 0 bought, revenue 0.
    data = load(tmp_path, "customer_id,timestamp,event,revenue\n"
                          "a,2024-03-09 23:50:00,page_view,\nb,2024-03-09 23:55:00,page_view,\n"
                          "a,2024-03-10 00:05:00,purchase,10\nc,2024-03-10 00:10:00.250,page_view,\n")
    k = kpi_table(data)
    assert k.loc["customers", ["value", "previous"]].tolist() == [2, 2]
    assert k.loc["conversion_rate", ["value", "previous", "change_display"]].tolist() == [0.5, 0.0, "+50.0 pts"]
    assert k.loc["revenue", ["value", "previous", "change"]].tolist() == [10.0, 0.0, 10.0]
    assert period_sentence(k.reset_index()) == "Figures cover 10 Mar 2024; changes compare with 9 Mar 2024."


def test_data_within_one_minute_has_no_earlier_period_to_compare_with(tmp_path):
    # 10:00:05 and 10:00:40.5: the middle 10:00:22.75 floors to 10:00, the first event's own minute: no earlier
    # half. Current [10:00, 10:01): 2 customers; no previous value, no change.
    data = load(tmp_path, "customer_id,timestamp,event\na,2024-03-10 10:00:05,page_view\n"
                          "b,2024-03-10 10:00:40.5,page_view\n")
    k = kpi_table(data)
    assert k.loc["customers", "value"] == 2 and math.isnan(k.loc["customers", "previous"])
    assert k.loc["customers", "change_display"] == ""
    assert period_sentence(k.reset_index()) == (
        "Figures cover 10 Mar 2024 10:00 – 10 Mar 2024 10:01 UTC; no earlier period to compare with.")


TWO_YEARS = """customer_id,timestamp,event,revenue
a,2022-03-10 08:00:00,page_view,
a,2022-03-10 08:05:00,purchase,20
b,2024-01-15 12:00:00,page_view,
b,2024-01-15 12:00:00,purchase,50
b,2024-02-20 09:00:00,purchase,10
b,2024-02-25 09:00:00,refund,-10
c,2024-03-01 00:00:00,page_view,
d,2024-03-09 15:30:00.250,purchase,
d,2024-03-09 15:30:00.250,purchase,5
"""


def test_two_years_of_data_compare_the_last_30_days_with_the_30_before(tmp_path):
    # last event 9 Mar 2024 15:30: current [10 Feb - 30 d = 9 Feb, 10 Mar), previous [10 Jan, 9 Feb) (2024 is
    # a leap year: 29 days in February). a's events of 2022 are in neither.
    # current: b 20 Feb purchase 10, 25 Feb refund -10; c 1 Mar; d 9 Mar two line items (missing, 5) of one
    #   order: customers b, c, d = 3; bought b, d = 2/3; revenue 10 - 10 + 5 = 5; repeat: b's purchase is fully
    #   refunded (no purchase), d bought once -> 0 of 1
    # previous: b 15 Jan (page view and purchase of 50 in one second): 1 customer, 1/1 bought, revenue 50,
    #   AOV 50, repeat 0 of 1
    data = load(tmp_path, TWO_YEARS)
    k = kpi_table(data)
    assert k.loc["customers", ["value", "previous", "change_display"]].tolist() == [3, 1, "+2"]
    assert k.loc["conversion_rate", ["value", "previous"]].tolist() == pytest.approx([2 / 3, 1.0])
    assert k.loc["conversion_rate", "change_display"] == "-33.3 pts"
    assert k.loc["revenue", ["value", "previous", "change"]].tolist() == [5.0, 50.0, -45.0]
    assert k.loc["average_order_value", "previous"] == 50.0
    assert k.loc["repeat_purchase_rate", ["value", "previous", "change"]].tolist() == [0.0, 0.0, 0.0]
    assert period_sentence(k.reset_index()) == (
        "Figures cover 9 Feb 2024 – 9 Mar 2024; changes compare with 10 Jan 2024 – 8 Feb 2024.")
    current, previous = default_periods(pd.Timestamp("2022-03-10 08:00", tz="UTC"),
                                        pd.Timestamp("2024-03-09 15:30:00.250", tz="UTC"))
    assert current == (pd.Timestamp("2024-02-09", tz="UTC"), pd.Timestamp("2024-03-10", tz="UTC"))
    assert previous == (pd.Timestamp("2024-01-10", tz="UTC"), pd.Timestamp("2024-02-09", tz="UTC"))


def test_a_chosen_period_is_compared_with_as_long_a_period_just_before(tmp_path):
    # period [1 Mar, 10 Mar): c 1 Mar, d 9 Mar -> 2 customers, revenue 5; previous [21 Feb, 1 Mar) (9 days):
    # only b's refund of 25 Feb -> 1 customer, revenue -10 (money is net: a refund lowers its period)
    data = load(tmp_path, TWO_YEARS)
    k = kpi_table(data, period=("2024-03-01", "2024-03-10"))
    assert k.loc["customers", ["value", "previous"]].tolist() == [2, 1]
    assert k.loc["revenue", ["value", "previous", "change"]].tolist() == [5.0, -10.0, 15.0]
    assert period_sentence(k.reset_index()) == (
        "Figures cover 1 Mar 2024 – 9 Mar 2024; changes compare with 21 Feb 2024 – 29 Feb 2024.")


def test_a_fully_refunded_order_is_no_order_in_the_average_order_value(tmp_path):
    k = kpi_table(load(tmp_path, TWO_YEARS))
    assert k.loc["average_order_value", "value"] == 5.0


def test_kpis_of_the_cdnow_export_in_the_default_periods_agree_with_a_plain_pandas_reference():
    # From the KPI docstring: last purchase 30 Jun 1998 -> current [1 Jun 1998, 1 Jul 1998), previous
    # [2 May 1998, 1 Jun 1998). customers: distinct ids; revenue: sum; AOV: revenue / distinct (customer, day)
    # with money > 0; repeat: customers with 2+ distinct purchase days in the period, or a purchase before it (any
    # time: review 40's returning buyer) / customers with 1+ (every row is a purchase; no refund in CDNOW). CDNOW holds
    # the customers who first bought in Q1 1997, so every buyer of May or June 1998 had bought before: 100% (inside
    # June alone 19.5% bought on two days or more). Identical rows are rejected as duplicates first.
    raw = cdnow_raw()
    rows = raw[~raw.duplicated(["customer_id", "date", "number_of_cds", "dollar_value"])]
    assert (rows["dollar_value"] >= 0).all()

    def figures(start, end):
        p = rows[(rows["timestamp"] >= pd.Timestamp(start, tz="UTC")) & (rows["timestamp"] < pd.Timestamp(end, tz="UTC"))]
        orders = p[p["dollar_value"] > 0].drop_duplicates(["customer_id", "timestamp"])
        days = p.groupby("customer_id")["timestamp"].nunique()
        earlier = set(rows.loc[rows["timestamp"] < pd.Timestamp(start, tz="UTC"), "customer_id"])
        again = (days >= 2) | days.index.isin(earlier)
        return {"customers": p["customer_id"].nunique(), "revenue": p["dollar_value"].sum(),
                "average_order_value": p["dollar_value"].sum() / len(orders),
                "repeat_purchase_rate": again.sum() / (days >= 1).sum()}

    current, previous = figures("1998-06-01", "1998-07-01"), figures("1998-05-02", "1998-06-01")
    assert current["repeat_purchase_rate"] == previous["repeat_purchase_rate"] == 1.0
    k = kpi_table(load_dataset([real_file("cdnow_master.txt")]))
    for name in current:
        assert k.loc[name, "value"] == pytest.approx(current[name], rel=1e-12), name
        assert k.loc[name, "previous"] == pytest.approx(previous[name], rel=1e-12), name
        assert k.loc[name, "change"] == pytest.approx(current[name] - previous[name], rel=1e-9, abs=1e-9), name
    assert not k.loc["conversion_rate", "available"]  # every event a purchase: 100% would say nothing
    assert period_sentence(k.reset_index()) == (
        "Figures cover 1 Jun 1998 – 30 Jun 1998; changes compare with 2 May 1998 – 31 May 1998.")
