"""Purchases that reversals undo: a cancelled or fully refunded order is no purchase (the repeat-purchase rate
and the average order value of cjm.journey.kpis).

A purchase is an order of `bought` events of one customer (cjm.journey.orders: a distinct moment, or, when the
events carry a column of order ids, a distinct order id: two orders of one day are two), its amount the sum of their
money (to the cent), its time the order's first. A reversal is a moment of negative revenue of the customer, its
amount what it takes back (its own id, a cancellation invoice's "C536379", names no purchase: references below do).
A purchase is undone (a cancelled or fully refunded order) by either rule:

- whole: a later reversal of exactly its amount (one C-invoice cancelling a whole Online Retail invoice, a
  Stripe refund of the whole charge). Each such reversal undoes one purchase of its amount, any time after the
  customer's first purchase of that amount, or at its moment (an order refunded on its own date in an export of
  dates only; the money rule of the average order value counts it too, at or after the payment), unless a purchase
  row is among the moment's reversals (a discount line of -10 in an order of 10 + 10 is part of its order, netted
  into its amount, not its refund).
- in parts: the reversals that match no earlier purchase's amount (parts of orders: one line of an invoice, 15 of
  an order of 30) are added up in time order. Cut the customer's money moments into blocks: the purchases in a
  row, then the part reversals before the next purchase (a reversal at the moment of a purchase counts before
  it; purchases at one time, two orders of one day, come the smaller amount first). The oldest purchases of a
  block, or its newest, are undone when their amounts add up exactly to the running total of the first reversals
  after them: 30 refunded 15 + 15, two orders of 30 refunded 15 four times, 20 and 30 refunded as one 50. The end
  that undoes more orders wins (the oldest on a tie), so the money undone is never more than the reversals took
  back and no reversal is used twice.

A reversal that names the purchase it takes back (`reference`: cjm.journey.references, a charge id, an order or
invoice number) is matched by that name instead: the purchase is undone when the reversals naming it add up to
exactly its amount (40 back as 20 + 20, whatever came between), and a partial refund naming one purchase undoes
no other. Whether a reversal names a purchase is read on the whole data (`whole`: the (t, bought) of every
period; `t`'s own by default): a refund in this period naming a charge of an earlier one undoes nothing here
(its purchase is outside the period), and never an unrelated purchase of its amount. The two rules above decide only
the reversals that name no purchase of the customer anywhere (no reference, or one that matches none) and the
purchases no reversal names anywhere.

A refund that never adds up to a whole order (30 with 10 + 10 back) undoes none. Limits, all on the side of
keeping a purchase: parts interrupted by a new purchase (15 back, a new order, 15 back), parts of a block's
middle order, or parts mixed with a reversal of an earlier purchase's exact amount (that one is read as whole)
undo nothing; a purchase undone by both rules counts once (per customer and amount, at most as many undone
as were placed). A reversal matching the amount of an unrelated order (a discount line of -5 beside an earlier
order of 5) undoes it: amounts and times alone cannot tell (its order's number, when the data has one, can); so
does a negative line at an order's moment that takes back its whole amount (an item of 10 with a discount of -10):
an order whose money nets to nothing at its moment is no order, as a purchase whose rows add up to 0 is none.
"""

from __future__ import annotations

import ibis

from cjm.journey import orders as order_keys
from cjm.journey import references
from cjm.journey.orders import ORDER

LINE = "purchase_line__"  # whether a row is a purchase (a negative one: a line of its order, not a reversal of it)


def purchases_kept(t, bought, reference=None, whole=None, orders=None):
    """(customer_id, n, undone): each buyer's purchases (orders; those without a time or order id are one) and how
    many of them reversals undo, by the rules of this module (the repeat-purchase rate's purchases, the average order
    value's orders). `orders` (cjm.journey.orders.Orders, by moment by default) says which purchase rows are one
    order."""
    _ = ibis._
    keyed = (orders or order_keys.MOMENTS).keyed
    t = t.mutate(**{LINE: bought})  # carried by the reversals: a negative purchase row is a line of its order
    bought = t[LINE]
    if reference is None:
        purchases, reversals, by_name = keyed(t.filter(bought)), t.filter(t.revenue < 0), None
    else:
        purchases, reversals, by_name = references.split_by_reference(t, bought, reference, whole, keyed)
    undone = _undone_by_amount(purchases, reversals)
    if by_name is not None:  # orders apart from the amount rule's: the two never undo one purchase twice
        undone = (undone.select("customer_id", undone=undone.undone.cast("int64"))
                  .union(by_name.select("customer_id", undone=by_name.by_name.cast("int64")), distinct=False)
                  .group_by("customer_id").aggregate(undone=_.undone.sum()))
    lines = keyed(t.filter(bought))
    # purchases without a time and without an order id (a null order) are one more, as their lines cannot be told apart
    p = lines.group_by("customer_id").aggregate(n=lines[ORDER].nunique() + ibis.ifelse(lines[ORDER].isnull().any(),
                                                                                        1, 0))
    return p.left_join(undone, "customer_id").select(p.customer_id, undone=ibis.coalesce(_.undone, 0), n=p.n)


