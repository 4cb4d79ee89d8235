"""The loader's fast paths give exactly what the slower general code gave: out-of-order counts (NumPy
instead of a window query), duplicate rows, and the cell work on Arrow-backed text."""

import ibis
import numpy as np
import pandas as pd

from cjm import engine
from cjm.data.dataset import out_of_order_per_file


def _frame(customers, stamps, files) -> pd.DataFrame:
    return pd.DataFrame({
        "row_id": np.arange(len(customers), dtype="int64"),
        "customer_id": pd.Series(customers, dtype="string"),
        "timestamp": pd.to_datetime(pd.Series(stamps, dtype=object), utc=True).astype("datetime64[us, UTC]"),
        "_file": np.asarray(files, dtype="int32"),
    })


def _window_query(frame: pd.DataFrame) -> dict[int, int]:
    """What the loader computed before: a lag window in the engine, per file."""
    table = engine.register(frame)
    previous = table.timestamp.lag().over(ibis.window(group_by="customer_id", order_by="row_id"))
    late = table.mutate(_late=(table.timestamp < previous).fill_null(False).cast("int64"))
    counts = engine.execute(late.group_by("_file").agg(n=late._late.sum()))
    return {int(f): int(n) for f, n in zip(counts["_file"], counts["n"]) if n}


