"""Order-level money fields of orders exports (DESIGN.md section 3: money figures are net).

- Line items of one order: Shopify writes an order's fields (Financial Status, Cancelled at, Total, Refunded
  Amount) on its first line only. A status or cancellation date written that way is read for every line of
  the order (same order id and customer), so a cancelled order takes back the money of all its lines.
- Partial refunds: a refunded amount column (Shopify's "Refunded Amount", Stripe's "Amount Refunded",
  WooCommerce's "Refund Amount", "refund_amount", "total_refunded", "Refunded") takes that much off the
  order's money: 100 with 30 refunded counts 70.

Everything here is vectorised (factorised keys, groupby); money._mark_returns decides which rows it applies to.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjm.data.cells import parse_numbers, trimmed_text
from cjm.data import minor_units
from cjm.data.columns import normalise
from cjm.data.reversals import DOCUMENT_WORDS, ID_WORDS

# Columns naming a row's order (not its customer). Shopify's "Name" holds "#1001": read as an order only when
# its cells are such numbers (a person's name is not).
ORDER_ID_NAMES = {"order", "order_id", "orderid", "order_number", "order_no", "order_nr", "order_num", "order_name",
                  "order_ref", "order_reference", "order_key", "invoice", "invoice_id", "invoiceno", "invoice_no",
                  "invoice_number", "transaction_id", "pedido", "id_pedido", "numero_pedido", "número_pedido",
                  "commande", "numero_commande", "bestellung", "bestellnummer", "ordine", "номер_заказа", "заказ"}


def purchase_id_column(column) -> bool:
    """A column naming a row's order, invoice, charge or payment: "order_id", "Invoice Number", "charge_id"."""
    norm = normalise(str(column))
    words = set(norm.split("_"))
    return norm in ORDER_ID_NAMES or bool(words & DOCUMENT_WORDS and words & ID_WORDS
                                          and not words - DOCUMENT_WORDS - ID_WORDS)


_SHOPIFY_ORDER_NAME = r"#?[A-Za-z]{0,4}[-_]?\d+"
# A revenue column named for the order's total, not a line's price: WooCommerce repeats it on every line item.
ORDER_TOTAL_WORDS = {"order", "total", "gesamtbetrag", "commande", "pedido", "ordine", "bestellung"}
# One id "over days" (a subscription's id on charges of different days): dated on two or more UTC days AND its first
# and last at least this far apart, so that the lines of one order crossing midnight (23:59 and 00:01) stay one day.
# An order's lines are written within minutes; a subscription is charged a day or more apart.
ID_SPAN_HOURS = 12
LINE_WORDS = {"line", "lineitem", "item", "items", "unit", "price", "position", "artikel", "article", "articolo"}
REFUND_WORDS = {"refunded", "refund", "refunds", "erstattet", "erstattung", "erstattungsbetrag", "remboursé",
                "remboursement", "rimborsato", "rimborso", "reembolsado", "reembolso"}
_AMOUNT_WORDS = {"amount", "total", "sum", "value", "converted", "net", "gross", "order", "betrag", "montant",
                 "importo", "importe", "monto", "valor",
                 "partial", "partially"}  # Gumroad's "Partial Refund ($)": the amount of a refund of part of a sale


def order_key(frame: pd.DataFrame, taken: set[str]) -> str | None:
    """The column naming each row's order, when one repeats over several rows (line items); None otherwise."""
    for col in frame.columns:
        norm = normalise(col)
        if col in taken or not (norm in ORDER_ID_NAMES or norm == "name"):
            continue
        values = trimmed_text(frame[col].head(2000))
        if values.notna().sum() == 0:
            continue
        if norm == "name" and values.dropna().str.fullmatch(_SHOPIFY_ORDER_NAME).mean() < 0.9:
            continue
        return col if frame[col].duplicated().any() else None
    return None


def order_codes(customers: pd.Series, orders: pd.Series | None) -> np.ndarray:
    """One integer per order (same customer and order id); a row without an order id is an order of its own."""
    n = len(customers)
    if orders is None:
        return np.arange(n, dtype=np.int64)
    who, _ = pd.factorize(customers)
    which, names = pd.factorize(trimmed_text(orders))
    codes = who.astype(np.int64) * (len(names) + 1) + which
    alone = (who < 0) | (which < 0)
    codes[alone] = -1 - np.arange(int(alone.sum()), dtype=np.int64)
    return codes


