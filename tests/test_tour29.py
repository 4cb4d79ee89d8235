"""Tour 29: what a marketer met in the browser on real exports (Google Play reviews, Mixpanel, Segment,
Trustpilot), written down on small hand-made files of the same shapes."""

from __future__ import annotations

import pandas as pd

from cjm.customers.personas import compute_typical_journeys
from cjm.data.dataset import build_dataset
from cjm.journey import paths
from cjm.journey.paths import PathParams
from tests.helpers import parsed_text

# A Google Play export as Kaggle shares it: the reviewer's name, the stars, the date, the review, and the
# sharer's own 'Label' (Positive / Negative) beside it. No event column: every row is a 'feedback' event of the
# stage 'retention'.
REVIEWS = """userName,score,at,content,Label
Ann,5,2023-10-01 10:00:00,Great app love it,Positive
Bob,1,2023-10-02 10:00:00,Terrible it crashes,Negative
Cat,4,2023-10-03 10:00:00,Nice,Positive
Dan,2,2023-10-04 10:00:00,Bad login,Negative
Ann,4,2023-10-05 10:00:00,Still good,Positive
"""


def _reviews():
    return build_dataset(parsed_text(REVIEWS, "reviews.csv"))


def test_a_review_exports_label_column_is_not_read_as_the_journeys_steps():
    # Every review is a 'feedback' event at 'retention': each of the 4 reviewers (Ann wrote 2) has the one-step
    # journey 'retention', one variant of 4 customers. Before: the export's 'Label' was read in place of cjm's own
    # `label` (DuckDB's names ignore case), giving 2 variants 'Positive' (Ann, Cat) and 'Negative' (Bob, Dan).
    variants = paths.compute_variants(_reviews(), params=PathParams(level="stage"))
    assert variants[["path", "customers"]].to_dict("records") == [{"path": "retention", "customers": 4}]


def test_a_review_exports_label_column_is_not_a_personas_typical_journey():
    # Segment 0 = Ann and Cat, segment 1 = Bob and Dan: each has the journey 'retention', 2 of 2 customers (share 1).
    # Before: 'Positive (100.0% of them)' and 'Negative (100.0% of them)' on the Personas page.
    membership = pd.DataFrame({"customer_id": ["Ann", "Cat", "Bob", "Dan"], "segment": [0, 0, 1, 1]})
    journeys = compute_typical_journeys(_reviews(), membership=membership)
    assert journeys[["segment", "journey", "customers", "share"]].to_dict("records") == [
        {"segment": 0, "journey": "retention", "customers": 2, "share": 1.0},
        {"segment": 1, "journey": "retention", "customers": 2, "share": 1.0},
    ]


def test_an_events_label_column_does_not_replace_the_flows_steps():
    # A web log with an extra 'Label' column (a campaign label): a views then buys, b only views.
    # Event-level flow: one edge view -> buy of 1 customer (a); the transition matrix the same pair.
    # Before: the steps were the labels 'spring' / 'summer'.
    log = """customer_id,timestamp,event,Label
a,2024-01-01 10:00:00,view,spring
a,2024-01-01 11:00:00,buy,summer
b,2024-01-02 10:00:00,view,spring
"""
    data = build_dataset(parsed_text(log, "web.csv"))
    params = PathParams(level="event", min_edge_share=0.0)
    edges = paths.compute_transitions(data, params=params)
    assert edges[["source", "target", "customers"]].to_dict("records") == [
        {"source": "view", "target": "buy", "customers": 1}]
    matrix = paths.compute_transition_matrix(data, params=params)
    assert matrix[["from", "to", "customers"]].to_dict("records") == [{"from": "view", "to": "buy", "customers": 1}]
