"""Tour 30: what a marketer met on review exports and on the pages' words, written down on small hand-made files."""

from __future__ import annotations

from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.journey.kpis import compute_kpis
from tests.helpers import parsed_text
from tests.test_tour29 import REVIEWS, TRUSTPILOT


def _reviews_received(parsed):
    kpis = compute_kpis(build_dataset(parsed), period="all").set_index("name")
    return kpis.loc["reviews", "available"], kpis.loc["reviews", "value"]


def test_a_review_exports_reviews_received_counts_every_review():
    # reviews.csv: 5 rows (Ann 2, Bob, Cat, Dan), no event column: 5 reviews over the whole data.
    assert _reviews_received(parsed_text(REVIEWS, "reviews.csv")) == (True, 5.0)


def test_a_trustpilot_export_is_read_by_its_reviewers_and_counts_its_reviews():
    # 'Reviewer name' is the reviewer (each review one respondent, named by its row), and the 'Review Stars' column says
    # the file holds reviews: 3 rows, 3 reviews, whatever the file is called.
    parsed = parsed_text(TRUSTPILOT, "export.csv")
    assert parsed.files[0].mapping.columns["customer_id"] == "Reviewer name"
    assert _reviews_received(parsed) == (True, 3.0)


def test_a_review_export_beside_a_web_log_counts_its_reviews_and_no_other_feedback():
    # The web log: a views and leaves 'feedback' (an event of the log, not a review), b writes a review
    # ('review_written'). With reviews.csv's 5 reviews: 1 + 5 = 6 reviews; a's feedback is none.
    log = ("customer_id,timestamp,event\n"
           "a,2023-10-01 09:00:00,page_view\n"
           "a,2023-10-01 09:05:00,feedback\n"
           "b,2023-10-02 09:00:00,review_written\n")
    parsed = parse_files([SourceFile("web.csv", log.encode()), SourceFile("reviews.csv", REVIEWS.encode())])
    assert _reviews_received(parsed) == (True, 6.0)


def test_tweets_to_a_brand_are_feedback_but_not_reviews():
    # An airline's tweets (sentiment, handle, text, date): 2 pieces of feedback, no word says review: Reviews received
    # stays not available, as on the real airline_tweets.csv.
    tweets = ("tweet_id,airline_sentiment,name,text,tweet_created\n"
              "1,negative,jnardino,@airline late again,2015-02-24 11:35:52\n"
              "2,positive,cairdin,@airline thanks,2015-02-24 11:15:59\n")
    available, _ = _reviews_received(parsed_text(tweets, "airline_tweets.csv"))
    assert not available
