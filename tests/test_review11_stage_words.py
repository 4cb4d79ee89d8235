"""Review 11: event names written in Spanish, Portuguese, French, German, Italian or Japanese reach their journey
stage (they were all "unmapped", so a French or Japanese shop's log had no funnel at all). Expected stages are
the ones the English name of the same touchpoint gets (DESIGN.md section 3's touchpoint dictionary)."""

from __future__ import annotations

import pytest

from cjm import report
from cjm.data.dataset import build_dataset
from cjm.data.stages import explain_stage
from tests.helpers import parsed_text as load

NAMES = {
    # purchases
    "Kauf": "conversion", "achat": "conversion", "compra": "conversion", "acquisto": "conversion",
    "購入": "conversion", "Bestellung": "conversion",
    # browsing and the cart
    "Seitenaufruf": "consideration", "añadir al carrito": "consideration", "ajout au panier": "consideration",
    "Warenkorb": "consideration", "商品閲覧": "consideration", "カート追加": "consideration",
    # after the sale: delivery, returns, refunds, cancellations, support
    "commande livrée": "retention", "pedido entregue": "retention", "返品": "retention",
    "Rückerstattung": "retention", "annulation": "retention", "キャンセル": "retention", "問い合わせ": "retention",
    # a failed payment is a checkout attempt, not a purchase
    "paiement refusé": "consideration", "Zahlung fehlgeschlagen": "consideration", "pago rechazado": "consideration",
    # a written review
    "レビュー投稿": "loyalty",
}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_an_event_named_in_another_language_gets_the_stage_of_its_english_name(name):
    stage, why = explain_stage(name, "5")
    assert stage == NAMES[name]
    assert "read as" in why  # the stage-mapping editor says which word was read as what


def test_an_english_event_name_keeps_its_own_reading():
    assert explain_stage("product_view", "5") == ("consideration", "touchpoint dictionary: 'product_view'")


def test_a_french_shops_event_log_has_a_funnel_from_visit_to_purchase():
    # c1: visite, ajout au panier, achat; c2: visite, ajout au panier; c3: visite. Stages: visite and the cart
    # step are consideration, achat conversion. Funnel consideration -> conversion: 3 customers, then 1.
    parsed = load("Identifiant client,Date,Événement\n"
                  "c1,2024-03-01 10:00,visite\nc1,2024-03-01 10:05,ajout au panier\nc1,2024-03-01 10:09,achat\n"
                  "c2,2024-03-02 10:00,visite\nc2,2024-03-02 10:03,ajout au panier\n"
                  "c3,2024-03-03 10:00,visite\n")
    funnel = report.build_report(build_dataset(parsed))["funnel"]
    assert [(step["step"], step["customers"]) for step in funnel] == [("consideration", 3), ("conversion", 1)]


def test_a_german_shops_kauf_events_are_purchases_for_the_repeat_purchase_rate():
    # No amounts: purchases are known only by their name. K1 bought on 1 and 9 March, K2 once: 1 of 2 buyers
    # bought again, 50%. (Was: "needs purchase events (purchase, order_completed, order)".)
    parsed = load("Kundennummer,Datum,Aktion\n"
                  "K1,2024-03-01 10:00,Seitenaufruf\nK1,2024-03-01 10:05,Kauf\nK1,2024-03-09 10:00,Kauf\n"
                  "K2,2024-03-02 10:00,Seitenaufruf\nK2,2024-03-02 10:05,Kauf\nK3,2024-03-03 10:00,Seitenaufruf\n")
    assert report.build_report(build_dataset(parsed))["kpis"]["repeat_purchase_rate"] == 0.5
