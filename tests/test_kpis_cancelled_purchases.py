"""The repeat-purchase rate (cjm.journey.kpis): a purchase that a later reversal of the same customer takes back
exactly (a cancelled or fully refunded order) is no purchase. Expected values worked out by hand beside each."""

import pytest

from cjm.journey.kpis import compute_kpis
from tests.helpers import dataset

COLUMNS = ("customer_id", "timestamp", "event", "revenue")


def repeat_rate(rows) -> float:
    k = compute_kpis(dataset(rows, COLUMNS), period="all").set_index("name")
    return k.loc["repeat_purchase_rate", "value"]


def test_an_order_cancelled_in_full_is_no_purchase():
    # a: 30 on 1 Jan, 40 on 5 Jan taken back (-40 on 6 Jan): bought once. b: 20 twice: a repeat buyer. 1 / 2
    assert repeat_rate([("a", "2024-01-01", "purchase", 30.0), ("a", "2024-01-05", "purchase", 40.0),
                        ("a", "2024-01-06", "cancellation", -40.0),
                        ("b", "2024-01-02", "purchase", 20.0), ("b", "2024-01-09", "purchase", 20.0)]) == 0.5


def test_a_partial_refund_leaves_the_purchase_one():
    # a: 30 and 40, 10 of the 40 refunded: still two purchases; 1 / 1
    assert repeat_rate([("a", "2024-01-01", "purchase", 30.0), ("a", "2024-01-05", "purchase", 40.0),
                        ("a", "2024-01-06", "refund", -10.0)]) == 1.0


def test_one_refund_undoes_one_of_two_purchases_of_its_amount():
    # a: 30, 30 and 30, one refund of 30: two purchases kept; b: 25 once, refunded: no buyer. 1 / 1
    assert repeat_rate([("a", "2024-01-01", "purchase", 30.0), ("a", "2024-01-03", "purchase", 30.0),
                        ("a", "2024-01-04", "purchase", 30.0), ("a", "2024-01-05", "refund", -30.0),
                        ("b", "2024-01-02", "purchase", 25.0), ("b", "2024-01-03", "refund", -25.0)]) == 1.0


def test_a_reversal_before_the_purchase_undoes_nothing():
    # a refunds 30 on 1 Jan (an order of before the data), then buys 30 on 5 Jan and 10 on 9 Jan: two purchases; 1 / 1
    assert repeat_rate([("a", "2024-01-01", "refund", -30.0), ("a", "2024-01-05", "purchase", 30.0),
                        ("a", "2024-01-09", "purchase", 10.0)]) == 1.0


def test_line_items_cancelled_together_undo_their_order():
    # a: order of 20 + 5 on 1 Jan, another of 10 + 2 on 3 Jan cancelled (-10 and -2 on 4 Jan: -12 at one moment):
    # bought once. 0 / 1
    assert repeat_rate([("a", "2024-01-01", "purchase", 20.0), ("a", "2024-01-01", "purchase", 5.0),
                        ("a", "2024-01-03", "purchase", 10.0), ("a", "2024-01-03", "purchase", 2.0),
                        ("a", "2024-01-04", "cancellation", -10.0), ("a", "2024-01-04", "cancellation", -2.0)]) == 0.0


def test_a_refund_of_the_whole_order_at_its_own_moment_undoes_it():
    # a: 30 on 1 Jan and its refund of 30 the same day (dates only: one moment), then 20 on 5 Jan: bought once.
    # b: 20 twice: a repeat buyer. 1 / 2 (a reversal at an order's moment that is no line of a purchase takes it back)
    assert repeat_rate([("a", "2024-01-01", "purchase", 30.0), ("a", "2024-01-01", "refund", -30.0),
                        ("a", "2024-01-05", "purchase", 20.0),
                        ("b", "2024-01-02", "purchase", 20.0), ("b", "2024-01-09", "purchase", 20.0)]) == 0.5


def test_a_discount_line_of_an_order_at_its_own_moment_does_not_undo_it():
    # a: an order of 10 + 10 less a discount line of 10 (a purchase row of -10) on 1 Jan: one order worth 10; then
    # 20 on 5 Jan: two purchases. The -10 is a line of the order (netted into its 10), not a refund of it: 1 / 1
    assert repeat_rate([("a", "2024-01-01", "purchase", 10.0), ("a", "2024-01-01", "purchase", 10.0),
                        ("a", "2024-01-01", "purchase", -10.0), ("a", "2024-01-05", "purchase", 20.0)]) == 1.0
