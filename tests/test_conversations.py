"""A conversation export (cjm.data.conversations): the customer is the author of the inbound messages, a company
reply is the 'support reply' event of the customer whose message it answers, and its words are not customer voice.
Expected values are read by hand from the literal rows."""

from __future__ import annotations

import pandas as pd

from cjm import engine, report
from cjm.data.columns import ColumnMapping
from cjm.data.conversations import UNANSWERED, came_in
from cjm.data.dataset import SourceFile, build_dataset, parse_files
from tests.helpers import parsed_text as load

# ann writes (m1), the shop answers (m2 -> m1), ann again (m3 -> m2), the shop follows up its own reply (m4 -> m2,
# a reply to a reply: still ann's); bob writes (m5); the shop answers a message not in the file (m6 -> m99).
THREAD = ("message_id,author,direction,sent_at,body,in_reply_to\n"
          "m1,ann,inbound,2024-03-01 09:00,my parcel never arrived and I am very angry,\n"
          "m2,shop,outbound,2024-03-01 09:30,So sorry! We are happy to help you today,m1\n"
          "m3,ann,inbound,2024-03-01 10:00,still nothing arrived,m2\n"
          "m4,shop,outbound,2024-03-01 10:05,Great news: it is on its way and we love you,m2\n"
          "m5,bob,inbound,2024-03-02 08:00,thanks the phone works great,\n"
          "m6,shop,outbound,2024-03-02 08:10,Wonderful! Enjoy it,m99\n")


def test_came_in_reads_true_false_and_in_out_words():
    assert came_in(pd.Series(["True", "false", "Inbound", "outgoing", "maybe", None])).tolist() == \
        [True, False, True, False, pd.NA, pd.NA]


def test_replies_belong_to_the_customer_they_answer_and_one_answering_no_one_is_set_aside():
    parsed = load(THREAD, name="messages.csv")
    rows = engine.execute(parsed.events).sort_values("row_id")
    # m1..m5 kept (5 rows), m6 answers m99 (not in the file): set aside with its own reason
    assert rows["customer_id"].tolist() == ["ann", "ann", "ann", "ann", "bob"]
    assert rows["event"].tolist() == ["feedback", "support reply", "feedback", "support reply", "feedback"]
    assert parsed.accounting.reasons == {UNANSWERED: 1}
    assert (parsed.accounting.rows_in, parsed.accounting.rows_used) == (6, 5)
    # the company's words are kept beside the event, never as the customer's text
    assert rows["text"].isna().tolist() == [False, True, False, True, False]
    assert rows["reply_text"].tolist()[1] == "So sorry! We are happy to help you today"
    note = next(n for n in parsed.files[0].notes if n.startswith("Conversation export"))
    assert "3 rows of 6 are the company's replies" in note and "written by 'shop'" in note
    assert "2 replies are 'support reply' events of the customer whose message they answer" in note
    assert "1 reply answering no customer message in the file is set aside" in note


def test_only_the_three_inbound_messages_are_sentiment_and_the_shop_is_no_customer():
    built = report.build_report(build_dataset(load(THREAD, name="messages.csv")))
    assert built["kpis"]["customers"] == 2  # ann and bob; 'shop' is no customer
    assert built["sentiment"]["overall"]["texts"] == 3  # m1, m3, m5 (the replies' cheerful words are not counted)


def test_a_user_mapped_customer_column_keeps_every_reply_and_still_drops_its_words():
    # A help desk export with its own customer column: the replies are that customer's already, none is set aside.
    text = ("ticket_customer,author,inbound,created,comment\n"
            "ann,ann,true,2024-01-01 10:00,the app crashes every time\n"
            "ann,agent_7,false,2024-01-01 10:30,Thanks for your patience! Great question\n")
    mapping = ColumnMapping(columns={"customer_id": "ticket_customer", "timestamp": "created", "text": "comment"},
                            event_constant="feedback", conversation={"inbound": "inbound", "author": "author"})
    parsed = parse_files([SourceFile("desk.csv", text.encode())], mappings={"desk.csv": mapping})
    rows = engine.execute(parsed.events).sort_values("row_id")
    assert rows["customer_id"].tolist() == ["ann", "ann"] and rows["text"].isna().tolist() == [False, True]
    assert rows["event"].tolist() == ["feedback", "support reply"]


def test_a_mapping_saved_with_its_conversation_reads_back_the_same():
    mapping = ColumnMapping(columns={"customer_id": "author_id"},
                            conversation={"inbound": "inbound", "author": "author_id"})
    assert ColumnMapping.from_dict(mapping.to_dict()) == mapping


def test_reply_links_written_as_floats_find_their_messages():
    # pandas saves a column of ids with blanks as floats: the reply to message 1 says 1.0 (Kaggle's twcs.csv samples)
    text = ("tweet_id,author_id,inbound,created_at,text,in_response_to_tweet_id\n"
            "1,115712,True,Tue Oct 31 22:08:27 +0000 2017,my bill is wrong again,\n"
            "2,sprintcare,False,Tue Oct 31 22:10:47 +0000 2017,@115712 Sorry! Please DM us,1.0\n")
    rows = engine.execute(load(text, name="twcs.csv").events).sort_values("row_id")
    assert rows["customer_id"].tolist() == ["115712", "115712"]
