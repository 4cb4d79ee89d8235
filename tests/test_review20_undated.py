"""Review 20, count_undated (cjm/journey/funnel/validate.py): events without a date and customers with no dated
event, on the dataset and on a filtered view. Every expected figure is worked out by hand beside it."""

from __future__ import annotations

import pandas as pd

from cjm import engine
from cjm.data.dataset import Dataset
from cjm.data.filters import Filters
from cjm.journey.funnel.validate import count_undated

# a: dated (web) + undated (email); b: two undated (web); c: dated (email); d: undated (email)
FRAME = pd.DataFrame({
    "customer_id": ["a", "a", "b", "b", "c", "d"],
    "timestamp": pd.to_datetime(["2024-01-01 10:00", None, None, None, "2024-01-02 10:00", None], utc=True),
    "event": ["page_view", "purchase", "page_view", "page_view", "page_view", "page_view"],
    "channel": ["web", "email", "web", "web", "email", "email"],
})


def ds(frame=FRAME):
    return Dataset.from_events(engine.events_table(frame))


def test_undated_events_and_customers_with_only_undated_events_are_counted():
    # undated: a's purchase, b's two views, d's view = 4 of 6; customers with no dated event: b, d = 2 of 4
    assert count_undated(ds()) == {"events": 6, "undated": 4, "customers": 4, "customers_undated": 2}


def test_data_without_any_date_is_all_undated():
    frame = FRAME.assign(timestamp=pd.Series([pd.NaT] * 6, dtype="datetime64[ns, UTC]"))
    # 6 of 6 events, 4 of 4 customers
    assert count_undated(ds(frame)) == {"events": 6, "undated": 6, "customers": 4, "customers_undated": 4}


def test_a_channel_view_counts_its_own_events():
    # web: a's dated view, b's two undated views: 2 of 3 events undated; a has a dated event, b none: 1 of 2
    web = ds().filtered(Filters(channels=("web",)))
    assert count_undated(web) == {"events": 3, "undated": 2, "customers": 2, "customers_undated": 1}
    # email: a's undated purchase, c's dated view, d's undated view: 2 of 3; a (only undated in this view) and d:
    # 2 of 3 customers
    email = ds().filtered(Filters(channels=("email",)))
    assert count_undated(email) == {"events": 3, "undated": 2, "customers": 3, "customers_undated": 2}


def test_a_date_view_holds_only_dated_events():
    # a date range keeps the events inside it: a's and c's dated views, 2 events, none undated, 2 customers
    view = ds().filtered(Filters(start="2024-01-01", end="2024-01-31"))
    assert count_undated(view) == {"events": 2, "undated": 0, "customers": 2, "customers_undated": 0}
