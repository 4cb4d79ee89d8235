"""Reading every supported format, compression and encoding into a RawTable."""

from __future__ import annotations

import string

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cjm.data.io import MAX_UPLOAD_BYTES, RawTable, load_path, load_table, sniff_encoding
from cjm.data.io.encoding import script_score
from tests import fixtures_io as fx
from tests.helpers import real_file

EVENTS = fx.events_rows(5)


def assert_all_text(table: RawTable) -> None:
    assert all(str(dtype) == "string" for dtype in table.frame.dtypes), table.frame.dtypes


def assert_accounts_for_every_row(table: RawTable) -> None:
    assert table.rows_in == len(table.frame) + len(table.rejected)
    assert list(table.rejected.columns) == ["line", "reason", "raw"]


# --- delimited text ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("delimiter", "fmt"), [(",", "csv"), ("\t", "tsv"), (";", "semicolon"), ("|", "pipe")]
)
def test_each_delimiter_is_recognised_and_every_column_stays_text(delimiter, fmt):
    table = load_table(fx.delimited(EVENTS, delimiter=delimiter), name="events.txt")
    assert table.format == fmt
    assert table.delimiter == delimiter
    assert table.has_header
    assert list(table.frame.columns) == EVENTS[0]
    assert table.frame["customer_id"].tolist() == ["00001", "00002", "00003", "00004", "00005"]
    assert table.frame["order_id"].iloc[0] == "570306133677760513"
    assert table.rows_in == 5
    assert_all_text(table)


def test_zero_padded_and_18_digit_ids_survive_byte_for_byte():
    rows = [["id", "tweet_id", "amount"], ["00017", "570306133677760513", "0012.50"], ["0", "000", "1e5"]]
    table = load_table(fx.delimited(rows), name="ids.csv")
    assert table.frame.iloc[0].tolist() == ["00017", "570306133677760513", "0012.50"]
    assert table.frame.iloc[1].tolist() == ["0", "000", "1e5"]


def test_empty_cells_become_missing_but_words_like_NA_and_null_stay_text():
    table = load_table(b"id,note,flag\n1,,NA\n2,null,\n3,N/A,FALSE\n", name="x.csv")
    assert table.frame["note"].isna().tolist() == [True, False, False]
    assert table.frame["note"].tolist()[1:] == ["null", "N/A"]
    assert table.frame["flag"].tolist()[0] == "NA"
    assert pd.isna(table.frame["flag"].iloc[1])


def test_a_semicolon_file_with_decimal_commas_is_split_on_semicolons_and_keeps_the_commas():
    data = b"customer;revenue;share\n17;1.234,50;0,5\n18;99,95;0,25\n19;12;1\n"
    table = load_table(data, name="eu.csv")
    assert table.format == "semicolon"
    assert table.frame["revenue"].tolist() == ["1.234,50", "99,95", "12"]


def test_delimiters_inside_quotes_do_not_split_fields():
    data = b'id,comment,score\n1,"late, but fine",4\n2,"""quoted"", she said",5\n'
    table = load_table(data, name="q.csv")
    assert table.frame["comment"].tolist() == ["late, but fine", '"quoted", she said']


def test_quoted_fields_spanning_several_lines_with_emojis_stay_one_field():
    data = 'id,text\n1,"first line\nsecond line 😀"\n2,"a\r\nb ✈️"\n3,plain\n'.encode()
    table = load_table(data, name="tweets.csv")
    assert table.frame["text"].tolist() == ["first line\nsecond line 😀", "a\r\nb ✈️", "plain"]
    assert table.rows_in == 3


def test_header_names_may_hold_quoted_delimiters_and_line_breaks():
    table = load_table(b'"id, internal","first\nseen",event\n00017,2024-01-05,view\n00018,,cart\n', name="x.csv")
    assert list(table.frame.columns) == ["id, internal", "first\nseen", "event"]
    assert table.frame["id, internal"].tolist() == ["00017", "00018"]
    assert_all_text(table)


