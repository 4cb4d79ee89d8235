"""Review 44: today's rules that changed numbers, against tests/review44_reference.py (written from README.md and
../shared/DESIGN.md before reading the implementation), on hand-made exports with their figures worked by hand:

(a) a cancelled subscription / membership / plan / trial / account is a reversal: it lifts nobody to its stage and
    moves no money unless a refund says so; an e-mail unsubscribe is none;
(b) a card authorization moves no money and is no cancellation;
(c) a request whose status says it was never sent is set aside as 'request never sent' (an order's shipping status
    is no request's);
(d) conversation exports: the company's rows without words and internal notes are set aside with their reasons;
(e) an id column naming whom the row is about beats a person's name as the customer id.

Upload (cjm.data.dataset.load_dataset) and in place (cjm.data.source.dataset_from_files) alike, with the figures the
pages show: compute_stage_reach (Overview's "How far customers get"), compute_kpis (customers, revenue, conversion
rate), compute_funnel over the stages.
"""

from __future__ import annotations

import csv
import io
import math

import pytest

from cjm import engine
from cjm.data.dataset import SourceFile, load_dataset
from cjm.data.source import dataset_from_files
from cjm.data.stages import StageMapping
from cjm.journey.funnel.params import FunnelParams
from cjm.journey.funnel.summary import compute_funnel
from cjm.journey.kpis import compute_kpis
from cjm.journey.reach import compute_stage_reach
from tests import review44_reference as ref

NEVER_SENT = "request never sent"
WORDLESS = "company row with no words"
NOTE = "internal note"


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def upload(rows: list[dict], stages: StageMapping | None = None):
    return load_dataset([SourceFile(name="export.csv", data=_csv(rows).encode())], stage_mapping=stages)


def in_place(rows: list[dict], tmp_path, stages: StageMapping | None = None):
    path = tmp_path / "export.csv"
    path.write_text(_csv(rows))
    return dataset_from_files(path, stage_mapping=stages)


def events(dataset):
    return engine.execute(dataset.events).sort_values("row_id").reset_index(drop=True)


def figures(dataset) -> dict:
    """What the pages show: rows, reasons (their first words, as the reference names them), customers, revenue,
    conversion rate, stage reach."""
    kpis = compute_kpis(dataset, period="all").set_index("name")["value"]
    reach = compute_stage_reach(dataset)
    reasons = {}
    for reason, n in dataset.accounting.reasons.items():
        short = next((r for r in (NEVER_SENT, WORDLESS) if reason.startswith(r)), None)
        short = short or (NOTE if "internal note" in reason else reason)
        reasons[short] = reasons.get(short, 0) + n
    return {"in": dataset.accounting.rows_in, "used": dataset.accounting.rows_used, "reasons": reasons,
            "customers": int(kpis["customers"]), "revenue": kpis["revenue"], "conversion": kpis["conversion_rate"],
            "reach": dict(zip(reach["stage"], reach["customers"].astype(int)))}


def reference_of(rows: list[dict], dataset) -> ref.Reference:
    """The reference on the dataset's own stage mapping (which stage each event name is at)."""
    ev = events(dataset)
    return ref.reference(rows, stages=dict(zip(ev["event"].astype(str), ev["stage"].astype(str))))


def assert_agree(ours: dict, theirs: ref.Reference, *, money=True, conversion=True) -> None:
    assert (ours["in"], ours["used"], ours["reasons"]) == (theirs.rows_in, theirs.rows_used, theirs.rejected)
    assert ours["in"] == ours["used"] + sum(ours["reasons"].values())
    assert ours["customers"] == len(theirs.customers)
    if money:
        assert ours["revenue"] == pytest.approx(theirs.revenue)
    if conversion:
        assert ours["conversion"] == pytest.approx(theirs.conversion_rate())
    assert ours["reach"] == theirs.reach()


def row(customer, day, event, amount=""):
    return {"customer_id": customer, "timestamp": f"2025-01-{day:02d} 10:00", "event": event, "amount": amount}


# --- (a) cancelled plans, any spelling ---------------------------------------------------------------------------------

