"""Review 3: customer features (segments, personas) put scores on -1..+1 with their own rule (score_scale:
"already -1..1" for any range inside -1..1) while the Sentiment page reads polarity only when the lowest value
is below 0 (cjm.voice.sentiment.resolve_scale). A customer's mean sentiment must not differ between the two."""

import pytest

from cjm.customers.features import compute_customer_features
from cjm.data.dataset import load_dataset
from cjm.errors import ParameterError
from cjm.voice.sentiment import compute_signals


def _load(tmp_path, header, cells):
    rows = [f"c{i % 4},2024-01-{i + 1:02d} 10:00,{cell}" for i, cell in enumerate(cells)]
    path = tmp_path / "log.csv"
    path.write_text(f"user,created,{header}\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return load_dataset([path])


def test_a_score_column_of_zeros_and_ones_is_not_read_as_sentiment_by_the_features_either(tmp_path):
    data = _load(tmp_path, "score", [0, 1, 1, 0, 1, 1, 0, 1])
    with pytest.raises(ParameterError):  # the Sentiment page: 0/1 is no known survey scale
        compute_signals(data)
    features = compute_customer_features(data)
    # segments must not call these customers positive (c1: two 1s -> +1.0) on a scale the Sentiment page refuses
    assert "mean_sentiment" not in features.columns or features["mean_sentiment"].isna().all()


def test_a_customer_with_only_positive_labels_has_mean_sentiment_plus_one_in_the_features(tmp_path):
    data = _load(tmp_path, "sentiment", ["positive"] * 8)
    features = compute_customer_features(data).set_index("customer_id")
    if "mean_sentiment" in features.columns:
        assert features["mean_sentiment"].tolist() == [1.0] * 4
    else:  # dropped as constant: its note must not say the labels were read as ratings 1-5
        assert "rating 1-5" not in " ".join(features.attrs.get("notes", []))
