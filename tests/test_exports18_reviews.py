"""Product-review exports, tried on two real public copies and here on a few invented rows in their real shapes:

- Kaggle's "Women's E-Commerce Clothing Reviews" (the first 1,000 of 23,486 reviews): an unnamed row number,
  'Clothing ID' (the product, not the reviewer), 'Age', 'Title', 'Review Text', 'Rating' 1..5, 'Recommended IND' 0/1,
  'Positive Feedback Count', 'Division Name', 'Department Name', 'Class Name'; no reviewer id and no date.
- Stanford SNAP's "Amazon Fine Food Reviews" (the first 1,000 of 568,454): Id, ProductId, UserId, ProfileName,
  HelpfulnessNumerator, HelpfulnessDenominator, Score 1..5, Time in epoch seconds, Summary, Text.

Right on the real files (checked against a plain-pandas and VADER reference): the mapping (Rating / Score, Review Text
/ Text, no customer for the clothing reviews, UserId and the epoch Time for the food reviews), rows in = used, CSAT
77.4% and 78.0%, mean sentiment 0.6708 and 0.6152 over every rating and comment. Wrong: every segment showed
conversion 0% although nothing in a reviews export can say who converted.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pytest

from cjm import report
from cjm.customers.features import compute_customer_features
from cjm.data.dataset import build_dataset
from cjm.report.sections import segments_section
from tests.apptest import open_app
from tests.helpers import parsed_text

CLOTHING_HEADER = (",Clothing ID,Age,Title,Review Text,Rating,Recommended IND,Positive Feedback Count,Division Name,"
                   "Department Name,Class Name\n")
# 12 reviews of 3 garments (1077, 1049, 862), ratings 5, 5, 4, 2, 1, 5, 4, 3, 5, 1, 2, 5.
CLOTHING = CLOTHING_HEADER + "".join(
    f"{i},{garment},{30 + i},{title},\"{text}\",{rating},{int(rating >= 4)},{i % 3},General,Dresses,Dresses\n"
    for i, (garment, title, text, rating) in enumerate([
        (1077, "Love it", "I love this dress, it fits perfectly and the colour is lovely.", 5),
        (1077, "Great buy", "Great quality fabric and a flattering cut, very happy.", 5),
        (1049, "Nice", "Nice jumpsuit, runs a little long but comfortable.", 4),
        (1049, "Disappointed", "The zipper broke the first time I wore it, disappointed.", 2),
        (862, "Awful", "Cheap thin material, it ripped at the seam, returning it.", 1),
        (862, "Perfect", "Perfect top for work, soft and well made.", 5),
        (1077, "Pretty", "Pretty print and good length for my height.", 4),
        (1049, "Okay", "It is okay, the colour is duller than the photo.", 3),
        (862, "Wonderful", "Wonderful shirt, I bought it in two colours.", 5),
        (1077, "Terrible fit", "Terrible fit, way too small in the bust and itchy.", 1),
        (1049, "Not great", "Not great, the fabric pills after one wash.", 2),
        (862, "Favourite", "My favourite top this season, love it.", 5),
    ]))

FOOD = ("Id,ProductId,UserId,ProfileName,HelpfulnessNumerator,HelpfulnessDenominator,Score,Time,Summary,Text\n"
        # 1303862400 = 2011-04-27, 1346976000 = 2012-09-07, 1219017600 = 2008-08-18, 1307923200 = 2011-06-13
        "1,B001E4KFG0,A3SGXH7AUHU8GW,dogowner,1,1,5,1303862400,Good dog food,My dog loves this food and it smells fine.\n"
        "2,B00813GRG4,A1D87F6ZCVE5NK,snacker,0,0,1,1346976000,Not as advertised,The peanuts were small and unsalted.\n"
        "3,B000LQOCH0,ABXLMWJIXXAIN,\"Natalia \"\"N\"\"\",1,1,4,1219017600,Delight,A light citrus treat with nuts.\n"
        "4,B000UA0QIQ,A3SGXH7AUHU8GW,dogowner,3,3,2,1307923200,Cough medicine,The flavour is very medicinal.\n")


def test_a_reviews_export_without_purchases_shows_no_conversion_in_its_segments():
    # Every row is one anonymous reviewer ('feedback', retention): no event is at the conversion stage and nothing is
    # bought, so who converted is unknown, as the Overview says (no conversion rate). Before: 'converted' was False for
    # all 12 reviewers and every segment read conversion 0.0 (on the real clothing reviews: 818 and 182 reviewers).
    dataset = build_dataset(parsed_text(CLOTHING, "Womens Clothing E-Commerce Reviews.csv"))
    features = compute_customer_features(dataset)
    assert "converted" not in features and "converted" not in features.attrs["constant"]
    assert "conversion" in features.attrs["dropped"]["converted"]
    assert "conversion_rate" not in report.build_report(dataset)["kpis"]
    segments = segments_section(dataset)["segments"]["segments"]
    assert len(segments) >= 2 and all(s.get("conversion") is None for s in segments)  # unknown, never 0.0


def test_the_segments_page_of_a_reviews_export_shows_no_conversion_figure():
    # The same 12 reviewers on the Segments page (AppTest): its profiles table shows no conversion figure (the column
    # empty, drawn "–"), and the Personas page reads conversion unknown ("–"). Before: Conversion 0.0 in every segment
    # and 0.0% in every persona.
    at = open_app("app_pages/segments.py", files={"Womens Clothing E-Commerce Reviews.csv": CLOTHING.encode()})
    at.button(key="cjm.segments.find").click().run()
    assert not at.exception, at.exception
    at.session_state["cjm.segments.tab"] = "Profiles"
    at.run()
    assert not at.exception, at.exception
    tables = [d.value for d in at.dataframe if "Conversion" in d.value.columns]
    assert at.dataframe and all(t["Conversion"].isna().all() for t in tables)
    at.switch_page("app_pages/personas.py")
    at.run()
    assert not at.exception, at.exception
    conversion = [m.value for m in at.metric if m.label == "Conversion"]
    assert conversion and set(conversion) == {"–"}


def test_the_clothing_id_is_the_product_so_each_review_is_one_respondent():
    # 'Clothing ID' repeats (1077 four times) but names a garment: no customer column, 12 anonymous respondents, the
    # Rating the score and the Review Text the comment. CSAT = ratings 4-5: 5, 5, 4, 5, 4, 5, 5 = 7 of 12.
    parsed = parsed_text(CLOTHING, "Womens Clothing E-Commerce Reviews.csv")
    mapping = parsed.files[0].mapping
    assert "customer_id" not in mapping.columns and mapping.shape == "anonymous"
    assert (mapping.columns["score"], mapping.columns["text"]) == ("Rating", "Review Text")
    overall = report.build_report(build_dataset(parsed))["sentiment"]["overall"]
    assert (overall["scores"], overall["texts"], overall["csat"]) == (12, 12, pytest.approx(7 / 12))


def test_amazon_fine_food_reviews_are_keyed_by_user_id_and_dated_by_epoch_seconds():
    # UserId (A3SGXH7AUHU8GW wrote 2 reviews) is the customer, not Id or ProductId; Time is epoch seconds:
    # 2008-08-18 .. 2012-09-07. 3 customers, 4 reviews; CSAT = scores 4-5 (5, 4) = 2 of 4.
    parsed = parsed_text(FOOD, "Reviews.csv")
    mapping = parsed.files[0].mapping
    assert (mapping.columns["customer_id"], mapping.columns["timestamp"]) == ("UserId", "Time")
    assert (mapping.columns["score"], mapping.columns["text"]) == ("Score", "Text")
    result = report.build_report(build_dataset(parsed))
    assert (result["quality"]["customers"], result["quality"]["events"]) == (3, 4)
    assert (result["quality"]["first_event"][:10], result["quality"]["last_event"][:10]) == ("2008-08-18", "2012-09-07")
    assert result["sentiment"]["overall"]["csat"] == pytest.approx(2 / 4)
