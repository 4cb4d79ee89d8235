"""Review 43: an independent plain-Python reading of the Follow-up page's call-back list (the closed loop and its
owner departments) and of the Funnel page's A/B test (the funnel per variant against the control).

Written before reading cjm/voice/followup.py's or cjm/journey/experiments.py's code, from DESIGN.md (sections 3
and 4: the variant column, the ordered funnel, the sentiment scales, NPS), DOMAIN.md ("Closed loop: follow up
customers who gave negative feedback, prioritising the valuable ones"), README.md ("A/B tests": an arm none of
whose customers entered is listed with 0 and not compared; customers who saw no variant are counted in the
warning) and the words cjm shows: the Follow-up page's tiles and caption ("Customers whose latest feedback is
negative; later positive feedback takes them off", "Ranked by value, then most recent. The owner is the
department of the feedback, else the customer's last department before it"), the Funnel page's A/B caption
("Customers are counted in the first variant they saw") and the public docstrings of compute_closed_loop,
compute_followup_by_department, compute_variant_funnel, cjm.voice.sentiment (the scales' table). Slow and
obvious: loops over customers are fine here. Nothing here imports cjm.

Closed loop, as read:
- Feedback signals: one per score, one per text of an event (the input `signals`: customer_id, timestamp, row_id,
  source "score" | "text", score (raw), scale, value (-1..+1, NaN for a text nobody could score), event, stage,
  channel, department). Only scored signals count ("latest SCORED feedback"): an unscored text is passed over.
- Latest: by time, a missing time counting as latest; then file row; on one event the score after the text
  (the score decides when the latest event has both).
- Negative: a text whose value is at most -0.05 (the neutral band); a score by its scale's table (DESIGN.md /
  the sentiment module): rating 1-2 (read: below the neutral point 3), NPS 0-6 (detractor), effort 1-3 (below
  4), satisfaction 0-4 (below 5), half stars 0.5-2, polarity at most -0.05. Chosen where the table leaves a
  gap: a half-way rating 2.5 is below 3 so negative; a half-star 2.5 is in the table's neutral 2.5-3.5.
- Value: the sum of the customer's revenue over all their events when the data has revenue (a missing amount
  adds nothing); else their purchases; else their events. Ranked by value, then most recent feedback first (then
  customer id, a choice: any fixed order would do).
  Purchases were first read from compute_closed_loop's docstring (events whose name contains purchase /
  order_completed / order_placed / transaction / checkout_completed, or is "order"). README says a customer's
  purchases are the Overview's, by one rule ("Segments": cjm/journey/buying.py), and DESIGN.md section 3 that
  cancellations are "never purchases": that wins (review 43 changed cjm). As read here, for data without money:
  an event named as a purchase (purchase, purchased, order, order completed / complete / placed, repeat purchase,
  checkout completed / complete, sale, sold, in any case or spacing, and the translations named beside
  cjm.data.purchases.is_purchase_name: Kauf, achat, compra), one order per moment (line items at one time are one
  order; no order-id column in these exports); a cancellation is no purchase, and without money nothing says which
  order it takes back.
- Owner: the feedback event's department; else the department of the customer's latest event (time, then
  row) at or before the feedback's time that has one; else "unassigned". Chosen: "at or before" by time, so an
  event at the same second counts whatever its row; undated feedback takes the customer's last department.
- Days since: (as_of - feedback time) in days, as_of defaulting to the data's last event; within_days keeps
  days_since <= within_days (applied to the latest feedback: an older complaint after which the customer was
  happy is no call-back, whatever the window).
- By department: one row per owner: customers, the sum of their values, the median of their days since.

Comments, quotes and pain points (the Sentiment page), as read from cjm.voice.painpoints' public docstrings:
- A comment is an event with a text; its sentiment is decided by the score given with it when there is one (the
  customer's own rating: negative by the scales' table above), else by the text's own value (at most -0.05
  negative, at least +0.05 positive, between neutral; a text nobody could score has none).
- The quote table: one row per comment; a sentiment filter keeps the comments of that label; a query keeps those
  whose text holds it, case-insensitively, as plain text (no pattern). Negative quotes most negative first,
  positive most positive first, otherwise newest first.
- Pain points: themes of the negative comments; a comment is counted in one theme at most; share = the theme's
  comments / all negative comments; stage_counts add up to the theme's count; quotes are negative comments.

A/B test, as read:
- A customer's arm: the first non-empty variant value in their events in time order (then file row).
  Customers whose events carry two or more different values are counted in that first arm; customers with
  none are left out. Both numbers appear in a warning.
- Per arm, the ordered funnel of DESIGN.md section 4 over all the arm's customers' events (event-name steps,
  window from entry, edge included; a step named like an earlier one must be a later event strictly after):
  entered = customers at step 1, customers = at step i, conversion_from_first = customers / entered.
- 95% Wilson interval of the conversion; difference (arm - control) in points with Newcombe's hybrid score
  interval (method 10); two-sided p-value of the pooled two-proportion z-test (undefined when both arms convert
  all or none: no test); significant when p < alpha.
- "Too few customers to tell" when an arm has fewer than 100 customers at entry or an expected count (pooled
  conversion x entered, and of non-conversions) is below 5. An arm with 0 entered is listed, not compared.
"""

