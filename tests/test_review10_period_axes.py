"""Review 10: over several years a chart of periods must say which year each tick is in. On 6,018 Google Play
reviews from Dec 2018 to Nov 2024 by quarter, the Sentiment page's axis read "October April October ..."
(Vega-Lite names the year on January ticks only, and hid those labels to avoid overlaps). The charts are
rendered with vl-convert (as the PNG downloads are) and their x tick labels read."""

import re

import pandas as pd
import vl_convert as vlc

from cjm.present.charts.funnel import conversion_over_time_chart
from cjm.present.charts.sentiment import sentiment_over_time_chart

QUARTERS = pd.date_range("2018-10-01", "2024-10-01", freq="QS", tz="UTC")  # 25 quarter starts


def _tick_labels(chart) -> list[str]:
    svg = vlc.vegalite_to_svg(chart.to_json())
    return re.findall(r">((?:Jan|Apr|Jul|Oct|January|April|July|October|20\d\d)[^<>]*)</text>", svg)


def test_the_sentiment_over_time_axis_names_the_year_of_every_quarter_tick():
    n = len(QUARTERS)
    frame = pd.DataFrame({"group": QUARTERS, "mean": [0.5] * n, "ci_low": [0.3] * n, "ci_high": [0.7] * n,
                          "n": [100] * n, "negative_share": [0.1] * n, "nps": [None] * n, "csat": [None] * n})
    labels = _tick_labels(sentiment_over_time_chart(frame, period="quarter"))
    assert labels and all(re.fullmatch(r"(Jan|Apr|Jul|Oct) 20\d\d", label) for label in labels), labels
    assert labels[0] in ("Oct 2018", "Jan 2019")  # UTC quarter starts, never shifted into the quarter before


def test_the_funnel_conversion_over_time_axis_names_the_year_of_every_quarter_tick():
    n = len(QUARTERS)
    frame = pd.DataFrame({"period": QUARTERS, "entered": [10] * n, "converted": [1] * n, "conversion": [0.1] * n})
    labels = _tick_labels(conversion_over_time_chart(frame, period="quarter"))
    assert labels and all(re.fullmatch(r"(Jan|Apr|Jul|Oct) 20\d\d", label) for label in labels), labels
