"""The funnel cjm proposes before anyone picks steps (cjm.journey.funnel.defaults): the stages present, unless a
shop's own events give more steps than those stages do."""

from cjm.data.dataset import SourceFile, load_dataset
from cjm.journey.funnel import compute_funnel
from cjm.journey.funnel.defaults import default_funnel, shop_steps


def _dataset(rows: str):
    return load_dataset([SourceFile(name="events.csv", data=("customer_id,timestamp,event\n" + rows).encode())])


def test_a_shop_export_of_views_carts_and_purchases_proposes_those_three_steps():
    # REES46's events: view and cart are both consideration, purchase conversion. Two stages, three shop steps.
    # a, b, c viewed; a, b put something in the cart; a bought: 3, 2, 1.
    ds = _dataset("a,2024-01-01 10:00,view\na,2024-01-01 10:01,cart\na,2024-01-01 10:02,purchase\n"
                  "b,2024-01-01 11:00,view\nb,2024-01-01 11:01,cart\nc,2024-01-01 12:00,view\n")
    params = default_funnel(ds)
    assert (params.steps, params.step_kind) == (("view", "cart", "purchase"), "event")
    assert compute_funnel(ds, params=params)["customers"].tolist() == [3, 2, 1]


def test_stages_are_proposed_when_they_give_at_least_as_many_steps_as_the_shop_events():
    # ad_impression (awareness), product_view and add_to_cart (consideration), purchase (conversion),
    # support_ticket (retention), referral (loyalty): five stages against three shop steps
    ds = _dataset("a,2024-01-01 09:00,ad_impression\na,2024-01-01 10:00,product_view\n"
                  "a,2024-01-01 10:01,add_to_cart\na,2024-01-01 10:02,purchase\na,2024-01-03 10:00,support_ticket\n"
                  "a,2024-01-09 10:00,referral\n")
    params = default_funnel(ds)
    assert params.step_kind == "stage"
    assert params.steps == ds.present_stages and len(params.steps) == 5


def test_a_review_or_a_preview_is_no_view_and_emptying_the_cart_is_no_cart_step():
    ds = _dataset("a,2024-01-01 10:00,review_submitted\na,2024-01-01 10:01,preview\n"
                  "a,2024-01-01 10:02,remove_from_cart\na,2024-01-01 10:03,page_view\nb,2024-01-01 10:00,review_submitted\n"
                  "b,2024-01-01 10:04,add_to_cart\nb,2024-01-01 10:05,purchase\n")
    # review_submitted has the most customers (2) but is no view; remove_from_cart is no cart step
    assert shop_steps(ds.event_counts) == ("page_view", "add_to_cart", "purchase")