from __future__ import annotations

import math

import pandas as pd

# --- closed loop --------------------------------------------------------------------------------------------

PURCHASE_NAMES = {"purchase", "purchased", "order", "order completed", "order complete", "order placed",
                  "repeat purchase", "checkout completed", "checkout complete", "sale", "sold", "kauf", "achat", "compra"}


def is_purchase_name(name: str) -> bool:
    return " ".join(str(name).lower().replace("_", " ").replace("-", " ").split()) in PURCHASE_NAMES
UNASSIGNED = "unassigned"


def score_is_negative(score: float, scale: str, band: float = 0.05) -> bool:
    if scale == "rating5":
        return score < 3
    if scale == "nps10":
        return score <= 6
    if scale == "ces7":
        return score < 4
    if scale == "sat10":
        return score < 5
    if scale == "halfstar5":
        return score <= 2
    if scale == "polarity":
        return score <= -band
    raise ValueError(f"unknown scale {scale!r}")


def signal_is_negative(signal: dict, band: float = 0.05) -> bool:
    if signal["source"] == "text":
        return signal["value"] <= -band
    return score_is_negative(float(signal["score"]), signal["scale"], band)


def score_signals(events: pd.DataFrame, scale: str) -> pd.DataFrame:
    """Signals of a score-only log (hand exports): one per event with a score, on `scale`. value by DESIGN.md:
    rating (r-3)/2, NPS and satisfaction (s-5)/5, effort (s-4)/3, polarity as it is."""
    to_value = {"rating5": lambda s: (s - 3) / 2, "nps10": lambda s: (s - 5) / 5, "sat10": lambda s: (s - 5) / 5,
                "ces7": lambda s: (s - 4) / 3, "polarity": lambda s: s}[scale]
    rows = []
    for position, event in enumerate(events.to_dict("records")):
        score = event.get("score")
        if score is None or pd.isna(score):
            continue
        rows.append({"customer_id": event["customer_id"], "timestamp": event["timestamp"],
                     "row_id": event.get("row_id", position), "source": "score", "score": float(score),
                     "scale": scale, "value": to_value(float(score)), "event": event["event"],
                     "stage": event.get("stage"), "channel": event.get("channel"),
                     "department": event.get("department")})
    return pd.DataFrame(rows)


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value is not pd.NA \
        and not (isinstance(value, str) and not value.strip()) and not pd.isna(value)


def _when_key(signal: dict):
    time = signal["timestamp"]
    undated = time is None or pd.isna(time)
    return (1 if undated else 0, pd.Timestamp.min.tz_localize("UTC") if undated else pd.Timestamp(time),
            signal["row_id"], 1 if signal["source"] == "score" else 0)


def latest_signals(signals: pd.DataFrame) -> dict:
    """{customer: their latest scored signal (a dict)}."""
    latest = {}
    for signal in signals.to_dict("records"):
        if signal["source"] == "text" and (signal["value"] is None or pd.isna(signal["value"])):
            continue  # a text nobody could score is no scored feedback
        if signal["source"] == "score" and (signal["score"] is None or pd.isna(signal["score"])):
            continue
        customer = signal["customer_id"]
        if customer not in latest or _when_key(signal) > _when_key(latest[customer]):
            latest[customer] = signal
    return latest


def customer_values(events: pd.DataFrame) -> tuple[dict, str]:
    """({customer: value}, basis) by the rule above."""
    if "revenue" in events.columns and events["revenue"].notna().any():
        money = events["revenue"].fillna(0.0)
        return {c: float(v) for c, v in money.groupby(events["customer_id"]).sum().items()}, "revenue"
    bought = events[events["event"].map(is_purchase_name)]
    if len(bought):
        orders = bought.drop_duplicates(["customer_id", "timestamp"])  # one order per moment
        return {c: int(v) for c, v in orders.groupby("customer_id").size().items()}, "purchases"
    return {c: int(v) for c, v in events.groupby("customer_id").size().items()}, "events"


def owner(events: pd.DataFrame, signal: dict) -> str:
    if "department" in signal and _filled(signal.get("department")):
        return str(signal["department"])
    if "department" not in events.columns:
        return UNASSIGNED
    mine = events[events["customer_id"] == signal["customer_id"]]  # `events` may be the customer's alone
    mine = mine[mine["department"].map(_filled)]
    time = signal["timestamp"]
    if time is not None and not pd.isna(time):
        mine = mine[mine["timestamp"].notna() & (mine["timestamp"] <= time)]
    if mine.empty:
        return UNASSIGNED
    order = mine.assign(_undated=mine["timestamp"].isna()).sort_values(["_undated", "timestamp", "row_id"])
    return str(order["department"].iloc[-1])


