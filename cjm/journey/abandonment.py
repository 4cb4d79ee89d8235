"""Abandonment: who stopped where, and who is still in progress (DESIGN.md section 4).

Rules (all relative to the end of the data = the latest timestamp in the whole events table; under a segment,
channel or device filter, of the loaded data the view was taken from; under a date filter, the range's end (the
midnight after its end date) when the data goes on after it, as the Overview's period is judged:
cjm.data.views.data_end):
- A customer abandons at funnel step i when their best attempt reached step i-1 but not step i and
  their window has closed before the end of the data.
- A customer is "in progress" (never abandoned) only while the attempt they are counted on (their
  best attempt: the deepest, the earliest among equally deep ones, as in the funnel) is still open:
  its entry plus the window is at or after the end of the data. A window that ends exactly at the
  last timestamp is still open. A newer, shallower (or equally deep, hence later) attempt does not
  make an old drop-off "in progress" (DESIGN.md section 4), and an attempt an exclusion discarded is
  never the counted one.
- abandonment_rate at step i = abandoned / closed, where closed counts the customers who reached step i-1 and
  whose counted window has closed (those who went on to step i among them): the checkout rate's rule (below,
  DESIGN.md section 4) at every step. A customer whose window is still open is in neither count, whether they
  already reached step i or not: keeping the quick ones and leaving out the slow ones would pull the rate low.
- Time to abandon: from the last step reached to the customer's last event before the window closed
  (0 when the step itself was their last event in the window).
- Checkout abandonment (customer level) is the two-step funnel checkout -> purchase: every checkout
  starts an attempt; a customer who purchased within the window after any checkout is "purchased"
  (that attempt is the deepest); otherwise the counted attempt is their FIRST checkout, and they are
  "in progress" when that checkout's window is still open at the end of the data, else "abandoned".
  rate = abandoned / closed, where closed counts the customers whose counted attempt's window has closed (a
  buyer's counted attempt: the earliest checkout followed by a purchase in its window). A buyer whose window is
  still open is in neither count, as DESIGN.md section 4 says. An export without a
  checkout event is judged from its cart events instead (cart abandonment; the result's "start" says which).
  A purchase completes the checkout: an event named as one, and, unless the purchase events are chosen, an order
  placed and since cancelled, voided, returned or refunded (a row its status settled: 'cancellation' or 'return' of
  money 0, cjm.data.reversals.SETTLED_NAMES): the customer completed their checkout; the money rules count that
  order none. A reversal line ('cancellation' of negative money: a C-invoice) places no order.

Every compute_* takes the Dataset (or a view of it) first; checkout_abandonment_on is the checkout
abandonment of an events table (the KPIs compute it on the events of one period).
"""

from __future__ import annotations

import re
from dataclasses import replace

import ibis
import numpy as np
import pandas as pd

from cjm import engine
from cjm.data import currencies, reversals
from cjm.data.columns import normalise
from cjm.data.purchases import PURCHASE_NAMES, is_purchase_name, is_step_of_a_purchase  # noqa: F401 (public here too)
from cjm.data import views
from cjm.errors import InsufficientDataError, ParameterError
from cjm.journey.funnel import FunnelParams, progress_expr
from cjm.journey.funnel.validate import ABANDONMENT_NEEDS_DATES, CHECKOUT_NEEDS_DATES, check_dated

MIN_WINDOW, MAX_WINDOW = 60, 90 * 86400


def is_checkout_name(name: str) -> bool:
    """Names containing "checkout" ("Begin Checkout", "checkout_started"), unless they are purchases or a step of
    one ('checkout completed (same purchase)': cjm.data.purchases)."""
    norm = normalise(name)
    return "checkout" in norm.replace("_", "") and norm not in PURCHASE_NAMES and not is_step_of_a_purchase(name)


def is_cart_name(name: str) -> bool:
    """add_to_cart, cart, 'Added to Cart'; not a checkout, nor taking something out of the cart."""
    lower = str(name).lower()
    return "cart" in lower and not is_checkout_name(name) and not re.search(r"remov|delet|empt|clear", lower)


