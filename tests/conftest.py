import os
import tempfile

import pytest

from tests.browser import app_url, browser_context, page, playwright_session  # noqa: F401  (fixtures)
from tests.postgres import postgres_server, postgres_url  # noqa: F401  (fixtures)
from tests.spark import spark_backend  # noqa: F401  (fixture)

# Uploaded files are kept as content-hash snapshots on disk (cjm.data.snapshots): tests keep theirs in a
# temporary folder (the app servers the browser tests start inherit it), never in the user's home.
os.environ.setdefault("CJM_SNAPSHOTS", tempfile.mkdtemp(prefix="cjm-test-snapshots-"))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each test's outcome on the item, so the browser fixture can screenshot a failure."""
    report = yield
    if report.when == "call":
        item.report_call = report
    return report
