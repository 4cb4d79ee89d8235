"""Review 46: the event-level transition matrix orders a reversal's event as the flow does: after the stages and the
unmapped events (cjm.journey.paths.step_stages colours it 'reversal'), never among the retention events it is mapped
to. Hand log: a visit, purchase, refund, invoice; b visit, newsletter."""

from __future__ import annotations

from cjm.ui.journeys import event_order
from tests.helpers import dataset

STAGES = {"visit": "consideration", "purchase": "conversion", "refund": "retention", "invoice": "retention"}


def test_the_event_level_matrix_puts_the_refund_after_the_stages_and_the_unmapped_events():
    data = dataset([("a", "2024-01-01", "visit"), ("a", "2024-01-02", "purchase"), ("a", "2024-01-03", "refund"),
                    ("a", "2024-01-04", "invoice"), ("b", "2024-01-01", "visit"), ("b", "2024-01-02", "newsletter")],
                   stages=STAGES)
    assert event_order(data) == ["visit", "purchase", "invoice", "newsletter", "refund"]  # was visit, purchase, invoice, refund, newsletter: the refund among retention
