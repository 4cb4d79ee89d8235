import pytest

from cjm.errors import ParameterError
from cjm.data.stages import StageMapping, suggest_stage


@pytest.mark.parametrize("event, five, seven", [
    ("ad_click", "awareness", "awareness"),
    ("product_view", "consideration", "evaluation"),
    ("add_to_cart", "consideration", "evaluation"),
    ("purchase", "conversion", "conversion"),
    ("order_completed", "conversion", "conversion"),
    ("support_ticket", "retention", "support"),
    ("invoice", "retention", "experience"),
    ("repeat_purchase", "loyalty", "repurchase"),
    ("Review Written", "loyalty", "repurchase"),
])
def test_the_touchpoint_dictionary_maps_common_events_in_both_models(event, five, seven):
    assert suggest_stage(event, "5") == five
    assert suggest_stage(event, "7") == seven


def test_keyword_rules_cover_names_the_dictionary_does_not_know():
    assert suggest_stage("cart", "5") == "consideration"
    assert suggest_stage("order_refund_requested", "5") == "retention"
    assert suggest_stage("newsletter_signup_click", "7") == "discovery"


def test_unknown_events_are_unmapped_and_listed():
    mapping = StageMapping(model="5")
    assert mapping.unmapped(["purchase", "zzz_custom"]) == ["zzz_custom"]


def test_user_overrides_win_over_the_dictionary():
    mapping = StageMapping(model="5", events={"purchase": "loyalty", "zzz": "awareness"})
    assert mapping.table(["purchase", "zzz", "page_view"]) == {
        "purchase": "loyalty", "zzz": "awareness", "page_view": "consideration"}


def test_a_custom_model_needs_distinct_stages_and_maps_only_by_hand():
    mapping = StageMapping(model="custom", custom_stages=("lead", "trial", "paid"), events={"signup": "trial"})
    assert mapping.stages == ("lead", "trial", "paid")
    assert mapping.stage_of("signup") == "trial"
    assert mapping.stage_of("purchase") == "unmapped"
    with pytest.raises(ParameterError, match="at least two distinct"):
        StageMapping(model="custom", custom_stages=("a", "a")).stages


def test_an_override_to_a_stage_outside_the_model_counts_as_unmapped():
    assert StageMapping(model="5", events={"purchase": "repurchase"}).stage_of("purchase") == "unmapped"


def test_a_stage_mapping_round_trips_through_json():
    mapping = StageMapping(model="7", events={"x": "support"})
    assert StageMapping.from_dict(mapping.to_dict()) == mapping
    with pytest.raises(ParameterError, match="Unknown stage model '9'"):
        StageMapping.from_dict({"model": "9"})


@pytest.mark.parametrize("event, five, seven", [
    # Segment / RudderStack e-commerce spec
    ("Products Searched", "consideration", "discovery"),
    ("Product List Viewed", "consideration", "discovery"),
    ("Promotion Viewed", "awareness", "awareness"),
    ("Product Clicked", "consideration", "evaluation"),
    ("Product Viewed", "consideration", "evaluation"),
    ("Product Added", "consideration", "evaluation"),
    ("Product Added to Wishlist", "consideration", "evaluation"),
    ("Cart Viewed", "consideration", "evaluation"),
    ("Checkout Started", "consideration", "evaluation"),
    ("Checkout Step Completed", "consideration", "evaluation"),
    ("Payment Info Entered", "consideration", "evaluation"),
    ("Coupon Applied", "consideration", "evaluation"),
    ("Order Completed", "conversion", "conversion"),
    ("Order Refunded", "retention", "support"),
    ("Order Cancelled", "retention", "support"),
    ("Product Shared", "loyalty", "repurchase"),
    ("Product Reviewed", "loyalty", "repurchase"),
    # GA4
    ("first_visit", "awareness", "discovery"),
    ("view_item_list", "consideration", "discovery"),
    ("view_item", "consideration", "evaluation"),
    ("add_to_cart", "consideration", "evaluation"),
    ("begin_checkout", "consideration", "evaluation"),
    ("add_shipping_info", "consideration", "evaluation"),
    ("add_payment_info", "consideration", "evaluation"),
    ("purchase", "conversion", "conversion"),
    ("refund", "retention", "support"),
    ("generate_lead", "awareness", "discovery"),
    ("login", "retention", "experience"),
    # Shopify / Klaviyo
    ("Viewed Product", "consideration", "evaluation"),
    ("Added to Cart", "consideration", "evaluation"),
    ("Started Checkout", "consideration", "evaluation"),
    ("Placed Order", "conversion", "conversion"),
    ("Fulfilled Order", "retention", "experience"),
    ("Opened Email", "awareness", "discovery"),
    ("Subscribed to List", "awareness", "discovery"),
    # Mixpanel
    ("Sign Up", "conversion", "conversion"),
    ("Page View", "consideration", "discovery"),
    # HubSpot / Salesforce
    ("Form Submission", "awareness", "discovery"),
    ("Lead Created", "awareness", "discovery"),
    ("Marketing Qualified Lead", "consideration", "evaluation"),
    ("Deal Created", "consideration", "evaluation"),
    ("Contract Sent", "consideration", "evaluation"),
    ("Negotiation/Review", "consideration", "evaluation"),
    ("Closed Won", "conversion", "conversion"),
    ("Closed Lost", "consideration", "evaluation"),
    ("Ticket Created", "retention", "support"),
    ("Case Closed", "retention", "support"),
    ("Subscription Renewed", "loyalty", "repurchase"),
    # pop-ups are awareness touchpoints whatever the customer did with them
    ("Pop-up Email Viewed", "awareness", "awareness"),
    ("Pop-up Email Accepted", "awareness", "awareness"),
])
def test_tracker_and_crm_event_names_land_where_a_practitioner_would_put_them(event, five, seven):
    assert (suggest_stage(event, "5"), suggest_stage(event, "7")) == (five, seven)


