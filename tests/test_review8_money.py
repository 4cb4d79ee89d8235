"""Review of "money that never moved counts none" (commit 7face49) on exports a marketer uploads: order, payment,
subscription and help-desk logs whose statuses and event names say something about money, or nothing about it.
Every expected value is worked out by hand from the literal CSV above it. The review wrote each defect as a
strict xfail naming what cjm gave; all are fixed (cjm/data/reversals.py) and stand as regression tests."""

import pytest

from tests.helpers import parsed_rows as rows, parsed_text as load, report_kpis as kpis


# --- a status column that is not the payment's status -----------------------------------------------------------

def test_a_failed_delivery_keeps_the_money_paid_for_the_order():
    # Two paid orders: a 100 (delivered), b 60 (the courier's attempt failed). Money paid: 160, 2 orders, AOV 80;
    # both rows stay purchases.
    parsed = load("order_id,customer_id,order_date,event,amount,delivery_status\n"
                  "1,a,2024-01-01,purchase,100,delivered\n2,b,2024-01-02,purchase,60,failed\n")
    assert rows(parsed)["event"].tolist() == ["purchase", "purchase"]
    figures = kpis(parsed)
    assert (figures["revenue"], figures["average_order_value"]) == (160, 80)


def test_a_refund_request_rejected_keeps_the_order_money():
    # a paid 100 (no refund asked), b paid 60 and asked for a refund, which was rejected: revenue 160.
    parsed = load("order_id,customer_id,order_date,event,amount,refund_status\n"
                  "1,a,2024-01-01,purchase,100,\n2,b,2024-01-02,purchase,60,rejected\n")
    assert rows(parsed)["event"].tolist() == ["purchase", "purchase"]
    assert kpis(parsed)["revenue"] == 160


def test_a_declined_help_desk_request_is_no_payment():
    # A ticket log without money: b's request was declined by the agent. Nothing is a payment; events keep
    # their names: ticket_created, ticket_created.
    parsed = load("customer_id,timestamp,event,status\n"
                  "a@x.com,2024-01-01 09:00,ticket_created,Resolved\nb@x.com,2024-01-02 10:00,ticket_created,Declined\n")
    assert rows(parsed)["event"].tolist() == ["ticket_created", "ticket_created"]
    assert not any("money that never moved" in note for note in parsed.files[0].notes)


# --- statuses of payments that failed, as payment providers write them ------------------------------------------

def test_a_woocommerce_wc_failed_order_counts_no_money():
    # wc-completed 100 is money in; wc-failed 60 never moved: revenue 100, and the failed row reads 'failed payment'.
    parsed = load("order_id,customer_id,order_date,event,amount,status\n"
                  "1,a,2024-01-01,purchase,100,wc-completed\n2,b,2024-01-02,purchase,60,wc-failed\n")
    assert rows(parsed)["event"].tolist() == ["purchase", "failed payment"]
    assert kpis(parsed)["revenue"] == 100


@pytest.mark.parametrize("status", ["Refused", "Denegada", "Negado", "Falhou", "Blocked", "requires_payment_method"])
def test_a_payment_declined_in_a_providers_own_words_counts_no_money(status):
    # A paid 100; B's 50 was declined (in the provider's word for it): revenue 100.
    parsed = load("customer_id,date,event,amount,status\n"
                  f"A,2024-01-01,payment,100,Paid\nB,2024-01-02,payment,50,{status}\n")
    assert kpis(parsed)["revenue"] == 100


def test_a_refund_that_failed_by_its_status_takes_no_money_back():
    # A paid 100; a refund of 40 was attempted and failed (Stripe refunds / PayPal 'Payment Refund' Denied):
    # the 100 stays. Revenue 100.
    parsed = load("customer_id,timestamp,event,amount,status\n"
                  "A,2024-01-01,purchase,100,completed\nA,2024-01-03,refund,-40,failed\n")
    assert kpis(parsed)["revenue"] == 100


# --- event names ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cancelled", ["cancelled_by_customer", "user_cancelled", "Customer Cancellation"])
def test_an_order_cancelled_by_the_customer_takes_its_money_back(cancelled):
    # A's order of 100, then A cancelled it (the log repeats the order's 100 on the cancellation): revenue 0.
    parsed = load("customer_id,timestamp,event,amount\n"
                  f"A,2024-01-01,order_placed,100\nA,2024-01-02,{cancelled},100\n")
    assert rows(parsed)["revenue"].tolist() == [100, -100]
    assert kpis(parsed)["revenue"] == 0


def test_a_refund_request_approved_takes_the_money_back():
    # 100 paid, the refund request was approved (the refund is made): revenue 0.
    parsed = load("customer_id,timestamp,event,amount\n"
                  "A,2024-01-01,purchase,100\nA,2024-01-02,refund_request_approved,100\n")
    assert kpis(parsed)["revenue"] == 0


