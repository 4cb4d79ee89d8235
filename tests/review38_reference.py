"""Review 38: a plain-pandas reference for abandonment and the conversion-rate KPI.

Written from ../shared/DESIGN.md section 4 (and README's Overview / Segments paragraphs) alone, before reading
cjm's abandonment code, to compare cjm against on hand-made exports, the demo and real exports.

What the documents say, as implemented here:

- Ordered funnel, steps s1..sn (event names). Every s1 event starts an attempt. Within an attempt, step i is
  reached by the earliest si event at or after the step i-1 event and no later than ``window`` after the
  attempt's s1; when two adjacent steps are the same event the later one must be strictly after. A customer is
  counted once, at the furthest step of their best attempt (deepest; among equally deep attempts the earliest).
- Abandonment at step i (i >= 2): the counted attempt reached step i-1 but not step i, and its window closed
  before the end of the data (window end = attempt's s1 + window; "closed before the end" = window end < data
  end). Window still open at the end of the data: "in progress", never abandoned. The rate of step i is the
  abandoned over the customers whose counted attempt reached step i-1 and whose window has closed.
- Checkout abandonment rate = customers whose counted attempt started checkout, did not purchase, window closed
  / customers whose counted attempt started checkout, window closed. The in-progress count is shown beside it.
- Conversion rate (Overview KPI; DESIGN only names it, README: "converted is an event at the conversion stage,
  or ... a purchase"): customers with a converting event / customers, over the customers active in the period.

This is a test reference: clarity first, a per-customer loop over attempts is acceptable here (it is not cjm).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Counted:
    """One customer's counted (best) attempt."""

    customer_id: str
    depth: int  # steps reached on the counted attempt (1..n)
    start: pd.Timestamp  # the attempt's s1 time
    window_end: pd.Timestamp
    step_times: tuple  # time of each reached step


def attempts_of(times_by_step: list[list[pd.Timestamp]], steps: list[str], window: pd.Timedelta):
    """Every attempt of one customer: (depth, start, step_times), one per distinct s1 time."""
    out = []
    for t0 in sorted(set(times_by_step[0])):
        reached = [t0]
        prev = t0
        for i in range(1, len(steps)):
            strict = steps[i] == steps[i - 1]
            cands = [t for t in times_by_step[i] if (t > prev if strict else t >= prev) and t <= t0 + window]
            if not cands:
                break
            prev = min(cands)
            reached.append(prev)
        out.append((len(reached), t0, tuple(reached)))
    return out


def counted_attempts(events: pd.DataFrame, steps: list[str], window: pd.Timedelta) -> pd.DataFrame:
    """One row per customer who entered (has an s1 event): depth, start, window_end, step times."""
    ev = events[events["event"].isin(steps)]
    rows = []
    for cid, g in ev.groupby("customer_id", sort=True):
        times_by_step = [list(g.loc[g["event"] == s, "timestamp"]) for s in steps]
        if not times_by_step[0]:
            continue
        atts = attempts_of(times_by_step, steps, window)
        # deepest; among equally deep, earliest
        depth, start, reached = sorted(atts, key=lambda a: (-a[0], a[1]))[0]
        rows.append(
            {"customer_id": cid, "depth": depth, "start": start, "window_end": start + window, "step_times": reached}
        )
    return pd.DataFrame(rows, columns=["customer_id", "depth", "start", "window_end", "step_times"])


def funnel_counts(events: pd.DataFrame, steps: list[str], window: pd.Timedelta) -> list[int]:
    c = counted_attempts(events, steps, window)
    return [int((c["depth"] >= i + 1).sum()) for i in range(len(steps))]


