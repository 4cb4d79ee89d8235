"""Review 3: a score column of sentiment labels is on the polarity scale by construction (cjm/data/labels.py:
"such a column is the customer's sentiment on the polarity scale"). Auto-detection from the range must not
read it as something else when only some of the labels occur (a filtered view, a stage, a small export)."""

import pytest

from cjm.data.dataset import load_dataset
from cjm.voice.sentiment import compute_overall, compute_signals


def _labelled(tmp_path, labels):
    rows = [f"c{i},2024-01-{i % 28 + 1:02d} 10:00,{label},comment {i}" for i, label in enumerate(labels)]
    path = tmp_path / "tweets.csv"
    path.write_text("user,created,sentiment,text\n" + "\n".join(rows) + "\n", encoding="utf-8")
    data = load_dataset([path])
    assert data.files[0].mapping.columns["score"] == "sentiment"
    return data


def test_only_positive_labels_read_as_positive_one_signal_each_and_no_csat(tmp_path):
    signals = compute_signals(_labelled(tmp_path, ["positive"] * 5))
    assert len(signals) == 5  # the label is the comment's one signal
    assert signals["label"].tolist() == ["positive"] * 5
    overall = compute_overall(signals)
    assert overall["mean"] == pytest.approx(1.0)
    assert overall["scale"] == "polarity" and overall["csat"] is None and overall["nps"] is None


def test_neutral_and_positive_labels_are_scored_not_refused(tmp_path):
    signals = compute_signals(_labelled(tmp_path, ["positive"] * 3 + ["neutral"] * 2))
    assert len(signals) == 5
    assert compute_overall(signals)["mean"] == pytest.approx(3 / 5)
