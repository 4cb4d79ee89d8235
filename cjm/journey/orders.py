"""Which purchase rows are one order (the average order value and the repeat-purchase rate of cjm.journey.kpis,
the purchases of cjm.customers.features, the purchases cjm.journey.undone undoes).

An order is one moment of one customer: the line items of an order share customer and time (DESIGN.md section 3).
When the events carry a column of order ids (an extra column named as a purchase's id, cjm.data.returns
.purchase_id_column: "Order ID", "order_id", "InvoiceNo", "Invoice Number", "charge_id"; or Shopify's "Name"), an order is one id of one
customer instead: two orders of one buyer dated by the day only (Etsy's sold orders: 'Sale Date' without a time,
each row its own 'Order ID') are two orders, and the line items of an order, which share its id, stay one. Without
such a column the moment rule stays as it was.

The column must really name orders, read on the purchase rows of the whole data (so every period reads it alike):
- filled on at least half of them (as a refund's charge column must be, cjm.data.refund_exports.charge_column);
- an id on several customers names no order: which customer's it is cannot be told (as a second id of several
  customers joins none of them, cjm.data.joins.second_key). When more than PAIRED_ROWS (30%) of the filled purchase
  rows carry such ids the column is no order id at all (a customer's order number 1, 2, 3, a payment method's
  code).
- ids one per customer name no orders: a column holding one id per customer (a subscription's id or an account
  number in an "order_id" column) would make each customer's purchases one order. When more of its customers hold
  ONE id on purchases of one event name dated on two or more days (the days of the data's time zone,
  cjm.data.clock.dates_clock: UTC's when it names none or its events are on several clocks) and at least
  returns.ID_SPAN_HOURS (12) hours apart than hold two ids or more (counting only ids of one customer), the column is
  no order id. A real order column is kept: a customer who bought once holds one id on one day, a repeat buyer two
  ids; the lines of an order crossing a minute are on one day, or, crossing midnight (23:59 and 00:01), minutes apart;
  a wide export's ordered and paid dates of one order are two event names.
- Shopify's "Name" ("#1001") is an order id column when every filled id of it there is "#" and digits (a column
  "Name" of people's names never is).
The first column that passes (those named for an order first, then in column order: Etsy's per-item 'Transaction ID'
comes after its 'Order ID') is the orders' column. A purchase row without an id there (empty, a missing-value token
such as "N/A", or an id of several customers) is part of the order of the customer's rows with an id at its moment
(an export writing an order's fields on its first line only, as Shopify does: its other lines are the same order;
with several ids there, the smallest); with none, it is the order of its moment, as without the column. An id
written at several moments of one customer is one order (a wide export's ordered and paid dates of one order).

Everything is Ibis (a window partitioned by customer and time, a plain left join), portable to PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd

from cjm import engine
from cjm.data import returns
from cjm.data.cells import MISSING_TOKENS
from cjm.data.columns import normalise
from cjm.data.joins import PAIRED_ROWS
from cjm.data.schema import CLOCK

ORDER = "order__"  # on a purchase row: its order, among the customer's (the moment itself without an id column)
FILLED = 0.5  # an order id column is filled on at least this share of the purchase rows
_SHARED = "shared_order_id__"
SHOPIFY_NAME = r"^#[0-9]+$"  # Shopify's order name: "#1001"


def order_id(column):
    """The order id of a cell: trimmed text, none when empty or a missing-value token ("N/A", "null", "-")."""
    text = engine.trimmed(column.cast("string"))
    return ibis.ifelse(text.lower().isin(sorted(MISSING_TOKENS)), ibis.null("string"), text)


class Orders:
    """How purchase rows make orders: by `column` (its ids; `shared`: a table of the ids on several customers,
    None when there are none) or, with no column, by moment."""

    def __init__(self, column: str | None = None, shared=None):
        self.column, self.shared = column, shared

    def keyed(self, rows):
        """`rows` (purchase rows: the key of a row without an id reads the others at its moment) with ORDER, the
        row's order among its customer's: the moment (its timestamp) without an id column; otherwise "i" and the
        order id, or "t" and the time for a moment without one (a string; null for an undated row without an id,
        as the moment of an undated row is null)."""
        if self.column is None:
            return rows.mutate(**{ORDER: rows.timestamp})
        columns = rows.columns
        rows = rows.mutate(**{ORDER: order_id(rows[self.column])})
        if self.shared is not None:  # an id of several customers names no order
            # (joined by the column: Ibis would read the id's expression as the shared table's own column of it)
            joined = rows.left_join(self.shared, rows[ORDER] == self.shared[_SHARED])
            rows = joined.select(*columns, **{ORDER: ibis.ifelse(joined[_SHARED].isnull(), joined[ORDER],
                                                                 ibis.null("string"))})
        at_moment = rows[ORDER].min().over(group_by=[rows.customer_id, rows.timestamp])
        return rows.mutate(**{ORDER: ibis.coalesce(ibis.literal("i") + rows[ORDER], ibis.literal("i") + at_moment,
                                                   ibis.literal("t") + rows.timestamp.cast("string"))})


MOMENTS = Orders()


# Words naming an order, in the languages shops write them: a column named so ("Order ID") is tried before one naming
# a transaction, invoice or charge, which may be each line's (Etsy's sold order items: a 'Transaction ID' per item,
# before the 'Order ID' its items share).
_ORDER_WORDS = {"order", "orderid", "pedido", "commande", "bestellung", "bestellnummer", "ordine", "заказ", "заказа"}


def candidate_columns(columns) -> list[str]:
    """The extra (non-canonical) columns named as a purchase's id, or Shopify's "Name": those named for an order
    first, each group in column order."""
    found = [c for c in columns if c not in engine.EVENT_SCHEMA and (returns.purchase_id_column(c) or _named(c))]
    return sorted(found, key=lambda c: not set(normalise(str(c)).split("_")) & _ORDER_WORDS)


def _named(column) -> bool:
    return normalise(str(column)) == "name"


def _day(rows, tz="UTC"):
    """The day of each row's time in `tz` (the data's time zone: cjm.data.clock.dates_clock), as a number (whatever
    the engine's session time zone): UTC's day moved by the zone's offset. A fixed offset moves every time alike; a
    zone moves each by its clock (schema.CLOCK: the zone's offset at that instant, summer time included, as the time
    was read; a time without one is at UTC's offset, as the zone's offsets equal to UTC's are not kept)."""
    seconds = rows.timestamp.epoch_seconds().cast("float64")
    if isinstance(tz, dt.tzinfo):
        offset = tz.utcoffset(None)
        seconds = seconds + (0 if offset is None else offset.total_seconds())
    elif str(tz) != "UTC" and CLOCK in rows.columns:
        seconds = seconds + rows[CLOCK].fill_null(0).cast("float64")
    return (seconds / 86400).floor()


def _counts(rows, column: str, k: int, tz="UTC"):
    """One row of what find_orders reads of candidate `column` (number `k`) on the purchase rows `rows`."""
    _ = ibis._
    ids = rows.select("customer_id", "event", "timestamp", id_=order_id(rows[column]), day=_day(rows, tz))
    known = ids.filter(ids.id_.notnull())
    per_id = known.group_by("id_").aggregate(owners=_.customer_id.nunique(), lines=_.count())
    shape = known.id_.re_search(SHOPIFY_NAME) if _named(column) else known.id_.notnull()
    filled = ids.aggregate(rows=_.count(), filled=_.id_.count()).cross_join(known.aggregate(shaped=_.count(
        where=shape)))
    shared = per_id.aggregate(shared_ids=per_id.count(where=per_id.owners > 1),
                              shared_rows=per_id.lines.sum(where=per_id.owners > 1))
    # ids one per customer: who holds one id on purchases of one name on several days, who holds several ids
    single = per_id.filter(per_id.owners == 1).select(own_id=per_id.id_)
    own = known.inner_join(single, known.id_ == single.own_id)
    seconds = own.timestamp.epoch_seconds().cast("float64")
    spans = own.group_by("customer_id", "id_", "event").aggregate(days=_.day.nunique(),
                                                                   span=seconds.max() - seconds.min())
    spans = spans.mutate(over=((spans.days > 1) & (spans.span >= returns.ID_SPAN_HOURS * 3600)).cast("int64"))
    held = spans.group_by("customer_id").aggregate(ids=_.id_.nunique(), over=_.over.max())
    per_customer = held.aggregate(several=held.count(where=held.ids > 1),
                                  one_over_days=held.count(where=(held.ids == 1) & (held.over > 0)))
    return filled.cross_join(shared).cross_join(per_customer).mutate(candidate=ibis.literal(k, "int64"))


def _names_orders(row) -> bool:
    """Whether a candidate's counts (a row of _counts) pass the module's rules (its shared ids aside)."""
    rows_n, filled_n = int(row.rows), int(row.filled)
    shared_rows = 0 if pd.isna(row.shared_rows) else int(row.shared_rows)  # no id: the sum is null
    return bool(filled_n) and filled_n >= FILLED * rows_n and shared_rows <= PAIRED_ROWS * filled_n \
        and int(row.shaped) == filled_n and not int(row.one_over_days) > int(row.several)


def find_orders(events, bought, *, tz="UTC") -> Orders:
    """The Orders of `events` (the whole data) whose rows `bought` are its purchases: by the first extra column named
    as a purchase's id that names orders (see the module's rules), else by moment. `tz`: the time zone whose days the
    data's dates are (cjm.data.clock.dates_clock). One query for all the candidates."""
    candidates = candidate_columns(events.columns)
    if not candidates:
        return MOMENTS
    rows = events.filter(bought)
    counts = [_counts(rows, column, k, tz) for k, column in enumerate(candidates)]
    found = engine.execute(ibis.union(*counts) if len(counts) > 1 else counts[0]).sort_values("candidate")
    for row in found.itertuples(index=False):
        if not _names_orders(row):
            continue
        column = candidates[int(row.candidate)]
        if not int(row.shared_ids):
            return Orders(column)
        ids = rows.select("customer_id", id_=order_id(rows[column]))
        shared = (ids.filter(ids.id_.notnull()).group_by("id_").aggregate(owners=ibis._.customer_id.nunique())
                  .filter(ibis._.owners > 1).select(**{_SHARED: ibis._.id_}))
        return Orders(column, shared)
    return MOMENTS