def test_rows_earlier_than_the_same_customers_previous_row_are_counted_in_the_file_of_the_later_row():
    # c1: 02 -> 01 (late, file 0) -> 03 -> 02 (late, file 1); c2: 05 -> null -> 04 (a null is never
    # compared, so 04 follows null: not late); c3 alone; a missing id is a customer of its own: 09 -> 08 late
    frame = _frame(
        ["c1", "c1", "c2", "c2", None, "c1", "c3", "c2", "c1", None],
        ["2024-01-02", "2024-01-01", "2024-01-05", None, "2024-01-09", "2024-01-03", "2024-01-01",
         "2024-01-04", "2024-01-02", "2024-01-08"],
        [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    assert out_of_order_per_file(frame) == {0: 1, 1: 2}
    assert _window_query(frame) == {0: 1, 1: 2}


def test_out_of_order_counts_agree_with_the_window_query_on_random_files():
    rng = np.random.default_rng(7)
    for size in (0, 1, 2, 50, 3000):
        customers = rng.choice(["a", "b", "c", " d", "D", "", None, "e" * 30], size=size).tolist()
        stamps = [None if rng.random() < 0.1 else f"2024-01-{rng.integers(1, 4):02d}T{rng.integers(0, 3):02d}:00"
                  for _ in range(size)]
        files = np.sort(rng.integers(0, 3, size=size))
        frame = _frame(customers, stamps, files)
        assert out_of_order_per_file(frame) == _window_query(frame)


# Cells that test the edges of trimming, tokens and case (Unicode spaces, look-alike letters, tokens inside
# longer text, zero-padded and 18-digit ids).
TRICKY = [" NA ", "\tnull\n", "N/A", "#N/A", "NaN", "nan ", "-", "?", "<NA>", "NaT", "Nil", "NONE", "", "   ",
          None, "00017", " 570306133677760513 ", "\u00a0x\u00a0", "\u2003em\u2003", "\u200bzw", "ＮＡ", "İ", "K",
          "none-", "nanette", "customer none", "émile", "x\x1f", "a b", "--", "n/a/", "12.0"]


def _pandas_ids(values: pd.Series) -> pd.Series:
    """to_id_strings as pandas' own str methods compute it (the code before the Arrow path)."""
    out = values.astype("string").str.strip()
    text = out.str.strip()
    missing = text.isna().to_numpy(dtype=bool, copy=True)
    short = ~missing & (text.str.len() <= 5).to_numpy(dtype=bool, na_value=False)
    missing[short] = text[short].str.lower().isin({"", "na", "n/a", "#n/a", "null", "none", "nan", "-", "?",
                                                   "nil", "<na>", "nat"}).to_numpy(dtype=bool)
    return out.mask(pd.Series(missing, index=out.index))


def test_ids_are_trimmed_and_tokens_are_missing_exactly_as_pandas_string_methods_do_it():
    from cjm.data.cells import missing_tokens, to_id_strings

    cells = pd.Series(TRICKY, dtype="string", name="user")
    ids = to_id_strings(cells)
    pd.testing.assert_series_equal(ids, _pandas_ids(cells))
    assert ids.name == "user" and ids.dtype == pd.StringDtype()
    assert ids.tolist()[:17] == [pd.NA] * 15 + ["00017", "570306133677760513"]
    assert ids.tolist()[17:21] == ["x", "em", "\u200bzw", "ＮＡ"]  # Unicode spaces trimmed; others are text
    assert missing_tokens(cells).tolist() == [True] * 15 + [False] * (len(TRICKY) - 15)


def test_ids_from_object_cells_and_from_several_arrow_chunks_match_the_pandas_path():
    from cjm.data.cells import to_id_strings

    mixed = pd.Series([17, " a ", None, "NA", 2.5, "x"], dtype=object, index=[5, 3, 9, 1, 0, 2])
    pd.testing.assert_series_equal(to_id_strings(mixed), _pandas_ids(mixed))
    chunked = pd.concat([pd.Series(TRICKY[:10], dtype="string"), pd.Series(TRICKY[10:], dtype="string")],
                        ignore_index=True)
    pd.testing.assert_series_equal(to_id_strings(chunked), _pandas_ids(chunked))
    assert to_id_strings(pd.Series([], dtype="string")).tolist() == []


def test_text_cells_are_trimmed_and_only_empty_ones_become_missing():
    from cjm.data.cells import trimmed_text

    cells = pd.Series(TRICKY, dtype="string", index=range(100, 100 + len(TRICKY)))
    expected = cells.str.strip()
    expected = expected.mask(expected == "")
    text = trimmed_text(cells)
    pd.testing.assert_series_equal(text, expected)
    assert text.tolist()[:3] == ["NA", "null", "N/A"] and text.isna().sum() == 3  # "", "   " and None


def test_python_held_strings_take_the_pandas_path_with_the_same_tokens():
    from cjm.data.cells import to_id_strings

    cells = pd.Series([" NA ", "a", None, " b "], dtype=pd.StringDtype("python"))
    assert to_id_strings(cells).tolist() == [pd.NA, "a", pd.NA, "b"]


def test_duplicates_found_through_key_columns_are_exactly_pandas_duplicated_rows():
    from cjm.data.dataset import duplicated_rows

    # rows 0, 2, 5 are equal (2 and 5 are the later copies); row 3 shares the keys of row 0 but not its
    # event; rows 4 and 6 are equal with missing keys (6 is the copy); row 7 repeats no key
    frame = pd.DataFrame({"id": ["a", "b", "a", "a", None, "a", None, "c"],
                          "time": ["1", "1", "1", "1", None, "1", None, "2"],
                          "event": ["x", "x", "x", "y", "z", "x", "z", "x"]}, dtype="string")
    expected = [False, False, True, False, False, True, True, False]
    assert duplicated_rows(frame, keys=["id", "time"]).tolist() == expected
    assert duplicated_rows(frame).tolist() == expected
    assert not duplicated_rows(frame.iloc[[0, 1, 7]], keys=["id", "time"]).any()


def test_duplicates_with_and_without_keys_agree_with_pandas_on_random_text():
    from cjm.data.dataset import duplicated_rows

    rng = np.random.default_rng(3)
    for size in (1, 2, 40, 5000):
        frame = pd.DataFrame({c: rng.choice(["a", "b", "", None, "a "], size=size).tolist() for c in "pqrs"},
                             dtype="string", index=rng.permutation(size) + 10)
        expected = frame.duplicated()
        for keys in (None, ["p"], ["p", "q"], ["q", "p", "q", "missing"], list("pqrs")):
            pd.testing.assert_series_equal(duplicated_rows(frame, keys=keys), expected)


def test_a_cell_longer_than_a_parsing_block_is_read_whole():
    from cjm.data.io import load_table

    long_cell = "word " * 500_000  # 2.5 MB, longer than the 1 MB blocks pyarrow parses at a time
    text = f'id,note\na,"{long_cell}"\nb,short\n'
    raw = load_table(text.encode(), name="notes.csv")
    assert raw.frame["note"].tolist() == [long_cell, "short"] and raw.rows_in == 2 and raw.rejected.empty


def test_a_file_of_many_blocks_with_multiline_cells_and_bad_rows_reads_as_in_one_block():
    from cjm.data.io import load_table
    from cjm.data.io import text as reader

    lines, wide_at, line = ["id,when,note"], [], 2  # line: the physical line the next record starts on
    for i in range(150_000):
        note = f'"line one\nline two of {i}"' if i % 7 == 0 else f"note {i}"
        wide = i % 9_999 == 0
        lines.append(f"c{i % 500},2024-01-{1 + i % 28:02d},{note}" + (",extra" if wide else ""))
        wide_at += [line] if wide else []
        line += 2 if i % 7 == 0 else 1
    data = ("\n".join(lines) + "\n").encode()
    assert len(data) > 3 * reader._BLOCK
    raw = load_table(data, name="many.csv")
    one_block = reader._BLOCK
    try:
        reader._BLOCK = reader._LARGE_BLOCK
        whole = load_table(data, name="many.csv")
    finally:
        reader._BLOCK = one_block
    pd.testing.assert_frame_equal(raw.frame, whole.frame)
    pd.testing.assert_frame_equal(raw.rejected, whole.rejected)
    assert len(raw.frame) == 150_000 - 16 and raw.frame["note"].iloc[0] == "note 1"
    assert raw.rejected["line"].tolist() == wide_at and wide_at[:2] == [2, 2 + 9_999 + 1_429]


def test_the_mapping_samples_the_first_present_values_of_a_column_as_before():
    from cjm.data.columns import _sample

    for values, dtype in (([None, "a", None, "b", "c", None, "d"], "string"), ([None, 1.5, np.nan, 2.0, 3.0], "float64"),
                          ([None, "x", 3, None, pd.NA, "y"], object), ([None, None], "string"), ([], "string")):
        series = pd.Series(values, dtype=dtype, index=range(10, 10 + len(values)))
        for n in (0, 2, 500):
            pd.testing.assert_series_equal(_sample(series, n), series.dropna().head(n))
    assert _sample(pd.Series([None, "a", None, "b", "c"], dtype="string"), 2).tolist() == ["a", "b"]
    sparse = pd.Series([None] * 30_000 + ["x"] + [None] * 5_000 + ["y"] * 600, dtype="string")  # beyond the first heads
    for n in (1, 2, 500, 700):
        pd.testing.assert_series_equal(_sample(sparse, n), sparse.dropna().head(n))


def test_events_and_customers_per_event_are_what_the_engine_counts():
    from cjm.data.dataset import event_counts

    def engine_counts(frame):
        table = engine.register(frame)
        counts = engine.execute(table.group_by("event").agg(events=table.count(),
                                                            customers=table.customer_id.nunique()))
        return counts.sort_values(["events", "event"], ascending=[False, True], ignore_index=True)

    # view: 3 events by a, a, b -> 2 customers; cart: 2 events by b and a missing id -> 1 customer;
    # buy: 1 event by c; a missing event is a group of its own (2 events by a and c)
    frame = pd.DataFrame({"customer_id": pd.Series(["a", "a", "b", "b", None, "c", "a", "c"], dtype="string"),
                          "event": pd.Series(["view", "view", "view", "cart", "cart", "buy", None, None],
                                             dtype="string")})
    counts = event_counts(frame)
    assert counts["event"].fillna("<missing>").tolist() == ["view", "cart", "<missing>", "buy"]
    assert counts[["events", "customers"]].to_numpy().tolist() == [[3, 2], [2, 1], [2, 2], [1, 1]]
    pd.testing.assert_frame_equal(counts, engine_counts(frame))
    rng = np.random.default_rng(5)
    for size in (0, 1, 4000):
        frame = pd.DataFrame({"customer_id": pd.Series(rng.choice(["a", "b", "c", None], size).tolist(), dtype="string"),
                              "event": pd.Series(rng.choice(["x", "y", "z", "zz"], size).tolist(), dtype="string")})
        pd.testing.assert_frame_equal(event_counts(frame), engine_counts(frame))


def test_only_two_characters_outside_ascii_lower_case_into_it_so_short_means_at_most_five_bytes():
    # The token search looks at cells of at most 5 bytes (not characters). A cell that lower-cases to a
    # token (all ASCII, at most 4 characters) has at most 4 bytes: "İ" -> "i" (2 bytes) and the Kelvin
    # sign -> "k" are the only characters from outside ASCII that lower-case into it.
    import pyarrow as pa
    import pyarrow.compute as pc

    from cjm.data.cells import MISSING_TOKENS, to_id_strings

    points = [chr(i) for i in range(128, 0x110000) if not 0xD800 <= i < 0xE000]
    lowered = pc.utf8_lower(pa.array(points)).to_pylist()
    assert {c: low for c, low in zip(points, lowered) if low.isascii()} == {"\u0130": "i", "\u212a": "k"}
    assert max(map(len, MISSING_TOKENS)) == 4 and not any("k" in t for t in MISSING_TOKENS)
    cells = pd.Series(["NİL", "nİl ", "Nİİ", "İ", "\u212a", "nİlx", "ÑA"], dtype="string")
    pd.testing.assert_series_equal(to_id_strings(cells), _pandas_ids(cells))
    assert to_id_strings(cells).isna().tolist() == [True, True, False, False, False, False, False]


def test_repeated_hashes_are_every_copy_of_a_value_that_occurs_twice_or_more():
    from cjm.data.dataset import _repeated

    # 5 and 2**40 + 5 share their low 20 bits: only 5 repeats
    hashes = np.array([5, 2**40 + 5, 9, 5, 7, 9, 9, 2**64 - 1], dtype=np.uint64)
    assert _repeated(hashes).tolist() == [True, False, True, True, False, True, True, False]
    rng = np.random.default_rng(11)
    for size, spread in ((0, 1), (1, 1), (1000, 2**64 - 1), (1000, 500), (50_000, 2**30)):
        hashes = rng.integers(0, spread, size=size, dtype=np.uint64, endpoint=True)
        assert _repeated(hashes).tolist() == pd.Series(hashes).duplicated(keep=False).tolist()


def test_ids_are_unique_only_when_no_id_repeats_anywhere():
    from cjm.data.dataset import _unique

    ids = pd.Series([f"c{i}" for i in range(20_000)], dtype="string")
    assert _unique(ids)
    assert not _unique(pd.concat([ids, pd.Series(["c5"], dtype="string")], ignore_index=True))  # repeat at the end
    assert not _unique(pd.Series(["a", "a"] + [f"c{i}" for i in range(20_000)], dtype="string"))  # at the start


def test_numbers_read_from_arrow_cells_equal_those_read_from_python_held_cells():
    from cjm.data.cells import parse_numbers

    columns = [["12.", ".5", "+5", "1e3", " 0.1 ", None, "", "2.5", "-0.0"], ["-0", "10", "-00"], ["-0", "1.5"],
               ["1e400", "4"], ["١٢", "3"], ["1,5", "2"], ["n/a", "3", None], [None, None], ["  ", "7"]]
    for cells in columns:
        arrow, by_python = pd.Series(cells, dtype="string"), pd.Series(cells, dtype=pd.StringDtype("python"))
        (numbers, bad), (expected, expected_bad) = parse_numbers(arrow), parse_numbers(by_python)
        np.testing.assert_array_equal(numbers.to_numpy(), expected.to_numpy())
        assert np.signbit(numbers.to_numpy()).tolist() == np.signbit(expected.to_numpy()).tolist()
        assert bad.tolist() == expected_bad.tolist()
    numbers, bad = parse_numbers(pd.Series(["12.", " .5 ", None, "", "-0.0"], dtype="string"))
    np.testing.assert_array_equal(numbers.to_numpy(), [12.0, 0.5, np.nan, np.nan, -0.0])
    assert np.signbit(numbers.iloc[4]) and not bad.any()


def test_duplicates_among_typed_cells_are_exactly_pandas_duplicated_rows():
    from cjm.data.dataset import duplicated_rows

    # -0.0 equals 0.0, NaN equals NaN and NaT equals NaT for pandas: rows 1, 3 and 5 are later copies
    frame = pd.DataFrame({"id": pd.Series(["a", "a", "b", "b", None, None], dtype="str"),
                          "amount": [0.0, -0.0, np.nan, np.nan, 1.5, 1.5],
                          "n": np.array([1, 1, 2, 2, 3, 3], dtype="int64"),
                          "ok": [True, True, False, False, True, True],
                          "when": pd.to_datetime(["2024-01-01", "2024-01-01", None, None, "2024-01-02",
                                                  "2024-01-02"], utc=True)})
    assert duplicated_rows(frame, keys=["id"]).tolist() == [False, True, False, True, False, True]
    rng = np.random.default_rng(9)
    for size in (1, 50, 4000):
        typed = pd.DataFrame({"s": pd.Series(rng.choice(["x", "y", None], size).tolist(), dtype="string"),
                              "f": rng.choice([0.0, -0.0, np.nan, 2.5], size),
                              "f32": rng.choice([0.0, -0.0, np.nan], size).astype("float32"),
                              "i": rng.integers(0, 3, size),
                              "t": pd.to_datetime(rng.choice(["2024-01-01", None], size).tolist())})
        for keys in (None, ["s"], ["f", "t"]):
            pd.testing.assert_series_equal(duplicated_rows(typed, keys=keys), typed.duplicated())
    mixed = pd.DataFrame({"v": pd.Series([1, 1.0, True, "1"], dtype=object)})  # 1 == 1.0 == True for pandas
    assert duplicated_rows(mixed).tolist() == mixed.duplicated().tolist() == [False, True, True, False]


def test_quotes_are_counted_as_bytes_count_counts_them():
    from cjm.data.io.text import _quotes

    for text in (b"", b'"', b'a,"b"\n"c', '"é"\n'.encode() * 1000):
        assert _quotes(text, step=7) == _quotes(text) == text.count(b'"')


def test_timestamp_text_is_trimmed_with_blanks_as_nulls_with_or_without_blank_cells():
    import pyarrow as pa
    import pyarrow.compute as pc

    from cjm.data.timestamps import _as_text

    for cells in ([" 2024-01-01 ", "", "  ", None, "x"], ["2024-01-01", None, " a"], []):
        text = pc.utf8_trim_whitespace(pa.array(cells, type=pa.large_string()))
        before = pc.if_else(pc.equal(text, ""), pa.scalar(None, text.type), text)  # the formula it replaces
        assert _as_text(pd.Series(cells, dtype="string")).to_pylist() == before.to_pylist()
    assert _as_text(pd.Series([" 2024-01-01 ", "", "  ", None], dtype="string")).to_pylist() == [
        "2024-01-01", None, None, None]
