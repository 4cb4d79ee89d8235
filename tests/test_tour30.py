"""Tour 30: what a marketer met on review exports and on the pages' words, written down on small hand-made files."""

from __future__ import annotations

import pandas as pd

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


# A web log of 5 days with no purchase: a..d view a page every day from 1 to 5 January at 10:00 (5 events each), e..h
# once each, on 1, 2, 3 and 4 January at 12:00. Nobody bought.
FEW_DAYS = [(c, f"2024-01-0{d} 10:00", "page_view") for c in "abcd" for d in range(1, 6)] + [
    (c, f"2024-01-0{i + 1} 12:00", "page_view") for i, c in enumerate("efgh")]


def _names(rows, labels):
    from tests.helpers import dataset
    from cjm.customers.features import compute_customer_features
    from cjm.customers.profiles import compute_segment_profiles, name_segments

    data = dataset(rows, stages={"page_view": "consideration"})
    return name_segments(compute_segment_profiles(compute_customer_features(data), labels))


def test_a_segment_nobody_of_whom_bought_takes_no_buying_word_and_a_few_days_make_nobody_dormant():
    # The data ends at a..d's last view, 5 Jan 10:00, and covers 4 days (a's first view 1 Jan 10:00).
    # Segment 0 = a..d: 5 events against 1 (frequency z = (5 - 3) / 2 = +1 over the 8 customers, sd 2), last seen at
    # the end (recency 0 against e..h's 3.92, 2.92, 1.92, 0.92 days: mean 1.21, sd 1.44, z = -0.84: 'active'),
    # customers since 4 days against e..h's 3.92..0.92 (mean 3.21, sd 1.12, z = +0.71). Nobody bought: not
    # 'repeaters' but 'engaged customers', not 'loyal' but 'long-standing'.
    # Segment 1 = e..h: idle for (3.92 + 2.92 + 1.92 + 0.92) / 4 = 2.42 days on average (z +0.84): over a quarter of
    # the 4 days (1 day), but far under a 30-day period: 'less recent', not 'Dormant'.
    # Before: {0: 'Active loyal repeaters', 1: 'Dormant customers'}.
    assert _names(FEW_DAYS, [0, 0, 0, 0, 1, 1, 1, 1]) == {0: "Active long-standing engaged customers",
                                                          1: "Less recent customers"}


def test_customers_idle_for_months_of_a_log_of_months_are_dormant():
    # The same log on the 1st of each month: a..d on 1 Jan .. 1 May 2024 at 10:00, e..h once on 1 Jan, 1 Feb, 1 Mar,
    # 1 Apr at 12:00. The data covers 1 Jan -> 1 May = 31 + 29 + 31 + 30 = 121 days; e..h have been idle for
    # 120.9, 91.9, 60.9 and 29.9 days, mean 75.9 >= max(121 / 4 = 30.25, 30): 'Dormant customers'.
    rows = [(c, f"2024-0{m}-01 10:00", "page_view") for c in "abcd" for m in range(1, 6)] + [
        (c, f"2024-0{i + 1}-01 12:00", "page_view") for i, c in enumerate("efgh")]
    assert _names(rows, [0, 0, 0, 0, 1, 1, 1, 1])[1] == "Dormant customers"


def _upload(rows) -> bytes:
    return ("customer_id,timestamp,event\n" + "\n".join(",".join(r) for r in rows) + "\n").encode()


def test_the_personas_page_of_a_few_days_without_purchases_says_no_buying_word_and_no_dormant():
    # The log above uploaded, the recommended segmentation applied on the Personas page: whatever the number of
    # segments, no persona is called after buying (repeaters, buyers, loyal) or 'Dormant' (4 days of data); a..d,
    # the 4 customers who came back every day, are the 'Active long-standing engaged customers'.
    from tests.apptest import open_app

    at = open_app("app_pages/personas.py", files={"web.csv": _upload(FEW_DAYS)})
    at.button(key="cjm.personas.apply").click().run()
    assert not at.exception and not at.error
    names = [s.value for s in at.subheader]
    assert "Active long-standing engaged customers" in names, names
    assert not [n for n in names if any(w in n.lower() for w in ("repeater", "buyer", "loyal", "dormant"))], names


