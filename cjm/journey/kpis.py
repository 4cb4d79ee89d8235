"""Journey KPIs with period-over-period change (DESIGN.md sections 1 and 8; DOMAIN.md KPIs).

Every KPI is computed on the events inside a period, as the dashboard would show it with the date
filter set to that period (customers, sessions and checkouts that run past the period's end are cut
there). A KPI whose inputs the dataset lacks is `available=False` with `needs` saying which column or
events would enable it; it is never shown as 0. Definitions:

- customers: distinct customers with an event in the period.
- conversion_rate: customers with an event mapped to the "conversion" stage / customers (when the
  stage model has no "conversion" stage, or no event is mapped to it: customers with a purchase, as the
  repeat-purchase rate counts purchases). Which rule applies is read on the whole loaded data, as in the customer
  features (cjm.journey.buying): a filter never switches it.
  Not available when every event of the data is a conversion or follows one (a purchases-only export, an
  orders export of purchases and deliveries): no event shows a customer before converting, 100% says nothing.
- bounce_rate: visits with exactly one event / visits (a visit = customer + session_id, over the events that are not
  impressions: an ad shown to a customer, clicked or not, is no page of their visit, so a session of impressions
  alone is no visit).
- checkout_abandonment: cjm.journey.abandonment.compute_checkout_abandonment on the period's events (checkout
  events, else cart events: then labelled "Cart abandonment"), the period's end (or the data's, when sooner) being
  the end of what is seen: a checkout whose window closed before it is judged; under a segment, channel or device
  filter the data's end is that of the loaded data (seen through the date filter), not the view's own last event (a
  channel customer's checkout whose window closed before then is closed whatever the channel of later events), and
  under a date filter the range's end when the data goes on after it (views.data_end, as on the Abandonment page);
  not available without dates (its window is a time) nor on anonymous responses.
- ctr: sum of a clicks column / sum of an impressions column when both exist among the extra columns,
  otherwise events named like *click* / events named like *impression*, a click counting only when it
  shares the impression's prefix (ad_click with ad_impression; email_click is not an ad click).
- scroll_rate: share of events carrying a scroll depth (an extra column whose name contains "scroll")
  that scrolled at least half way: depth >= 50 (or >= 0.5 when depths are fractions 0..1); "75%" reads as 75.
- revenue: sum of the revenue column.
- average_order_value: revenue of the orders / orders: every payment and the reversals of these orders (a refund of
  an order outside the events, such as last period's, stays in the revenue but is no part of these orders' value:
  it made the value negative): a reversal naming its order counts when that order is among the events; one naming
  none when the customer paid at or before it at least what it takes back; a customer's orders are worth at least
  0 (_money_of_orders). An order is one moment of one customer with a positive
  revenue: the line items of an order (same customer and time, DESIGN.md section 3) are one order; when a column
  names each row's order ("Order ID", "order_id", "InvoiceNo": cjm.journey.orders) one order id of one customer
  is one order instead (two orders of one day are two, the lines of an order one). An order
  that later reversals (or one at its moment: refunded on its own date) take back whole (the repeat-purchase rate's
  rule below) is no order: its money nets to nothing, so counting it would halve the value of the orders kept.
- repeat_purchase_rate: the period's buyers who bought again / the period's buyers (customers with 1+ purchases in
  it). Bought again: 2+ purchases in the period, or 1+ in it and one before it, at any time (a returning customer:
  read on the whole loaded data, whatever channel, segment or date filter the view has; on all data of a view, before
  the view's first event; nothing comes before the whole data). A purchase before the period that reversals up to the
  period's end take back whole is none (a refund in March of February's order). Purchases: purchase events
  such as purchase / order_completed / order / repeat_purchase (events with positive revenue when
  the data has no such event names), counted as orders as the average order value counts them (distinct moments,
  or distinct order ids), so an order's line items are one. A
  purchase that later reversals of the same customer take back exactly, to the cent (a cancelled or fully
  refunded order: one reversal of the moment's amount, or parts that add up to it in time order, 15 + 15 for
  30; the rules and their limits in cjm.journey.undone) is no purchase; a partial refund leaves it one. A
  reversal naming the purchase it takes back (a charge id, an order or invoice number: cjm.journey.references) is
  matched by that name, not by amount: the reversals naming a purchase undo it when they add up to it exactly. Not
  available on anonymous responses (no customer id: each row is a different respondent, so nobody can be
  seen buying twice).
- support_contacts_per_customer: support contacts / customers. A support contact is an event by the
  one rule of cjm.data.contacts (as in the segment features and the at-risk customers): the words of
  its department or stage name a support team (support, service, help desk, customer care, contact
  centre, ...) or the words of its name say the customer contacted support (support, ticket, complaint,
  chat, live chat, ...), and its name follows up no contact already made: one ticket is one contact, its
  "ticket_updated", "ticket_closed" or "ticket_reopened" events are not contacts of their own.
- reviews: review_written events, and every row of a review export (a file of reviews, one a row, with no event
  column: its 'feedback' events; the rule: cjm.data.reviewers.review_export). referrals: referral events.

Default periods: the last N days of the data against the N days before, N = 30, or half the span of
the data when it covers less than 60 days (so both periods hold data); the current period ends
at the midnight after the last event, in the dataset's time zone (cjm.data.clock.dates_clock: the one zone or
offset the data names for all its events, else UTC), as the date filter's days (data within one day: halves of its
own span, see default_periods). Under a filter the data is the one the view is part of (data_span): a segment's,
a channel's or a device's period is placed on the first and last event of the loaded data, seen through the start-date
filter, so two segments' or two channels' tiles compare the same calendar periods (a channel without activity in
them shows 0 customers, not a period of its own placed on its last event), and a date filter's on its range, ending
at the midnight after the range's end date when the data goes on after it. `change` = value - previous in
the KPI's unit (for shares a difference of fractions: 0.021 = 2.1 points).
"""

