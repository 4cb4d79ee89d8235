"""A conversation export's company rows with no words (Intercom's 'assignment' and 'close' parts: an admin assigned or
closed the conversation, nothing was written) are no reply to the customer: they are set aside with that reason in
the row accounting (rows in = used + rejected), not read as 'support reply' events (cjm.data.conversations). A
company row with words stays a 'support reply'. Read in place, a conversation export is refused with its reason
(tests/test_exports38_squarespace_chargebee_intercom_medallia.py), so the two paths never disagree. So is the
company's internal note (Intercom's message_type 'note': words for the team, never sent to the customer). When the analyst
maps an event column (Intercom's message_type), each row keeps the name it gives ('close', 'assignment'): none is read
as a 'support reply', none set aside.

Figures worked out by hand in the comments."""

from __future__ import annotations

from cjm import report
from cjm.data import conversations
from cjm.data.dataset import load_dataset
from tests.export_files import events_in_file_order as _events, write_export as _write
from tests.test_exports38_squarespace_chargebee_intercom_medallia import INTERCOM, INTERCOM_NAME


def test_an_intercom_assignment_or_close_without_words_or_an_internal_note_is_no_support_reply(tmp_path):
    # 11 messages in. The company's rows with no words: Sam's assignment 90003 (line 4: the header is line 1) and his
    # closes 90006 (line 7) and 90010 (line 11); his internal note 90009 (line 10, message_type 'note': words for the
    # team, never sent to Ben): 4 set aside, 7 used. 'support reply': the bot's 90002, Sam's 90004 and 90008 = 3 (was
    # 7); 'feedback' (the customers' own messages) 4. Ana: 90001, 90002, 90004, 90005, 90011 = 5 (was 7); Ben: 90007,
    # 90008 = 2 (was 4). Still 2 customers, 4 texts of theirs.
    dataset = load_dataset([_write(tmp_path, INTERCOM_NAME, INTERCOM)])
    accounting = dataset.accounting
    assert (accounting.rows_in, accounting.rows_used, accounting.rows_rejected) == (11, 7, 4)
    assert dict(accounting.reasons) == {conversations.WORDLESS: 3, conversations.INTERNAL_NOTE: 1}
    assert sorted(accounting.rejected["line"].tolist()) == [4, 7, 10, 11]
    events = _events(dataset)
    assert events["event"].value_counts().to_dict() == {"support reply": 3, "feedback": 4}
    assert events.groupby("customer_id").size().to_dict() == {"ana@example.com": 5, "ben@example.com": 2}
    # the company's words kept are its replies' only (the note's "asked about sizes, could be a sale" is not one)
    assert events["reply_text"].dropna().tolist() == [
        "Thanks! Someone from the team will reply in a few minutes.",
        "Sorry about that, I have sent a new parcel by express.", "They run half a size small, so go one up."]
    # the Data page's note counts the replies kept and the rows set aside
    note = " ".join(dataset.files[0].notes)
    assert "3 replies are 'support reply' events" in note
    assert "3 rows of the company with no words" in note and "1 internal note of the team" in note
    built = report.build_report(dataset)
    assert (built["kpis"]["customers"], built["sentiment"]["overall"]["texts"]) == (2, 4)


def test_a_reply_linked_conversation_sets_aside_the_companys_wordless_rows_and_keeps_its_replies(tmp_path):
    # twcs-like: a writes 1; the company answers 2 (words) and 3 (no words: a state change); a writes 4. 4 in, 3 used,
    # 1 set aside (line 4). a's events: 1, the reply 2 (the one 'support reply'), 4 = 3 (was 4, 2 'support reply').
    text = ("tweet_id,author_id,inbound,created_at,text,in_response_to_tweet_id\n"
            "1,a,True,2024-03-01 10:00,my order is late,\n"
            "2,shop,False,2024-03-01 10:05,sorry! DM us your order number,1\n"
            "3,shop,False,2024-03-01 10:06,,1\n"
            "4,a,True,2024-03-01 10:20,done,2\n")
    dataset = load_dataset([_write(tmp_path, "twcs.csv", text)])
    accounting = dataset.accounting
    assert (accounting.rows_in, accounting.rows_used, dict(accounting.reasons)) == (4, 3, {conversations.WORDLESS: 1})
    assert accounting.rejected["line"].tolist() == [4]
    events = _events(dataset)
    assert events["customer_id"].tolist() == ["a", "a", "a"]
    assert events["event"].tolist().count("support reply") == 1


def test_with_an_event_column_mapped_a_wordless_company_row_keeps_its_name_and_is_not_set_aside(tmp_path):
    # the analyst maps 'message_type' as the event: 11 in, 11 used; Sam's rows keep their names 'assignment' (1),
    # 'close' (2) and 'note' (1), no 'support reply' among them
    from cjm.data.columns import ColumnMapping

    path = _write(tmp_path, INTERCOM_NAME, INTERCOM)
    data = load_dataset([path]).files[0].mapping.to_dict()
    data["columns"]["event"] = "message_type"
    dataset = load_dataset([path], mappings={INTERCOM_NAME: ColumnMapping.from_dict(data)})
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (11, 11)
    counts = _events(dataset)["event"].value_counts().to_dict()
    assert (counts["assignment"], counts["close"], counts["note"]) == (1, 2, 1) and "support reply" not in counts