def abandonment_by_step(
    events: pd.DataFrame, steps: list[str], window: pd.Timedelta, data_end: pd.Timestamp | None = None
) -> pd.DataFrame:
    """Per step i >= 2: reached_previous, abandoned, in_progress, closed_base, rate (None when base is 0)."""
    c = counted_attempts(events, steps, window)
    end = events["timestamp"].max() if data_end is None else data_end
    closed = c["window_end"] < end
    rows = []
    for i in range(1, len(steps)):
        prev_reached = c["depth"] >= i
        dropped = c["depth"] == i
        abandoned = int((dropped & closed).sum())
        in_progress = int((dropped & ~closed).sum())
        base = int((prev_reached & closed).sum())
        rows.append(
            {
                "step": steps[i],
                "reached_previous": int(prev_reached.sum()),
                "reached": int((c["depth"] >= i + 1).sum()),
                "abandoned": abandoned,
                "in_progress": in_progress,
                "closed_base": base,
                "rate": (abandoned / base) if base else None,
            }
        )
    return pd.DataFrame(rows)


def checkout_abandonment(
    events: pd.DataFrame,
    steps: list[str],
    window: pd.Timedelta,
    *,
    checkout: str,
    purchase: str,
    data_end: pd.Timestamp | None = None,
) -> dict:
    """Checkout abandonment on the counted attempts of the funnel ``steps``."""
    c = counted_attempts(events, steps, window)
    end = events["timestamp"].max() if data_end is None else data_end
    ci, pi = steps.index(checkout) + 1, steps.index(purchase) + 1
    closed = c["window_end"] < end
    started = c["depth"] >= ci
    bought = c["depth"] >= pi
    abandoned = int((started & ~bought & closed).sum())
    base = int((started & closed).sum())
    return {
        "abandoned": abandoned,
        "base": base,
        "in_progress": int((started & ~bought & ~closed).sum()),
        "rate": (abandoned / base) if base else None,
    }


def checkout_abandonment_two_step(
    events: pd.DataFrame,
    window: pd.Timedelta,
    *,
    checkout: set[str],
    purchase: set[str],
    data_end: pd.Timestamp | None = None,
) -> dict:
    """Checkout abandonment read as its own two-step funnel checkout -> purchase (the window measured from the
    checkout): every checkout starts an attempt; it is bought when a purchase event is at or after it within the
    window. The counted attempt: the earliest bought one, else the earliest (all are equally deep). This is the other
    reading of DESIGN's "counted attempt started checkout" (see the module doc of the test file)."""
    end = events["timestamp"].max() if data_end is None else data_end
    rows = []
    for cid, g in events[events["event"].isin(checkout | purchase)].groupby("customer_id", sort=True):
        starts = sorted(g.loc[g["event"].isin(checkout), "timestamp"])
        if not starts:
            continue
        buys = list(g.loc[g["event"].isin(purchase), "timestamp"])
        bought = [t for t in starts if any(t <= b <= t + window for b in buys)]
        counted = bought[0] if bought else starts[0]
        rows.append({"bought": bool(bought), "closed": counted + window < end})
    c = pd.DataFrame(rows, columns=["bought", "closed"]).astype(bool)
    abandoned = int((~c["bought"] & c["closed"]).sum())
    base = int(c["closed"].sum())
    return {
        "started": len(c),
        "abandoned": abandoned,
        "in_progress": int((~c["bought"] & ~c["closed"]).sum()),
        "purchased": int(c["bought"].sum()),
        "closed": base,
        "rate": (abandoned / base) if base else None,
    }


def conversion_rate(events: pd.DataFrame, converting: set[str]) -> dict:
    """Customers with a converting event / customers with any event, on the events given (one period)."""
    customers = events["customer_id"].nunique()
    converted = events.loc[events["event"].isin(converting), "customer_id"].nunique()
    rate = converted / customers if customers else None
    return {"customers": int(customers), "converted": int(converted), "rate": rate}


def read_export(text: str) -> pd.DataFrame:
    """A hand-made export (customer_id,timestamp,event[,...]) as the reference's canonical frame."""
    import io

    df = pd.read_csv(io.StringIO(text), dtype=str)
    df = df.rename(columns={"user_id": "customer_id", "event_time": "timestamp", "event_type": "event"})
    df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True)
    return df
