"""Bad uploads: each gives a FileFormatError (or ParameterError for a bad option) whose message names
the problem and the fix in plain words; never a traceback, never a half-read table."""

from __future__ import annotations

import pytest

from cjm.errors import CJMError, FileFormatError, ParameterError
from cjm.data.io import load_path, load_table
from tests import fixtures_io as fx


def failure(data: bytes, name: str = "upload.csv", error=FileFormatError, **options) -> str:
    with pytest.raises(error) as caught:
        load_table(data, name=name, **options)
    message = str(caught.value)
    assert isinstance(caught.value, CJMError)
    assert "Traceback" not in message and "\n" not in message
    assert name.split("/")[-1] in message or error is ParameterError
    return message


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t  \n", b"\xef\xbb\xbf", "\n \n".encode("utf-16")])
def test_an_empty_or_blank_file_says_it_is_empty(data):
    assert "is empty" in failure(data)


def test_a_header_only_file_says_it_has_column_names_but_no_rows():
    message = failure(b"customer_id,timestamp,event\n")
    assert "has column names (customer_id, timestamp, event) but no rows" in message


def test_a_header_only_excel_sheet_says_it_has_column_names_but_no_rows():
    message = failure(fx.xlsx({"S": [["customer_id", "event"]]}), name="x.xlsx")
    assert "but no rows" in message


def test_a_png_image_named_csv_says_it_is_an_image():
    message = failure(fx.png(), name="photo.csv")
    assert "is a PNG image, not a table" in message


def test_random_bytes_named_csv_say_the_file_is_binary():
    message = failure(fx.random_bytes(), name="data.csv")
    assert "binary data" in message


def test_text_with_nul_bytes_says_the_file_is_binary():
    assert "binary data" in failure(b"id,event\n1,view\x00\x00\x01\x02\x00junk\n" * 20)


