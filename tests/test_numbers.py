import numpy as np
import pandas as pd

from cjm.data.cells import parse_numbers, to_id_strings


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