from __future__ import annotations

import math
import re

import ibis
import pandas as pd

from cjm import engine
from cjm.journey import references, undone
from cjm.journey.buying import (BEFORE_CONVERSION_NEEDS, CONVERSION_NEEDS, CONVERSION_STAGE, NO_CONVERSION,  # noqa: F401
                                Buying, flagged, loaded_events)  # (public here)
from cjm.journey.kpi_period import KpiParams
from cjm.journey.orders import ORDER, Orders
from cjm.journey.abandonment import (
    check_window,
    checkout_abandonment_on,
    checkout_starts,
    event_names,
)
from cjm.data import currencies, reviewers
from cjm.data.clock import dates_clock
from cjm.data.columns import normalise
from cjm.data.views import data_span as data_span_of, end_source, last_seen, range_end_of
from cjm.data.source import as_number  # guarded: PostgreSQL casts without a 'try'
from cjm.data.contacts import support_condition, support_values, support_values_of
from cjm.present.formats import NO_VALUE, format_points, format_value  # noqa: F401 (format_value: public)
from cjm.errors import CJMError, ParameterError

DEFAULT_DAYS = 30

# name -> (label in plain words, unit)
KPIS: dict[str, tuple[str, str]] = {
    "customers": ("Customers", "count"),
    "conversion_rate": ("Conversion rate", "share"),
    "bounce_rate": ("Bounce rate", "share"),
    "checkout_abandonment": ("Checkout abandonment", "share"),  # CART_ABANDONMENT when judged from the cart
    "ctr": ("Click-through rate", "share"),
    "scroll_rate": ("Scroll rate (half the page or more)", "share"),
    "revenue": ("Revenue", "money"),
    "average_order_value": ("Average order value", "money"),
    "repeat_purchase_rate": ("Repeat-purchase rate", "share"),
    "support_contacts_per_customer": ("Support contacts per customer", "ratio"),
    "reviews": ("Reviews received", "count"),
    "referrals": ("Referrals", "count"),
}
CART_ABANDONMENT = "Cart abandonment"
# name -> what the tile counts, in a marketer's words (the rules in full: this module's docstring)
MEANINGS: dict[str, str] = {
    "customers": "Customers with at least one interaction in the period.",
    "conversion_rate": "Share of the period's customers who converted in it: an event of the conversion stage (a "
                       "purchase when no event maps to that stage); a cancellation or refund is none. A repeat "
                       "purchase mapped to a later stage such as loyalty is no new conversion: the repeat-purchase "
                       "rate counts it.",
    "bounce_rate": "Share of visits that ended after one interaction (ad impressions are no part of a visit).",
    "checkout_abandonment": "Share of customers who started checkout (for cart abandonment: added to cart) and did not "
                            "buy within the conversion window, among those whose window has closed.",
    "ctr": "Clicks per impression.",
    "scroll_rate": "Interactions scrolled to 50% of the page or further, as a share of those with a recorded "
                   "scroll depth.",
    "revenue": "The period's money: purchases less the refunds and cancellations made in it.",
    "average_order_value": "Revenue of the period's orders per order (an order's line items are one order).",
    "repeat_purchase_rate": "Share of the period's buyers who bought again: two or more times in it, or once in it "
                            "after buying before it, at any time (a cancelled or fully refunded order is no "
                            "purchase).",
    "support_contacts_per_customer": "Support contacts per customer of the period.",
    "reviews": "Reviews written in the period.",
    "referrals": "Referrals made in the period.",
}
COLUMNS = ["name", "label", "value", "previous", "change", "unit", "available", "needs", "display", "change_display",
           "period", "previous_period"]

REVIEW_NAMES = {"review_written", "review", "write_review", "wrote_review", "review_submitted", "review_posted"}


def _is_review(name: str) -> bool:
    return normalise(name) in REVIEW_NAMES


def _is_referral(name: str) -> bool:
    return "referr" in normalise(name) or normalise(name) in {"refer_a_friend", "refer"}


def _is_impression(name: str) -> bool:
    return "impression" in normalise(name)


def _is_click(name: str) -> bool:
    return "click" in normalise(name)