def test_a_refund_initiated_is_never_money_in():
    # Chargebee: payment_succeeded 30, refund_initiated 30 (asked), payment_refunded 30 (done): revenue 0.
    parsed = load("customer_id,timestamp,event,amount\n"
                  "A,2024-01-01,payment_succeeded,30\nA,2024-01-02,refund_initiated,30\nA,2024-01-05,payment_refunded,30\n")
    assert rows(parsed)["revenue"].tolist()[:2] == [30, 0]
    assert kpis(parsed)["revenue"] == 0


@pytest.mark.parametrize("ended", ["customer.subscription.deleted", "expired_subscription"])
def test_a_subscription_deleted_or_expired_keeps_what_was_paid_and_adds_nothing(ended):
    # Two invoices of 30 paid, then the subscription ended (the row repeats the plan's 30): revenue 60.
    parsed = load("customer_id,timestamp,event,amount\n"
                  f"A,2024-01-01,invoice.paid,30\nA,2024-02-01,invoice.paid,30\nA,2024-02-10,{ended},30\n")
    assert kpis(parsed)["revenue"] == 60


def test_spanish_event_names_of_a_declined_payment_and_a_refund():
    # a: compra 50, pago_rechazado 50 (declined: 0); b: compra 40, reembolso 40 (refund: -40). Revenue 50.
    parsed = load("cliente,fecha,evento,importe\n"
                  "a,2024-01-01,compra,50\na,2024-01-01,pago_rechazado,50\nb,2024-01-02,compra,40\nb,2024-01-09,reembolso,40\n")
    assert kpis(parsed)["revenue"] == 50


def test_a_recurly_void_payment_undoes_the_payment():
    # successful_payment 30, then that payment was voided: revenue 0.
    parsed = load("customer_id,timestamp,event,amount\n"
                  "A,2024-01-01,successful_payment,30\nA,2024-01-02,void_payment,30\n")
    assert kpis(parsed)["revenue"] == 0


def test_a_payment_recovered_after_a_failure_counts_its_money():
    # the 30 was collected on the retry: revenue 30.
    parsed = load("customer_id,timestamp,event,amount\nA,2024-01-01,payment_failed_retry_succeeded,30\n")
    assert kpis(parsed)["revenue"] == 30


@pytest.mark.parametrize("event,amount", [("refund_failed", "-40"), ("refund_cancelled", "40"),
                                          ("return_cancelled", "40")])
def test_a_refund_that_failed_or_was_cancelled_takes_no_money_back(event, amount):
    # 100 paid; a refund of 40 failed / was cancelled: nothing went back. Revenue 100.
    parsed = load(f"customer_id,timestamp,event,amount\nA,2024-01-01,purchase,100\nA,2024-01-05,{event},{amount}\n")
    assert kpis(parsed)["revenue"] == 100


def test_a_chargeback_reversal_gives_the_money_back():
    # 100 paid, a chargeback took 40 (-40), the chargeback was reversed (+40 back): revenue 100.
    parsed = load("customer_id,timestamp,event,amount\n"
                  "A,2024-01-01,purchase,100\nA,2024-01-05,Chargeback,-40\nA,2024-01-20,Chargeback Reversal,40\n")
    assert kpis(parsed)["revenue"] == 100


def test_a_chargebee_invoice_not_paid_or_due_counts_no_money():
    # Chargebee invoices: c1 Paid 30 (money in), c2 Not Paid 30 and c3 Payment Due 30 (nothing collected),
    # c4 Voided (0). Revenue 30 (= the Amount Paid column's sum).
    parsed = load("Invoice Number,Customer Id,Date,Status,Amount,Amount Paid,Amount Due\n"
                  "1001,c1,2024-01-01,Paid,30,30,0\n1002,c2,2024-01-02,Not Paid,30,0,30\n"
                  "1003,c3,2024-01-03,Payment Due,30,0,30\n1004,c4,2024-01-04,Voided,30,0,0\n", "invoices.csv")
    assert kpis(parsed)["revenue"] == 30


@pytest.mark.parametrize("text,expected", [
    # GA4 (BigQuery, flattened): two purchases 49.9 + 20.1 = 70.
    ("user_pseudo_id,event_timestamp,event_name,purchase_revenue\n"
     "u1,2024-01-01 10:00:00,page_view,\nu1,2024-01-01 10:05:00,purchase,49.9\nu2,2024-01-01 11:00:00,purchase,20.1\n",
     70),
    # WooCommerce orders: completed 50 counts, wc-cancelled 20 counts nothing: 50.
    ("Order ID,Order Date,Order Status,Customer Email,Order Total Amount\n"
     "11,2024-01-01 10:00,wc-completed,a@x.com,50\n12,2024-01-02 10:00,wc-cancelled,b@x.com,20\n", 50),
])
def test_ga4_and_woocommerce_amount_columns_are_read_as_revenue(text, expected):
    assert kpis(load(text)).get("revenue") == expected


