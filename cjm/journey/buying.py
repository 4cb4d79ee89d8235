"""Who bought and who converted: the one rule of the Overview's KPIs (cjm.journey.kpis: the conversion rate, the
repeat-purchase rate) and of the customers' features (cjm.customers.features: converted and purchases, so the
segments, personas and RFM).

Which events are purchases and whether conversions are told by the stage are read on the whole loaded data, its
event names and their stages (Dataset.event_counts, which a filtered view keeps): a filter never changes what a
purchase or a conversion is, and a view in which nobody reached the conversion stage reads an honest 0, not another
definition; so is whether any event has money (the money rule's purchases: `paid_anywhere`, on the loaded data's
events), so that a view in which nobody paid reads 0%, not a conversion rate that cannot be known; so too which
reversals name their purchase (a refund naming an order before a view from 10 March names it in the view as in the
period 10-20 March of the whole data: it undoes nothing there, never an unrelated order of its amount). Which rows
are one order and whether any money goes back are read on the dataset's events (a view's own, all its periods
alike).

- A purchase is an event named as one (cjm.data.purchases.is_purchase_name: purchase, order_completed, order, ...);
  when no event of the data is, an event with money (positive, in any currency: cjm.data.currencies.amount). A
  file whose yes / no column says which rows bought (`flagged`) names its purchases even when no row says yes.
- A customer converted with an event at the "conversion" stage that is no reversal (a cancellation mapped there
  converts nobody, as it lifts nobody to its stage: cjm.data.reversals.reversal_names); when the stage model has no
  such stage, or no event of the data is mapped to it, with a purchase (above). When the data has neither, conversion
  is not known (NO_CONVERSION), never 0%; when every event is a conversion or follows one and every customer converted
  (a purchases-only export: no visit or view before buying: every event a purchase or, told by purchase, after the
  customer's first one, such as a delivery; `before_conversion`), it is not shown either (ONLY_CONVERSIONS), never
  100%. A customer whose events all sit after the conversion stage without reaching it (a prospect's support ticket,
  at retention) has not converted, and the rate is shown. Whether anyone shows themself before converting is read on
  the whole loaded data (`loaded_before_conversion`): a view of its buyers reads 100%, not "every event is a
  conversion".
- A customer's purchases are their orders (cjm.journey.orders: which purchase rows are one order, decided once on
  all the events' purchases) less those that reversals undo (cancelled or fully refunded: cjm.journey.undone, a
  reversal naming its purchase matched by cjm.journey.references, read on the whole loaded data).
"""

from __future__ import annotations

import functools

import ibis
import pandas as pd

from cjm import engine
from cjm.data import currencies
from cjm.data.purchases import PURCHASE_EVENT, is_purchase_name
from cjm.data.reversals import reversal_names
from cjm.journey import references, undone
from cjm.data.clock import dates_clock
from cjm.journey.orders import MOMENTS, ORDER, Orders, candidate_columns, find_orders

CONVERSION_STAGE = "conversion"
# What the conversion rate needs when no event of the data is a conversion or a purchase (a survey, reviews): the
# Overview says it under the KPI tiles, and the segments say the same instead of a conversion of 0% in each.
CONVERSION_NEEDS = 'events mapped to the "conversion" stage (e.g. purchase or order_completed)'
NO_CONVERSION = f"Conversion rate needs {CONVERSION_NEEDS}"
# What it needs when every event is a conversion or follows one (a purchases-only export): 100% would say nothing.
BEFORE_CONVERSION_NEEDS = ("events before the conversion (visits, views, leads): every event in this data is a "
                           "conversion or follows one, so every customer would count as converted")
ONLY_CONVERSIONS = f"Conversion rate needs {BEFORE_CONVERSION_NEEDS}"


def loaded_events(dataset):
    """The events of the data as loaded when `dataset` is a view of it (cjm.data.views: filtered, with segments), else
    None (its own events are the whole data's: also a copy of them in a table, views.materialized, which keeps the
    key; the report's rules need not be read twice on the same events)."""
    root = dataset
    while getattr(root, "base", None) is not None:
        root = root.base
    return None if root is dataset or root.key == dataset.key else root.events


def flagged(dataset) -> bool:
    """Whether a file of the dataset says in a yes / no column which rows bought (ColumnMapping.purchase_flag, used:
    cjm.data.purchases): its purchases are 'purchase' events, so a column saying no on every row is 0 buyers, an
    honest 0%, not a conversion rate that cannot be known."""
    return any(f.role != "customers" and f.mapping is not None and f.mapping.purchase_flag
               and "event" not in f.mapping.columns and f.mapping.shape != "wide"
               for f in getattr(dataset, "files", ()))