def _matching_clicks(clicks: list[str], impressions: list[str]) -> list[str]:
    """Clicks on what was shown: 'ad_click' pairs with 'ad_impression', so 'email_click' (whose opens are no
    impressions) does not inflate the rate. Without a shared prefix every click counts."""
    prefixes = {normalise(n).split("impression")[0] for n in impressions}
    paired = [c for c in clicks if normalise(c).split("click")[0] in prefixes]
    return paired or ([] if impressions and clicks and prefixes - {""} else clicks)


def _extra_column(events, pattern: str) -> str | None:
    """The first extra (non-canonical) column whose normalised name matches `pattern`."""
    for column in events.columns:
        if column not in engine.EVENT_SCHEMA and re.fullmatch(pattern, normalise(column)):
            return column
    return None


def _number(column):
    return column if column.type().is_numeric() else as_number(engine.trimmed(column.cast("string")))


def _depth(column):
    """A scroll depth as a number: 75, 0.75 or "75%" (tools that report depth as a share write the percent sign;
    read as text alone, every such cell was unreadable and the tile asked for the column the data has)."""
    if column.type().is_numeric():
        return column
    return as_number(engine.trimmed(column.cast("string")).re_replace(r"\s*%$", ""))



def _timestamp(value, what: str, tz=None) -> pd.Timestamp:
    """A period's bound: an instant as given, or a date (or a date and time written without a zone) on the clock of
    `tz` (the dataset's time zone: cjm.data.clock.dates_clock; UTC's without it): '2025-01-01' is that zone's
    midnight (cjm.data.clock.midnight's rule: summer time's skipped midnight moves to the first time after it)."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{what} must be a date or date-time such as '2024-03-01'; got {value!r}.") from None
    if pd.isna(ts):
        raise ParameterError(f"{what} must be a date or date-time such as '2024-03-01'; got {value!r}.")
    if ts.tzinfo is not None:
        return ts.tz_convert("UTC")
    return _instant(ts, tz) if _zoned(tz) else ts.tz_localize("UTC")


def parse_period(value, what: str, tz=None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A (start, end) pair as UTC instants; a bound written without a zone ('2025-01-01') is on the days of `tz` (the
    dataset's time zone, cjm.data.clock.dates_clock: the days the sidebar and the period pickers offer), UTC's
    without it."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ParameterError(f"{what} must be a (start, end) pair of dates; got {value!r}.")
    start, end = _timestamp(value[0], f"{what} start", tz), _timestamp(value[1], f"{what} end", tz)
    if not start < end:
        raise ParameterError(f"{what} must start before it ends; got start {value[0]!r} and end {value[1]!r}.")
    return start, end


def period_text(period, tz=None) -> str:
    """A half-open [start, end) period as people read it: "2 Mar 2024 – 31 Mar 2024" (end day included
    when the bounds are midnights), "31 Mar 2024" for one day, times in UTC otherwise; "" for None. `tz`: the
    dataset's time zone (cjm.data.clock.dates_clock), whose dates and times it then says ("... 18:00 UTC-05:00")."""
    if period is None:
        return ""
    start, end = pd.Timestamp(period[0]), pd.Timestamp(period[1])
    zone = "UTC"
    if _zoned(tz):
        start, end, zone = wall(start, tz), wall(end, tz), str(tz)
    if start == start.floor("D") and end == end.floor("D"):
        last = end - pd.Timedelta(days=1)
        first_text, last_text = f"{start.day} {start:%b %Y}", f"{last.day} {last:%b %Y}"
        return first_text if start == last else f"{first_text} – {last_text}"
    return f"{start.day} {start:%b %Y %H:%M} – {end.day} {end:%b %Y %H:%M} {zone}"


def _zoned(tz) -> bool:
    return tz is not None and str(tz) != "UTC"


def wall(stamp, tz) -> pd.Timestamp:
    """The instant `stamp` (a UTC time; naive: UTC) as the wall time of `tz`, naive."""
    stamp = pd.Timestamp(stamp)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return stamp.tz_convert(tz).tz_localize(None)


def _instant(stamp: pd.Timestamp, tz) -> pd.Timestamp:
    """The wall time `stamp` of `tz` (naive) as a UTC instant (a midnight summer time skips: the next time that is)."""
    return stamp.tz_localize(tz, ambiguous=True, nonexistent="shift_forward").tz_convert("UTC")


