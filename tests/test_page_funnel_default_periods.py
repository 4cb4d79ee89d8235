"""Funnel page, Period comparison tab (AppTest) on short exports: by default it compares two periods that
both hold data (the Overview's rule with 6 months: halves of data shorter than a year, halves of its own
span to the minute within one day), shows their exact bounds when the day-only pickers cannot, and still
follows the periods a person picks. Expected figures are worked out by hand beside each assertion."""

from __future__ import annotations

import datetime as dt

from tests.apptest import open_app

PAGE = "app_pages/funnel.py"
# 17 minutes of 1 Oct 2019, like the REES46 sample: first event 00:00:10, last 00:17:20
MINUTES = (b"customer_id,timestamp,event\n"
           b"a,2019-10-01 00:00:10,view\na,2019-10-01 00:03:00,purchase\nb,2019-10-01 00:05:00,view\n"
           b"c,2019-10-01 00:09:00,view\nc,2019-10-01 00:12:00,purchase\nd,2019-10-01 00:15:00,view\n"
           b"e,2019-10-01 00:17:20,view\n")
# 10 Jan .. 31 Mar 2024: ten viewers on 10 Jan (five buy on 11 Jan) and ten on 10 Mar (five buy on 11 Mar)
MONTHS = b"customer_id,timestamp,event\n" + b"".join(
    f"m{m}-{i},2024-0{m}-10,view\n".encode() + (f"m{m}-{i},2024-0{m}-11,purchase\n".encode() if i < 5 else b"")
    for m in (1, 3) for i in range(10)) + b"z,2024-03-31,other\n"


def comparison_tab(files: dict[str, bytes]):
    at = open_app(PAGE, files=files)
    assert not at.exception and not at.error, [e.value for e in at.error]
    at.radio(key="cjm.funnel.kind").set_value("event").run()
    at.multiselect(key="cjm.funnel.steps").set_value(["view", "purchase"]).run()
    at.session_state["cjm.funnel.tab"] = "Period comparison"
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def table(at):
    return next(d.value for d in at.dataframe if "Customers, previous" in d.value.columns)


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_seventeen_minutes_are_compared_in_the_halves_of_their_span_with_their_times_shown():
    at = comparison_tab({"minutes.csv": MINUTES})
    rows = table(at)
    # end 00:18 (the minute after 00:17:20), middle 00:08:45 to the minute 00:08, previous the 10 minutes before:
    # previous [30 Sep 23:58, 00:08): a (view, buy) and b (view); current [00:08, 00:18): c (view, buy), d, e.
    # Before: the 6 months ending 2 Oct against the 6 before, 0 viewers against 5.
    assert rows["Customers, previous"].tolist() == [2, 1] and rows["Customers, current"].tolist() == [3, 1]
    assert ("Compared: 30 Sep 2019 23:58 – 1 Oct 2019 00:08 UTC (previous) against 1 Oct 2019 00:08 – "
            "1 Oct 2019 00:18 UTC (current).") in captions(at)
    # the day-only pickers show the days each period touches
    assert at.date_input(key="cjm.funnel.period_previous").value == (dt.date(2019, 9, 30), dt.date(2019, 10, 1))
    assert at.date_input(key="cjm.funnel.period_current").value == (dt.date(2019, 10, 1), dt.date(2019, 10, 1))
    assert "nothing to compare" not in "\n".join(i.value for i in at.info)
    # the default periods are the whole data's: a segment or channel is compared over the same dates
    assert "every segment, channel and device is compared over the same dates" in captions(at)


def test_a_period_picked_by_hand_is_used_and_the_other_keeps_its_exact_default():
    at = comparison_tab({"minutes.csv": MINUTES})
    at.date_input(key="cjm.funnel.period_previous").set_value((dt.date(2019, 9, 1), dt.date(2019, 9, 30))).run()
    assert not at.exception
    rows = table(at)
    # previous [1 Sep, 1 Oct): no event; current still [00:08, 00:18): c, d, e view, c buys
    assert rows["Customers, previous"].tolist() == [0, 0] and rows["Customers, current"].tolist() == [3, 1]
    assert "Compared: 1 Sep 2019 – 30 Sep 2019 (previous) against 1 Oct 2019 00:08 – 1 Oct 2019 00:18 UTC" in captions(at)
    at.date_input(key="cjm.funnel.period_current").set_value((dt.date(2019, 10, 1), dt.date(2019, 10, 2))).run()
    # both picked: the previous as before, the current 1 and 2 Oct whole: all five viewers, a and c buy
    rows = table(at)
    assert rows["Customers, previous"].tolist() == [0, 0] and rows["Customers, current"].tolist() == [5, 2]
    assert "Compared: 1 Sep 2019 – 30 Sep 2019 (previous) against 1 Oct 2019 – 2 Oct 2019 (current)." in captions(at)


