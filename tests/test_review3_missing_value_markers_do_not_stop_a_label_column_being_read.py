"""Review 3: a label column is read as -1 / 0 / +1 only when 95% of its present cells are labels
(cjm/data/labels.py). Missing-value markers that the number reader also treats as no value ("N/A", "null",
"-": cjm.data.columns._NOT_A_NUMBER) count as present there, so an export with 10% "N/A" loses every label:
all 18 labels become unreadable cells and the Sentiment page finds no scores."""

import math

import pandas as pd

from cjm.data.labels import label_values


def test_labels_with_ten_percent_n_a_cells_are_still_read_as_labels():
    cells = pd.Series(["negative"] * 9 + ["positive"] * 9 + ["N/A", "null"])
    read = label_values(cells)
    assert read is not None
    values, _ = read
    assert values.iloc[:18].tolist() == [-1.0] * 9 + [1.0] * 9
    assert math.isnan(values.iloc[18]) and math.isnan(values.iloc[19])
