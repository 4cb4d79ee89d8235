"""Review 19, the purchase flag (ColumnMapping.purchase_flag, 'Rows that bought' on the Data page): a yes / no column
such as online shoppers' 'Revenue' TRUE / FALSE makes each yes row also a 'purchase' event. Every expected figure is
worked out by hand in the comment beside it, from the rows written in the test (never from cjm's output)."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm.customers.features import compute_customer_features
from cjm.data.cells import yes_no
from cjm.customers.profiles import compute_segment_profiles
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.errors import MappingError
from cjm.journey.funnel import compute_funnel
from cjm.journey.funnel.defaults import default_funnel
from cjm.journey.kpis import compute_kpis
from cjm.journey.reach import compute_stage_reach
from tests.helpers import parsed_rows, parsed_text


def sessions(values, header: str = "Pages,Duration,Revenue") -> str:
    """Ten or more anonymous sessions (no id, no date: each row one respondent, named 'row <file line>'): row i has
    Pages i + 1, Duration 10 i and the flag cell values[i]."""
    return header + "\n" + "".join(f"{i + 1},{10 * i},{v}\n" for i, v in enumerate(values))


def parse(text: str, name: str = "sessions.csv", mapping: ColumnMapping | None = None):
    return parse_files([SourceFile(name, text.encode())], mappings={name: mapping} if mapping else None)


def kpi(ds, name: str):
    row = compute_kpis(ds, period="all").set_index("name").loc[name]
    return row["value"], bool(row["available"])


def test_a_flag_written_in_every_spelling_makes_each_yes_row_a_purchase_and_accounts_for_every_row():
    values = ["TRUE", "false", "1", "0", "yes", "No", "", "True", "FALSE", "0"]
    parsed = parse(sessions(values))
    assert parsed.files[0].mapping.purchase_flag == "Revenue"
    # rows in 10 = used 10 + rejected 0 (the purchases are no rows of the file; the empty cell is no reason to reject)
    acc = parsed.accounting
    assert (acc.rows_in, acc.rows_used, acc.rows_rejected) == (10, 10, 0)
    rows = parsed_rows(parsed)
    # yes cells: 'TRUE' (row 0), '1' (row 2), 'yes' (row 4), 'True' (row 7) = 4; the empty cell (row 6) is no yes.
    # Respondents are named by file line (row i is line i + 2): rows 0, 2, 4, 7 are 'row 2', 'row 4', 'row 6', 'row 9'
    bought = rows[rows["event"] == "purchase"]["customer_id"].tolist()
    assert bought == ["row 2", "row 4", "row 6", "row 9"]
    assert len(rows) == 10 + 4  # ten sessions + four purchases
    ds = build_dataset(parsed)
    # conversion rate = respondents with a purchase (conversion stage) / respondents = 4 / 10
    assert kpi(ds, "conversion_rate") == (pytest.approx(0.4), True)
    reach = compute_stage_reach(ds).set_index("stage")["customers"]
    assert (reach["consideration"], reach["conversion"]) == (10, 4)  # every session; the four that bought


def test_missing_value_tokens_in_a_flag_column_are_empty_cells_not_a_reason_to_ignore_the_column():
    # NA, -, ?, null, N/A are how exports write "no value" (DESIGN.md section 3): empty cells, like a blank one.
    values = ["NA", "FALSE", "TRUE", "-", "?", "null", "FALSE", "TRUE", "FALSE", "N/A"]
    parsed = parse(sessions(values, "pages,duration,purchased"))
    assert parsed.files[0].mapping.purchase_flag == "purchased"
    rows = parsed_rows(parsed)
    # TRUE at rows 2 and 7 (file lines 4 and 9): two purchases; the five tokens are neither yes nor no
    assert rows[rows["event"] == "purchase"]["customer_id"].tolist() == ["row 4", "row 9"]
    # conversion 2 / 10 = 0.2
    assert kpi(build_dataset(parsed), "conversion_rate") == (pytest.approx(0.2), True)


def test_the_yes_no_reader_leaves_missing_value_tokens_empty_and_still_refuses_other_words():
    values = pd.Series(["TRUE", "NA", "n/a", " - ", "?", "null", "", "no", None])
    # yes, then seven missing cells (six tokens and one empty cell, then None after the no)
    assert yes_no(values).tolist() == [True, pd.NA, pd.NA, pd.NA, pd.NA, pd.NA, pd.NA, False, pd.NA]
    assert yes_no(pd.Series(["TRUE", "NA", "maybe"])) is None  # 'maybe' is a filled cell, neither yes nor no


def test_a_maybe_in_the_column_makes_it_no_flag_and_choosing_it_anyway_names_the_odd_value():
    values = ["TRUE", "NA", "maybe", "0", "yes", "No", "", "True", "FALSE", "0"]
    parsed = parse(sessions(values))
    # 'maybe' is neither a yes nor a no: the column is no flag, nothing is a purchase, every row is still used
    assert parsed.files[0].mapping.purchase_flag is None
    assert (parsed.accounting.rows_in, parsed.accounting.rows_used, parsed.accounting.rows_rejected) == (10, 10, 0)
    assert set(parsed_rows(parsed)["event"]) == {"session"}
    # no purchase, no conversion stage event: the conversion rate is not known (never 0%)
    assert kpi(build_dataset(parsed), "conversion_rate")[1] is False
    chosen = ColumnMapping(shape="anonymous", event_constant="session", purchase_flag="Revenue")
    with pytest.raises(MappingError, match=r"not yes or no \(such as 'maybe'\)"):
        parse(sessions(values), mapping=chosen)


def test_a_german_ja_nein_column_named_gekauft_is_read_as_a_flag():
    values = ["ja", "nein", "ja", "nein", "nein", "nein", "nein", "ja", "nein", "nein"]
    parsed = parse(sessions(values, "Seiten,Dauer,Gekauft"))
    # ja at rows 0, 2, 7: three purchases, conversion 3 / 10
    assert parsed.files[0].mapping.purchase_flag == "Gekauft"
    assert kpi(build_dataset(parsed), "conversion_rate") == (pytest.approx(0.3), True)


def test_a_flag_chosen_by_hand_that_says_no_on_every_row_gives_a_conversion_rate_of_zero():
    values = ["FALSE"] * 10
    chosen = ColumnMapping(shape="anonymous", event_constant="session", purchase_flag="Revenue")
    parsed = parse(sessions(values), mapping=chosen)
    assert any("no row used says yes" in note for note in parsed.files[0].notes)
    # the analyst said this column tells who bought, and it says nobody did: 0 / 10 = 0%
    assert kpi(build_dataset(parsed), "conversion_rate") == (0.0, True)


VISITS = ("visitor_id,Visit Date,Pages,Purchased\n"
          "a,2024-01-01 10:00,3,no\n"       # line 2
          "a,2024-01-03 10:00,4,yes\n"      # line 3: a buys 2 days after her first visit
          "b,2024-01-02 10:00,1,no\n"       # line 4
          "c,2024-01-01 09:00,2,yes\n"      # line 5: c buys at her first visit
          "c,2024-01-20 09:00,2,yes\n"      # line 6: and again on 20 Jan
          ",2024-01-05 10:00,1,yes\n"       # line 7: no id -> rejected, so no purchase
          "c,2024-01-20 09:00,2,yes\n"      # line 8: equal to line 6 in every column -> duplicate, no purchase
          "d,notadate,7,yes\n")             # line 9: unparseable date -> rejected, no purchase


def test_a_visit_log_with_rejected_yes_rows_makes_purchases_of_the_used_rows_only():
    parsed = parse(VISITS, "visits.csv")
    assert parsed.files[0].mapping.purchase_flag == "Purchased"
    acc = parsed.accounting
    # rows in 8 = used 5 (lines 2-6) + rejected 3 (missing id, unparseable timestamp, duplicate)
    assert (acc.rows_in, acc.rows_used, acc.rows_rejected) == (8, 5, 3)
    rows = parsed_rows(parsed)
    purchases = rows[rows["event"] == "purchase"]
    # purchases: lines 3, 5, 6 only (a on 3 Jan 10:00, c on 1 Jan 09:00 and 20 Jan 09:00)
    assert list(zip(purchases["customer_id"], purchases["timestamp"])) == [
        ("a", pd.Timestamp("2024-01-03 10:00", tz="UTC")), ("c", pd.Timestamp("2024-01-01 09:00", tz="UTC")),
        ("c", pd.Timestamp("2024-01-20 09:00", tz="UTC"))]
    ds = build_dataset(parsed)
    # customers a, b, c; converted a and c: 2 / 3
    assert kpi(ds, "customers") == (3, True)
    assert kpi(ds, "conversion_rate") == (pytest.approx(2 / 3), True)
    # buyers a (1 purchase) and c (2 purchases on two days): repeat buyers 1 / 2
    assert kpi(ds, "repeat_purchase_rate") == (pytest.approx(0.5), True)


def test_the_funnel_of_a_flagged_visit_log_counts_the_purchase_at_its_visits_time():
    ds = build_dataset(parse(VISITS, "visits.csv"))
    params = default_funnel(ds)
    assert params.steps == ("consideration", "conversion")  # visits browse, purchases convert
    funnel = compute_funnel(ds, params=params).set_index("step")
    # consideration: a, b, c = 3. conversion within 7 days: a (attempt 1 Jan 10:00, purchase 3 Jan 10:00: the earliest
    # of her equally deep attempts, 172,800 s) and c (attempt 1 Jan 09:00, purchase at the same moment: 0 s) = 2;
    # b dropped (1). Median and mean of (172,800, 0) = 86,400 s.
    assert funnel["customers"].tolist() == [3, 2]
    assert funnel.loc["conversion", "dropped"] == 1
    assert funnel.loc["conversion", "median_seconds_from_previous"] == 86_400
    assert funnel.loc["conversion", "mean_seconds_from_previous"] == 86_400


def test_the_customer_features_and_segment_conversion_of_a_flagged_visit_log():
    features = compute_customer_features(build_dataset(parse(VISITS, "visits.csv"))).set_index("customer_id")
    # purchases: a 1 (3 Jan), b 0, c 2 (1 Jan and 20 Jan); converted: a and c
    assert features["purchases"].to_dict() == {"a": 1, "b": 0, "c": 2}
    assert features["converted"].astype(bool).to_dict() == {"a": True, "b": False, "c": True}
    profiles = compute_segment_profiles(features.reset_index(), [0, 0, 1]).set_index("segment")
    # segment 0 = a, b: one of two converted (0.5); segment 1 = c: 1 / 1
    assert profiles["conversion"].to_dict() == {0: pytest.approx(0.5), 1: pytest.approx(1.0)}


LOG = ("customer_id,date,event,Purchased\n"
       "a,2024-01-01,page_view,no\n"
       "a,2024-01-02,purchase,yes\n"
       "b,2024-01-01,page_view,no\n")


def test_a_flag_beside_an_event_column_adds_no_second_purchase():
    parsed = parse(LOG, "log.csv")
    # each row names its event: the yes row IS the purchase; no flag is read
    assert parsed.files[0].mapping.purchase_flag is None
    chosen = ColumnMapping.from_dict({**parsed.files[0].mapping.to_dict(), "purchase_flag": "Purchased"})
    for p in (parsed, parse(LOG, "log.csv", chosen)):
        rows = parsed_rows(p)
        assert rows["event"].tolist() == ["page_view", "purchase", "page_view"]  # 3 rows, 3 events, one purchase
        ds = build_dataset(p)
        assert kpi(ds, "conversion_rate") == (pytest.approx(0.5), True)  # a of a, b
        assert kpi(ds, "repeat_purchase_rate") == (0.0, True)  # a bought once: 0 / 1


def test_a_flag_chosen_for_a_file_with_an_event_column_is_said_to_be_unused():
    parsed = parse(LOG, "log.csv")
    chosen = ColumnMapping.from_dict({**parsed.files[0].mapping.to_dict(), "purchase_flag": "Purchased"})
    notes = " ".join(parse(LOG, "log.csv", chosen).files[0].notes)
    assert "Purchased" in notes
    assert "'Purchased' was chosen under 'Rows that bought', but it is not used: each row's event comes from" in notes


@pytest.mark.parametrize("yes, no", [("oui", "non"), ("sí", "no"), ("sim", "não"), ("Ja", "Nee"), ("tak", "nie"),
                                     ("да", "нет"), ("evet", "hayır"), ("WAHR", "FALSCH")])
def test_yes_and_no_in_other_languages_are_read_as_a_flag(yes, no):
    values = [yes, no, no, yes, no, no, no, no, no, no]
    parsed = parse(sessions(values, "Pages,Duration,Purchased"))
    # two yes rows (0 and 3) of ten: conversion 2 / 10
    assert parsed.files[0].mapping.purchase_flag == "Purchased"
    assert kpi(build_dataset(parsed), "conversion_rate") == (pytest.approx(0.2), True)


def test_a_column_of_other_words_is_still_no_flag():
    values = ["rot", "blau", "rot", "grün", "rot", "blau", "rot", "rot", "blau", "rot"]
    parsed = parse(sessions(values, "Pages,Duration,Purchased"))
    assert parsed.files[0].mapping.purchase_flag is None
