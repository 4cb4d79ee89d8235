"""Review 43: the Follow-up page's call-back list (compute_closed_loop) and its owner departments
(compute_followup_by_department) against tests/review43_reference.py, on hand-made exports (figures worked out by
hand beside them), the demo and real airline tweets."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, load_dataset
from cjm.data.stages import StageMapping
from cjm.voice.followup import compute_closed_loop, compute_followup_by_department
from cjm.voice.sentiment import compute_signals
from tests import review43_reference as ref
from tests.helpers import real_file

TABLE = {"purchase": "conversion", "refund": "retention", "survey": "retention", "visit": "awareness"}
ALL = 100_000  # the page asks for the whole list (cjm.ui.voice.LOOP_LIMIT)


def dataset(text: str, name: str = "feedback.csv"):
    return load_dataset([SourceFile(name=name, data=text.encode())],
                        stage_mapping=StageMapping(model="5", events=dict(TABLE)))


def same_list(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    """cjm's list and the reference's: the same customers in the same order with the same figures."""
    assert list(ours["customer_id"].astype(str)) == list(theirs["customer_id"].astype(str))
    if theirs.empty:
        return
    assert set(ours["value_basis"]) == set(theirs["value_basis"])
    assert np.allclose(ours["value"].astype(float), theirs["value"].astype(float))
    assert np.allclose(ours["sentiment"].astype(float), theirs["sentiment"].astype(float))
    # days are shown to a tenth of a day (review 17's contract, tests/test_review17_features_risk_periods.py)
    assert np.allclose(ours["days_since"].astype(float), theirs["days_since"].astype(float).round(1), equal_nan=True)
    assert list(ours["department"].astype(str)) == list(theirs["department"].astype(str))
    assert list(ours["source"]) == list(theirs["source"])
    assert list(ours["event"].astype(str)) == list(theirs["event"].astype(str))
    assert list(pd.to_datetime(ours["at"], utc=True)) == list(pd.to_datetime(theirs["at"], utc=True))


def shown(loop: pd.DataFrame) -> pd.DataFrame:
    """The reference's list with its days to a tenth, as the list shows them: the departments' medians are of those."""
    return loop.assign(days_since=loop["days_since"].round(1))


def same_departments(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    ours = ours.assign(department=ours["department"].astype(str)).sort_values("department").reset_index(drop=True)
    theirs = theirs.sort_values("department").reset_index(drop=True)
    assert list(ours["department"]) == list(theirs["department"])
    assert list(ours["customers"].astype(int)) == list(theirs["customers"])
    assert np.allclose(ours["value"].astype(float), theirs["value"])
    assert np.allclose(ours["median_days_since"].astype(float), theirs["median_days_since"])


def reference_for(data, signals=None, **options):
    events = data.events.to_pandas()
    signals = compute_signals(data) if signals is None else signals
    return ref.closed_loop(events, signals, **options)


# --- a shop with ratings 1..5 and revenue -----------------------------------------------------------------------

# as_of = the last event, 9 Mar 10:00.
# a: bought 100, rated 2 on 2 Mar with no department -> on the list; owner sales (its purchase, the last department
#    before); 7.0 days.
# b: rated 1 on 3 Mar, then 5 on 5 Mar: the later positive takes b off.
# c: bought 80, refund -30 (net 50), rated 2 on 6 Mar 12:00 at support -> value 50, owner support,
#    2 days 22 h = 2.9167 days.
# d: rated 3: neutral, not on the list.
# e: no money, rated 1 on 7 Mar 10:00 -> value 0, no department anywhere: unassigned, 2.0 days.
# f: bought 100, rated 2 on 9 Mar 10:00 at support -> value 100, 0.0 days; ties a on value, more recent: before a.
# List: f (100), a (100), c (50), e (0).
# By department: sales 1 customer (a) 100, median 7.0; support 2 (f, c) 150, median of the days shown (0.0 + 2.9) / 2
# = 1.45;
# unassigned 1 (e) 0, median 2.0.
SHOP = """customer_id,timestamp,event,channel,department,revenue,rating
a,2025-03-01 10:00,purchase,web,sales,100,
a,2025-03-02 10:00,survey,email,,,2
b,2025-03-01 09:00,purchase,web,sales,50,
b,2025-03-03 09:00,survey,email,support,,1
b,2025-03-05 09:00,survey,email,support,,5
c,2025-03-04 12:00,purchase,store,sales,80,
c,2025-03-05 12:00,refund,store,billing,-30,
c,2025-03-06 12:00,survey,phone,support,,2
d,2025-03-02 08:00,survey,email,,,3
e,2025-03-07 10:00,survey,email,,,1
f,2025-03-08 10:00,purchase,web,sales,100,
f,2025-03-09 10:00,survey,chat,support,,2
"""


def test_the_shops_call_back_list_is_f_a_c_e_with_net_revenue_owners_and_days_as_worked_by_hand():
    data = dataset(SHOP)
    loop = compute_closed_loop(data, limit=ALL)
    assert list(loop["customer_id"]) == ["f", "a", "c", "e"]
    assert list(loop["value"]) == [100, 100, 50, 0]
    assert set(loop["value_basis"]) == {"revenue"}
    assert list(loop["department"]) == ["support", "sales", "support", "unassigned"]
    assert np.allclose(loop["days_since"], [0.0, 7.0, 2.9, 2.0])  # 2 + 22 / 24 = 2.9167, shown 2.9
    assert list(loop["sentiment"]) == [-0.5, -0.5, -0.5, -1.0]
    same_list(loop, reference_for(data))


def test_the_shops_follow_ups_by_department_add_up_to_the_list():
    data = dataset(SHOP)
    loop = compute_closed_loop(data, limit=ALL)
    departments = compute_followup_by_department(loop)
    theirs = ref.by_department(shown(reference_for(data)))
    same_departments(departments, theirs)
    row = departments.set_index(departments["department"].astype(str))
    assert row.loc["support", "customers"] == 2 and row.loc["support", "value"] == 150
    assert row.loc["support", "median_days_since"] == pytest.approx((0 + 2.9) / 2)  # of the days shown: 0.0 and 2.9
    assert row.loc["sales", "median_days_since"] == pytest.approx(7.0)
    # nothing lost: every listed customer is in exactly one owner's row, and the values add up
    assert departments["customers"].sum() == len(loop) and departments["value"].sum() == loop["value"].sum()


def test_negative_feedback_in_the_last_3_days_keeps_f_c_and_e_not_as_7_days_ago():
    data = dataset(SHOP)
    loop = compute_closed_loop(data, limit=ALL, within_days=3)
    assert list(loop["customer_id"]) == ["f", "c", "e"]
    same_list(loop, reference_for(data, within_days=3))


# h complained 3 days and 1 hour before the end of the data (6 Mar 09:00 to 9 Mar 10:00 = 3.0417 days), i at the end.
# "in the last 3 days" keeps i alone: h's feedback is more than 3 days old, though it shows as 3.0 days.
EDGE = """customer_id,timestamp,event,rating
h,2025-03-06 09:00,survey,1
i,2025-03-09 10:00,survey,1
"""


def test_feedback_3_days_and_1_hour_old_is_not_in_the_last_3_days():
    data = dataset(EDGE)
    # both are worth 1 event: the most recent first, i (0 days) then h (3.0417 days, shown 3.0)
    assert list(compute_closed_loop(data, limit=ALL)["days_since"]) == [0.0, 3.0]
    loop = compute_closed_loop(data, limit=ALL, within_days=3)
    assert list(loop["customer_id"]) == ["i"]
    same_list(loop, reference_for(data, within_days=3))


def test_the_list_counts_days_to_the_as_of_date_asked_for():
    # as of 12 Mar 10:00: f 3.0, a 10.0, c 5.9167, e 5.0 days.
    data = dataset(SHOP)
    loop = compute_closed_loop(data, limit=ALL, as_of="2025-03-12 10:00")
    assert np.allclose(loop["days_since"], [3.0, 10.0, 5.9, 5.0])  # 5 + 22 / 24 = 5.9167, shown 5.9
    same_list(loop, reference_for(data, as_of=pd.Timestamp("2025-03-12 10:00", tz="UTC")))


def test_the_limit_keeps_the_most_valuable_first():
    data = dataset(SHOP)
    assert list(compute_closed_loop(data, limit=2)["customer_id"]) == ["f", "a"]


# --- NPS: a passive 7 is no complaint, a 6 is, though its value is +0.2 -----------------------------------------------

# likely_to_recommend 0..10: NPS scale. as_of 10 Mar 09:00.
# p: answered 6 (detractor, value +0.2 on the -1..+1 scale) on 5 Mar -> on the list, 5.0 days.
# q: answered 7 (passive) -> not. r: answered 2 then 10 -> off. s: answered 0 on 10 Mar 09:00 -> 0 days.
# No revenue, purchase events: p bought twice (purchase, Purchase), s once (order_completed), so p (2) before s (1).
NPS = """customer_id,timestamp,event,likely_to_recommend
p,2025-03-01 09:00,purchase,
p,2025-03-02 09:00,Purchase,
p,2025-03-05 09:00,survey,6
q,2025-03-05 09:00,survey,7
r,2025-03-03 09:00,survey,2
r,2025-03-04 09:00,survey,10
s,2025-03-09 09:00,order_completed,
s,2025-03-10 09:00,survey,0
"""


def test_a_detractors_6_is_negative_feedback_though_its_sentiment_is_positive():
    data = dataset(NPS)
    loop = compute_closed_loop(data, limit=ALL)
    assert list(loop["customer_id"]) == ["p", "s"]
    assert set(loop["value_basis"]) == {"purchases"} and list(loop["value"]) == [2, 1]
    assert list(loop["sentiment"]) == pytest.approx([0.2, -1.0])
    assert list(loop["days_since"]) == pytest.approx([5.0, 0.0])
    same_list(loop, reference_for(data))


# --- purchases are the Overview's: orders of events named as purchases, in any spelling or language -------------------

# No money: the value is the customer's purchases (README: "a customer's purchases are the Overview's, by one rule").
# k bought (purchase, 1 Mar) and then has a purchase_cancelled (2 Mar): a cancellation is never a purchase (DESIGN.md
#   section 3), and without money nothing says it took that order back: 1 purchase.
# m's "Order Completed" (as Segment writes it) has two lines of one order at one moment (two items): 1 purchase.
# n bought with "Kauf" (a German shop's purchase): 1 purchase.
# Each is worth 1: by recency, k (3 Mar 10:00), m (09:00), n (08:00). cjm counted k 2, m 0 and n 0.
SPELLINGS = """customer_id,timestamp,event,item,rating
k,2025-03-01 10:00,purchase,shoes,
k,2025-03-02 10:00,purchase_cancelled,shoes,
k,2025-03-03 10:00,survey,,1
m,2025-03-01 10:00,Order Completed,shoes,
m,2025-03-01 10:00,Order Completed,socks,
m,2025-03-03 09:00,survey,,1
n,2025-03-01 10:00,Kauf,hat,
n,2025-03-03 08:00,survey,,1
"""


def test_without_money_the_value_is_the_customers_orders_as_the_overview_counts_them():
    data = dataset(SPELLINGS)
    loop = compute_closed_loop(data, limit=ALL)
    assert list(loop["customer_id"]) == ["k", "m", "n"]
    assert set(loop["value_basis"]) == {"purchases"} and list(loop["value"]) == [1, 1, 1]
    same_list(loop, reference_for(data))


# --- a score and a comment on one event: the score decides ---------------------------------------------------------

# u: rated 5 with an angry comment (the latest event): the rating decides, u is happy -> not on the list.
# v: rated 1 with a glowing comment -> on the list (rating 1/5).
# w: rated 4 on 1 Mar, then on 3 Mar a comment alone, "terrible, awful, the worst service ever" -> negative text:
#    on the list. No money or purchases: value = events, v 1, w 2 -> w first.
BOTH = """customer_id,timestamp,event,rating,comment
u,2025-03-02 10:00,survey,5,"This is terrible, awful, the worst service ever."
v,2025-03-02 11:00,survey,1,"I love it, wonderful and great!"
w,2025-03-01 10:00,survey,4,
w,2025-03-03 10:00,survey,,"This is terrible, awful, the worst service ever."
"""


def test_when_one_event_has_a_rating_and_a_comment_the_rating_decides():
    data = dataset(BOTH)
    loop = compute_closed_loop(data, limit=ALL)
    assert list(loop["customer_id"]) == ["w", "v"]
    assert set(loop["value_basis"]) == {"events"} and list(loop["value"]) == [2, 1]
    assert list(loop["source"]) == ["text", "score"]
    same_list(loop, reference_for(data))


# --- the owner: the department of the feedback, else the last one at or before it ----------------------------------

# x: support on 1 Mar, billing on 4 Mar (after), rated 1 on 2 Mar with no department -> support (billing came after).
# y: rated 2 on 2 Mar at its own department "care" -> care, though sales came before.
OWNERS = """customer_id,timestamp,event,department,rating
x,2025-03-01 10:00,visit,support,
x,2025-03-02 10:00,survey,,1
x,2025-03-04 10:00,visit,billing,
y,2025-03-01 10:00,visit,sales,
y,2025-03-02 12:00,survey,care,2
"""


def test_the_owner_is_the_feedbacks_department_else_the_last_one_before_it_never_a_later_one():
    data = dataset(OWNERS)
    loop = compute_closed_loop(data, limit=ALL)
    owners = dict(zip(loop["customer_id"], loop["department"]))
    assert owners == {"x": "support", "y": "care"}
    same_list(loop, reference_for(data))


# --- the demo ------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo():
    data = load_dataset(["data/demo_events.csv.gz", "data/demo_customers.csv"])
    return data, compute_signals(data)


def test_the_demos_call_back_list_is_the_references(demo):
    data, signals = demo
    loop = compute_closed_loop(data, signals=signals, limit=ALL)
    assert len(loop) > 20
    same_list(loop, reference_for(data, signals))


def test_the_demos_list_within_30_days_is_the_references(demo):
    data, signals = demo
    loop = compute_closed_loop(data, signals=signals, limit=ALL, within_days=30)
    same_list(loop, reference_for(data, signals, within_days=30))
    whole = compute_closed_loop(data, signals=signals, limit=ALL)
    assert set(loop["customer_id"]) <= set(whole["customer_id"])
    assert (loop["days_since"] <= 30).all()


def test_the_demos_follow_ups_by_department_are_the_references_and_add_up(demo):
    data, signals = demo
    loop = compute_closed_loop(data, signals=signals, limit=ALL)
    departments = compute_followup_by_department(loop)
    same_departments(departments, ref.by_department(shown(reference_for(data, signals))))
    assert departments["customers"].sum() == len(loop)
    assert departments["value"].sum() == pytest.approx(loop["value"].sum())


def test_every_demo_customer_whose_latest_feedback_is_negative_is_listed_once(demo):
    data, signals = demo
    loop = compute_closed_loop(data, signals=signals, limit=ALL)
    assert loop["customer_id"].is_unique
    latest = ref.latest_signals(signals)
    negative = {c for c, s in latest.items() if ref.signal_is_negative(s)}
    assert set(loop["customer_id"]) == negative
    # ranked by value, then most recent
    keys = list(zip(-loop["value"].astype(float), -pd.to_datetime(loop["at"], utc=True).astype("int64")))
    assert keys == sorted(keys)


# --- real exports: tweets to US airlines -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tweets():
    path = real_file("airline_tweets.csv")
    labelled = load_dataset([path])
    suggested = labelled.files[0].mapping
    text_only = ColumnMapping.from_dict({**suggested.to_dict(),
                                         "columns": {k: v for k, v in suggested.columns.items() if k != "score"}})
    return labelled, load_dataset([path], mappings={path.name: text_only})


def test_the_airline_tweets_call_back_list_by_their_labels_is_the_references(tweets):
    labelled, _ = tweets
    signals = compute_signals(labelled)
    loop = compute_closed_loop(labelled, signals=signals, limit=ALL)
    assert len(loop) > 1000
    theirs = reference_for(labelled, signals)
    same_list(loop, theirs)
    same_departments(compute_followup_by_department(loop), ref.by_department(shown(theirs)))


def test_the_airline_tweets_call_back_list_by_their_words_is_the_references(tweets):
    _, words = tweets
    signals = compute_signals(words)
    loop = compute_closed_loop(words, signals=signals, limit=ALL, within_days=7)
    same_list(loop, reference_for(words, signals, within_days=7))


def test_a_wider_neutral_band_asks_more_of_a_comment_to_be_a_complaint(demo):
    # The Sentiment page's neutral band (0.3 here): a text is negative at -0.3 or below; scores keep their scales.
    from cjm.voice.sentiment import SentimentParams
    data, default = demo
    wide = compute_signals(data, params=SentimentParams(neutral_band=0.3))
    loop = compute_closed_loop(data, signals=wide, limit=ALL)
    same_list(loop, ref.closed_loop(data.events.to_pandas(), wide, band=0.3))
    # the latest feedback does not depend on the band, and what is negative at -0.3 is negative at -0.05: the wider
    # band's list is part of the default one's
    narrow = compute_closed_loop(data, signals=default, limit=ALL)
    assert set(loop["customer_id"]) <= set(narrow["customer_id"]) and len(loop) < len(narrow)
