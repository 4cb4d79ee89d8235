"""Every page runs from app.py on the demo data without an exception (streamlit AppTest)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ["app_pages/overview.py", "app_pages/data.py"]


def app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_demo_data_without_an_error(page):
    at = app(page)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_the_overview_opens_on_the_demo_data_with_a_chart():
    at = app()
    assert at.title[0].value == "Overview"
    assert "Demo data" in at.sidebar.markdown[0].value
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")


def test_the_data_page_shows_the_row_accounting_that_adds_up():
    at = app("app_pages/data.py")
    metrics = {m.label: int(m.value.replace(",", "")) for m in at.metric if m.label.startswith("Rows")}
    assert metrics["Rows in"] == metrics["Rows used"] + metrics["Rows rejected"] > 0


def test_switching_to_the_seven_stage_model_remaps_the_events():
    at = app("app_pages/data.py")
    at.radio(key="cjm.stages.model").set_value("7").run()
    assert not at.exception
    assert at.session_state["cjm.spec"].stage_mapping.model == "7"


def test_filters_in_the_address_bar_are_applied_on_arrival():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["channels"] = ["email"]
    at.run()
    assert at.session_state["cjm.spec"].filters.channels == ("email",)
    assert not at.exception


def test_choosing_another_event_column_in_the_mapping_editor_remaps_the_journeys():
    at = app("app_pages/data.py")
    at.selectbox(key="cjm.map.demo_events.csv.gz.event").set_value("channel").run()
    assert not at.exception
    spec = at.session_state["cjm.spec"]
    assert spec.mappings["demo_events.csv.gz"].columns["event"] == "channel"
    assert "no event" not in " ".join(w.value for w in at.warning)


def test_assigning_a_stage_by_hand_is_kept_in_the_dashboard_spec():
    at = app("app_pages/data.py")
    editor = at.get("arrow_data_editor") or at.get("data_editor")
    assert editor, "the stage table is shown"
    spec = at.session_state["cjm.spec"]
    assert spec.stage_mapping.model == "5"


def test_ticking_identical_rows_are_separate_events_is_kept_in_the_files_mapping():
    at = app("app_pages/data.py")
    at.checkbox(key="cjm.map.demo_events.csv.gz.keep").check().run()
    assert not at.exception
    assert at.session_state["cjm.spec"].mappings["demo_events.csv.gz"].keep_identical is True


def test_a_customers_files_key_is_chosen_in_the_mapping_editor_and_kept_in_the_spec():
    from tests.apptest import open_app

    payments = (b"id,Customer ID,Created (UTC),Amount,Status\nch_1,cus_1,2024-01-01 10:00,10,Paid\n"
                b"ch_2,cus_2,2024-01-02 10:00,20,Paid\n")
    customers = b"id,Email,Plan\ncus_1,a@x.com,gold\ncus_2,b@x.com,free\n"
    at = open_app("app_pages/data.py", files={"payments.csv": payments, "customers.csv": customers})
    key = at.selectbox(key="cjm.map.customers.csv.customer_id")
    assert key.value == "id"  # switched to the column that holds the payments' Customer ID
    key.set_value("Email").run()
    assert not at.exception
    assert at.session_state["cjm.spec"].mappings["customers.csv"].columns == {"customer_id": "Email"}
    assert at.selectbox(key="cjm.map.customers.csv.customer_id").value == "Email"
    notes = " ".join(c.value for c in at.caption) + " ".join(m.value for m in at.markdown)
    assert "No customer of this file has an event" in notes  # a@x.com is no payment's customer: said


def test_unticking_join_ids_written_another_way_keeps_two_unrelated_files_apart():
    from tests.apptest import open_app

    # Purchases by 00001..00003 beside a marketing file of other people numbered 1, 2, 9: by default 1 and 2 are
    # read as 00001 and 00002 (2 ids restored); unticked, none join and the Data page says the file joins no one.
    purchases = (b"customer_id,date,event,amount\n00001,1997-01-01,purchase,10\n00002,1997-01-02,purchase,20\n"
                 b"00003,1997-01-03,purchase,30\n")
    marketing = b"ID,Income,Kidhome\n1,58000,0\n2,46000,1\n9,71000,0\n"
    at = open_app("app_pages/data.py", files={"purchases.csv": purchases, "marketing.csv": marketing})
    notes = " ".join(c.value for c in at.caption)
    assert "2 ids in 'ID' had lost the leading zeros" in notes and "Join ids written another way" in notes
    at.checkbox(key="cjm.map.marketing.csv.inferred").uncheck().run()
    assert not at.exception
    mapping = at.session_state["cjm.spec"].mappings["marketing.csv"]
    assert mapping.inferred_joins is False and mapping.columns == {"customer_id": "ID"}
    notes = " ".join(c.value for c in at.caption)
    assert "had lost the leading zeros" not in notes and "No customer of this file has an event" in notes
    assert at.checkbox(key="cjm.map.marketing.csv.inferred").value is False
