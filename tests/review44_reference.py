"""Review 44's reference: what README.md and ../shared/DESIGN.md say a small export gives, computed the slow,
obvious way (plain Python over a list of dicts; imports nothing from cjm). Written from the docs before reading
the implementation.

The rules it encodes (README "Orders", "Money going back", round 38, round 39; DESIGN section 3 and 4):

- rows in = rows used + rows rejected; every rejected row has a reason (DESIGN 3).
- A row without a customer id is rejected as 'missing customer id'; a row equal to an earlier one in every column
  as 'duplicate' (DESIGN 3).
- The customer id: a column whose words say whom the row is about (Recurly's ``account_code``, "Customer Code",
  ``customer_id``, ``user_id``) before a person's ``name`` (README, round 39): two accounts of one name are two
  customers.
- A request whose status says it was never sent ("Not sent", "Not sent: suppression period", "Unsent"): a
  request's, survey's, invitation's or message's status, is set aside as 'request never sent' (README round 38).
  A shipping status of an order reading "Not sent" is no request's status: the order stays.
- A conversation export (``message_author_type`` user / lead / admin / bot, ``conversation_id``): the author of the
  inbound messages (user, lead) is the customer; the company's rows with words are 'support reply' events of the
  customer whose conversation they are in; a company row with no words is set aside ('company row with no words'),
  and the team's internal note (a message type 'note') too ('internal note') (README step 2).
- Money is net (README step 2; DESIGN 3): a refund / chargeback / return event counts its amount negative; a
  cancelled / returned / refunded order status counts none; a failed or declined payment none; a subscription,
  membership, plan, trial or account ending without a refund counts none (its own amount moves no money: only a
  refund says money went back); a card's authorization moves no money and is no cancellation.
- A cancellation, return or refund lifts nobody to its stage, nor does a cancelled subscription, membership, plan,
  trial or account (``subscription_cancelled``, ``subscription_canceled``, ``account_cancelled``, Stripe's
  ``customer.subscription.deleted``; not an e-mail ``unsubscribed``, a cancellation only requested or scheduled, or
  a plan that expired): stage reach and the conversion rate read it alike (README "Orders").
- Stage reach: customers who reached a stage by an event there that is no reversal. Which stage an event is at is
  the stage mapping's (given). (First written as "at that stage or a later one"; the docs do not say which: see
  ``Reference.reach`` and ``Reference.reach_cumulative``.)
- Conversion rate: customers with an event (no reversal) at the conversion stage / customers (README "Segments",
  DESIGN 4); when no event of the data is at the conversion stage, customers with a purchase / customers (a
  purchase: an event named as one, or, when the data names none, an event with money).
- A cancellation only requested or scheduled, or a refund only requested, moves no money and is no reversal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIVE_STAGES = ("awareness", "consideration", "conversion", "retention", "loyalty")

MISSING_TOKENS = {"", "na", "n/a", "#n/a", "null", "none", "nan", "-", "?"}

# Words naming whom a row is about, before a person's name (README round 39).
ID_COLUMNS = ("account_code", "customer code", "customer_code", "customer_id", "customer id", "user_id",
              "account_id", "account id", "request_sent_to", "customer email", "email")
NAME_COLUMNS = ("name", "full name", "customer name")
TIME_COLUMNS = ("timestamp", "date", "created_at", "created at", "event_time", "time", "request_sent_at",
                "message_created_at")
EVENT_COLUMNS = ("event", "type", "event_type")
AMOUNT_COLUMNS = ("amount", "revenue", "total", "price")

_CANCEL_WORDS = re.compile(r"cancel(?:led|ed|lation|s)?|canceled|kündig|cancelad[oa]|annul")
_PLAN_DELETED = re.compile(r"deleted|terminated")
# a subscription to messages, not to a plan: its cancellation is an e-mail unsubscribe (README: no reversal)
_MESSAGE_WORDS = re.compile(r"\b(?:e ?mail|newsletter|mailing|sms|push|notifications?)\b")
_SUBSCRIPTION_WORDS = re.compile(r"subscription|membership|plan|trial|account|abonnement|abo\b|suscripci|assinatura")
_NOT_A_CANCELLATION = re.compile(r"request|scheduled|pending|expire")


def norm(value) -> str:
    return re.sub(r"[\s_.\-]+", " ", str(value).strip().lower()).strip()


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or norm(value) in MISSING_TOKENS


def is_subscription_cancellation(event: str) -> bool:
    """A subscription, membership, plan, trial or account cancelled (any spelling); not a request, a schedule or an
    expiry, not an e-mail unsubscribe."""
    e = norm(event)
    if e == "customer subscription deleted":
        return True
    if "unsubscrib" in e or _NOT_A_CANCELLATION.search(e) or _MESSAGE_WORDS.search(e):
        return False
    return bool(_CANCEL_WORDS.search(e) or _PLAN_DELETED.search(e)) and bool(_SUBSCRIPTION_WORDS.search(e))


def is_subscription_end(event: str) -> bool:
    """A subscription, plan or account ending (expired, ended, closed): moves no money, yet no reversal (README: "a
    subscription, plan or account ending without a refund count none")."""
    e = norm(event)
    return bool(_SUBSCRIPTION_WORDS.search(e)) and bool(re.search(r"expire|ended|lapse|closed", e)) \
        and "unsubscrib" not in e


def is_refund(event: str) -> bool:
    e = norm(event)
    return bool(re.search(r"\brefund(ed)?\b|chargeback|\breturn(ed)?\b", e)) and "fail" not in e \
        and "request" not in e


def is_order_cancellation(event: str) -> bool:
    e = norm(event)
    return (bool(_CANCEL_WORDS.search(e)) and not is_subscription_cancellation(event) and "unsubscrib" not in e
            and not _NOT_A_CANCELLATION.search(e))


def is_authorization(event: str) -> bool:
    return norm(event) in {"authorization", "authorisation", "card authorization", "authorize", "auth"}


def is_reversal(event: str) -> bool:
    """Lifts nobody to its stage: a cancellation (an order's or a subscription's), a return or a refund."""
    return is_subscription_cancellation(event) or is_refund(event) or (
        is_order_cancellation(event) and not _MESSAGE_WORDS.search(norm(event)))


def status_never_sent(value) -> bool:
    v = str(value).strip().lower()
    return v.startswith("not sent") or v == "unsent"


def net_money(event: str, amount, status) -> float:
    if amount is None or is_missing(amount):
        return 0.0
    a = float(amount)
    s = norm(status) if status is not None else ""
    if is_authorization(event):
        return 0.0
    if is_refund(event):  # also a plan cancelled with a refund word ("subscription_cancelled_refunded")
        return -abs(a)
    if is_subscription_cancellation(event) or is_subscription_end(event) or _NOT_A_CANCELLATION.search(norm(event)):
        return 0.0  # a plan ending (cancelled, expired) without a refund; a cancellation or refund only asked for
    if is_order_cancellation(event):
        return -abs(a) if a < 0 else 0.0
    if re.search(r"cancel|refund|return", s):
        return 0.0
    if re.search(r"fail|declin", s):
        return 0.0
    return a


def _find(columns, names):
    lowered = {norm(c): c for c in columns}
    for name in names:
        if norm(name) in lowered:
            return lowered[norm(name)]
    return None


@dataclass
class Reference:
    rows_in: int = 0
    used: list = field(default_factory=list)  # dicts: customer, event, stage, money, reversal
    rejected: dict = field(default_factory=dict)  # reason -> count

    @property
    def rows_used(self) -> int:
        return len(self.used)

    @property
    def rows_rejected(self) -> int:
        return sum(self.rejected.values())

    @property
    def customers(self) -> set:
        return {u["customer"] for u in self.used}

    @property
    def revenue(self) -> float:
        return round(sum(u["money"] for u in self.used), 2)

    def reach(self, stages=FIVE_STAGES) -> dict:
        """Customers with an event at each stage that is no reversal (their presence there: a customer who bought
        without an awareness event reached conversion, not awareness)."""
        return {s: len({u["customer"] for u in self.used if u["stage"] == s and not u["reversal"]}) for s in stages}

    def reach_cumulative(self, stages=FIVE_STAGES) -> dict:
        """Customers who reached each stage or a later one (by an event that is no reversal): never increases down
        the stages."""
        best = {}
        for u in self.used:
            if u["reversal"] or u["stage"] not in stages:
                continue
            best[u["customer"]] = max(best.get(u["customer"], -1), stages.index(u["stage"]))
        return {s: sum(1 for b in best.values() if b >= i) for i, s in enumerate(stages)}

    def conversion_rate(self, conversion_stage="conversion") -> float:
        customers = self.customers
        if not customers:
            return 0.0
        at_stage = [u for u in self.used if u["stage"] == conversion_stage]
        if at_stage:
            converted = {u["customer"] for u in at_stage if not u["reversal"]}
        else:
            # a purchase: an event named as one, or, when the data names none, an event with money (README)
            named = [u for u in self.used if "purchase" in norm(u["event"]) and not u["reversal"]]
            converted = ({u["customer"] for u in named} if named
                         else {u["customer"] for u in self.used if u["money"] > 0})
        return len(converted) / len(customers)


def reference(rows: list[dict], *, stages: dict[str, str]) -> Reference:
    """``stages`` maps event names to stages (the dataset's stage mapping); events not in it have no stage."""
    ref = Reference(rows_in=len(rows))
    if not rows:
        return ref
    columns = list(rows[0])
    conversation = _find(columns, ("message_author_type",)) is not None

    def reject(reason):
        ref.rejected[reason] = ref.rejected.get(reason, 0) + 1

    seen = set()
    if conversation:
        author_type = _find(columns, ("message_author_type",))
        author_id = _find(columns, ("message_author_email", "message_author_id", "author_id", "user_id"))
        conv = _find(columns, ("conversation_id",))
        body = _find(columns, ("message_body", "body", "message", "text"))
        part = _find(columns, ("message_type", "part_type"))
        time = _find(columns, TIME_COLUMNS)
        customer_of = {}
        for r in rows:
            if norm(r[author_type]) in {"user", "lead"} and not is_missing(r[author_id]):
                customer_of.setdefault(r[conv], str(r[author_id]).strip())
        for r in rows:
            key = tuple(r.values())
            if key in seen:
                reject("duplicate")
                continue
            seen.add(key)
            if part and norm(r[part]) == "note":
                reject("internal note")
                continue
            if is_missing(r[time]):
                reject("missing timestamp")
                continue
            if norm(r[author_type]) in {"user", "lead"}:
                if is_missing(r[author_id]):
                    reject("missing customer id")
                    continue
                ev = "message"
                ref.used.append(dict(customer=str(r[author_id]).strip(), event=ev, stage=stages.get(ev),
                                     money=0.0, reversal=False))
            else:
                if body is None or is_missing(r[body]) or not str(r[body]).strip():
                    reject("company row with no words")
                    continue
                ev = "support reply"
                ref.used.append(dict(customer=customer_of[r[conv]], event=ev, stage=stages.get(ev), money=0.0,
                                     reversal=False))
        return ref

    ident = _find(columns, ID_COLUMNS) or _find(columns, NAME_COLUMNS)
    time = _find(columns, TIME_COLUMNS)
    event = _find(columns, EVENT_COLUMNS)
    amount = _find(columns, AMOUNT_COLUMNS)
    status_columns = [c for c in columns if "status" in norm(c)]
    request_export = any(re.search(r"request|survey|invitation", norm(c)) for c in columns)
    request_status = [c for c in status_columns
                      if re.search(r"request|survey|invitation|message", norm(c))
                      or (norm(c) == "status" and request_export)]
    money_status = next((c for c in status_columns if re.search(r"order|payment|financial|^status$", norm(c))
                         and c not in request_status), None)
    for r in rows:
        key = tuple(r.values())
        if key in seen:
            reject("duplicate")
            continue
        seen.add(key)
        if any(status_never_sent(r[c]) for c in request_status):
            reject("request never sent")
            continue
        if is_missing(r[ident]):
            reject("missing customer id")
            continue
        if is_missing(r[time]):
            reject("missing timestamp")
            continue
        if event is None:  # an orders export ("purchase"), a survey's requests ("request sent": README round 38)
            ev = "request sent" if request_export else "purchase"
        elif is_missing(r[event]):
            reject("missing event")
            continue
        else:
            ev = str(r[event]).strip()
        money = net_money(ev, r.get(amount) if amount else None, r.get(money_status) if money_status else None)
        ref.used.append(dict(customer=str(r[ident]).strip(), event=ev, stage=stages.get(ev), money=money,
                             reversal=is_reversal(ev)))
    return ref