PLAN_ENDS = ["subscription_canceled", "Subscription Cancelled", "cancel_subscription", "Membership canceled",
             "trial_cancelled", "plan cancelled", "account_cancelled", "suscripción cancelada", "assinatura cancelada",
             "abonnement annulé"]


@pytest.mark.parametrize("name", PLAN_ENDS)
def test_a_cancelled_plan_of_any_spelling_lifts_nobody_and_moves_no_money(name, tmp_path):
    # A: ad_click, purchase 30, then the plan cancelled with its amount 30 written on the row. B: ad_click, then only
    # the cancellation (20 on the row). C: newsletter_unsubscribed only (an e-mail unsubscribe: no reversal).
    # Revenue 30 (the cancellations move no money, no refund says any went back). Customers 3. Conversion: A only, 1/3.
    # Reach: awareness A, B (2) + C when the unsubscribe is mapped there; conversion 1 (A); the cancellation's stage
    # (retention in the built-in mapping) 0: nobody got there by a cancellation.
    rows = [row("A", 1, "ad_click"), row("A", 2, "purchase", "30"), row("A", 3, name, "30"),
            row("B", 1, "ad_click"), row("B", 2, name, "20"), row("C", 1, "newsletter_unsubscribed")]
    for dataset in (upload(rows), in_place(rows, tmp_path)):
        ours = figures(dataset)
        assert_agree(ours, reference_of(rows, dataset))
        assert (ours["revenue"], ours["conversion"], ours["reach"]["conversion"]) == (30.0, pytest.approx(1 / 3), 1)
        assert ours["reach"]["retention"] == 0  # where the built-in mapping puts a cancellation (or nowhere)


def test_stripes_deleted_subscription_lifts_nobody_even_to_the_first_stage(tmp_path):
    # F's only event is customer.subscription.deleted (30 on the row), which the built-in mapping puts wherever it puts
    # it (awareness); G's only event is newsletter_unsubscribed (no reversal: G reached its stage, awareness too).
    # H: ad_click, purchase 40. Reach awareness 2 (G, H; F is counted nowhere). Revenue 40.
    rows = [row("F", 1, "customer.subscription.deleted", "30"), row("G", 1, "newsletter_unsubscribed"),
            row("H", 1, "ad_click"), row("H", 2, "purchase", "40")]
    for dataset in (upload(rows), in_place(rows, tmp_path)):
        ours = figures(dataset)
        assert_agree(ours, reference_of(rows, dataset))
        assert ours["revenue"] == 40.0
        # the built-in mapping puts customer.subscription.deleted at awareness: G and H there, F nowhere
        assert ours["reach"]["awareness"] == 2


def test_a_cancellation_before_any_purchase_takes_back_nothing_bought_later(tmp_path):
    # A cancels a trial on 2 Jan (20 written on the row) and buys on 5 Jan (20): the later purchase stands. Revenue 20,
    # A converted (B only clicked an ad: 1/2), reach conversion 1, retention 0.
    rows = [row("A", 1, "ad_click"), row("A", 2, "subscription_cancelled", "20"), row("A", 5, "purchase", "20"),
            row("B", 1, "ad_click")]
    for dataset in (upload(rows), in_place(rows, tmp_path)):
        ours = figures(dataset)
        assert_agree(ours, reference_of(rows, dataset))
        assert (ours["revenue"], ours["conversion"], ours["reach"]["conversion"], ours["reach"]["retention"]) == (
            20.0, 0.5, 1, 0)


def test_a_cancelled_plan_beside_a_refund_counts_the_refund_once(tmp_path):
    # B buys 50, the plan is cancelled (50 on the row) and refunded (50): 50 - 50 = 0, not -50 (the cancellation
    # takes nothing: only the refund says money went back). A buys 70. Revenue 70. Both converted: 2/3 with C's visit.
    rows = [row("B", 1, "ad_click"), row("B", 2, "purchase", "50"), row("B", 3, "plan_cancelled", "50"),
            row("B", 4, "refund", "50"), row("A", 1, "ad_click"), row("A", 2, "purchase", "70"),
            row("C", 1, "ad_click")]
    for dataset in (upload(rows), in_place(rows, tmp_path)):
        ours = figures(dataset)
        assert_agree(ours, reference_of(rows, dataset))
        assert (ours["revenue"], ours["conversion"]) == (70.0, pytest.approx(2 / 3))