def test_a_truncated_xlsx_says_the_workbook_is_damaged_or_incomplete():
    data = fx.xlsx({"Orders": [["id", "amount"]] + [[i, i * 1.5] for i in range(200)]})
    message = failure(data[: len(data) // 2], name="orders.xlsx")
    assert "Excel workbook that is damaged or incomplete" in message
    assert "save it again" in message


def test_a_truncated_gzip_says_the_compressed_file_is_incomplete():
    data = fx.gzipped(fx.delimited(fx.events_rows(500)))
    message = failure(data[: len(data) // 2], name="events.csv.gz")
    assert "gzip-compressed file that is incomplete" in message


def test_a_truncated_zip_says_the_archive_is_damaged():
    data = fx.zipped({"events.csv": fx.delimited(fx.events_rows(500))})
    assert "zip archive that is damaged or incomplete" in failure(data[: len(data) // 2], name="e.zip")


def test_a_truncated_parquet_file_says_it_cannot_be_read():
    import pandas as pd

    data = fx.parquet(pd.DataFrame({"id": [str(i) for i in range(1000)]}))
    assert "Parquet file that cannot be read" in failure(data[: len(data) // 2], name="e.parquet")


def test_a_file_over_the_limit_states_its_size_the_limit_and_how_to_raise_it():
    message = failure(b"id,event\n" + b"1,view\n" * 400_000, max_bytes=1024 * 1024)
    assert "is 2.7 MB, larger than the upload limit of 1 MB" in message
    assert "server.maxUploadSize" in message and "Split it" in message


def test_load_path_refuses_a_file_over_the_limit_before_reading_it(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"id\n" + b"1\n" * 1000)
    with pytest.raises(FileFormatError, match="larger than the upload limit"):
        load_path(path, max_bytes=100)


def test_a_missing_path_says_it_cannot_be_opened(tmp_path):
    with pytest.raises(FileFormatError, match="cannot open"):
        load_path(tmp_path / "nope.csv")


def test_a_gzip_bomb_is_stopped_at_four_times_the_limit():
    data = fx.gzipped(b"id\n" + b"1\n" * 3_000_000)
    assert "unpacks to more than" in failure(data, name="bomb.csv.gz", max_bytes=1_000_000)


def test_a_repeated_column_name_is_told_apart_by_its_position_and_said():
    # was: the file refused ("two columns named 'date': columns 2 and 4 ... rename one of them"); now it loads, the
    # second 'date' read as 'date (column 4)', and the note names both columns
    table = load_table(b"id,date,event,date\n1,2024-01-01,view,2024-01-02\n", name="upload.csv")
    assert list(table.frame.columns) == ["id", "date", "event", "date (column 4)"]
    assert table.frame["date (column 4)"].tolist() == ["2024-01-02"]
    assert table.notes == ("Columns with the same name (capitals aside) are told apart by their position: 'date' "
                           "(column 4) repeats 'date' (column 2) and is read as 'date (column 4)'. Check the mapping "
                           "below uses the one you mean.",)


def test_column_names_that_differ_only_in_capitals_are_told_apart_too():
    # SQL engines read names without their case: 'Date' and 'date' would be one column there
    table = load_table(b"Date,event,date\n1,view,2\n", name="upload.csv")
    assert list(table.frame.columns) == ["Date", "event", "date (column 3)"]
    assert "'date' (column 3) repeats 'Date' (column 1)" in table.notes[0]


def test_repeated_column_names_in_excel_are_told_apart_too():
    table = load_table(fx.xlsx({"S": [["id", "id"], [1, 2]]}), name="x.xlsx")
    assert list(table.frame.columns) == ["id", "id (column 2)"]
    assert table.frame.iloc[0].tolist() == [1, 2]


def test_a_renamed_repeat_never_takes_the_name_of_another_column():
    # 'a (column 3)' already names column 2: the repeat of 'a' in column 3 becomes 'a (column 3) (column 3)'
    table = load_table(b"a,a (column 3),a\n1,2,3\n", name="upload.csv")
    assert list(table.frame.columns) == ["a", "a (column 3)", "a (column 3) (column 3)"]


def test_a_200_character_header_is_called_a_probable_title_line():
    title = "Quarterly customer export prepared by the analytics team " * 4
    message = failure((title[:200] + "\n1\n2\n").encode())
    assert "200 characters of text" in message
    assert "probably a title line or notes above the table" in message
    assert "Delete the lines above the column names" in message


def test_a_short_title_line_above_the_table_makes_every_row_too_wide_and_says_so():
    data = b"Sales report\n" + fx.delimited(fx.events_rows(3))
    message = failure(data)
    assert "None of the 4 rows" in message
    assert "line 2 has 4 fields, the header has 1" in message
    assert "title or notes above the table" in message


def test_a_title_cell_with_empty_neighbours_above_a_csv_table_is_refused():
    data = b"Export of 2024-01-05,,\n" + fx.delimited([["id", "event", "channel"], ["1", "view", "web"]])
    message = failure(data)
    assert 'single cell ("Export of 2024-01-05") above a table of 3 columns' in message


def test_long_survey_questions_as_column_names_are_kept():
    question = "How likely are you to recommend us to a friend or colleague, and what is the main reason " * 2
    table = load_table(f'id,"{question}",score\n1,great,9\n'.encode(), name="survey.csv")
    assert table.frame.columns[1] == question.strip()


def test_a_title_row_above_an_excel_table_is_refused():
    rows = [["Orders 2024"], ["id", "event", "amount"], [1, "view", 2.0]]
    message = failure(fx.xlsx({"S": rows}), name="x.xlsx")
    assert "looks like a title" in message


def test_some_rows_with_too_many_fields_are_rejected_not_fatal():
    table = load_table(b"id,event\n1,view\n2,cart,x\n", name="ok.csv")
    assert len(table.frame) == 1 and len(table.rejected) == 1


def test_invalid_json_names_the_position_of_the_error():
    message = failure(b'[{"id": 1}, {"id": 2,,}]', name="events.json")
    assert "is not valid JSON" in message and "line 1, column 22" in message


def test_a_json_list_of_plain_values_says_it_needs_records():
    assert "not of records" in failure(b"[1, 2, 3]", name="values.json")


def test_json_lines_with_no_object_at_all_are_refused():
    assert "is a JSON object" in failure(b"{oops\n{nope\n", name="x.jsonl")


def test_an_empty_json_list_says_there_are_no_rows():
    assert "no rows" in failure(b"[]", name="x.json")


def test_a_zip_without_a_data_file_lists_what_it_contains():
    data = fx.zipped({"photo.png": fx.png(), "notes.docx": b"PK"})
    message = failure(data, name="bundle.zip")
    assert "zip archive without a data file" in message and "photo.png" in message


def test_an_xlsx_whose_sheets_are_all_empty_names_them():
    message = failure(fx.xlsx({"Sheet1": [], "Sheet2": [[None, "  "]]}), name="empty.xlsx")
    assert "sheets ('Sheet1', 'Sheet2') are all empty" in message


def test_an_unknown_sheet_name_lists_the_sheets():
    data = fx.xlsx({"Orders": [["id"], [1]]})
    message = failure(data, name="x.xlsx", error=ParameterError, sheet="Order")
    assert "no sheet named 'Order'" in message and "'Orders'" in message


def test_an_old_xls_workbook_asks_for_xlsx_or_csv():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    assert "old-style Excel 97-2003 workbook (.xls)" in failure(data, name="old.xls")


def test_a_quote_that_is_never_closed_names_its_line():
    message = failure(b'id,comment\n1,fine\n2,"this never ends\n3,more\n')
    assert "quote (\") that is never closed" in message and "line 3" in message


def test_an_encoding_that_does_not_fit_names_the_byte_and_its_line():
    data = "id,city\n1,Zürich\n".encode("cp1252")
    message = failure(data, encoding="utf-8")
    assert "cannot be read as utf-8 text: byte 0xfc on line 2" in message


def test_an_unknown_encoding_name_is_a_parameter_error():
    failure(b"id\n1\n", error=ParameterError, encoding="klingon")


def test_a_delimiter_of_several_characters_is_a_parameter_error():
    failure(b"id\n1\n", error=ParameterError, delimiter="::")


def test_a_file_packed_twice_is_refused():
    data = fx.gzipped(fx.gzipped(fx.delimited(fx.events_rows(2))))
    assert "packed twice" in failure(data, name="x.csv.gz.gz")