def default_periods(first: pd.Timestamp, last: pd.Timestamp, *, length=None, tz=None):
    """(current, previous) periods, half-open [start, end): the last `length` of the data and the `length`
    before (N = 30 days unless `length` says otherwise: a Timedelta, or a DateOffset such as the period
    comparison's 6 months), or the two halves of the data when it covers less than two such periods (so
    both periods hold data).

    The current period ends at the midnight (UTC) after the last event, so bounds read as dates. Data
    within one calendar day is halved at the middle of its own span (to the minute) instead, so that both
    periods hold data: halving the whole day left one of them empty (17 minutes after midnight: "0
    customers, -330"). Data within one minute has no earlier half to compare with: previous is None.

    `tz`: the dataset's time zone (cjm.data.clock.dates_clock): the periods are placed on its days (its midnights,
    summer time included) and returned as UTC instants; UTC's days without it.
    """
    if _zoned(tz):
        placed = default_periods(wall(first, tz), wall(last, tz), length=length)
        return tuple(None if p is None else (_instant(p[0], tz), _instant(p[1], tz)) for p in placed)
    if first.floor("D") == last.floor("D"):
        end = last.floor("min") + pd.Timedelta(minutes=1)
        middle = (first + (last - first) / 2).floor("min")
        if first >= middle:  # every event at or after the middle minute: the earlier half would be empty
            return (middle, end), None
        return (middle, end), (middle - (end - middle), middle)
    end = last.floor("D") + pd.Timedelta(days=1)
    length = pd.Timedelta(days=DEFAULT_DAYS) if length is None else length
    middle = end - length
    # the data covers two whole periods: twice the length back from the end (6 months twice from 31 Aug is 29 Aug,
    # month ends clipped; 12 months is 31 Aug, so data from 30 Aug covers them)
    if end - 2 * length >= first.floor("D"):
        return (middle, end), (middle - length, middle)
    half = (end - first.floor("D")) / 2
    return (end - half, end), (end - 2 * half, end - half)


class _Inputs:
    """What the whole dataset offers: event names by role, optional columns present. Who bought and who converted:
    cjm.journey.buying, read on `counts` (the loaded data's event names and stages, Dataset.event_counts; `events`'
    own when None)."""

    def __init__(self, events, stages, *, anonymous: bool = False, counts=None, flagged: bool = False, whole=None,
                 review_rows=(), tz="UTC"):
        names = event_names(events)
        pick = lambda test: [n for n in names if test(n)]  # noqa: E731
        self.buying = Buying(events, stages, counts, flagged=flagged, whole=whole, tz=tz)
        self.purchase = self.buying.purchase
        self.checkout, self.checkout_start = checkout_starts(names)  # checkout events, else cart events
        # the loaded data's names: a period or view in which nobody bought still has its purchase event
        self.loaded_names = sorted(set(names) | {str(n) for n in counts["event"].dropna()}) if (
            counts is not None and "event" in counts.columns) else names
        self.review, self.referral = pick(_is_review), pick(_is_referral)
        # (first row_id, one past the last) of each review export's events; none when the events carry no row_id
        self.review_rows = [r for r in review_rows if r is None or "row_id" in events.columns]
        # column -> its values that mark a support contact (event names from the names read above)
        self.support = {"event": support_values(names, "event"), "follow_up": support_values(names, "follow_up"),
                        **support_values_of(events, ("stage", "department"))}
        self.impression = pick(_is_impression)
        self.click = _matching_clicks(pick(_is_click), self.impression)
        self.impressions_col = _extra_column(events, r"(ad_)?impressions?(_count)?")
        self.clicks_col = _extra_column(events, r"(ad_)?clicks?(_count)?")
        self.scroll_col = _extra_column(events, r".*scroll.*")
        t = events
        checks = {
            "first": t.timestamp.min(), "last": t.timestamp.max(), "rows": t.count(),
            "sessions": t.session_id.count(), "revenue": t.revenue.count(),
            "orders": t.count(where=currencies.paid(t)), "reversals": t.count(where=currencies.amount(t) < 0),
            "department": t.department.count(),
            # events that may come before a conversion (cjm.journey.buying): none, and a conversion rate of 100% would
            # say nothing (told by purchase, anyone_before_conversion reads whether one comes before a purchase)
            "before_conversion": self.buying.rows_before_conversion(t),
        }
        if self.scroll_col:
            depth = _depth(t[self.scroll_col])
            checks["scroll"], checks["scroll_max"] = depth.count(), depth.max()
        row = engine.execute(t.aggregate(**checks)).iloc[0]
        self.first, self.last, self.rows = row["first"], row["last"], int(row["rows"])
        self.has = {k: (not pd.isna(row[k]) and row[k] > 0) for k in checks
                    if k not in ("first", "last", "rows", "scroll_max")}
        self.scroll_threshold = 0.5 if self.has.get("scroll") and row["scroll_max"] <= 1 else 50.0
        self.buying.knowing(row["orders"], row["reversals"])
        self.conversion_by_stage = self.buying.conversion == "stage"
        # every event a conversion (a purchases-only export): a rate of 100% would say nothing
        self.anonymous = anonymous  # each row a different respondent (no customer id)
        self.events = events
        loaded = self.buying.loaded_before_conversion  # a view: read on the loaded data (cjm.journey.buying)
        self.only_conversions = not (loaded if loaded is not None else self.buying.anyone_before_conversion(
            t, 0 if pd.isna(row["before_conversion"]) else int(row["before_conversion"])))

    def paying(self, t):
        """(t with every payment's money as revenue, the purchases among its rows) for the repeat-purchase rate."""
        return self.buying.paying(t)

    @property
    def orders(self) -> Orders:
        """Which purchase rows are one order (cjm.journey.buying)."""
        return self.buying.orders

    @property
    def reference(self) -> tuple[str, str] | None:
        """The columns by which reversals name the purchase they take back (cjm.journey.buying)."""
        return self.buying.reference

    @property
    def loaded(self):
        """The events of the whole loaded data (a view's `whole`, else the events), on which a reversal is told to
        name a purchase (cjm.journey.buying)."""
        return self.buying.loaded

    def needs(self) -> dict[str, str | None]:
        """KPI name -> what would enable it (None when it is available)."""
        ctr_ok = (self.impressions_col and self.clicks_col) or (self.impression and self.click)
        return {
            "customers": None,
            "conversion_rate": (None if not self.only_conversions else BEFORE_CONVERSION_NEEDS)
            if self.buying.conversion else CONVERSION_NEEDS,
            "bounce_rate": None if self.has["sessions"] else "a session_id column (which visit each event belongs to)",
            "checkout_abandonment": ("a customer id column: each row of this export is a different respondent, so "
                                     "nobody can be seen checking out and then buying") if self.anonymous else
            "a date column: a checkout is abandoned when its window closes without a purchase"
            if pd.isna(self.first) else None if (self.checkout and self.purchase) else
            ("checkout or cart events (an event name containing 'checkout', or add_to_cart)" if not self.checkout else
             "purchase events (purchase, order_completed or order)"),
            "ctr": None if ctr_ok else
            "impression and click events (names containing 'impression' and 'click'), or impressions and clicks columns",
            "scroll_rate": None if self.has.get("scroll") else "a scroll depth column (e.g. scroll_depth)" if not
            self.scroll_col else f"scroll depths in the column '{self.scroll_col}' as numbers (75, 75% or 0.75): none "
                                 "of its values reads as one",
            "revenue": None if self.has["revenue"] else "a revenue column (order amounts)",
            "average_order_value": None if self.has["orders"] else "a revenue column with order amounts",
            "repeat_purchase_rate": ("a customer id column: each row of this export is a different respondent, so "
                                     "nobody can be seen buying twice") if self.anonymous else
            None if (self.purchase or self.has["orders"]) else
            "purchase events (purchase, order_completed, order) or a revenue column",
            "support_contacts_per_customer": None if (self.has["department"] or any(
                values for column, values in self.support.items() if column != "follow_up")) else
            "a department column or support events (support_ticket, chat, complaint)",
            "reviews": None if (self.review or self.review_rows) else "review_written events",
            "referrals": None if self.referral else "referral events",
        }