def test_windows_line_endings_are_not_part_of_the_last_column():
    table = load_table(fx.delimited(EVENTS, newline="\r\n"), name="crlf.csv")
    assert table.frame["event"].tolist() == ["purchase"] * 5


def test_the_caller_can_override_the_delimiter():
    data = b"a,b;c,d\n1,2;3,4\n"
    assert load_table(data, name="x.csv", delimiter=";").frame.columns.tolist() == ["a,b", "c,d"]
    assert load_table(data, name="x.csv", delimiter=",").frame.columns.tolist() == ["a", "b;c", "d"]


def test_header_names_are_trimmed_and_blank_names_get_their_position():
    table = load_table(b" id , ,event\n1,x,view\n", name="x.csv")
    assert list(table.frame.columns) == ["id", "column_2", "event"]


def test_a_single_column_file_reads_as_one_column():
    table = load_table(b"customer_id\n001\n002\n", name="ids.csv")
    assert table.frame["customer_id"].tolist() == ["001", "002"]


# --- header detection and the whitespace format --------------------------------------------------

CDNOW_LIKE = (
    b" customer_id  date number_of_cds  dollar_value\r\n"
    b" 00001 19970101  1   11.77\r\n"
    b" 00002 19970112  1   12.00\r\n"
    b" 00002 19970112  5   77.00\r\n"
)


def test_whitespace_text_with_a_header_line_reads_the_names_and_keeps_padded_ids():
    table = load_table(CDNOW_LIKE, name="cdnow.txt")
    assert table.format == "whitespace"
    assert table.has_header
    assert list(table.frame.columns) == ["customer_id", "date", "number_of_cds", "dollar_value"]
    assert table.frame["customer_id"].tolist() == ["00001", "00002", "00002"]
    assert table.frame["dollar_value"].tolist() == ["11.77", "12.00", "77.00"]
    assert_all_text(table)


def test_whitespace_text_without_a_header_gets_numbered_column_names():
    data = b" 00001 19970101  1   11.77\n 00002 19970112  1   12.00\n 00003 19970102  2   20.76\n"
    table = load_table(data, name="cdnow_no_header.txt")
    assert table.format == "whitespace"
    assert not table.has_header
    assert list(table.frame.columns) == ["column_1", "column_2", "column_3", "column_4"]
    assert table.frame["column_1"].tolist() == ["00001", "00002", "00003"]
    assert table.rows_in == 3


def test_a_csv_whose_first_row_is_numbers_like_the_rest_has_no_header():
    data = b"00017,2024-01-05,purchase,19.90\n00018,2024-01-06,view,0\n"
    table = load_table(data, name="no_header.csv")
    assert not table.has_header
    assert table.frame["column_1"].tolist() == ["00017", "00018"]


def test_the_caller_can_say_whether_there_is_a_header():
    data = b"alice,view\nbob,cart\n"
    assert load_table(data, name="x.csv").frame.columns.tolist() == ["alice", "view"]
    table = load_table(data, name="x.csv", has_header=False)
    assert table.frame["column_1"].tolist() == ["alice", "bob"]
    assert table.rows_in == 2
    forced = load_table(b"1,2\n3,4\n", name="x.csv", has_header=True)
    assert forced.frame.columns.tolist() == ["1", "2"]


# --- rows of the wrong width ---------------------------------------------------------------------

def test_a_row_with_too_many_fields_is_rejected_with_its_line_and_the_rest_is_read():
    data = b"id,event,channel\n1,view,web\n2,cart,web,EXTRA,MORE\n3,purchase,app\n"
    table = load_table(data, name="x.csv")
    assert table.frame["id"].tolist() == ["1", "3"]
    assert table.rows_in == 3
    assert table.rejected["line"].tolist() == [3]
    assert table.rejected["reason"].iloc[0] == "line 3 has 5 fields, the header has 3"
    assert table.rejected["raw"].iloc[0] == "2,cart,web,EXTRA,MORE"
    assert_accounts_for_every_row(table)


