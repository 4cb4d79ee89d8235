"""Review 10: over several years a chart of periods must say which year each tick is in. On 6,018 Google Play
reviews from Dec 2018 to Nov 2024 by quarter, the Sentiment page's axis read "October April October ..."."""

import pandas as pd
import pytest

from cjm.present.charts.funnel import conversion_over_time_chart
from cjm.present.charts.sentiment import sentiment_over_time_chart

QUARTERS = pd.to_datetime(["2018-10-01", "2019-01-01", "2019-04-01", "2024-10-01"], utc=True)


def _x(spec: dict) -> dict:
    layers = spec.get("layer", [spec])
    return next(layer["encoding"]["x"] for layer in layers if "x" in layer.get("encoding", {}))


@pytest.mark.parametrize("period, year_in_label", [("day", "%Y"), ("week", "%Y"), ("month", "%Y"),
                                                   ("quarter", "%Y"), ("year", "%Y")])
def test_the_sentiment_over_time_axis_names_the_year_of_every_tick_in_utc(period, year_in_label):
    frame = pd.DataFrame({"group": QUARTERS, "mean": [0.2, 0.5, 0.6, 0.6], "ci_low": [0.1, 0.4, 0.5, 0.5],
                          "ci_high": [0.3, 0.6, 0.7, 0.7], "n": [9, 1043, 930, 120],
                          "negative_share": [0.1] * 4, "nps": [None] * 4, "csat": [None] * 4})
    x = _x(sentiment_over_time_chart(frame, period=period).to_dict())
    assert year_in_label in x["axis"]["format"] and x["axis"]["formatType"] == "utc"
    assert x["scale"]["type"] == "utc"


def test_the_funnel_conversion_over_time_axis_names_the_year_of_every_tick_in_utc():
    frame = pd.DataFrame({"period": QUARTERS, "entered": [10, 20, 30, 40], "converted": [1, 2, 3, 4],
                          "conversion": [0.1, 0.1, 0.1, 0.1]})
    x = _x(conversion_over_time_chart(frame, period="quarter").to_dict())
    assert x["axis"]["format"] == "%b %Y" and x["axis"]["formatType"] == "utc" and x["scale"]["type"] == "utc"