def test_every_automatic_choice_says_why():
    mapping = StageMapping(model="5", events={"zzz": "loyalty"})
    assert mapping.explain(["Checkout Started", "Begin Checkout Now", "Pop-up Email Accepted", "zzz", "qqq"]) == {
        "Checkout Started": ("consideration", "touchpoint dictionary: 'checkout_started'"),
        "Begin Checkout Now": ("consideration", "matched 'checkout'"),
        "Pop-up Email Accepted": ("awareness", "matched 'pop_up'"),
        "zzz": ("loyalty", "set by hand"),
        "qqq": ("unmapped", "no rule matched: assign a stage"),
    }


def test_an_accepted_pop_up_is_never_earlier_than_a_viewed_one():
    table = StageMapping(model="5").table(["Pop-up Email Viewed", "Pop-up Email Accepted", "Product Viewed"])
    assert table == {"Pop-up Email Viewed": "awareness", "Pop-up Email Accepted": "awareness",
                     "Product Viewed": "consideration"}


def test_a_later_action_the_rules_put_earlier_or_nowhere_takes_the_stage_of_the_earlier_action():
    # Rules alone: "Sale Alert Viewed" -> consideration ('view'), "Sale Alert Subscribed" -> awareness
    # ('subscri'): subscribing comes after viewing, so it is kept with the viewed event. "Exit Intent
    # Accepted" matches no rule but follows "Exit Intent Viewed" (consideration).
    mapping = StageMapping(model="5")
    assert mapping.stage_of("Sale Alert Subscribed") == "awareness"
    assert mapping.explain(["Sale Alert Viewed", "Sale Alert Subscribed", "Exit Intent Viewed",
                            "Exit Intent Accepted"]) == {
        "Sale Alert Viewed": ("consideration", "matched 'view'"),
        "Sale Alert Subscribed": ("consideration", "kept with 'Sale Alert Viewed' (comes after it)"),
        "Exit Intent Viewed": ("consideration", "matched 'view'"),
        "Exit Intent Accepted": ("consideration", "kept with 'Exit Intent Viewed' (comes after it)"),
    }


def test_an_earlier_action_is_never_moved_and_a_choice_made_by_hand_is_kept():
    mapping = StageMapping(model="5", events={"Sale Alert Subscribed": "awareness"})
    assert mapping.table(["Sale Alert Viewed", "Sale Alert Subscribed"]) == {
        "Sale Alert Viewed": "consideration", "Sale Alert Subscribed": "awareness"}


@pytest.mark.parametrize("event, five, seven", [
    # a call named for a sale is part of evaluating the offer, not a support contact
    ("sales_call", "consideration", "evaluation"),
    ("SalesCall", "consideration", "evaluation"),
    ("Sales Calls", "consideration", "evaluation"),
    ("demo_call", "consideration", "evaluation"),
    ("Discovery Call Booked", "consideration", "evaluation"),
    ("intro_call", "consideration", "evaluation"),
    ("qualification_call", "consideration", "evaluation"),
    ("cold_call", "awareness", "discovery"),
    ("onboarding_call", "retention", "experience"),
    # calls to or from the support team stay support
    ("support_call", "retention", "support"),
    ("call", "retention", "support"),
    ("phone_call", "retention", "support"),
    ("callback", "retention", "support"),
    ("Callback Requested", "retention", "support"),
    ("call_center", "retention", "support"),
    ("customer_service_call", "retention", "support"),
    ("after_sales_call", "retention", "support"),
    ("recall_notice", "unmapped", "unmapped"),  # "call" inside another word is no call
])
def test_a_sales_demo_or_discovery_call_is_evaluation_while_support_calls_and_callbacks_stay_support(event, five,
                                                                                                     seven):
    assert suggest_stage(event, "5") == five
    assert suggest_stage(event, "7") == seven


@pytest.mark.parametrize("event, five, seven", [
    # a payment that failed is an attempt at checkout, not a purchase (cjm names such rows "failed payment")
    ("failed payment", "consideration", "evaluation"),
    ("payment_failed", "consideration", "evaluation"),
    ("Card Declined", "consideration", "evaluation"),
    ("checkout_failed", "consideration", "evaluation"),
    ("order_rejected", "consideration", "evaluation"),
    ("payment", "conversion", "conversion"),
    ("payment_succeeded", "conversion", "conversion"),
])
def test_a_failed_or_declined_payment_is_a_checkout_attempt_and_a_payment_a_purchase(event, five, seven):
    assert suggest_stage(event, "5") == five
    assert suggest_stage(event, "7") == seven
