"""Review 3 (pins): the journey map's drop-off count is the stage funnel's, and it splits exactly into the
Abandonment page's abandoned and in-progress customers over the same stage funnel (seeded random logs);
polarity scores are negative at -0.05 or less and positive at 0.05 or more, and never give NPS or CSAT."""

import numpy as np
import pytest

from cjm.journey.abandonment import compute_abandonment
from cjm.journey.funnel import FunnelParams, funnel_on
from cjm.voice.sentiment import compute_overall, compute_signals
from tests.helpers import dataset

MAPPED = {"ad_click": "awareness", "product_view": "consideration", "purchase": "conversion",
          "invoice": "retention"}
STEPS = ("awareness", "consideration", "conversion", "retention")


@pytest.mark.parametrize("seed", range(8))
def test_dropped_equals_abandoned_plus_in_progress_on_random_logs(seed):
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(30):
        start = int(rng.integers(0, 30 * 24))
        for k in range(int(rng.integers(1, 7))):
            stamp = np.datetime64("2024-01-01T00:00") + np.timedelta64(start + k * int(rng.integers(0, 200)), "h")
            rows.append((f"c{c}", str(stamp).replace("T", " "), list(MAPPED)[int(rng.integers(0, 4))]))
    data = dataset(rows, stages=MAPPED)
    params = FunnelParams(steps=STEPS, step_kind="stage", window_seconds=int(rng.choice([3600, 86400, 604800])))
    funnel = funnel_on(data.events, params=params)
    abandonment = compute_abandonment(data, params=params)
    assert list(funnel["dropped"].iloc[1:]) == list(abandonment["abandoned"] + abandonment["in_progress"])
    assert list(funnel["customers"].iloc[:-1]) == list(abandonment["reached_previous"])


def test_polarity_scores_are_labelled_at_the_five_hundredths_and_give_no_nps_or_csat():
    values = [-1.0, -0.05, -0.04, 0.0, 0.04, 0.05, 1.0]
    rows = [(f"c{i}", f"2024-01-{i + 1:02d}", "review", v) for i, v in enumerate(values)]
    signals = compute_signals(dataset(rows, ("customer_id", "timestamp", "event", "score")))
    assert list(signals["label"]) == ["negative", "negative", "neutral", "neutral", "neutral", "positive", "positive"]
    overall = compute_overall(signals)
    assert overall["scale"] == "polarity" and overall["nps"] is None and overall["csat"] is None
    assert overall["mean"] == pytest.approx(0.0)
