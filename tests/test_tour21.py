"""A first-time marketer's tour (tour21): what a new user tripped over, each fixed and held here."""

from __future__ import annotations

import re

import pytest

from tests.apptest import open_app

SENTIMENT = "app_pages/sentiment.py"
# A bare address in GFM Markdown becomes a link unless something breaks it: "://", "www." and "@" must each be
# followed by the invisible word joiner U+2060 that cjm.ui.safe puts there.
BARE_ADDRESS = re.compile(r"://(?!\u2060)|www(?!\u2060)\.|@(?!\u2060)")


def test_addresses_in_quoted_tweets_are_shown_as_text_not_as_live_links():
    # airline_tweets.csv: the Sentiment page's quotes and pain points drew "http://t.co/R9ZsVzuRLw" as a blue,
    # clickable link taken from the file. 12 negative tweets, each with an address, a handle and a www. name.
    bad = ["Terrible service, flight cancelled http://t.co/abc123 @united",
           "Awful, lost my bag again, see www.example.com or mail help@example.com"]
    rows = ["customer_id,timestamp,event,comment"] + [
        f"C{i},2024-03-{1 + i % 20:02d} 10:00:00,feedback,\"{bad[i % 2]} ({i})\"" for i in range(12)]
    at = open_app(SENTIMENT, files={"tweets.csv": ("\n".join(rows) + "\n").encode()})
    assert not at.exception, at.exception
    quoted = [m.value for m in at.markdown if m.value.startswith("> ")]
    assert any("abc123" in q for q in quoted), quoted  # the tweets are quoted...
    assert [q for q in quoted if BARE_ADDRESS.search(q)] == []  # ...and none of their addresses can become a link


