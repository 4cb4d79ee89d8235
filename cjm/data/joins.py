"""Which column of a customers file holds the events' customer ids (DESIGN.md section 3: the customers table
joins the events on the customer id).

`key_joining` switches an auto-mapped key that joins few of the file's rows to the column that does (a Stripe
customers export's `id` beside its `Email`); `say_if_joining_no_one` tells the user when a key they chose joins
no event's customer; `zeros_restored` gives back the leading zeros a spreadsheet took from ids (42 is the events'
00042); `second_key` finds a second column naming the same customers (the e-mail beside a payments id), so a
person's events under either id are one customer's. Each explains itself in the file's notes.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from cjm.data.cells import email_ids, to_id_strings, whole_floats
from cjm.data.columns import ColumnMapping


JOIN_SAMPLE = 20_000  # a customers file's rows compared with the events' ids


def key_joining(frame: pd.DataFrame, mapping: ColumnMapping, ids: pd.Index, notes: list[str]) -> ColumnMapping:
    """A customers file's key is the column whose values are the events' customer ids. A Stripe customers
    export names its key "id" (cus_...) beside "Email", and the auto-mapping takes the e-mail, which its
    payments export (keyed by "Customer ID") never holds: no customer would join. When the mapped key joins
    fewer than half of its rows and another column joins at least half and twice as many, that one is the key
    (each row by a value of its own: see keys_joined); else a key column holding at least half of the events'
    customers and more than twice as many as the mapped one (a list of every customer beside the active few)."""
    chosen = mapping.columns.get("customer_id")
    if chosen is None or not len(ids):
        return mapping
    head = frame.iloc[:JOIN_SAMPLE]

    claims = zero_padded_claims(ids)

    def as_event_ids(values: pd.Series) -> pd.Series:
        return zeros_restored(to_id_strings(values), ids, claims)[0]

    def joined(column) -> float:
        values = as_event_ids(head[column]).dropna()
        return float(values.isin(ids).mean()) if len(values) else 0.0

    def keys_joined(column) -> float:
        """Share of the rows that a value of their own joins: a key names one customer per row, so a number that
        repeats (an age, a tenure in months, a store) or a column filled on a few rows (who referred the
        customer) joins no more customers than it has distinct values."""
        values = as_event_ids(head[column]).dropna()
        return float(values[values.isin(ids)].nunique() / len(head)) if len(head) else 0.0

    share = joined(chosen)
    if share >= 0.5:
        return mapping
    taken = set(mapping.used_columns())
    candidates = [c for c in frame.columns if c not in taken and c != "__line__" and not _fractions(head[c])]
    best, best_share, needed = None, 0.0, max(0.5, 2 * share)
    for column in candidates:
        found = keys_joined(column)
        if found >= needed and found > best_share:  # the first of two equally joining columns
            best, best_share = column, found
    if best is not None:
        notes.append(f"{best!r} is the customer id: its values are the events' customer ids ({best_share:.0%} "
                            f"of its rows join), where {chosen!r} holds other values ({share:.0%} join).")
        return replace(mapping, columns={**mapping.columns, "customer_id": best})

    # A list of every customer beside the events of the active ones (a Stripe customers export of everyone who
    # signed up, beside a month's payments): its key joins a minority of its rows, but it is a key (a value on
    # most rows, none twice) holding at least half of the events' customers, and more than twice as many as the
    # mapped column. Counted over the whole file: the active ones may be anywhere in it.
    def held(column) -> int:
        values = as_event_ids(frame[column]).dropna()
        return int(values[values.isin(ids)].nunique())

    before, most = held(chosen), 0
    for column in candidates:
        values = as_event_ids(head[column]).dropna()
        if len(values) < 0.5 * len(head) or not values.is_unique or not values.isin(ids).any():
            continue
        found = held(column)
        if found >= 0.5 * len(ids) and found > 2 * before and found > most:
            best, most = column, found
    if best is None:
        if before == 0:  # said, not left to be found out on the Segments page
            notes.append(_joins_no_one(head, chosen, ids, others=True))
        return mapping
    notes.append(f"{best!r} is the customer id: it holds {most:,} of the events' {len(ids):,} customers "
                        f"(the others in the file have no events), where {chosen!r} holds {before:,}.")
    return replace(mapping, columns={**mapping.columns, "customer_id": best})


def _joins_no_one(frame: pd.DataFrame, column: str, ids: pd.Index, *, others: bool) -> str:
    """The note for a customers file whose key holds none of the events' customer ids (`others`: nor does any
    other column of it)."""
    example = to_id_strings(frame[column].iloc[:JOIN_SAMPLE]).dropna()
    return (f"No customer of this file has an event: its customer id {column!r} holds values such as "
            f"{example.iloc[0] if len(example) else ''!r}, the events' customer ids look like {ids[0]!r}"
            + (", and no other column of it holds them" if others else "") + ". Its columns reach no customer "
            "(segments, personas). Check that both files write customers the same way: the same id, e-mail addresses "
            "in the same case, ids with their leading zeros.")


def _fractions(values: pd.Series) -> bool:
    """Numbers with fractions (amounts, scores) are no ids; whole numbers read as floats are: an Excel or Parquet
    column of ids with a blank cell holds 101.0, 102.0, NaN (to_id_strings makes them '101', '102')."""
    return pd.api.types.is_float_dtype(values) and values.notna().any() and not whole_floats(values)


def say_if_joining_no_one(frame: pd.DataFrame, mapping: ColumnMapping, ids: pd.Index, notes: list[str]) -> None:
    column = mapping.columns.get("customer_id")
    if len(ids) and column in frame.columns and not zeros_restored(
            to_id_strings(frame[column]), ids, zero_padded_claims(ids))[0].isin(ids).any():
        notes.append(_joins_no_one(frame, column, ids, others=False))


def zero_padded_claims(ids: pd.Index) -> pd.Series:
    """The events' ids written with leading zeros (00042), indexed by their digits without them (42); digits
    that two ids would claim (0042 and 00042), or that are an event id themselves, are left out."""
    ids = pd.Index(ids).astype("string")
    padded = ids[ids.str.match(r"0\d").fillna(False)]
    claims = pd.Series(padded, index=padded.str.lstrip("0"), dtype="string")
    return claims[~claims.index.duplicated(keep=False) & ~claims.index.isin(ids)]


def zeros_restored(keys: pd.Series, ids: pd.Index, claims: pd.Series) -> tuple[pd.Series, int]:
    """(keys, how many were restored): a key of digits that is no event's id but is one of `claims` (see
    zero_padded_claims) is that event's id: a spreadsheet read the file's ids as numbers and dropped the zeros
    (42 is the events' 00042)."""
    if not len(claims) or not len(keys):
        return keys, 0
    lost = keys.notna() & ~keys.isin(ids) & keys.str.fullmatch(r"[1-9]\d*").fillna(False)
    restored = keys[lost].map(claims)
    found = restored.notna()
    if not found.any():
        return keys, 0
    return keys.mask(lost & found.reindex(keys.index, fill_value=False), restored), int(found.sum())


def second_key(frame: pd.DataFrame, customers: pd.DataFrame, ids: pd.Index, *, key: str) -> tuple[str | None, pd.Series]:
    """(column, other id -> customer id): a customers file that holds, beside its key, a second id of each
    customer (the e-mail an e-mail tool keys its events by, beside the payments' customer id) makes one customer
    of a person's events under either id. The second column is the one naming the most events' customers that
    are no key of the file; it must name one customer per row (no value twice: an age or a plan is no id).
    `customers`: the file's kept rows (index: the frame's rows), keyed by `key`."""
    keys = customers["customer_id"]
    own = pd.Index(keys.dropna())
    best, bridge = None, pd.Series(dtype="string")
    for column in frame.columns:
        if column in (key, "__line__") or _fractions(frame[column]):
            continue
        values = email_ids(to_id_strings(frame.loc[customers.index, column]))[0]
        present = values.dropna()
        if present.empty or not present.is_unique:
            continue
        named = values.notna() & values.isin(ids) & ~values.isin(own)
        if named.sum() > len(bridge):
            best, bridge = column, pd.Series(keys[named].to_numpy(), index=values[named].to_numpy(), dtype="string")
    return best, bridge
