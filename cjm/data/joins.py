"""Which column of a customers file holds the events' customer ids (DESIGN.md section 3: the customers table
joins the events on the customer id).

`key_joining` switches an auto-mapped key that joins few of the file's rows to the column that does (a Stripe
customers export's `id` beside its `Email`); `say_if_joining_no_one` tells the user when a key they chose joins
no event's customer; `zeros_restored` gives back the leading zeros a spreadsheet took from ids (42 is the events'
00042); `second_key` finds a second column naming the same customers (the e-mail beside a payments id), so a
person's events under either id are one customer's (a value on several customers: none of theirs). Each explains
itself in the file's notes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cjm.data.cells import EMAIL, email_ids, to_id_strings, whole_floats
from cjm.data.columns import ColumnMapping


JOIN_SAMPLE = 20_000  # a customers file's rows compared with the events' ids


def _members(ids) -> pa.Array:
    """The events' ids as one Arrow array, made once: pandas' isin on Arrow strings turns every id of the
    events into a Python scalar on each call (a second per column at 60,000 ids; minutes over a wide file)."""
    if isinstance(ids, pa.Array):
        return ids
    return pa.array(pd.Index(ids).dropna().astype("string").to_numpy(dtype=object), type=pa.string())


def _isin(values: pd.Series, members: pa.Array) -> pd.Series:
    """values.isin(ids), by Arrow's kernel: a missing value is in no set."""
    cells = pa.array(values.astype("string").to_numpy(dtype=object, na_value=None), type=pa.string())
    found = pc.fill_null(pc.is_in(cells, value_set=members), False)
    return pd.Series(found.to_numpy(zero_copy_only=False).astype(bool), index=values.index)


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
    members = _members(ids)

    def event_ids(values: pd.Series) -> pd.Series:  # e-mails in lower case, as the keys will be (Dee@x.com: dee@x.com)
        return as_event_ids(email_ids(to_id_strings(values))[0], members, claims)[0]

    def joined(column) -> float:
        values = event_ids(head[column]).dropna()
        return float(_isin(values, members).mean()) if len(values) else 0.0

    def keys_joined(column) -> float:
        """Share of the rows that a value of their own joins: a key names one customer per row, so a number that
        repeats (an age, a tenure in months, a store) or a column filled on a few rows (who referred the
        customer) joins no more customers than it has distinct values."""
        values = event_ids(head[column]).dropna()
        return float(values[_isin(values, members)].nunique() / len(head)) if len(head) else 0.0

    share = joined(chosen)
    taken = set(mapping.used_columns())
    candidates = [c for c in frame.columns if c not in taken and c != "__line__" and not _fractions(head[c])]
    if share >= 0.5:
        return _unique_key(frame, mapping, candidates, event_ids, keys_joined, notes)
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
        values = event_ids(frame[column]).dropna()
        return int(values[_isin(values, members)].nunique())

    before, most = held(chosen), 0
    for column in candidates:
        values = event_ids(head[column]).dropna()
        if len(values) < 0.5 * len(head) or not values.is_unique or not _isin(values, members).any():
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


def _unique_key(frame: pd.DataFrame, mapping: ColumnMapping, candidates: list, event_ids, keys_joined,
                notes: list[str]) -> ColumnMapping:
    """A mapped key joining most of its rows but writing one value on two rows (a Stripe export where a guest
    checkout made a second customer with the same e-mail: Email joins the opens, id the payments) would make those
    rows one customer (the second set aside as a duplicate). A column with a value of its own on every filled row
    joining more of the events' customers by them, on at least half of the rows, is the key instead; the repeated
    value is then a second id of several customers (second_key), which joins none of them. Values are compared
    over the whole file (the repeat may be anywhere in it), the joining over its first rows (keys_joined)."""
    chosen = mapping.columns["customer_id"]
    keys = event_ids(frame[chosen]).dropna()
    repeated = keys[keys.duplicated()]
    if repeated.empty:
        return mapping
    best, best_share = None, max(0.5, keys_joined(chosen))
    for column in candidates:
        found = keys_joined(column)
        if found > best_share and event_ids(frame[column]).dropna().is_unique:
            best, best_share = column, found
    if best is None:
        return mapping
    notes.append(f"{best!r} is the customer id: each row has a value of its own, the events' customer ids on "
                 f"{best_share:.0%} of them, where {chosen!r} writes one value on several rows (such as "
                 f"{repeated.iloc[0]!r}), which would make them one customer.")
    return replace(mapping, columns={**mapping.columns, "customer_id": best})


