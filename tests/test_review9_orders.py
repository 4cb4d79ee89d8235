"""Review 9: orders exports with several line items per order, partial and full refunds, Stripe charges,
WooCommerce line items, German / French / Italian shop exports (DESIGN.md section 3: money figures are net).
Every expected value is worked out by hand from the literal CSV above it. The first part held the defects the
review found (strict xfails naming what cjm gave); all are fixed and stand as regression tests."""

import pytest

from cjm.customers.features import compute_customer_features
from cjm.data.dataset import build_dataset
from cjm.data.stages import suggest_stage
from tests.helpers import parsed_rows as rows, parsed_text as load, report_kpis as kpis


def spend(parsed) -> dict:
    features = compute_customer_features(build_dataset(parsed)).set_index("customer_id")
    return features["monetary"].to_dict()


def mapped(parsed) -> dict:
    return parsed.files[0].mapping.columns


# ---------------------------------------------------------------------------------------------------------------
# Defects the review found (fixed), most likely to be hit first
# ---------------------------------------------------------------------------------------------------------------

EVENT_LOGS = {
    "de": "Kundennummer,Datum,Aktion,Betrag\n"
          "K1,2024-03-01,Kauf,100\nK1,2024-03-02,Rückerstattung,30\nK2,2024-03-03,Zahlung fehlgeschlagen,50\n"
          "K2,2024-03-04,Kauf,50\nK3,2024-03-05,Kauf,40\nK3,2024-03-06,Storno,40\n",
    "fr": "Numéro client,Date,Événement,Montant\n"
          "C1,2024-03-01,achat,100\nC1,2024-03-02,remboursement,30\nC2,2024-03-03,paiement refusé,50\n"
          "C2,2024-03-04,achat,50\nC3,2024-03-05,achat,40\nC3,2024-03-06,annulation,40\n",
    "it": "codice_cliente,data,azione,importo\n"
          "C1,2024-03-01,acquisto,100\nC1,2024-03-02,rimborso,30\nC2,2024-03-03,pagamento rifiutato,50\n"
          "C2,2024-03-04,acquisto,50\nC3,2024-03-05,acquisto,40\nC3,2024-03-06,annullamento,40\n",
}


@pytest.mark.parametrize("language", sorted(EVENT_LOGS))
def test_a_german_french_or_italian_event_logs_refund_cancellation_and_declined_payment_are_net(language):
    # 1: bought 100, refund 30 back: 70. 2: payment declined 50 (no money), then bought 50: 50. 3: bought 40,
    # cancelled 40: 0. Revenue 70 + 50 + 0 = 120.
    parsed = load(EVENT_LOGS[language])
    assert rows(parsed)["revenue"].tolist() == [100, -30, 0, 50, 40, -40]
    assert kpis(parsed)["revenue"] == 120


WOO = ("Order Number,Order Status,Order Date,Customer Email,Order Subtotal Amount,Order Refund Amount,"
       "Order Total Amount,Item #,Item Name,Quantity,Item Cost\n"
       "101,wc-completed,2024-01-01 10:00,a@x.com,100,20,100,1,Mug,1,40\n"
       "101,wc-completed,2024-01-01 10:00,a@x.com,100,20,100,2,Tee,1,60\n"
       "102,wc-completed,2024-01-02 10:00,b@x.com,50,0,50,1,Cap,1,50\n")


def test_a_woocommerce_order_total_repeated_on_each_line_item_counts_once_per_order():
    # Order 101: two lines (40 + 60), Order Total Amount 100 on both, 20 refunded (on both): 100 - 20 = 80.
    # Order 102: 50. Revenue 130; 2 orders -> AOV 65; spend a 80, b 50.
    parsed = load(WOO)
    assert mapped(parsed)["revenue"] == "Order Total Amount"
    figures = kpis(parsed)
    assert (figures["revenue"], figures["average_order_value"]) == (130, 65)
    assert spend(parsed) == {"a@x.com": 80, "b@x.com": 50}


