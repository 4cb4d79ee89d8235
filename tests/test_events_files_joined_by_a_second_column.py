"""Two events files keying one person by different ids: an orders export keyed by "Customer ID" that also writes each
customer's "Email", beside a survey or a web analytics export keyed by the e-mail. The orders' Email column names the
other file's customers, so their rows are the orders' customers: one person, not two (cjm.data.dataset
._joined_by_a_second_column, joins.second_key's rules). Before, Ana's page view and her purchase were two customers
and the funnel page_view -> purchase converted nobody.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, load_dataset
from cjm.journey.funnel import FunnelParams, compute_funnel

# Ana (C1) orders three times, Bo (C2) once; each order writes the buyer's e-mail (Ana's once in capitals).
ORDERS = ("Order ID,Customer ID,Email,Created At,Total\n"
          "1001,C1,ana@example.com,2024-03-01 10:00:00,50\n"
          "1002,C2,bo@example.com,2024-03-02 11:00:00,30\n"
          "1003,C1,ana@example.com,2024-03-05 09:00:00,20\n"
          "1004,C1,Ana@Example.com,2024-03-09 09:00:00,10\n")
# The shop's web analytics, keyed by the signed-in e-mail: Ana and Bo view before buying; Cy only views.
WEB = ("user_email,event_time,event_name\n"
       "ana@example.com,2024-02-28 10:00:00,page_view\n"
       "bo@example.com,2024-03-01 09:00:00,page_view\n"
       "cy@example.com,2024-03-01 09:30:00,page_view\n")
SURVEY = ("Email,Submitted At,How likely are you to recommend us?\n"
          "ana@example.com,2024-03-06 10:00:00,9\n"
          "bo@example.com,2024-03-07 10:00:00,4\n")


def _load(files: dict[str, str], mappings=None):
    return load_dataset([SourceFile(name, text.encode()) for name, text in files.items()], mappings=mappings)


def _customers(dataset) -> dict[str, list[str]]:
    events = engine.execute(dataset.events.order_by(["customer_id", "timestamp"]).select("customer_id", "event"))
    return events.groupby("customer_id")["event"].agg(list).to_dict()


@pytest.mark.parametrize("order", [("orders.csv", "web.csv"), ("web.csv", "orders.csv")])
def test_web_analytics_keyed_by_email_are_the_orders_customers_whose_email_it_is(order):
    texts = {"orders.csv": ORDERS, "web.csv": WEB}
    dataset = _load({name: texts[name] for name in order})
    # 7 rows in, 7 used; 3 customers (C1, C2 and Cy, whom no order names), not 5
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (7, 7)
    assert _customers(dataset) == {"C1": ["page_view", "purchase", "purchase", "purchase"],
                                   "C2": ["page_view", "purchase"], "cy@example.com": ["page_view"]}
    # page_view -> purchase within 7 days: Ana (28 Feb -> 1 Mar) and Bo (1 Mar -> 2 Mar) of 3: 66.7%; before 0 of 5
    funnel = compute_funnel(dataset, params=FunnelParams(steps=("page_view", "purchase"), step_kind="event"))
    assert funnel["customers"].tolist() == [3, 2]
    notes = {f.name: " ".join(f.notes) for f in dataset.files}
    assert "'Email' also names this file's customers: 2 of the other files' customer ids" in notes["orders.csv"]
    assert "2 rows of this file are of customers of orders.csv, whose 'Email' there is their id here" in notes["web.csv"]


def test_survey_answers_keyed_by_email_are_the_buyers_answers():
    dataset = _load({"orders.csv": ORDERS, "survey.csv": SURVEY})
    # 6 rows in, 6 used; 2 customers, each with their answer beside their orders
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (6, 6)
    assert _customers(dataset) == {"C1": ["purchase", "purchase", "feedback", "purchase"],
                                   "C2": ["purchase", "feedback"]}
    assert dataset.files[1].role == "feedback"


def test_an_email_two_customers_share_joins_neither_of_them():
    # Dee (C3) and Ed (C4) order with one household address: its page view is either's, so it stays its own customer
    orders = ORDERS + ("1005,C3,home@example.com,2024-03-03 10:00:00,15\n"
                       "1006,C4,home@example.com,2024-03-04 10:00:00,25\n")
    web = WEB + "home@example.com,2024-03-02 10:00:00,page_view\n"
    customers = _customers(_load({"orders.csv": orders, "web.csv": web}))
    assert customers["home@example.com"] == ["page_view"]
    assert customers["C3"] == ["purchase"] and customers["C4"] == ["purchase"]
    assert customers["C1"][0] == "page_view"  # Ana's address is hers alone: joined


def test_unticking_join_ids_written_another_way_keeps_the_files_customers_apart():
    mappings = {"orders.csv": ColumnMapping(columns={"customer_id": "Customer ID", "timestamp": "Created At",
                                                     "revenue": "Total"}, event_constant="purchase",
                                            inferred_joins=False)}
    dataset = _load({"orders.csv": ORDERS, "web.csv": WEB}, mappings=mappings)
    assert sorted(_customers(dataset)) == ["C1", "C2", "ana@example.com", "bo@example.com", "cy@example.com"]


def test_a_referrers_email_column_names_no_one_of_the_file():
    # who referred each buyer is someone else: Cy referred both, and her page view stays hers
    orders = ("Order ID,Customer ID,Referrer Email,Created At,Total\n"
              "1001,C1,cy@example.com,2024-03-01 10:00:00,50\n"
              "1002,C2,cy@example.com,2024-03-02 11:00:00,30\n")
    customers = _customers(_load({"orders.csv": orders, "web.csv": WEB}))
    assert sorted(customers) == ["C1", "C2", "ana@example.com", "bo@example.com", "cy@example.com"]


def _shown(at) -> str:
    return " ".join([c.value for c in at.caption] + [m.value for m in at.markdown])


def test_on_the_data_page_unticking_the_orders_switch_keeps_the_web_visitors_apart():
    from tests.apptest import open_app

    # ticked (the default): 7 rows used, the orders' note says the e-mails joined; unticked on orders.csv's mapping:
    # the web analytics' e-mails stay customers of their own and the note is gone
    at = open_app("app_pages/data.py", files={"orders.csv": ORDERS.encode(), "web.csv": WEB.encode()})
    assert not at.exception and not at.error
    assert "'Email' also names this file's customers" in _shown(at)  # shown as text (md escapes its colon)
    at.checkbox(key="cjm.map.orders.csv.inferred").uncheck().run()
    assert not at.exception and not at.error
    assert at.session_state["cjm.spec"].mappings["orders.csv"].inferred_joins is False
    assert "also names this file's customers" not in _shown(at)
    assert at.checkbox(key="cjm.map.orders.csv.inferred").value is False
