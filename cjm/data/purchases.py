"""Which events are purchases by their name (the repeat-purchase rate, checkout abandonment: DESIGN.md section 4),
and a wide order export's one purchase per order.

A wide export of orders (one row per order, a date column per step) can date one order with several columns named
for a purchase: WooCommerce's 'Order Date' and 'Order Completed Date', a shop's 'Checkout Completed Date' beside its
'Order Date'. Each would be a purchase event, so every order would be two purchases and every buyer a repeat buyer.
`one_purchase_per_record` keeps one of them a purchase per order; the others are steps of it, named
'<name> (same purchase)' (STEP_OF_PURCHASE), which is no purchase and no checkout.

A file of sessions or respondents with no event column (every row one touchpoint: the mapping's event_constant)
may say whether each row bought only in a yes / no column: the UCI online shoppers' "Revenue" TRUE / FALSE, a
survey's "Purchased" yes / no. `suggest_flag` names that column in the mapping (ColumnMapping.purchase_flag) when
its name says a purchase or a conversion and every filled cell is a yes or a no (a numeric "Revenue" of amounts is
money, never a flag); `flagged_purchases` then makes each yes row also a 'purchase' event of the same customer at
the same time (its stage: the touchpoint dictionary's, conversion), and the column stays an attribute.

A wide export of payments or orders whose date columns name no purchase (a Stripe payments export's 'Created (UTC)'
beside its 'Dispute Date (UTC)', an orders export's 'created_at' beside its 'refunded_at') is bought on the date its
money counts: `bought_on` names that column, whose event is then a 'purchase', as a row with money and one date is
(cjm.data.columns.default_event_name). Before, each charge was a 'created' event: no customer reached the conversion
stage while the conversion-rate KPI counted them all.

May import: cjm.data.cells, cjm.data.columns, cjm.data.reversals, cjm.data.stages.
"""

from __future__ import annotations

import pandas as pd

from cjm.data.cells import NO, YES, missing_tokens, yes_no
from cjm.data.columns import normalise
from cjm.data.reversals import DATE_WORDS as TAKING_BACK_WORDS
from cjm.data.stages import CONV, in_english, suggest_stage

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


def bought_on(names: dict[str, str], stamps: dict[str, pd.Series]) -> str | None:
    """The date column on which a wide export's records with money were bought when no column's event is a purchase
    already (none the stage model reads as a conversion: 'order purchase', 'paid', 'ordered'): of the columns that
    take no money back ('Cancelled at', 'Refunded date'), the one dated first on the most records, where a record's
    money counts (cjm.data.money.record_values_once), a tie in time or in count going to the column first in the
    file. `names`: date column -> its event's name, in the file's order; `stamps`: date column -> the records'
    dates. None when a column names a purchase or every column takes money back."""
    if any(suggest_stage(name, "5") == CONV[0] for name in names.values()):
        return None
    candidates = [c for c in names if not set(normalise(str(c)).split("_")) & TAKING_BACK_WORDS]
    if not candidates:
        return None
    dates = pd.DataFrame({c: stamps[c] for c in candidates})
    dated = dates.notna().any(axis=1)
    if not dated.any():
        return None
    firsts = dates.loc[dated].idxmin(axis=1)  # NaT skipped; a tie: the first column
    counts = firsts.value_counts().reindex(candidates, fill_value=0)
    return candidates[int(counts.to_numpy().argmax())]


# --- a yes / no column saying each row bought --------------------------------------------------------------------

PURCHASE_EVENT = "purchase"
# A flag column's name, once its filler words are left out, is one of these words ("Revenue", "Made Purchase",
# "is_converted", "Order Placed", "Bought (Y/N)").
FLAG_WORDS = frozenset({"revenue", "purchase", "purchased", "purchases", "converted", "conversion", "conversions",
                        "bought", "buy", "ordered", "order", "orders", "transaction", "transactions", "transacted"})
_FILLER = frozenset({"is", "has", "have", "had", "did", "made", "make", "placed", "any", "a", "flag", "y", "n", "yn"})