def checkout_starts(names: list[str], given=None) -> tuple[list[str], str]:
    """(the events that start a checkout attempt, what they are: "checkout" or "cart"). The chosen ones (`given`),
    else the names containing 'checkout', else the cart events: an export that stops at the cart (REES46's view,
    cart, purchase) is judged from the cart, the step the ~70% online average is measured from, and says so."""
    if given is not None:
        picked = _pick(given, names, None)
        return picked, "cart" if picked and all(is_cart_name(n) for n in picked) else "checkout"
    found = [n for n in names if is_checkout_name(n)]
    carts = [n for n in names if is_cart_name(n)]
    return (carts, "cart") if carts and not found else (found, "checkout")


def event_names(events) -> list[str]:
    """The distinct event names of a table (a short list: names, not rows)."""
    names = engine.execute(events.select("event").distinct())["event"]
    return sorted(str(n) for n in names.dropna())


def _pick(given, names: list[str], default) -> list[str]:
    if given is None:
        return [n for n in names if default(n)]
    if isinstance(given, str):
        given = (given,)
    wanted = {str(g).strip().lower() for g in given}
    return [n for n in names if n.strip().lower() in wanted]


def _data_end(events) -> pd.Timestamp:
    end = engine.execute(events.aggregate(end=events.timestamp.max()))["end"].iloc[0]
    if pd.isna(end):
        raise InsufficientDataError("The events table is empty: load a file with at least one event.")
    return pd.Timestamp(end)


def _end_of(dataset) -> pd.Timestamp:
    """The end of the data for `dataset` (views.data_end: a segment's customers are judged by the end of the data
    they were selected from, a channel's or device's by the loaded data's end, a date filter's by its range's end when
    the data goes on after it)."""
    end = views.data_end(dataset)
    if end is None:
        raise InsufficientDataError("The events table is empty: load a file with at least one event.")
    return end


def check_window(window_seconds) -> int:
    """The conversion window in whole seconds, 60 s .. 90 days, or ParameterError quoting it."""
    if isinstance(window_seconds, bool) or not isinstance(window_seconds, (int, np.integer)) or not (
        MIN_WINDOW <= window_seconds <= MAX_WINDOW
    ):
        raise ParameterError(
            f"window_seconds must be a whole number of seconds from 60 (1 minute) to {MAX_WINDOW} (90 days); "
            f"got {window_seconds!r}."
        )
    return int(window_seconds)


def _none_found(what: str, example: str, names: list[str], parameter: str) -> InsufficientDataError:
    shown = ", ".join(repr(n) for n in names[:12]) + (", ..." if len(names) > 12 else "")
    return InsufficientDataError(
        f"Checkout abandonment needs {what} events ({example}), but none of the event names match "
        f"(found: {shown or 'no events'}). Map one of your events as the {what} event "
        f"(parameter {parameter}), or add such events to the export."
    )


def compute_checkout_abandonment(dataset, *, window_seconds: int = 604800, checkout_events=None,
                                 purchase_events=None) -> dict:
    """{"started", "abandoned", "in_progress", "purchased", "closed", "rate", "start"} over customers who started
    checkout ("closed": those whose counted window has closed, the rate's denominator; "start": "checkout", or
    "cart" when the data has no checkout event and its cart events stand in).

    dataset: the Dataset (or a view of it). rate = abandoned / closed, None when no counted window has closed
    yet. Raises InsufficientDataError when no event has a date (its window is a time).
    """
    check_dated(dataset.events, CHECKOUT_NEEDS_DATES)
    return checkout_abandonment_on(dataset.events, window_seconds=window_seconds, checkout_events=checkout_events,
                                   purchase_events=purchase_events, data_end=_end_of(dataset),
                                   purchase_names=loaded_event_names(dataset))


def loaded_event_names(dataset) -> list[str] | None:
    """The event names of the data `dataset` was loaded as (Dataset.event_counts, kept by every view of it), None
    when it has none: a view's purchase event is found among them, so a date range, a channel or a segment in which
    nobody bought still reads its closed checkouts as abandoned (not as data without purchase events)."""
    counts = getattr(dataset, "event_counts", None)
    if counts is None or "event" not in getattr(counts, "columns", ()):
        return None
    return sorted(str(n) for n in counts["event"].dropna())


def settled_order(events):
    """On the rows of `events`: an order placed and since cancelled, voided, returned or refunded, as its status said
    (cjm.data.money: renamed 'cancellation' or 'return', its money 0); not a reversal line (negative money)."""
    return events.event.isin(reversals.SETTLED_NAMES) & (currencies.amount(events) == 0).fill_null(False)


