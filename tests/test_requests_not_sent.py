"""A survey request or message whose own status says it was never sent ("Not sent: suppression period", Medallia
Agent Connect's request_delivery_status) is no interaction of the customer: the row is set aside with that reason in
the row accounting (rows in = used + rejected, DESIGN section 3), on upload (cjm.data.dataset.load_dataset) and read
in place (cjm.data.source.dataset_from_files) alike. Before, it was read as a 'request sent' event, and its customer,
never asked, was counted as one who was.

Only the status of a request, survey, invitation or message says so: an order's "Shipping Status" of "Not sent" is an
order not shipped yet, still bought.

Figures worked out by hand in the comments."""

from __future__ import annotations

import pytest

from cjm import report
from cjm.data.dataset import NOT_SENT, load_dataset
from cjm.data.source import dataset_from_files
from tests.export_files import events_in_file_order as _events, write_export as _write
from tests.test_exports38_squarespace_chargebee_intercom_medallia import MEDALLIA, MEDALLIA_NAME, _one_row_an_event


def test_a_medallia_request_not_sent_is_set_aside_with_its_reason_on_upload(tmp_path):
    # 6 requests in: 5 sent (Ana twice, Bo, Cy, Dee) + Eve's "Not sent: suppression period" (line 7: the header is
    # line 1, hers the 6th row) set aside = 6 in, 5 used, 1 rejected. Events: 5 'request sent' + 4 'response received'
    # (Cy did not answer). Customers: Ana, Bo, Cy, Dee = 4. Before: 6 used, 6 'request sent', 5 customers (Eve too).
    dataset = load_dataset([_write(tmp_path, MEDALLIA_NAME, MEDALLIA)])
    accounting = dataset.accounting
    assert (accounting.rows_in, accounting.rows_used, accounting.rows_rejected) == (6, 5, 1)
    assert dict(accounting.reasons) == {NOT_SENT: 1}
    assert accounting.rejected["line"].tolist() == [7]
    assert "Not sent: suppression period" in accounting.rejected["raw"].iloc[0]
    events = _events(dataset)
    assert events.groupby("event").size().to_dict() == {"request sent": 5, "response received": 4}
    assert "eve@example.com" not in set(events["customer_id"])
    assert report.build_report(dataset)["kpis"]["customers"] == 4


def test_a_medallia_request_not_sent_is_set_aside_read_in_place_as_on_upload(tmp_path):
    # one row an event by 'request_sent_at' (the only way in place): 6 in, 5 used, Eve's row 'not sent', 4 customers,
    # on both paths; the same events in the same order. Before: 6 used, 5 customers, on both.
    path = _write(tmp_path, MEDALLIA_NAME, MEDALLIA)
    mapping = _one_row_an_event(load_dataset([path]).files[0].mapping, "request_sent_at", "feedback")
    uploaded = load_dataset([path], mappings={MEDALLIA_NAME: mapping})
    in_place = dataset_from_files(path, mapping=mapping)
    for dataset in (uploaded, in_place):
        accounting = dataset.accounting
        assert (accounting.rows_in, accounting.rows_used, dict(accounting.reasons)) == (6, 5, {NOT_SENT: 1})
        assert report.build_report(dataset)["kpis"]["customers"] == 4
    assert _events(in_place)["customer_id"].tolist() == _events(uploaded)["customer_id"].tolist() == [
        "ana@example.com", "bo@example.com", "cy@example.com", "dee@example.com", "ana@example.com"]


@pytest.mark.parametrize("column, status, kept", [
    ("Survey Status", "NOT SENT - opted out", False),
    ("Invitation Status", "Unsent", False),
    ("request_delivery_status", "not_sent", False),
    ("Message Status", "Not sent (no e-mail address)", False),
    ("Survey Status", "Sent", True),
    ("Survey Status", "Sent - not opened", True),
    # an order not shipped yet is still an order: its shipping status is no request's
    ("Shipping Status", "Not sent", True),
])
def test_only_a_requests_or_messages_own_status_of_not_sent_sets_its_row_aside_on_both_paths(tmp_path, column,
                                                                                            status, kept):
    # a: a row of the status under test; b: a row sent. Kept: 2 in, 2 used, 2 customers; set aside: 2 in, 1 used,
    # 1 'not sent', 1 customer (b).
    text = (f"customer_id,timestamp,event,{column}\n"
            f"a,2024-03-01 10:00,survey,{status}\n"
            "b,2024-03-02 10:00,survey,Sent\n")
    path = _write(tmp_path, "requests.csv", text)
    expected = (2, 2, {}) if kept else (2, 1, {NOT_SENT: 1})
    for dataset in (load_dataset([path]), dataset_from_files(path)):
        accounting = dataset.accounting
        assert (accounting.rows_in, accounting.rows_used, dict(accounting.reasons)) == expected
