"""One analysis failing unexpectedly costs its own section of the report, never the whole report."""

import json
import logging

from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.data.stages import StageMapping
from cjm.report import build, sections

EVENTS = """customer_id,timestamp,event,channel
a,2024-01-01 10:00:00.956,page_view,web
a,2024-01-01 10:05:00,add_to_cart,web
a,2024-01-01 10:09:00,purchase,web
b,2024-01-02 09:00:00,page_view,email
b,2024-01-02 09:03:00,add_to_cart,email
c,2024-01-03 12:00:00,page_view,web
"""


def dataset():
    parsed = parse_files([SourceFile(name="events.csv", data=EVENTS.encode())])
    return build_dataset(parsed, stage_mapping=StageMapping(model="5"))


def test_an_unexpected_error_in_one_section_is_a_plain_skipped_reason_and_the_rest_renders(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("paths table exploded")

    monkeypatch.setattr(sections, "paths_section", broken)
    with caplog.at_level(logging.ERROR, logger="cjm.report.build"):
        report = build.build_report(dataset())
    assert report["skipped"]["variants"] == "could not compute variants: paths table exploded (RuntimeError)"
    assert "Traceback" not in json.dumps(report)
    # The other sections are still there, with their hand-checkable figures: 3 customers viewed,
    # 2 reached consideration (cart), 1 bought.
    assert report["stages"] == {"awareness": 0, "consideration": 3, "conversion": 1, "retention": 0, "loyalty": 0}
    # the proposed funnel is the shop's three events (view and cart share a stage): a, b, c viewed; a, b carted; a bought
    assert [row["customers"] for row in report["funnel"]] == [3, 2, 1]
    assert "abandonment" in report and "kpis" in report
    # The full traceback goes to the log.
    failure = [r for r in caplog.records if "variants" in r.getMessage()]
    assert failure and failure[0].exc_info[0] is RuntimeError


def test_a_failure_reason_is_one_short_line():
    reason = build.failure_reason("the funnel", ValueError("bad\n  value " + "x" * 400))
    assert reason.startswith("could not compute the funnel: bad value xxx") and reason.endswith("... (ValueError)")
    assert "\n" not in reason and len(reason) < 360
    assert build.failure_reason("segments", KeyError()) == "could not compute segments: KeyError"


def test_the_default_funnel_of_a_pop_up_export_starts_from_every_customer_who_saw_the_pop_up():
    # 250 customers see the pop-up on 1 Jan; the first 49 accept it a minute later; customers 0..99 view a
    # product on 2 Jan and 0..29 complete an order on 3 Jan. Viewed and accepted both land in awareness
    # (accepted was awareness and viewed consideration before, so the funnel started from 49 of 250).
    lines = ["customer_id,timestamp,event"]
    for i in range(250):
        lines.append(f"c{i:03d},2024-01-01 10:00:00,Pop-up Email Viewed")
        if i < 49:
            lines.append(f"c{i:03d},2024-01-01 10:01:00,Pop-up Email Accepted")
        if i < 100:
            lines.append(f"c{i:03d},2024-01-02 10:00:00,Product Viewed")
        if i < 30:
            lines.append(f"c{i:03d},2024-01-03 10:00:00,Order Completed")
    parsed = parse_files([SourceFile(name="popup.csv", data="\n".join(lines).encode())])
    report = build.build_report(build_dataset(parsed, stage_mapping=StageMapping(model="5")))
    assert report["stages"] == {"awareness": 250, "consideration": 100, "conversion": 30, "retention": 0, "loyalty": 0}
    assert [(row["step"], row["customers"]) for row in report["funnel"]] == [
        ("awareness", 250), ("consideration", 100), ("conversion", 30)]