def test_a_cancellation_only_scheduled_is_no_reversal_and_moves_no_money(tmp_path):
    # README: not a reversal is "a cancellation only requested or scheduled". E: ad_click, then
    # 'cancellation_scheduled' (30 on the row, the plan's price): it takes nothing back (revenue 0, not -30) and E
    # reached its stage (retention in the built-in mapping) by it. 'cancellation_requested' likewise for D.
    # Revenue: K's purchase 25 only. Reach retention 2 (D, E).
    rows = [row("E", 1, "ad_click"), row("E", 2, "cancellation_scheduled", "30"), row("D", 1, "ad_click"),
            row("D", 2, "cancellation_requested", "30"), row("K", 1, "ad_click"), row("K", 2, "purchase", "25")]
    for dataset in (upload(rows), in_place(rows, tmp_path)):
        ours = figures(dataset)
        assert_agree(ours, reference_of(rows, dataset))
        assert (ours["revenue"], ours["reach"]["retention"]) == (25.0, 2)


# --- (b) card authorizations -------------------------------------------------------------------------------------------

def test_an_authorization_then_its_capture_or_purchase_counts_the_amount_once(tmp_path):
    # C: authorization 80 then capture 80; D: authorization 80 then purchase 80; V: a $1.00 card check alone, status
    # void (no cancellation: no 'cancellation' event, money 0). Revenue 80 + 80 = 160.
    rows = [{"account_code": c, "name": "Ana Lee", "date": f"2025-01-0{d} 10:00", "type": t, "amount": a,
             "status": s}
            for c, d, t, a, s in [("C", 1, "authorization", "80", "success"), ("C", 2, "capture", "80", "success"),
                                  ("D", 1, "authorization", "80", "success"), ("D", 2, "purchase", "80", "success"),
                                  ("V", 3, "authorization", "1.00", "void")]]
    for dataset in (upload(rows), in_place(rows, tmp_path)):
        ours = figures(dataset)
        assert_agree(ours, reference_of(rows, dataset), conversion=False)
        assert ours["revenue"] == 160.0
        ev = events(dataset)
        assert "cancellation" not in set(ev["event"])
        assert ev.loc[ev["event"] == "authorization", "revenue"].fillna(0).tolist() == [0.0, 0.0, 0.0]
        # (e) two accounts of one name are three customers here, by account_code
        assert ours["customers"] == 3


def test_revenue_never_counts_an_authorization(tmp_path):
    # The same export with and without its authorization rows: the same revenue (25 + 40 - 10 = 55).
    rows = [row("A", 1, "authorization", "25"), row("A", 1, "purchase", "25"), row("B", 2, "card_authorization", "40"),
            row("B", 2, "purchase", "40"), row("B", 3, "refund", "10"), row("C", 3, "authorization", "99")]
    without = [r for r in rows if "authorization" not in r["event"]]
    assert figures(upload(rows))["revenue"] == figures(upload(without))["revenue"] == 55.0
    assert figures(in_place(rows, tmp_path))["revenue"] == 55.0


# --- (c) requests never sent -------------------------------------------------------------------------------------------