def test_a_mercado_pago_payment_charged_back_counts_no_money():
    # Mercado Pago: approved 100 (money in), rejected 70 (never moved), charged_back 50 (taken back): revenue 100.
    parsed = load("customer_email,date,event,amount,status\n"
                  "a@x.com,2024-01-01,payment,100,approved\nb@x.com,2024-01-02,payment,70,rejected\n"
                  "c@x.com,2024-01-03,payment,50,charged_back\n", "mercadopago.csv")
    assert kpis(parsed).get("revenue") == 100


# --- what the commit gets right (regression) ---------------------------------------------------------------------

def test_a_paypal_activity_download_counts_completed_money_only():
    # PayPal activity (its own columns): Completed 80 is money in, Denied 25 never moved, Reversed 40 is the
    # payment and its reversal at once (0). Revenue 80; the denied row reads 'failed payment'.
    parsed = load("Date,Time,TimeZone,Name,Type,Status,Currency,Gross,Fee,Net,From Email Address,Transaction ID\n"
                  "01/02/2024,10:00:00,PST,Ann,Express Checkout Payment,Completed,USD,80.00,-2.62,77.38,ann@x.com,1AB\n"
                  "01/03/2024,11:00:00,PST,Bob,Express Checkout Payment,Denied,USD,25.00,0.00,25.00,bob@x.com,2CD\n"
                  "01/04/2024,12:00:00,PST,Cy,Express Checkout Payment,Reversed,USD,40.00,-1.46,38.54,cy@x.com,3EF\n",
                  "Download.CSV")
    assert rows(parsed)["event"].tolist()[1] == "failed payment"
    assert kpis(parsed).get("revenue") == 80


def test_an_account_status_of_failed_verification_keeps_the_orders_money():
    # account_status is the customer's, not the order's: 'failed' (KYC) leaves the 100 paid. Revenue 100.
    parsed = load("customer_id,timestamp,event,amount,account_status\nA,2024-01-01,purchase,100,failed\n")
    assert kpis(parsed)["revenue"] == 100


def test_a_german_declined_payment_and_a_plan_cancelled_count_nothing():
    # Zahlungsstatus abgelehnt: 0; bezahlt 45 counts; plan_cancelled repeats 45 and adds nothing. Revenue 45.
    parsed = load("customer_id,timestamp,event,betrag,status\n"
                  "k1,2024-01-01,bestellung,45,bezahlt\nk2,2024-01-02,bestellung,45,Abgelehnt\n"
                  "k1,2024-02-01,plan_cancelled,45,\n")
    assert rows(parsed)["revenue"].tolist() == [45, 0, 0]
    assert kpis(parsed)["revenue"] == 45


# --- labels told by their first filled cells (commit 52cb38d) -----------------------------------------------------

def test_a_label_column_with_old_ratings_at_its_top_is_still_read_as_labels():
    # 1,200 numeric cells, then 30,000 labels: 30,000 / 31,200 = 96.2% of present cells are labels (>= 95%),
    # so the column is labels; the 1,200 numbers are the unreadable cells. Mean of the labels read: 10,000 x (+1)
    # + 10,000 x 0 + 10,000 x (-1) over 30,000 = 0.
    import pandas as pd

    from cjm.data.labels import label_values

    column = pd.Series(["4"] * 1_200 + ["positive", "neutral", "negative"] * 10_000, dtype="object")
    read = label_values(column)
    assert read is not None
    values, unreadable = read
    assert (int(values.notna().sum()), float(values.mean()), int(unreadable.sum())) == (30_000, 0.0, 1_200)


def test_a_sparse_label_column_in_an_event_log_is_read_as_labels():
    # A feedback label on 1 row in 10 of a 45,000-row log (25,000 blank-score rows at the top, then 666 blocks of
    # positive, 9 blanks, neutral, 9 blanks, negative, 9 blanks, then 20 blanks): every present cell is a label, so
    # the column reads 666 x (+1), 666 x 0, 666 x (-1), nothing unreadable.
    import pandas as pd

    from cjm.data.labels import label_values

    column = pd.Series([None] * 25_000 + (["positive"] + [None] * 9 + ["neutral"] + [None] * 9 + ["negative"]
                                          + [None] * 9) * 666 + [None] * 20, dtype="object")
    column = column.iloc[:45_000]
    values, unreadable = label_values(column)
    counts = values.value_counts().to_dict()
    assert counts == {1.0: 666, 0.0: 666, -1.0: 666} and int(unreadable.sum()) == 0


def test_an_order_status_update_for_a_failed_delivery_adds_no_money_to_the_order():
    # purchase 100, then the log's status update 'order_failed_delivery' repeats the order's 100: it is no new
    # money (nor a refund): revenue 100.
    parsed = load("customer_id,timestamp,event,amount\n"
                  "A,2024-01-01,purchase,100\nA,2024-01-05,order_failed_delivery,100\n")
    assert rows(parsed)["revenue"].tolist() == [100, 0]
    assert kpis(parsed)["revenue"] == 100
