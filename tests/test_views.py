"""A filtered view or a segmented view of a Dataset is again a Dataset (cjm.data.views)."""

import io

import pandas as pd
import pytest

from cjm import engine
from cjm.data.dataset import SourceFile, load_dataset
from cjm.data.filters import Filters
from cjm.data.views import materialized, with_segments
from cjm.journey.funnel import FunnelParams, compute_funnel
from cjm.journey.funnel.defaults import default_funnel

CSV = """customer_id,timestamp,event,channel
a,2024-01-01T10:00:00Z,product_view,web
a,2024-01-01T10:05:00Z,add_to_cart,web
a,2024-01-03T10:00:00Z,purchase,email
b,2024-01-02T09:00:00Z,product_view,email
b,2024-01-02T09:10:00Z,add_to_cart,email
c,2024-01-05T12:00:00Z,product_view,web
"""


@pytest.fixture(scope="module")
def dataset():
    return load_dataset([SourceFile(name="events.csv", data=CSV.encode())])


def customers_and_events(ds) -> tuple[int, int]:
    frame = engine.execute(ds.events.aggregate(c=ds.events.customer_id.nunique(), e=ds.events.count()))
    return int(frame["c"].iloc[0]), int(frame["e"].iloc[0])


def test_a_filtered_view_is_a_dataset_with_its_own_key_and_the_whole_data_s_names(dataset):
    view = dataset.filtered(Filters(channels=("web",)))
    assert type(view) is type(dataset) and view.key != dataset.key
    assert view.loaded is dataset
    assert view.event_counts is dataset.event_counts  # names of the whole data: a step never reached is 0
    assert dataset.filtered(Filters()) is dataset  # no active filter: the dataset itself


def test_channel_and_date_filters_select_events_so_a_journey_is_cut_to_them(dataset):
    # web only: a (2 web events), c (1) -> 2 customers, 3 events; b (email only) is gone
    assert customers_and_events(dataset.filtered(Filters(channels=("web",)))) == (2, 3)
    # 2024-01-01..01-02: a's first two events and b's two -> 2 customers, 4 events
    assert customers_and_events(dataset.filtered(Filters(start="2024-01-01", end="2024-01-02"))) == (2, 4)


def test_the_segment_filter_selects_whole_customers(dataset):
    membership = pd.DataFrame({"customer_id": ["a", "b", "c"], "persona": ["Buyers", "Browsers", "Browsers"]})
    segmented = with_segments(dataset, membership, settings={"k": 2})
    assert "segment" in segmented.attributes and segmented.loaded is dataset
    # Buyers = customer a with all three of their events, whatever the channel
    assert customers_and_events(segmented.filtered(Filters(segments=("Buyers",)))) == (1, 3)


def test_a_step_that_the_filtered_view_never_reaches_counts_zero(dataset):
    view = dataset.filtered(Filters(channels=("web",)))
    params = FunnelParams(steps=("product_view", "add_to_cart", "purchase"), step_kind="event")
    funnel = compute_funnel(view, params=params)
    # web: a viewed and added to cart (purchase was by email), c viewed
    assert funnel["customers"].tolist() == [2, 1, 0]


def test_the_channel_filter_and_the_channel_breakdown_differ_as_documented(dataset):
    params = FunnelParams(steps=("product_view", "purchase"), step_kind="event")
    filtered = compute_funnel(dataset.filtered(Filters(channels=("web",))), params=params)
    split = compute_funnel(dataset, params=FunnelParams(steps=params.steps, step_kind="event", breakdown="channel"))
    web = split[split["group"] == "web"]
    # filter: a's purchase was by email, so nobody buys on the web; breakdown: a's first touch was web,
    # so a (who bought) is in the web group with all of a's events
    assert filtered["customers"].tolist() == [2, 0]
    assert web["customers"].tolist() == [2, 1]


def test_a_materialized_dataset_gives_the_same_numbers(dataset):
    params = FunnelParams(steps=("product_view", "add_to_cart", "purchase"), step_kind="event")
    assert (compute_funnel(materialized(dataset), params=params)["customers"].tolist()
            == compute_funnel(dataset, params=params)["customers"].tolist() == [3, 2, 1])


def test_the_app_and_the_report_propose_the_same_funnel(dataset):
    from cjm.report.build import ReportOptions, funnel_params
    from cjm.ui.funnel import default_params

    # the default stage mapping puts views and carts in consideration and purchases in conversion: two stages,
    # fewer than the shop's three steps, so both propose view -> cart -> purchase
    assert default_params(dataset) == funnel_params(dataset, ReportOptions()) == default_funnel(dataset)
    assert (default_funnel(dataset).steps, default_funnel(dataset).step_kind) == (
        ("product_view", "add_to_cart", "purchase"), "event")


def test_without_two_stages_the_proposed_funnel_is_the_e_commerce_events():
    from cjm.data.stages import StageMapping

    unmapped = load_dataset([SourceFile(name="events.csv", data=CSV.encode())],
                            stage_mapping=StageMapping(events={"product_view": "unmapped", "add_to_cart": "unmapped",
                                                               "purchase": "unmapped"}))
    params = default_funnel(unmapped)
    assert (params.steps, params.step_kind) == (("product_view", "add_to_cart", "purchase"), "event")
