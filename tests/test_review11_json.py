"""Review 11: a Segment warehouse / S3 export (JSON Lines, one track call per line, lists inside the records).
Expected values are worked out by hand from the literal lines in the test (made-up ids and times)."""

from __future__ import annotations

import json

from cjm.data.dataset import SourceFile, build_dataset, parse_files
from tests.helpers import parsed_rows as rows


def segment_line(anonymous: str, user, when: str, event: str, message: str) -> str:
    return json.dumps({
        "_metadata": {"bundled": ["Segment.io"], "bundledIds": [], "unbundled": []},
        "anonymousId": anonymous, "userId": user, "channel": "client", "type": "track", "event": event,
        "context": {"library": {"name": "analytics.js"}, "page": {"path": "/pricing"}},
        "integrations": {}, "messageId": message, "timestamp": when, "properties": {"plan": "pro"},
    })


LINES = "\n".join([
    segment_line("anon-1", None, "2024-03-01T10:00:00.000Z", "Product Viewed", "m1"),
    segment_line("anon-1", None, "2024-03-01T10:05:00.000Z", "Product Added", "m2"),
    segment_line("anon-1", "u-1", "2024-03-01T10:09:00.000Z", "Order Completed", "m3"),
    segment_line("anon-2", None, "2024-03-02T08:00:00.000Z", "Product Viewed", "m4"),
]) + "\n"


def test_a_segment_json_lines_export_with_lists_inside_its_records_loads_every_line():
    # Was: TypeError "unhashable type: 'list'" (the "_metadata.bundled" list reached the duplicate check).
    # 4 lines, all used; 2 visitors (anon-1, anon-2): userId is empty on 3 of the 4 lines.
    parsed = parse_files([SourceFile("segment-export.jsonl", LINES.encode())])
    dataset = build_dataset(parsed)
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (4, 4)
    assert rows(parsed)["customer_id"].nunique() == 2


def test_a_list_inside_a_json_record_is_kept_as_its_json_text():
    parsed = parse_files([SourceFile("segment-export.jsonl", LINES.encode())])
    assert rows(parsed)["_metadata.bundled"].tolist() == ['["Segment.io"]'] * 4


def mixpanel_line(user: str, seconds: int, event: str) -> str:
    return json.dumps({"event": event, "properties": {"time": seconds, "distinct_id": user, "$browser": "Chrome",
                                                     "$os": "Mac OS X", "mp_lib": "web"}})


MIXPANEL = "\n".join([
    mixpanel_line("u-1", 1486793881, "Load Documents App"),   # 2017-02-11 06:18:01 UTC
    mixpanel_line("u-1", 1486794011, "Load Datasets App"),    # 130 s later
    mixpanel_line("u-2", 1486795317, "Load Documents App"),
]) + "\n"


def test_a_mixpanel_raw_export_maps_its_nested_distinct_id_and_time():
    # Was: "this file does not supply customer id" (the id is properties.distinct_id, the time properties.time).
    parsed = parse_files([SourceFile("mixpanel-export.jsonl", MIXPANEL.encode())])
    mapping = parsed.files[0].mapping.columns
    assert (mapping["customer_id"], mapping["timestamp"], mapping["event"]) == (
        "properties.distinct_id", "properties.time", "event")
    events = rows(parsed)
    assert events["customer_id"].nunique() == 2
    assert events["timestamp"].iloc[0] == __import__("pandas").Timestamp("2017-02-11 06:18:01", tz="UTC")


def test_a_nested_field_whose_last_name_means_something_else_in_its_object_is_not_mapped():
    # "context.library.name" names the tracking library, "context.device.type" the kind of device: neither is
    # the customer nor the event; the top-level userId and event are.
    records = [{"userId": "u-1", "event": "Signed Up", "timestamp": "2024-03-01T10:00:00Z",
                "context": {"library": {"name": "analytics.js"}, "device": {"type": "ios"}}},
               {"userId": "u-2", "event": "Signed Up", "timestamp": "2024-03-02T10:00:00Z",
                "context": {"library": {"name": "analytics.js"}, "device": {"type": "android"}}}]
    parsed = parse_files([SourceFile("segment.json", json.dumps(records).encode())])
    mapping = parsed.files[0].mapping.columns
    assert (mapping["customer_id"], mapping["event"]) == ("userId", "event")
    assert "context.library.name" not in mapping.values() and "context.device.type" not in mapping.values()