def _undone_by_amount(purchases, reversals):
    """(customer_id, undone): how many purchases (orders: the rows `purchases` keyed by their ORDER) the rows of
    negative revenue `reversals` undo by amount and time (the whole and in-parts rules above). A purchase's time is
    its order's first. Their column LINE says which rows are purchases (a negative one is a line of its order, a
    discount)."""
    _ = ibis._
    moments = (purchases.group_by("customer_id", ORDER)
               .aggregate(timestamp=_.timestamp.min(), amount=_.revenue.sum().round(2)))
    # `line`: the moment holds a purchase's own negative line (10 + 10 - 10 of one order), netted into its order
    backs = (reversals.group_by("customer_id", "timestamp")
             .aggregate(amount=(-_.revenue.sum()).round(2), line=_[LINE].fill_null(False).any()))
    placed = moments.filter(moments.amount > 0)
    paid = placed.group_by("customer_id", "amount").aggregate(placed=_.count(), first=_.timestamp.min())

    def after(first):  # after the first purchase of its amount, or at its moment when no line of a purchase
        return (backs.timestamp > first) | ((backs.timestamp == first) & ~backs.line)

    after_paid = [paid.customer_id == backs.customer_id, paid.amount == backs.amount, after(paid.first)]
    whole = (paid.join(backs, after_paid).group_by("customer_id", "amount")
             .aggregate(taken_back=_.count()))
    # the reversals no whole rule matches (a left join: PostgreSQL has no ANTI JOIN, and Ibis writes one here)
    seen = paid.select(seen_customer=paid.customer_id, seen_amount=paid.amount, seen_first=paid.first)
    unmatched = backs.left_join(seen, [backs.customer_id == seen.seen_customer, backs.amount == seen.seen_amount,
                                       after(seen.seen_first)])
    parts = _undone_in_parts(placed, unmatched.filter(unmatched.seen_customer.isnull())
                             .select("customer_id", "timestamp", "amount"))
    key = ["customer_id", "amount"]
    per_amount = (paid.left_join(whole, key).select(*key, "placed", taken_back=_.taken_back)
                  .left_join(parts, key).select(*key, "placed", "taken_back", in_parts=_.in_parts))
    # a purchase undone by both rules counts once: never more undone than placed
    return per_amount.group_by("customer_id").aggregate(undone=ibis.least(
        per_amount.placed, per_amount.taken_back.fill_null(0) + per_amount.in_parts.fill_null(0)).sum())


def _undone_in_parts(placed, parts):
    """(customer_id, amount, in_parts): how many purchases of each amount the part reversals `parts` undo, by the
    block rule above. Amounts are added in whole cents, so every sum is exact."""
    _ = ibis._

    def in_cents(table, kind: int):  # kind 0: a reversal, 1: a purchase
        return table.select("customer_id", "timestamp", "amount", kind=ibis.literal(kind, "int8"),
                            cents=(table.amount * 100).round().cast("int64"))

    # the customer's money moments in time order, a reversal first at the moment of a purchase; a block starts at
    # each purchase that follows a reversal (or nothing) and holds the reversals up to the next such purchase
    placed = placed.inner_join(parts.select("customer_id").distinct(), "customer_id")  # customers with part reversals
    line = in_cents(parts, 0).union(in_cents(placed, 1))
    # orders at one time (two orders of one day) in the order of their amounts: every sum is the same each run
    by_time = {"group_by": "customer_id", "order_by": ["timestamp", "kind", "cents"]}
    starts = (_.kind == 1) & (_.kind.lag().over(ibis.window(**by_time)).fill_null(0) == 0)
    line = line.mutate(starts=ibis.ifelse(starts, 1, 0)).mutate(
        block=_.starts.sum().over(ibis.cumulative_window(**by_time)))
    block = ["customer_id", "block"]
    in_time = ibis.cumulative_window(group_by=block, order_by=["timestamp", "cents"])
    everything = ibis.window(group_by=block)
    run = line.filter((_.kind == 0) & (_.block > 0))  # reversals before the customer's first purchase undo nothing
    run = run.select(*block, total=_.cents.sum().over(in_time))
    # each purchase of a block: the oldest `rank` purchases add up to `upto`; the newest `size - rank + 1` (it and
    # those after it) to `since`
    bought = line.filter(_.kind == 1).mutate(rank=ibis.row_number().over(in_time) + 1,
                                             upto=_.cents.sum().over(in_time), size=_.cents.count().over(everything),
                                             since=_.cents.sum().over(everything) - _.cents.sum().over(in_time)
                                             + _.cents)
    met = [bought.customer_id == run.customer_id, bought.block == run.block]
    # inner joins, not semi joins (PostgreSQL has none): a repeated match changes no maximum
    oldest = (bought.inner_join(run, met + [bought.upto == run.total]).select(*block, "rank")
              .group_by(block).aggregate(oldest=_.rank.max()))
    newest = (bought.inner_join(run, met + [bought.since == run.total]).select(*block, "rank", "size")
              .group_by(block).aggregate(newest=(_.size - _.rank + 1).max()))
    bought = (bought.left_join(oldest, block).select(bought, oldest=_.oldest.fill_null(0))
              .left_join(newest, block).select(*bought.columns, "oldest", newest=_.newest.fill_null(0)))
    undone = ibis.ifelse(bought.oldest >= bought.newest, bought.rank <= bought.oldest,
                         bought.rank > bought.size - bought.newest)
    return bought.filter(undone).group_by("customer_id", "amount").aggregate(in_parts=_.count())
