"""The Overview's period: the last 30 days, 90 days, 12 months or all data, kept in the dashboard spec, and a note
when the period holds few of the data's customers (a leads export whose last deal closes months after the leads)."""

import pandas as pd
import pytest

from cjm.data.dataset import build_dataset
from cjm.errors import ParameterError
from cjm.journey.kpi_period import KpiParams, thin_period_note
from cjm.journey.kpis import compute_kpis
from tests.apptest import open_app
from tests.helpers import parsed_text

# 100 leads, lead i viewing on day 3i of 2024 (1 Jan .. 27 Oct 2024), and one deal won by 'late' on 1 Mar 2025.
ROWS = [f"lead{i},{(pd.Timestamp('2024-01-01') + pd.Timedelta(days=3 * i)):%Y-%m-%d} 10:00,page_view"
        for i in range(100)]
LEADS = ("customer_id,timestamp,event\n" + "\n".join(ROWS) + "\nlate,2025-03-01 10:00,purchase\n")


def _kpis(period: str) -> pd.DataFrame:
    return compute_kpis(build_dataset(parsed_text(LEADS, "leads.csv")), params=KpiParams(period)).set_index("name")


def test_the_last_30_days_of_a_leads_export_hold_one_customer_and_the_note_says_so():
    # The data ends 1 Mar 2025: the last 30 days are [31 Jan 2025, 2 Mar 2025), holding only 'late': 1 of 101
    # customers, 1.0% (under 2%).
    kpis = _kpis("30d")
    assert kpis.loc["customers", "value"] == 1
    assert kpis.loc["customers", "period"] == "31 Jan 2025 – 1 Mar 2025"
    note = thin_period_note(kpis.reset_index(), all_customers=101, params=KpiParams("30d"))
    assert note == ("The tiles' period (31 Jan 2025 – 1 Mar 2025) holds 1 of the data's 101 customers (1.0%): they "
                    "describe the end of the data. Choose a longer period to see more of it.")


def test_all_data_covers_every_customer_compares_with_nothing_and_needs_no_note():
    kpis = _kpis("all")
    assert kpis.loc["customers", "value"] == 101
    assert kpis.loc["customers", "period"] == "all data (1 Jan 2024 – 1 Mar 2025)"
    assert kpis.loc["customers", "previous_period"] == ""
    assert thin_period_note(kpis.reset_index(), all_customers=101, params=KpiParams("all")) is None


def test_the_last_90_days_are_compared_with_the_90_days_before():
    # [2 Dec 2024, 2 Mar 2025): 'late' only (the last lead viewed on 27 Oct 2024); before: [3 Sep 2024, 2 Dec 2024):
    # leads on days 246..331 of 2024 (3 Sep is day 246), i = 82..99 (3i >= 246 and 3i <= 300): 18 customers.
    kpis = _kpis("90d")
    assert kpis.loc["customers", "period"] == "2 Dec 2024 – 1 Mar 2025"
    assert (kpis.loc["customers", "value"], kpis.loc["customers", "previous"]) == (1, 18)


def test_twelve_months_of_fourteen_months_of_data_compare_its_two_halves():
    # 1 Jan 2024 .. 2 Mar 2025 (426 days) is shorter than two 12-month periods: the halves, split at 213 days, on
    # 1 Aug 2024; after it, leads with 3i >= 213 (i = 71..99, 29) and 'late': 30; before it, i = 0..70: 71.
    kpis = _kpis("12m")
    assert kpis.loc["customers", "period"] == "1 Aug 2024 – 1 Mar 2025"
    assert (kpis.loc["customers", "value"], kpis.loc["customers", "previous"]) == (30, 71)


def test_a_period_that_is_not_offered_is_refused_with_the_choices_and_the_bad_value():
    with pytest.raises(ParameterError, match=r"period must be one of 30d, 90d, 12m, all; got '7d'"):
        KpiParams("7d")


def test_the_overview_offers_the_period_notes_a_thin_one_and_keeps_the_choice_in_the_spec():
    at = open_app("app_pages/overview.py", files={"leads.csv": LEADS.encode()})
    assert not at.exception and not at.error
    notes = [i.value.replace("\\", "") for i in at.info]
    assert any("holds 1 of the data's 101 customers (1.0%)" in n for n in notes), notes
    at.radio(key="cjm.overview.period").set_value("all").run()
    assert {m.label: m.value for m in at.metric}["Customers"] == "101"
    assert not any("holds 1 of the data's" in i.value for i in at.info)
    assert at.session_state["cjm.spec"].pages["overview"] == {"period": "all"}


def test_the_board_pack_covers_the_overviews_saved_period_and_names_it():
    from cjm.report import pack
    from cjm.spec import DashboardSpec

    dataset = build_dataset(parsed_text(LEADS, "leads.csv"))
    spec = DashboardSpec().with_page("overview", KpiParams("all"))
    built = pack.build_pack(dataset, spec)
    assert {t["label"]: t["value"] for t in built.tiles}["Customers"] == "101"
    assert built.tiles_period == "Figures cover all data (1 Jan 2024 – 1 Mar 2025); no earlier period to compare with."
    assert built.tiles_period in pack.to_html(built)
    default = pack.build_pack(dataset, DashboardSpec())  # no choice saved: the last 30 days, as the Overview opens
    assert {t["label"]: t["value"] for t in default.tiles}["Customers"] == "1"


def test_under_a_date_filter_that_cuts_the_data_the_thin_note_says_the_tiles_describe_the_end_of_the_chosen_range():
    # Range up to 31 Dec 2024: the data goes on ('late', 1 Mar 2025), so it is seen to 1 Jan 2025 00:00 and the last
    # 30 days are [2 Dec 2024, 1 Jan 2025): no lead there (the last viewed on 24 Oct 2024), 0 of the view's 100
    # customers (0.0%, under 2%).
    from cjm.data import views
    from cjm.data.dataset import SourceFile
    from cjm.data.filters import Filters
    from cjm.spec import DashboardSpec
    from cjm.ui import data

    view = views.filtered(build_dataset(parsed_text(LEADS, "leads.csv")), Filters(end="2024-12-31"))
    kpis = compute_kpis(view, params=KpiParams("30d"))
    note = thin_period_note(kpis, all_customers=100, params=KpiParams("30d"), end=views.end_phrase(view))
    assert note == ("The tiles' period (2 Dec 2024 – 31 Dec 2024) holds 0 of the data's 100 customers (0.0%): they "
                    "describe the end of the chosen range (31 Dec 2024). Choose a longer period to see more of it.")
    # The Overview page says the same under that filter.
    upload = data.remember_upload(SourceFile(name="leads.csv", data=LEADS.encode()))
    spec = DashboardSpec(source="upload", files=[upload], filters=Filters(end="2024-12-31"))
    at = open_app("app_pages/overview.py", spec=spec)
    assert not at.exception and not at.error
    notes = [i.value.replace("\\", "") for i in at.info]
    assert any("describe the end of the chosen range (31 Dec 2024)" in n for n in notes), notes