def test_line_numbers_of_rejected_rows_count_physical_lines_after_multi_line_fields_and_blank_lines():
    data = b'id,text\r\n1,"two\r\nlines"\r\n\r\n2,b,c\r\n3,ok\r\n'
    table = load_table(data, name="x.csv")
    assert table.rejected["line"].tolist() == [5]
    assert table.frame["id"].tolist() == ["1", "3"]


def test_a_row_with_too_few_fields_is_padded_with_empty_cells_in_its_place():
    data = b"id,event,channel\n1,view,web\n2,cart\n3,purchase,app,x\n4,view,app\n"
    table = load_table(data, name="x.csv")
    assert table.frame["id"].tolist() == ["1", "2", "4"]
    assert pd.isna(table.frame["channel"].iloc[1])
    assert table.rejected["line"].tolist() == [4]
    assert_accounts_for_every_row(table)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=30))
def test_short_rows_are_padded_in_place_and_long_rows_rejected_whatever_their_mix(widths):
    rows = [[f"r{i}c{j}" for j in range(w)] for i, w in enumerate(widths)]
    data = fx.delimited([["a", "b", "c"]] + rows)
    kept = [r + [None] * (3 - len(r)) for r in rows if len(r) <= 3]
    long_lines = [i + 2 for i, r in enumerate(rows) if len(r) > 3]
    if not kept:
        return  # every row too wide: covered by the bad-input tests
    table = load_table(data, name="mix.csv", has_header=True)
    assert [[None if pd.isna(v) else v for v in row] for row in table.frame.values.tolist()] == kept
    assert table.rejected["line"].tolist() == long_lines
    assert_accounts_for_every_row(table)


def test_rejected_raw_text_is_cut_to_200_characters():
    data = b"a,b\n1,2\n" + b",".join([b"x" * 50] * 6) + b"\n"
    table = load_table(data, name="x.csv")
    assert len(table.rejected["raw"].iloc[0]) == 200


def test_a_whitespace_row_with_too_many_fields_is_rejected_too():
    data = b"id date n\n1 20240101 2\n2 20240102 3 4\n3 20240103 1\n"
    table = load_table(data, name="x.txt")
    assert table.rejected["reason"].tolist() == ["line 3 has 4 fields, the header has 3"]
    assert table.frame["id"].tolist() == ["1", "3"]