def _ratio(num, den) -> float:
    return float(num) / float(den) if den else math.nan


def _repeat_purchase_rate(t, bought, reference: tuple[str, str] | None = None, whole=None, orders=None,
                          earlier=None) -> float:
    """Customers who bought again / customers with 1+ purchases in `t`, a purchase undone by reversals being none
    (the rules and their limits: cjm.journey.undone; a purchase is an order, cjm.journey.orders). Bought again: 2+
    purchases in `t`, or 1+ in it and an earlier one (`earlier`: _bought_before's customers who bought before the
    period, None when nothing comes before it)."""
    p = undone.purchases_kept(t, bought, reference, whole, orders)
    kept = p.n - p.undone
    again = kept >= 2
    if earlier is not None:
        p = p.left_join(earlier, p.customer_id == earlier.e_customer)
        kept = p.n - p.undone
        again = (kept >= 2) | ((kept >= 1) & (p.before.fill_null(0) > 0))
    r = engine.execute(p.aggregate(buyers=p.count(where=(kept >= 1) | (p.undone == 0)),
                                   repeat=p.count(where=again))).iloc[0]
    return _ratio(r["repeat"], r["buyers"])


def _bought_before(inputs: _Inputs, period):
    """(e_customer, before): the customers of the loaded data with a purchase before `period` (its start), at any time
    before it and in any channel, for the repeat-purchase rate; None when nothing comes before the period (the
    whole data, undated data). A purchase that reversals undo is none, as in the period, the reversals read up to the
    period's end (a refund in March of February's order undoes it): the purchases kept up to the period's end less
    those kept within the period. `period` None on a view (a date range, a channel, a segment): before its first
    event."""
    loaded = inputs.loaded
    if period is None:
        if inputs.buying.whole is None or pd.isna(inputs.first):
            return None
        period = (pd.Timestamp(inputs.first), pd.Timestamp(inputs.last) + pd.Timedelta(microseconds=1))
    end = ibis.literal(pd.Timestamp(period[1]))
    whole = inputs.paying(loaded)

    def kept(events):
        paying, bought = inputs.paying(events)
        p = undone.purchases_kept(paying, bought, inputs.reference, whole, inputs.orders)
        return p.select("customer_id", kept=p.n - p.undone)

    upto, within = kept(loaded.filter(loaded.timestamp < end)), kept(within_period(loaded, period))
    within = within.select(w_customer=within.customer_id, w_kept=within.kept)
    both = upto.left_join(within, upto.customer_id == within.w_customer)
    both = both.select(e_customer=both.customer_id, before=both.kept - both.w_kept.fill_null(0))
    return both.filter(both.before > 0)


