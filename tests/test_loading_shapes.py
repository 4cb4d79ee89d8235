"""Real export shapes load truly: fractional seconds, row accounting (DESIGN.md section 3)."""

from __future__ import annotations

import json

from cjm import report
from cjm.report.build import EXPECTED
from cjm.data.dataset import SourceFile, build_dataset, parse_files

JOURNEY = ["ad_click", "product_view", "add_to_cart", "checkout_started", "purchase", "repeat_purchase"]
COMMENTS = ["slow delivery and rude support, terrible", "great product, love it", "terrible slow delivery, awful",
            "awful checkout, slow delivery", "excellent service, very happy", "horrible rude support, bad",
            "bad experience, rude support"]


def fractional_export() -> bytes:
    """60 customers, 1..6 journey steps each, timestamps with milliseconds, every optional column filled."""
    lines = ["customer_id,timestamp,event,channel,device,department,revenue,score,comment,variant"]
    for c in range(60):
        for step, event in enumerate(JOURNEY[: 1 + c % 6]):
            day = 1 + (c % 20) + step * 2
            ts = f"2022-12-{day:02d} 01:{c % 60:02d}:{(c * 7 + step) % 60:02d}.{(c * 37 + step * 101) % 1000:03d}"
            revenue = f"{10 + c % 7}.5" if "purchase" in event else ""
            score = str(1 + (c + step) % 5) if step % 2 == 0 else ""
            comment = f"\"{COMMENTS[(c + step) % 7]}\"" if step % 2 == 1 else ""
            lines.append(f"C{c},{ts},{event},{['web', 'email', 'store'][c % 3]},{['mobile', 'desktop'][step % 2]},"
                         f"{['marketing', 'sales', 'support'][step % 3]},{revenue},{score},{comment},{'AB'[c % 2]}")
    return ("\n".join(lines) + "\n").encode()


def test_fractional_second_timestamps_run_through_every_report_section():
    dataset = build_dataset(parse_files([SourceFile("frac.csv", fractional_export())]))
    result = report.build_report(dataset)
    json.dumps(result, allow_nan=False, default=str)
    assert result["rows"]["in"] == result["rows"]["used"] == sum(1 + c % 6 for c in range(60))
    for key in EXPECTED:
        assert key in result, (key, result["skipped"])
    errors = {k: v for k, v in result["skipped"].items() if "could not" in v.lower() or "error" in v.lower()}
    assert errors == {}
    assert result["segments"]
