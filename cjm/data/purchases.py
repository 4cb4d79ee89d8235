"""Which events are purchases by their name (the repeat-purchase rate, checkout abandonment: DESIGN.md section 4),
and a wide order export's one purchase per order.

A wide export of orders (one row per order, a date column per step) can date one order with several columns named
for a purchase: WooCommerce's 'Order Date' and 'Order Completed Date', a shop's 'Checkout Completed Date' beside its
'Order Date'. Each would be a purchase event, so every order would be two purchases and every buyer a repeat buyer.
`one_purchase_per_record` keeps one of them a purchase per order; the others are steps of it, named
'<name> (same purchase)' (STEP_OF_PURCHASE), which is no purchase and no checkout.

May import: cjm.data.columns, cjm.data.stages.
"""

from __future__ import annotations

import pandas as pd

from cjm.data.columns import normalise
from cjm.data.stages import in_english

PURCHASE_NAMES = frozenset({
    "purchase", "purchased", "order", "order_completed", "order_complete", "order_placed",
    "repeat_purchase", "checkout_completed", "checkout_complete", "sale", "sold",
})
STEP_OF_PURCHASE = " (same purchase)"


def is_purchase_name(name: str) -> bool:
    """purchase / order_completed / order (any case or spacing) and close variants, also when written in
    another language the stage mapping reads ("Kauf", "achat", "compra", "購入")."""
    norm = normalise(name)
    return norm in PURCHASE_NAMES or in_english(norm)[0] in PURCHASE_NAMES


def is_step_of_a_purchase(name: str) -> bool:
    """An event one_purchase_per_record made a step of its order's purchase ('order completed (same purchase)')."""
    return str(name).endswith(STEP_OF_PURCHASE)


def one_purchase_per_record(names: dict[str, str], stamps: dict[str, pd.Series]) -> tuple[str, dict[str, pd.Series]]:
    """(the purchase column, per purchase-named column: on which records its event is the purchase), or ("", {})
    when fewer than two of the wide export's date columns are named for a purchase. `names`: date column -> its
    event's name, in the file's order; `stamps`: date column -> the records' dates (missing: not filled).

    The purchase column is the one whose date is the order's first among them (when it was placed) on the most
    orders, a tie in time or in count going to the column first in the file. An order without a date in it has
    its purchase on the first of the others filled, in the file's order; every other purchase-named date of an
    order is a step of that purchase."""
    named = [c for c in names if is_purchase_name(names[c])]
    if len(named) < 2:
        return "", {}
    dates = pd.DataFrame({c: stamps[c] for c in named})
    filled = dates.notna()
    winners = dates.loc[filled.any(axis=1)].idxmin(axis=1)  # NaT skipped; a tie: the first column
    counts = winners.value_counts().reindex(named, fill_value=0)
    purchase = named[int(counts.to_numpy().argmax())]
    order = [purchase] + [c for c in named if c != purchase]
    taken = pd.Series(False, index=dates.index)
    chosen = {}
    for column in order:
        chosen[column] = filled[column] & ~taken
        taken |= filled[column]
    return purchase, chosen