def test_a_request_never_sent_is_set_aside_whatever_the_case_of_its_status(tmp_path):
    # 7 requests: "Sent" (a, f), "Not sent", "Not sent: suppression period", "NOT SENT", "Unsent" set aside (4);
    # "Sent - not opened" was sent (g). 3 used, 3 customers.
    rows = [{"request_id": str(i), "request_sent_at": f"2025-01-0{i} 10:00", "request_delivery_status": s,
             "star_rating": stars, "request_sent_to": e}
            for i, (s, e, stars) in enumerate([("Sent", "a@x.com", "5"), ("Not sent", "b@x.com", ""),
                                              ("Not sent: suppression period", "c@x.com", ""),
                                              ("NOT SENT", "d@x.com", ""), ("Unsent", "e@x.com", ""),
                                              ("Sent", "f@x.com", "2"), ("Sent - not opened", "g@x.com", "")], 1)]
    for dataset in (upload(rows), in_place(rows, tmp_path)):
        ours = figures(dataset)
        theirs = reference_of(rows, dataset)
        assert (ours["in"], ours["used"], ours["reasons"], ours["customers"]) == (
            theirs.rows_in, theirs.rows_used, theirs.rejected, len(theirs.customers)) == (7, 3, {NEVER_SENT: 4}, 3)


def test_an_orders_shipping_status_not_sent_keeps_the_order(tmp_path):
    # An orders export: "Shipping Status" Not sent / Sent / "Shipping Status: Not sent" / Unsent is the parcel's, not a
    # request's: 4 orders used, revenue 30 + 40 + 50 + 60 = 180, 3 customers.
    rows = [{"Order ID": o, "Customer Email": e, "Created at": f"2025-01-0{i} 10:00", "Total": t,
             "Financial Status": "paid", "Shipping Status": s}
            for i, (o, e, t, s) in enumerate([("1001", "a@x.com", "30.00", "Not sent"),
                                              ("1002", "b@x.com", "40.00", "Sent"),
                                              ("1003", "c@x.com", "50.00", "Shipping Status: Not sent"),
                                              ("1004", "a@x.com", "60.00", "Unsent")], 1)]
    for dataset in (upload(rows), in_place(rows, tmp_path)):
        ours = figures(dataset)
        assert_agree(ours, reference_of(rows, dataset), conversion=False)  # purchases only: no rate (documented)
        assert (ours["used"], ours["revenue"], ours["customers"]) == (4, 180.0, 3)
        assert math.isnan(ours["conversion"])


# --- (d) conversation exports ------------------------------------------------------------------------------------------

def _ic(mid, body, kind, at, author, conv):
    kinds = {"ana": ("user", "u1", "ana@x.com"), "ben": ("lead", "l1", "ben@x.com"), "sam": ("admin", "a1", "sam@shop.com"),
             "bot": ("bot", "b1", "")}
    atype, aid, email = kinds[author]
    return {"message_id": mid, "message_body": body, "message_type": kind, "message_created_at": at,
            "message_author_type": atype, "message_author_id": aid, "message_author_email": email,
            "conversation_id": conv}


def _conversation(short: bool) -> list[dict]:
    words = (["Where is my order?", "It ships today", "upset customer", "Sizes?", "We reply soon"] if short else
             ["Hi there, where is my order from last week please?", "It ships today from our warehouse, sorry",
              "customer seems upset about the late parcel", "Hi, do these boots run small or true to size?",
              "Thanks, someone from the team will reply soon"])
    return [_ic("1", words[0], "conversation_message", "2025-01-01 10:00", "ana", "c1"),
            _ic("2", "", "assignment", "2025-01-01 10:01", "sam", "c1"),
            _ic("3", "   ", "comment", "2025-01-01 10:02", "sam", "c1"),
            _ic("4", words[1], "comment", "2025-01-01 10:03", "sam", "c1"),
            _ic("5", words[2], "note", "2025-01-01 10:04", "sam", "c1"),
            _ic("6", "", "close", "2025-01-01 10:06", "sam", "c1"),
            _ic("7", words[3], "conversation_message", "2025-01-02 10:00", "ben", "c2"),
            _ic("8", words[4], "comment", "2025-01-02 10:00", "bot", "c2")]


@pytest.mark.parametrize("short", [False, True], ids=["long messages", "chat-length messages"])
def test_a_conversations_company_rows_without_words_and_its_notes_are_set_aside(short):
    # 8 rows: Ana's message and Ben's (the customers: 2); Sam's reply and the bot's are 'support reply' events; Sam's
    # assignment, his reply of blanks and his close have no words (3 set aside), his note is the team's (1 set aside).
    # Used 4. Short chat messages ("Sizes?") must read the same: the rule is the message body's, not its length.
    rows = _conversation(short)
    dataset = upload(rows)
    ours = figures(dataset)
    assert_agree(ours, reference_of(rows, dataset), money=False, conversion=False)
    assert (ours["used"], ours["reasons"]) == (4, {WORDLESS: 3, NOTE: 1})
    assert events(dataset)["event"].tolist().count("support reply") == 2