def fill_first_line_fields(frame: pd.DataFrame, columns: list[str], codes: np.ndarray) -> tuple[pd.DataFrame, list]:
    """(frame with `columns` written on an order's first line only read for all its lines, the columns filled).
    A column filled on any later line somewhere (a line's own status, or a status repeated on every line) is
    left as it is: only the first-line-only pattern of Shopify is an order's field."""
    first = ~pd.Series(codes).duplicated().to_numpy()
    if first.all():
        return frame, []
    filled = {}
    for col in columns:
        present = trimmed_text(frame[col]).notna().to_numpy()
        if (present & ~first).any() or not (present & first).any():
            continue
        values = frame[col].where(present)
        order_value = values.groupby(codes).transform("first")
        if order_value.notna().to_numpy()[~present].any():
            filled[col] = values.where(present, order_value)
    return (frame.assign(**filled) if filled else frame), list(filled)


def yes_no_flags(values: pd.Series) -> bool:
    """A column of flags written 0 and 1 (Gumroad's "Refunded?"), or yes / no, true / false: no amounts, though 0 and 1
    read as numbers. An amount is written 1.00 or 0.00, or takes other values somewhere in the column."""
    head = values.iloc[:20_000]
    if pd.api.types.is_numeric_dtype(head) and not pd.api.types.is_bool_dtype(head):
        # read typed (a table read in place; a blank totals line makes it float): 0 and 1 only
        present = head.dropna()
        return bool(len(present)) and bool(present.isin([0, 1]).all())
    text = trimmed_text(head).dropna()
    return bool(len(text)) and bool(text.str.lower().isin(["0", "1", "true", "false", "yes", "no"]).all())


# A yes / no column saying the row's order or sale was refunded whole (Gumroad's "Fully Refunded?") or cancelled
# ("is_cancelled", "Cancelled?"): its yes settles the row as its status would ('return', 'cancellation'). A bare
# "Refunded?" is none: Gumroad's says yes to a partial refund too (its amount is in "Partial Refund ($)"), and a
# log's "refunded: true" beside an amount says no more than that some money went back.
_FLAG_WORDS = {"is", "was", "order", "sale", "purchase"}
_FLAG_WHOLE = {"fully", "full"}
_FLAG_RETURN = {"refunded", "returned"}
_FLAG_CANCEL = {"cancelled", "canceled", "voided"}


def reversal_flag_name(column) -> str | None:
    """'return' or 'cancel' when a column's name is a whole reversal's flag (see _FLAG_WORDS), else None."""
    words = set(normalise(str(column)).split("_"))
    kind = words & (_FLAG_RETURN | _FLAG_CANCEL)
    if len(kind) != 1 or not words - kind <= _FLAG_WORDS | _FLAG_WHOLE:
        return None
    if kind & _FLAG_RETURN and not words & _FLAG_WHOLE:
        return None
    return "return" if kind & _FLAG_RETURN else "cancel"


def reversal_flag_columns(frame: pd.DataFrame, taken) -> dict[str, str]:
    """{column: 'return' or 'cancel'} of the unmapped yes / no columns naming a whole reversal (see _FLAG_WORDS)."""
    found = {}
    for col in frame.columns:
        kind = reversal_flag_name(col) if col not in taken else None
        if kind is not None and (pd.api.types.is_bool_dtype(frame[col]) or yes_no_flags(frame[col])):
            found[col] = kind
    return found


def refund_column(frame: pd.DataFrame, taken: set[str], revenue_column: str | None) -> str | None:
    """An unmapped column of refunded amounts ("Refunded Amount", "amount_refunded", "Refunded" holding numbers,
    not yes / no); beside "Converted Amount" the one named like it ("Converted Amount Refunded"). None when the
    revenue column is already net of refunds ("Net sales" beside "Refunds")."""
    like = set(normalise(revenue_column).split("_")) if revenue_column else set()
    if like & {"net", "netto", "neto", "nett"}:
        return None
    base = minor_units.base_of(frame.columns, revenue_column)
    if base is not None:  # money as shown ('total_formatted', cjm.data.minor_units): its refunds as shown too
        column = refund_column(frame, set(taken) | {revenue_column}, base)
        return None if column is None else minor_units.twin(frame.columns, column)
    found = []
    for col in frame.columns:
        words = set(normalise(col).split("_"))
        if col in taken or col == "__line__" or not words & REFUND_WORDS or not words <= REFUND_WORDS | _AMOUNT_WORDS:
            continue
        if pd.api.types.is_bool_dtype(frame[col]) or yes_no_flags(frame[col]):
            continue
        numbers, bad = parse_numbers(frame[col])
        read = int(numbers.notna().sum())
        if read and bad.sum() <= 0.1 * (read + bad.sum()):
            found.append((col, words - REFUND_WORDS))
    same = next((c for c, rest in found if rest - {"amount"} == like - {"amount"}), None)
    if same is not None:
        return same
    # a refund column qualified as the revenue column is not ("converted": another currency) is not its refund
    plain = {"amount", "total", "sum", "value", "order", "partial", "partially"}
    return next((c for c, rest in found if rest - plain <= like), None)


