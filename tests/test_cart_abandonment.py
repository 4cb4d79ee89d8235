"""An export without a checkout event (REES46: view, cart, purchase) is judged from its cart: cart abandonment,
named so in the result, the KPI tile, the chart and the page's sentence."""

import pytest

from cjm.data.dataset import SourceFile, load_dataset
from cjm.errors import InsufficientDataError
from cjm.journey.abandonment import compute_checkout_abandonment, is_cart_name
from cjm.journey.kpis import KpiParams, compute_kpis
from cjm.present.charts.abandonment import checkout_abandonment_chart

# Data ends 2024-01-20 10:00. Window 7 days.
# a: cart 1 Jan, purchase 2 Jan: purchased.
# b: cart 3 Jan, nothing after: window closed 10 Jan: abandoned.
# c: cart 4 Jan, purchase 15 Jan (after its window): abandoned.
# d: view only: never put anything in the cart, not counted.
# e: cart 18 Jan, window open until 25 Jan: in progress.
# Started 4 (a, b, c, e); in progress 1; window closed 3 (a, b, c); abandoned 2 (b, c): rate 2/3.
ROWS = """customer_id,timestamp,event
a,2024-01-01 10:00,view
a,2024-01-01 10:05,cart
a,2024-01-02 10:00,purchase
b,2024-01-03 10:00,cart
c,2024-01-04 10:00,cart
c,2024-01-15 10:00,purchase
d,2024-01-05 10:00,view
e,2024-01-18 10:00,cart
e,2024-01-20 10:00,view
"""


def _dataset(text: str):
    return load_dataset([SourceFile(name="shop.csv", data=text.encode())])


def test_without_a_checkout_event_the_cart_is_judged_and_the_result_says_so():
    result = compute_checkout_abandonment(_dataset(ROWS))
    assert result == {"started": 4, "abandoned": 2, "in_progress": 1, "purchased": 1, "closed": 3,
                      "rate": pytest.approx(2 / 3), "start": "cart"}


def test_a_checkout_event_is_judged_before_any_cart_event():
    # a and b also reached checkout: a bought 2 Jan after checking out 1 Jan, b checked out 3 Jan and left:
    # started 2, abandoned 1 (b), rate 1/2
    text = ROWS + "a,2024-01-01 10:10,begin_checkout\nb,2024-01-03 10:05,begin_checkout\n"
    result = compute_checkout_abandonment(_dataset(text))
    assert (result["start"], result["started"], result["abandoned"], result["rate"]) == ("checkout", 2, 1, 0.5)


def test_a_cart_event_picked_by_hand_is_called_cart_and_any_other_checkout():
    assert compute_checkout_abandonment(_dataset(ROWS), checkout_events=("cart",))["start"] == "cart"
    # view picked as the checkout step: a (1 Jan, bought 2 Jan: purchased), d (5 Jan, window closed 12 Jan:
    # abandoned), e (20 Jan, window open: in progress): started 3, in progress 1, abandoned 1
    result = compute_checkout_abandonment(_dataset(ROWS), checkout_events=("view",))
    assert (result["start"], result["started"], result["in_progress"], result["abandoned"]) == ("checkout", 3, 1, 1)


def test_taking_something_out_of_the_cart_is_no_cart_step():
    assert is_cart_name("add_to_cart") and is_cart_name("Added to Cart") and is_cart_name("cart")
    assert not any(is_cart_name(n) for n in ("remove_from_cart", "cart_emptied", "begin_checkout", "Checkout Cart"))
    only_removals = "customer_id,timestamp,event\na,2024-01-01 10:00,remove_from_cart\na,2024-01-02 10:00,purchase\n"
    with pytest.raises(InsufficientDataError, match="add_to_cart"):
        compute_checkout_abandonment(_dataset(only_removals))


def test_the_kpi_tile_is_labelled_cart_abandonment_when_the_cart_stands_in():
    kpis = compute_kpis(_dataset(ROWS), params=KpiParams(period="all")).set_index("name")
    assert kpis.loc["checkout_abandonment", "label"] == "Cart abandonment"
    assert kpis.loc["checkout_abandonment", "value"] == pytest.approx(2 / 3)


def test_the_chart_names_carts_in_its_title_axis_and_tooltip():
    spec = checkout_abandonment_chart(compute_checkout_abandonment(_dataset(ROWS))).to_dict()
    assert spec["title"]["text"] == "66.7% of carts are abandoned (below the ≈70% online average)"
    assert spec["title"]["subtitle"] == "4 customers put something in the cart; 1 still in progress"
    bar = spec["layer"][0]
    assert bar["encoding"]["x"]["title"] == "Cart abandonment rate (%)"
    assert "Put something in the cart" in [t["title"] for t in bar["encoding"]["tooltip"]]