def test_three_months_are_compared_in_two_halves_that_both_hold_data():
    at = comparison_tab({"months.csv": MONTHS})
    rows = table(at)
    # [10 Jan, 1 Apr) is 82 days (22 + 29 + 31), under a year: halves of 41 days split at 20 Feb.
    # January's 10 viewers (5 buy) in the previous half, March's in the current. Before: 0 against 10.
    assert rows["Customers, previous"].tolist() == [10, 5] and rows["Customers, current"].tolist() == [10, 5]
    assert "Compared: 10 Jan 2024 – 19 Feb 2024 (previous) against 20 Feb 2024 – 31 Mar 2024 (current)." in captions(at)
    assert at.date_input(key="cjm.funnel.period_previous").value == (dt.date(2024, 1, 10), dt.date(2024, 2, 19))
    assert at.date_input(key="cjm.funnel.period_current").value == (dt.date(2024, 2, 20), dt.date(2024, 3, 31))


def test_the_real_rees46_sample_compares_two_halves_of_its_17_minutes_by_default():
    from cjm.data.dataset import SourceFile
    from cjm.journey.funnel import FunnelParams
    from cjm.journey.periods import compare_periods
    from cjm.data.dataset import load_dataset
    from tests.helpers import real_file

    path = real_file("rees46_2019-Oct-sample.csv")
    at = comparison_tab({"rees46_2019-Oct-sample.csv": SourceFile.from_path(path).data})
    rows = table(at)
    # first event 00:00:00, last 00:17:26: halves [30 Sep 23:58, 00:08) and [00:08, 00:18) (before: 0 viewers
    # against 330); the figures are those of the comparison itself, checked against plain pandas in test_periods
    expected = compare_periods(load_dataset([path]), params=FunnelParams(steps=("view", "purchase"), step_kind="event"))
    assert rows["Customers, previous"].tolist() == expected["customers_previous"].tolist()
    assert rows["Customers, current"].tolist() == expected["customers_current"].tolist()
    assert min(expected["customers_previous"][0], expected["customers_current"][0]) > 0
    assert ("Compared: 30 Sep 2019 23:58 – 1 Oct 2019 00:08 UTC (previous) against 1 Oct 2019 00:08 – "
            "1 Oct 2019 00:18 UTC (current).") in captions(at)


def test_ten_customers_a_period_carry_a_too_few_to_tell_warning():
    at = comparison_tab({"months.csv": MONTHS})
    # 10 viewers in each half (under 100 a period): the purchase step's comparison is too few to tell
    warnings = "\n".join(w.value for w in at.warning)
    assert ("Too few customers to tell at 1 step (purchase): the previous period has 10 customers and the current "
            "10 customers at step 1") in warnings


def test_periods_picked_so_that_they_overlap_are_refused_with_a_message_not_a_traceback():
    at = comparison_tab({"months.csv": MONTHS})
    at.date_input(key="cjm.funnel.period_previous").set_value((dt.date(2024, 1, 1), dt.date(2024, 3, 15))).run()
    assert not at.exception
    # previous [1 Jan, 16 Mar) against the default current [20 Feb, 1 Apr): they share 20 Feb .. 15 Mar
    errors = "\n".join(e.value for e in at.error).replace("\\:", ":")  # shown as text: its colons escaped
    assert "The periods overlap: previous 1 Jan 2024 – 15 Mar 2024 and current 20 Feb 2024 – 31 Mar 2024" in errors


def test_pickers_left_at_their_defaults_follow_another_upload_and_a_picked_period_stays():
    from cjm.data.dataset import SourceFile
    from cjm.spec import DashboardSpec
    from cjm.ui import data

    at = comparison_tab({"months.csv": MONTHS})
    assert at.date_input(key="cjm.funnel.period_current").value == (dt.date(2024, 2, 20), dt.date(2024, 3, 31))
    at.date_input(key="cjm.funnel.period_previous").set_value((dt.date(2023, 12, 1), dt.date(2023, 12, 31))).run()
    # another file: its own defaults, the halves of 10 Jan .. 31 Mar 2024 again but shifted one year earlier
    earlier = MONTHS.replace(b"2024-", b"2023-")
    at.session_state["cjm.spec"] = DashboardSpec(
        source="upload", files=[data.remember_upload(SourceFile(name="earlier.csv", data=earlier))])
    at.run()
    assert not at.exception
    # [10 Jan, 1 Apr 2023) is 81 days (22 + 28 + 31): halves of 40.5 days, the current from 1 Apr - 40.5 days =
    # 19 Feb 12:00 (its days: 19 Feb .. 31 Mar)
    assert at.date_input(key="cjm.funnel.period_current").value == (dt.date(2023, 2, 19), dt.date(2023, 3, 31))
    # the previous period was picked by hand: it stays
    assert at.date_input(key="cjm.funnel.period_previous").value == (dt.date(2023, 12, 1), dt.date(2023, 12, 31))