def refunded_part(refunds: pd.Series, revenue: pd.Series, eligible: pd.Series, codes: np.ndarray) -> pd.Series:
    """Per row, how much of its revenue the order's refund takes back (NaN where the order has no refund).
    An order's refund is its line's amount when written once (or repeated alike on every line), the sum when
    its lines hold different amounts; it is taken from the order's lines in file order, never more than a
    line's money, so no order goes below 0."""
    amounts = refunds.abs().where(eligible.to_numpy() & (refunds.abs() > 0).to_numpy())
    groups = amounts.groupby(codes)
    per_line = bool((groups.nunique() > 1).any())
    total = groups.transform("sum" if per_line else "max")
    money = revenue.clip(lower=0).where(eligible.to_numpy()).fillna(0.0)
    before = money.groupby(codes).cumsum() - money
    part = np.minimum((total - before).clip(lower=0), money)
    return part.where(total > 0)


def one_id_per_customer(customers: pd.Series, ids: pd.Series, times: pd.Series, events: pd.Series | None,
                        rows: pd.Series, clock: pd.Series | None = None) -> bool:
    """Whether a column of order ids holds one id per customer (a subscription's id or an account number in an
    "order_id" column: the same id on charges of different days), read on the rows `rows` (those with money): the
    rule of cjm.journey.orders (find_orders) in pandas. Among the ids of one customer only, when more customers hold
    ONE id on rows of one event name dated on two or more days, ID_SPAN_HOURS or more apart, than hold two ids or
    more, the column names no orders. The lines of a real order share its day, or cross midnight minutes apart; a
    repeat buyer holds two ids. The days are those of each row's clock (`clock`, schema.CLOCK: seconds east of UTC of
    the offset written in its time, of its zone column's zone or of the mapping's zone; UTC's where null or None), as
    cjm.journey.orders counts the data's days: a New York order's lines at 07:00 and 19:30 on 10 January are one day
    there, two in UTC (12:00 on 10 and 00:30 on 11 January)."""
    stamps = pd.to_datetime(times, utc=True, errors="coerce")
    local = stamps if clock is None else stamps + pd.to_timedelta(
        pd.to_numeric(pd.Series(clock, index=stamps.index), errors="coerce").fillna(0).to_numpy(), unit="s")
    frame = pd.DataFrame({"customer": trimmed_text(customers), "id": trimmed_text(ids),
                          "event": trimmed_text(events) if events is not None else "",
                          "day": local.dt.floor("D"), "time": stamps})
    frame = frame[rows.to_numpy(dtype=bool) & frame["customer"].notna().to_numpy()
                  & frame["id"].notna().to_numpy()]
    if frame.empty:
        return False
    owners = frame.groupby("id")["customer"].nunique()
    own = frame[frame["id"].isin(owners.index[owners == 1])]
    if own.empty:
        return False
    spans = own.groupby(["customer", "id", "event"], dropna=False).agg(
        days=("day", "nunique"), first=("time", "min"), last=("time", "max")).reset_index()
    spans["over"] = (spans["days"] > 1) & ((spans["last"] - spans["first"]) >= pd.Timedelta(hours=ID_SPAN_HOURS))
    held = spans.groupby("customer").agg(ids=("id", "nunique"), over=("over", "any"))
    several = int((held["ids"] > 1).sum())
    one_over_days = int(((held["ids"] == 1) & held["over"]).sum())
    return one_over_days > several


def repeated_on_lines(revenue: pd.Series, codes: np.ndarray) -> pd.Series:
    """True on the 2nd, 3rd ... line of each order when the file repeats one amount on every line of each of
    its orders of several lines (an order total, not line prices); all False when any such order's lines differ."""
    lines = pd.Series(codes).groupby(codes).transform("size").to_numpy() > 1
    if not lines.any():
        return pd.Series(False, index=revenue.index)
    amounts = pd.Series(revenue.to_numpy(), index=range(len(revenue)))[lines]
    groups = amounts.groupby(codes[lines])
    if (groups.nunique(dropna=False) > 1).any() or amounts.isna().all():
        return pd.Series(False, index=revenue.index)
    later = pd.Series(codes).duplicated().to_numpy() & lines
    return pd.Series(later, index=revenue.index)


def same_order_and_event(codes: np.ndarray, events: pd.Series, money: pd.Series) -> pd.Series:
    """Rows of an order that has a money row with the same event name (a line item's second line, written with
    no amount: "purchase" like its first): they share that line's status."""
    if not pd.Series(codes).duplicated().any():  # no order of several lines
        return money.copy()
    which, names = pd.factorize(events)
    combined = codes * (len(names) + 1) + which
    return pd.Series(np.isin(combined, combined[money.to_numpy()]), index=events.index)
