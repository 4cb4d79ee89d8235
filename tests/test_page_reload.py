"""Reloading the page after an upload says the upload is gone; it never shows the demo data in its place."""

import re

from cjm.ui.data import UPLOAD_GONE
from tests.apptest import open_app


def errors(at):
    """The error boxes as the reader sees them (data in messages is Markdown-escaped: cjm.ui.safe)."""
    return [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]


def test_a_reloaded_page_that_showed_an_upload_says_it_is_gone_and_offers_to_upload_again():
    # A new session whose address says it showed uploaded files (?data=upload): what a reload looks like.
    at = open_app("app_pages/overview.py", query={"data": "upload"})
    assert not at.exception
    assert UPLOAD_GONE in errors(at)
    assert not at.metric  # no KPI tiles: the demo's figures are not shown as if they were the upload's
    assert "**Uploaded file (no longer here)**" in [m.value for m in at.sidebar.markdown]
    assert any(b.label == "Use the demo data" for b in at.sidebar.button)


def test_choosing_the_demo_after_a_lost_upload_shows_the_demo_and_clears_the_address():
    at = open_app("app_pages/overview.py", query={"data": "upload"})
    next(b for b in at.sidebar.button if b.label == "Use the demo data").click().run()
    assert not at.exception and UPLOAD_GONE not in errors(at)
    assert len(at.metric) > 0
    assert "data" not in at.query_params


def dataset_radio(at):
    return next(r for r in at.sidebar.radio if r.label == "Dataset")


def test_switching_to_uploaded_files_writes_data_upload_into_the_address():
    events = b"customer_id,timestamp,event\na,2024-01-01,page_view\na,2024-01-02,purchase\nb,2024-01-01,page_view\n"
    at = open_app("app_pages/overview.py", files={"events.csv": events})
    dataset_radio(at).set_value("demo").run()
    assert "data" not in at.query_params
    dataset_radio(at).set_value("upload").run()
    assert not at.exception and at.query_params["data"] == "upload"
    assert UPLOAD_GONE not in errors(at)
