"""Spark in local mode for the tests: one session for the whole run (starting one takes tens of seconds).

`spark_backend` is a session fixture giving the cjm engine backend on `spark://local[2]`; tests that need it skip
with the reason when pyspark is not installed (`make test` installs it).
"""

from __future__ import annotations

import pytest

from cjm import engine


@pytest.fixture(scope="session")
def spark_backend():
    pytest.importorskip("pyspark", reason="pyspark is in requirements-dev.txt (make test installs it)")
    backend = engine.connect("spark://local[2]")
    yield backend
    backend.close()
    backend.con._session.stop()