def test_a_stray_quote_inside_a_field_is_kept_as_text():
    table = load_table(b'id,product\n1,5" screen\n2,cable\n', name="x.csv")
    assert table.frame["product"].tolist() == ['5" screen', "cable"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(
            st.text(alphabet=string.ascii_letters + string.digits + ',;"\n\t 😀покупкаخرید', max_size=12),
            min_size=3,
            max_size=3,
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_table_written_by_pandas_reads_back_cell_for_cell(cells):
    original = pd.DataFrame(cells, columns=["customer_id", "event", "note"])
    data = original.to_csv(index=False).encode("utf-8")
    table = load_table(data, name="roundtrip.csv", delimiter=",", has_header=True)
    expected = original.replace("", None).astype("string")
    pd.testing.assert_frame_equal(table.frame, expected, check_dtype=False)
    assert table.rows_in == len(original)


# --- encodings -----------------------------------------------------------------------------------

RUSSIAN = ["покупка", "отзыв", "Доставка была быстрой"]
ARABIC = ["شراء", "خدمة ممتازة", "العميل"]
PERSIAN = ["خرید", "مشتری", "پرداخت"]  # with the Persian yeh (U+06CC): not in Windows-1256
PERSIAN_1256 = ["خريد", "مشتري", "پرداخت", "گزارش", "چک"]  # Windows-1256 spells yeh with the Arabic letter
WESTERN = ["José", "Müller", "Straße", "café crème"]


def _word_table(words: list[str]) -> list[list[str]]:
    return [["customer_id", "event"]] + [[f"{i:05d}", w] for i, w in enumerate(words, start=1)]


@pytest.mark.parametrize(
    ("words", "encoding"),
    [
        (RUSSIAN, "cp1251"),
        (ARABIC, "cp1256"),
        (PERSIAN_1256, "cp1256"),
        (WESTERN, "cp1252"),
        (RUSSIAN + ARABIC + PERSIAN + WESTERN, "utf-8"),
        (RUSSIAN + ARABIC + PERSIAN + WESTERN, "utf-16"),
    ],
)
def test_words_in_each_encoding_come_through_intact_and_the_encoding_is_reported(words, encoding):
    data = fx.delimited(_word_table(words), encoding=encoding)
    table = load_table(data, name="words.csv")
    assert table.encoding == encoding
    assert table.frame["event"].tolist() == words
    assert table.frame["customer_id"].iloc[0] == "00001"


@pytest.mark.parametrize("word", ["покупка", "отзыв"])
def test_a_single_russian_word_in_windows_1251_is_recognised(word):
    assert sniff_encoding(f"id,event\n1,{word}\n".encode("cp1251")) == "cp1251"


@pytest.mark.parametrize("word", ["شراء", "خريد", "مشتري"])
def test_a_single_arabic_or_persian_word_in_windows_1256_is_recognised(word):
    assert sniff_encoding(f"id,event\n1,{word}\n".encode("cp1256")) == "cp1256"


@pytest.mark.parametrize("text", ["José", "à", "€5", "“quoted”"])
def test_short_western_text_in_windows_1252_is_not_mistaken_for_cyrillic(text):
    assert sniff_encoding(f"id,name\n1,{text}\n".encode("cp1252")) == "cp1252"


def test_longer_texts_are_recognised_in_each_code_page():
    russian = "Клиент оставил отзыв о покупке. Доставка была быстрой, но упаковка повреждена."
    arabic = "العميل ترك تعليقا على الشراء. كان التوصيل سريعا لكن العبوة تالفة."
    western = "Le client a laissé un avis: très déçu à cause du délai, mais l'équipe était aimable."
    for text, encoding in ((russian, "cp1251"), (arabic, "cp1256"), (western, "cp1252")):
        assert sniff_encoding(f'id,text\n1,"{text}"\n'.encode(encoding)) == encoding


def test_the_script_check_scores_the_right_alphabet_highest():
    assert script_score("покупка отзыв")["cp1251"] == 1.0
    assert script_score("خدمة ممتازة")["cp1256"] == 1.0
    assert script_score("José Müller")["cp1252"] == 1.0
    assert script_score("Josй")["cp1252"] == 0.0


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8-sig", "utf-8-sig"), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
     ("utf-32", "utf-32")],
)
def test_byte_order_marks_and_utf16_without_a_mark_are_recognised(encoding, expected):
    data = "id,event\n00017,خرید покупка\n".encode(encoding)
    assert sniff_encoding(data) == expected
    table = load_table(data, name="x.csv")
    assert table.frame.iloc[0].tolist() == ["00017", "خرید покупка"]
    assert list(table.frame.columns) == ["id", "event"]


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_column_name():
    table = load_table(b"\xef\xbb\xbfID;Year\n1;1957\n", name="bom.csv")
    assert list(table.frame.columns) == ["ID", "Year"]
    assert table.encoding == "utf-8-sig"


def test_the_caller_can_override_the_encoding():
    data = "id,city\n1,Zürich\n".encode("cp1252")
    assert load_table(data, name="x.csv", encoding="latin-1").frame["city"].iloc[0] == "Zürich"
    assert load_table(data, name="x.csv", encoding="cp1251").frame["city"].iloc[0] == "Zьrich"