def test_a_wide_woocommerce_export_counts_the_repeated_order_total_once_per_order():
    # 101 (2 lines): 100 - 20 refunded = 80; 102 wc-refunded: 0; 103: 30. Revenue 110; 2 orders with money -> AOV 55.
    parsed = load("Order Number,Order Status,Order Date,Paid Date,Customer Email,Order Refund Amount,"
                  "Order Total Amount,Item Name,Quantity,Item Cost\n"
                  "101,wc-completed,2024-01-01 10:00,2024-01-01 10:05,a@x.com,20,100,Mug,1,40\n"
                  "101,wc-completed,2024-01-01 10:00,2024-01-01 10:05,a@x.com,20,100,Tee,1,60\n"
                  "102,wc-refunded,2024-01-02 10:00,2024-01-02 10:05,b@x.com,50,50,Cap,1,50\n"
                  "103,wc-completed,2024-01-03 10:00,2024-01-03 10:05,c@x.com,0,30,Pin,1,30\n")
    assert parsed.files[0].mapping.shape == "wide"
    figures = kpis(parsed)
    assert (figures["revenue"], figures["average_order_value"]) == (110, 55)


@pytest.mark.parametrize("column", ["Bestellstatus", "Zahlungsstatus"])
def test_a_german_order_cancelled_or_refunded_in_a_bestellstatus_column_counts_no_money(column):
    # 1001 100 paid; 1002 50 cancelled (storniert): 0; 1003 30 refunded (erstattet): 0. Revenue 100.
    parsed = load(f"Bestellnummer,Kundennummer,Bestelldatum,Betrag,{column}\n"
                  "1001,K-1,2024-03-01,100,Bezahlt\n1002,K-2,2024-03-02,50,Storniert\n"
                  "1003,K-3,2024-03-03,30,Erstattet\n")
    assert kpis(parsed)["revenue"] == 100


@pytest.mark.parametrize("header,status", [("Kundennummer,Datum,Betrag,Status", "Abgebrochen"),
                                           ("Kundennummer,Datum,Betrag,Status", "Retoure"),
                                           ("codice_cliente,data_ordine,importo,stato", "Reso"),
                                           ("Numéro client,Date commande,Montant,Statut", "Impayée")])
def test_a_cancelled_returned_or_unpaid_order_in_german_italian_or_french_counts_no_money(header, status):
    # first order 100 completed; second 50 cancelled / returned / unpaid: 0. Revenue 100.
    parsed = load(f"{header}\nK1,2024-03-01,100,Abgeschlossen\nK2,2024-03-02,50,{status}\n")
    assert kpis(parsed)["revenue"] == 100


def test_a_french_note_column_of_ratings_is_the_score_and_avis_the_comment():
    # Note = rating (5, 2), Avis = the review text. Mean score (5 + 2) / 2 = 3.5.
    parsed = load("Numéro client,Date,Note,Avis\n"
                  "C1,2024-03-01,5,Très bien reçu rapidement merci\nC2,2024-03-02,2,Colis abîmé à la livraison hélas\n")
    assert (mapped(parsed).get("score"), mapped(parsed).get("text")) == ("Note", "Avis")
    assert rows(parsed)["score"].tolist() == [5, 2]


def test_a_refunded_orders_lines_without_money_are_no_purchase_and_no_repeat_purchase():
    # #1001 (a, 2 lines) refunded: no purchase. #1002 a 70, #1003 b 20. Each customer has one kept order:
    # repeat purchase rate 0 / 2 = 0; revenue 90.
    parsed = load("Name,Email,Financial Status,Created at,Total,Lineitem quantity,Lineitem price\n"
                  "#1001,a@x.com,refunded,2024-01-01 10:00,80,1,50\n#1001,a@x.com,,2024-01-01 10:00,,1,30\n"
                  "#1002,a@x.com,paid,2024-01-05 10:00,70,1,70\n#1003,b@x.com,paid,2024-01-05 10:00,20,1,20\n")
    assert "purchase" not in rows(parsed)["event"].tolist()[:2]
    figures = kpis(parsed)
    assert (figures["revenue"], figures["repeat_purchase_rate"]) == (90, 0)


@pytest.mark.parametrize("header", ["Kundennummer,Bestelldatum,Betrag,Erstattungsbetrag",
                                    "Numéro client,Date commande,Montant,Montant remboursé"])
