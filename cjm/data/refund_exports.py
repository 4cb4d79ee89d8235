"""Refunds exports: files whose every row is money going back (DESIGN.md section 3: money figures are net).

Stripe's refunds export writes each refund's Amount positive, beside its own id ("re_...") and the charge it
refunds ("Charge ID" or "charge"), often with no customer column and no event column: read as purchases its rows
added their money instead of taking it back. A file is read as refunds only on strong evidence (recognised):
no event column, a money column, a column naming the charge, payment or order each row refunds (not the row's own
id), no refunded-amount column (a charges export's "Amount Refunded"), and something saying refund: the rows' own
ids are Stripe refund ids, or the file's name or its id column's name says refund. Its rows are then the touchpoint
'refund' (money._mark_returns makes their money negative and reads their status as the refund's own); the mapping's
"Every row is this touchpoint" undoes it.

Across the files of one upload (`settle`): a refunds export without a customer column takes, for each refund, the
customer of the charge it names in another file (a refund whose charge is in no file, or in the files of several
customers, is rejected with that reason); and a refund naming a charge whose own file already took it off (an
"Amount Refunded", a status saying refunded) counts no money, so nothing is taken back twice.

May import: cjm.data.cells, columns, returns, reversals.
"""

from __future__ import annotations

import pandas as pd

from cjm.data import returns, reversals
from cjm.data.cells import trimmed_text
from cjm.data.columns import ColumnMapping, normalise

EVENT = "refund"
COUNTED = "_refund_counted"  # on a purchase row: its own file took its refund off already (money.net_money)
_STRIPE_REFUND_ID = r"(?:re|pyr)_\w+"
_CUSTOMER_WORDS = {"customer", "client", "email", "mail", "user", "buyer", "payer", "member", "account", "contact",
                   "cliente", "kunde", "kunden"}
NO_CHARGE = "refund of a charge in no uploaded file (its customer is unknown: upload the charges export too)"
SEVERAL = "refund of a charge that several customers' rows name (its customer is unknown)"


def _words(column) -> set[str]:
    return set(normalise(str(column)).split("_"))


def _own_id_column(frame: pd.DataFrame):
    """The rows' own id: a column named "id", "Refund ID", "refund_number"; not a yes / no "Refunded?" (Gumroad's
    sales export says so of each sale)."""
    return next((c for c in frame.columns if normalise(str(c)) == "id"
                 or (_words(c) & returns.REFUND_WORDS and _words(c) - returns.REFUND_WORDS <= reversals.ID_WORDS
                     and not returns.yes_no_flags(frame[c]))),
                None)


def _document_column(column) -> bool:
    """Named for the charge, payment or order a row names, with at most id words: "Charge ID", "charge"."""
    words = _words(column)
    return bool(words & reversals.DOCUMENT_WORDS and not words - reversals.DOCUMENT_WORDS - reversals.ID_WORDS)


def charge_column(frame: pd.DataFrame, mapping: ColumnMapping):
    """The column naming the charge each row refunds: named for a document (a charge's before the others), filled
    on at least half the rows, not the row's own id (its values are not the own id column's); None if none."""
    own = _own_id_column(frame)
    taken = {v for k, v in mapping.columns.items() if k != "customer_id"}
    found = [c for c in frame.columns if c != own and c not in taken and _document_column(c)]
    found.sort(key=lambda c: "charge" not in _words(c))
    for column in found:
        values = trimmed_text(frame[column])
        if values.notna().mean() < 0.5:
            continue
        if own is not None and values.isin(trimmed_text(frame[own]).dropna()).any():
            continue
        return column
    return None


def evidence(frame: pd.DataFrame, name: str) -> str | None:
    """What says the rows are refunds, in words for the note; None when nothing does."""
    own = _own_id_column(frame)
    if own is not None:
        values = trimmed_text(frame[own]).dropna()
        if len(values) and values.str.fullmatch(_STRIPE_REFUND_ID).mean() >= 0.9:
            return f"its ids in {own!r} are Stripe refund ids ({values.iloc[0]!r})"
        if normalise(str(own)) != "id":
            return f"its id column is {own!r}"
    words = set(normalise(_stem(name)).split("_"))
    # "stripe_refunds.csv" says so; "payments_refund_report.csv" or "orders_and_refunds.csv" may hold money in too
    money_in = {w.rstrip("s") for w in words} & reversals.DOCUMENT_WORDS
    if words & returns.REFUND_WORDS and not money_in:
        return f"its name {name!r} says so"
    return None


def _stem(name: str) -> str:
    return str(name).rsplit("/", 1)[-1].split(".", 1)[0]


def recognised(frame: pd.DataFrame, mapping: ColumnMapping, name: str) -> bool:
    """A refunds export, on the strong evidence of the module docstring."""
    if mapping.shape != "long" or "event" in mapping.columns or "revenue" not in mapping.columns:
        return False
    if any(reversals.reversal_document_column(c) for c in frame.columns):
        return False  # a credit note or a row naming what it takes back: money._mark_returns reads it already
    if returns.refund_column(frame, mapping.used_columns(), mapping.columns.get("revenue")) is not None:
        return False  # a charges export netting its own refunds
    return charge_column(frame, mapping) is not None and evidence(frame, name) is not None