def _money_of_orders(t, reference: tuple[str, str] | None = None, whole=None) -> float:
    """The money of the events `t` that belongs to their orders (the average order value's numerator): every payment,
    and the reversals that take back these orders (a partial refund, a cancelled order's money back). A reversal of
    an order outside `t` (a refund in this period of last period's order) stays in the revenue but is no part of these
    orders' value, which it would make negative (20 paid, 30 of an earlier order refunded: -10 an order):

    - a reversal naming its purchase (`reference`: cjm.journey.references, told on `whole`, the events of every
      period, `t`'s own by default) counts when that purchase is in `t`, and not when it is outside (last period's);
    - a reversal naming none counts when the customer paid in `t` at or before it (undated: counted; a dated one
      before the customer's first dated payment is not, as before) at least what it takes back (a moment of
      reversals, to the cent): one larger than all they paid so far takes back an order outside `t` (300 of an
      earlier order refunded after an order of 20). An undated payment counts as paid before every reversal, an
      undated reversal after every payment;
    - a customer's orders are worth at least nothing: the reversals counted never take back more than they paid
      in `t` (two refunds of 15 after an order of 20: their orders are worth 0, not -10)."""
    _ = ibis._

    def cents(value):
        return (value * 100).round().cast("int64")

    paid = t.filter(t.revenue > 0)
    backs = t.filter(t.revenue < 0)
    counted = []
    if reference is not None:  # reversals naming a purchase: by that name, whatever their time and amount
        own, names = reference
        whole_t = whole if whole is not None else t

        def ids_of(table):
            rows = table.filter(table.revenue > 0)
            return rows.select(i_customer=rows.customer_id, i_id=references.cleaned(rows[own])) \
                .filter(_.i_id.notnull()).distinct()

        every, here = ids_of(whole_t), ids_of(t)
        here = here.select(h_customer=here.i_customer, h_id=here.i_id)
        backs = backs.mutate(b_name=references.cleaned(backs[names]))
        backs = backs.left_join(every, [backs.customer_id == every.i_customer, backs.b_name == every.i_id])
        backs = backs.left_join(here, [backs.customer_id == here.h_customer, backs.b_name == here.h_id])
        counted.append(backs.filter(backs.h_id.notnull()).select("customer_id", back=_.revenue))
        backs = backs.filter(backs.i_id.isnull())  # naming no purchase of the customer anywhere: the rule below
    moments = backs.group_by("customer_id", "timestamp").aggregate(back=_.revenue.sum())
    # a dated reversal before the customer's first dated payment is of an order outside `t` (an undated payment
    # too could be that order: the orders' rule never undoes it by a dated reversal, cjm.journey.undone)
    firsts = paid.group_by(paid.customer_id.name("f_customer")).aggregate(first=paid.timestamp.min())
    moments = moments.inner_join(firsts, moments.customer_id == firsts.f_customer)
    moments = moments.filter(moments.first.isnull() | moments.timestamp.isnull() | (moments.timestamp >= moments.first))
    pay = paid.select(p_customer=paid.customer_id, p_time=paid.timestamp, p_money=paid.revenue)
    so_far = moments.inner_join(pay, [moments.customer_id == pay.p_customer,
                                      pay.p_time.isnull() | moments.timestamp.isnull()
                                      | (pay.p_time <= moments.timestamp)])
    so_far = so_far.group_by("customer_id", "timestamp", "back").aggregate(before=_.p_money.sum())
    counted.append(so_far.filter(cents(-so_far.back) <= cents(so_far.before)).select("customer_id", "back"))
    back = (ibis.union(*counted, distinct=False) if len(counted) > 1 else counted[0]) \
        .group_by(_.customer_id.name("b_customer")).aggregate(back=_.back.sum())
    per = paid.group_by("customer_id").aggregate(paid=_.revenue.sum())
    per = per.left_join(back, per.customer_id == back.b_customer)
    money = per.aggregate(money=ibis.greatest(per.paid + per.back.fill_null(0), 0).sum())
    value = engine.execute(money).iloc[0]["money"]
    return 0.0 if pd.isna(value) else float(value)


