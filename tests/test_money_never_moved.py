"""Money that never moved counts no money (DESIGN.md section 3): a payment that failed or was declined (by its
status or its event's name), a refund or return only asked for, a subscription's end without a refund.
Every expected value is worked out by hand from the literal CSV above it."""

from tests.helpers import parsed_rows as rows, parsed_text as load, report_kpis as kpis


def test_a_declined_payment_by_status_in_spanish_counts_nothing_and_reads_failed_payment():
    # a: 50 aprobado, 20 rechazado (declined); b: 40 aprobado. Revenue 90, 2 orders kept -> AOV 45.
    parsed = load("cliente,fecha,evento,importe,estado\n"
                  "a,2024-03-01,compra,50,aprobado\na,2024-03-02,compra,20,Rechazado\nb,2024-03-02,compra,40,aprobado\n")
    assert rows(parsed)["event"].tolist() == ["compra", "failed payment", "compra"]
    figures = kpis(parsed)
    assert (figures["revenue"], figures["average_order_value"]) == (90, 45)
    note = " ".join(parsed.files[0].notes)
    assert "1 row of money that never moved" in note and "'failed payment'" in note


def test_payment_failed_and_card_declined_events_carry_no_money_and_keep_their_names():
    # u1 paid 70; u1's payment_failed 70 and card_declined 70 before it moved nothing. Revenue 70, 1 order.
    parsed = load("user_id,ts,event,amount\n"
                  "u1,2024-01-01 10:00,card_declined,70\nu1,2024-01-01 10:01,payment_failed,70\n"
                  "u1,2024-01-01 10:05,payment_succeeded,70\n")
    events = rows(parsed)
    assert events["event"].tolist() == ["card_declined", "payment_failed", "payment_succeeded"]
    assert events["revenue"].tolist() == [0, 0, 70]
    assert kpis(parsed)["revenue"] == 70


def test_a_refund_that_failed_or_a_return_pending_takes_no_money_back_while_a_refund_does():
    # 100 paid; refund_failed 100 (nothing back), return_pending 40 (not yet), refund 25 (back). Revenue 75.
    parsed = load("customer_id,timestamp,event,amount\n"
                  "A,2024-01-01,purchase,100\nA,2024-01-02,refund_failed,100\nA,2024-01-03,return_pending,40\n"
                  "A,2024-01-04,refund,25\n")
    assert rows(parsed)["revenue"].tolist() == [100, 0, 0, -25]
    assert kpis(parsed)["revenue"] == 75


def test_a_membership_ended_without_a_refund_keeps_what_was_paid_and_a_subscription_refund_takes_it_back():
    # A paid 30 twice then cancelled the membership (30 repeated): 60. B paid 30, then subscription_refunded 30:
    # B's money back, 0. Revenue 60.
    parsed = load("customer_id,timestamp,event,amount\n"
                  "A,2024-01-01,invoice_paid,30\nA,2024-02-01,invoice_paid,30\nA,2024-02-10,Membership Canceled,30\n"
                  "B,2024-01-01,invoice_paid,30\nB,2024-01-05,subscription_refunded,30\n")
    assert rows(parsed)["revenue"].tolist() == [30, 30, 0, 30, -30]
    assert kpis(parsed)["revenue"] == 60


def test_a_lead_rejected_or_a_failed_login_is_no_money_event():
    # Words of failure without a money word say nothing of money: the 10 on lead_rejected stays (a score here).
    parsed = load("customer_id,timestamp,event,amount\nA,2024-01-01,lead_rejected,10\nA,2024-01-02,login_failed,5\n")
    assert rows(parsed)["revenue"].tolist() == [10, 5]
