"""A plain, independent reading of the Overview KPIs, the customer features, RFM and the segment profiles.

Written for review 36 from DESIGN.md (sections 3 and 4), DOMAIN.md and the KPI help texts (the label table and
the module doc of cjm/journey/kpis.py, the docstrings of compute_customer_features, compute_rfm and
compute_segment_profiles) alone, before reading how cjm computes them, so the two can be compared. It favours
being obviously right over being fast (test helper only; cjm itself must not loop over customers).

Input: the canonical events as a pandas frame (Dataset.events.to_pandas(): the rows a load keeps), with
customer_id, timestamp (UTC), event, stage, stage_index and the optional columns.

As read here:
- A period is half-open [start, end): an event exactly at `start` is in it, one exactly at `end` is not.
- customers: distinct customers with an event in the period.
- conversion rate: customers with an event at the "conversion" stage in the period / customers in the period
  (DESIGN.md section 4 has no formula; the help text names the stage rule).
- bounce rate: visits (customer + session_id) of the period with exactly one event of the period / visits, over
  the events that are no impression (an ad shown to a customer is no page of a visit; review 36's disagreement).
- checkout abandonment: the counted attempt of the funnel checkout -> purchase (window from the checkout,
  default 7 days, the edge inside); the deepest attempt, among equally deep the earliest. Judged when the
  window closed before the end of what is seen (the period's end, or the data's last event when sooner):
  abandoned = no purchase, among the judged.
- click-through rate: ad clicks / ad impressions (a click counts with the impression of its own prefix).
- scroll rate: events with a scroll depth >= 50 (percent) / events with a scroll depth.
- revenue: the sum of revenue, refunds (negative revenue) included: money figures are net (DESIGN.md section 3).
- average order value: the net money of the period's orders / orders; an order is one moment (customer,
  timestamp) of positive revenue, so the line items of one order are one order; a refund taking an order back
  whole makes it no order, and a purchase of no money (a free CD in CDNOW) is a purchase for the repeat-purchase
  rate but no order of the average order value (the help text: "An order is one moment of one customer with a
  positive revenue"; a first draft of this reference left free purchases out of the repeat-purchase rate too: the
  help text counts purchase events, money or not). A refund goes to the latest earlier order of exactly its
  amount, else to the latest orders first (a cancelled 1 x 10 the day after an order of 1 x 10 cancels that order, not an older one of 40).
- repeat-purchase rate: the period's buyers (1+ orders in it: purchase events, distinct moments) who bought again:
  2+ orders in the period, or an order before it at any time (a marketer's returning buyer; orders before it net of
  the refunds up to the period's end, so a refund in March of February's order leaves no February order; the help
  text since review 40) / the period's buyers. Over all data nothing comes before: 2+ orders / 1+.
- support contacts per customer: support contacts / customers of the period.
- reviews received: review_written events; referrals: referral events.
- change: value - previous, in the KPI's unit (for shares a difference of fractions).
- Default periods: the last N days ending at the midnight after the last event, against the N days before.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

DAY = pd.Timedelta(days=1)
PURCHASES = {"purchase", "order_completed", "order", "repeat_purchase"}
CHECKOUTS = {"checkout_started", "checkout", "begin_checkout"}
REVIEWS = {"review_written"}
REFERRALS = {"referral"}
SUPPORT_TEAM_WORDS = ("support", "service", "help desk", "helpdesk", "customer care", "contact centre",
                      "contact center")
SUPPORT_EVENT_WORDS = ("support", "ticket", "complaint", "chat")
FOLLOW_UP_WORDS = ("update", "updated", "close", "closed", "reopened", "resolved", "reply", "replied")


def utc(value) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def default_periods(events: pd.DataFrame, days: int = 30):
    """(current, previous): the last `days` days up to the midnight after the last event, and the days before."""
    end = events["timestamp"].max().floor("D") + DAY
    middle = end - pd.Timedelta(days=days)
    return (middle, end), (middle - pd.Timedelta(days=days), middle)


def within(events: pd.DataFrame, period) -> pd.DataFrame:
    if period is None:
        return events
    start, end = utc(period[0]), utc(period[1])
    return events[(events["timestamp"] >= start) & (events["timestamp"] < end)]


def _words(text) -> str:
    return " " + str(text).lower().replace("_", " ").replace("-", " ") + " "


def is_support(row) -> bool:
    name = _words(row.get("event", ""))
    if any(f" {w} " in name for w in FOLLOW_UP_WORDS):
        return False
    for column in ("department", "stage"):
        value = row.get(column)
        if isinstance(value, str) and any(f" {w} " in _words(value) for w in SUPPORT_TEAM_WORDS):
            return True
    return any(f" {w} " in name for w in SUPPORT_EVENT_WORDS)


def support_contacts(events: pd.DataFrame) -> int:
    """How many of `events` are support contacts (is_support, read once per distinct event, department, stage)."""
    keys = [c for c in ("event", "department", "stage") if c in events]
    if events.empty:
        return 0
    kinds = events[keys].astype(object).where(events[keys].notna(), None).value_counts(dropna=False).reset_index()
    return int(sum(n for row, n in zip(kinds[keys].to_dict("records"), kinds["count"]) if is_support(row)))


def orders(events: pd.DataFrame, names=PURCHASES) -> pd.DataFrame:
    """customer_id, timestamp, money of each order: a purchase moment (line items summed; without any revenue, every
    purchase moment is an order: the help text counts purchase events, money or not); money net of the
    refunds (negative revenue rows) of the same customer that come later, taken against that customer's orders in
    time order; an order taken back whole is dropped."""
    if "revenue" not in events:
        money = pd.Series(0.0, index=events.index)
    else:
        money = events["revenue"].fillna(0.0)
    bought = events[events["event"].isin(names)].assign(money=money)
    out = bought.groupby(["customer_id", "timestamp"], as_index=False)["money"].sum()
    out["paid"] = out["money"]
    if "revenue" not in events or events["revenue"].isna().all():  # purchases without money: every moment an order
        return out
    refunds = events[money < 0].assign(money=money)
    refunded = out["customer_id"].isin(refunds["customer_id"])
    kept = [out[~refunded & ((out["money"].round(2) > 0) | (out["paid"] == 0))]]  # no refund: as they are
    for customer, mine in out[refunded].sort_values("timestamp").groupby("customer_id"):
        back = refunds[refunds["customer_id"] == customer].sort_values("timestamp")
        mine = mine.copy()
        for _, refund in back.iterrows():
            due = -refund["money"]
            before = [i for i in mine.index[::-1] if mine.at[i, "timestamp"] <= refund["timestamp"]]
            exact = [i for i in before if round(mine.at[i, "money"], 2) == round(due, 2)]
            for i in exact[:1] or before:  # the latest order of that very amount, else the latest orders first
                take = min(due, mine.at[i, "money"])
                mine.at[i, "money"] -= take
                due -= take
        kept.append(mine[(mine["money"].round(2) > 0) | (mine["paid"] == 0)])
    return pd.concat(kept)


def checkout_abandonment(events: pd.DataFrame, *, seen_end, window=pd.Timedelta(days=7),
                         checkouts=CHECKOUTS, purchases=PURCHASES):
    """(abandoned, judged, in_progress) of the funnel checkout -> purchase on `events`."""
    abandoned = judged = in_progress = 0
    starters = events.loc[events["event"].isin(checkouts), "customer_id"].unique()
    for _, mine in events[events["customer_id"].isin(starters)].groupby("customer_id"):
        starts = sorted(mine.loc[mine["event"].isin(checkouts), "timestamp"])
        if not starts:
            continue
        buys = sorted(mine.loc[mine["event"].isin(purchases), "timestamp"])
        counted, bought = starts[0], False
        for start in starts:  # the earliest attempt that reaches the purchase, else the earliest attempt
            if any(start <= b <= start + window for b in buys):
                counted, bought = start, True
                break
        if counted + window < seen_end:
            judged += 1
            abandoned += 0 if bought else 1
        else:
            in_progress += 1
    return abandoned, judged, in_progress


def kpis(events: pd.DataFrame, period=None, *, data_end=None, window=pd.Timedelta(days=7)) -> dict:
    """KPI name -> value on the events of `period` (None: all of them); NaN where the base is empty."""
    e = within(events, period)
    data_end = events["timestamp"].max() if data_end is None else data_end
    customers = e["customer_id"].nunique()
    out = {"customers": customers}
    converted = e.loc[e["stage"] == "conversion", "customer_id"].nunique()
    out["conversion_rate"] = converted / customers if customers else math.nan
    if "session_id" in e:
        pages = e[~e["event"].astype(str).str.contains("impression", case=False)]
        s = pages.dropna(subset=["session_id"]).groupby(["customer_id", "session_id"]).size()
        out["bounce_rate"] = float((s == 1).mean()) if len(s) else math.nan
    seen_end = data_end if period is None else min(utc(period[1]), data_end)
    abandoned, judged, _ = checkout_abandonment(e, seen_end=seen_end, window=window)
    out["checkout_abandonment"] = abandoned / judged if judged else math.nan
    impressions = (e["event"] == "ad_impression").sum()
    out["ctr"] = (e["event"] == "ad_click").sum() / impressions if impressions else math.nan
    if "scroll_depth" in e:
        depth = pd.to_numeric(e["scroll_depth"], errors="coerce").dropna()
        out["scroll_rate"] = float((depth >= 50).mean()) if len(depth) else math.nan
    if "revenue" in e:
        out["revenue"] = float(e["revenue"].fillna(0).sum())
        o = orders(e)
        o = o[o["paid"] > 0]  # an order is a moment of positive revenue: a free order is a purchase, not an order
        out["average_order_value"] = float(o["money"].sum() / len(o)) if len(o) else math.nan
    o = orders(e)
    per = o.groupby("customer_id").size()
    again = per >= 2
    if period is not None:
        upto = orders(events[events["timestamp"] < utc(period[1])])
        earlier = set(upto.loc[upto["timestamp"] < utc(period[0]), "customer_id"])
        again = again | per.index.isin(earlier)
    out["repeat_purchase_rate"] = float(again.mean()) if len(per) else math.nan
    support = support_contacts(e)
    out["support_contacts_per_customer"] = support / customers if customers else math.nan
    out["reviews"] = int(e["event"].isin(REVIEWS).sum())
    out["referrals"] = int(e["event"].isin(REFERRALS).sum())
    return out


# ---------------------------------------------------------------------------------------------- customer features

def features(events: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """One row per customer: recency_days, tenure_days (days from the last / first event to `as_of`, default the last
    event of the data), frequency (events), purchases (orders), monetary (revenue), furthest_stage (highest
    stage_index), converted (an event at the conversion stage), device_switches (pairs of consecutive events, in time
    order, whose devices are both known and differ: DESIGN.md's "pair of consecutive events ... whose device
    differs", so mobile, (no device), desktop is no switch; a first draft of this reference skipped the event without
    a device and counted one), support_contacts."""
    as_of = events["timestamp"].max() if as_of is None else utc(as_of)
    e = events[events["timestamp"] <= as_of]
    rows = []
    o = orders(e)
    for customer, mine in e.sort_values(["timestamp", "row_id"] if "row_id" in e else "timestamp",
                                        kind="stable").groupby("customer_id", sort=True):
        devices = mine["device"].tolist() if "device" in mine else []
        rows.append({
            "customer_id": customer,
            "recency_days": (as_of - mine["timestamp"].max()) / DAY,
            "tenure_days": (as_of - mine["timestamp"].min()) / DAY,
            "frequency": len(mine),
            "purchases": int((o["customer_id"] == customer).sum()),
            "monetary": float(mine["revenue"].fillna(0).sum()) if "revenue" in mine else 0.0,
            "furthest_stage": int(mine["stage_index"].max()),
            "converted": bool((mine["stage"] == "conversion").any()),
            "device_switches": sum(isinstance(a, str) and isinstance(b, str) and a != b
                                   for a, b in zip(devices, devices[1:])),
            "support_contacts": sum(is_support(r) for r in mine.to_dict("records")),
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------------- RFM

GRID = {  # R -> segment for FM = 1..5 (the grid of cjm/customers/rfm.py's doc, the widely used one)
    5: ("New", "Potential loyalists", "Potential loyalists", "Champions", "Champions"),
    4: ("Promising", "Potential loyalists", "Potential loyalists", "Champions", "Champions"),
    3: ("About to sleep", "About to sleep", "Need attention", "Loyal", "Loyal"),
    2: ("Hibernating", "Hibernating", "At risk", "At risk", "At risk"),
    1: ("Lost", "Lost", "At risk", "Cannot lose them", "Cannot lose them"),
}


def _fifths(order: list) -> dict:
    """Customer -> 1..5 from a list of customers worst first: pd.qcut of the positions into five equal bins (the
    doc's "pd.qcut on ranks"; with fewer than 5 the bins spread them from 1 to 5: two buyers score 1 and 5, a first
    draft gave 3 and 5; one alone scores 5)."""
    if not order:
        return {}
    if len(order) == 1:
        return {order[0]: 5}
    scores = pd.qcut(pd.Series(range(len(order))), 5, labels=False) + 1
    return dict(zip(order, scores.astype(int)))


def rfm(frame: pd.DataFrame) -> pd.DataFrame:
    """R, F, M, FM and segment from customer_id, recency_days, frequency (purchases), monetary.

    R: fifths of everyone by recency (fewer days better), ties by frequency then money (more is better), then by
    customer id. F, M: fifths of the buyers (frequency > 0) by frequency (ties by money, recency, id) / by money
    (ties by recency, frequency, id); non-buyers F = M = 1. FM = (F + M) / 2 rounded half up."""
    f = frame.copy()
    # worst first: sort by the primary ascending in "goodness", ties likewise; last, the later id is the worse (the
    # doc says "then by customer id" without a direction: cjm ranks the smaller id higher, and so does this)
    # money compared to the cent: a float sum of 59.85 may be 59.850000000000001 (no difference in money)
    f["_good_r"], f["_good_f"], f["_good_m"] = -f["recency_days"], f["frequency"], f["monetary"].round(6)
    desc = [True, True, True, False]
    r_order = f.sort_values(["_good_r", "_good_f", "_good_m", "customer_id"], ascending=desc)["customer_id"].tolist()
    buyers = f[f["frequency"] > 0]
    f_order = buyers.sort_values(["_good_f", "_good_m", "_good_r", "customer_id"],
                                 ascending=desc)["customer_id"].tolist()
    m_order = buyers.sort_values(["_good_m", "_good_r", "_good_f", "customer_id"],
                                 ascending=desc)["customer_id"].tolist()
    r, fs, ms = _fifths(r_order), _fifths(f_order), _fifths(m_order)
    f["R"] = f["customer_id"].map(r)
    f["F"] = f["customer_id"].map(fs).fillna(1).astype(int)
    f["M"] = f["customer_id"].map(ms).fillna(1).astype(int)
    f["FM"] = np.floor((f["F"] + f["M"]) / 2 + 0.5).astype(int)
    # a customer who never bought is no cell of the grid, which names customers by how they buy (review 36)
    f["segment"] = [GRID[r_][fm - 1] if n > 0 else "Never bought" for r_, fm, n in zip(f["R"], f["FM"], f["frequency"])]
    return f.drop(columns=["_good_r", "_good_f", "_good_m"])


# ----------------------------------------------------------------------------------------------- segment profiles

def profiles(features: pd.DataFrame, labels) -> pd.DataFrame:
    """segment, size, share, value_mean, value_total, conversion (share converted), sentiment (mean over the
    customers with a mean_sentiment)."""
    f = features.assign(_segment=list(labels))
    out = []
    for segment, mine in f.groupby("_segment"):
        row = {"segment": segment, "size": len(mine), "share": len(mine) / len(f)}
        if "monetary" in mine:
            row["value_mean"], row["value_total"] = mine["monetary"].mean(), mine["monetary"].sum()
        if "converted" in mine:
            row["conversion"] = mine["converted"].astype(float).mean()
        if "mean_sentiment" in mine:
            row["sentiment"] = mine["mean_sentiment"].mean()
            row["sentiment_responses"] = int(mine["mean_sentiment"].notna().sum())
        out.append(row)
    return pd.DataFrame(out)
