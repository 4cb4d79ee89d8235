"""Google Analytics 4 events exported from BigQuery and flattened (one row per event, the session's traffic source
in columns of its own), tried on a real public export and here on a few invented rows in its real shape.

Real export tried: 54 events of one visitor of a test property over 4 sessions (github Gustavo-Jarbas/GA4-BQ-Analytics,
ga4_data.csv): event_name, user_id (only once signed in), client_id ("820687608.1730395654"), session_number,
session_id, session_campaign_name, session_source, session_medium, event_timestamp in microseconds. Right: the
customer (client_id, the pseudo id on every event), the microsecond timestamps (first event 2025-02-25 14:58:19 UTC),
session_id, events, 1 customer converted. Wrong: no channel was found although every event names its session's
medium and source ('session_medium' referral, 'session_source' tagassistant.google.com), so the Gaps analysis said
"this analysis needs a device, channel or department column".

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pandas as pd

from cjm import report
from cjm.data.dataset import build_dataset
from tests.helpers import parsed_rows, parsed_text

# Two visitors: p1 arrives from a referral then comes back by organic search and buys; p2 arrives from cpc and leaves.
GA4 = ("event_name,user_id,client_id,session_number,session_id,session_campaign_name,session_source,session_medium,"
       "event_timestamp\n"
       "session_start,,111.1730000000,1,1740495499,(referral),tagassistant.google.com,referral,1740495499153741\n"
       "page_view,,111.1730000000,1,1740495499,(referral),tagassistant.google.com,referral,1740495499153741\n"
       "session_start,,111.1730000000,2,1740581971,(organic),google,organic,1740581972988683\n"
       "add_to_cart,u9,111.1730000000,2,1740581971,(organic),google,organic,1740582541948882\n"
       "purchase,u9,111.1730000000,2,1740581971,(organic),google,organic,1740582544841683\n"
       "session_start,,222.1730000001,1,1740600000,spring_sale,google,cpc,1740600000000000\n"
       "page_view,,222.1730000001,1,1740600000,spring_sale,google,cpc,1740600001500000\n")


def test_a_ga4_exports_session_medium_is_the_channel():
    # Before: no channel column, so the Gaps analysis was skipped for want of one.
    parsed = parsed_text(GA4, "ga4_data.csv")
    mapping = parsed.files[0].mapping
    assert mapping.columns["channel"] == "session_medium"
    assert (mapping.columns["customer_id"], mapping.columns["timestamp"]) == ("client_id", "event_timestamp")
    rows = parsed_rows(parsed)
    assert rows["channel"].tolist() == ["referral"] * 2 + ["organic"] * 3 + ["cpc"] * 2
    # 1740495499153741 microseconds after 1970 = 2025-02-25 14:58:19.153741 UTC
    assert rows["timestamp"].iloc[0] == pd.Timestamp("2025-02-25 14:58:19.153741", tz="UTC")


def test_the_gaps_analysis_runs_on_a_ga4_export():
    out = report.build_report(build_dataset(parsed_text(GA4, "ga4_data.csv")))
    assert "gaps" not in out.get("skipped", {})


def test_ga4_explorations_channel_group_is_the_channel_before_source_and_medium():
    # A GA4 exploration exported as CSV names "Session default channel group" beside source and medium.
    text = ("Date,Client ID,Event name,Session source,Session medium,Session default channel group\n"
            "20240301,1.1,page_view,google,organic,Organic Search\n"
            "20240302,2.2,page_view,newsletter,email,Email\n")
    assert parsed_text(text, "exploration.csv").files[0].mapping.columns["channel"] == \
        "Session default channel group"