def closed_loop(events: pd.DataFrame, signals: pd.DataFrame, *, as_of=None, within_days=None,
                band: float = 0.05) -> pd.DataFrame:
    """The call-back list: customer_id, value, value_basis, sentiment, source, at, event, stage, channel,
    department, days_since; ranked by value, then most recent, then customer id."""
    if "row_id" not in events.columns:
        events = events.assign(row_id=range(len(events)))
    values, basis = customer_values(events)
    end = pd.Timestamp(as_of) if as_of is not None else events["timestamp"].max()
    rows, theirs = [], dict(tuple(events.groupby("customer_id", sort=False)))
    for customer, signal in latest_signals(signals).items():
        if not signal_is_negative(signal, band):
            continue
        at = signal["timestamp"]
        days = (end - at) / pd.Timedelta(days=1) if at is not None and not pd.isna(at) else float("nan")
        if within_days is not None and not days <= within_days:
            continue
        rows.append({"customer_id": customer, "value": values.get(customer, 0), "value_basis": basis,
                     "sentiment": signal["value"], "source": signal["source"], "at": at,
                     "event": signal["event"], "stage": signal.get("stage"), "channel": signal.get("channel"),
                     "department": owner(theirs.get(customer, events.iloc[:0]), signal), "days_since": days})
    frame = pd.DataFrame(rows, columns=["customer_id", "value", "value_basis", "sentiment", "source", "at", "event",
                                        "stage", "channel", "department", "days_since"])
    if frame.empty:
        return frame
    frame["_at"] = pd.to_datetime(frame["at"], utc=True)
    frame = frame.sort_values(["value", "_at", "customer_id"], ascending=[False, False, True], na_position="last")
    return frame.drop(columns="_at").reset_index(drop=True)


