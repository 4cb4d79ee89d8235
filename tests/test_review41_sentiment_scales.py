"""Review 41: the report's sentiment scale when files on different scales are loaded together (README: 'mixed',
with scales, the scores read on each scale, and scales_by_file, each file's scale) against
tests/review41_reference.py."""

from __future__ import annotations

import pytest

from cjm.data.dataset import SourceFile, load_dataset
from cjm.report.sections import sentiment_section
from tests import review41_reference as ref

# labels read as -1 / +1 / 0
TWEETS = """customer_id,timestamp,event,sentiment,text
t1,2025-03-01 09:00,tweet,negative,late again
t2,2025-03-01 10:00,tweet,positive,love it
t3,2025-03-01 11:00,tweet,neutral,ok
"""
# NPS 9, 3, 10: (s - 5) / 5 = 0.8, -0.4, 1.0; promoters 2, detractors 1: NPS 33.3
NPS = """customer_id,timestamp,event,nps
n1,2025-03-02 09:00,survey,9
n2,2025-03-02 10:00,survey,3
n3,2025-03-02 11:00,survey,10
"""
NPS2 = NPS.replace("n1,", "m1,").replace("n2,", "m2,").replace("n3,", "m3,")  # the same answers, other people
# ratings 5, 2: (r - 3) / 2 = 1.0, -0.5
RATINGS = """customer_id,timestamp,event,rating
r1,2025-03-03 09:00,review,5
r2,2025-03-03 10:00,review,2
"""
# comments only, no score: read by the text model, on no score scale
COMMENTS = """customer_id,timestamp,event,comment
x1,2025-03-04 09:00,chat,This was a terrible experience and I am angry
x2,2025-03-04 10:00,chat,Wonderful service thank you so much
"""

CASES = {
    # labels beside NPS: mixed, {nps10: 3, polarity: 3}; mean (0 + 0.8 - 0.4 + 1.0) / 6 = 0.2333
    "labels and nps": ([("tweets.csv", TWEETS), ("nps.csv", NPS)],
                       {"tweets.csv": ("polarity", 3), "nps.csv": ("nps10", 3)}, 1.4 / 6),
    # one NPS file: nps10, mean 1.4 / 3
    "one nps file": ([("nps.csv", NPS)], {"nps.csv": ("nps10", 3)}, 1.4 / 3),
    # two ratings files: one scale, rating5; mean (1 - 0.5) * 2 / 4 = 0.25
    "two ratings files": ([("a.csv", RATINGS), ("b.csv", RATINGS.replace("r1", "r3").replace("r2", "r4"))],
                          {"a.csv": ("rating5", 2), "b.csv": ("rating5", 2)}, 0.25),
    # three scales: mixed, {nps10: 3, polarity: 3, rating5: 2}; mean (1.4 + 0.5) / 8 = 0.2375
    "three scales": ([("tweets.csv", TWEETS), ("nps.csv", NPS), ("rate.csv", RATINGS)],
                     {"tweets.csv": ("polarity", 3), "nps.csv": ("nps10", 3), "rate.csv": ("rating5", 2)}, 1.9 / 8),
    # labels, NPS and comments without scores: mixed over the two scored files; the comments file has no scale
    "labels, nps and comments": ([("tweets.csv", TWEETS), ("nps.csv", NPS), ("text.csv", COMMENTS)],
                                 {"tweets.csv": ("polarity", 3), "nps.csv": ("nps10", 3)}, None),
    # two NPS files beside ratings: mixed, {nps10: 6, rating5: 2}; mean (1.4 * 2 + 0.5) / 8 = 0.4125
    "two nps files and ratings": ([("nps.csv", NPS), ("nps2.csv", NPS2), ("rate.csv", RATINGS)],
                                  {"nps.csv": ("nps10", 3), "nps2.csv": ("nps10", 3), "rate.csv": ("rating5", 2)},
                                  3.3 / 8),
    # ratings beside comments without scores: the comments are on no score scale, so one scale: rating5
    "ratings and comments": ([("rate.csv", RATINGS), ("text.csv", COMMENTS)], {"rate.csv": ("rating5", 2)}, None),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_reports_sentiment_scale_names_each_files_scale_when_they_differ(name):
    files, per_file, mean = CASES[name]
    ds = load_dataset([SourceFile(name=n, data=t.encode()) for n, t in files])
    overall = sentiment_section(ds)["sentiment"]["overall"]
    want = ref.report_scale(per_file)
    assert overall["scale"] == want["scale"]
    if want["scale"] == "mixed":
        assert overall["scales"] == want["scales"]
        assert overall["scales_by_file"] == want["scales_by_file"]
    else:
        assert "scales_by_file" not in overall
        assert overall["scales"] == {want["scale"]: sum(n for _, n in per_file.values())}
    assert sum(overall["scales"].values()) == overall["scores"]  # the scales add up to the scores
    if mean is not None:
        assert overall["mean"] == pytest.approx(mean)
    assert -1 <= overall["mean"] <= 1