NO_ONE = "No customer of this file has an event"  # how the note of a customers file that joins no one begins


def _joins_no_one(frame: pd.DataFrame, column: str, ids: pd.Index, *, others: bool) -> str:
    """The note for a customers file whose key holds none of the events' customer ids (`others`: nor does any
    other column of it)."""
    example = to_id_strings(frame[column].iloc[:JOIN_SAMPLE]).dropna()
    return (f"{NO_ONE}: its customer id {column!r} holds values such as "
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
    if not len(ids) or column not in frame.columns:
        return
    keys = to_id_strings(frame[column])
    if mapping.inferred_joins:
        keys = as_event_ids(keys, ids)[0]
    if not _isin(keys, _members(ids)).any():
        notes.append(_joins_no_one(frame, column, ids, others=False))


def zero_padded_claims(ids: pd.Index) -> pd.Series:
    """The events' ids written with leading zeros (00042), indexed by their digits without them (42); digits
    that two ids would claim (0042 and 00042), or that are an event id themselves, are left out."""
    ids = pd.Index(ids).astype("string")
    padded = ids[ids.str.match(r"0\d").fillna(False)]
    claims = pd.Series(padded, index=padded.str.lstrip("0"), dtype="string")
    known = _isin(pd.Series(claims.index, dtype="string"), _members(ids)).to_numpy()
    return claims[~claims.index.duplicated(keep=False) & ~known]


def zeros_restored(keys: pd.Series, ids, claims: pd.Series) -> tuple[pd.Series, int]:
    """(keys, how many were restored): a key of digits that is no event's id but is one of `claims` (see
    zero_padded_claims) is that event's id: a spreadsheet read the file's ids as numbers and dropped the zeros
    (42 is the events' 00042). Not when the column itself says it was not read so: a spreadsheet drops every
    zero, so a key still written with one (00042 beside 43), or a short key joining an event's id as written (the
    CRM's 1 and 2 beside the loyalty cards' 000003), shows ids of their own kind, which 3 would be too.
    `ids`: the events' ids (an Index, or _members of them)."""
    if not len(claims) or not len(keys):
        return keys, 0
    members = _members(ids)
    digits = keys.str.fullmatch(r"\d+").fillna(False)
    if (digits & keys.str.match(r"0\d").fillna(False)).any():
        return keys, 0
    known = _isin(keys, members)
    if (known & digits & (keys.str.len() < claims.str.len().min())).any():
        return keys, 0
    lost = ~known & keys.str.fullmatch(r"[1-9]\d*").fillna(False)
    restored = keys[lost].map(claims)
    found = restored.notna()
    if not found.any():
        return keys, 0
    return keys.mask(lost & found.reindex(keys.index, fill_value=False), restored), int(found.sum())


def zeros_dropped(keys: pd.Series, ids) -> tuple[pd.Series, int]:
    """(keys, how many lost their zeros): the other way round from zeros_restored, the events went through a
    spreadsheet: a key of digits written with leading zeros (00042) that is no event's id, whose digits without
    them (42) are one, is that event's id. Only when no event id is written with a leading zero, the file's keys
    of digits all have one width (a code of fixed length, 00042 ... 12345) and no two keys give the same digits."""
    digits = keys.str.fullmatch(r"\d+").fillna(False)
    padded = digits & keys.str.match(r"0\d").fillna(False)
    if not padded.any() or keys[digits].str.len().nunique() != 1:
        return keys, 0
    members = _members(ids)
    if pc.any(pc.match_substring_regex(members, r"^0\d")).as_py():
        return keys, 0
    stripped = keys.str.lstrip("0")
    lost = padded & ~_isin(keys, members) & _isin(stripped, members) & ~stripped.duplicated(keep=False)
    return (keys.mask(lost, stripped), int(lost.sum())) if lost.any() else (keys, 0)


def decimals_dropped(keys: pd.Series, ids) -> tuple[pd.Series, int]:
    """(keys, how many were rewritten): a key written as a whole number with decimals (42.0: a spreadsheet or
    pandas saved a column of ids with a blank cell as decimals) that is no event's id, whose whole number (42) is
    one, is that event's id. Not when a key of the column has decimals of its own (1.1: a code such as a version)."""
    decimal = keys.str.fullmatch(r"-?\d+\.0+").fillna(False)
    if not decimal.any() or keys.str.fullmatch(r"-?\d+\.\d*[1-9]\d*").fillna(False).any():
        return keys, 0  # codes with decimals of their own (1.0, 1.1, 2.0) are codes, not ids saved as decimals
    members = _members(ids)
    whole = keys.str.replace(r"\.0+$", "", regex=True)
    lost = decimal & ~_isin(keys, members) & _isin(whole, members)
    return (keys.mask(lost, whole), int(lost.sum())) if lost.any() else (keys, 0)


def as_event_ids(keys: pd.Series, ids, claims: pd.Series | None = None) -> tuple[pd.Series, dict[str, int]]:
    """(keys, how many each rule rewrote): a customers file's keys written as the events write them, when a
    spreadsheet changed them: leading zeros restored (zeros_restored) or dropped (zeros_dropped), decimals dropped
    (decimals_dropped). `claims`: zero_padded_claims(ids), when already made."""
    members = _members(ids)
    keys, restored = zeros_restored(keys, members, zero_padded_claims(ids) if claims is None else claims)
    keys, dropped = zeros_dropped(keys, members)
    keys, decimals = decimals_dropped(keys, members)
    return keys, {"zeros restored": restored, "zeros dropped": dropped, "decimals dropped": decimals}


# Columns naming someone beside the customer (who referred them, their account owner, sales rep, agent or
# manager, the parent account or a child's parent, their company, a gift's recipient, an emergency contact, an
# assistant) or something other than a person (a zip code, a coupon, an order): their values may be other
# customers' ids, never this one's.
_OTHER_PARTY = re.compile(r"referr|referred|referral|\brefer\b|parent|manager|owner|agent|assign|sponsor|advis|invit"
                          r"|\bsales\b|salesperson|salesman|\brep\b|represent"
                          r"|creat|modif|updat|spouse|partner|compan|organi[sz]|employer|household|guardian|recruit"
                          r"|\bmother|\bfather|\bmum|\bmom|\bdad\b|\bmama|\bpapa\b"
                          r"|affiliat|sold by|handled by|closed by|supervis|\bboss\b|reports to"
                          r"|recipient|gift|emergency|assistant|secretar|friend|family|colleague|\bcc\b"
                          r"|zip|postal|post code|promo|coupon|discount|voucher|order|invoice|ticket|session|product"
                          r"|sku|campaign|device|\bip\b")
# A second id is named as one (an e-mail, a phone, a card or member number, a user name, another system's id): a
# column of numbers named otherwise (points, visits) may hold another export's ids by chance.
_ID_NAME = re.compile(r"mail|correo|courriel|phone|telef|mobile|\bcell|handy|msisdn|whatsapp|sms|\bids?\b|number"
                      r"|\bno\b|\bnum|\bnr\b|code|\bkey\b|user ?name|login|handle|card|member|account|contact"
                      r"|customer|client|external|uuid|guid|\bref\b|\breference\b")


# A column named for a mailbox (Additional email addresses, Secondary e-mail, Correo, Courriel).
_MAILBOX_NAME = re.compile(r"e ?mail|\bmail\b|correo|courriel")


def second_key_candidate(column, values: pd.Series) -> bool:
    """Whether `column` may be a second id of an events file's customers (second_key then decides): named as an id
    or holding e-mail addresses or phone numbers (its first rows), and named for no one else."""
    name = re.sub(r"[_\-.]+", " ", str(column).lower())
    if _OTHER_PARTY.search(name):
        return False
    return bool(_ID_NAME.search(name)) or _contact_values(values.iloc[:200].dropna().astype("string"))


def _mostly(values: pd.Series, pattern: str) -> bool:
    """At least 80% of the (first 10,000) filled values match `pattern` whole."""
    sample = values.dropna().iloc[:10_000].astype("string")
    return bool(len(sample)) and float(sample.str.fullmatch(pattern).fillna(False).mean()) >= 0.8


def _mailboxes(values: pd.Series) -> bool:
    """Values that are e-mail addresses (most of them)."""
    return _mostly(values, EMAIL)


def _contact_values(values: pd.Series) -> bool:
    """Values that are e-mail addresses or phone numbers written with their '+' (most of them): an id of a
    person whatever the column's name (Correo, Kontakt)."""
    return _mostly(values, rf"{EMAIL}|\+\d[\d \-().]{{6,}}")


# A second id is one value per customer, give or take pairs: a guest checkout makes a second Stripe customer with
# the same e-mail, on 10-30% of a real export's rows. A value on a pair joins neither (`apart`), so pairs are safe up
# to PAIRED_ROWS of the filled rows (on a small file, one pair). A value on GROUP or more customers names someone
# else (who referred them, their account's contact, a shared inbox): the column is no id of the row's customer,
# even on the rows where its value is on one customer only.
GROUP = 3
PAIRED_ROWS = 0.3


class SecondKey(NamedTuple):
    """second_key's answer. column: the second id (None: none); bridge: the events' ids that are the column's
    value of one customer here -> that customer; everyone: every such value of the column (with events or not)
    -> its customer; apart: the events' ids that are the column's value of several customers here -> each of
    them (index repeated), whose events stay under that id."""
    column: str | None
    bridge: pd.Series
    everyone: pd.Series
    apart: pd.Series
    several: str | None = None  # a cell of the column holding several addresses (each an id of its row's customer)


def _on_another_row(values: pd.Series, others: list[pd.Series]) -> tuple[np.ndarray, pd.Series]:
    """(which of a column's ids another mailbox column of the file writes on another row, those ids -> that other
    row): Al's 'Billing Email' is Fin's 'Email', an id of two customers here, which joins neither."""
    if not others:
        return np.zeros(len(values), dtype=bool), pd.Series(dtype="string")
    elsewhere = pd.concat(others)
    mine = pd.DataFrame({"row": values.index, "id": values.to_numpy(), "at": np.arange(len(values))}).dropna()
    found = mine.merge(pd.DataFrame({"other_row": elsewhere.index, "id": elsewhere.to_numpy()}), on="id")
    found = found[found["row"] != found["other_row"]]
    out = np.zeros(len(values), dtype=bool)
    out[found["at"].to_numpy()] = True
    return out, pd.Series(found["other_row"].to_numpy(), index=found["id"].to_numpy())


def second_ids(values: pd.Series, *, split=True) -> tuple[pd.Series, str | None]:
    """(ids, a cell holding several): a column's values as ids (e-mails in lower case), and when some cells hold
    several e-mail addresses (HubSpot's 'Additional email addresses' writes 'a@x.com;b@y.com', or with ',' or
    spaces), one address a row: the index repeats the row, an address written twice in a cell counts once. Cells
    are split only in a column named for e-mail (`split`), when every part of each cell of several parts is an
    address (a name such as 'Ann Lee' is not)."""
    values = to_id_strings(values)
    present = values.dropna()
    if not split or present.empty or not present.str.contains(r"@[^@]*[;,\s][^@]*@").fillna(False).any():
        return email_ids(values)[0], None
    parts = present.str.strip(" ;,").str.split(r"[;,\s]+", regex=True).explode()
    several = parts.index.duplicated(keep=False)
    if not parts[several].str.fullmatch(EMAIL).all():
        return email_ids(values)[0], None
    pairs = pd.DataFrame({"row": parts.index, "id": email_ids(parts.astype("string"))[0].to_numpy()})
    pairs = pairs[pairs["id"].str.len() > 0].drop_duplicates()
    return pd.Series(pairs["id"].to_numpy(), index=pd.Index(pairs["row"]), dtype="string"), present[
        present.index.isin(parts.index[several])].iloc[0]


def second_key(frame: pd.DataFrame, customers: pd.DataFrame, ids: pd.Index, *, key: str,
               exports: list[pd.Series] = ()) -> SecondKey:
    """A customers file that holds, beside its key, a second id of each customer (the e-mail an e-mail tool keys
    its events by, beside the payments' customer id) makes one customer of a person's events under either id. The
    second column is the one naming the most events' customers that are no key of the file, and it must show it
    is an id of the row's own customer:
    - one customer per row: filled on at least half of the rows, no value on GROUP (3) or more rows, and at most
      PAIRED_ROWS (30%) of the filled rows in pairs (on a small file, one pair) (an age or a plan is no id; who
      referred a customer is filled on a few rows, and one referrer brings several customers). A value on several customers
      (one e-mail on two Stripe customers) joins none of them: which one an event under it was is unknown
      (`apart`). A column filled on fewer rows is a second id only as a mailbox of each one's own (HubSpot's
      'Additional email addresses', on the few contacts who gave a second one): named for an e-mail and holding
      e-mail addresses, no value on two rows (a value repeated on a few rows is who referred them). A mailbox is
      never matched by chance, as a number or a code can be (points 12 beside customer 12): an open under it is
      that mailbox's; the name and the tests below say the mailbox is the row's customer's;
    - named as an id (e-mail, phone, card or member number, user name, ...) or holding e-mail addresses or
      +phone numbers, and not named for someone else (a referrer, a parent account, an account owner, a sales
      rep, a manager) nor for something else (a zip code, a coupon);
    - another export's id: a person's second id comes from another tool (opens keyed by e-mail, payments by
      cus_...); a value whose events sit in an export beside this file's keys is another customer of that export
      (a referrer who paid too, a parent account with deals of its own, a number that is some customer's id).
      Not for e-mails beside a key of e-mails (an e-mail tool holds every mailbox: a contact's second one beside
      the others' main ones); there none of the column's values may be another row's key (another customer here).
    A value another mailbox column writes on another row (Al's 'Billing Email' is Fin's 'Email') is on two customers
    too: it joins neither. A cell of several addresses (see second_ids) gives each of them to its row's customer,
    under the same rules counted per address (an address in two cells joins neither), rows counted as rows.
    `customers`: the file's kept rows (index: the frame's rows), keyed by `key`; `exports`: each events file's
    customer ids (none given: the last test is not made)."""
    keys = customers["customer_id"]
    own = _members(keys)
    members = _members(ids)
    empty = pd.Series(dtype="string")
    best, beside = SecondKey(None, empty, empty, empty), None
    mailbox_keys = _mailboxes(keys)
    columns = {}  # column -> (its name in words, its ids (one a row, or several a cell), a cell holding several)
    for column in frame.columns:
        if column in (key, "__line__") or _fractions(frame[column]):
            continue
        name = re.sub(r"[_\-.]+", " ", str(column).lower())
        if not _OTHER_PARTY.search(name):
            columns[column] = (name, *second_ids(frame.loc[customers.index, column], split=_MAILBOX_NAME.search(name)))
    mailboxes = {column: values.dropna() for column, (name, values, _) in columns.items()
                 if _MAILBOX_NAME.search(name) and _mailboxes(values.dropna())}
    for column, (name, values, several) in columns.items():
        present = values.dropna()
        if present.empty or not _ID_NAME.search(name) and not _contact_values(present):
            continue
        mailbox = column in mailboxes
        filled = present.index.nunique()  # rows, however many addresses each holds
        shared = (values.duplicated(keep=False) & values.notna()).to_numpy()
        if filled < 0.5 * len(keys):
            if not mailbox or shared.any():  # a few rows: only a mailbox of each one's own
                continue
        elif present.value_counts().max() >= GROUP or values.index[shared].nunique() > max(2, PAIRED_ROWS * filled):
            continue
        elsewhere, other_rows = _on_another_row(values, [v for c, v in mailboxes.items() if c != column])
        shared = shared | elsewhere
        row_keys = keys.loc[values.index].to_numpy()  # each value's customer (the row's key)
        mine = _isin(values, own).to_numpy()
        events = _isin(values, members).to_numpy() & ~mine
        named = events & ~shared
        if named.sum() <= len(best.bridge):
            continue
        if mailbox and mailbox_keys:  # e-mails beside e-mails: one e-mail tool holds both
            other_row = pd.Series(values.to_numpy(), dtype="string").ne(pd.Series(row_keys, dtype="string"))
            if (mine & other_row.fillna(False).to_numpy(dtype=bool)).any():
                continue
        else:
            if beside is None:  # the events' ids of the exports holding this file's keys, made once
                found = [p.dropna() for p in exports if _isin(p, own).any()]
                beside = _members(pd.concat(found, ignore_index=True).unique() if found else [])
            if _isin(values[events], beside).any():
                continue
        others = values.notna().to_numpy() & ~mine & ~shared
        bridge, everyone, apart = (pd.Series(row_keys[rows], index=values.to_numpy()[rows], dtype="string")
                                   for rows in (named, others, events & shared))
        other_rows = other_rows[other_rows.index.isin(apart.index)]  # the other customers of the ids left apart
        apart = pd.concat([apart, pd.Series(keys.loc[other_rows].to_numpy(), index=other_rows.index, dtype="string")])
        apart = apart[~pd.DataFrame({"id": apart.index, "key": apart.to_numpy()}).duplicated().to_numpy()]
        best = SecondKey(column, bridge, everyone, apart, several=several)
    return best
