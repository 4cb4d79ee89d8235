"""Review 39: a plain-pandas reference of two rules of 7 Dec 2026, written from the rules and DESIGN.md section 4
before reading their implementation.

(a) The satisfaction scale 'sat10': a score column named for satisfaction whose answers go above 5 and stay within
    0..10 is read as (s - 5) / 5 (0-4 negative, 5 neutral, 6-10 positive) and gives no NPS (and no CSAT); within 1..5
    it stays a CSAT rating ((r - 3) / 2, CSAT = share of 4-5). A recommend question 0..10 is NPS ((s - 5) / 5,
    NPS = % 9-10 - % 0-6).
(b) The end of the data under filters: a date filter shows the data as of its range (its end is the midnight after
    its end date when the loaded data goes on after it, else the loaded data's last event within the range); a
    channel, device or segment view ends where the loaded data (through the date filter) ends. The Overview's
    last-30-days period ends at the midnight after that end's date; the previous period is the 30 days before it.
"""

from __future__ import annotations

import re

import pandas as pd

SATISFACTION = re.compile(r"satisf|zufrieden|csat", re.IGNORECASE)
RECOMMEND = re.compile(r"recommend|\bnps\b|empfehl", re.IGNORECASE)


def scale_of(name: str, answers: pd.Series) -> str:
    """'nps10', 'sat10' or 'rating5' for a score column, by its name and the range of its answers."""
    values = pd.to_numeric(answers, errors="coerce").dropna()
    low, high = values.min(), values.max()
    if RECOMMEND.search(name):
        return "nps10"
    if low >= 1 and high <= 5:
        return "rating5"
    if SATISFACTION.search(name) and low >= 0 and high <= 10:
        return "sat10"
    return "nps10"


def sentiment(answers: pd.Series, scale: str) -> pd.Series:
    """Each answer on -1..+1."""
    values = pd.to_numeric(answers, errors="coerce").dropna()
    return (values - 3) / 2 if scale == "rating5" else (values - 5) / 5


def labels(scores: pd.Series) -> pd.Series:
    return pd.Series(["negative" if s < 0 else "neutral" if s == 0 else "positive" for s in scores], index=scores.index)


def overall(answers: pd.Series, scale: str) -> dict:
    """The report's overall sentiment figures: mean, n, NPS (nps10 only), CSAT (rating5 only)."""
    values = pd.to_numeric(answers, errors="coerce").dropna()
    scores = sentiment(values, scale)
    nps = (100 * ((values >= 9).mean() - (values <= 6).mean())) if scale == "nps10" else None
    csat = (values >= 4).mean() if scale == "rating5" else None
    return {"scale": scale, "n": len(values), "mean": scores.mean(), "nps": nps, "csat": csat}


def data_end(events: pd.DataFrame, *, start: str | None = None, end: str | None = None) -> pd.Timestamp:
    """The end of the data of a view of `events` (columns customer_id, timestamp (UTC), ...) under a date filter
    [start, end] (dates, inclusive), whatever channel, device or segment filter is also set: the loaded data's."""
    times = events["timestamp"]
    if start is not None:
        times = times[times >= pd.Timestamp(start, tz="UTC")]
    if end is not None:
        cut = pd.Timestamp(end, tz="UTC") + pd.Timedelta(days=1)
        if (times >= cut).any():
            return cut
        times = times[times < cut]
    return times.max()


def last_30_days(events: pd.DataFrame, view: pd.DataFrame, *, start=None, end=None) -> tuple:
    """((start, end) of the period, (start, end) of the previous one, customers of `view` in each): the 30 days
    before the midnight after the data's end (the range's cut itself when it ends the data) and the 30 before them;
    the two halves of [the first event's midnight, that end) when the data (through the start date) is shorter than
    60 days (cjm.journey.kpis.default_periods, the rule of before review 39; data within one day is not modelled)."""
    stop = data_end(events, start=start, end=end)
    cut = None if end is None else pd.Timestamp(end, tz="UTC") + pd.Timedelta(days=1)
    stop = stop if stop == cut else stop.floor("D") + pd.Timedelta(days=1)
    times = events["timestamp"] if start is None else events["timestamp"][events["timestamp"] >= pd.Timestamp(start, tz="UTC")]
    first = times.min().floor("D")
    length = pd.Timedelta(days=30)
    if stop - 2 * length < first:
        length = (stop - first) / 2
    period = (stop - length, stop)
    previous = (stop - 2 * length, stop - length)

    def customers(span):
        inside = view[(view["timestamp"] >= span[0]) & (view["timestamp"] < span[1])]
        return inside["customer_id"].nunique()

    return period, previous, customers(period), customers(previous)
