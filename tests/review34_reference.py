"""A plain, independent reading of DESIGN.md section 4 (ordered funnel with a window, abandonment).

Written for review 34 from the design text alone, without looking at cjm's funnel or abandonment code,
so that the two can be compared. It favours being obviously right over being fast: it walks each
customer's attempts one by one (test helper only; cjm itself must not loop over customers).

Input: a frame with customer_id, timestamp (tz-aware UTC, or naive UTC) and event, one row per event
that counts (rows a load rejects must already be gone).

DESIGN.md, as read here:
- Every s1 event starts an attempt at t0. Step i is reached by the earliest s_i event at or after the
  step i-1 event (strictly after when s_i is the same event as s_{i-1}) and no later than t0 + window
  (the edge itself is inside the window). A name that comes back later in the funnel (view -> cart ->
  view) must also be strictly after its earlier step: DESIGN.md says so for adjacent steps only, but read
  literally, a view and a cart at the same second would let the step-1 view be step 3 as well, one
  event filling two steps (the first version of this file did that; review 34 judged it a misreading).
- A customer counts once, at the furthest step of their best attempt (deepest; among equally deep, the
  earliest); times between steps are measured on that attempt.
- Per step: customers reached, conversion from the previous step and from step 1, median and mean time
  from the previous step, customers dropped at that step (reached step i-1, not step i).
- Abandonment: abandons at step i if the counted attempt reached step i-1 but not step i and the
  attempt's window closed before the end of the data (t0 + window < the last event of the data);
  otherwise, if the window is still open, the customer is "in progress".
- Checkout abandonment rate: on the counted attempts of the funnel checkout -> purchase, among those
  whose window closed, the share that did not reach the purchase.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass
class Attempt:
    customer_id: str
    start: pd.Timestamp
    times: list  # the time each reached step was reached; len(times) = depth


def _walk(times_of: dict, steps: list[str], start: pd.Timestamp, window: pd.Timedelta) -> list:
    """The step times of the attempt that starts with the s1 event at `start`."""
    end = start + window
    reached = [start]
    for i in range(1, len(steps)):
        previous = reached[-1]
        # the same name earlier in the funnel: its event must be strictly later (adjacent or not)
        same_name = [reached[p] for p in range(i) if steps[p] == steps[i]]
        candidates = [
            t for t in times_of.get(steps[i], [])
            if t >= previous and all(t > u for u in same_name) and t <= end
        ]
        if not candidates:
            break
        reached.append(min(candidates))
    return reached


def counted_attempts(events: pd.DataFrame, steps: list[str], window: pd.Timedelta) -> dict[str, Attempt]:
    """customer_id -> the attempt the customer is counted on (customers with no s1 event are absent)."""
    out: dict[str, Attempt] = {}
    for customer, rows in events.groupby("customer_id", sort=True):
        times_of: dict[str, list] = {}
        for event, t in zip(rows["event"], rows["timestamp"]):
            times_of.setdefault(event, []).append(t)
        best = None
        for start in sorted(times_of.get(steps[0], [])):
            reached = _walk(times_of, steps, start, window)
            if best is None or len(reached) > len(best.times):
                best = Attempt(str(customer), start, reached)
        if best is not None:
            out[str(customer)] = best
    return out


def reference_funnel(events: pd.DataFrame, steps: list[str], window: pd.Timedelta) -> pd.DataFrame:
    """One row per step: step, reached, dropped, conversion_from_previous, conversion_from_first,
    median_seconds_from_previous, mean_seconds_from_previous."""
    attempts = counted_attempts(events, steps, window)
    rows = []
    for i, step in enumerate(steps):
        on = [a for a in attempts.values() if len(a.times) > i]
        reached = len(on)
        before = len([a for a in attempts.values() if len(a.times) > i - 1]) if i else reached
        first = len(attempts)
        gaps = pd.Series([(a.times[i] - a.times[i - 1]).total_seconds() for a in on], dtype=float) if i else pd.Series([], dtype=float)
        rows.append({
            "step": step,
            "reached": reached,
            "dropped": before - reached,
            "conversion_from_previous": reached / before if before else float("nan"),
            "conversion_from_first": reached / first if first else float("nan"),
            "median_seconds_from_previous": gaps.median() if len(gaps) else float("nan"),
            "mean_seconds_from_previous": gaps.mean() if len(gaps) else float("nan"),
        })
    return pd.DataFrame(rows)


def data_end(events: pd.DataFrame) -> pd.Timestamp:
    """The end of the data: the last event of the dataset (any event, not only funnel steps)."""
    return events["timestamp"].max()


def reference_abandonment(events: pd.DataFrame, steps: list[str], window: pd.Timedelta,
                          end: pd.Timestamp | None = None) -> dict:
    """abandoned[step] for steps 2..n, in_progress (counted attempt not complete, window still open),
    in_progress_all (any counted attempt whose window is still open), closed (windows closed)."""
    attempts = counted_attempts(events, steps, window)
    end = data_end(events) if end is None else end
    abandoned = {s: 0 for s in steps[1:]}
    in_progress = in_progress_all = closed = 0
    for a in attempts.values():
        is_closed = a.start + window < end
        closed += is_closed
        in_progress_all += not is_closed
        depth = len(a.times)
        if depth < len(steps):
            if is_closed:
                abandoned[steps[depth]] += 1
            else:
                in_progress += 1
    return {"abandoned": abandoned, "in_progress": in_progress, "in_progress_all": in_progress_all,
            "closed": closed}


def reference_checkout_abandonment(events: pd.DataFrame, window: pd.Timedelta, *, checkout: str, purchase: str,
                                   end: pd.Timestamp | None = None) -> dict:
    """Checkout abandonment read literally: the counted attempt of the funnel checkout -> purchase.
    rate = (started, no purchase, window closed) / (started, window closed); in_progress = started, no
    purchase (yet), window still open; purchased = the counted attempt reached the purchase."""
    attempts = counted_attempts(events, [checkout, purchase], window)
    end = data_end(events) if end is None else end
    started = len(attempts)
    closed = abandoned = in_progress = purchased = 0
    for a in attempts.values():
        is_closed = a.start + window < end
        bought = len(a.times) == 2
        purchased += bought
        closed += is_closed
        abandoned += is_closed and not bought
        in_progress += not is_closed and not bought
    return {"started": started, "abandoned": abandoned, "in_progress": in_progress, "purchased": purchased,
            "closed": closed, "rate": abandoned / closed if closed else None}


# --- reading the exports the way DESIGN.md section 3 says, independently of cjm's loader ---------------

MISSING = {"", "na", "n/a", "#n/a", "null", "none", "nan", "-", "?"}


def reference_events(files, *, columns=("user_id", "event_time", "event_type")) -> pd.DataFrame:
    """The rows that count from CSV exports: timestamps to UTC (offsets honoured, naive or " UTC" read as
    UTC, fractional seconds kept), rows without a customer id or a readable timestamp left out.
    `files`: paths, or (path, (id column, time column, event column)) for a file with other headers."""
    frames = []
    for item in files:
        path, (id_column, time_column, event_column) = item if isinstance(item, tuple) else (item, columns)
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        ids = raw[id_column].str.strip()
        text = raw[time_column].str.strip().str.replace(r"\s*UTC$", "+00:00", regex=True)
        when = pd.to_datetime(text.where(text != ""), utc=True, format="ISO8601", errors="coerce")
        keep = ~ids.str.lower().isin(MISSING) & when.notna()
        frames.append(pd.DataFrame({"customer_id": ids[keep], "timestamp": when[keep],
                                    "event": raw[event_column][keep].str.strip()}))
    return pd.concat(frames, ignore_index=True)