def test_a_utf8_file_whose_first_non_ascii_byte_is_far_down_is_still_utf8():
    data = b"id,name\n" + b"1,plain\n" * 20000 + "2,покупка\n".encode()
    assert sniff_encoding(data) == "utf-8"


def test_a_cp1251_file_whose_cyrillic_is_far_down_is_still_recognised():
    data = b"id,name\n" + b"1,plain\n" * 20000 + "2,покупка\n".encode("cp1251")
    table = load_table(data, name="x.csv")
    assert table.encoding == "cp1251"
    assert table.frame["name"].iloc[-1] == "покупка"


# --- Excel ---------------------------------------------------------------------------------------

def test_an_xlsx_reads_the_first_non_empty_sheet_and_lists_every_sheet():
    data = fx.xlsx({"Notes": [], "Orders": [["customer_id", "amount"], ["00017", 19.5], ["00018", 5]],
                    "Other": [["x"], [1]]})
    table = load_table(data, name="book.xlsx")
    assert table.format == "xlsx"
    assert table.sheets == ("Notes", "Orders", "Other")
    assert table.sheet == "Orders"
    assert table.encoding is None
    assert table.frame["customer_id"].tolist() == ["00017", "00018"]
    assert table.frame["amount"].tolist() == [19.5, 5]
    assert table.rows_in == 2


def test_an_xlsx_sheet_can_be_chosen_by_name():
    data = fx.xlsx({"A": [["id"], ["1"]], "B": [["customer_id", "event"], ["00017", "view"]]})
    table = load_table(data, name="book.xlsx", sheet="B")
    assert table.sheet == "B"
    assert table.frame.to_dict("list") == {"customer_id": ["00017"], "event": ["view"]}


def test_an_xlsx_keeps_dates_and_numbers_and_skips_blank_rows_and_empty_columns():
    import datetime as dt

    rows = [
        ["id", None, "when", "amount"],
        [1, None, dt.datetime(2024, 1, 5, 10), 2.5],
        [None, None, None, None],
        [2, None, dt.datetime(2024, 1, 6), 3],
    ]
    table = load_table(fx.xlsx({"S": rows}), name="x.xlsx")
    assert list(table.frame.columns) == ["id", "when", "amount"]
    assert table.frame["when"].iloc[0] == pd.Timestamp("2024-01-05 10:00")
    assert table.frame["id"].tolist() == [1, 2]
    assert table.rows_in == 2


def test_an_xlsx_without_a_header_row_gets_numbered_columns():
    table = load_table(fx.xlsx({"S": [[1, 10.5], [2, 3.0]]}), name="x.xlsx")
    assert not table.has_header
    assert list(table.frame.columns) == ["column_1", "column_2"]
    assert table.rows_in == 2


# --- Parquet and JSON ----------------------------------------------------------------------------

def test_a_parquet_file_keeps_its_types_and_a_pandas_index_becomes_a_column():
    frame = pd.DataFrame({"customer_id": ["00017", "00018"], "revenue": [1.5, 2.0]}).set_index("customer_id")
    table = load_table(fx.parquet(frame, index=True), name="x.parquet")
    assert table.format == "parquet"
    assert table.frame["customer_id"].tolist() == ["00017", "00018"]
    assert table.frame["revenue"].tolist() == [1.5, 2.0]
    assert table.compression is None and table.encoding is None


def test_a_json_array_of_records_with_nested_objects_is_flattened():
    records = [{"id": "00017", "event": "purchase", "order": {"total": 19.9, "items": 2}},
               {"id": "00018", "event": "view", "order": {"total": None, "items": 0}, "extra": "x"}]
    table = load_table(fx.json_bytes(records), name="events.json")
    assert table.format == "json"
    assert set(table.frame.columns) == {"id", "event", "order.total", "order.items", "extra"}
    assert table.frame["id"].tolist() == ["00017", "00018"]
    assert table.frame["order.items"].tolist() == [2, 0]
    assert table.rows_in == 2


