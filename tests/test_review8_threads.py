"""Review of the report's sections running on two threads (commits a0491ac / 3f4f956): a result shared by two
sections is computed once, and the report's numbers are the same whether its sections run one after another
or side by side."""

import threading

import pandas as pd

from cjm import engine, report
from cjm.data.dataset import build_dataset
from cjm.report import build
from tests.helpers import parsed_text as load


def test_two_threads_asking_for_one_remembered_result_compute_it_once_and_get_equal_copies():
    # Thread 1 starts computing and waits until thread 2 has asked for the same key; the computation runs once
    # and both get the frame {x: [1, 2]} (each its own copy).
    calls, started, asked = [], threading.Event(), threading.Event()
    results = {}

    def compute():
        calls.append(1)
        started.set()
        asked.wait(timeout=10)
        return pd.DataFrame({"x": [1, 2]})

    def ask(name, scope_context):
        results[name] = scope_context.run(engine.remember, ("review8", "key"), compute)

    with engine.shared():
        import contextvars

        first = threading.Thread(target=ask, args=("first", contextvars.copy_context()))
        first.start()
        started.wait(timeout=10)
        second = threading.Thread(target=ask, args=("second", contextvars.copy_context()))
        second.start()
        asked.set()
        first.join(timeout=20)
        second.join(timeout=20)
    assert len(calls) == 1
    assert results["first"]["x"].tolist() == results["second"]["x"].tolist() == [1, 2]
    assert results["first"] is not results["second"]


EXPORT = ("customer_id,timestamp,event,amount,comment\n"
          "a,2024-01-01 10:00,page_view,,\na,2024-01-01 10:05,add_to_cart,,\na,2024-01-01 10:09,purchase,40,\n"
          "a,2024-01-03 09:00,review,,The delivery was late and the box was damaged\n"
          "b,2024-01-02 09:00,page_view,,\nb,2024-01-02 09:30,add_to_cart,,\n"
          "b,2024-01-04 11:00,review,,Late delivery again and support never answered\n"
          "c,2024-01-03 12:00,page_view,,\nc,2024-01-03 12:10,purchase,60,\n"
          "c,2024-01-05 12:00,review,,Great product and fast shipping\n"
          "d,2024-01-06 08:00,page_view,,\nd,2024-01-06 08:20,add_to_cart,,\nd,2024-01-06 08:30,purchase,25,\n"
          "d,2024-01-08 10:00,review,,The box arrived damaged and late\n"
          "e,2024-01-07 10:00,page_view,,\ne,2024-01-09 10:00,review,,Terrible late delivery and a damaged box\n"
          "f,2024-01-07 11:00,page_view,,\nf,2024-01-09 11:00,review,,Awful support and the delivery was late\n")


def test_a_report_on_two_threads_equals_the_report_on_one(monkeypatch):
    # Same upload, same options: the report's JSON (every section's numbers, skipped reasons) is identical whether
    # its sections ran side by side (2 threads, the in-process DuckDB) or one after another. By hand, the KPIs of
    # both: revenue 40 + 60 + 25 = 125 from 3 orders, 6 customers.
    side_by_side = report.build_report(build_dataset(load(EXPORT)))
    monkeypatch.setattr(build, "SECTION_THREADS", 1)
    one_by_one = report.build_report(build_dataset(load(EXPORT)))
    assert side_by_side["kpis"]["revenue"] == one_by_one["kpis"]["revenue"] == 125
    assert side_by_side["kpis"]["customers"] == 6
    assert side_by_side["pain_points"] and "pain_points" not in side_by_side["skipped"]  # shared with the journey map
    assert build.to_json(side_by_side) == build.to_json(one_by_one)