# --- (e) ids before names ----------------------------------------------------------------------------------------------

def test_a_customer_code_beats_the_customers_name(tmp_path):
    # Two Ana Lees (C-1, C-2): C-1 clicked an ad and cancelled her subscription (20 on the row), C-2 bought 20.
    # 2 customers, revenue 20, conversion 1/2, reach awareness 1, conversion 1, retention 0.
    rows = [{"Customer Name": "Ana Lee", "Customer Code": c, "Date": f"2025-01-0{d} 10:00", "Event": e, "Amount": a}
            for c, d, e, a in [("C-1", 1, "ad_click", ""), ("C-2", 2, "purchase", "20"),
                               ("C-1", 3, "Subscription Cancelled", "20")]]
    for dataset in (upload(rows), in_place(rows, tmp_path)):
        ours = figures(dataset)
        assert_agree(ours, reference_of(rows, dataset))
        assert (ours["customers"], ours["revenue"], ours["conversion"]) == (2, 20.0, 0.5)


# --- invariants -------------------------------------------------------------------------------------------------------

MIXED = [row("A", 1, "ad_click"), row("A", 2, "product_view"), row("A", 3, "purchase", "30"),
         row("A", 4, "subscription_canceled", "30"), row("B", 1, "ad_click"), row("B", 2, "Subscription Cancelled", "10"),
         row("C", 1, "ad_click"), row("C", 2, "cancel_subscription"), row("D", 1, "newsletter_unsubscribed"),
         row("E", 1, "product_view"), row("E", 2, "purchase", "15"), row("E", 3, "refund", "5"),
         row("", 4, "purchase", "9"), row("F", 5, "authorization", "12")]


def test_rows_in_are_rows_used_and_rejected_and_reversals_never_raise_a_stage(tmp_path):
    # 14 rows: 1 without a customer id (rejected), 13 used. Adding reversal rows (cancellations, refunds) to the
    # export never raises any stage's reach; the reach at each stage is at most the customers.
    for dataset in (upload(MIXED), in_place(MIXED, tmp_path)):
        ours = figures(dataset)
        assert (ours["in"], ours["used"], ours["reasons"]) == (14, 13, {"missing customer id": 1})
        assert_agree(ours, reference_of(MIXED, dataset))
        assert all(n <= ours["customers"] for n in ours["reach"].values())
    plain = [r for r in MIXED if not ref.is_reversal(r["event"])]
    before, after = figures(upload(plain))["reach"], figures(upload(MIXED))["reach"]
    assert all(after[s] <= before[s] for s in before)


def test_the_funnel_over_the_stages_never_increases_and_a_cancellation_reaches_no_step():
    # Funnel awareness -> consideration -> conversion -> retention (ordered, 7 days): A reaches conversion (retention
    # only by her cancellation: not reached), B and C awareness, E enters at consideration (no awareness event: not in
    # the funnel), D awareness (the unsubscribe). Customers per step: 4 (A, B, C, D), 1, 1, 0; never increasing.
    dataset = upload(MIXED)
    funnel = compute_funnel(dataset, params=FunnelParams(
        steps=("awareness", "consideration", "conversion", "retention"), step_kind="stage"))
    counts = funnel["customers"].astype(int).tolist()
    assert counts == sorted(counts, reverse=True)
    assert counts == [4, 1, 1, 0]