def test_json_numbers_keep_their_type_and_18_digit_integers_stay_exact():
    table = load_table(b'[{"tweet_id": 570306133677760513, "code": "00017", "score": 4.5}]', name="x.json")
    assert table.frame["tweet_id"].iloc[0] == 570306133677760513
    assert table.frame["code"].iloc[0] == "00017"
    assert table.frame["score"].iloc[0] == 4.5


def test_json_written_by_pandas_in_columns_split_and_table_orients_reads_back():
    frame = pd.DataFrame({"customer_id": ["00017", "00018"], "event": ["view", "cart"]})
    for orient in ("columns", "split", "table", "records"):
        table = load_table(frame.to_json(orient=orient).encode(), name=f"{orient}.json")
        assert table.frame["customer_id"].tolist() == ["00017", "00018"], orient
        assert table.frame["event"].tolist() == ["view", "cart"], orient


def test_a_json_api_envelope_is_unwrapped_to_its_list_of_records():
    document = {"page": 1, "data": [{"id": "a", "n": 1}, {"id": "b", "n": 2}]}
    assert load_table(fx.json_bytes(document), name="api.json").frame["id"].tolist() == ["a", "b"]


def test_a_json_array_item_that_is_not_a_record_is_rejected_with_its_position():
    table = load_table(b'[{"id": "1"}, 42, {"id": "2"}]', name="x.json")
    assert table.frame["id"].tolist() == ["1", "2"]
    assert table.rejected["reason"].tolist() == ["item 2 is a number, not an object with named fields"]
    assert_accounts_for_every_row(table)


def test_json_lines_are_read_and_a_broken_line_is_rejected():
    data = (
        b'{"id": "00017", "event": "view"}\n'
        b'{"id": "00018", "event": \n'
        b"\n"
        b'{"id": "00019", "event": "cart"}\n'
    )
    table = load_table(data, name="events.jsonl")
    assert table.format == "jsonl"
    assert table.frame["id"].tolist() == ["00017", "00019"]
    assert table.rejected["line"].tolist() == [2]
    assert "not valid JSON" in table.rejected["reason"].iloc[0]
    assert table.rows_in == 3


def test_json_lines_are_recognised_by_content_without_the_extension():
    data = fx.json_lines([{"id": 1, "who": {"name": "покупка"}}, {"id": 2, "who": {"name": "خرید"}}])
    table = load_table(data, name="export.txt")
    assert table.format == "jsonl"
    assert table.frame["who.name"].tolist() == ["покупка", "خرید"]


# --- compression ---------------------------------------------------------------------------------

FORMAT_FILES = {
    "events.csv": (lambda: fx.delimited(EVENTS), "csv"),
    "events.tsv": (lambda: fx.delimited(EVENTS, delimiter="\t"), "tsv"),
    "events.xlsx": (lambda: fx.xlsx({"S": EVENTS}), "xlsx"),
    "events.parquet": (lambda: fx.parquet(pd.DataFrame(EVENTS[1:], columns=EVENTS[0])), "parquet"),
    "events.json": (lambda: fx.json_bytes([dict(zip(EVENTS[0], r)) for r in EVENTS[1:]]), "json"),
    "events.jsonl": (lambda: fx.json_lines([dict(zip(EVENTS[0], r)) for r in EVENTS[1:]]), "jsonl"),
}


@pytest.mark.parametrize("filename", sorted(FORMAT_FILES))
@pytest.mark.parametrize("compression", [None, "gzip", "zip"])
def test_every_format_reads_plain_gzipped_and_zipped(filename, compression):
    build, fmt = FORMAT_FILES[filename]
    data, name = build(), filename
    if compression == "gzip":
        data, name = fx.gzipped(data), filename + ".gz"
    elif compression == "zip":
        data, name = fx.zipped({f"export/{filename}": data}), "export.zip"
    table = load_table(data, name=name)
    assert table.format == fmt
    assert table.compression == compression
    assert table.name == name
    assert table.member == (f"export/{filename}" if compression == "zip" else None)
    assert table.frame["customer_id"].tolist() == ["00001", "00002", "00003", "00004", "00005"]
    assert table.rows_in == 5