def checkout_abandonment_on(events, *, window_seconds: int = 604800, checkout_events=None,
                            purchase_events=None, data_end=None, purchase_names=None) -> dict:
    """compute_checkout_abandonment over an events table (the KPIs' events of one period); `data_end`: the
    end of the data (default the last of `events`); `purchase_names`: the event names the checkout and purchase
    events are found among (default those of `events`; the loaded data's, loaded_event_names, for a view or a period
    of it, which may hold checkouts and no purchase, or carts and no checkout: it is still judged from the checkout,
    as the data is, not from the cart)."""
    window = check_window(window_seconds)
    names = event_names(events)
    known = sorted(set(names) | set(purchase_names or ()))  # a view is judged by the data's own roles
    checkout, start = checkout_starts(known, checkout_events)
    purchase = _pick(purchase_events, known, is_purchase_name)
    if not checkout:
        example = (f"you chose {checkout_events!r}" if checkout_events is not None
                   else "an event name containing 'checkout', or else a cart event such as add_to_cart")
        raise _none_found("checkout", example, names, "checkout_events")
    if not purchase:
        example = (f"you chose {purchase_events!r}" if purchase_events is not None
                   else "'purchase', 'order_completed' or 'order'")
        raise _none_found("purchase", example, names, "purchase_events")
    overlap = sorted(set(checkout) & set(purchase))
    if overlap:
        raise ParameterError(
            f"The events {overlap!r} are listed both as checkout and as purchase events; "
            "give each event one role."
        )
    data_end = _data_end(events) if data_end is None else pd.Timestamp(data_end)

    t = events.filter(events.event.isin(checkout + purchase) | (settled_order(events) if purchase_events is None
                                                                  else ibis.literal(False)))
    t = t.select("customer_id", "timestamp", "row_id", is_checkout=t.event.isin(checkout))
    # Next purchase at or after each checkout; a purchase at the same instant counts (checkout sorts first).
    following = ibis.window(group_by="customer_id", order_by=[t.timestamp, ibis.desc(t.is_checkout), t.row_id],
                            preceding=0, following=None)
    t = t.mutate(next_purchase=ibis.ifelse(t.is_checkout, ibis.null("timestamp('UTC')"), t.timestamp).min().over(following))
    closes = t.timestamp + ibis.interval(seconds=window)
    t = t.filter(t.is_checkout).mutate(
        bought=(t.next_purchase.notnull() & (t.next_purchase <= closes)).cast("int8"), closes=closes
    )
    # The counted attempt: bought, the earliest checkout followed by a purchase in its window; not bought, the
    # earliest checkout (all attempts are equally deep).
    per_customer = t.group_by("customer_id").aggregate(bought=t.bought.max(), first_close=t.closes.min(),
                                                       bought_close=t.closes.min(where=t.bought == 1))
    bought = per_customer.bought == 1
    counted_close = ibis.ifelse(bought, per_customer.bought_close, per_customer.first_close)
    open_now = counted_close >= ibis.literal(data_end)
    summary = per_customer.aggregate(
        started=per_customer.count(),
        purchased=per_customer.count(where=bought),
        in_progress=per_customer.count(where=~bought & open_now),
        abandoned=per_customer.count(where=~bought & ~open_now),
        closed=per_customer.count(where=~open_now),
    )
    row = engine.execute(summary).iloc[0]
    out = {k: int(row[k]) for k in ("started", "abandoned", "in_progress", "purchased", "closed")}
    # DESIGN.md section 4: over the customers whose counted window has closed, buyers among them too; one who
    # bought inside a window still open is left out like one still in progress, else recent buyers would
    # count while recent non-buyers cannot yet, and the rate would lean low.
    out["rate"] = out["abandoned"] / out["closed"] if out["closed"] else None
    out["start"] = start
    return out


# --- funnel-based abandonment ---------------------------------------------------------------------

def _step_names(params: FunnelParams) -> list[str]:
    n = len(params.steps)
    if params.mode == "any":
        return ["1 step"] + [f"{i} steps" for i in range(2, n + 1)]
    return list(params.steps)


