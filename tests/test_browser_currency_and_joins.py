"""Real browser: orders in two currencies beside an unrelated marketing file whose ids overlap by chance. The Data
page says which currency revenue counts and which ids were joined without their leading zeros; unticking "Join ids
written another way" keeps the files apart; the Overview labels the money KPIs with the currency."""

import pytest

from tests.browser import open_page, screenshot, wait_until_idle

pytestmark = pytest.mark.browser

ORDERS = ("order_id,customer_id,created_at,total,currency\n1,00001,2024-01-01 10:00,100,EUR\n"
          "2,00001,2024-01-03 10:00,50,EUR\n3,00002,2024-01-04 10:00,30,EUR\n4,00003,2024-01-05 10:00,108,USD\n")
MARKETING = "ID,Income,Kidhome\n1,58000,0\n2,46000,1\n9,71000,0\n"


def test_money_in_two_currencies_and_a_chance_id_overlap_are_said_and_can_be_undone(page, app_url, tmp_path):
    orders, marketing = tmp_path / "orders.csv", tmp_path / "marketing.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    marketing.write_text(MARKETING, encoding="utf-8")
    open_page(page, app_url, "data")
    page.get_by_text("Every row was used.").wait_for()
    wait_until_idle(page)
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Upload exports")
    uploader.locator("input[type=file]").first.set_input_files([str(orders), str(marketing)])
    page.get_by_text("marketing.csv (customers)").wait_for()
    wait_until_idle(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "revenue counts EUR (the currency of most rows with money, 3)" in text
    assert "The money of 1 row in USD (such as line 5) is left out of every money figure" in text
    assert "2 ids in 'ID' had lost the leading zeros the events' ids have" in text
    screenshot(page, "data-currencies-and-zeros")

    # the customers file's switch (each events file has one too): its widget key, as Streamlit writes it in a class
    page.locator(".st-key-cjm-map-marketing-csv-inferred").get_by_role(
        "checkbox", name="Join ids written another way").click(force=True)
    page.get_by_text("No customer of this file has an event").wait_for()
    wait_until_idle(page)
    assert "had lost the leading zeros" not in page.locator('[data-testid="stMain"]').inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "data-joins-unticked")

    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Overview", exact=True).click()
    page.get_by_text("Revenue (EUR)").first.wait_for()
    wait_until_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "overview-revenue-in-eur")
