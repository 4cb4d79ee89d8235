"""Money not kept, said by a column beside the revenue column other than a refunded amount (DESIGN.md sections 3-4:
money is net, only money paid is revenue). Read alike on upload (cjm.data.money._net_of_refunds) and in place
(cjm.data.source._refund_column), each as an amount taken off its row's money, as a refunded amount is:

- an adjusted total (Etsy's sold orders' 'Adjusted Order Total', "the order amount after any refund issued"): filled
  on an order a refund adjusted, it is the total kept; blank, the order's total stands. 0 too: Etsy exports write the
  adjusted columns blank or 0 on orders never adjusted (cjm's own Etsy test, tests/test_exports18_etsy.py, has 0 on
  every order), and an order refunded whole is cancelled (its status), so 0 says no adjustment; reading it as a total
  kept of nothing would take every such export's money away.
- a balance (Zoho Invoice's 'Balance', QuickBooks' 'Open balance', 'Balance Due', 'Amount Due') beside an invoice's
  'Total': what the customer still owes. Taken off only on an invoice whose status says it was partly paid ('Partially
  Paid': 100 with 60 owed counts 40): a 'Paid' invoice owes nothing, an unpaid one counts none by its status already,
  and Stripe writes its 'Amount Due' (the amount billed) on paid invoices too. Never beside a revenue column that is
  already the money paid ('Amount Paid') or owed.
"""

from __future__ import annotations

import pandas as pd

from cjm.data.cells import parse_numbers
from cjm.data.columns import normalise

ADJUSTED, BALANCE = "adjusted", "balance"
_ADJUSTED_WORDS = {"adjusted", "order", "total", "gross"}
_BALANCE_WORDS = {"balance", "due", "open", "amount", "remaining", "outstanding"}
_OWED = {"balance", "due", "remaining", "outstanding"}
_PAID_OR_OWED = {"paid", "payment", "payments", "received", "net", *_OWED}
# an invoice status saying part of it was paid (lower case, as written)
PARTLY_PAID_STATUS = (r"^(?:partial(?:ly)?[ _-]?paid|partial(?:[ _]payment)?|paid[ _]partially|teilweise[ _]bezahlt"
                      r"|teilbezahlt|parcialmente[ _]pag[oa]d?[oa]?|pagad?[oa][ _]parcialmente"
                      r"|partiellement[ _]pay[ée]e?s?|pay[ée]e?s?[ _]partiellement|parzialmente[ _]pagat[oa]"
                      r"|pagat[oa][ _]parzialmente)$")


def kept_column(columns, taken: set, revenue_column: str | None, status_columns) -> tuple[str, str] | None:
    """(column, ADJUSTED or BALANCE) naming money of the revenue column not kept, else None. `taken`: the mapped
    columns; `status_columns`: the invoices export's own status columns (cjm.data.money.invoice_status_columns), which
    a balance needs."""
    if revenue_column is None:
        return None
    like = set(normalise(revenue_column).split("_"))
    if like & (_PAID_OR_OWED | {"adjusted"}):
        return None
    for col in columns:
        if col in taken or col in ("__line__", "file_row_number"):
            continue
        name = normalise(str(col))
        # "Adjusted Order Total", "Adjusted Gross"; not Chargebee's "Amount Adjusted" (what credit notes took off)
        if name.startswith("adjusted_") and set(name.split("_")) & {"total", "gross"} and set(
                name.split("_")) <= _ADJUSTED_WORDS:
            return col, ADJUSTED
    if not status_columns:
        return None
    for col in columns:
        words = set(normalise(str(col)).split("_"))
        if col not in taken and words & _OWED and words <= _BALANCE_WORDS and words != {"due"}:
            return col, BALANCE
    return None


def partly_paid(statuses: pd.DataFrame) -> pd.Series:
    """Rows whose invoice status (any of `statuses`' columns) says part of it was paid."""
    found = pd.Series(False, index=statuses.index)
    for col in statuses.columns:
        found |= statuses[col].astype("string").str.strip().str.lower().str.fullmatch(PARTLY_PAID_STATUS).fillna(False)
    return found


def not_kept(frame: pd.DataFrame, column: str, kind: str, revenue: pd.Series, status_columns) -> pd.Series:
    """Per row, the money of `revenue` not kept by `column` (NaN where it says nothing), never below 0."""
    numbers, _ = parse_numbers(frame[column])
    if kind == ADJUSTED:
        return (revenue - numbers).clip(lower=0).where(numbers > 0)
    return numbers.clip(lower=0).where(partly_paid(frame[list(status_columns)]))


def note(column: str, kind: str, orders: int, whole: int = 0) -> str:
    """What an upload and a table read in place say of the column (`orders`: how many it took money off)."""
    def counted(n: int, noun: str) -> str:
        return f"{n:,} {noun}{'' if n == 1 else 's'}"
    if kind == ADJUSTED:
        return (f"{column!r} is the total kept after a refund (filled on an order adjusted; blank or 0, the order's "
                f"total stands): it replaces the total of {counted(orders, 'order')}, so money figures are net.")
    return (f"{column!r} is what a partly paid invoice still owes: it is taken off the money of "
            f"{counted(orders, 'invoice')} (a 'Partially Paid' invoice of 100 with 60 owed counts 40, what was paid); "
            "a paid invoice owes nothing, an unpaid one counts none.")