def by_department(loop: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for department in sorted(set(loop["department"])):
        mine = loop[loop["department"] == department]
        rows.append({"department": department, "customers": len(mine), "value": float(mine["value"].sum()),
                     "median_days_since": float(mine["days_since"].median())})
    return pd.DataFrame(rows)


# --- comments and quotes ---------------------------------------------------------------------------------------

# The scales' table: positive from rating 4 (a 3.5 read as its value +0.25 would be; chosen: the table's 4-5),
# promoter 9, effort 5, satisfaction 6, half stars 4 (2.5-3.5 neutral), polarity +0.05.
POSITIVE_FROM = {"rating5": 4, "nps10": 9, "ces7": 5, "sat10": 6, "halfstar5": 4, "polarity": 0.05}


def comments(signals: pd.DataFrame, band: float = 0.05) -> pd.DataFrame:
    """One row per event with a comment: row_id, customer_id, timestamp, text, stage, channel, value, negative,
    label (None when the text could not be scored and no score came with it)."""
    by_event = {}
    for signal in signals.to_dict("records"):
        by_event.setdefault(signal["row_id"], []).append(signal)
    rows = []
    for row_id, mine in by_event.items():
        texts = [s["text"] for s in mine if _filled(s.get("text"))]
        if not texts:
            continue
        scored = [s for s in mine if s["source"] == "score" and _filled(s["score"])]
        deciding = scored[0] if scored else next(s for s in mine if s["source"] == "text")
        if deciding["source"] == "score":
            negative = score_is_negative(float(deciding["score"]), deciding["scale"], band)
            positive = float(deciding["score"]) >= POSITIVE_FROM.get(deciding["scale"], band)
            label = "negative" if negative else "positive" if positive else "neutral"
        else:
            value = deciding["value"]
            label = None if pd.isna(value) else "negative" if value <= -band else "positive" if value >= band \
                else "neutral"
        rows.append({"row_id": row_id, "customer_id": deciding["customer_id"], "timestamp": deciding["timestamp"],
                     "text": texts[0], "stage": deciding.get("stage"), "channel": deciding.get("channel"),
                     "value": deciding["value"], "label": label, "negative": label == "negative"})
    return pd.DataFrame(rows)


def quotes(signals: pd.DataFrame, *, query=None, sentiment=None, read: pd.DataFrame | None = None) -> pd.DataFrame:
    """The quote table's comments; `read`: comments(signals) already at hand."""
    frame = comments(signals) if read is None else read
    if sentiment is not None:
        frame = frame[frame["label"] == sentiment]
    if query is not None:
        frame = frame[frame["text"].map(lambda t: query.lower() in str(t).lower())]
    return frame.reset_index(drop=True)


# --- A/B test --------------------------------------------------------------------------------------------------

Z95 = 1.959963984540054


def arms(events: pd.DataFrame) -> tuple[dict, int, int]:
    """({customer: first variant}, customers seen in two or more variants, customers seen in none)."""
    if "row_id" not in events.columns:
        events = events.assign(row_id=range(len(events)))
    first, several, none = {}, 0, 0
    for customer, mine in events.groupby("customer_id", sort=False):
        mine = mine.assign(_undated=mine["timestamp"].isna()).sort_values(["_undated", "timestamp", "row_id"])
        seen = [str(v).strip() for v in mine["variant"] if _filled(v)]
        if not seen:
            none += 1
            continue
        first[customer] = seen[0]
        several += len(set(seen)) > 1
    return first, several, none


def depth(events: pd.DataFrame, steps: list[str], window: pd.Timedelta) -> int:
    """How many steps the customer's best ordered attempt reached (0: never at step 1). `events`: one customer's."""
    mine = events[events["timestamp"].notna()].sort_values(["timestamp", "row_id"])
    rows = list(zip(mine["timestamp"], mine["event"].astype(str)))
    best = 0
    for start, (t0, name) in enumerate(rows):
        if name != steps[0]:
            continue
        reached, at, used = 1, t0, {start}
        for i in range(1, len(steps)):
            strict = steps[i] in steps[:i]
            found = None
            for j, (t, n) in enumerate(rows):
                if j in used or n != steps[i] or t > t0 + window:
                    continue
                if t < at or (strict and t == at):
                    continue
                found = j
                break
            if found is None:
                break
            used.add(found)
            at = rows[found][0]
            reached += 1
        best = max(best, reached)
    return best


def wilson(x: int, n: int, z: float = Z95) -> tuple[float, float]:
    if n == 0:
        return float("nan"), float("nan")
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def newcombe(x1: int, n1: int, x2: int, n2: int, z: float = Z95) -> tuple[float, float]:
    """Interval of p2 - p1 (arm 2 minus arm 1), Newcombe's method 10, as fractions."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    d = p2 - p1
    return d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)


def z_test(x1: int, n1: int, x2: int, n2: int) -> float:
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        # Both arms all converted, or none did: z is 0 / 0 and the test says nothing (first written 1.0, a choice the
        # docs do not make; cjm leaves it undefined and its verdict reads "No significant difference", review 43).
        return float("nan")
    z = (x2 / n2 - x1 / n1) / se
    return math.erfc(abs(z) / math.sqrt(2))


def too_few(x1: int, n1: int, x2: int, n2: int, minimum: int = 100) -> bool:
    if n1 < minimum or n2 < minimum:
        return True
    pooled = (x1 + x2) / (n1 + n2)
    return min(n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled)) < 5


def variant_funnel(events: pd.DataFrame, steps: list[str], control: str, *, window="7D",
                   alpha: float = 0.05) -> pd.DataFrame:
    """Per arm and step: entered, customers, conversion_from_first (+ Wilson), and against the control (other
    arms, steps 2..n): difference_points (+ Newcombe), p_value, significant, too_few."""
    if "row_id" not in events.columns:
        events = events.assign(row_id=range(len(events)))
    window = pd.Timedelta(window)
    assigned, _, _ = arms(events)
    depths = {c: depth(mine, steps, window) for c, mine in events.groupby("customer_id") if c in assigned}
    counts = {}
    for arm in sorted(set(assigned.values())):
        members = [c for c, a in assigned.items() if a == arm]
        counts[arm] = [sum(depths[c] >= i for c in members) for i in range(1, len(steps) + 1)]
    rows = []
    for arm, reached in counts.items():
        entered = reached[0]
        for i, step in enumerate(steps):
            low, high = wilson(reached[i], entered)
            row = {"variant": arm, "is_control": arm == control, "step": step, "step_number": i + 1,
                   "entered": entered, "customers": reached[i],
                   "conversion_from_first": reached[i] / entered if entered else float("nan"),
                   "conversion_low": low, "conversion_high": high, "difference_points": float("nan"),
                   "difference_low_points": float("nan"), "difference_high_points": float("nan"),
                   "p_value": float("nan"), "significant": False, "too_few": None}
            base = counts.get(control)
            if arm != control and base and base[0] and entered and i >= 1:
                x1, n1, x2, n2 = base[i], base[0], reached[i], entered
                d_low, d_high = newcombe(x1, n1, x2, n2)
                p = z_test(x1, n1, x2, n2)
                row.update(difference_points=100 * (x2 / n2 - x1 / n1), difference_low_points=100 * d_low,
                           difference_high_points=100 * d_high, p_value=p, significant=bool(p < alpha),
                           too_few=too_few(x1, n1, x2, n2))
            rows.append(row)
    return pd.DataFrame(rows)
