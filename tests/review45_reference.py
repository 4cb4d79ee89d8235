"""Review 45's reference: the money figures of a shop's ORDER EXPORT WITH LINE ITEMS, as ../shared/DESIGN.md (section 3,
the data contract; section 4) and README.md say them, computed the slow, obvious way (plain Python over a list of dicts;
imports nothing from cjm). Written from the docs before reading cjm's money and order code.

The rules it encodes:

- rows in = rows used + rows set aside; every row set aside has a reason (DESIGN 3). A row whose customer cell is
  empty or a missing-value token (NA, N/A, #N/A, null, NULL, None, nan, NaN, -, ?) is 'missing customer id', never
  merged into one customer; a row equal to an earlier row of the file in every column is a 'duplicate' (line items of
  one order, another product or quantity, are distinct rows) (DESIGN 3).
- A shop's product lines naming only their order (Squarespace: 'Order ID' and the line's product) are lines of that
  order, with its customer (README round 38).
- Customers: e-mail ids are compared in lower case (README step 2: 'e-mail ids are compared in lower case'); a guest's
  id of 0 beside an e-mail gives way to the e-mail (README round 36: an id of 0, -1 or 'guest' standing for two
  e-mail addresses names no one).
- An order is one order id of one customer (README "Orders": 'A column of order ids ... makes an order one id of one
  customer, not one moment'; Shopify's 'Name' when every id is '#' and digits).
- Its money (README step 2 "Money is net", round 36-38; DESIGN 3 "Revenue: a revenue column"): what the buyer paid,
  the order's total (Shopify's and Squarespace's 'Total', WooCommerce's 'Order Total', BigCommerce's 'Order Total
  (inc tax)', Etsy's 'Order Total'), counted once per order whether the shop writes it on the first line only or
  repeats it on every line ('an order total repeated on every line item counts once'); a line export whose money is
  each line's own ('Item Total') counts every line. A refunded amount column is taken off its order (100 with 30
  refunded counts 70). A status written on the first line only (Shopify) settles all the order's lines.
- Statuses: a cancelled, voided, returned or refunded order counts no money and is no order (README "Orders": 'An order
  cancelled or refunded whole is no order: it counts neither in the average order value nor in the repeat-purchase
  rate'; round 38: 'Voided' is a cancellation); an order whose refunded amount takes back all its money is refunded
  whole whatever its status says (round 37, Magento's 'Closed'); a failed or declined payment counts none and is no
  order; an order awaiting its payment (pending, on-hold, awaiting payment, unpaid) is money not received (round 37):
  no money, no payment, so no order. Paid, completed, processing, shipped, fulfilled, partially refunded: an order.
  A blank status (Etsy writes none for an ordinary sale) is an order.
- Currencies (README "One currency"): cjm never converts; revenue counts the currency of most rows with money (rows
  used whose money cell is filled); other currencies' money is left out of every money figure, their orders stay
  orders (a payment stays a purchase). The average order value is over the orders of the counted currency.
- Revenue = sum of the orders' net money in the counted currency. Average order value = that revenue / the number of
  those orders (README "Average order value": every payment, a partial refund netting against its order; period: all).
  An order of no money (free by a 100% discount) is no payment: in neither the average order value nor the
  repeat-purchase rate (README "Orders": the two count the same orders). (Corrected in review 45: first an order.)
- Repeat-purchase rate = customers with two orders or more / customers with an order (README "Orders"; tests of
  review 41: bought twice in the period, period all).
- Conversion rate = customers with an order, paid or free / customers (README "Segments": converted is an event at the
  conversion stage, or a purchase; a cancellation or refund lifts nobody there); not given when the export holds
  nothing before a purchase (see Reference.conversion_rate).
- Refunds: the amounts refunded, per currency (what was taken back: a refunded whole order's total, a refunded amount).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MISSING_TOKENS = {"", "na", "n/a", "#n/a", "null", "none", "nan", "-", "?"}

ORDER_STATUSES = {"paid", "completed", "complete", "processing", "shipped", "fulfilled", "partially refunded",
                  "partially shipped", "awaiting fulfillment", "awaiting shipment", "awaiting pickup", ""}
WHOLE_BACK = {"refunded", "cancelled", "canceled", "voided", "void", "returned"}
FAILED = {"failed", "declined"}
UNPAID = {"pending", "on hold", "awaiting payment", "pending payment", "unpaid"}


def norm(value) -> str:
    return re.sub(r"[\s_\-]+", " ", str(value if value is not None else "").strip().lower()).strip()


def is_missing(value) -> bool:
    return norm(value) in MISSING_TOKENS


def money(value) -> float | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    return float(text.replace(",", ""))


@dataclass(frozen=True)
class Shape:
    """Which of the shop's columns says what (the shop's own names)."""
    customer: str                      # the buyer: an e-mail column, or an id column
    order: str                         # the order id
    total: str                         # the money column
    status: str | None = None
    refunded: str | None = None        # an amount refunded, taken off the order
    currency: str | None = None
    guest_email: str | None = None     # the e-mail a guest's id of 0 gives way to
    per_line_money: bool = False       # each line's own money (summed), not an order total
    lines_name_only_order: bool = False  # later lines name only their order (Squarespace)
    created_step: bool = False        # a creation date besides the payment's (Shopify's 'Created at' / 'Paid at')
    adjusted_total: str | None = None  # the total after a partial refund, when filled (Etsy's 'Adjusted Order Total')


@dataclass
class Order:
    customer: str
    order: str
    status: str = ""
    total: float = 0.0
    refunded: float = 0.0
    currency: str = ""
    place: int = 0          # the order's first line in the file
    totals_seen: list = field(default_factory=list)

    @property
    def kind(self) -> str:
        """'order', 'back' (cancelled / refunded whole), 'failed' or 'unpaid'."""
        s = norm(self.status)
        if s in FAILED:
            return "failed"
        if s in UNPAID:
            return "unpaid"
        if s in WHOLE_BACK:
            return "back"
        if self.refunded and self.refunded >= self.total > 0:
            return "back"
        if self.refunded and self.total <= 0:
            return "back"  # edited to zero after the money went back
        assert s in ORDER_STATUSES, f"status not in the reference's words: {self.status!r}"
        return "order"

    @property
    def net(self) -> float:
        return self.total - self.refunded if self.kind == "order" else 0.0

    @property
    def refund(self) -> float:
        if self.kind == "back":  # a cancelled or voided order took no money, so gave none back unless it says so
            return max(self.total, self.refunded) if norm(self.status) in ("refunded", "returned") else self.refunded
        return self.refunded if self.kind == "order" else 0.0


@dataclass
class Reference:
    rows_in: int
    rows_used: int
    rejected: dict
    customers: set
    orders: dict            # (customer, order id) -> Order
    currency: str | None
    rows_with_money: dict   # currency -> rows
    created_step: bool = False

    def counted(self) -> list:
        """The orders paid for: an order of no money (free by a 100% discount) is no payment (README "Average order
        value": 'every payment'; first counted as an order here, corrected in review 45)."""
        return [o for o in self.orders.values() if o.kind == "order" and o.total > 0]

    def converted(self) -> set:
        """Customers with an order, paid or free: its event is at the conversion stage (README "Segments")."""
        return {o.customer for o in self.orders.values() if o.kind == "order"}

    def revenue_by_currency(self) -> dict:
        out: dict = {}
        for o in self.counted():
            out[o.currency] = out.get(o.currency, 0.0) + o.net
        return out

    def refunds_by_currency(self) -> dict:
        out: dict = {}
        for o in self.orders.values():
            if o.refund:
                out[o.currency] = out.get(o.currency, 0.0) + o.refund
        return out

    @property
    def revenue(self) -> float:
        return self.revenue_by_currency().get(self.currency, 0.0)

    @property
    def order_count(self) -> int:
        return len(self.counted())

    @property
    def average_order_value(self) -> float | None:
        mine = [o for o in self.counted() if o.currency == self.currency]
        return sum(o.net for o in mine) / len(mine) if mine else None

    def buyers(self) -> dict:
        out: dict = {}
        for o in self.counted():
            out[o.customer] = out.get(o.customer, 0) + 1
        return out

    @property
    def repeat_purchase_rate(self) -> float | None:
        buyers = self.buyers()
        return sum(1 for n in buyers.values() if n >= 2) / len(buyers) if buyers else None

    @property
    def conversion_rate(self) -> float | None:
        """Buyers / customers; None when the export holds nothing before a purchase (every customer bought, and no one
        has an order of another kind before their first, nor a creation step dated apart from the payment): 100% by
        construction says nothing (cjm's rule, commit d32014d: 'not available on a purchases-only export'; the reference
        first gave 1.0, corrected in review 45)."""
        buyers = self.converted()
        if not self.created_step and len(buyers) == len(self.customers) and not self.anything_before_buying():
            return None
        return len(buyers) / len(self.customers)

    def anything_before_buying(self) -> bool:
        """An order that is none (cancelled, refunded, failed, unpaid) before the customer's first order, in the
        file's order (the hand exports are written in time order)."""
        first: dict = {}
        for o in self.orders.values():
            if o.kind == "order":
                first.setdefault(o.customer, o.place)
        return any(o.kind != "order" and o.place < first.get(o.customer, o.place + 1) for o in self.orders.values())


def _customer_key(row: dict, shape: Shape, emails: bool) -> str | None:
    value = row.get(shape.customer, "")
    if shape.guest_email and str(value).strip().lower() in {"0", "-1", "guest"}:
        value = row.get(shape.guest_email, "")
    if is_missing(value):
        return None
    value = str(value).strip()
    return value.lower() if emails or "@" in value else value


def reference(header: list[str], rows: list[list[str]], shape: Shape) -> Reference:
    """The figures of one export: `header` and `rows` as the file's cells."""
    dicts = [dict(zip(header, r)) for r in rows]
    filled = [d[shape.customer] for d in dicts if not is_missing(d.get(shape.customer, ""))]
    emails = bool(filled) and sum("@" in v for v in filled) >= 0.8 * len(filled)
    rejected: dict = {}
    used: list = []
    seen: set = set()
    first_line_of: dict = {}   # order id -> the first line's row (Squarespace's later lines)
    for r, d in zip(rows, dicts):
        key = tuple(r)
        if key in seen:
            rejected["duplicate"] = rejected.get("duplicate", 0) + 1
            continue
        seen.add(key)
        oid = str(d[shape.order]).strip()
        if shape.lines_name_only_order and is_missing(d.get(shape.customer, "")) and oid in first_line_of:
            d = {**first_line_of[oid], **{k: v for k, v in d.items() if v != ""}}
        customer = _customer_key(d, shape, emails)
        if customer is None:
            rejected["missing customer id"] = rejected.get("missing customer id", 0) + 1
            continue
        first_line_of.setdefault(oid, d)
        used.append((customer, oid, d))
    orders: dict = {}
    for place, (customer, oid, d) in enumerate(used):
        o = orders.setdefault((customer, oid), Order(customer, oid, place=place))
        first = len(o.totals_seen) == 0
        if shape.status and (first or not o.status) and d.get(shape.status, ""):
            o.status = d[shape.status]
        if shape.currency and d.get(shape.currency, "") and not o.currency:
            o.currency = d[shape.currency].strip()
        amount = money(d.get(shape.total, ""))
        if shape.per_line_money:
            o.total += amount or 0.0
        elif amount is not None and not o.totals_seen:
            o.total = amount          # counted once: the first line that writes it
        if shape.refunded and not o.refunded:
            o.refunded = money(d.get(shape.refunded, "")) or 0.0
        adjusted = money(d.get(shape.adjusted_total, "")) if shape.adjusted_total else None
        if adjusted is not None and not o.refunded:
            o.refunded = o.total - adjusted   # money is net (DESIGN 3): the adjusted total is what was kept
        o.totals_seen.append(amount)
    rows_with_money: dict = {}
    for customer, oid, d in used:
        if money(d.get(shape.total, "")) is not None:
            cur = orders[(customer, oid)].currency
            rows_with_money[cur] = rows_with_money.get(cur, 0) + 1
    currency = max(rows_with_money, key=lambda c: rows_with_money[c]) if rows_with_money else None
    return Reference(rows_in=len(rows), rows_used=len(used), rejected=rejected,
                     customers={c for c, _, _ in used}, orders=orders, currency=currency,
                     rows_with_money=rows_with_money, created_step=shape.created_step)
