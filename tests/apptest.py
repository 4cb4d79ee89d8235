"""Opening the app in streamlit's AppTest, the same way for every page test."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def open_app(page: str | None = None, *, spec=None, query: dict | None = None, files: dict[str, bytes] | None = None,
             timeout: int = 180) -> AppTest:
    """The app from app.py (demo data unless `spec` or uploaded `files` say otherwise), switched to `page`."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if files:
        from cjm.data.dataset import SourceFile
        from cjm.spec import DashboardSpec
        from cjm.ui import data

        refs = [data.remember_upload(SourceFile(name=name, data=content)) for name, content in files.items()]
        spec = DashboardSpec(source="upload", files=refs)
    if spec is not None:
        at.session_state["cjm.spec"] = spec
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at
