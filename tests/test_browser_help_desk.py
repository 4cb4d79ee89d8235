"""Real browser: a help desk's ticket export (Freshdesk's columns, a 'Type' column among them) is read one row per
ticket, and the Data page says which column opens each ticket and that 'Type' is each ticket's type."""

import pytest

from tests.browser import open_page, screenshot, upload, wait_until_idle

pytestmark = pytest.mark.browser

FRESHDESK = ("Ticket ID,Subject,Status,Priority,Source,Type,Agent,Created time,Due by Time,Resolved time,"
             "Closed time,Contact ID\n"
             "101,Login fails,Closed,Low,Email,Question,Eve,2024-01-02 09:00:00,2024-01-03 09:00:00,"
             "2024-01-02 15:00:00,2024-01-04 09:00:00,7001\n"
             "102,Refund,Resolved,High,Portal,Refund,Eve,2024-01-05 09:00:00,2024-01-06 09:00:00,"
             "2024-01-05 12:00:00,,7002\n"
             "103,Again,Open,Low,Chat,Question,Max,2024-01-08 09:00:00,2024-01-09 09:00:00,,,7001\n")


def test_a_freshdesk_export_is_read_one_row_per_ticket_with_its_type_as_an_attribute(page, app_url, tmp_path):
    path = tmp_path / "freshdesk_tickets.csv"
    path.write_text(FRESHDESK, encoding="utf-8")
    open_page(page, app_url, "data")
    page.get_by_text("Every row was used.").wait_for()
    upload(page, path)
    page.get_by_text("freshdesk_tickets.csv (events)").wait_for()
    wait_until_idle(page)
    assert page.get_by_role("radio", name="one row per order, ticket or lead (wide)").is_checked()
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "'Type' is each record's type, an attribute, not an event." in text
    assert "each ticket opens on its 'Created time', the event 'ticket created'" in text
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "data-freshdesk-tickets")