def test_the_follow_up_page_says_what_the_churn_models_figure_means_without_roc_auc():
    # 12 customers: c1..c6 churned, one event each; c7..c12 stayed, 4 events each. Any feature of activity tells them
    # apart, so in every fold the model ranks each churned customer above each who stayed: 1.00 (± 0.00), i.e. the
    # one who left gets the higher risk in 100.0% of pairs. Before: "cross-validated ROC AUC 1.00 ... over 5 folds".
    from tests.apptest import open_app

    events = ["customer_id,timestamp,event"] + [
        f"c{i},2024-01-{i + d + 1:02d} 10:00,page_view" for i in range(1, 13) for d in range(1 if i <= 6 else 4)]
    customers = ["customer_id,churned"] + [f"c{i},{'yes' if i <= 6 else 'no'}" for i in range(1, 13)]
    at = open_app("app_pages/followup.py", files={"events.csv": "\n".join(events).encode(),
                                                  "customers.csv": "\n".join(customers).encode()})
    assert not at.exception and not at.error
    method = next(m.value for m in at.markdown if m.value.startswith("**Model:"))
    assert "ROC" not in method and "AUC" not in method and "fold" not in method
    assert "**How well it tells who leaves: 1.00**" in method
    assert "gives the one who left the higher risk in 100.0% of such pairs" in method
    assert "± 0.00" in method and "0.50 is a coin toss" in method and "**churned**" in method


# A web log whose every row repeats its customer's gender, age and country (a customer appears on 2 rows, so the
# columns stay on the events: the Data page says "Extra columns are kept as attributes"); 'page' changes from row to
# row and describes the events, not the customer.
DEMOGRAPHIC_LOG = """customer_id,timestamp,event,gender,age,country,page
a,2024-01-01 10:00,page_view,F,34,France,home
a,2024-01-02 10:00,page_view,F,34,France,shoes
b,2024-01-01 11:00,page_view,M,52,Spain,home
b,2024-01-03 11:00,page_view,M,52,Spain,shoes
"""


def test_a_logs_columns_that_describe_its_customers_tell_the_personas_who_they_are():
    # Segment 0 = a: gender F, age 34 (band 25-34), France; segment 1 = b: M, 52 (45-54), Spain; each the only
    # customer of its segment (share 1). 'page' is no demographic name. Before: no rows (no customers table).
    from cjm.customers.personas import compute_demographics

    data = build_dataset(parsed_text(DEMOGRAPHIC_LOG, "web.csv"))
    membership = pd.DataFrame({"customer_id": ["a", "b"], "segment": [0, 1]})
    found = compute_demographics(data, membership=membership, as_of_year=2024)
    assert sorted(map(tuple, found[["segment", "attribute", "value", "share"]].to_numpy().tolist())) == [
        (0, "age band", "25-34", 1.0), (0, "gender", "F", 1.0), (0, "location", "France", 1.0),
        (1, "age band", "45-54", 1.0), (1, "gender", "M", 1.0), (1, "location", "Spain", 1.0)]


def test_a_column_that_changes_within_a_customer_is_no_demographic():
    # a's 'country' is France then Spain: it describes each visit, not a; b has none. No row for location.
    from cjm.customers.personas import compute_demographics

    log = ("customer_id,timestamp,event,country\n"
           "a,2024-01-01 10:00,page_view,France\na,2024-01-02 10:00,page_view,Spain\n"
           "b,2024-01-01 11:00,page_view,\nb,2024-01-02 11:00,page_view,\n")
    data = build_dataset(parsed_text(log, "web.csv"))
    found = compute_demographics(data, membership=pd.DataFrame({"customer_id": ["a", "b"], "segment": [0, 1]}),
                                 as_of_year=2024)
    assert found.empty