def test_a_german_or_french_refunded_amount_column_is_taken_off_the_order(header):
    # K1 100 with 30 refunded: 70; K2 50. Revenue 120.
    parsed = load(f"{header}\nK1,2024-03-01,100,30\nK2,2024-03-02,50,0\n")
    assert kpis(parsed)["revenue"] == 120


def test_a_stripe_charge_not_captured_counts_no_money():
    # ch_1 100 captured; ch_2 20 only authorised. Revenue 100.
    parsed = load("id,Created (UTC),Amount,Amount Refunded,Currency,Status,Captured,Customer ID\n"
                  "ch_1,2024-01-01 10:00:00,100.00,0.00,eur,Paid,true,cus_A\n"
                  "ch_2,2024-01-02 10:00:00,20.00,0.00,eur,Uncaptured,false,cus_B\n")
    assert kpis(parsed)["revenue"] == 100


def test_german_dotted_dates_are_day_first_even_when_no_day_is_above_12():
    # 01.03.2024, 05.03.2024, 10.03.2024: 1, 5 and 10 March.
    parsed = load("Kundennummer,Bestelldatum,Betrag\nK1,01.03.2024,10\nK2,05.03.2024,20\nK1,10.03.2024,30\n")
    stamps = rows(parsed)["timestamp"]
    assert stamps.dt.month.tolist() == [3, 3, 3] and stamps.dt.day.tolist() == [1, 5, 10]


@pytest.mark.parametrize("name", ["failed_payment_recovered", "payment_failed_retry_succeeded"])
def test_a_payment_that_went_through_after_a_failure_is_a_conversion(name):
    assert (suggest_stage(name, "5"), suggest_stage(name, "7")) == ("conversion", "conversion")


def test_a_refund_in_another_currency_is_not_taken_off_the_amount():
    # A 100 EUR; the only refund column is in the converted currency (USD): cjm cannot net it, A keeps 100; B 60.
    # Revenue 160.
    parsed = load("customer_id,date,amount,currency,converted_amount_refunded\nA,2024-01-01,100,eur,33\n"
                  "B,2024-01-02,60,eur,0\n")
    assert kpis(parsed)["revenue"] == 160


@pytest.mark.parametrize("header", ["Kundennummer,Datum,Gesamtbetrag,MwSt", "Numéro client,Date commande,Total TTC,TVA"])
def test_a_german_or_french_total_including_tax_is_the_revenue(header):
    # The total paid (tax included) is the order's money: 119 + 59.5 = 178.5, each row a purchase.
    parsed = load(f"{header}\nK1,2024-03-01,119,19\nK2,2024-03-02,59.5,9.5\n")
    assert kpis(parsed).get("revenue") == 178.5
    assert rows(parsed)["event"].tolist() == ["purchase", "purchase"]


def test_a_german_orders_aktion_column_of_promotions_rejects_no_order():
    # 4 orders 100 + 50 + 30 + 20 = 200; two of them had a promotion (Aktion), two none.
    parsed = load("Bestellnummer,Kundennummer,Datum,Betrag,Aktion\n1001,K1,2024-03-01,100,Sommerschlussverkauf\n"
                  "1002,K2,2024-03-02,50,\n1003,K3,2024-03-03,30,\n1004,K1,2024-03-04,20,Black Friday\n")
    assert parsed.accounting.rows_rejected == 0
    assert kpis(parsed)["revenue"] == 200


# ---------------------------------------------------------------------------------------------------------------
# Checked and right (regressions)
# ---------------------------------------------------------------------------------------------------------------