def chart_specs(at) -> list[dict]:
    import json

    return [json.loads(c.proto.spec) for c in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")]


def test_the_overview_reach_chart_names_its_dates_beside_tiles_that_cover_the_last_30_days():
    # Demo data: a "Customers 492" tile (April 2026) above "8.9% of customers reached loyalty / of 3,000 customers"
    # (the whole year) read as two answers to "how many customers?". Four customers, one event each:
    # A 5 Jan, B 1 Feb, C 10 Mar, D 20 Mar 2024. Data ends 20 Mar, so the tiles cover the 30 days to midnight
    # after it: 20 Feb - 20 Mar (C and D: 2 customers); the reach chart counts all 4, 5 Jan - 20 Mar.
    rows = ["customer_id,timestamp,event", "A,2024-01-05 10:00:00,page_view", "B,2024-02-01 10:00:00,page_view",
            "C,2024-03-10 10:00:00,page_view", "D,2024-03-20 10:00:00,purchase"]
    at = open_app(files={"shop.csv": ("\n".join(rows) + "\n").encode()})
    assert not at.exception, at.exception
    assert any(c.value == "Figures cover 20 Feb 2024 – 20 Mar 2024; changes compare with 21 Jan 2024 – 19 Feb 2024."
               for c in at.caption), [c.value for c in at.caption]
    assert [m.value for m in at.metric if m.label == "Customers"] == ["2"]
    reach = [s for s in chart_specs(at) if "reached" in s.get("title", {}).get("text", "")]
    assert [s["title"]["subtitle"] for s in reach] == ["of 4 customers, all dates: 5 Jan 2024 – 20 Mar 2024"]


def test_the_reach_chart_of_undated_data_names_no_dates():
    # elsahar_arabic_souq_product_reviews_sample.csv: no date column; the subtitle stays "of 3,000 customers".
    import pandas as pd

    from cjm.present.charts.reach import stage_reach_chart

    reach = pd.DataFrame({"stage": ["awareness", "retention"], "stage_index": [0, 1], "customers": [0, 3000],
                          "share": [0.0, 1.0], "total_customers": 3000})
    assert stage_reach_chart(reach, customers=3000, period="").to_dict()["title"]["subtitle"] == "of 3,000 customers"


def test_a_customer_with_one_event_is_titled_1_event_and_one_day_apart_1_day():
    # marketing_campaign.csv (one row per customer): the Customer page read "Customer 0: 1 events over less than
    # a day". Customer A: one event; customer B: two events 1 day 6 hours apart (1.25 days, shown as 1 day).
    import pandas as pd

    from cjm.present.charts.timeline import timeline_chart

    def frame(times):
        return pd.DataFrame({"timestamp": pd.to_datetime(times, utc=True), "event": "visit", "stage": "awareness",
                             "channel": None})

    one = timeline_chart(frame(["2013-05-04"]), stages=["awareness"], customer_id="A").to_dict()
    assert one["title"]["text"] == "Customer A: 1 event over less than a day, furthest stage awareness"
    two = timeline_chart(frame(["2013-05-04 00:00", "2013-05-05 06:00"]), stages=["awareness"], customer_id="B")
    assert two.to_dict()["title"]["text"] == "Customer B: 2 events over 1 day, furthest stage awareness"


def test_no_kpi_tile_label_on_the_demo_overview_is_long_enough_to_be_cut():
    # At 1400 px the demo's tiles showed "Scroll rate (half the page o…" and "Support contacts per cust…": about
    # 24 characters fit. The long ones get short labels; the help of each starts with the full name.
    at = open_app()
    labels = [m.label for m in at.metric]
    assert "Scroll rate" in labels and "Support per customer" in labels, labels
    assert [label for label in labels if len(label) > 22] == []
    scroll = next(m for m in at.metric if m.label == "Scroll rate")
    assert scroll.help.startswith("Scroll rate (half the page or more): Interactions scrolled to 50% of the page or "
                                  "further, as a share of those with a recorded scroll depth. 1 Apr 2026 – 30 Apr 2026.")


def test_a_money_tile_with_its_currency_is_shortened_but_a_short_label_is_kept():
    from cjm.ui.kpis import tile_label

    # "Average order value (EUR)" is 25 characters (19 + " (EUR)"): cut; "Average order value" (19) fits.
    assert tile_label("average_order_value", "Average order value (EUR)") == "Avg. order value (EUR)"
    assert tile_label("average_order_value", "Average order value") == "Average order value"


def test_the_funnel_says_how_many_more_customers_convert_after_the_window():
    # olist leads and closed deals: "3.1% reached conversion" within the default 7 days, while the Journeys page
    # said 10.5% went on to conversion (deals close in weeks). 10 leads on 1 Jan 2024; 2 buy within 3 days,
    # 4 after 30 days, 1 after 120 days (past any window). 7-day window: 2 of 10 (20.0%); 90-day window:
    # 2 + 4 = 6 of 10 (60.0%), 4 more.
    rows = ["customer_id,timestamp,event"] + [f"L{i},2024-01-01 10:00:00,page_view" for i in range(10)]
    rows += [f"L{i},2024-01-03 10:00:00,purchase" for i in (0, 1)]
    rows += [f"L{i},2024-01-31 10:00:00,purchase" for i in (2, 3, 4, 5)]
    rows += ["L6,2024-04-30 10:00:00,purchase"]
    at = open_app("app_pages/funnel.py", files={"leads.csv": ("\n".join(rows) + "\n").encode()})
    assert not at.exception, at.exception
    assert [m.value for m in at.metric if m.label.startswith("Reached")] == ["20.0%"]
    notes = [i.value for i in at.info if i.value.startswith("Slower customers")]
    assert notes == ["Slower customers are left out: with the longest window (90 days), 6 customers (60.0% of those "
                     "who entered) reach conversion, 4 more than within 7 days. If your customers take longer than "
                     "7 days to decide, widen the conversion window in *Funnel settings*."], [i.value for i in at.info]


def test_a_customer_without_dates_is_titled_no_dates_not_over_no_dates():
    # online_shoppers_intention.csv (no date column): "Customer row 10: 1 events over no dates".
    import pandas as pd

    from cjm.present.charts.timeline import timeline_chart

    frame = pd.DataFrame({"timestamp": pd.to_datetime([None], utc=True), "event": "session", "stage": "consideration",
                          "channel": None})
    spec = timeline_chart(frame, stages=["consideration"], customer_id="row 10").to_dict()
    assert spec["title"]["text"] == "Customer row 10: 1 event, no dates, furthest stage consideration"


def test_the_heat_map_subtitle_counts_the_customers_of_the_most_common_move():
    # rees46: the title "2.7% of customers at consideration go next to conversion ... the most common direct move"
    # sat above a darker 77.8% cell (conversion -> consideration). Counts explain it: 330 customers at
    # consideration, 9 moved to conversion (9 / 330 = 2.7%); 9 at conversion, 7 went back (7 / 9 = 77.8%).
    import pandas as pd

    from cjm.present.charts.paths import transition_heatmap_chart

    matrix = pd.DataFrame({"from": ["consideration", "conversion"], "to": ["conversion", "consideration"],
                           "customers": [9, 7], "from_customers": [330, 9], "share_of_from": [9 / 330, 7 / 9]})
    spec = transition_heatmap_chart(matrix, stages=["consideration", "conversion"]).to_dict()
    assert spec["title"]["text"] == "2.7% of customers at consideration go next to conversion"
    assert spec["title"]["subtitle"] == ("the most common direct move (9 of 330 customers); rows: where customers are, "
                                         "columns: where they go next")


def test_the_journey_map_is_built_under_a_spinner(monkeypatch):
    # Demo data, real browser: the Journey map page stayed blank below its template picker for over 10 s with
    # no spinner and no status (the map is built through data.run, whose cache shows no spinner).
    from contextlib import contextmanager

    from cjm.ui import maps

    shown, during = [], []

    @contextmanager
    def spinner(text, **kwargs):
        shown.append(text)
        yield
        shown.append(None)

    def run(fn, dataset, **params):
        during.append((fn.__name__, shown[-1] if shown else None))
        return type("Map", (), {"copy": lambda self: self})()

    monkeypatch.setattr(maps.st, "spinner", spinner)
    monkeypatch.setattr(maps.data, "run", run)
    maps.fresh_map(object(), "current", None)
    maps.fresh_map(object(), "day", None)
    assert during == [("build_current_map", "Building the journey map from the data…"),
                      ("build_day_map", "Building the journey map from the data…")]


def test_a_b2b_persona_names_the_industry_and_company_type_of_its_customers():
    # olist's closed deals (business_segment, business_type): every persona read "Who they are: no customer
    # attributes (age, income, gender, location) were loaded". Customers a, b in segment 0 are home_decor
    # resellers; c in segment 1 is an unlabelled lead (no industry): segment 0 gets 2 / 2 = share 1.0.
    import pandas as pd

    from cjm.customers.personas import compute_demographics
    from tests.helpers import dataset

    membership = pd.DataFrame({"customer_id": ["a", "b", "c"], "segment": [0, 0, 1]})
    customers = pd.DataFrame({"customer_id": ["a", "b", "c"], "business_segment": ["home_decor", "home_decor", None],
                              "business_type": ["reseller", "reseller", None]})
    log = dataset([(c, "2024-01-01", "visit") for c in "abc"], customers=customers)
    assert compute_demographics(log, membership=membership, as_of_year=2024).to_dict("records") == [
        {"segment": 0, "attribute": "industry", "value": "home_decor", "share": 1.0},
        {"segment": 0, "attribute": "company type", "value": "reseller", "share": 1.0},
    ]


def test_the_data_page_names_a_semicolon_file_once_and_its_excel_encoding_in_words():
    # marketing_campaign.csv (semicolon-separated, UTF-8 with a byte-order mark) was described as
    # "semicolon, utf-8-sig, semicolon-separated, dates: ISO 8601".
    text = "\ufeffID;Dt_Customer;Income\n1;2012-09-04;58138\n2;2014-03-08;46344\n"
    at = open_app("app_pages/data.py", files={"campaign.csv": text.encode("utf-8")})
    assert not at.exception, at.exception
    lines = [c.value for c in at.caption if c.value.startswith("**campaign.csv**")]
    assert lines and lines[0].startswith("**campaign.csv** (events): csv, utf-8 with BOM (as Excel saves it), "
                                         "semicolon-separated"), lines


def test_the_journey_stages_table_of_the_data_page_can_be_downloaded():
    # The Data page's table of event names, their stages, events and customers had no CSV download (every other
    # table has one). Demo data: 1 button labelled for it.
    at = open_app("app_pages/data.py")
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("Download event stages (CSV)") == 1, labels


def test_the_abandonment_page_says_how_many_more_customers_convert_after_the_window():
    # olist: "96.9% of customers abandon before conversion" in the default 7 days, though 10.5% of the leads
    # were won in the end. Same leads as the funnel test: 2 of 10 buy within 7 days, 6 of 10 within 90 (4 more).
    rows = ["customer_id,timestamp,event"] + [f"L{i},2024-01-01 10:00:00,page_view" for i in range(10)]
    rows += [f"L{i},2024-01-03 10:00:00,purchase" for i in (0, 1)]
    rows += [f"L{i},2024-01-31 10:00:00,purchase" for i in (2, 3, 4, 5)]
    rows += ["L6,2024-04-30 10:00:00,purchase"]
    at = open_app("app_pages/abandonment.py", files={"leads.csv": ("\n".join(rows) + "\n").encode()})
    assert not at.exception, at.exception
    notes = [i.value for i in at.info if i.value.startswith("Slower customers")]
    assert len(notes) == 1 and notes[0].startswith(
        "Slower customers are left out: with the longest window (90 days), 6 customers (60.0% of those who entered) "
        "reach conversion, 4 more than within 7 days."), notes


def test_two_segments_of_the_same_displayed_share_are_not_called_largest_and_smaller():
    # marketing_campaign.csv: 1,121 and 1,119 of 2,240 customers (50.04% and 49.96%, both shown 50.0%) were
    # titled "High-value customers is the largest segment: 50.0% of customers".
    import pandas as pd

    from cjm.present.charts.segments import segment_sizes_chart

    profiles = pd.DataFrame({"segment": [0, 1], "size": [1121, 1119], "share": [1121 / 2240, 1119 / 2240]})
    spec = segment_sizes_chart(profiles, names={0: "High-value customers", 1: "Low-value customers"}).to_dict()
    assert spec["title"]["text"] == ("High-value customers and Low-value customers are about the same size: 50.0% of "
                                     "customers each (1,121 and 1,119)")


# --- found on the tour, fixed at stop 28 ------------------------------------------------------------------


def test_what_sets_a_persona_apart_is_said_without_standard_deviations():
    # was 'lower conversion (-0.6 sd)': 'sd' is a statistician's word on the Personas and Segments pages
    import pandas as pd

    from cjm.customers.profiles import trait_phrases

    differences = pd.DataFrame({"feature": ["converted", "monetary", "frequency"], "z_difference": [-0.6, 1.2, 0.1]})
    assert trait_phrases(differences) == ["lower conversion (below average)", "higher spend (well above average)",
                                          "more events (slightly above average)"]


def test_the_funnel_chart_title_states_how_many_customers_entered():
    import pandas as pd

    from cjm.present.charts.funnel import funnel_chart

    # demo data: 2,346 entered at awareness, 52 reached loyalty (52 / 2,346 = 2.2%)
    frame = pd.DataFrame({"step": ["awareness", "loyalty"], "step_number": [1, 2], "customers": [2346, 52],
                          "conversion_from_previous": [1.0, 52 / 2346], "conversion_from_first": [1.0, 52 / 2346],
                          "median_seconds_from_previous": [None, 345600.0], "dropped": [0, 2294]})
    assert "2,346" in funnel_chart(frame).to_dict()["title"]["text"]


def test_the_at_risk_reason_for_purchase_only_data_does_not_speak_of_visits():
    # was 'no visit for 109 days' for customers whose only events are purchases (cdnow_master.txt): recency
    # counts any event, not visits
    import pandas as pd

    from cjm.voice.risk import PHRASES

    # recency 109 days (cdnow customer 00033: last purchase 109 days before the end of the data)
    values, phrase = PHRASES["recency_days"]
    assert phrase(values(pd.DataFrame({"recency_days": [109.0]})), "90").iloc[0] == "no activity for 109 days"
