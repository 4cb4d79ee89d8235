"""Review 20, Qualtrics header lines (cjm/data/io/surveys.py): rows in = used + rejected counts the responses only, a
rejected response is named by its line in the file, and dates are read in the time zone the import ids name. Every
expected figure is worked out by hand beside it."""

from __future__ import annotations

import pandas as pd

from tests.helpers import parsed_rows, parsed_text

NAMES = "StartDate,EndDate,RecordedDate,ResponseId,NPS\n"
QUESTIONS = "Start Date,End Date,Recorded Date,Response ID,How likely are you to recommend us?\n"
IDS = ('"{""ImportId"":""startDate"",""timeZone"":""America/Denver""}",'
       '"{""ImportId"":""endDate"",""timeZone"":""America/Denver""}",'
       '"{""ImportId"":""recordedDate"",""timeZone"":""America/Denver""}",'
       '"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}"\n')
# line 4: 22 Feb 2023 (MST, UTC-7); line 5: no date anywhere; line 6: 1 Jul 2023 (MDT, UTC-6); line 7: 23 Feb 2023;
# line 8: 15 Mar 2023 (DST began 12 Mar: MDT); line 9: 6 Nov 2023 (DST ended 5 Nov: MST). Six responses, five dated
# (with one in four undated the columns are not read as dates at all: a date-detection rule outside this review)
RESPONSES = ("2023-02-22 11:00:00,2023-02-22 11:05:00,2023-02-22 11:05:01,R_1a,10\n"
             "not a date,not a date,not a date,R_1b,9\n"
             "2023-07-01 10:00:00,2023-07-01 10:04:00,2023-07-01 10:04:01,R_1c,3\n"
             "2023-02-23 08:00:00,2023-02-23 08:01:00,2023-02-23 08:01:01,R_1d,7\n"
             "2023-03-15 09:00:00,2023-03-15 09:01:00,2023-03-15 09:01:01,R_1e,8\n"
             "2023-11-06 09:00:00,2023-11-06 09:01:00,2023-11-06 09:01:01,R_1f,6\n")


def test_a_qualtrics_response_without_a_date_is_rejected_on_its_own_file_line_and_rows_in_counts_responses():
    parsed = parsed_text(NAMES + QUESTIONS + IDS + RESPONSES, "survey.csv")
    acc = parsed.accounting
    # 6 responses below 3 header lines: rows in 6 = used 5 + rejected 1 (the header lines are no rows)
    assert (acc.rows_in, acc.rows_used, acc.rows_rejected) == (6, 5, 1)
    # line 1 names, 2 questions, 3 import ids, 4 R_1a, 5 R_1b: the rejected response is line 5
    assert acc.rejected["line"].tolist() == [5]


def test_a_qualtrics_export_with_two_header_lines_names_its_first_response_line_3():
    # names (line 1) and import ids (line 2), no question texts: responses on lines 3 .. 8; R_1b (line 4) rejected
    parsed = parsed_text(NAMES + IDS + RESPONSES, "survey.csv")
    acc = parsed.accounting
    assert (acc.rows_in, acc.rows_used, acc.rows_rejected) == (6, 5, 1)
    assert acc.rejected["line"].tolist() == [4]


def test_qualtrics_dates_are_read_in_denver_time_across_daylight_saving():
    parsed = parsed_text(NAMES + QUESTIONS + IDS + RESPONSES, "survey.csv")
    stamps = sorted(parsed_rows(parsed)["timestamp"].dropna().unique())
    # 22 Feb 11:00 MST (UTC-7) = 18:00 UTC; 23 Feb 08:00 MST = 15:00 UTC; 1 Jul 10:00 MDT (UTC-6) = 16:00 UTC;
    # 15 Mar 09:00 MDT = 15:00 UTC; 6 Nov 09:00 MST = 16:00 UTC
    # (whether the timestamp is StartDate or a later column, the earliest of each response is its StartDate; the
    # events may carry StartDate or RecordedDate: both are checked by the hour, to the minute of the column)
    hours = {(pd.Timestamp(s).tz_convert("UTC").month, pd.Timestamp(s).tz_convert("UTC").day,
              pd.Timestamp(s).tz_convert("UTC").hour) for s in stamps}
    assert hours == {(2, 22, 18), (2, 23, 15), (7, 1, 16), (3, 15, 15), (11, 6, 16)}


def test_the_older_insights_layouts_import_ids_are_header_and_name_no_time_zone():
    # {'ImportId': 'startDate'} (single quotes, no time zone): lines 2 and 3 are header; dates read as written (UTC)
    ids = "\"{'ImportId': 'startDate'}\",\"{'ImportId': 'endDate'}\",\"{'ImportId': 'recordedDate'}\"," \
          "\"{'ImportId': '_recordId'}\",\"{'ImportId': 'QID1'}\"\n"
    parsed = parsed_text(NAMES + QUESTIONS + ids + RESPONSES, "survey.csv")
    acc = parsed.accounting
    # 6 responses, R_1b (line 5) without a date: 6 = 5 + 1
    assert (acc.rows_in, acc.rows_used, acc.rows_rejected) == (6, 5, 1)
    assert acc.rejected["line"].tolist() == [5]
    stamps = parsed_rows(parsed)["timestamp"].dropna()
    # 22 Feb 11:00 as written (UTC): the earliest response
    assert pd.Timestamp(stamps.min()).tz_convert("UTC") == pd.Timestamp("2023-02-22 11:00", tz="UTC")
