"""Files loaded together whose scores are on different scales: each file's scores are read on its own scale (the one it
states, else the one its own range reads), never one scale for all. Expected values worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.customers.features import compute_customer_features
from cjm.data.dataset import load_dataset
from cjm.data.filters import Filters
from cjm.data.scores import MIXED_COLUMN, file_scales
from cjm.voice.sentiment import SentimentParams, compute_overall, compute_signals


def _files(tmp_path):
    labels = tmp_path / "tweets.csv"
    labels.write_text("user,created,channel,sentiment\na,2024-01-01,twitter,positive\nb,2024-01-02,twitter,negative\n"
                      "c,2024-01-03,twitter,negative\n", encoding="utf-8")
    nps = tmp_path / "nps.csv"
    nps.write_text("user,created,channel,nps\na,2024-02-01,email,10\nx,2024-02-02,email,0\ny,2024-02-03,email,6\n",
                   encoding="utf-8")
    return load_dataset([labels, nps])


def test_file_scales_names_each_files_scale_only_when_they_differ():
    ratings = pd.DataFrame({"score": [4.0, 5.0]})
    polar = pd.DataFrame({"score": [-1.0, 1.0]})
    assert file_scales([polar, ratings, pd.DataFrame({"event": ["x"]})], [None, None, None]) == \
        ["polarity", "rating5", None]
    assert file_scales([ratings, ratings], [None, None]) is None  # one scale: nothing to carry
    assert file_scales([polar, pd.DataFrame({"score": [0.0, 100.0]})], [None, None]) is None  # 0..100 reads none


def test_labels_and_nps_answers_are_each_put_on_minus_one_to_one_by_their_own_scale(tmp_path):
    data = _files(tmp_path)
    rows = engine.execute(data.events).sort_values("row_id")
    assert rows[MIXED_COLUMN].tolist() == ["polarity"] * 3 + ["nps10"] * 3
    # labels +1, -1, -1; NPS (10 - 5) / 5 = 1, (0 - 5) / 5 = -1, (6 - 5) / 5 = 0.2: mean -0.8 / 6
    overall = compute_overall(compute_signals(data))
    assert overall["mean"] == pytest.approx(-0.8 / 6)
    # NPS only from the NPS file: 1 promoter (10), 2 detractors (0, 6) of 3 -> (1 - 2) / 3 = -33.3 points
    assert overall["nps_n"] == 3 and overall["nps"] == pytest.approx(-100 / 3)


def test_a_view_of_one_channel_keeps_each_files_scale(tmp_path):
    # the e-mail channel holds only the NPS answers 10, 0, 6: still NPS, mean (1 - 1 + 0.2) / 3
    view = _files(tmp_path).filtered(Filters(channels=("email",)))
    assert compute_overall(compute_signals(view))["mean"] == pytest.approx(0.2 / 3)


def test_customer_features_read_each_score_on_its_files_scale(tmp_path):
    # a: label +1 and NPS 10 (+1): mean 1; b: -1; x: NPS 0 (-1); y: NPS 6 (0.2)
    features = compute_customer_features(_files(tmp_path)).set_index("customer_id")["mean_sentiment"]
    assert features.to_dict() == pytest.approx({"a": 1.0, "b": -1.0, "c": -1.0, "x": -1.0, "y": 0.2})


def test_a_scale_the_user_chooses_still_reads_every_score_on_it(tmp_path):
    # a scale the user picks applies to every score: the labels' -1 is outside NPS's 0..10, so the choice is refused
    # with an error naming it (no file is silently read on another file's scale)
    with pytest.raises(ValueError, match="nps10"):
        compute_signals(_files(tmp_path), params=SentimentParams(score_scale="nps10"))


def test_the_data_page_says_each_files_own_scale(tmp_path):
    notes = {f.name: " ".join(f.notes) for f in _files(tmp_path).files}
    assert "read on its own (sentiment labels or -1..+1 polarity)" in notes["tweets.csv"]
    assert "read on its own (NPS 0-10)" in notes["nps.csv"]


def test_the_report_names_every_scale_the_scores_were_read_on_and_each_files_own(tmp_path):
    # tweets.csv: 3 labels (polarity), nps.csv: 3 NPS answers (nps10). The overall scale is neither file's alone: it
    # reads "mixed" (it named the first signal's scale, "polarity", as if the NPS answers were on it), scales count the
    # scores read on each (3 and 3, ties by name), and each file names its own.
    from cjm.report.sections import sentiment_section
    from cjm.voice.sentiment import scales_note
    data = _files(tmp_path)
    overall = sentiment_section(data)["sentiment"]["overall"]
    assert overall["scale"] == "mixed"
    assert overall["scales"] == {"nps10": 3, "polarity": 3}
    assert sum(overall["scales"].values()) == overall["scores"]  # every score is read on one named scale
    assert overall["scales_by_file"] == {"tweets.csv": "polarity", "nps.csv": "nps10"}
    note = scales_note(overall, overall["scales_by_file"])
    assert "tweets.csv: −1 to +1, or labels negative / neutral / positive; nps.csv: 0–10 NPS" in note


def test_one_files_scores_keep_their_one_scale_in_the_report(tmp_path):
    # nps.csv alone: 3 answers on NPS 0-10: scale nps10, scales {nps10: 3}, no list of files, no note on the page
    from cjm.report.sections import sentiment_section
    from cjm.voice.sentiment import scales_note
    nps = tmp_path / "nps.csv"
    nps.write_text("user,created,channel,nps\na,2024-02-01,email,10\nx,2024-02-02,email,0\ny,2024-02-03,email,6\n",
                   encoding="utf-8")
    overall = sentiment_section(load_dataset([nps]))["sentiment"]["overall"]
    assert (overall["scale"], overall["scales"]) == ("nps10", {"nps10": 3})
    assert "scales_by_file" not in overall and scales_note(overall, {}) == ""
