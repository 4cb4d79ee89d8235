"""Qualtrics survey exports, tried on real public ones and here on a few invented rows in their real shape.

Real exports tried: a research pretest of 100 responses (github sysilviakim/ranking_error, data/raw/pretest.csv at
commit eae3ff3: 259 columns, question texts of several paragraphs in line 2, import ids naming America/Denver in line
3, a free-text question 'Freeform', Qualtrics' '_DO' display-order columns) and QualtricsTools' sample exports
(github ctesta01/QualtricsTools, data/Sample Surveys/: the older "Insights" layout whose third line reads
{'ImportId': 'responseId'}). Wrong before:
- lines 2 and 3 (question texts, import ids) were read as two responses and rejected as "unparseable timestamp"
  (pretest: 102 rows in, 2 rejected, instead of 100 in, 0 rejected), and their question texts stood in every answer
  column;
- the dates, written in the time zone the import ids name (America/Denver), were read as UTC (the first response at
  11:09:23 instead of 18:09:23 UTC);
- the comment read for sentiment was 'App_Voting_DO', the order the survey showed five voting options in
  ("Drop a mail ballot at a dropbox or polling place|Not vote|..."), not the free-text answers of 'Freeform': pain
  point "ballot by post not, dropbox, drop" (30 "comments");
- the file was refused for 'Age' and 'age' (the question and the panel's field), and after renaming those, again for
  'Gender' and 'gender', then for 'Education' and 'education': one repeat per message;
- the report printed a pandas PerformanceWarning for each of the survey's hundreds of answer columns.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from cjm import report
from cjm.customers.features import compute_customer_features
from cjm.customers.profiles import compute_segment_profiles
from cjm.data.dataset import build_dataset
from cjm.errors import FileFormatError
from tests import fixtures_io as fx
from tests.helpers import parsed_rows, parsed_text

NAMES = ("StartDate,EndDate,Status,Progress,Duration (in seconds),Finished,RecordedDate,ResponseId,"
         "DistributionChannel,UserLanguage,NPS,Q5,Options_DO\n")
QUESTIONS = ("Start Date,End Date,Response Type,Progress,Duration (in seconds),Finished,Recorded Date,Response ID,"
             "Distribution Channel,User Language,How likely are you to recommend us to a friend?,"
             "\"What could we do better? Tell us in your own words.\",Which of these matter to you? - Display Order\n")
IMPORT_IDS = ('"{""ImportId"":""startDate"",""timeZone"":""America/Denver""}",'
              '"{""ImportId"":""endDate"",""timeZone"":""America/Denver""}","{""ImportId"":""status""}",'
              '"{""ImportId"":""progress""}","{""ImportId"":""duration""}","{""ImportId"":""finished""}",'
              '"{""ImportId"":""recordedDate"",""timeZone"":""America/Denver""}","{""ImportId"":""_recordId""}",'
              '"{""ImportId"":""distributionChannel""}","{""ImportId"":""userLanguage""}","{""ImportId"":""QID1""}",'
              '"{""ImportId"":""QID5_TEXT""}","{""ImportId"":""QID7_DO""}"\n')
# Four responses: NPS 10, 9, 3, 7; three comments; the four options shown in a different order each time.
RESPONSES = (
    "2023-02-22 11:09:40,2023-02-22 11:12:02,IP Address,100,142,True,2023-02-22 11:12:03,R_1a,anonymous,EN,10,"
    "\"Fast delivery and friendly staff, thank you\",Low prices|Fast delivery|Friendly support|Wide range of goods\n"
    "2023-02-22 11:20:05,2023-02-22 11:24:15,IP Address,100,250,True,2023-02-22 11:24:16,R_1b,anonymous,EN,9,"
    "Good range of products but the app is slow,Fast delivery|Low prices|Wide range of goods|Friendly support\n"
    "2023-02-22 12:01:10,2023-02-22 12:03:00,IP Address,100,110,True,2023-02-22 12:03:01,R_1c,anonymous,EN,3,"
    "Support never answered my two emails,Friendly support|Wide range of goods|Low prices|Fast delivery\n"
    "2023-02-22 13:45:00,2023-02-22 13:46:10,IP Address,100,70,True,2023-02-22 13:46:11,R_1d,anonymous,EN,7,,"
    "Wide range of goods|Friendly support|Fast delivery|Low prices\n")
EXPORT = NAMES + QUESTIONS + IMPORT_IDS + RESPONSES


def test_a_qualtrics_exports_question_texts_and_import_ids_are_header_lines_not_responses():
    # Four responses below three header lines: rows in = 4, used 4, rejected 0. Before: 6 in and 6 used: with 2 of
    # 6 'StartDate' cells no dates, no date column was found, and the two header lines were two respondents whose
    # comments read "Which of these matter to you? - Display Order" and '{"ImportId":"QID7_DO"}'. (The real pretest,
    # whose dates were found: 102 in, 2 rejected as "unparseable timestamp".)
    parsed = parsed_text(EXPORT, "survey.csv")
    accounting = parsed.accounting.to_dict()
    assert (accounting["in"], accounting["used"], accounting["rejected"]) == (4, 4, 0)
    assert any("header of 3 lines (Qualtrics)" in note for note in parsed.files[0].notes)
    # each row one respondent, named by its line in the file: the first response is on line 4, not line 2
    assert parsed_rows(parsed)["customer_id"].tolist() == ["row 4", "row 5", "row 6", "row 7"]


def test_a_qualtrics_exports_dates_are_read_in_the_time_zone_its_import_ids_name():
    # America/Denver in February is MST, UTC-7: 11:09:40 there is 18:09:40 UTC. Before: read as 11:09:40 UTC.
    parsed = parsed_text(EXPORT, "survey.csv")
    assert parsed.files[0].mapping.timezone == "America/Denver"
    first = parsed_rows(parsed)["timestamp"].iloc[0]
    assert first == pd.Timestamp("2023-02-22 18:09:40", tz="UTC")


def test_the_nps_of_a_qualtrics_export_counts_its_four_answers():
    # NPS answers 10, 9, 3, 7: promoters (9-10) 2, detractors (0-6) 1, of 4: NPS = (2 - 1) / 4 = +25 points.
    # Before: the question text in line 2 left 'NPS' a column of text, and no score was read.
    parsed = parsed_text(EXPORT, "survey.csv")
    assert parsed.files[0].mapping.columns["score"] == "NPS"
    overall = report.build_report(build_dataset(parsed))["sentiment"]["overall"]
    assert overall["nps_n"] == 4 and overall["nps"] == pytest.approx(25.0)


def test_a_display_order_column_is_not_read_as_the_comments():
    # 'Options_DO' lists the same four options in every row (48 characters on average, 8 words), longer than the
    # comments of 'Q5' (39 characters, 3 of 4 filled); its pieces recur in every other row (each option in 4 cells),
    # a comment's do not. So the comments are 'Q5'. Before: 'Options_DO' (the real pretest: 'App_Voting_DO').
    parsed = parsed_text(EXPORT, "survey.csv")
    assert parsed.files[0].mapping.columns["text"] == "Q5"


def test_an_older_qualtrics_export_with_import_ids_in_single_quotes_has_a_three_line_header_too():
    # QualtricsTools' "Insights" exports write {'ImportId': 'responseId'}; no time zone is named, so UTC stays.
    text = ("ResponseID,StartDate,EndDate,Finished,Q1,Q2\n"
            "ResponseID,StartDate,EndDate,Finished,How satisfied are you? (1-5),Anything else?\n"
            "{'ImportId': 'responseId'},{'ImportId': 'startDate'},{'ImportId': 'endDate'},{'ImportId': 'finished'},"
            "{'ImportId': 'QID1'},{'ImportId': 'QID2-TEXT'}\n"
            "R_a,2016-10-06 14:28:12,2016-10-06 14:30:00,1,5,Lovely service from start to finish\n"
            "R_b,2016-10-06 14:40:56,2016-10-06 14:41:30,1,2,The parcel came two weeks late\n")
    parsed = parsed_text(text, "insights.csv")
    accounting = parsed.accounting.to_dict()
    # before: refused ("does not supply customer id, timestamp"): with 2 of 4 cells header text, neither the dates
    # of 'StartDate' nor the survey's answers in 'Q1' / 'Q2' were recognised
    assert (accounting["in"], accounting["used"], accounting["rejected"]) == (2, 2, 0)
    assert parsed.files[0].mapping.timezone == "UTC"
    assert parsed_rows(parsed)["timestamp"].iloc[0] == pd.Timestamp("2016-10-06 14:28:12", tz="UTC")


def test_a_qualtrics_excel_export_reads_its_answers_as_numbers_below_the_header_lines():
    # The same three header lines in an .xlsx: 2 responses, NPS 10 and 6 -> promoters 1, detractors 1: NPS 0 of 2.
    # Before: refused ("does not supply customer id, timestamp"), 2 of 4 'StartDate' cells being header text.
    rows = [["StartDate", "ResponseId", "NPS"],
            ["Start Date", "Response ID", "How likely are you to recommend us?"],
            ['{"ImportId":"startDate","timeZone":"Europe/Berlin"}', '{"ImportId":"_recordId"}', '{"ImportId":"QID1"}'],
            ["2024-03-01 10:00:00", "R_x", 10],
            ["2024-03-02 11:00:00", "R_y", 6]]
    from cjm.data.dataset import SourceFile, parse_files
    parsed = parse_files([SourceFile("survey.xlsx", fx.xlsx({"Responses": rows}))])
    assert parsed.accounting.to_dict()["in"] == 2
    assert parsed_rows(parsed)["score"].tolist() == [10, 6]
    # Berlin in March (before the last Sunday) is CET, UTC+1: 10:00 there is 09:00 UTC
    assert parsed_rows(parsed)["timestamp"].iloc[0] == pd.Timestamp("2024-03-01 09:00", tz="UTC")
    overall = report.build_report(build_dataset(parsed))["sentiment"]["overall"]
    assert overall["nps_n"] == 2 and overall["nps"] == pytest.approx(0.0)


def test_a_row_of_json_in_an_ordinary_export_is_a_row_when_it_is_not_every_cell():
    # One cell of JSON among plain cells (a webhook's payload column) is data: 2 rows in, both used.
    text = ("customer_id,timestamp,event,payload\n"
            "a,2024-01-01 10:00,view,\"{\"\"ImportId\"\":\"\"x\"\"}\"\n"
            "b,2024-01-02 10:00,view,{}\n")
    assert parsed_text(text, "events.csv").accounting.to_dict()["in"] == 2


def test_every_repeated_column_name_of_a_survey_export_is_told_apart_and_named_in_one_note():
    # Three repeats ('Age'/'age', 'Gender'/'gender', 'Education'/'education', as in the real pretest): the file is
    # read, the later copies as 'age (column 5)', 'gender (column 6)', 'education (column 7)', and one note names all
    # three. Before: the file was refused until the user renamed them.
    from cjm.data.io import load_table

    text = "ResponseId,Age,Gender,Education,age,gender,education\nR_1,34,F,BA,34,female,bachelor\n"
    table = load_table(text.encode(), name="panel.csv")
    assert list(table.frame.columns)[4:] == ["age (column 5)", "gender (column 6)", "education (column 7)"]
    assert table.frame.iloc[0].tolist() == ["R_1", "34", "F", "BA", "34", "female", "bachelor"]
    notes = " ".join(table.notes)
    for pair in ("'age' (column 5) repeats 'Age' (column 2) and is read as 'age (column 5)'",
                 "'gender' (column 6) repeats 'Gender' (column 3) and is read as 'gender (column 6)'",
                 "'education' (column 7) repeats 'Education' (column 4) and is read as 'education (column 7)'"):
        assert pair in notes


def test_segment_profiles_of_many_features_print_no_pandas_warning():
    # 60 numeric answer columns kept as customer attributes: 60 features -> 120 mean_/z_ columns, built at once.
    # Before: one PerformanceWarning ("DataFrame is highly fragmented") per column after the hundredth insert.
    header = "id,signup," + ",".join(f"q{i}" for i in range(60)) + "\n"
    body = "".join(f"c{r},2024-01-{r + 1:02d}," + ",".join(str((r * 7 + i) % 5 + 1) for i in range(60)) + "\n"
                   for r in range(12))
    parsed = parsed_text(header + body, "answers.csv")
    features = compute_customer_features(build_dataset(parsed))
    labels = [i % 2 for i in range(len(features))]
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.PerformanceWarning)
        profiles = compute_segment_profiles(features, labels)
    assert len(profiles) == 2
