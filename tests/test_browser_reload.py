"""Real browser: after an upload, reloading the page says the upload is gone (never the demo in disguise)."""

import pytest

from tests.browser import open_page, screenshot, upload

pytestmark = pytest.mark.browser

ORDERS = "customer_id,timestamp,event\na,2024-01-01,order\nb,2024-01-02,order\nc,2024-01-03,order\n"


def test_a_single_touchpoint_upload_is_explained_and_a_reload_offers_to_upload_again(page, app_url, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    open_page(page, app_url, "data")
    page.get_by_text("Every row was used.").wait_for()
    upload(page, path)
    page.get_by_text("orders.csv (events)").wait_for()
    page.get_by_role("link", name="Funnel").first.click()
    page.get_by_text("Funnel needs at least two touchpoints").wait_for()
    assert "expected 2 to 10 steps" not in page.inner_text('[data-testid="stMain"]')
    assert "data=upload" in page.url
    page.reload()
    page.get_by_text("The file you uploaded is no longer here").wait_for()
    # main and sidebar arrive as separate deltas: wait for the sidebar's choices before reading it
    page.get_by_role("button", name="Use the demo data").wait_for()
    main = page.inner_text('[data-testid="stMain"]')
    assert "Upload it again on the Data page" in main
    sidebar = page.inner_text('[data-testid="stSidebar"]')
    assert "Upload again" in sidebar and "Use the demo data" in sidebar
    screenshot(page, "reload-after-upload")
    page.get_by_role("button", name="Use the demo data").click()
    page.get_by_text("Funnel settings").first.wait_for()  # the demo's funnel, chosen by the user
    assert "data=upload" not in page.url
