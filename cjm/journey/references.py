"""Reversals that name the purchase they take back (the repeat-purchase rate of cjm.journey.kpis).

A refund row of Stripe's balance report carries its charge's id (charge_id, the charge's own column); a Chargebee
credit note its invoice ("Reference Invoice Number" beside the invoices' "Invoice Number"); a discount line of an
order its order's number. Such a reversal is matched to its purchase by that reference, never by amount: a purchase
is undone when the reversals naming it add up to exactly its amount, in cents (40 refunded 20 + 20), whatever else
happened in between; a partial refund naming one purchase undoes no other.

The reference is a pair of extra columns (reference_candidates): the purchases' id, one named like an order, invoice,
charge, payment or transaction id ("charge_id", "Invoice Number", "InvoiceNo", "order_id"), and the reversals'
reference to it, that same column or one named like it with a reference word ("Reference Invoice Number", "Original
Order ID"). A column named just "id" is too generic to be a purchase's id by its name: it is one only paired with a
reversal column named for a document (Stripe's charges export has the charge's id in "id", its refunds name it in
"Charge ID" or "charge"), when the values match. find_reference keeps the pair whose reversal rows name a purchase
of the same customer most often, a pair by names before a generic one (none when no reversal names one: Online
Retail's "C536379" names no invoice of its own).

Everything is Ibis (plain inner and left joins, as PostgreSQL has no semi or anti join).
"""

from __future__ import annotations

import ibis

from cjm import engine
from cjm.data import returns
from cjm.data.columns import normalise
from cjm.data.reversals import DOCUMENT_WORDS, ID_WORDS, REFERENCE_WORDS
from cjm.journey import orders
from cjm.journey.orders import ORDER

PURCHASE_ID = "purchase_reference__"  # the purchase row's id, the reversal row's reference (cleaned text)
NAMES = "names_purchase__"
BOUGHT = "bought__"


def _words(column: str) -> set[str]:
    return set(normalise(column).split("_"))


def generic_id_column(column: str) -> bool:
    """A column named just "id" (Stripe's charges export: "ch_..."): too generic to name a purchase by its name."""
    return normalise(column) == "id"


def document_reference_column(column: str) -> bool:
    """A column named for the document a row names, with at most id and reference words: "Charge ID", "charge",
    "Original Order ID", "Reference Invoice Number"."""
    words = _words(column)
    return bool(words & DOCUMENT_WORDS and not words - DOCUMENT_WORDS - ID_WORDS - REFERENCE_WORDS)


def reference_candidates(columns) -> list[tuple[str, str]]:
    """(purchase id column, reversal reference column) pairs by their names, among extra (non-canonical) columns;
    then the generic pairs: a column named just "id" as the purchases' id, paired with each column named for a
    document as the reversals' reference (Stripe's refunds name their charge's "id" in "Charge ID" or "charge")."""
    extra = [c for c in columns if c not in engine.EVENT_SCHEMA]
    pairs = []
    for own in (c for c in extra if returns.purchase_id_column(c)):
        document = _words(own) - ID_WORDS
        pairs.append((own, own))
        pairs += [(own, c) for c in extra if c != own and _words(c) & REFERENCE_WORDS
                  and _words(c) - REFERENCE_WORDS - ID_WORDS == document]
    for own in (c for c in extra if generic_id_column(c)):
        pairs += [(own, c) for c in extra if document_reference_column(c)]
    return pairs


def cleaned(column):
    text = engine.trimmed(column.cast("string"))
    return ibis.ifelse(text == "", ibis.null("string"), text)


def find_reference(t, bought) -> tuple[str, str] | None:
    """The (purchase id, reversal reference) pair of columns by which reversals of `t` (negative revenue) name a
    purchase (`bought` rows with money) of the same customer most often; None when no pair names one. A pair by
    names comes first: the generic "id" is the purchases' id only when no such pair names a purchase (a row id
    1, 2, 3 beside an order_id could meet an order number by chance)."""
    pairs = reference_candidates(t.columns)
    if not pairs:
        return None
    counts = []
    for k, (own, names) in enumerate(pairs):
        ids = (t.filter(bought & (t.revenue > 0)).select("customer_id", id_=cleaned(t[own]))
               .filter(ibis._.id_.notnull()).distinct())
        backs = t.filter(t.revenue < 0).select(back_customer=t.customer_id, back_id=cleaned(t[names]))
        named = backs.inner_join(ids, [backs.back_customer == ids.customer_id, backs.back_id == ids.id_])
        counts.append(named.aggregate(n=ibis._.count()).mutate(pair=ibis.literal(k, "int64")))
    found = engine.execute(ibis.union(*counts) if len(counts) > 1 else counts[0])
    found = found[found["n"] > 0]
    if found.empty:
        return None
    found = found.assign(generic=[generic_id_column(pairs[int(k)][0]) for k in found["pair"]])
    best = found.sort_values(["generic", "n", "pair"], ascending=[True, False, True]).iloc[0]
    return pairs[int(best["pair"])]


