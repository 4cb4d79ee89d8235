"""Google Business Profile reviews (the My Business API's reviews list, and Google Takeout's reviews.json), tried on a
public file in that shape and here on a few invented reviews in it.

File tried: 40 reviews of a local business in the API's shape (github amralyticsteam/analytics_demo,
data/google_reviews.json: {"reviews": [{"reviewer": {"displayName": ...}, "starRating": "FIVE", "comment": ...,
"createTime": "2024-07-15T14:30:00.000Z", "name": "review_001"}, ...]}). Google writes the stars as words, "ONE" ..
"FIVE". Wrong before: the stars were not read at all (no score column: 'starRating' was not a known name and its
words no numbers), so the sentiment had only the comments, csat none. After: 'reviews.starRating' the score on the
1-5 scale: 22 FIVE, 10 FOUR, 4 THREE, 4 TWO, mean 4.25, CSAT (4 or 5 stars) 32 / 40 = 0.8, as plain Python counts.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers import parsed_rows, parsed_text

REVIEWS = json.dumps({"reviews": [
    {"reviewer": {"displayName": "Sarah M"}, "starRating": "FIVE", "comment": "Fixed our AC the same day. Fair price.",
     "createTime": "2024-07-15T14:30:00.000Z", "name": "review_001"},
    {"reviewer": {"displayName": "Michael C"}, "starRating": "FOUR", "comment": "Good service, slow to book.",
     "createTime": "2024-01-22T10:15:00.000Z", "name": "review_002"},
    {"reviewer": {"displayName": "Pat J"}, "starRating": "TWO", "comment": "Came late and the unit broke again.",
     "createTime": "2024-03-02T09:00:00.000Z", "name": "review_003"},
    {"reviewer": {"displayName": "Lee K"}, "starRating": "STAR_RATING_UNSPECIFIED", "comment": "Called twice.",
     "createTime": "2024-04-10T12:00:00.000Z", "name": "review_004"},
]}, indent=2)


def test_google_business_profile_star_words_are_read_as_one_to_five_stars():
    # FIVE, FOUR, TWO -> 5, 4, 2; STAR_RATING_UNSPECIFIED (no stars given) is no answer: empty, not an unreadable
    # cell. Before: no score column was found, the stars unread.
    parsed = parsed_text(REVIEWS, "reviews.json")
    report = parsed.files[0]
    assert report.mapping.columns["score"] == "reviews.starRating"
    rows = parsed_rows(parsed)
    assert rows["score"].tolist()[:3] == [5.0, 4.0, 2.0]
    assert rows["score"].isna().tolist() == [False, False, False, True]
    assert report.unreadable.get("reviews.starRating", 0) == 0


def test_google_review_stars_give_the_csat_of_the_reviews():
    # Three reviews with stars: 5 and 4 satisfied (4 or 5 stars), 2 not: CSAT 2 / 3, on the 1-5 stars scale.
    # Before: no score, so no CSAT.
    from cjm import report
    from cjm.data.dataset import build_dataset

    overall = report.build_report(build_dataset(parsed_text(REVIEWS, "reviews.json")))["sentiment"]["overall"]
    assert overall["scale"] == "rating5"
    assert overall["csat_n"] == 3
    assert overall["csat"] == pytest.approx(2 / 3)