def test_the_personas_page_says_who_they_are_from_the_columns_the_data_page_kept():
    # The log above with 6 customers so the page can segment: c, d, e repeat a's F / 34 / France and f is M / 52 /
    # Spain like b. Whatever the segments, every card says a gender, an age band and a location, none 'no customer
    # attributes were loaded'.
    from tests.apptest import open_app

    more = ("c,2024-01-05 10:00,page_view,F,34,France,home\nc,2024-01-06 10:00,page_view,F,34,France,home\n"
            "d,2024-01-02 10:00,page_view,F,34,France,home\ne,2024-01-04 09:00,page_view,F,34,France,bags\n"
            "e,2024-01-04 10:00,page_view,F,34,France,home\ne,2024-01-04 11:00,page_view,F,34,France,shoes\n"
            "f,2024-01-06 12:00,page_view,M,52,Spain,home\n")
    at = open_app("app_pages/personas.py", files={"web.csv": (DEMOGRAPHIC_LOG + more).encode()})
    at.button(key="cjm.personas.apply").click().run()
    assert not at.exception and not at.error
    facts = [m.value for m in at.markdown if m.value.startswith("- **Who they are**")]
    assert facts and all("gender: " in f and "age band: " in f and "location: " in f for f in facts), facts
    assert not any("no customer attributes" in f for f in facts)


def test_a_persona_without_demographics_does_not_say_no_attributes_were_loaded():
    # Trustpilot's export keeps 'Review Title' as a customer attribute (each reviewer appears once): attributes were
    # loaded, none of them an age, income, gender or location.
    from cjm.customers.personas import Persona
    from cjm.ui.segments import _facts

    who = _facts(Persona(name="Happy customers", segment=0, size=2, share=1.0))[0]
    assert who == ("- **Who they are**: no column of the data says their age, income, gender, marital status or "
                   "location (for businesses: industry, company type or size)")


def test_the_segments_page_of_a_few_days_without_purchases_says_no_buying_word_and_no_dormant():
    # The 5-day log without purchases (FEW_DAYS) on the Segments page, 'Find segments' pressed: the headline's names
    # carry no buying word and no 'Dormant'; a..d are the 'Active long-standing engaged customers' (4 customers).
    import re
    from tests.apptest import open_app

    at = open_app("app_pages/segments.py", files={"web.csv": _upload(FEW_DAYS)})
    at.button(key="cjm.segments.find").click().run()
    assert not at.exception and not at.error
    line = next(m.value for m in at.markdown if re.match(r"\d+ segments: ", m.value))
    shown = dict(re.findall(r"\*\*(.+?)\*\*: ([\d,]+) customers", line))
    assert shown.get("Active long-standing engaged customers") == "4", line
    assert not [n for n in shown if any(w in n.lower() for w in ("repeater", "buyer", "loyal", "dormant"))], line


def test_the_overview_of_a_review_export_shows_its_reviews_received():
    # reviews.csv covers 1..5 Oct 2023 (under 60 days): its halves end at the midnight after the last review, 6 Oct,
    # 2.5 days each. Current period 3 Oct 12:00 -> 6 Oct: Dan (4 Oct) and Ann (5 Oct) = 2 reviews; previous 1 Oct
    # 00:00 -> 3 Oct 12:00: Ann (1 Oct), Bob (2 Oct), Cat (3 Oct 10:00) = 3; change 2 - 3 = -1.
    # Before: 'not available', 'needs review_written events'.
    from tests.apptest import open_app

    at = open_app("app_pages/overview.py", files={"reviews.csv": REVIEWS.encode()})
    assert not at.exception and not at.error
    reviews = {m.label: m for m in at.metric}["Reviews received"]
    assert (reviews.value, reviews.proto.delta) == ("2", "-1")