def _progress_with_status(dataset, params: FunnelParams, data_end=None) -> pd.DataFrame:
    """compute_progress plus `open` (the counted attempt's window is still open at the end of the data:
    `data_end`, default the end of the data `dataset` is a view of: views.data_end) and
    `window_end` (the counted attempt's entry plus the window). Raises InsufficientDataError when no event of
    the data has a date: without them nobody's window ever closes, and zeros would say nobody abandoned."""
    check_dated(dataset.events, ABANDONMENT_NEEDS_DATES)
    expr = progress_expr(dataset, params=params)
    n = len(params.steps)
    columns = ["customer_id", "steps_reached", "entered_at", *[f"reached_at_{k}" for k in range(1, n + 1)],
               *(["group"] if params.breakdown is not None else [])]
    progress = engine.execute(expr.select(*columns).order_by("customer_id")).reset_index(drop=True)
    if progress.empty:
        return progress.assign(
            open=pd.Series(dtype=bool), window_end=pd.Series(dtype="datetime64[us, UTC]"))
    data_end = _end_of(dataset) if data_end is None else pd.Timestamp(data_end)
    window = pd.Timedelta(seconds=params.window_seconds)
    progress["window_end"] = progress["entered_at"] + window
    progress["open"] = progress["window_end"] >= data_end
    return progress