def test_compression_is_recognised_by_content_even_when_the_name_does_not_say_so():
    table = load_table(fx.gzipped(fx.delimited(EVENTS)), name="events.csv")
    assert (table.compression, table.format, table.rows_in) == ("gzip", "csv", 5)
    assert load_table(fx.xlsx({"S": EVENTS}), name="events.dat").format == "xlsx"


def test_a_zip_with_several_files_reads_the_largest_data_file_and_names_it():
    small = fx.delimited(EVENTS[:2])
    large = fx.delimited(fx.events_rows(40))
    clutter = {"readme.md": b"x" * 10_000, "__MACOSX/._big.csv": b"x"}
    data = fx.zipped({**clutter, "small.csv": small, "big.csv": large})
    table = load_table(data, name="bundle.zip")
    assert table.member == "big.csv"
    assert table.rows_in == 40


# --- reading from disk ---------------------------------------------------------------------------

def test_load_path_reads_a_file_and_uses_its_name(tmp_path):
    path = tmp_path / "events.csv.gz"
    path.write_bytes(fx.gzipped(fx.delimited(EVENTS)))
    table = load_path(path)
    assert table.name == "events.csv.gz"
    assert table.compression == "gzip"
    assert table.rows_in == 5


def test_the_default_upload_limit_is_one_gigabyte():
    assert MAX_UPLOAD_BYTES == 1024**3


# --- real exports (skipped when ../shared/data is absent) ----------------------------------------

def test_real_airline_tweets_keep_multi_line_text_emojis_and_18_digit_ids():
    table = load_path(real_file("airline_tweets.csv"))
    assert table.format == "csv"
    assert len(table.frame) == 14640 and table.rows_in == 14640 and table.rejected.empty
    assert table.frame["tweet_id"].str.len().eq(18).all()
    assert table.frame["text"].str.contains("\n").any()
    assert table.frame["airline_sentiment"].value_counts().to_dict() == {
        "negative": 9178, "neutral": 3099, "positive": 2363
    }
    assert_all_text(table)


def test_real_cdnow_whitespace_file_keeps_zero_padded_ids():
    table = load_path(real_file("cdnow_master.txt"))
    assert table.format == "whitespace"
    assert table.has_header
    assert list(table.frame.columns) == ["customer_id", "date", "number_of_cds", "dollar_value"]
    assert len(table.frame) == 69659
    assert table.frame["customer_id"].iloc[0] == "00001"
    assert table.frame["customer_id"].nunique() == 23570


def test_real_marketing_campaign_is_semicolon_separated_with_a_byte_order_mark():
    table = load_path(real_file("marketing_campaign.csv"))
    assert (table.format, table.encoding, table.delimiter) == ("semicolon", "utf-8-sig", ";")
    assert len(table.frame) == 2240
    assert table.frame.columns[0] == "ID"
    assert table.frame["Income"].isna().sum() == 24


def test_real_online_shoppers_is_semicolon_separated():
    table = load_path(real_file("online_shoppers_intention.csv"))
    assert table.format == "semicolon"
    assert len(table.frame) == 12330
    assert table.frame["Revenue"].eq("TRUE").sum() == 1908


@pytest.mark.parametrize(
    ("path", "rows"),
    [
        ("rees46_2019-Oct-sample.csv", 1000),
        ("olist_marketing_funnel/olist_marketing_qualified_leads_dataset.csv", 8000),
        ("olist_marketing_funnel/olist_closed_deals_dataset.csv", 842),
    ],
)
def test_real_csv_exports_load_with_every_row(path, rows):
    table = load_path(real_file(path))
    assert table.format == "csv"
    assert len(table.frame) == rows == table.rows_in
    assert_all_text(table)
