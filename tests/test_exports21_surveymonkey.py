"""SurveyMonkey response exports (Analyze results -> Save as -> Export file -> All individual responses, CSV or
XLSX), tried on a real public export and here on a few invented responses in its real shape.

Real export tried: 86 responses of a civic group's candidate questionnaire (github
Greater-Greater-Washington/GGWash-ANC-Tool-2026, data/responses.csv), 38 columns, its two header lines as
SurveyMonkey writes them: the questions, then under each column "Response", "Open-Ended Response" or the choice
the column holds ("Name", "Email"). Wrong before: that second line was read as one more respondent: 87 respondents,
and 87 comments of which one was the words "Open-Ended Response". After: 86 respondents and 86 comments, as plain
pandas counts the rows below the two header lines.
A customer-feedback survey in the same layout (invented below) showed two more defects: its second header line,
blank under Email Address, was rejected as a row with a 'missing customer id'; and the Net Promoter question, a
column named "How likely is it that you would recommend us to a friend or colleague?" holding 0..10, was not read as
a score at all (no NPS). After: no row rejected, and the NPS of its answers.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pytest

from cjm import report
from cjm.data.columns import nps_question
from cjm.data.dataset import build_dataset
from tests.helpers import parsed_rows, parsed_text

NPS_QUESTION = "How likely is it that you would recommend us to a friend or colleague?"
# Three responses; the second header line is blank under SurveyMonkey's own fields, "Response" under the NPS question,
# "Open-Ended Response" under the comment, and the choice under each column of a multiple-choice question.
EXPORT = (
    "Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,Custom Data 1,"
    f'"{NPS_QUESTION}",What is the main reason for your score?,Which of our products do you use?,\n'
    ",,,,,,,,,Response,Open-Ended Response,App,Website\n"
    "114035117101,431237846,01/15/2024 10:03:11 AM,01/15/2024 10:05:40 AM,203.0.113.7,ann@x.com,,,,10,"
    "Fast delivery and friendly staff,App,\n"
    "114035117102,431237846,01/15/2024 11:20:00 AM,01/15/2024 11:21:02 AM,203.0.113.8,bo@y.com,,,,6,"
    "The app keeps crashing,App,Website\n"
    "114035117103,431237846,01/16/2024 09:00:00 AM,01/16/2024 09:04:10 AM,203.0.113.9,cy@z.com,,,,9,,,Website\n"
)


def test_surveymonkeys_second_header_line_is_no_respondent():
    # 3 responses, none rejected; the note says why line 2 is not one. Before: 4 rows in, line 2 rejected as
    # 'missing customer id' (it has no e-mail address).
    parsed = parsed_text(EXPORT, "Sheet_1.csv")
    report_ = parsed.files[0]
    assert (report_.rows_in, report_.rows_used) == (3, 3)
    assert any("SurveyMonkey" in note for note in report_.notes)
    rows = parsed_rows(parsed)
    assert sorted(rows["customer_id"].unique()) == ["ann@x.com", "bo@y.com", "cy@z.com"]


def test_an_open_ended_answer_column_holds_no_open_ended_response_comment():
    # The export tried has no e-mail: each row is a respondent. Two answers; before, a third "comment" was the words
    # "Open-Ended Response" of line 2.
    text = ("Respondent ID,Comments,Your role\n"
            ",Open-Ended Response,Response\n"
            ",Faster replies please,Owner\n"
            ",Nothing really,Manager\n")
    rows = parsed_rows(parsed_text(text, "responses.csv"))
    assert rows["text"].tolist() == ["Faster replies please", "Nothing really"]


def test_the_net_promoter_question_as_a_column_name_is_the_nps_score():
    # Answers 10, 6, 9 on 0..10: promoters (9-10) 2, detractors (0-6) 1, NPS = (2 - 1) / 3 = 33.3. Before: no score
    # column (the question is no known name), so no NPS.
    parsed = parsed_text(EXPORT, "Sheet_1.csv")
    assert parsed.files[0].mapping.columns["score"] == NPS_QUESTION
    overall = report.build_report(build_dataset(parsed))["sentiment"]["overall"]
    assert overall["scale"] == "nps10"
    assert overall["nps_n"] == 3
    assert overall["nps"] == pytest.approx(100 / 3)


@pytest.mark.parametrize("name", [
    NPS_QUESTION, "Q1 - On a scale of 0-10, how likely are you to recommend Acme?",
    "Quelle est la probabilité que vous recommandiez notre entreprise ?",
    "Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?",
    "¿Qué probabilidad hay de que recomiende nuestra empresa?",
])
def test_the_net_promoter_question_is_known_in_its_usual_wordings(name):
    assert nps_question(name)


@pytest.mark.parametrize("name", ["Would you recommend us? Why?", "recommendation", "How likely are you to return?"])
def test_other_questions_are_no_net_promoter_question(name):
    assert not nps_question(name)