def test_a_plan_cancelled_with_a_refund_takes_its_money_back_and_an_email_subscription_is_no_plan(tmp_path):
    # Nine customers each click an ad, buy 30 and then (30 written on the row):
    # - "Email subscription cancelled": an e-mail unsubscribe (no plan): no reversal, no money; reaches its stage
    #   (retention in the built-in mapping);
    # - "subscription_cancelled_refunded", "subscription cancelled - refund issued": a refund says money went back: -30;
    # - "Cancelled subscription", "trial_canceled", "Kündigung Abo", "subscription_deleted": plans cancelled: 0, lift
    #   nobody; "subscription ended": a plan that ran out: 0, no reversal (the built-in mapping puts it at awareness);
    # - "order_cancellation_scheduled": only scheduled: 0, no reversal, reaches retention.
    # Revenue 9 x 30 - 30 - 30 = 210. Retention 2 (the e-mail unsubscribe, the scheduled cancellation). Conversion 9/9.
    names = ["Email subscription cancelled", "subscription_cancelled_refunded", "Cancelled subscription",
             "subscription cancelled - refund issued", "trial_canceled", "Kündigung Abo", "subscription_deleted",
             "order_cancellation_scheduled", "subscription ended"]
    rows = [r for i, name in enumerate(names)
            for r in (row(f"C{i}", 1, "ad_click"), row(f"C{i}", 2, "purchase", "30"), row(f"C{i}", 3, name, "30"))]
    for dataset in (upload(rows), in_place(rows, tmp_path)):
        ours = figures(dataset)
        assert_agree(ours, reference_of(rows, dataset))
        assert (ours["revenue"], ours["reach"]["retention"], ours["conversion"]) == (210.0, 2, 1.0)


def test_a_cancellation_mapped_to_the_conversion_stage_converts_nobody_and_an_authorization_there_does(tmp_path):
    # The analyst maps every event of the payments to conversion. A: ad_click, "Subscription Cancelled" (20 on the
    # row); C: ad_click, customer.subscription.deleted (20); B: ad_click, purchase 20; D: ad_click, authorization 20
    # (a card check: no cancellation, so D reached conversion by it; no money). Conversion 2/4 (B, D); reach
    # awareness 4, conversion 2; revenue 20; the customer features' furthest stage and converted flag agree.
    from cjm.customers.features import compute_customer_features

    rows = [row("A", 1, "ad_click"), row("A", 2, "Subscription Cancelled", "20"), row("B", 1, "ad_click"),
            row("B", 2, "purchase", "20"), row("C", 1, "ad_click"), row("C", 2, "customer.subscription.deleted", "20"),
            row("D", 1, "ad_click"), row("D", 2, "authorization", "20")]
    table = {"ad_click": "awareness", "Subscription Cancelled": "conversion", "purchase": "conversion",
             "customer.subscription.deleted": "conversion", "authorization": "conversion"}
    stages = StageMapping(model="5", events=dict(table))
    for dataset in (upload(rows, stages), in_place(rows, tmp_path, stages)):
        ours = figures(dataset)
        assert_agree(ours, ref.reference(rows, stages=table))
        assert (ours["conversion"], ours["reach"]["conversion"], ours["revenue"]) == (0.5, 2, 20.0)
        features = compute_customer_features(dataset).set_index("customer_id")
        assert features["converted"].astype(bool).to_dict() == {"A": False, "B": True, "C": False, "D": True}
        assert features["furthest_stage"].astype(int).to_dict() == {"A": 0, "B": 2, "C": 0, "D": 2}


def test_an_account_closed_with_its_balance_on_the_row_counts_no_money(tmp_path):
    # README: "a subscription, plan or account ending without a refund count none". A buys 30, then 'account_closed'
    # with 30 written on the row (the balance, not a payment); B's 'Account Closed' likewise. Revenue 30, not 90; an
    # ending is no cancellation (not named among the reversals), so it reaches its stage as any event does.
    rows = [row("A", 1, "ad_click"), row("A", 2, "purchase", "30"), row("A", 3, "account_closed", "30"),
            row("B", 1, "ad_click"), row("B", 2, "Account Closed", "30")]
    for dataset in (upload(rows), in_place(rows, tmp_path)):
        ours = figures(dataset)
        assert_agree(ours, reference_of(rows, dataset))
        assert ours["revenue"] == 30.0
