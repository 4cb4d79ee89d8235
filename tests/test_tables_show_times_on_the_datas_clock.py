"""Tables of customers show their times on the clock of the dataset's time zone (DESIGN.md section 8), as its date
range and charts do, and say which: a New York shop's review written 8 Jan 23:30 (04:30 UTC on 9 Jan) is given on
8 Jan, not 9 Jan."""

from __future__ import annotations

import pandas as pd

from cjm.ui.widgets import clock_title, times_on_clock
from tests.apptest import open_app

# times at New York's offsets (-05:00 in January, -04:00 in July): the data's zone is America/New_York
REVIEWS = ("customer_id,Created at,event,rating,comment\n"
           "a,2025-01-01 10:00:00 -0500,purchase,,\n"
           "a,2025-01-08 23:30:00 -0500,review,1,\"Terrible, the parcel came late\"\n"
           "b,2025-07-01 10:00:00 -0400,purchase,,\n"
           "b,2025-07-08 23:30:00 -0400,review,5,Great service\n")


def test_times_read_on_the_zones_clock_and_the_title_names_it():
    stamps = pd.Series(pd.to_datetime(["2025-01-09 04:30", None], utc=True))
    assert times_on_clock(stamps, "America/New_York").tolist()[0] == "2025-01-08 23:30"
    assert pd.isna(times_on_clock(stamps, "America/New_York").tolist()[1])
    assert times_on_clock(stamps).tolist()[0] == "2025-01-09 04:30"
    assert (clock_title("Given", "America/New_York"), clock_title("Given", "UTC"), clock_title("Given")) == \
        ("Given (America/New_York)", "Given", "Given")


def test_the_follow_up_lists_give_new_york_times_for_a_new_york_shop():
    # a's 1-star review at 23:30 on 8 Jan in New York: the call-back list's 'Given' and the at-risk list's 'Last seen'
    # read 2025-01-08 23:30 (they read 2025-01-09 04:30, UTC's clock, with no zone named)
    at = open_app("app_pages/followup.py", files={"ny_reviews.csv": REVIEWS.encode()})
    assert not at.exception, at.exception
    frames = [df.value for df in at.dataframe]
    loop = next(f for f in frames if "Given (America/New_York)" in f.columns)
    assert loop.set_index("Customer").loc["a", "Given (America/New_York)"] == "2025-01-08 23:30"
    risk = next(f for f in frames if "Last seen (America/New_York)" in f.columns)
    assert risk.set_index("Customer").loc["a", "Last seen (America/New_York)"] == "2025-01-08 23:30"


def test_the_comment_explorer_dates_a_new_york_comment_on_its_new_york_day():
    # a's comment of 8 Jan 23:30 in New York is quoted '2025-01-08' and listed 'When (America/New_York)' at 23:30 (the
    # quote said 2025-01-09, UTC's day)
    at = open_app("app_pages/sentiment.py", files={"ny_reviews.csv": REVIEWS.encode()})
    assert not at.exception, at.exception
    comments = next(f for f in (df.value for df in at.dataframe) if "When (America/New_York)" in f.columns)
    assert comments.set_index("Customer").loc["a", "When (America/New_York)"] == "2025-01-08 23:30"
    quoted = [m.value for m in at.markdown if "Terrible" in m.value]
    assert quoted and "2025-01-08" in quoted[0] and "2025-01-09" not in quoted[0]


def test_sentiment_over_time_counts_the_zones_days():
    # a's 1-star review at 23:30 on 8 Jan in New York (04:30 UTC on 9 Jan) is a response of 8 Jan; b's 5 stars at
    # 23:30 on 8 Jul (03:30 UTC on 9 Jul) one of 8 Jul. By UTC's days both were the 9th
    from cjm.data.dataset import SourceFile, load_dataset
    from cjm.voice.sentiment import compute_sentiment_by, compute_signals

    shop = load_dataset([SourceFile(name="ny_reviews.csv", data=REVIEWS.encode())])
    by_day = compute_sentiment_by(compute_signals(shop), by="period", period="day")
    assert [str(d)[:10] for d in by_day.query("n > 0")["group"]] == ["2025-01-08", "2025-07-08"]
    from cjm.present.charts.sentiment import sentiment_over_time_chart

    axis = sentiment_over_time_chart(by_day, period="day").to_dict()["layer"][0]["encoding"]["x"]["title"]
    assert axis == "Day (start date, America/New_York)"
