import numpy as np
import pandas as pd

from cjm.data.cells import missing_tokens, parse_numbers, to_id_strings


def test_decimal_commas_and_thousands_separators_are_read_as_numbers():
    values, bad = parse_numbers(pd.Series(["1.234,56", "12,5", "", "7"], dtype="string"))
    assert values.tolist()[:2] == [1234.56, 12.5] and np.isnan(values[2]) and values[3] == 7
    assert not bad.any()
    values, _ = parse_numbers(pd.Series(["1,234.56", "$ 99.90", "2,000"], dtype="string"))
    assert values.tolist() == [1234.56, 99.9, 2000.0]


def test_text_that_is_not_a_number_is_flagged_not_guessed():
    values, bad = parse_numbers(pd.Series(["3", "n/a", None], dtype="string"))
    assert values[0] == 3 and np.isnan(values[1]) and bad.tolist() == [False, True, False]


def test_zero_padded_and_18_digit_ids_stay_exactly_as_written():
    ids = to_id_strings(pd.Series(["00001", "570306133677760513", " 42 "], dtype="string"))
    assert ids.tolist() == ["00001", "570306133677760513", "42"]


def test_whole_floats_from_spreadsheets_become_integer_ids():
    assert to_id_strings(pd.Series([12.0, 7.0, None])).tolist()[:2] == ["12", "7"]


def test_plain_numbers_are_read_exactly_as_the_general_path_reads_them():
    cells = pd.Series(["12.", ".5", "+5", "-0", "1e3", "1E-3", "007", " 0.1 ", None, "", "2.5"], dtype="string")
    numbers, bad = parse_numbers(cells)
    expected = [12.0, 0.5, 5.0, -0.0, 1000.0, 0.001, 7.0, 0.1, np.nan, np.nan, 2.5]
    np.testing.assert_array_equal(numbers.to_numpy(), expected)
    assert not bad.any()
    general, _ = parse_numbers(pd.concat([cells, pd.Series(["$1"], dtype="string")], ignore_index=True))
    np.testing.assert_array_equal(general.to_numpy(), expected + [1.0])


def test_one_cell_that_is_not_plain_sends_the_column_through_the_decimal_comma_path():
    numbers, bad = parse_numbers(pd.Series(["1,5", "2", "3,25"], dtype="string"))
    assert numbers.tolist() == [1.5, 2.0, 3.25] and not bad.any()


def test_an_overflowing_plain_number_is_unreadable_not_infinite():
    numbers, bad = parse_numbers(pd.Series(["1e400", "4"], dtype="string"))
    assert np.isnan(numbers.iloc[0]) and numbers.iloc[1] == 4.0
    assert bad.tolist() == [True, False]


def test_missing_tokens_are_whole_short_cells_in_any_case_and_long_cells_are_never_missing():
    cells = pd.Series([" NA ", "N/A", "#n/a", "NULL", "none", "-", "?", "<NA>", None, "",
                       "NAN-42", "nanette", "customer none", "x"], dtype="string")
    assert missing_tokens(cells).tolist() == [True] * 10 + [False] * 4


def test_digits_of_other_scripts_are_unreadable_as_before_not_read_as_numbers():
    # the general path (pd.to_numeric) reads only ASCII digits: "١٢" (Arabic-Indic 12), "１２" (full-width 12)
    # and "৩" (Bengali 3) are left empty and counted, the ASCII cells are read
    for cells in (["١٢", "3"], ["１２", "3"], ["৩", "3"]):
        numbers, bad = parse_numbers(pd.Series(cells, dtype="string"))
        assert np.isnan(numbers.iloc[0]) and numbers.iloc[1] == 3.0
        assert bad.tolist() == [True, False]


def test_minus_zero_keeps_the_sign_the_general_path_gives_it():
    # all whole numbers: pd.to_numeric reads "-0" as the integer 0, so +0.0; beside a decimal it is -0.0
    whole, _ = parse_numbers(pd.Series(["-0", "10", "-00"], dtype="string"))
    assert whole.tolist() == [0.0, 10.0, 0.0] and not np.signbit(whole.to_numpy()).any()
    mixed, _ = parse_numbers(pd.Series(["-0", "1.5"], dtype="string"))
    assert mixed.tolist() == [0.0, 1.5] and np.signbit(mixed.to_numpy()).tolist() == [True, False]
