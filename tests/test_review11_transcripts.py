"""Review 11: a customer-support conversation export (Kaggle's "Customer Support on Twitter", twcs.csv: one row
per message, customers' messages inbound=True, the company's replies inbound=False, Twitter's date format).
Expected values are worked out by hand from the literal rows in the test (made-up handles and texts)."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import report
from cjm.data.dataset import build_dataset
from cjm.data.timestamps import parse_timestamps
from tests.helpers import parsed_rows as rows, parsed_text as load

TWCS = ("tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        "1,acme_help,False,Tue Oct 31 22:10:47 +0000 2017,@1001 Sorry to hear that. Please DM us your order number.,,2\n"
        "2,1001,True,Tue Oct 31 22:08:27 +0000 2017,@acme_help my parcel never arrived and nobody answers,1,\n"
        "3,1002,True,Wed Nov 01 09:00:00 +0000 2017,@acme_help thanks the new phone works great,4,\n"
        "4,acme_help,False,Wed Nov 01 09:05:00 -0100 2017,@1002 Glad to hear it! Enjoy your new phone.,,3\n")


def test_twitters_date_format_is_read_with_its_utc_offset():
    # Was: "No value in the timestamp column reads as a date and time" (the year after the time).
    parsed = parse_timestamps(pd.Series(["Tue Oct 31 22:10:47 +0000 2017", "Wed Nov 01 09:05:00 -0100 2017"]))
    assert parsed.values.tolist() == [pd.Timestamp("2017-10-31 22:10:47", tz="UTC"),
                                      pd.Timestamp("2017-11-01 10:05:00", tz="UTC")]


def test_a_customer_support_on_twitter_export_loads_every_message_with_its_time():
    parsed = load(TWCS, name="twcs.csv")
    assert rows(parsed)["timestamp"].tolist() == [
        pd.Timestamp("2017-10-31 22:10:47", tz="UTC"), pd.Timestamp("2017-10-31 22:08:27", tz="UTC"),
        pd.Timestamp("2017-11-01 09:00:00", tz="UTC"), pd.Timestamp("2017-11-01 10:05:00", tz="UTC")]


def test_a_conversation_exports_customers_are_the_people_who_wrote_in():
    assert report.build_report(build_dataset(load(TWCS, name="twcs.csv")))["kpis"]["customers"] == 2


def test_only_the_customers_own_messages_are_scored_for_sentiment():
    overall = report.build_report(build_dataset(load(TWCS, name="twcs.csv")))["sentiment"]["overall"]
    assert overall["texts"] == 2
