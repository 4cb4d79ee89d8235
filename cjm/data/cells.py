"""Numbers and ids as exports write them: decimal commas, thousands separators, currency signs; yes / no flags."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cjm.data.currency_codes import CODE_WRITTEN, NOT_THREE_DECIMALS

_DECIMAL_COMMA = r"^-?\d{1,3}(?:[.\s\u00a0']\d{3})*,\d+$|^-?\d+,\d+$"
# Signs written with letters ('R$ 10,00', 'US$5', 'zł 12': cjm.data.currencies.SIGNS) go whole, before the one-character
# signs: left, their letters made the cell no number ('R10,00'). The no-break spaces are named, as SQL engines' \s is
# ASCII only: U+00A0, and U+202F and U+2009 that French formatting writes ('1\u202f234,56\u202f€').
_STRIP = r"US\$|C\$|A\$|R\$|zł|[\s\u00a0\u202f\u2009$€£¥￥₹₽₩₺₪₴﷼%]"
# An ISO 4217 code first or last in the cell, a whole word beside the number ('3 EUR', 'USD 1,200.00':
# cjm.data.currency_codes.CODE_WRITTEN), goes too: after the signs and spaces, and only from cells with a capital
# letter (CAPITAL), as its pattern of 159 codes cost as much again as the signs' on every cell ('12,50 €').
CODE = CODE_WRITTEN
CAPITAL = "[A-Z]"
# Every comma followed by three digits, the first group not a zero: "1,200" and "12,000" are thousands (money with
# three decimals is rare), where "0,750" and "12,50" are decimal commas.
_THOUSANDS_ONLY = r"^-?[1-9]\d{0,2}(?:,\d{3})+$"
# The same with dots, as European money writes them: '1.200', '12.000' (`dot_thousands`).
_DOT_THOUSANDS = r"^-?[1-9]\d{0,2}(?:\.\d{3})+$"
# One separator before exactly three digits ('1.200', '-1,200'): a decimal point or a thousands mark alike, so such a
# cell does not vote on the decimal comma. Counted, '1.200 €' beside '12,50 €' was a tie, read as thousands: 12,50
# became 1250 (a group of two digits after a thousands comma is no number anyone writes).
_EITHER = r"^-?[1-9]\d{0,2}[.,]\d{3}$"

# How exports write "no value" (R, pandas, Excel, SQL dumps): an id holding one of these is missing, never
# a customer called "NA" (DESIGN.md section 3).
MISSING_TOKENS = frozenset({"", "na", "n/a", "#n/a", "null", "none", "nan", "-", "?", "nil", "<na>", "nat"})


_LONGEST_TOKEN = max(map(len, MISSING_TOKENS))


def missing_tokens(values: pd.Series) -> pd.Series:
    """True where a text cell is empty or a missing-value token (NA, N/A, #N/A, null, None, nan, -, ?)."""
    text = values.astype("string")
    cells = _arrow_cells(text)
    if cells is not None:
        return pd.Series(_token_mask(pc.utf8_trim_whitespace(cells)), index=values.index)
    text = text.str.strip()
    missing = text.isna().to_numpy(dtype=bool, copy=True)
    # Only short cells can be a token: lower-casing a million long ids to find none costs most of a load.
    short = ~missing & (text.str.len() <= _LONGEST_TOKEN).to_numpy(dtype=bool, na_value=False)
    if short.any():
        missing[short] = text[short].str.lower().isin(MISSING_TOKENS).to_numpy(dtype=bool)
    return pd.Series(missing, index=values.index)


def parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(floats, unparsed mask). '1.234,56' and '1,234.56' both become 1234.56; '' becomes NaN."""
    if pd.api.types.is_bool_dtype(values):
        return values.astype("float64"), pd.Series(False, index=values.index)
    if pd.api.types.is_numeric_dtype(values):
        return _finite(values.astype("float64"), pd.Series(False, index=values.index))
    text = values.astype("string")
    cells = _arrow_cells(text)
    text = _as_series(pc.utf8_trim_whitespace(cells), like=text) if cells is not None else text.str.strip()
    present = text.notna() & (text != "")
    plain = _plain_numbers(text, present)
    if plain is not None:
        return _finite(plain, present & plain.isna())
    cleaned = negative_written(without_signs(text))
    # the first cells that write a separator: 2,000 whole numbers ahead of '12,5' must not make it 125
    separated = present & cleaned.str.contains(r"[,.]", regex=True).fillna(False).astype(bool)
    if decimal_comma(cleaned[separated].head(NUMBER_SAMPLE), text[separated].head(NUMBER_SAMPLE)):
        cleaned = cleaned.str.replace(r"[.']", "", regex=True).str.replace(",", ".", regex=False)
    else:
        cleaned = cleaned.str.replace(r"[,']", "", regex=True)
    numbers = pd.to_numeric(cleaned.astype(object).where(present, None), errors="coerce").astype("float64")
    return _finite(numbers, present & numbers.isna())


def without_signs(text: pd.Series) -> pd.Series:
    """`text` (trimmed cells) without the signs, spaces and currency codes around their numbers: '12,50 €' -> '12,50',
    '3 EUR' -> '3', 'USD 1,200.00' -> '1,200.00'; '3 TEUR' -> '3T', still no number (what is dropped around a number:
    also cjm.data.columns, whether a column holds numbers; in place, cjm.data.source._numbers does the same)."""
    cleaned = text.str.replace(_STRIP, "", regex=True)
    coded = cleaned.str.contains(CAPITAL, regex=True).fillna(False).astype(bool)
    if coded.any():
        cleaned = cleaned.mask(coded, cleaned[coded].str.replace(CODE, "", regex=True))
    return cleaned


# Accounting writes a refund in parentheses, '(12.50)' or '($12.50)', and SAP with the minus after it, '12,50-': both
# are -12.50 (RE2 and Python rewrite \1 alike: pandas' Arrow strings, DuckDB, PostgreSQL).
NEGATIVE = ((r"^\((.+)\)$", r"-\1"), (r"^([0-9][0-9.,']*)-$", r"-\1"))


def negative_written(cleaned: pd.Series) -> pd.Series:
    """`cleaned` (signs and spaces dropped) with '(12.50)' and '12,50-' written as '-12.50', '-12,50'."""
    for pattern, rewrite in NEGATIVE:
        cleaned = cleaned.str.replace(pattern, rewrite, regex=True)
    return cleaned


NUMBER_SAMPLE = 2000  # the first cells of a column with a comma or a dot: they say whether it writes decimal commas
# the same signs, the no-break spaces written as themselves (for SQL engines)
STRIP = _STRIP.replace("\\u00a0", "\u00a0").replace("\\u202f", "\u202f").replace("\\u2009", "\u2009")


def decimal_comma(sample: pd.Series, written: pd.Series | None = None) -> bool:
    """Whether numbers written like `sample` (a column's first cells with a comma or a dot, signs and spaces stripped)
    use a decimal comma: most of those with a comma or a dot look like '12,50' or '1.234,50', unless every comma
    sets off thousands. Cells without either ('8', 'n/a') say nothing about it: counted, a shop's '8 €' and '12,00 €'
    were a tie, read as thousands (1200). Also when the dots set off thousands in money written with its currency
    (`dot_thousands`, told from `written`, the same cells as written): '1.200 €' is European, as '1.200,00 €' is."""
    sample = sample.astype("string")  # its callers pick the cells with a comma or a dot (2,000 of them, not fewer)
    if written is not None and dot_thousands(sample, written):
        return True
    voters = sample[~sample.str.fullmatch(_EITHER).fillna(False).astype(bool)]
    if not len(voters) or not voters.str.match(_DECIMAL_COMMA).mean() > 0.5:
        return False
    # '¥1,200', '¥800', '¥12,000': a comma in every number that has one sets off thousands
    commas = sample[sample.str.contains(",", regex=False)]
    return not (len(commas) and commas.str.fullmatch(_THOUSANDS_ONLY).all()
                and not sample.str.contains(".", regex=False).any())


def dot_thousands(sample: pd.Series, written: pd.Series) -> bool:
    """Whether the dots of a money column set off thousands: each of `sample` (its first cells with a comma or a dot,
    signs and spaces stripped) writes only dots, each followed by exactly three digits ('1.200', '-12.000': so no
    comma in them, and no cents), and each of `written` (the same cells as written) a currency sign or code ('1.200 €',
    'EUR 12.000'; not a currency of three decimals, '1.200 KWD': cjm.data.currency_codes.THREE_DECIMALS). Money with
    three decimals is no price, so '1.200 €' is 1,200 euros.
    Without a sign '1.200' stays 1.2 (today's reading, kept on purpose): a US export writes '1.200' for 1.2 as well,
    a European one for 1,200, and nothing in the column tells them apart."""
    sample = sample.astype("string")
    if not len(sample) or not bool(sample.str.fullmatch(_DOT_THOUSANDS).fillna(False).all()):
        return False
    signed = written.astype("string").str.contains(NOT_THREE_DECIMALS, regex=True)
    return bool(signed.fillna(False).all())


# ASCII digits only: \d would also accept other scripts' digits ("١٢", "１２"), which the cast reads as
# numbers but the general path (pd.to_numeric) leaves unreadable.
_PLAIN = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
PLAIN = _PLAIN  # what a file read in place casts as a number (cjm.data.source)
# "-0" written as a whole number: pd.to_numeric reads it as the integer 0 (0.0) when every cell is a whole
# number and as -0.0 otherwise, while the cast always gives -0.0; such columns take the general path.
_INTEGER_MINUS_ZERO = r"^-0+$"


def _plain_numbers(text: pd.Series, present: pd.Series) -> pd.Series | None:
    """Floats when every present cell is a plain number ("12", "-3.5", "1e3"): what the general path
    below makes of them, read in one vectorised cast; None when any cell needs that path."""
    rows = present.to_numpy(dtype=bool)
    arrow = _arrow_cells(text)
    if arrow is not None:  # the kernels pandas' fullmatch runs, on the present cells taken by a filter
        cells = pc.filter(arrow, pa.array(rows))
        if not len(cells) or not pc.all(pc.match_substring_regex(cells, _PLAIN)).as_py():
            return None
        if pc.any(pc.match_substring_regex(cells, _INTEGER_MINUS_ZERO)).as_py():
            return None
        read = np.asarray(text.dtype.__from_arrow__(cells).astype("float64"), dtype="float64")
    else:
        cells = text[present]
        if not len(cells) or not bool(cells.str.fullmatch(_PLAIN).all()):
            return None
        if bool(cells.str.fullmatch(_INTEGER_MINUS_ZERO).any()):
            return None
        read = cells.astype("float64").to_numpy()
    numbers = np.full(len(text), np.nan)
    numbers[rows] = read
    return pd.Series(numbers, index=text.index, dtype="float64")


def _finite(numbers: pd.Series, bad: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Infinity never reaches a figure: inf/-inf cells become null and count as unreadable."""
    infinite = pd.Series(np.isinf(numbers.to_numpy(dtype="float64", na_value=np.nan)), index=numbers.index)
    if infinite.any():
        numbers = numbers.mask(infinite)
        bad = bad | infinite
    return numbers, bad


def whole_floats(values: pd.Series) -> bool:
    """A float column whose present values are all whole numbers (ids read from a spreadsheet: 101.0, NaN)."""
    whole = values.dropna()
    return bool(len(whole)) and bool(np.all(np.mod(whole.to_numpy(), 1) == 0))


def to_id_strings(values: pd.Series) -> pd.Series:
    """Ids as strings, byte for byte for text; 12.0 from a spreadsheet becomes '12', not '12.0'."""
    if pd.api.types.is_float_dtype(values) and whole_floats(values):
        return values.astype("Int64").astype("string")
    if pd.api.types.is_integer_dtype(values) or pd.api.types.is_bool_dtype(values):
        return values.astype("string")
    text = values.astype("string")
    cells = _arrow_cells(text)
    if cells is not None:  # the same steps on the Arrow array, without pandas around each one
        trimmed = pc.utf8_trim_whitespace(cells)
        return _as_series(_null_where(trimmed, _token_mask(trimmed)), like=text)
    out = text.str.strip()
    return out.mask(missing_tokens(out))


# Cell kinds Arrow stores in one typed column; any other mix (text beside numbers, as a spreadsheet's
# invoice column "536365" / "C536379" or a JSON property 5 / "x5") is kept as text.
_ONE_KIND = frozenset({"string", "integer", "floating", "mixed-integer-float", "decimal", "boolean",
                       "datetime", "datetime64", "date", "empty"})


def uniform_cells(values: pd.Series) -> pd.Series:
    """An extra column as one kind of cell: Python objects of mixed kinds (numbers and text from an Excel
    sheet or a JSON export) become text, whole numbers written without '.0'; other columns unchanged."""
    if values.dtype != object or pd.api.types.infer_dtype(values, skipna=True) in _ONE_KIND:
        return values
    whole = [int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 2**53 else v for v in values]
    text = pd.Series(whole, index=values.index, dtype=object)
    present = text.notna()
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    out[present] = text[present].map(str).astype("string")
    return out


def trimmed_text(values: pd.Series) -> pd.Series:
    """Text cells with surrounding whitespace removed; empty cells become missing (<NA>)."""
    text = values.astype("string")
    cells = _arrow_cells(text)
    if cells is not None:
        trimmed = pc.utf8_trim_whitespace(cells)
        empty = pc.fill_null(pc.equal(trimmed, ""), False).to_numpy(zero_copy_only=False)
        return _as_series(_null_where(trimmed, np.asarray(empty, dtype=bool)), like=text)
    out = text.str.strip()
    return out.mask(out == "")


# pandas keeps "string" cells in Arrow (storage "pyarrow", the default when pyarrow is installed) and runs
# its str methods as the Arrow kernels below (strip = utf8_trim_whitespace, len = utf8_length, lower =
# utf8_lower, isin = is_in); calling the kernels directly gives the same cells without a pandas Series
# built around every intermediate step. Text held in Python objects takes the pandas path.
_TOKENS = pa.array(sorted(MISSING_TOKENS), type=pa.large_string())


def _arrow_cells(text: pd.Series) -> pa.ChunkedArray | None:
    dtype = text.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        cells = pa.chunked_array(text.array.__arrow_array__())
        return cells if pa.types.is_large_string(cells.type) else None
    return None


def _as_series(cells: pa.ChunkedArray, *, like: pd.Series) -> pd.Series:
    return pd.Series(like.dtype.__from_arrow__(cells), index=like.index, name=like.name)


def _token_mask(trimmed: pa.ChunkedArray) -> np.ndarray:
    """missing_tokens on trimmed Arrow cells: null, or short enough to be a token and one in any case.
    Short is counted in bytes, not characters: a cell that lower-cases to a token has at most 4 bytes
    (tokens are ASCII, and only "İ" (2 bytes, to "i") and the Kelvin sign (to "k") lower-case to ASCII
    from outside it), so no token is missed and the same cells are looked up."""
    missing = np.asarray(trimmed.is_null().to_numpy(zero_copy_only=False), dtype=bool).copy()
    short = pc.fill_null(pc.less_equal(pc.binary_length(trimmed), _LONGEST_TOKEN), False)
    short_rows = np.asarray(short.to_numpy(zero_copy_only=False), dtype=bool)
    if short_rows.any():
        lowered = pc.utf8_lower(pc.filter(trimmed, short))
        missing[short_rows] = np.asarray(pc.is_in(lowered, value_set=_TOKENS).to_numpy(zero_copy_only=False),
                                         dtype=bool)
    return missing


def _null_where(cells: pa.ChunkedArray, mask: np.ndarray) -> pa.ChunkedArray:
    if not mask.any():
        return cells
    return pc.if_else(pa.array(mask), pa.scalar(None, type=cells.type), cells)


# How exports write yes and no in a flag column (TRUE/FALSE, yes/no, y/n, 1/0, an "x" in a ticked box), any case,
# also in the languages exports come in: German ja/nein, wahr/falsch; French oui/non, vrai/faux; Spanish, Italian
# and Portuguese sí/si/sì/sim, no/não, verdadero/vero/verdadeiro, falso; Dutch ja/nee, waar/onwaar; Nordic ja,
# nej/nei, sann/sand, falsk; Polish tak/nie; Turkish evet/hayır; Russian да/нет.
# A yes / no cell, trimmed and in lower case, is one of these words (also read in the engine for tables read in place:
# cjm.data.source); YES and NO match exactly them.
YES_WORDS = ("true", "yes", "y", "1", "1.0", "x", "ja", "wahr", "oui", "vrai", "si", "sí", "sì", "sim", "verdadero",
             "verdadeiro", "vero", "waar", "sann", "sand", "tak", "evet", "да")
NO_WORDS = ("false", "no", "n", "0", "0.0", "nein", "falsch", "non", "faux", "nao", "não", "falso", "nee", "onwaar",
            "nej", "nei", "falsk", "nie", "hayir", "hayır", "нет")
YES, NO = ("|".join(w.replace(".", r"\.") for w in words) for words in (YES_WORDS, NO_WORDS))


def yes_no(values: pd.Series) -> pd.Series | None:
    """True, False or missing per cell of a yes / no column (YES, NO: TRUE/FALSE, yes/no, y/n, 1/0, ja/nein, oui/non…
    in any case);
    None when a filled cell is neither a yes nor a no (a column of amounts, names, other codes). A cell empty or
    holding a missing-value token (NA, N/A, null, -, ?: missing_tokens) is missing, as in every other column."""
    text = values.astype("string").str.strip().str.lower()
    yes, no = text.str.fullmatch(YES).fillna(False), text.str.fullmatch(NO).fillna(False)
    if not (yes | no | missing_tokens(values)).all():
        return None
    return pd.Series(pd.NA, index=values.index, dtype="boolean").mask(yes, True).mask(no, False)


EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s]+"


def email_ids(ids: pd.Series) -> tuple[pd.Series, int]:
    """(ids, how many were written with capitals): ids that are e-mail addresses (80% of the present ones or
    more) in lower case, so Ann@X.com in one export and ann@x.com in another are one customer, as one mailbox.
    Other ids are compared byte for byte (Salesforce ids differ by case)."""
    present = ids.dropna()
    if present.empty or present.iloc[:10_000].str.fullmatch(EMAIL).mean() < 0.8:
        return ids, 0
    lowered = ids.str.lower()
    return lowered, int((lowered != ids).fillna(False).sum())


WHOLE_ID, DECIMAL_ID = r"[+-]?\d+(?:\.0+)?", r"[+-]?\d+\.0+"  # (fullmatch; the engine's: *_PATTERN)
WHOLE_ID_PATTERN, DECIMAL_ID_PATTERN = f"^{WHOLE_ID}$", f"^{DECIMAL_ID}$"


def whole_number_ids(ids: pd.Series) -> tuple[pd.Series, int]:
    """(ids, how many were rewritten): a column of ids (text, as to_id_strings gives them) every one of which is a
    whole number, some written with a zero fraction (pandas or a spreadsheet saved a column of ids with a blank cell
    as 101.0, 102.0), holds them as whole numbers: 101.0 is the customer 101, as README's 'Ids as exports write them'
    says and as to_id_strings reads such a column typed as floats. A column holding any other id (1.5, A7, 1E5, a
    GA4 pseudo id 3311223344.1709370120) keeps every id as written; leading zeros stay (007.0 is 007)."""
    present = ids.dropna()
    if present.empty or not present.str.contains(".", regex=False).any():
        return ids, 0
    if not present.iloc[:10_000].str.fullmatch(WHOLE_ID).all() or not present.str.fullmatch(WHOLE_ID).all():
        return ids, 0
    decimal = ids.str.fullmatch(DECIMAL_ID).fillna(False).astype(bool)
    return ids.mask(decimal, ids.str.replace(r"\.0+$", "", regex=True)), int(decimal.sum())