def names_a_purchase_flag(column) -> bool:
    """Whether a column's name says a purchase or a conversion (normalised: "Made Purchase" is made_purchase), also
    in a language the stage mapping reads ("Gekauft", "Achat", "Compra")."""
    words = [w for w in normalise(str(column)).split("_") if w and w not in _FILLER]
    return len(words) == 1 and (words[0] in FLAG_WORDS or in_english(words[0])[0] in FLAG_WORDS)


def flag_column(frame: pd.DataFrame, taken) -> str | None:
    """The first column not in `taken` whose name says a purchase or conversion and whose every filled cell is a yes
    or a no (TRUE/FALSE, yes/no, y/n, 1/0: cjm.data.cells.yes_no), with at least one yes; None when there is none."""
    for column in frame.columns:
        if column in taken or column == "__line__" or not names_a_purchase_flag(column):
            continue
        flags = yes_no(frame[column])
        if flags is not None and flags.eq(True).any():
            return column
    return None


def suggest_flag(frame: pd.DataFrame, mapping) -> None:
    """Name the mapping's purchase_flag when the export has no event column (each row one touchpoint, not itself a
    purchase) and a yes / no column says which rows bought (flag_column)."""
    if "event" in mapping.columns or mapping.shape == "wide" or not mapping.event_constant:
        return
    if is_purchase_name(mapping.event_constant):  # every row a purchase already (an orders export with amounts)
        return
    mapping.purchase_flag = flag_column(frame, mapping.used_columns())


def flagged_purchases(events: pd.DataFrame, flags_source: pd.Series, column: str, event_constant: str):
    """(events with a 'purchase' event after each row whose `column` says yes: same customer, same time, the same
    attributes, the file's order kept; the note saying so), for the rows of `events` (indexed like the file's rows
    in `flags_source`). Raises MappingError when a filled cell of the column is neither a yes nor a no."""
    flags = yes_no(flags_source)
    written = flags_source.astype("string").str.strip()
    if flags is None:
        odd = written[~missing_tokens(written) & ~written.str.lower().str.fullmatch(f"{YES}|{NO}").fillna(False)]
        raise not_yes_no(column, str(odd.iloc[0]))
    bought = flags.reindex(events.index).eq(True).fillna(False).to_numpy(dtype=bool)
    yes, no = (_spelling(written[flags.eq(value).fillna(False)]) for value in (True, False))
    n = int(bought.sum())
    note = flag_note(column, n, yes, no, event_constant)
    if not n:
        return events, note
    purchases = events.loc[bought].assign(event=pd.Series(PURCHASE_EVENT, index=events.index[bought], dtype="string"))
    # each purchase right after its row (a stable sort of the file's row labels): the order of a tie in time
    return pd.concat([events, purchases]).sort_index(kind="stable"), note


UNDO = "To read it otherwise, choose none under 'Rows that bought' in the mapping on the Data page."


def not_yes_no(column: str, example: str, *, undo: str | None = None):
    """The MappingError of a column chosen as the purchase flag that holds `example`, neither a yes nor a no."""
    from cjm.errors import MappingError

    return MappingError(
        f"{column!r} was chosen as the column saying whether each row bought, but it holds values that are not "
        f"yes or no (such as {example!r}). "
        + (undo or "Choose a column of TRUE/FALSE, yes/no or 1/0 under 'Rows that bought' on the Data page, or none."))


def flag_note(column: str, n: int, yes: str, no: str, event_constant: str, *, undo: str = UNDO) -> str:
    """The note of a file (or a table read in place) whose `n` used rows that say yes (written `yes`; no written
    `no`) are each also a purchase."""
    said = "/".join(w for w in (yes, no) if w) + (", not money" if "revenue" in normalise(column).split("_") else "")
    if not n:
        return f"{column!r} says whether each row bought ({said}): no row used says yes, so none is a purchase. {undo}"
    rows = f"its {n:,} {yes} row is" if n == 1 else f"its {n:,} {yes} rows are"
    return (f"{column!r} says whether each row bought ({said}): {rows} also a purchase (a '{PURCHASE_EVENT}' event "
            f"beside the row's {event_constant!r}, at the same time); the column stays an attribute. {undo}")


def _spelling(values: pd.Series) -> str:
    """The way a file writes its yes (or its no) most often ("TRUE", "yes", "1"); "" when it writes none."""
    counts = values.value_counts()
    return str(counts.index[0]) if len(counts) else ""