def _values(events, inputs: _Inputs, needs: dict, window_seconds: int, period=None, data_end=None) -> dict[str, float]:
    """Every available KPI on one (period-filtered) events table; `period`: its (start, end), None for all data;
    `data_end`: the end of the data (`data_span`), the last of `inputs` when None."""
    t = events
    support = support_condition(t, **inputs.support)
    converted = inputs.buying.converts(t)
    metrics = {
        "customers": t.customer_id.nunique(),
        "converted": t.customer_id.nunique(where=converted),
        "support": t.count(where=support),
        "reviews": t.count(where=_is_review_row(t, inputs)),
        "referrals": t.count(where=t.event.isin(inputs.referral or [""])),
        "revenue": t.revenue.sum(),
    }
    if inputs.impressions_col and inputs.clicks_col:
        metrics["impressions"] = _number(t[inputs.impressions_col]).sum()
        metrics["clicks"] = _number(t[inputs.clicks_col]).sum()
    else:
        metrics["impressions"] = t.count(where=t.event.isin(inputs.impression or [""]))
        metrics["clicks"] = t.count(where=t.event.isin(inputs.click or [""]))
    if inputs.scroll_col and needs["scroll_rate"] is None:
        depth = _depth(t[inputs.scroll_col])
        metrics["scrolled"] = depth.count()
        metrics["scrolled_half"] = t.count(where=depth >= inputs.scroll_threshold)
    row = engine.execute(t.aggregate(**metrics)).iloc[0]
    row = row.fillna(0)
    order_money = float(row["revenue"])
    if inputs.has["reversals"]:  # a cancelled or fully refunded order is no order (the repeat-purchase rate's rule)
        loaded = inputs.loaded  # which reversals name a purchase: read on the whole loaded data, every period's
        kept = undone.purchases_kept(t, t.revenue > 0, inputs.reference, (loaded, loaded.revenue > 0), inputs.orders)
        row["orders"] = int(engine.execute(kept.aggregate(n=(kept.n - kept.undone).sum()))["n"].fillna(0).iloc[0])
        order_money = _money_of_orders(t, inputs.reference, loaded)
    else:
        placed = inputs.orders.keyed(t.filter(t.revenue > 0)).select("customer_id", ORDER).distinct()
        row["orders"] = int(engine.execute(placed.aggregate(n=placed.count())).iloc[0]["n"])

    out = {
        "customers": float(row["customers"]),
        "conversion_rate": _ratio(row["converted"], row["customers"]),
        "ctr": _ratio(row["clicks"], row["impressions"]),
        "scroll_rate": _ratio(row.get("scrolled_half", 0), row.get("scrolled", 0)),
        "revenue": float(row["revenue"]),  # sums and counts over a period without events are 0, as its customers
        "average_order_value": _ratio(order_money, row["orders"]),
        "support_contacts_per_customer": _ratio(row["support"], row["customers"]),
        "reviews": float(row["reviews"]),
        "referrals": float(row["referrals"]),
    }
    if needs["bounce_rate"] is None:  # an ad shown to a customer (an impression) is no page of their visit
        visits = t.filter(t.session_id.notnull() & ~t.event.isin(inputs.impression or [""]))
        s = visits.group_by("customer_id", "session_id").aggregate(n=ibis._.count())
        b = engine.execute(s.aggregate(sessions=s.count(), bounced=s.count(where=s.n == 1))).iloc[0]
        out["bounce_rate"] = _ratio(b["bounced"], b["sessions"])
    if needs["repeat_purchase_rate"] is None:
        paying, bought = inputs.paying(t)
        out["repeat_purchase_rate"] = _repeat_purchase_rate(paying, bought, inputs.reference,
                                                            inputs.paying(inputs.loaded), inputs.orders,
                                                            earlier=_bought_before(inputs, period))
    if needs["checkout_abandonment"] is None and row["customers"]:
        try:
            # what is seen of a period ends with it (or with the data): a checkout's window closes inside it or not
            last = pd.Timestamp(inputs.last if data_end is None else data_end)
            end = last if period is None else min(pd.Timestamp(period[1]), last)
            rate = checkout_abandonment_on(t, window_seconds=window_seconds, checkout_events=tuple(inputs.checkout),
                                           data_end=end, purchase_names=inputs.loaded_names)["rate"]
        except CJMError:  # no checkout or purchase in this period
            rate = None
        out["checkout_abandonment"] = math.nan if rate is None else rate
    return out


def format_change(change, unit: str) -> str:
    """The change against the previous period: +2.1 pts for shares, +1,234 for counts."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return ""
    if unit == "share":
        return format_points(change)
    if unit == "count":
        return f"{change:+,.0f}"
    return f"{change:+,.2f}"


def within_period(events, period):
    """The events of a half-open period: start <= timestamp < end (every period comparison's rule)."""
    start, end = period
    return events.filter((events.timestamp >= ibis.literal(start)) & (events.timestamp < ibis.literal(end)))


def _anonymous(dataset) -> bool:
    """Whether every events file of `dataset` is anonymous responses (no customer id mapped: each row is one
    respondent)."""
    files = [f for f in getattr(dataset, "files", None) or [] if f.role != "customers"]
    return bool(files) and all("customer_id" not in f.mapping.columns for f in files)


def _review_rows(dataset) -> list[tuple[int, int] | None]:
    """(first row_id, one past the last) of the events of each review export of `dataset` (every row one review:
    cjm.data.reviewers.review_export), when the upload numbered its files' events (FileReport.row_ids); None for a
    table read in place that is a review export: all the events are its rows (it is the dataset's one file)."""
    files = [f for f in getattr(dataset, "files", None) or [] if f.role != "customers"]
    reviews = [f for f in files if f.mapping is not None and reviewers.review_export(f.name, f.columns, f.mapping)]
    if len(files) == 1 and reviews and reviews[0].row_ids is None:
        return [None]
    return [f.row_ids for f in reviews if f.row_ids is not None]


def _is_review_row(t, inputs: _Inputs):
    """A review: a review_written event (REVIEW_NAMES), or any event of a review export (by its row_ids)."""
    condition = t.event.isin(inputs.review or [""])
    for rows in inputs.review_rows:
        if rows is None:
            return ibis.literal(True)
        condition = condition | ((t.row_id >= rows[0]) & (t.row_id < rows[1]))
    return condition


def data_span(dataset, inputs: _Inputs) -> tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]:
    """(first, last, end) of the data the view `dataset` is seen as part of (DESIGN.md section 4), by which its
    default period is placed and a checkout's window is judged: `end` the end of the data (views.data_end: under a
    segment, channel or device filter the last event of the loaded data, not the view's own; under a date filter the
    range's end, the midnight after its end date, when the data goes on after it), `last` the last instant seen (just
    before `end` when the range cut the data there, so the period ends at that midnight), `first` the data's first
    event (a segment's or a channel's tiles compare the same periods as the data's). The dataset's own first and last
    event (`inputs`) when no filter selected customers, events of some channels or devices, or cut the data at an end
    date."""
    if end_source(dataset) is dataset and range_end_of(dataset) is None:
        return pd.Timestamp(inputs.first), pd.Timestamp(inputs.last), pd.Timestamp(inputs.last)
    first, end = data_span_of(dataset)
    if end is None:  # the data the view was cut from has no dated event either
        return pd.Timestamp(inputs.first), pd.Timestamp(inputs.last), pd.Timestamp(inputs.last)
    return first, last_seen(dataset, end), end


