"""The currency each row's money is in, and revenue kept to one currency: cjm does not convert between them.

A file says its currency in a currency column (Shopify's and Stripe's `Currency`: EUR, usd) or in its money
cells ("€12,00", "$12.00"). When the rows of the files loaded together write money in two or more currencies,
revenue counts the currency of most rows with money; the other rows keep their events, their money is left
out of every figure (revenue, order value, repeat purchases), and the file's notes say how many rows and
which currencies. Adding 100 EUR to 100 USD would give a revenue of 200 of nothing.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cjm.data import currency_codes, returns
from cjm.data.cells import trimmed_text
from cjm.data.columns import normalise

COLUMN = "_currency"  # each row's currency while the files are put together (never reaches the engine)
# The money left out, kept beside it: the payment still happened, so its event stays a purchase where purchases are
# told by their money (a payments log of 'payment' events, a wide orders export).
OTHER = "other_currency_revenue"

# A column holding the currency of each row's money (normalised names).
_NAMES = {"currency", "currency_code", "currencycode", "curr", "ccy", "cur", "waehrung", "währung", "devise", "moneda",
          "valuta", "divisa", "moeda", "валюта", "presentment_currency", "order_currency", "transaction_currency",
          "payment_currency", "settlement_currency", "converted_currency", "original_currency",
          "order_currency_code"}  # BigCommerce's orders export
_CODE = re.compile(r"^[A-Za-z]{3}$")
# Signs that name one currency; "$", "¥" and "kr" are several countries' and stay as written.
SIGNS = {"€": "EUR", "£": "GBP", "₹": "INR", "₽": "RUB", "₩": "KRW", "₺": "TRY", "₪": "ILS", "₴": "UAH",
          "R$": "BRL", "US$": "USD", "C$": "CAD", "A$": "AUD", "zł": "PLN", "﷼": "IRR", "$": "$", "¥": "¥"}
# A sign, or an ISO 4217 code written first or last in the cell ('3 EUR', 'USD 1,200.00', with its spaces: drop
# them, currency_codes.SPACE), as the one group: a code names its currency as a sign does.
IN_CELL = re.compile(currency_codes.IN_CELL)


# ISO codes a money column's name may end with ("purchase_revenue_in_usd", "Amount (EUR)", "total_gbp").
_NAMED_CODES = {"usd", "eur", "gbp", "jpy", "cny", "rmb", "inr", "brl", "cad", "aud", "nzd", "chf", "sek", "nok", "dkk",
                "pln", "czk", "huf", "rub", "uah", "try", "krw", "mxn", "zar", "sgd", "hkd", "ils", "aed", "sar"}


# A currency sign in brackets at the end of a money column's name: "Sale Price ($)", "Prix (€)", "Total [£]".
_SIGN_IN_NAME = re.compile(r"[(\[]\s*(" + "|".join(re.escape(s) for s in sorted(SIGNS, key=len, reverse=True))
                           + r")\s*[)\]]\s*$")


def named_in(column: str | None) -> str | None:
    """The currency a money column's name states: 'purchase_revenue_in_usd' -> 'USD' (GA4's revenue converted by
    Google, whatever the shop charged), 'Amount (EUR)' -> 'EUR', 'Prix (€)' -> 'EUR', 'Sale Price ($)' -> '$' (a
    sign of several countries' stays as written); None when the name states none."""
    if column is None:
        return None
    sign = _SIGN_IN_NAME.search(str(column))
    if sign is not None:  # 'Sale Price ($)' (Gumroad), 'Prix (€)': the sign's currency, as a cell's sign says it
        return SIGNS[sign.group(1)].upper()
    words = normalise(column).split("_")
    return words[-1].upper() if len(words) > 1 and words[-1] in _NAMED_CODES else None


def converted_instead(frame: pd.DataFrame, revenue_column: str | None) -> str | None:
    """A Stripe payments export's 'Converted Amount' when its mapped 'Amount' is in several currencies and the
    converted amounts are all in one (the account's): every charge then counts, none is left out."""
    if revenue_column is None or "converted" in normalise(revenue_column):
        return None
    own = column_for(frame, revenue_column)
    if own is None or _distinct(frame[own]) < 2:
        return None
    converted = next((c for c in frame.columns if normalise(c) == "converted_amount"), None)
    currency = column_for(frame, converted) if converted is not None else None
    if currency is None or "converted" not in normalise(currency) or _distinct(frame[currency]) != 1:
        return None
    return converted


def _distinct(values: pd.Series) -> int:
    return int(trimmed_text(values).str.upper().nunique())


def named_columns(columns) -> list:
    """The columns named like a currency column (whatever they hold)."""
    return [c for c in columns if normalise(c) in _NAMES]


def column_for(frame: pd.DataFrame, revenue_column: str | None) -> str | None:
    """The column naming the currency of `revenue_column`'s money: a Stripe export's 'Converted Amount' goes
    with its 'Converted Currency', its 'Amount' with 'Currency'. None when the file has none."""
    named = [c for c in named_columns(frame.columns) if _codes(frame[c])]
    if not named:
        return None
    converted = revenue_column is not None and "converted" in normalise(revenue_column)
    same = [c for c in named if ("converted" in normalise(c)) == converted]
    return (same or named)[0]


def _codes(values: pd.Series) -> bool:
    """Most filled cells are a 3-letter code (EUR, usd) or a currency sign."""
    text = trimmed_text(values.iloc[:2000]).dropna()
    if text.empty:
        return False
    return bool((text.str.fullmatch(_CODE.pattern) | text.isin(list(SIGNS))).mean() >= 0.9)


def of_rows(frame: pd.DataFrame, revenue_column: str | None, *, customers: pd.Series | None = None) -> pd.Series | None:
    """Each row's currency (upper-case code, or the sign when it names several: "$"), None for a row that does not
    say; None when the file says no currency at all. With the rows' `customers`, the line items of one order read
    its currency where only its first line writes it (Shopify)."""
    stated = named_in(revenue_column)
    if stated is not None:
        return pd.Series(stated, index=frame.index, dtype="string")
    column = column_for(frame, revenue_column)
    if column is not None:
        text = trimmed_text(frame[column])
        codes = text.map(lambda v: SIGNS.get(v, v), na_action="ignore").str.upper().astype("string")
        key = returns.order_key(frame, set()) if customers is not None and codes.isna().any() else None
        if key is not None:
            orders = returns.order_codes(customers, frame[key])
            codes = codes.fillna(codes.groupby(orders).transform("first"))
        return codes
    if revenue_column is None or revenue_column not in frame.columns or pd.api.types.is_numeric_dtype(frame[revenue_column]):
        return None
    # each distinct cell read once (amounts repeat; the pattern tries 159 codes at every position of a cell)
    codes, cells = pd.factorize(frame[revenue_column].astype("string"))
    found = pd.Series(cells, dtype="string").str.extract(IN_CELL, expand=False)
    if found.isna().all():
        return None
    # a sign names its currency (SIGNS), a code is its own ('EUR'): IN_CELL finds nothing else
    found = found.str.replace(currency_codes.SPACE, "", regex=True).replace(SIGNS).to_numpy(dtype=object)
    return pd.Series(np.where(codes >= 0, found[np.maximum(codes, 0)], None), index=frame.index, dtype="string")


def one_currency(parts: list[pd.DataFrame], notes: list[list[str]]) -> str | None:
    """Revenue in one currency across the event parts (one per file, each with its `COLUMN` when its file says a
    currency): when they write money in two or more, the money of rows in the others is set to none (NaN) and
    each such file's `notes` say so. `COLUMN` is dropped from every part. Returns the currency revenue counts
    (None when no file says one)."""
    _same_signs_as_codes(parts)
    with_money = [p.loc[p["revenue"].notna() & (p["revenue"] != 0), COLUMN] for p in parts
                  if COLUMN in p.columns and "revenue" in p.columns]
    counts = pd.concat(with_money).value_counts() if with_money else pd.Series(dtype="int64")
    main = None
    if len(counts):  # the most rows; a tie goes to the code first in the alphabet, the same on every load
        main = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))[0][0]
    for i, part in enumerate(parts):
        if COLUMN not in part.columns:
            if main is not None and "revenue" in part.columns and part["revenue"].fillna(0).ne(0).any():
                notes[i].append(f"This file does not say the currency of its money: it is counted as {main}, the "
                                "currency the other files write. If it is another one, load this file on its own.")
            continue
        if len(counts) > 1 and "revenue" in part.columns:
            other = (part[COLUMN].notna() & (part[COLUMN] != main) & part["revenue"].notna()).to_numpy(dtype=bool)
            if other.any():
                names = pd.Series(part.loc[other, COLUMN]).value_counts()
                lines = part.loc[other, "_line"].drop_duplicates()
                part = part.assign(revenue=part["revenue"].where(~other, np.nan),
                                   **{OTHER: part["revenue"].where(other, np.nan)})
                notes[i].append(left_out_note(main, int(counts[main]), len(lines), list(names.index),
                                              example_line=int(lines.iloc[0])))
        parts[i] = part.drop(columns=[COLUMN])
    return main


