"""Freshdesk ticket exports, tried on a real public export and here on a few invented tickets in its real shape.

Real export tried: a firm's Freshdesk ticket export of 21 tickets, 29 columns, saved twice (github
zyn10/Freshdesk-Ticket-Insights, "Monthly Reporter/Requirements/80000422910_tickets-February-04-2025-12_12.xls" and
the same tickets as "...(Sheet1).csv"). Freshdesk's "Excel" export is no binary .xls but an Excel 2003 XML workbook
(SpreadsheetML): `<?xml version="1.0"?>`, `<ss:Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">`, a
`<ss:Row>` a ticket, each cell `<ss:Data ss:Type="String">...`. Wrong before: the XML was read as delimited text,
1,945 lines of one column, one rejected ('line 1832 has 2 fields'), and each of the other 1,944 lines a respondent
with one 'session' event: 1,944 customers, no dates, no funnel. After: the same 21 tickets as the CSV, 9 contacts
(Contact ID), 31 events (21 'ticket created' + 10 'initial response', as plain pandas counts the filled 'Created
time' and 'Initial response time' cells), every time to the second ("2025-01-08T15:00:06").
The same repository's Fresh_Desk_Tickets_December.xlsx (the export opened in Excel, pivot tables on its first ten
sheets) was read from its first sheet, a pivot table: see the tests below. And its one satisfaction survey answer
('Survey results': "Slightly dissatisfied") was not read: now a score of -1/3 (Freshdesk's seven-point scale).

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cjm.data.io import load_table
from cjm.errors import FileFormatError, ParameterError
from tests.helpers import parsed_rows, parsed_text


def _cell(value, kind="String", extra=""):
    return f'<ss:Cell{extra}><ss:Data ss:Type="{kind}">{value}</ss:Data></ss:Cell>'


def _row(*cells):
    return "<ss:Row>" + "".join(cells) + "</ss:Row>\n"


HEAD = ('<?xml version="1.0"?>\n<ss:Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"\n'
        '  xmlns:o="urn:schemas-microsoft-com:office:office"\n'
        '  xmlns:x="urn:schemas-microsoft-com:office:excel"\n'
        '  xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"\n'
        '  xmlns:html="http://www.w3.org/TR/REC-html40">\n')
COLUMNS = ("Ticket ID", "Subject", "Status", "Source", "Created time", "Initial response time", "Contact ID")

# Three tickets of two contacts, the way Freshdesk writes them: Ann's first ticket is answered the same morning,
# her second not yet (its response cell is left out: the next cell says where it stands with ss:Index); Bo's one
# ticket is answered the next day.
TICKETS = (
    HEAD + '  <ss:Worksheet ss:Name="Sheet1">\n    <ss:Table>\n'
    + _row(*(_cell(c) for c in COLUMNS))
    + _row(_cell(19381, "Number"), _cell("Login fails"), _cell("Resolved"), _cell("Email"),
           _cell("2025-01-08T09:00:06", "DateTime"), _cell("2025-01-08T10:30:00", "DateTime"),
           _cell("ann@x.com"))
    + _row(_cell(19388, "Number"), _cell("Export &amp; report broken"), _cell("Open"), _cell("Email"),
           _cell("2025-01-09T14:00:00", "DateTime"), _cell("ann@x.com", extra=' ss:Index="7"'))
    + _row(_cell(19418, "Number"), _cell("Invoice missing"), _cell("Pending"), _cell("Portal"),
           _cell("2025-01-10T16:00:00", "DateTime"), _cell("2025-01-11T09:15:00", "DateTime"),
           _cell("bo@y.com"))
    + "    </ss:Table>\n  </ss:Worksheet>\n</ss:Workbook>\n"
)


def test_a_freshdesk_excel_export_is_read_as_its_workbook_not_as_lines_of_xml():
    # 3 tickets, 7 columns, with Excel's own types: the id a number, the times datetimes, "&amp;" read as "&". The
    # second ticket's empty 'Initial response time' (skipped with ss:Index="7") is empty, its contact in column 7.
    # Before: 25 lines of XML, each a row of one column.
    raw = load_table(TICKETS.encode(), name="tickets.xls")
    assert raw.frame.columns.tolist() == list(COLUMNS)
    assert (raw.rows_in, raw.sheet, raw.sheets) == (3, "Sheet1", ("Sheet1",))
    assert raw.frame["Ticket ID"].tolist() == [19381, 19388, 19418]
    assert raw.frame["Subject"].iloc[1] == "Export & report broken"
    assert raw.frame["Created time"].iloc[0] == dt.datetime(2025, 1, 8, 9, 0, 6)
    assert pd.isna(raw.frame["Initial response time"].iloc[1])
    assert raw.frame["Contact ID"].tolist() == ["ann@x.com", "ann@x.com", "bo@y.com"]


def test_a_freshdesk_excel_export_gives_the_tickets_contacts_and_response_events():
    # Customers: ann@x.com and bo@y.com = 2. Events: 3 tickets created + 2 first responses (Ann's first ticket at
    # 10:30, Bo's on 11 Jan 09:15; Ann's second has none) = 5, as the real export gave 21 + 10 = 31.
    parsed = parsed_text(TICKETS, "80000422910_tickets.xls")
    rows = parsed_rows(parsed)
    assert rows["customer_id"].nunique() == 2
    assert len(rows) == 5
    assert sorted(rows["timestamp"]) == [
        pd.Timestamp("2025-01-08 09:00:06", tz="UTC"), pd.Timestamp("2025-01-08 10:30:00", tz="UTC"),
        pd.Timestamp("2025-01-09 14:00:00", tz="UTC"), pd.Timestamp("2025-01-10 16:00:00", tz="UTC"),
        pd.Timestamp("2025-01-11 09:15:00", tz="UTC")]


def test_a_sheet_of_an_excel_2003_xml_workbook_is_chosen_by_name_and_a_wrong_name_lists_the_sheets():
    # Two sheets: 'Summary' (a count: two rows, one cell each) first, 'Tickets' second. Asked for 'Tickets': its 3 rows; asked for
    # 'Nope': the two names are listed. Not asked: the first sheet with anything in it, as for .xlsx.
    book = (HEAD + '<ss:Worksheet ss:Name="Summary"><ss:Table>' + _row(_cell("Tickets")) + _row(_cell(3, "Number"))
            + "</ss:Table></ss:Worksheet>"
            + TICKETS[len(HEAD):].replace('ss:Name="Sheet1"', 'ss:Name="Tickets"'))
    assert load_table(book.encode(), name="book.xml", sheet="Tickets").frame.shape == (3, 7)
    assert load_table(book.encode(), name="book.xml").sheet == "Summary"
    with pytest.raises(ParameterError, match="'Summary', 'Tickets'"):
        load_table(book.encode(), name="book.xml", sheet="Nope")


def test_an_excel_2003_xml_workbook_declaring_entities_or_broken_is_refused_with_a_plain_message():
    # An entity declaration (the way to blow a few bytes up into gigabytes) is never in such a workbook: refused
    # before parsing. A workbook cut off mid-row: named damaged, with what to do.
    bomb = TICKETS.replace('<?xml version="1.0"?>\n', '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n')
    with pytest.raises(FileFormatError, match="Excel 2003 XML workbook .* entities"):
        load_table(bomb.encode(), name="tickets.xls")
    with pytest.raises(FileFormatError, match="damaged or incomplete.*save it as an Excel workbook"):
        load_table(TICKETS[: TICKETS.index("Invoice")].encode(), name="tickets.xls")


# A ticket export opened in Excel and summarised: pivot tables on the first sheets, the tickets on a later one (the
# real workbook tried, Fresh_Desk_Tickets_December.xlsx in the same repository: 10 pivot sheets, then
# 'Master_data_Dec' with 59 tickets of 27 contacts, 170 filled Created / Resolved / Closed / Initial response cells).
# Before: the first sheet, a pivot table, was read: 119 rows of counts, each a 'respondent' with a 'session', no
# dates. After: 'Master_data_Dec', 59 tickets, 27 contacts, 170 events, as pandas reads that sheet.
PIVOT = [[None, None], ["Row Labels", "Count of Status"], ["Resolved", 2], ["Open", 1], ["Grand Total", 3]]
TABLE = [["Ticket ID", "Subject", "Status", "Source", "Created time", "Initial response time", "Contact ID"],
         [1, "Login fails", "Resolved", "Email", "2024-12-02 09:14:43", "2024-12-02 10:39:33", "ann@x.com"],
         [2, "Silo offline", "Open", "Portal", "2024-12-03 14:44:23", None, "bo@y.com"],
         [3, "Report empty", "Resolved", "Email", "2024-12-04 08:00:00", "2024-12-04 09:30:00", "ann@x.com"]]


def test_a_workbook_whose_first_sheets_are_pivot_tables_is_read_from_its_table_and_says_so():
    # 'Summary' and 'By status' are pivot tables ("Row Labels" ... "Grand Total"): passed over for 'Tickets', 3
    # tickets of 2 contacts; events 3 created + 2 first responses = 5. The note names the sheets passed over.
    from tests.fixtures_io import xlsx

    book = xlsx({"Summary": PIVOT, "By status": PIVOT, "Tickets": TABLE})
    raw = load_table(book, name="Fresh_Desk_Tickets_December.xlsx")
    assert (raw.sheet, raw.rows_in) == ("Tickets", 3)
    assert any("'Summary', 'By status'" in note and "pivot tables" in note for note in raw.notes)
    from cjm.data.dataset import SourceFile, parse_files

    rows = parsed_rows(parse_files([SourceFile("Fresh_Desk_Tickets_December.xlsx", book)]))
    assert (rows["customer_id"].nunique(), len(rows)) == (2, 5)


def test_a_pivot_sheet_asked_for_by_name_is_read_and_a_workbook_of_pivots_only_reads_its_first():
    # Asked for, the pivot sheet is read as it is; in a workbook of pivot tables only, the first, with no note.
    from tests.fixtures_io import xlsx

    book = xlsx({"Summary": PIVOT, "Tickets": TABLE})
    assert load_table(book, name="book.xlsx", sheet="Summary").sheet == "Summary"
    only = load_table(xlsx({"Summary": PIVOT, "Other": PIVOT}), name="pivots.xlsx")
    assert (only.sheet, only.notes) == ("Summary", ())


# The ticket export's "Survey results": the answer to the satisfaction survey sent with the ticket (the real export
# has one, "Slightly dissatisfied", on ticket 20132). Before: the column was no score (its name unknown, its words no
# numbers), so that answer was left out of the sentiment.
SURVEYED = ("Ticket ID,Subject,Status,Source,Created time,Initial response time,Survey results,Contact ID\n"
            "1,Login fails,Resolved,Email,08/01/2025 09:00,08/01/2025 10:30,Extremely satisfied,ann@x.com\n"
            "2,Export broken,Resolved,Email,09/01/2025 14:00,09/01/2025 15:00,Slightly dissatisfied,ann@x.com\n"
            "3,Invoice missing,Resolved,Portal,10/01/2025 16:00,11/01/2025 09:15,,bo@y.com\n"
            "4,Report empty,Closed,Email,12/01/2025 08:00,12/01/2025 08:30,Very satisfied,bo@y.com\n")


def test_freshdesk_survey_results_are_the_customers_answers_on_its_seven_point_scale():
    # Freshdesk's seven answers, 103 .. -103 in its API, read in steps of a third on -1..+1: Extremely satisfied +1,
    # Very satisfied +2/3, Slightly dissatisfied -1/3; ticket 3 has no answer. Mean of the three: (1 + 2/3 - 1/3) / 3
    # = 4/9 (a score, not a CSAT: the scale is -1..+1).
    parsed = parsed_text(SURVEYED, "tickets.csv")
    assert parsed.files[0].mapping.columns["score"] == "Survey results"
    # each answer once, on its ticket's last event (the first response), in file order
    scores = parsed_rows(parsed)["score"].dropna()
    assert scores.tolist() == pytest.approx([1.0, -1 / 3, 2 / 3])
    assert scores.mean() == pytest.approx(4 / 9)
    assert parsed.files[0].score_scale == "polarity"


@pytest.mark.parametrize("answers, values", [
    (["Awesome", "Just Okay", "Not Good"], [1.0, 0.0, -1.0]),  # the classic survey
    (["Extremely Happy", "Happy", "Very Unhappy"], [1.0, 1 / 3, -2 / 3]),  # the scale as the API names it
])
def test_freshdesks_other_survey_answers_are_read_too(answers, values):
    from cjm.data.labels import label_values

    read, unreadable = label_values(pd.Series(answers, dtype="string"))
    assert read.tolist() == pytest.approx(values)
    assert not unreadable.any()