def _abandonment_table(progress: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    reached_steps = progress["steps_reached"].to_numpy()
    is_open = progress["open"].to_numpy(dtype=bool)
    rows = []
    for i in range(2, len(names) + 1):
        stopped = reached_steps == i - 1
        abandoned = int(np.sum(stopped & ~is_open))
        in_progress = int(np.sum(stopped & is_open))
        closed = int(np.sum((reached_steps >= i - 1) & ~is_open))
        rows.append({
            "step": names[i - 1], "step_number": i, "reached_previous": int(np.sum(reached_steps >= i - 1)),
            "reached": int(np.sum(reached_steps >= i)), "abandoned": abandoned, "in_progress": in_progress,
            "closed": closed, "abandonment_rate": abandoned / closed if closed else np.nan,
        })
    return pd.DataFrame(rows, columns=["step", "step_number", "reached_previous", "reached", "abandoned",
                                       "in_progress", "closed", "abandonment_rate"])


def compute_abandonment(dataset, *, params: FunnelParams, data_end=None) -> pd.DataFrame:
    """One row per funnel step from step 2: step, step_number, reached_previous, reached, abandoned,
    in_progress, closed (reached_previous whose counted window has closed), abandonment_rate (abandoned / closed).
    dataset: the Dataset (or a view of it). data_end: the end of the data; default the end of the data `dataset` is
    a view of (views.data_end: a segment filter's customers are judged by the data's end, a date filter's windows by
    the range's end when the data goes on after it)."""
    params = replace(params, breakdown=None)
    return _abandonment_table(_progress_with_status(dataset, params, data_end), _step_names(params))


def compute_abandonment_by(dataset, *, params: FunnelParams, column: str) -> pd.DataFrame:
    """compute_abandonment per value of `column` (of the events, or of the dataset's customers table) at
    entry (first touch), with a `group` column; small groups are folded into "other" as in the funnel."""
    events, customers = dataset.events, dataset.customers
    if column not in events.columns and (customers is None or column not in customers.columns):
        raise InsufficientDataError(
            f"Abandonment by {column!r} needs a {column!r} column in the events or customers table; "
            f"the events have {list(events.columns)!r}. Pick one of those columns."
        )
    params = replace(params, breakdown=column, attribution="first")
    progress = _progress_with_status(dataset, params)
    names = _step_names(params)
    parts = [
        _abandonment_table(part, names).assign(group=group)
        for group, part in progress.groupby("group", dropna=False, sort=True)
    ]
    if not parts:
        return _abandonment_table(progress, names).assign(group=pd.Series(dtype="string"))
    return pd.concat(parts, ignore_index=True)


def _abandoners(dataset, params: FunnelParams) -> pd.DataFrame:
    """Abandoning customers: customer_id, step_number (where they abandoned), last_step_at, window_end."""
    progress = _progress_with_status(dataset, replace(params, breakdown=None))
    n = len(params.steps)
    gone = progress[(progress["steps_reached"] < n) & ~progress["open"]]
    out = pd.DataFrame({"customer_id": gone["customer_id"].astype("string"),
                        "step_number": gone["steps_reached"].astype("int64") + 1})
    last_step_at = gone["reached_at_1"].copy()
    for i in range(2, n):  # at most 10 steps: pick each customer's furthest reached step time
        stopped_here = gone["steps_reached"] == i
        last_step_at = last_step_at.where(~stopped_here, gone[f"reached_at_{i}"])
    out["last_step_at"] = last_step_at.astype("datetime64[us, UTC]")
    out["window_end"] = gone["window_end"].astype("datetime64[us, UTC]")
    return out.reset_index(drop=True)


def _events_in_abandoned_windows(events, abandoners: pd.DataFrame):
    """Events of abandoning customers from their last step up to their window's end, as an Ibis table."""
    table = engine.register(abandoners, like=events)
    joined = events.join(table, "customer_id")
    within = joined.filter((joined.timestamp >= joined.last_step_at) & (joined.timestamp <= joined.window_end))
    return within, table


def _drop(table) -> None:
    engine.drop(table)


def compute_time_to_abandon(dataset, *, params: FunnelParams) -> pd.DataFrame:
    """Per step where customers abandoned: step, step_number, customers, median_seconds, mean_seconds,
    no_later_activity (customers whose last step was also their last event in the window).
    dataset: the Dataset (or a view of it)."""
    names = _step_names(params)
    abandoners = _abandoners(dataset, params)
    columns = ["step", "step_number", "customers", "median_seconds", "mean_seconds", "no_later_activity"]
    if abandoners.empty:
        return pd.DataFrame(columns=columns)
    within, table = _events_in_abandoned_windows(dataset.events, abandoners)
    try:
        last = engine.execute(within.group_by("customer_id", "step_number").aggregate(
            last_event=within.timestamp.max(), last_step_at=within.last_step_at.max()))
    finally:
        _drop(table)
    last["seconds"] = (last["last_event"] - last["last_step_at"]).dt.total_seconds()
    out = last.groupby("step_number").agg(
        customers=("seconds", "size"), median_seconds=("seconds", "median"), mean_seconds=("seconds", "mean"),
        no_later_activity=("seconds", lambda s: int((s == 0).sum())),
    ).reset_index()
    out["step"] = [names[i - 1] for i in out["step_number"]]
    out[["customers", "no_later_activity"]] = out[["customers", "no_later_activity"]].astype("int64")
    return out[columns].reset_index(drop=True)


def _step_number(step, params: FunnelParams) -> int:
    names = _step_names(params)
    if isinstance(step, (int, np.integer)) and not isinstance(step, bool):
        number = int(step)
    elif isinstance(step, str) and step in names:
        number = names.index(step) + 1
    else:
        raise ParameterError(f"step must be one of the funnel steps {names!r} (or its number 2..{len(names)}); got {step!r}.")
    if not 2 <= number <= len(names):
        raise ParameterError(
            f"Customers can only abandon at steps 2..{len(names)} (step 1 is where they enter); got {step!r}."
        )
    return number


def compute_last_touchpoints(dataset, *, params: FunnelParams, step) -> pd.DataFrame:
    """The last event of customers who abandoned at `step` (name or number), ranked:
    rank, event, stage, customers, share (of those abandoners), abandoners (all who abandoned there).
    dataset: the Dataset (or a view of it)."""
    number = _step_number(step, params)
    abandoners = _abandoners(dataset, params)
    abandoners = abandoners[abandoners["step_number"] == number]
    columns = ["rank", "event", "stage", "customers", "share", "abandoners"]
    if abandoners.empty:
        return pd.DataFrame(columns=columns)
    within, table = _events_in_abandoned_windows(dataset.events, abandoners)
    try:
        latest_first = ibis.window(group_by="customer_id", order_by=[ibis.desc(within.timestamp), ibis.desc(within.row_id)])
        last = within.mutate(position=ibis.row_number().over(latest_first))
        last = last.filter(last.position == 0)
        ranked = last.group_by("event", "stage").aggregate(customers=last.count())
        out = engine.execute(ranked)
    finally:
        _drop(table)
    out = out.sort_values(["customers", "event"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out["customers"] = out["customers"].astype("int64")
    out["share"] = out["customers"] / len(abandoners)
    out["rank"] = np.arange(1, len(out) + 1)
    out["abandoners"] = len(abandoners)
    return out[columns]
