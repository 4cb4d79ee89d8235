"""Plain messages on the Funnel and Abandonment pages: one touchpoint, filter vs breakdown, checkout."""

import pandas as pd

from cjm.data.filters import Filters
from cjm.ui.funnel import breakdown_note, checkout_sentence, single_touchpoint_text
from tests.apptest import open_app

ONE_TOUCHPOINT = (b"customer_id,timestamp,event\n"
                  b"a,2024-01-01,order\nb,2024-01-02,order\nc,2024-01-03,order\na,2024-02-01,order\n")


def test_a_file_with_one_touchpoint_is_explained_in_plain_words():
    counts = pd.DataFrame({"event": ["order"], "events": [4], "customers": [3]})
    text = single_touchpoint_text(counts)
    assert text.startswith("Every row of this data is the same touchpoint, **order** (3 customers), so there are "
                           "no steps to follow")
    assert "wide export" in text and "expected 2 to 10" not in text
    assert single_touchpoint_text(pd.DataFrame({"event": ["view", "buy"], "events": [2, 1],
                                                "customers": [2, 1]})) is None


def test_funnel_and_abandonment_pages_explain_a_single_touchpoint_file_instead_of_an_error():
    for page, name in (("app_pages/funnel.py", "Funnel"), ("app_pages/abandonment.py", "Abandonment")):
        at = open_app(page, files={"orders.csv": ONE_TOUCHPOINT})
        assert not at.exception and not at.error
        info = [i.value for i in at.info]
        assert any(t.startswith(f"{name} needs at least two touchpoints. Every row of this data is the same "
                                "touchpoint, **order** (3 customers)") for t in info), info


def test_the_breakdown_says_how_it_differs_from_a_channel_filter():
    plain = breakdown_note("channel", Filters())
    assert plain.startswith("The breakdown keeps every event and credits each customer to one channel")
    filtered = breakdown_note("channel", Filters(channels=("web",)))
    assert "The sidebar filter on channel (web) works differently: it keeps only the events on that channel" in filtered
    assert filtered.endswith("The row for web here can therefore differ from the funnel filtered to web.")


def test_checkout_abandonment_names_the_customers_it_rests_on_and_the_in_progress_count():
    # 6 started: 2 abandoned and 3 bought with their window closed (5 closed), 1 still in progress: 2 / 5
    checkout = {"started": 6, "abandoned": 2, "in_progress": 1, "purchased": 3, "closed": 5, "rate": 0.4}
    assert checkout_sentence(checkout) == (
        "**40.0%** of the 5 customers whose checkout window has closed abandoned (2 abandoned, 3 purchased); "
        "not counted, their checkout window still open at the end of the data: 1 still in progress.")
    # 7 started: as above, and one more bought inside a window still open (closed 5; purchased 4, 3 of them closed)
    bought_early = {"started": 7, "abandoned": 2, "in_progress": 1, "purchased": 4, "closed": 5, "rate": 0.4}
    assert checkout_sentence(bought_early).endswith(
        "(2 abandoned, 3 purchased); not counted, their checkout window still open at the end of the data: "
        "1 still in progress and 1 who bought.")
    waiting = {"started": 2, "abandoned": 0, "in_progress": 2, "purchased": 0, "closed": 0, "rate": None}
    assert checkout_sentence(waiting) == ("The window of all 2 customers who started checkout is still open at the end "
                                          "of the data: none can have abandoned yet, so there is no rate.")
    cart = {**checkout, "start": "cart"}
    assert checkout_sentence(cart).startswith("No event of this data is a checkout, so the cart stands in: this is "
                                              "**cart abandonment**")