def compute_kpis(dataset, *, period=None, previous=None, window_seconds: int = 604800,
                 params: KpiParams | None = None) -> pd.DataFrame:
    """One row per KPI: name, label, value, previous, change, unit, available, needs, display, change_display,
    period and previous_period (the periods compared, as text: "2 Mar 2024 – 31 Mar 2024"; "all data"
    for the whole data; previous_period "" when nothing is compared).

    dataset: the Dataset (or a view of it); its stage model says whether a "conversion" stage exists.

    period: None (the last 30 days of the data, see module doc), "all" (the whole data, no comparison
    unless `previous` is given) or a (start, end) pair, start included, end excluded. previous: None
    (the period of the same length just before `period`) or a (start, end) pair.

    params: the Overview's choice (cjm.journey.kpi_period.KpiParams), used when `period` is None: the last 30 days,
    90 days or 12 months of the data against the same length before (the two halves of the data when it covers
    less than two such periods), or all data.
    """
    window_seconds = check_window(window_seconds)
    events = dataset.events
    inputs = _Inputs(events, tuple(dataset.stages), anonymous=_anonymous(dataset), counts=dataset.event_counts,
                     flagged=flagged(dataset), whole=loaded_events(dataset), review_rows=_review_rows(dataset),
                     tz=dates_clock(dataset).tz)  # an order id's days are the data's time zone's (journey.orders)
    undated = pd.isna(inputs.first)
    if undated and inputs.rows == 0:
        raise ParameterError("The events table is empty: there is nothing to compute KPIs on.")
    first, last, end = (None, None, None) if undated else data_span(dataset, inputs)
    tz = None if undated else dates_clock(dataset).tz  # the periods are on the days of the data's time zone
    if undated:  # rows but no dates (e.g. anonymous sessions): the whole data, nothing to compare with
        current, before = None, None
    elif period is None and params is not None and params.length is None:
        current, before = None, None
    elif period is None:  # the last N days of the data the view is part of (the same for every segment)
        current, before = default_periods(first, last, length=params.length if params is not None else None, tz=tz)
    elif isinstance(period, str) and period == "all":
        current, before = None, None
    else:
        current = parse_period(period, "period", tz)
        before = (current[0] - (current[1] - current[0]), current[0])
    if previous is not None:
        before = parse_period(previous, "previous", tz)

    needs = inputs.needs()
    if undated:
        current_text = "all data (it has no dates)"
    elif current is None:
        first_day, last_day = pd.Timestamp(inputs.first).floor("D"), pd.Timestamp(inputs.last).floor("D")
        if _zoned(tz):  # the data's first and last dates in its time zone
            first_day, last_day = wall(inputs.first, tz).floor("D"), wall(inputs.last, tz).floor("D")
        current_text = f"all data ({period_text((first_day, last_day + pd.Timedelta(days=1)))})"
    else:
        current_text = period_text(current, tz)
    previous_text = period_text(before, tz)
    value = _values(events if current is None else within_period(events, current), inputs, needs, window_seconds,
                    current, end)
    prior = _values(within_period(events, before), inputs, needs, window_seconds, before, end) if before else {}
    rows = []
    for name, (label, unit) in KPIS.items():
        available = needs[name] is None
        v = value.get(name, math.nan) if available else math.nan
        p = prior.get(name, math.nan) if available else math.nan
        change = v - p
        if unit == "money" and dataset.currency:
            label = f"{label} ({dataset.currency})"
        if name == "checkout_abandonment" and inputs.checkout_start == "cart":
            label = CART_ABANDONMENT
        rows.append({
            "name": name, "label": label, "value": v, "previous": p, "change": change, "unit": unit,
            "available": available, "needs": needs[name], "display": format_value(v, unit) if available else NO_VALUE,
            "change_display": format_change(change, unit),
            "period": current_text, "previous_period": previous_text,
        })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["needs"] = pd.Series([r["needs"] for r in rows], dtype=object)  # None (not NaN) when available
    return frame
