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

from cjm.data.cells import trimmed_text
from cjm.data.columns import normalise

COLUMN = "_currency"  # each row's currency while the files are put together (never reaches the engine)

# A column holding the currency of each row's money (normalised names).
_NAMES = {"currency", "currency_code", "currencycode", "curr", "ccy", "cur", "waehrung", "währung", "devise", "moneda",
          "valuta", "divisa", "moeda", "валюта", "presentment_currency", "order_currency", "transaction_currency",
          "payment_currency", "settlement_currency", "converted_currency", "original_currency"}
_CODE = re.compile(r"^[A-Za-z]{3}$")
# Signs that name one currency; "$", "¥" and "kr" are several countries' and stay as written.
_SIGNS = {"€": "EUR", "£": "GBP", "₹": "INR", "₽": "RUB", "₩": "KRW", "₺": "TRY", "₪": "ILS", "₴": "UAH",
          "R$": "BRL", "US$": "USD", "C$": "CAD", "A$": "AUD", "zł": "PLN", "﷼": "IRR", "$": "$", "¥": "¥"}
_IN_CELL = re.compile(r"(US\$|C\$|A\$|R\$|zł|[€£₹₽₩₺₪₴﷼$¥])")


def column_for(frame: pd.DataFrame, revenue_column: str | None) -> str | None:
    """The column naming the currency of `revenue_column`'s money: a Stripe export's 'Converted Amount' goes
    with its 'Converted Currency', its 'Amount' with 'Currency'. None when the file has none."""
    named = [c for c in frame.columns if normalise(c) in _NAMES and _codes(frame[c])]
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
    return bool((text.str.fullmatch(_CODE.pattern) | text.isin(list(_SIGNS))).mean() >= 0.9)


def of_rows(frame: pd.DataFrame, revenue_column: str | None) -> pd.Series | None:
    """Each row's currency (upper-case code, or the sign when it names several: "$"), None for a row that does not
    say; None when the file says no currency at all."""
    column = column_for(frame, revenue_column)
    if column is not None:
        text = trimmed_text(frame[column])
        return text.map(lambda v: _SIGNS.get(v, v), na_action="ignore").str.upper().astype("string")
    if revenue_column is None or revenue_column not in frame.columns or pd.api.types.is_numeric_dtype(frame[revenue_column]):
        return None
    signs = frame[revenue_column].astype("string").str.extract(_IN_CELL, expand=False)
    if signs.isna().all():
        return None
    return signs.map(_SIGNS.get, na_action="ignore").astype("string")


def one_currency(parts: list[pd.DataFrame], notes: list[list[str]]) -> str | None:
    """Revenue in one currency across the event parts (one per file, each with its `COLUMN` when its file says a
    currency): when they write money in two or more, the money of rows in the others is set to none (NaN) and
    each such file's `notes` say so. `COLUMN` is dropped from every part. Returns the currency revenue counts
    (None when no file says one)."""
    with_money = [p.loc[p["revenue"].notna() & (p["revenue"] != 0), COLUMN] for p in parts
                  if COLUMN in p.columns and "revenue" in p.columns]
    counts = pd.concat(with_money).value_counts() if with_money else pd.Series(dtype="int64")
    main = None
    if len(counts):  # the most rows; a tie goes to the code first in the alphabet, the same on every load
        main = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))[0][0]
    for i, part in enumerate(parts):
        if COLUMN not in part.columns:
            continue
        if len(counts) > 1 and "revenue" in part.columns:
            other = (part[COLUMN].notna() & (part[COLUMN] != main) & part["revenue"].notna()).to_numpy(dtype=bool)
            if other.any():
                names = pd.Series(part.loc[other, COLUMN]).value_counts()
                lines = part.loc[other, "_line"].drop_duplicates()
                part = part.assign(revenue=part["revenue"].where(~other, np.nan))
                notes[i].append(
                    f"Money is written in more than one currency, and cjm does not convert between them: revenue "
                    f"counts {main} (the currency of most rows with money, {int(counts[main]):,}). The money of "
                    f"{len(lines):,} row{'s' if len(lines) != 1 else ''} in " + ", ".join(str(c) for c in names.index)
                    + f" (such as line {int(lines.iloc[0])}) is left out of every money figure; their events are kept."
                    " Load each currency on its own to see its money.")
        parts[i] = part.drop(columns=[COLUMN])
    return main