SHOPIFY = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,Shipping,Taxes,"
           "Total,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,"
           "Lineitem fulfillment status,Cancelled at,Refunded Amount,Id\n"
           "#1001,a@x.com,paid,2024-01-01 10:05:00 +0100,fulfilled,2024-01-02 09:00:00 +0100,EUR,90,10,0,100,0,"
           "2024-01-01 10:00:00 +0100,1,Mug,40,fulfilled,,0,5001\n"
           "#1001,a@x.com,,,,,,,,,,,2024-01-01 10:00:00 +0100,1,Tee,50,fulfilled,,,\n"
           "#1002,b@x.com,partially_refunded,2024-01-03 10:05:00 +0100,fulfilled,2024-01-04 09:00:00 +0100,EUR,75,5,0,"
           "80,0,2024-01-03 10:00:00 +0100,1,Cap,45,fulfilled,,30,5002\n"
           "#1002,b@x.com,,,,,,,,,,,2024-01-03 10:00:00 +0100,1,Sock,30,fulfilled,,,\n"
           "#1003,c@x.com,refunded,2024-01-05 10:05:00 +0100,fulfilled,2024-01-06 09:00:00 +0100,EUR,60,0,0,60,0,"
           "2024-01-05 10:00:00 +0100,1,Bag,60,fulfilled,,60,5003\n"
           "#1004,d@x.com,voided,,unfulfilled,,EUR,40,0,0,40,0,2024-01-07 10:00:00 +0100,1,Hat,20,unfulfilled,"
           "2024-01-07 12:00:00 +0100,0,5004\n"
           "#1004,d@x.com,,,,,,,,,,,2024-01-07 10:00:00 +0100,1,Pin,20,unfulfilled,,,\n")


def test_a_full_shopify_orders_export_counts_each_order_once_net_of_refunds_and_cancellations():
    # #1001 (2 lines) 100 paid; #1002 (2 lines) 80 with 30 refunded: 50; #1003 60 refunded in full: 0; #1004
    # (2 lines) voided and cancelled: 0. Revenue 150; 2 orders with money -> AOV 75. Total is on first lines only
    # and Lineitem price is not summed on top of it.
    parsed = load(SHOPIFY)
    assert parsed.files[0].mapping.shape == "wide" and mapped(parsed)["revenue"] == "Total"
    figures = kpis(parsed)
    assert (figures["revenue"], figures["average_order_value"]) == (150, 75)
    assert spend(parsed) == {"a@x.com": 100, "b@x.com": 50, "c@x.com": 0, "d@x.com": 0}


def test_the_same_order_name_for_two_customers_is_two_orders():
    # #1001 of a (2 lines) refunded; #1001 of b (another store, same Name) paid 70, no status on its line 2:
    # b's order does not read a's "refunded". Revenue 70.
    parsed = load("Name,Email,Financial Status,Created at,Total,Lineitem quantity,Lineitem price,Refunded Amount\n"
                  "#1001,a@x.com,refunded,2024-01-01 10:00,80,1,50,80\n#1001,a@x.com,,2024-01-01 10:00,,1,30,\n"
                  "#1001,b@x.com,paid,2024-01-05 10:00,70,1,40,0\n#1001,b@x.com,,2024-01-05 10:00,,1,30,\n")
    assert kpis(parsed)["revenue"] == 70
    assert spend(parsed) == {"a@x.com": 0, "b@x.com": 70}


@pytest.mark.parametrize("second_line_refund", ["", "30"])
def test_a_refund_written_once_or_repeated_on_every_line_is_taken_off_once(second_line_refund):
    # o1: 1 x 50 + 2 x 25 = 100, 30 refunded (on line 1 only, or on both lines alike): 70; o2 40. Revenue 110.
    parsed = load("order_id,email,created_at,quantity,unit_price,refunded_amount\n"
                  "o1,a@x.com,2024-01-01 10:00,1,50,30\n"
                  f"o1,a@x.com,2024-01-01 10:00,2,25,{second_line_refund}\n"
                  "o2,b@x.com,2024-01-02 10:00,1,40,0\n")
    assert kpis(parsed)["revenue"] == 110
    assert spend(parsed) == {"a@x.com": 70, "b@x.com": 40}