class Buying:
    """The rule above for a dataset's `events` and stage model `stages`; `counts`: the loaded data's event names and
    stages (event, stage: Dataset.event_counts), read from `events` when None."""

    def __init__(self, events, stages, counts: pd.DataFrame | None = None, *, flagged: bool = False, whole=None,
                 tz="UTC"):
        """`whole`: the loaded data's events when `events` are a view's (a filter, a segment), so that whether any
        event has money (the money rule's purchases) is read on the whole data, as the event names are. `tz`: the
        time zone whose days the data's dates are (cjm.data.clock.dates_clock), by which an order id's days are told
        (cjm.journey.orders)."""
        self.tz = tz
        if counts is None:
            counts = engine.execute(events.select("event", "stage").distinct())
        self.events, self.stages, self._money, self.whole = events, tuple(stages), None, whole
        self.purchase = sorted({str(e) for e in counts["event"].dropna() if is_purchase_name(str(e))}
                               | ({PURCHASE_EVENT} if flagged else set()))
        self.by_stage = CONVERSION_STAGE in tuple(stages) and bool(
            (counts["stage"].astype("string") == CONVERSION_STAGE).fillna(False).any())
        # a cancellation, return or refund mapped to the conversion stage converts nobody: it lifts nobody to its
        # stage (cjm.data.reversals.reversal_names, as the stage reach and the furthest stage read it)
        at_conversion = (counts["stage"].astype("string") == CONVERSION_STAGE).fillna(False).to_numpy(bool)
        self.reversals = reversal_names(counts.loc[at_conversion, "event"].dropna()) if self.by_stage else []

    @classmethod
    def of(cls, dataset) -> "Buying":
        return cls(dataset.events, dataset.stages, dataset.event_counts, flagged=flagged(dataset),
                   whole=loaded_events(dataset), tz=dates_clock(dataset).tz)

    def knowing(self, paid: int, back: int) -> "Buying":
        """This rule, told the events' rows with money and rows of negative money (counted already: no query)."""
        self._money = (int(paid), int(back))
        return self

    @property
    def money(self) -> tuple[int, int]:
        """(rows with money, rows of negative money) of the events (one query, unless told)."""
        if self._money is None:
            t = self.events
            row = engine.execute(t.aggregate(paid=t.count(where=currencies.amount(t) > 0),
                                             back=t.count(where=currencies.amount(t) < 0))).iloc[0]
            self._money = (int(row["paid"]), int(row["back"]))
        return self._money

    @functools.cached_property
    def paid_anywhere(self) -> bool:
        """Whether an event of the loaded data has money (positive, any currency): with no event named as a purchase,
        whether purchases can be told at all. Read on the whole data (`whole`), so that a view in which nobody paid
        reads an honest 0%, not a conversion rate that cannot be known."""
        if self.whole is None:
            return bool(self.money[0])
        t = self.whole
        return bool(engine.execute(t.aggregate(n=t.count(where=currencies.amount(t) > 0))).iloc[0]["n"])

    @property
    def conversion(self) -> str | None:
        """How a conversion is told: "stage", "purchase", or None when it cannot be (no conversion, no purchase), read
        on the whole loaded data."""
        if self.by_stage:
            return "stage"
        return "purchase" if self.purchase or self.paid_anywhere else None

    def bought(self, t):
        """On the rows of `t` (events): whether the row is a purchase."""
        return t.event.isin(self.purchase) if self.purchase else currencies.amount(t) > 0

    def paying(self, t):
        """(t with every payment's money as revenue, the purchases among its rows)."""
        paying = t.mutate(revenue=currencies.amount(t))  # a payment in a currency revenue leaves out is a purchase
        return paying, self.bought(paying)

    def before_conversion(self, t):
        """An Ibis aggregate of the rows of `t` (events), read per customer (in an aggregate grouped by customer_id):
        more than 0 when the customer shows themself before converting, 0 when every event of theirs is a conversion
        or follows one and they converted. By the stage: the count of their events at a stage before the conversion
        stage, or unmapped, plus one when they never convert (a prospect whose only events are a support ticket and
        its follow-ups, at retention: not converted, so the rate says something). By purchase: the count of their
        events that are no purchase, when one of them is at or before their first purchase (a tie, or an undated one,
        counts as before: which came first cannot be told), or they never bought; else 0 (the deliveries, reviews and
        refunds after a first purchase show nobody before buying). Read on all rows at once (no grouping), the stage
        count adds the customers who never convert."""
        if self.conversion == "stage":
            never = t.customer_id.nunique() - t.customer_id.nunique(where=self.converts(t))
            return t.count(where=t.stage_index < self.stages.index(CONVERSION_STAGE)) + never
        bought = self.bought(t).fill_null(False)
        first_buy, first_other = t.timestamp.min(where=bought), t.timestamp.min(where=~bought)
        shows = (first_buy.isnull() | (first_other <= first_buy).fill_null(False)
                 | (t.count(where=~bought & t.timestamp.isnull()) > 0))
        return ibis.ifelse(shows, t.count(where=~bought), 0)

    def rows_before_conversion(self, t):
        """An Ibis count of the rows of `t` (events) that may show a customer before converting, read on all the rows
        at once (no grouping): by the stage the events before the conversion stage or unmapped; by purchase every
        event that is no purchase (more than 0: by the stage, someone shows themself before converting; by purchase,
        `anyone_before_conversion` tells whether one comes before a purchase; 0: it tells whether everyone converted)."""
        if self.conversion == "stage":
            return t.count(where=t.stage_index < self.stages.index(CONVERSION_STAGE))
        return t.count(where=~self.bought(t).fill_null(False))

    def anyone_before_conversion(self, t, rows: int | None = None) -> bool:
        """Whether a customer of the events `t` shows themself before converting (`before_conversion`): False means
        every event is a conversion or follows one (a purchases-only export, or one of purchases and what follows
        them: deliveries, reviews), and the conversion rate is not shown. `rows`: `rows_before_conversion(t)`, counted
        already (no query when it settles the answer). One query: an aggregate per customer, then their count."""
        if rows is None:
            rows = int(engine.execute(t.aggregate(n=self.rows_before_conversion(t))).iloc[0]["n"])
        if self.conversion == "stage":
            if rows:
                return True
            # every event at the conversion stage or after it: someone shows before converting only by never doing so
            return bool(engine.execute(t.aggregate(n=self.before_conversion(t))).iloc[0]["n"])
        if not rows:
            return False
        per = t.group_by("customer_id").aggregate(n=self.before_conversion(t))
        return bool(engine.execute(per.aggregate(n=per.count(where=per.n > 0))).iloc[0]["n"])

    @functools.cached_property
    def loaded_before_conversion(self) -> bool | None:
        """For a view (`whole`: the loaded data's events), whether a customer of the loaded data shows themself before
        converting (`anyone_before_conversion` on it): a filter never hides the conversion rate of data that has
        visits or prospects, so a view in which every customer converted reads an honest 100% (the web channel's
        buyers beside the e-mail channel's browsers), as one in which nobody did reads 0%. None for the loaded data
        itself (its own events answer)."""
        return None if self.whole is None or self.conversion is None else self.anyone_before_conversion(self.whole)

    def converts(self, t):
        """On the rows of `t` (events): whether the row is a conversion (false on every row when none can be)."""
        if self.conversion == "stage":
            if self.reversals:
                return (t.stage == CONVERSION_STAGE) & ~t.event.isin(self.reversals).fill_null(False)
            return t.stage == CONVERSION_STAGE
        return self.bought(t) if self.conversion else t.row_id.isnull()  # isnull: false on every row, as a column

    @functools.cached_property
    def orders(self) -> Orders:
        """Which purchase rows are one order, read on all the events' purchases (cjm.journey.orders); decided once in
        a shared scope (the report), whoever asks first."""
        if not candidate_columns(self.events.columns):  # no column named as an order's id: by moment, no query
            return MOMENTS
        paying, bought = self.paying(self.events)
        return engine.remember(("cjm.journey.buying.orders", paying.filter(bought), str(self.tz)),
                               lambda: find_orders(paying, bought, tz=self.tz))

    @property
    def loaded(self):
        """The events of the whole loaded data (`whole` for a view, else the events)."""
        return self.events if self.whole is None else self.whole

    @functools.cached_property
    def reference(self) -> tuple[str, str] | None:
        """The columns by which reversals name the purchase they take back, read on the whole loaded data (`loaded`:
        a view reads a refund naming an order outside it as the whole data does); none when no column is named like
        an order, invoice or charge id, or no money goes back among the events."""
        return references.find_reference(*self.paying(self.loaded)) if self.money[1] else None

    def purchases(self, t):
        """(customer_id, purchases): the purchases (orders kept) of each buyer among the events `t`."""
        paying, bought = self.paying(t)
        if not self.money[1]:  # nothing goes back: every order is kept
            lines = self.orders.keyed(paying.filter(bought)).select("customer_id", ORDER).distinct()
            return lines.group_by("customer_id").aggregate(purchases=lines.count())
        kept = undone.purchases_kept(paying, bought, self.reference, self.paying(self.loaded), self.orders)
        return kept.select("customer_id", purchases=kept.n - kept.undone)
