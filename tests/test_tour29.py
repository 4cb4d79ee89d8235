"""Tour 29: what a marketer met in the browser on real exports (Google Play reviews, Mixpanel, Segment,
Trustpilot), written down on small hand-made files of the same shapes."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm.customers.personas import compute_typical_journeys
from cjm.data.dataset import build_dataset
from cjm.journey import paths
from cjm.journey.paths import PathParams
from tests.helpers import parsed_rows, parsed_text

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


# Tweets to airlines as the Kaggle 'Twitter US Airline Sentiment' export has them: the handle, an annotator's
# sentiment label (negative / neutral / positive, read as the score on the polarity scale -1 / 0 / +1), the tweet.
TWEETS = """name,airline_sentiment,text,tweet_created
jo,negative,@united you lost my bag,2015-02-24 11:00:00 -0800
jo,neutral,@united any news?,2015-02-24 12:00:00 -0800
max,negative,@AmericanAir two hours late,2015-02-23 09:00:00 -0800
kim,positive,@JetBlue lovely crew,2015-02-22 09:00:00 -0800
"""


def test_the_call_back_list_says_a_labelled_tweet_is_negative_not_polarity_minus_one():
    # Latest feedback: jo's is neutral (not on the list), max's negative, kim's positive. So max alone, and his
    # feedback reads as the annotator wrote it: "negative: @AmericanAir two hours late". Before: "polarity -1: ...",
    # a word no marketer uses for a tweet's label.
    from cjm.voice.followup import compute_closed_loop

    data = build_dataset(parsed_text(TWEETS, "Tweets.csv"))
    loop = compute_closed_loop(data)
    assert loop[["customer_id", "last_feedback"]].to_dict("records") == [
        {"customer_id": "max", "last_feedback": "negative: @AmericanAir two hours late"}]


def test_a_polarity_reading_between_the_labels_is_said_with_its_number():
    # -0.6 is at or below -0.05: negative; +0.02 is inside -0.05..+0.05: neutral; a 1-5 rating keeps "rating 4/5".
    from cjm.voice.sentiment import describe_scores

    said = describe_scores(pd.Series([-1.0, 0.0, 1.0, -0.6, 0.02, 4.0]),
                           pd.Series(["polarity"] * 5 + ["rating5"]))
    assert said.tolist() == ["negative", "neutral", "positive", "negative (-0.6)", "neutral (+0.02)", "rating 4/5"]


# Mixpanel's identity merge, as in the real export: phone d1 visits, its owner signs in as 0107 and from then on
# Mixpanel writes distinct_id = 0107 (the same phone). Phone d2 signs in as 0108 and stays d2 (older SDK). Phone d3
# never signs in.
MIXPANEL = ("distinct_id,user_id,time,event\n"
            "d1,,2022-10-11 10:00,data-event\n"
            "d1,,2022-10-11 10:01,data-event\n"
            "d1,0107,2022-10-11 10:02,$identify\n"
            "0107,0107,2022-10-11 10:03,PaymentPage\n"
            "0107,0107,2022-10-11 10:04,data-event\n"
            "d2,,2022-10-11 11:00,data-event\n"
            "d2,0108,2022-10-11 11:01,$identify\n"
            "d3,,2022-10-11 12:00,data-event\n")
MIXPANEL_MAPPING = {"columns": {"customer_id": "distinct_id", "timestamp": "time", "event": "event"},
                    "signed_in_id": "user_id"}
# By hand: d1 and d2 each had one person signing in (0107, 0108): 2 phones; 3 events there without signing in (d1's
# first two, d2's first). '0107' as a distinct_id is 0107's own id, no phone of theirs: nobody used several phones,
# and 0107's own id beside d1 is one customer. Customers: 0107, 0108, d3 = 3 (4 distinct_ids).
MIXPANEL_NOTE = (
    "'user_id' names who signed in, 'distinct_id' the browser or device: an event is the person's who signed in on "
    "its browser or device. 2 browsers or devices had one person signing in: 3 events there without signing in are "
    "that person's. After signing in, 1 person (such as '0107') had their signed-in id written as 'distinct_id' "
    "too, as Mixpanel does: one customer with the browser or device they signed in on, not two. To count browsers "
    "and devices instead, choose none as the signed-in id on the Data page.")


def test_a_mixpanel_id_switching_to_who_signed_in_is_not_said_to_be_a_second_device():
    # Before: "3 browsers or devices had one person signing in ... 1 person used several (such as '0107' on '0107'
    # and 'd1')", while 0107 used one phone.
    parsed = parsed_text(MIXPANEL, "mixpanel.csv")
    assert parsed.files[0].mapping.signed_in_id == "user_id"
    assert sorted(parsed_rows(parsed)["customer_id"].unique()) == ["0107", "0108", "d3"]
    assert MIXPANEL_NOTE in parsed.files[0].notes


def test_a_mixpanel_file_read_in_place_says_the_same(tmp_path):
    from cjm import engine
    from cjm.data.columns import ColumnMapping
    from cjm.data.source import dataset_from_files

    path = tmp_path / "mixpanel.csv"
    path.write_text(MIXPANEL)
    data = dataset_from_files(path, mapping=ColumnMapping.from_dict(MIXPANEL_MAPPING))
    assert sorted(engine.execute(data.events.select("customer_id"))["customer_id"].unique()) == ["0107", "0108", "d3"]
    assert MIXPANEL_NOTE in data.files[0].notes


def test_the_sentiment_page_says_one_unscored_comment_in_the_singular():
    # A Trustpilot export of 3 reviews: two comments of known English words are scored, '12345' has no word at all:
    # 1 comment left unscored. Before: "1 comments are left unscored ... They still appear in the quotes below."
    from tests.apptest import open_app

    trustpilot = ("Reviewer name,Review Stars,Review Content,Review Created (UTC)\n"
                  "Jane Doe,5,Great service and a lovely team,2026-02-01 10:00:00\n"
                  "John Smith,1,Terrible awful delivery,2026-02-03 12:00:00\n"
                  "Maria Garcia,4,12345,2026-02-12 15:30:00\n")
    at = open_app("app_pages/sentiment.py", files={"trustpilot.csv": trustpilot.encode()})
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Unscored comments"] == "1"
    note = next(c.value for c in at.caption if "left unscored, not counted" in c.value)
    assert note.startswith("1 comment is left unscored, not counted as neutral: ")
    assert note.endswith("It still appears in the quotes below.")


TRUSTPILOT = ("Reviewer name,Review Stars,Review Content,Review Created (UTC),Review Title\n"
              "Jane Doe,5,Great service and fast delivery,2026-02-01 10:00:00,Love it\n"
              "John Smith,1,Never arrived and nobody answers,2026-02-03 12:00:00,Awful\n"
              "Maria Garcia,4,Good value would buy again,2026-02-12 15:30:00,Good\n")


def test_a_trustpilot_call_back_list_names_the_unhappy_reviewer():
    # John Smith (line 3 of the file) gave 1 star: the only negative latest feedback. A Google Play export's list
    # says 'Neil Utpaul (row 25962)'; Trustpilot's should say his name the same way.
    from cjm.voice.followup import compute_closed_loop

    loop = compute_closed_loop(build_dataset(parsed_text(TRUSTPILOT, "trustpilot.csv")))
    assert loop["customer_id"].tolist() == ["John Smith (row 3)"]


def test_a_review_exports_overview_counts_its_reviews():
    # 5 reviews (Ann 2, Bob, Cat, Dan), all 'feedback' events: the Overview's Reviews received is available.
    from tests.helpers import report_kpis

    # The report's KPIs are those available: before, 'customers' alone.
    kpis = report_kpis(parsed_text(REVIEWS, "reviews.csv"))
    assert "reviews" in kpis


def test_a_segment_named_after_a_device_spells_it_as_the_data_does():
    # a..d browse on an iPhone, e..h on Android (one event each, on 4 days): segment 0 = a..d uses iPhone only, a
    # device share of 1 against 0.5 overall, the strongest trait; its name and phrases say 'iPhone', as the data does
    # (before the fix: 'Iphone customers', 'more iphone device use').
    from tests.helpers import dataset
    from cjm.customers.features import compute_customer_features
    from cjm.customers.profiles import compute_segment_profiles, name_segments

    rows = [(c, f"2024-01-0{i % 4 + 1} 10:00", "page_view", "iPhone" if c in "abcd" else "Android")
            for i, c in enumerate("abcdefgh")]
    data = dataset(rows, ("customer_id", "timestamp", "event", "device"), stages={"page_view": "consideration"})
    profiles = compute_segment_profiles(compute_customer_features(data), [0, 0, 0, 0, 1, 1, 1, 1])
    names = name_segments(profiles)
    assert "iPhone" in names[0], names
    assert "more iPhone device use" in profiles.loc[profiles["segment"] == 0, "description"].iloc[0]


def test_a_channel_written_as_a_code_is_read_with_spaces_and_its_own_case():
    # Olist's channels are codes ('organic_search'): 'organic search', as before; 'iPhone' keeps its capital P
    from cjm.customers.features import level_of

    assert level_of("channel_share_organic_search", {"channel_share_organic_search": "organic_search"}) == "organic search"
    assert level_of("device_share_iphone", {"device_share_iphone": "iPhone"}) == "iPhone"
    assert level_of("device_share_iphone") == "iphone"  # no levels known: as the column name says
    assert level_of("frequency") is None