def test_a_stripe_charges_export_nets_partial_refunds_full_refunds_and_failed_charges():
    # ch_1 100 with 30 refunded: 70; ch_2 60; ch_3 50 Failed: 0; ch_4 40 Refunded (40 refunded): 0, not -40;
    # ch_5 80. Revenue 210; 3 charges with money -> AOV 70; spend cus_A 70 + 80 = 150. "Amount Refunded" (EUR) is
    # taken off "Amount" (EUR), not "Converted Amount Refunded" (USD).
    parsed = load("id,Description,Created (UTC),Amount,Amount Refunded,Currency,Converted Amount,"
                  "Converted Amount Refunded,Fee,Converted Currency,Status,Captured,Customer ID,Customer Email\n"
                  "ch_1,Order 1,2024-01-01 10:00:00,100.00,30.00,eur,110.00,33.00,3.20,usd,Paid,true,cus_A,a@x.com\n"
                  "ch_2,Order 2,2024-01-02 10:00:00,60.00,0.00,eur,66.00,0.00,2.00,usd,Paid,true,cus_B,b@x.com\n"
                  "ch_3,Order 3,2024-01-03 10:00:00,50.00,0.00,eur,55.00,0.00,0.00,usd,Failed,false,cus_C,c@x.com\n"
                  "ch_4,Order 4,2024-01-04 10:00:00,40.00,40.00,eur,44.00,44.00,1.00,usd,Refunded,true,cus_D,d@x.com\n"
                  "ch_5,Order 5,2024-01-06 10:00:00,80.00,0.00,eur,88.00,0.00,2.50,usd,Paid,true,cus_A,a@x.com\n")
    assert rows(parsed)["revenue"].tolist() == [70, 60, 0, 0, 80]
    figures = kpis(parsed)
    assert (figures["revenue"], figures["average_order_value"]) == (210, 70)
    assert spend(parsed)["cus_A"] == 150


def test_kundennummer_is_the_customer_not_kunde_the_persons_name():
    # Two different customers called Anna Schmidt (K-1, K-2): 2 customers, not 1. Revenue 100 + 50 = 150.
    parsed = load("Bestellnummer,Kunde,Kundennummer,Bestelldatum,Betrag\n"
                  "1001,Anna Schmidt,K-1,2024-03-01,100\n1002,Anna Schmidt,K-2,2024-03-02,50\n")
    assert mapped(parsed)["customer_id"] == "Kundennummer"
    assert kpis(parsed)["customers"] == 2


def test_an_e_mail_column_is_the_customer_before_kunde():
    parsed = load("Kunde,E-Mail,Datum,Betrag\nAnna Schmidt,a@x.de,2024-03-01,10\nAnna Schmidt,b@x.de,2024-03-02,20\n")
    assert mapped(parsed)["customer_id"] == "E-Mail"
    assert kpis(parsed)["customers"] == 2


def test_a_german_order_with_datum_and_lieferdatum_counts_its_betrag_once():
    # Each order's Datum and Lieferdatum are two events; its Betrag counts once (not MwSt nor Gesamtbetrag on top):
    # 100 + 50 = 150.
    parsed = load("Bestellnummer,Kundennummer,Kunde,Datum,Lieferdatum,Betrag,MwSt,Gesamtbetrag\n"
                  "1001,K-1,Anna Schmidt,2024-03-01,2024-03-05,100,19,119\n"
                  "1002,K-2,Anna Schmidt,2024-03-02,2024-03-06,50,9.5,59.5\n")
    assert parsed.files[0].mapping.wide_events == ["Datum", "Lieferdatum"]
    assert mapped(parsed)["revenue"] == "Betrag"
    assert len(rows(parsed)) == 4 and kpis(parsed)["revenue"] == 150


def test_a_german_review_export_reads_sterne_as_the_score_and_bewertung_text_as_the_comment():
    parsed = load("Kundennummer,Datum,Sterne,Bewertung\n"
                  "K1,2024-03-01,5,Alles super schnell geliefert danke\nK2,2024-03-02,1,Paket kam beschädigt an leider\n")
    assert (mapped(parsed)["score"], mapped(parsed)["text"]) == ("Sterne", "Bewertung")
    assert rows(parsed)["score"].tolist() == [5, 1]


def test_a_failed_payment_sits_before_conversion_in_both_stage_models():
    for name in ("payment_failed", "card_declined", "charge.failed", "invoice.payment_failed"):
        assert (suggest_stage(name, "5"), suggest_stage(name, "7")) == ("consideration", "evaluation")


def test_a_numeric_bewertung_is_the_score_and_kommentar_the_comment():
    parsed = load("Kundennummer,Datum,Bewertung,Kommentar\n"
                  "K1,2024-03-01,5,Alles super schnell geliefert danke\nK2,2024-03-02,1,Paket kam beschädigt an leider\n")
    assert (mapped(parsed)["score"], mapped(parsed)["text"]) == ("Bewertung", "Kommentar")
    assert rows(parsed)["score"].tolist() == [5, 1]
