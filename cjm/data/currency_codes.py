"""ISO 4217 currency codes, and where a money cell writes one ('3 EUR', 'USD 1,200.00') or a sign ('12,50 €').

Kept apart from cjm.data.currencies so that cjm.data.cells (which that module imports) can read them too.
"""

from __future__ import annotations

# The ISO 4217 codes of the currencies money is paid in, as Debian's iso-codes 4.15.0 lists them
# (/usr/share/iso-codes/json/iso_4217.json; no Python package providing the list, such as babel or pycountry, is
# installed), without the codes of precious metals, bond-market units, the SDR, funds (BOV, CHE, CLF, USN…),
# testing and "no currency" (XAU, XDR, XTS, XXX…); with ZWG (2024) and XCG (2025), added to ISO 4217 since.
CODES = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF
CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL
HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD
MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD
TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL
""".split())
# Currencies whose cents are three digits (ISO 4217 minor unit 3): '1.200 KWD' may be 1.2 dinars, never read as 1,200.
THREE_DECIMALS = frozenset({"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"})

# Spaces a cell writes around its number: ASCII ones, and the no-break spaces of French formatting (U+00A0, U+202F,
# U+2009), written as themselves: SQL engines' \s is ASCII only and DuckDB's RE2 has no \u escape.
SPACE = "[\\s\u00a0\u202f\u2009]"
# Signs that name money in a cell: those written with letters first ('US$' before '$').
_SIGNS = r"US\$|C\$|A\$|R\$|zł|[€£₹₽₩₺₪₴﷼$¥]"


def written(codes) -> str:
    """A pattern matching a code of `codes` written as a whole word first or last in a cell, its spaces with it:
    'EUR 3', '3 EUR', '12,50 EUR'. In upper case only, as ISO writes them: a word in lower case ('try 5', 'all 3')
    is no currency. Anchored rather than bounded by \\b, which PostgreSQL reads as a backspace: the rest of the cell
    must then read as a number for the code to be money, so 'EUR' inside text ('3 TEUR', 'ref EUR 3') is none."""
    alternatives = "|".join(sorted(codes))
    return f"^{SPACE}*(?:{alternatives})|(?:{alternatives}){SPACE}*$"


CODE_WRITTEN = written(CODES)
# A sign or a code in a money cell, as its one group (Python re, RE2 for pandas' Arrow strings and DuckDB, and
# PostgreSQL alike); a code comes with its spaces (' EUR'): drop them (SPACE) before reading it.
IN_CELL = f"({_SIGNS}|{CODE_WRITTEN})"
# Whether a cell writes money of a currency with two decimals or none: a sign, or a code but THREE_DECIMALS'.
NOT_THREE_DECIMALS = f"(?:{_SIGNS}|{written(CODES - THREE_DECIMALS)})"