def left_out_note(main: str, main_rows: int, left_rows: int, codes: list, *, example_line: int | None = None) -> str:
    """The note of a file whose money in other currencies than `main` is left out (uploads and tables read in place)."""
    return (f"Money is written in more than one currency, and cjm does not convert between them: revenue counts {main} "
            f"(the currency of most rows with money, {main_rows:,}). The money of {left_rows:,} "
            f"row{'s' if left_rows != 1 else ''} in " + ", ".join(map(str, codes))
            + (f" (such as line {example_line})" if example_line is not None else "")
            + " is left out of every money figure; their events are kept. Load each currency on its own to see its money.")


_SHARED_SIGNS = {"$": {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"}, "¥": {"JPY", "CNY", "RMB"}}


def _same_signs_as_codes(parts: list[pd.DataFrame]) -> None:
    """A sign several currencies share ($, ¥) is the one currency of that sign the other rows name by its code:
    '$5.00' beside a Stripe file in usd is USD, not a second currency."""
    present = set()
    for part in parts:
        if COLUMN in part.columns:
            present |= set(part[COLUMN].dropna().unique())
    for sign, code in shared_signs(present).items():
        for i, part in enumerate(parts):
            if COLUMN in part.columns:
                parts[i] = part.assign(**{COLUMN: part[COLUMN].replace(sign, code)})


def shared_signs(present) -> dict:
    """{sign: code} for each sign several currencies share ($, ¥) among the `present` currencies whose one
    currency of that sign they also name by its code ('$' and 'USD': '$' is USD)."""
    present = set(present)
    out = {}
    for sign, codes in _SHARED_SIGNS.items():
        named = present & codes
        if sign in present and len(named) == 1:
            out[sign] = next(iter(named))
    return out


def paid(t):
    """An Ibis condition: the event moved money (positive revenue, in the counted currency or another one)."""
    return (t.revenue > 0) | (t[OTHER] > 0) if OTHER in t.columns else t.revenue > 0


def amount(t):
    """An Ibis value: the event's money in whatever currency it was written (revenue, else the money left out)."""
    return t.revenue.coalesce(t[OTHER]) if OTHER in t.columns else t.revenue