def split_by_reference(t, bought, reference: tuple[str, str], whole=None, keyed=None):
    """(purchases, reversals, undone): what the reference decides and what is left to the amount rule.

    `t` and `bought` are one period's rows; `whole` (a (t, bought) pair, `t`'s own by default) the whole data's,
    on which a reversal is told to name a purchase: a refund in this period naming a charge of an earlier period
    names a purchase, so it never falls to the amount rule (where it could undo an unrelated purchase of its
    amount in this period), and takes back nothing here, its purchase being outside the period. So too a purchase
    named by a reversal of another period is decided by its name: not undone here, and no unnamed reversal of
    its amount undoes it.

    A purchase is one order (`keyed`: cjm.journey.orders.Orders.keyed, adding the order of each purchase row in its
    column ORDER; by default the moment, customer and time).

    purchases: the `bought` rows (with ORDER) of the orders no reversal of the whole data names; reversals: the
    rows of negative revenue that name no purchase of the customer in the whole data (no reference, or one that
    matches none); undone: (customer_id, by_name) the orders undone by the reversals of the period naming them:
    every id of the order is taken back exactly, to the cent, by the period's reversals naming it, and the order
    holds no money outside such ids."""
    _ = ibis._
    own, names = reference
    whole_t, whole_bought = whole if whole is not None else (t, bought)
    keyed = keyed or orders.MOMENTS.keyed

    def marked(table, bought_rows):
        return table.mutate(**{BOUGHT: bought_rows, PURCHASE_ID: cleaned(table[own]), NAMES: cleaned(table[names])})

    def purchase_ids(marked_rows):
        return marked_rows.filter(marked_rows[BOUGHT] & (marked_rows.revenue > 0) & marked_rows[PURCHASE_ID].notnull())

    rows = marked(t, bought)
    columns = t.columns

    def cents(value):
        return (value * 100).round().cast("int64")

    ids = purchase_ids(rows).group_by("customer_id", PURCHASE_ID).aggregate(paid=cents(_.revenue).sum())
    # the whole data's purchase ids, and those of them some reversal of the whole data names
    every_rows = marked(whole_t, whole_bought)
    every_id = purchase_ids(every_rows).select(id_customer=_.customer_id, id_=_[PURCHASE_ID]).distinct()
    every_back = every_rows.filter(every_rows.revenue < 0)
    named_anywhere = (every_back.inner_join(every_id, [every_back.customer_id == every_id.id_customer,
                                                       every_back[NAMES] == every_id.id_])
                      .select(w_customer=_.id_customer, w_id=_.id_).distinct())
    negative = rows.filter(rows.revenue < 0)
    matched = negative.left_join(every_id, [negative.customer_id == every_id.id_customer,
                                            negative[NAMES] == every_id.id_])
    reversals = matched.filter(matched.id_.isnull()).select(*columns)
    # naming a purchase of another period: the inner join with this period's ids below leaves it out
    named = (matched.filter(matched.id_.notnull()).group_by("id_customer", "id_")
             .aggregate(back=cents(-_.revenue).sum()))
    status = ids.inner_join(named, [ids.customer_id == named.id_customer, ids[PURCHASE_ID] == named.id_]).select(
        s_customer=ids.customer_id, s_id=ids[PURCHASE_ID], s_undone=ids.paid == named.back)
    bought_rows = keyed(rows.filter(rows[BOUGHT]))
    lines = bought_rows
    lines = (lines.left_join(status, [lines.customer_id == status.s_customer, lines[PURCHASE_ID] == status.s_id])
             .select(lines, "s_undone"))
    lines = lines.left_join(named_anywhere, [lines.customer_id == named_anywhere.w_customer,
                                             lines[PURCHASE_ID] == named_anywhere.w_id])
    kept_line = ~lines.s_undone.fill_null(False) & (lines[PURCHASE_ID].notnull() | (lines.revenue > 0))
    named_orders = (lines.group_by("customer_id", ORDER)
                    .aggregate(named=_.w_id.count(), keeps=_.count(where=kept_line))
                    .filter(_.named > 0))
    undone = named_orders.filter(named_orders.keeps == 0).group_by("customer_id").aggregate(by_name=_.count())
    seen = named_orders.select(m_customer=named_orders.customer_id, m_order=named_orders[ORDER])
    left = bought_rows.left_join(seen, [bought_rows.customer_id == seen.m_customer,
                                        bought_rows[ORDER] == seen.m_order])
    purchases = left.filter(left.m_customer.isnull()).select(*columns, ORDER)
    return purchases, reversals, undone