def suggest(frame: pd.DataFrame, mapping: ColumnMapping, name: str) -> None:
    """Read a recognised refunds export as refunds: its rows are the touchpoint 'refund'; without a customer
    column (the guess took the refund's own id) each refund is keyed by the charge it names, for `settle`."""
    if not recognised(frame, mapping, name):
        return
    mapping.event_constant = EVENT
    customer = mapping.columns.get("customer_id")
    if customer is None or not _words(customer) & _CUSTOMER_WORDS:
        mapping.columns["customer_id"] = charge_column(frame, mapping)


def reads_as_refunds(mapping: ColumnMapping) -> bool:
    """Every row of the file is a refund, by its mapping: the touchpoint 'refund' and no event column."""
    return mapping.shape == "long" and "event" not in mapping.columns and reversals.reversal(
        mapping.event_constant or "")


def note(frame: pd.DataFrame, mapping: ColumnMapping, name: str) -> str:
    """The Data page's note on a file read as refunds: what it does, why, and how to undo it."""
    charge = charge_column(frame, mapping)
    money = mapping.columns.get("revenue", "its amount")
    why = evidence(frame, name)
    names = f"the charge it names in {charge!r}" if charge else "the charge it names"
    text = (f"This file is read as refunds: each row takes its {money!r} back from {names} (negative revenue, the "
            f"event {mapping.event_constant!r})" + (f", as {why}" if why else "") + ".")
    if charge is not None and mapping.columns.get("customer_id") == charge:
        text += (" It has no customer column: each refund is the customer of the charge it names, found in the other "
                 "uploaded files.")
    return text + (" If these rows are not refunds, change 'Every row is this touchpoint' to 'purchase' in this "
                   "file's column mapping on the Data page.")


def _purchase_id_column(column) -> bool:
    """A column of another file naming its rows' charge, payment or order: "id", "charge_id", "Order ID"."""
    return normalise(str(column)) == "id" or returns.purchase_id_column(column)


def _charges(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """(id, customer, counted) of every row of `parts` with a purchase id: what a refund's charge can be."""
    pieces = []
    for part in parts:
        counted = part[COUNTED].fillna(False) if COUNTED in part else pd.Series(False, index=part.index)
        for column in (c for c in part.columns if _purchase_id_column(c)):
            pieces.append(pd.DataFrame({"id": trimmed_text(part[column].astype("string")),
                                        "customer": part["customer_id"], "counted": counted.astype(bool)}))
    if not pieces:
        return pd.DataFrame({"id": pd.Series(dtype="string"), "customer": pd.Series(dtype="string"),
                             "counted": pd.Series(dtype=bool)})
    return pd.concat(pieces, ignore_index=True).dropna(subset=["id", "customer"])


def settle(part: pd.DataFrame, others: list[pd.DataFrame], reference: str, *, keyed: bool, notes: list[str]):
    """(the refunds export's rows, {reason: rows to reject}): each refund keyed by its charge's customer when the
    file has no customer column (`keyed`: its customer_id holds the charge), and a refund of a charge whose own file
    already took its refund off counting no money. `reference`: the part's column naming the charge."""
    charges = _charges(others)
    refs = trimmed_text((part["customer_id"] if keyed else part[reference]).astype("string"))
    rejected = {}
    if keyed:
        customers = charges.drop_duplicates(["id", "customer"]).groupby("id")["customer"]
        several = customers.size() > 1
        one = customers.first()[~several]
        found = refs.map(one)
        rejected = {NO_CHARGE: refs.notna() & ~refs.isin(charges["id"]),
                    SEVERAL: refs.isin(several.index[several])}
        rejected = {reason: mask for reason, mask in rejected.items() if mask.any()}
        # the charge stays named beside its customer: cjm.journey.references matches the refund to it
        part = part.assign(customer_id=found.astype("string"), **{reference: refs})
        taken = found.notna()
        if taken.any():
            notes.append(f"Each refund's customer is the customer of the charge it names ({int(taken.sum()):,} "
                         "found in the other uploaded files)" + (": the others are rejected with the reason." if
                                                                  rejected else "."))
    counted = charges[charges["counted"]]
    key = refs.astype("string") + "\x1f" + part["customer_id"].astype("string")
    again = key.isin(counted["id"] + "\x1f" + counted["customer"]) & (part["revenue"] < 0).fillna(False)
    if again.any():
        part = part.assign(revenue=part["revenue"].mask(again, 0.0))
        notes.append(f"{int(again.sum()):,} refund(s) name a charge whose own file already took the refund off (an "
                     "amount refunded, or a status saying refunded): they count no money here, so nothing is taken "
                     "back twice.")
    return part, rejected
