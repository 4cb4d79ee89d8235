"""The money steps of loading: every money figure is net (DESIGN.md section 3).

    order lines (a status written on an order's first line only) -> an order total repeated on its lines
    counts once -> returns, cancellations and money that never moved -> partial refunds taken off

`net_money` runs them on a file's canonical rows (long or wide) and explains each change in the file's notes;
`record_values_once` counts a wide record's money, score and comment once. The words they read live in
cjm.data.reversals (statuses, event names, date columns) and the order-level helpers in cjm.data.returns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjm.data import kept, refund_exports, returns, reversals, schema, stages
from cjm.data.cells import parse_numbers
from cjm.data.columns import ColumnMapping, normalise


def net_money(frame: pd.DataFrame, out: pd.DataFrame, mapping: ColumnMapping, notes: list[str],
              kept: pd.Series | None = None) -> pd.DataFrame:
    """Make `out` (a file's canonical rows, built from `frame`) net in place: see the module docstring.
    `kept`: the rows the load keeps (the notes count only those). Returns `frame` with each order's first-line
    fields on all its lines (a wide export reads its dates there)."""
    order_frame, orders = _order_lines(frame, mapping, out, notes)
    _order_total_once(frame, out, mapping, orders, notes)
    decided, reversal_line = _mark_returns(order_frame, out, mapping, notes, orders, kept=kept)
    part = _net_of_refunds(frame, out, mapping, notes, orders, decided, reversal_line)
    # a purchase whose refund this file took off (or that counts no money): a refunds export in the same upload
    # naming it takes nothing back again (refund_exports.settle)
    counted = decided & ~reversal_line
    if part is not None:
        counted |= (part > 0).fillna(False)
    if mapping.shape != "wide" and "revenue" in out and counted.any():
        out[refund_exports.COUNTED] = counted
    return order_frame


# A cancellation invoice's number ("C536379" beside invoices "536365": the UCI Online Retail export), in a column
# named for invoices, orders, transactions or receipts: the row takes its invoice back (a table read in place reads
# them by the same rule: cjm.data.source).
INVOICE_WORDS = {"invoice", "invoiceno", "order", "transaction", "receipt"}
CANCELLATION_INVOICE, INVOICE_NUMBER = r"[Cc]\d+", r"\d+"


def invoice_column(col) -> bool:
    """A column named for invoices, orders, transactions or receipts, whose numbers may mark cancellations."""
    return bool(set(normalise(str(col)).split("_")) & INVOICE_WORDS)


def cancellation_invoices(flagged_share: float, numbers_share: float) -> bool:
    """Whether a column's cells of CANCELLATION_INVOICE (a share of all its rows) are cancellations: some but under
    half of its rows, beside plain invoice numbers on over 30%."""
    return 0 < flagged_share < 0.5 and numbers_share > 0.3


def _mark_returns(frame: pd.DataFrame, out: pd.DataFrame, mapping: ColumnMapping, notes: list[str],
                  orders: np.ndarray | None = None, kept: pd.Series | None = None):
    """Returns and cancellations become events of their own, never purchases, so money figures are net:
    - a reversal line (negative quantity or amount, a cancellation invoice number such as "C536379") takes
      money back: negative revenue;
    - a row whose status says canceled / returned / refunded is the order and its reversal at once (an
      orders or payments export states each order's current status): it counts no money, where it counted
      minus its total before, as if refunded twice (-40 for 100 refunded and 60 paid, not 60);
    - an event named like a reversal (a payments log's "refund" of +100) is a reversal line whatever its status;
    - so is a reversal document (a credit note's number, or a "Reference Invoice Number" naming the purchase it
      takes back, filled: reversals.reversal_document_column), by its status: "Refunded" or "Adjusted" (applied
      to an invoice) takes its amount back (Chargebee's credit note "Refunded" is the credit note's status, not an
      order settled by it); "Refund Due", "Pending", "Draft" (reversals.NOT_YET_BACK_STATUS) take nothing back
      yet: the money has not gone back, the row counts none and reads 'refund pending'; "Voided" or failed
      nothing;
    - a status of the account / subscription / customer ("account_state") is not the row's order status.
    In a wide export the events are named after their date columns and only the status is read here: a record
    settled or failed by its status, with money, gets '_settled' ('cancellation', 'return', 'failed payment'), the
    name record_values_once gives the event its money counts on (its first), as a long export renames its row.
    Returns (rows whose money is decided here, reversal lines), for _net_of_refunds."""
    index = frame.index
    wide = mapping.shape == "wide"
    invoice = pd.Series(False, index=index)
    status_cancel = pd.Series(False, index=index)
    status_return = pd.Series(False, index=index)
    status_failed = pd.Series(False, index=index)
    status_unpaid = pd.Series(False, index=index)
    document = pd.Series(False, index=index)  # a credit note, or a row naming the purchase it takes back
    status_not_yet = pd.Series(False, index=index)  # a credit note's money not gone back yet (read on documents)
    if refund_exports.reads_as_refunds(mapping):  # a refunds export: each row's status is its refund's own
        document[:] = True
    for col in frame.columns:
        if col == "__line__" or col in mapping.columns.values():
            continue
        if reversals.reversal_document_column(col):
            document |= frame[col].astype("string").str.strip().fillna("").ne("")
        if invoice_column(col) and not pd.api.types.is_numeric_dtype(frame[col]):
            values = frame[col].astype("string").str.strip()
            flagged = values.str.fullmatch(CANCELLATION_INVOICE).fillna(False)
            if cancellation_invoices(flagged.mean(), values.str.fullmatch(INVOICE_NUMBER).fillna(False).mean()):
                invoice |= flagged
        if _order_status_column(col, mapping):
            values = frame[col].astype("string").str.strip().str.lower()
            status_cancel |= values.str.fullmatch(reversals.CANCEL_STATUS).fillna(False)
            status_return |= values.str.fullmatch(reversals.RETURN_STATUS).fillna(False)
            if reversals.payment_status_column(col):
                status_failed |= values.str.fullmatch(reversals.FAILED_STATUS).fillna(False)
                status_unpaid |= values.str.fullmatch(reversals.UNPAID_STATUS).fillna(False)
            status_not_yet |= values.str.fullmatch(reversals.NOT_YET_BACK_STATUS).fillna(False)
    for col in invoice_status_columns(frame.columns, mapping):  # an invoice sent, open or overdue: not paid
        values = frame[col].astype("string").str.strip().str.lower()
        status_unpaid |= values.str.fullmatch(reversals.INVOICE_UNPAID_STATUS).fillna(False) & ~document
    for col, kind in returns.reversal_flag_columns(frame, set(mapping.columns.values())).items():
        said = frame[col].astype("string").str.strip().str.lower().isin(["1", "true", "yes"]).to_numpy()
        if kind == "return":
            status_return |= said
        else:
            status_cancel |= said
    money = out["revenue"].notna() if "revenue" in out else pd.Series(False, index=index)
    negative = pd.Series(False, index=index)
    reversal_names: list = []
    moved_not = pd.Series(False, index=index)  # events whose money never moved, by their name
    not_yet_back = pd.Series(False, index=index)  # a credit note whose money has not gone back yet
    if wide:  # a wide record's reversal dates are read by record_values_once; here only its status
        invoice[:] = False
    else:
        if "event" in out and money.any():
            names = out["event"].dropna().unique()
            moved_not = out["event"].isin([n for n in names if reversals.never_moved(n)]) & money
            reversal_names = [n for n in names if reversals.reversal(n)]
        if "revenue" in out:
            negative |= (out["revenue"] < 0).fillna(False)
        if mapping.revenue_from:
            quantity, _ = parse_numbers(frame[mapping.revenue_from[0]])
            negative |= (quantity < 0).fillna(False)
        if reversal_names:  # a refund document voided or not yet paid out takes nothing back (below)
            negative |= out["event"].isin(reversal_names) & money & ~(document & (status_cancel | status_not_yet))
        # a credit note's "Refunded" is its own status (the money went back): it takes its amount back; a voided
        # one (cancelled) took nothing back and is settled by its status below
        negative |= document & money & ~status_cancel & ~status_not_yet
        # a credit note whose refund is still due (not voided: that one is settled by its status)
        not_yet_back = document & money & status_not_yet & ~status_cancel
    # a refund line that failed ("refund_failed" of -40, a refund whose status says failed) took nothing back, nor
    # yet a credit note written negative whose refund is still due
    failed_reversal = negative & (moved_not | status_failed | not_yet_back)
    reversal_line = (invoice | negative) & ~failed_reversal
    # money that never moved is cancelled by nothing: a card's authorization "void" (as each one ends) is no order
    cancel = (invoice | status_cancel) & ~moved_not
    ret = (status_return | negative) & ~cancel & ~failed_reversal
    settled = (cancel | ret) & ~reversal_line  # by its status alone
    failed = status_failed & money & ~(cancel | ret | reversal_line | failed_reversal)
    no_money = ((failed | moved_not | failed_reversal | (status_unpaid & money) | not_yet_back)
                & ~reversal_line & ~settled)
    unpaid = status_unpaid & money & ~failed & ~reversal_line & ~settled
    if not (cancel | ret | no_money).any():
        return no_money, reversal_line
    if not wide:
        # An order's status repeated on each of its events (add_to_cart, checkout ... purchase) renames only the
        # event that carries the money: the visit and the checkout happened.
        # Without an event column every row is the order itself (the constant 'purchase'): a cancelled order whose
        # price is left empty (Amazon's orders report) is no purchase either.
        renamed = money.copy() if "revenue" in out and "event" in mapping.columns else pd.Series(True, index=index)
        if orders is not None and "revenue" in out:  # the other lines of that order, named as its money line
            renamed |= returns.same_order_and_event(orders, out["event"], renamed)
        named = out["event"].isin(reversal_names) if reversal_names else pd.Series(False, index=index)
        out.loc[cancel & renamed & ~named, "event"] = reversals.CANCELLED
        out.loc[ret & renamed & ~named, "event"] = reversals.RETURNED
        out.loc[failed & renamed, "event"] = "failed payment"
        out.loc[unpaid & renamed, "event"] = "not paid"  # an invoice not paid is no purchase (no money moved)
        out.loc[not_yet_back & renamed, "event"] = "refund pending"
    elif "revenue" in out:  # a record without money (a ticket whose state says cancelled) keeps its events' names
        out["_settled"] = pd.Series(pd.NA, index=index, dtype="string")
        out.loc[cancel & money, "_settled"] = reversals.CANCELLED
        out.loc[ret & money, "_settled"] = reversals.RETURNED
        out.loc[failed & money, "_settled"] = "failed payment"
        out.loc[unpaid & money, "_settled"] = "not paid"
    if "revenue" in out:
        out.loc[reversal_line, "revenue"] = -out.loc[reversal_line, "revenue"].abs()
        out.loc[(settled | no_money) & out["revenue"].notna(), "revenue"] = 0.0
    def n_of(mask) -> int:
        return int((mask & kept).sum() if kept is not None else mask.sum())

    if kept is not None and not ((reversal_line | settled | no_money) & kept).any():
        return settled | no_money | reversal_line, reversal_line  # only rows set aside: nothing to say
    reversal_line_kept, settled_kept = (reversal_line & kept, settled & kept) if kept is not None else (
        reversal_line, settled)
    named = (sorted(str(n) for n in out.loc[reversal_line_kept, "event"].dropna().unique())
             if "event" in out and reversal_line_kept.any() else [])
    said = (sorted(out.loc[settled_kept, "_settled"].dropna().unique()) if "_settled" in out else [])
    notes.append(status_note(n_of(reversal_line), n_of(settled), n_of(no_money), reversal_names=named,
                             settled_names=said, failed=bool(failed.any()), unpaid=bool(unpaid.any()), wide=wide))
    return settled | no_money | reversal_line, reversal_line


def status_note(reversal_lines: int, settled: int, no_money: int, *, reversal_names=(), settled_names=(),
                failed: bool = False, unpaid: bool = False, wide: bool = False) -> str:
    """The note saying how many rows (records) statuses and reversals made net: reversal lines, rows settled by
    their status, rows of money that never moved (a data set read in place says it as an upload does:
    cjm.data.source)."""
    unit = "record" if wide else "row"

    def count(n) -> str:  # "1 row ... counts", "2 rows ... count"
        return "counts" if n == 1 else "count"

    parts = []
    if reversal_lines:
        said = ", ".join(repr(n) for n in reversal_names) if reversal_names else "'cancellation', 'return'"
        parts.append(f"{counted(reversal_lines, unit)} of cancellations or returns are events of their own ({said}) "
                     "with negative revenue")
    if settled:
        first = (f"; the first event of each reads {' or '.join(map(repr, settled_names))}, not a purchase"
                 + (" (of a record, its first date named as a purchase or payment, else its first)" if wide else "")
                 if settled_names else "")
        parts.append(f"{counted(settled, unit)} whose status says cancelled, returned or refunded {count(settled)} no "
                     f"money (the order and its reversal are the same {unit}{first})")
    if no_money:
        read = "failed payments read" if not wide else "a failed payment's first event reads"
        parts.append(f"{counted(no_money, unit)} of money that never moved (a failed or declined payment, an invoice "
                     "not paid, a refund only requested, still due or called off, a subscription ending) "
                     + count(no_money) + " no money"
                     + (f" ({read} 'failed payment')" if failed else "")
                     + (" (an invoice not paid reads 'not paid')" if unpaid else ""))
    return "; ".join(parts) + ", so money figures are net."


def counted(n: int, noun: str) -> str:
    """"1 order", "2,000 orders" (cjm.present.formats.format_count for the notes of cjm.data, which may not
    import cjm.present)."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def invoice_status_columns(columns, mapping: ColumnMapping) -> list:
    """The unmapped columns of an invoices export with money (reversals.invoices_file) holding its invoices' own
    statuses (reversals.invoice_status_column), where "Draft" was never sent and "Sent", "Open" were not paid
    (reversals.INVOICE_NOT_SENT_STATUS, INVOICE_UNPAID_STATUS); none in a refunds export (its statuses are the
    refunds'). Read alike on upload and in place (cjm.data.source)."""
    names = [c for c in columns if c not in ("__line__", "file_row_number")]
    if (not ("revenue" in mapping.columns or mapping.revenue_from) or refund_exports.reads_as_refunds(mapping)
            or not reversals.invoices_file(names)):
        return []
    used = set(mapping.columns.values())
    return [c for c in names if c not in used and reversals.invoice_status_column(c)]


def invoices_not_sent(frame: pd.DataFrame, mapping: ColumnMapping) -> pd.Series:
    """Rows of an invoices export whose invoice status says it never went to the customer (a draft: reversals.
    INVOICE_NOT_SENT_STATUS), not a credit note's (a draft credit note is a refund still due: 'refund pending')."""
    found = pd.Series(False, index=frame.index)
    columns = invoice_status_columns(frame.columns, mapping)
    if not columns:
        return found
    for col in columns:
        values = frame[col].astype("string").str.strip().str.lower()
        found |= values.str.fullmatch(reversals.INVOICE_NOT_SENT_STATUS).fillna(False)
    return (found & ~_documents(frame, mapping)).astype(bool)


def _documents(frame: pd.DataFrame, mapping: ColumnMapping) -> pd.Series:
    """Rows holding a credit note's number or the purchase they take back (reversals.reversal_document_column)."""
    document = pd.Series(False, index=frame.index)
    for col in frame.columns:
        if col != "__line__" and col not in mapping.columns.values() and reversals.reversal_document_column(col):
            document |= frame[col].astype("string").str.strip().fillna("").ne("")
    return document


def _order_status_column(col, mapping: ColumnMapping) -> bool:
    return col not in mapping.columns.values() and reversals.order_status_column(col)


def _order_lines(frame: pd.DataFrame, mapping: ColumnMapping, out: pd.DataFrame, notes: list[str]):
    """(frame, order codes): line items of one order (same order id and customer) read its status and, in a wide
    export, its cancellation / refund date where only its first line holds them (Shopify), so a cancelled order
    takes back every line. The frame is the file's with those columns filled; the codes number the orders."""
    key = returns.order_key(frame, {mapping.columns.get("customer_id")})
    codes = returns.order_codes(out["customer_id"], frame[key] if key else None)
    if key is None:
        return frame, codes
    fields = [c for c in frame.columns if _order_status_column(c, mapping) or (
        mapping.shape == "wide" and c in mapping.wide_events
        and set(normalise(c).split("_")) & reversals.DATE_WORDS)]
    filled_frame, filled = returns.fill_first_line_fields(frame, fields, codes)
    if filled:
        notes.append(first_line_note(filled, key))
    return filled_frame, codes


def first_line_note(filled: list[str], key: str) -> str:
    """What an upload and a table read in place say of status columns written on an order's first line only."""
    one = len(filled) == 1
    return (", ".join(repr(c) for c in filled) + (" is" if one else " are") + " written on each order's first line "
            f"only: every line of the order (same {key!r} and customer) reads {'it' if one else 'them'}, so a "
            "cancelled or refunded order settles all its lines.")


def repeated_total_note(column: str, orders: int) -> str:
    """What an upload and a table read in place say of an order total repeated on every line of its order."""
    return (f"{column!r} is each order's total, repeated on every line of the order: it counts once per order, on "
            f"its first line ({counted(orders, 'order')} of several lines).")


def _order_total_once(frame: pd.DataFrame, out: pd.DataFrame, mapping: ColumnMapping, orders,
                      notes: list[str]) -> None:
    """An order total repeated on each of the order's lines (WooCommerce's "Order Total Amount") counts once, on
    the order's first line: only when the revenue column is named for the order's total (not a line's price)
    and every order of several lines holds the same amount on all of them, and when the order id column names
    orders: a column of one id per customer (a subscription's id on charges of different days, the guard of
    cjm.journey.orders: returns.one_id_per_customer) names none, and each charge counts its money."""
    column = mapping.columns.get("revenue")
    if column is None or "revenue" not in out:
        return
    words = set(normalise(column).split("_"))
    if not words & returns.ORDER_TOTAL_WORDS or words & returns.LINE_WORDS:
        return
    repeated = returns.repeated_on_lines(out["revenue"], orders)
    if not repeated.any():
        return
    key = returns.order_key(frame, {mapping.columns.get("customer_id")})
    if key is not None and "timestamp" in out and returns.one_id_per_customer(
            out["customer_id"], frame[key], out["timestamp"], out.get("event"), out["revenue"].notna(),
            out.get(schema.CLOCK)):  # each row's day on its own clock, the data's days
        return
    out.loc[repeated, "revenue"] = np.nan
    n = len(np.unique(orders[repeated.to_numpy()]))
    notes.append(repeated_total_note(column, n))


def _net_of_refunds(frame, out, mapping: ColumnMapping, notes: list[str], orders, decided, reversal_line):
    """A refunded amount column ("Refunded Amount", "Amount Refunded") takes that much off its order's money
    (100 with 30 refunded counts 70). Not on rows already settled by their status (a refunded order counts 0,
    never -30), reversal lines, money that never moved, nor, in a long export, on a customer who has refund lines
    of their own (the refund is there already). In a wide export the amount is what the order's refund or
    cancellation date takes back (kept by record_values_once in '_refunded'), else it is taken off at once."""
    column = returns.refund_column(frame, mapping.used_columns(), mapping.columns.get("revenue"))
    kind = statuses = None
    if column is None:  # else an adjusted total or a partly paid invoice's balance (cjm.data.kept)
        statuses = invoice_status_columns(frame.columns, mapping)
        column, kind = kept.kept_column(frame.columns, mapping.used_columns(), mapping.columns.get("revenue"),
                                        statuses) or (None, None)
    if column is None or "revenue" not in out:
        return None
    eligible = ~decided
    if reversal_line.any():
        eligible &= ~out["customer_id"].isin(out.loc[reversal_line, "customer_id"].dropna().unique())
    refunds = (parse_numbers(frame[column])[0] if kind is None
               else kept.not_kept(frame, column, kind, out["revenue"], statuses))
    part = returns.refunded_part(refunds, out["revenue"], eligible, orders)
    if not part.notna().any():
        return None
    whole = 0
    if mapping.shape == "wide":
        out["_refunded"] = part
    else:
        paid = out["revenue"]
        out["revenue"] = paid - part.fillna(0.0)
        if "event" not in mapping.columns:
            # every row is the order itself (no event column): one refunded whole (Magento's "Closed" order, its
            # "Total Refunded" its grand total) is a return, as a status saying refunded makes it, not a purchase
            # of nothing
            all_back = ((part > 0) & (paid > 0) & (out["revenue"].abs() < 0.005)).fillna(False)
            whole_orders = np.unique(orders[all_back.to_numpy()])
            every_line = np.isin(orders, whole_orders) & (out["revenue"].fillna(0.0).abs() < 0.005).to_numpy()
            out.loc[every_line, "event"] = reversals.RETURNED
            out.loc[every_line, "revenue"] = 0.0
            whole = len(whole_orders)
    n = len(np.unique(orders[(part > 0).to_numpy()]))
    notes.append(refunded_note(column, n, wide=mapping.shape == "wide", whole=whole) if kind is None
                 else kept.note(column, kind, n, whole))
    return part


def refunded_note(column: str, orders: int, *, wide: bool = False, whole: int = 0) -> str:
    """What an upload and a table read in place say of a refunded-amount column taken off its orders' money."""
    dated = "; a refund or cancellation date takes back that amount" if wide else ""
    returned = (f"; {counted(whole, 'order')} refunded whole {'reads' if whole == 1 else 'read'} 'return', not a "
                "purchase" if whole else "")
    return (f"Refunded amounts in {column!r} are taken off the money of {counted(orders, 'order')} (a partial refund: "
            f"100 with 30 refunded counts 70{dated}{returned}); orders whose status already says refunded or "
            "cancelled count none, never less, so money figures are net.")


# Not "answered": a help desk's "first answered at" is the agent's first reply ("survey answered at" has "survey").
_FEEDBACK_WORDS = {"review", "reviewed", "feedback", "survey", "rating", "rated", "csat", "nps"}
# A "return" date beside one of these is the end of a trip or a loan (a car rental's pickup and return, a round
# trip's departure and return, a library loan), not goods sent back: it takes no money back.
_TRIP_START_WORDS = {"pickup", "pick", "departure", "depart", "departed", "departing", "outbound", "outward",
                     "borrowed", "borrow", "loan", "loaned", "lent", "rented", "rental", "hire", "hired"}


def record_values_once(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """The events of wide records (`parts[k]`: one event per record with `columns[k]` filled), with what the
    record holds once counted once. Its money goes on its first event (an order's money counts when it is
    placed; a won deal's on its close, marked '_earns' by dataset._deal_outcomes), and a filled cancellation / refund / return column is an event that takes it back (negative),
    so money figures are net (DESIGN.md section 3). Its score and comment go on its event named like
    feedback (review, survey, rating ...) if filled, else on its last (feedback follows the experience).
    Before, each of an order's created / paid / fulfilled events carried the order's total. Only the record's
    first reversal date takes money back (cancelled and refunded dates both filled: once), and a refunded amount
    ('_refunded', from _net_of_refunds) is what it takes back, or without such a date is taken off at once."""
    events = pd.concat(parts)
    record = events.index.to_numpy()
    kind = np.concatenate([np.full(len(part), k) for k, part in enumerate(parts)])
    words = [set(normalise(c).split("_")) for c in columns]
    trip = any(w & _TRIP_START_WORDS for w in words)
    taking_back = reversals.DATE_WORDS - reversals.RETURN_DATE_WORDS if trip else reversals.DATE_WORDS
    reversal = np.array([bool(w & taking_back) for w in words])[kind]
    feedback = np.array([bool(w & _FEEDBACK_WORDS) for w in words])[kind]
    time = events["timestamp"].astype("int64").to_numpy()

    def one_per_record(preferred: np.ndarray, last: bool) -> np.ndarray:
        # per record: a preferred event if any (bool; or a rank, the lowest first), then the first (or last) by time,
        # then by column order
        key = np.where(last, -time, time)
        rank = ~preferred if preferred.dtype == bool else preferred
        order = np.lexsort((kind if not last else -kind, key, rank, record))
        starts = np.r_[True, record[order][1:] != record[order][:-1]]
        chosen = np.zeros(len(events), dtype=bool)
        chosen[order[starts]] = True
        return chosen

    out = events.reset_index()
    index_name = out.columns[0]
    # a won deal's close (cjm.data.deals): where its record's money counts
    earns = out.pop("_earns").fillna(False).to_numpy(dtype=bool) if "_earns" in out else np.zeros(len(out), bool)
    if "revenue" in out:
        first = ~reversal & (earns | ~np.isin(record, record[earns]))
        # a record settled by its status (refunded, voided) is no purchase: the event that reads its settlement (and
        # holds its money, 0) is its purchase, the first of its events named like one (Shopify's 'paid' a second
        # after 'created': stages.suggest_stage puts it at "conversion"), else its first, as an order's money counts
        rank = np.where(first, 1, 2)
        if "_settled" in out and "event" in out and out["_settled"].notna().any():
            names = out["event"].dropna().astype(str).unique()
            buying = [n for n in names if stages.suggest_stage(n, "5") == stages.CONV[0]]
            purchase = out["event"].isin(buying).to_numpy() & out["_settled"].notna().to_numpy()
            rank = np.where(first & purchase, 0, rank)
        _place_and_take_back(out, record, placed=one_per_record(rank, last=False) & first,
                             first_reversal=one_per_record(reversal, last=False) & reversal)
    feedback_columns = [c for c in ("score", "text") if c in out]
    if feedback_columns:
        keep = one_per_record(feedback, last=True)
        for column in feedback_columns:
            out[column] = out[column].where(keep)
    return out.set_index(index_name).rename_axis(events.index.name)


def _place_and_take_back(out: pd.DataFrame, record: np.ndarray, *, placed, first_reversal) -> None:
    settled = out.pop("_settled") if "_settled" in out else None
    if settled is not None:  # a record settled by its status: the event its money counts on is no purchase
        renamed = placed & settled.notna().to_numpy()
        out.loc[renamed, "event"] = settled[renamed]
    money = out["revenue"]
    refunded = out.pop("_refunded") if "_refunded" in out else pd.Series(np.nan, index=out.index)
    # Only money paid is taken back: a refund record (amount -40, refunded at ...) is -40 once, not -80.
    taken_back = first_reversal & np.isin(record, record[placed]) & (money > 0).to_numpy()
    back = refunded.where(refunded.notna(), money)
    out["revenue"] = money.where(placed)
    netted = placed & ~np.isin(record, record[taken_back]) & refunded.notna().to_numpy()
    out.loc[netted, "revenue"] = money[netted] - refunded[netted]
    out.loc[taken_back, "revenue"] = -back[taken_back]
