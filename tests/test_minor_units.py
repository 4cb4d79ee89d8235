"""Money written in minor units beside its amount as shown (cjm.data.minor_units): a money column whose
'<name>_formatted' / '<name>_display' twin shows every row's amount divided by 100 is read in the twin's units, on
upload and in place, with a note; a twin that does not (a zero-decimal currency, another figure) changes nothing."""

from __future__ import annotations

import pandas as pd

from cjm.data.minor_units import shown_instead
from cjm.data.dataset import load_dataset
from cjm.data.source import dataset_from_files
from tests.export_files import assert_in_place_as_uploaded, csv_text, write_export


def test_cents_beside_their_dollars_as_shown_are_read_in_dollars_on_both_paths(tmp_path):
    # a: 1250 cents shown "$12.50", b: 399 shown "$3.99": revenue 12.50 + 3.99 = 16.49 (before: 1,649)
    text = csv_text(["customer", "created_at", "total", "total_formatted"],
                    [["a", "2026-05-01 10:00", "1250", "$12.50"], ["b", "2026-05-02 10:00", "399", "$3.99"]])
    path = write_export(tmp_path, "orders.csv", text)
    uploaded = load_dataset([path])
    assert uploaded.files[0].mapping.columns["revenue"] == "total_formatted"
    in_place = dataset_from_files(path, mapping=uploaded.files[0].mapping)
    assert_in_place_as_uploaded(uploaded, in_place, (2, 2, {}, 2, 16.49))
    for dataset in (uploaded, in_place):
        assert any("'total' holds them in minor units (cents)" in n for n in dataset.files[0].notes)


def test_a_twin_showing_the_same_figure_or_another_changes_nothing():
    # JPY has no minor unit: 2164 shown "¥2,164" is 2,164 yen; a "_display" of other figures is no proof
    yen = pd.DataFrame({"total": ["2164", "500"], "total_formatted": ["¥2,164", "¥500"]})
    assert shown_instead(yen, "total") is None
    mixed = pd.DataFrame({"Amount": ["1250", "399"], "Amount Display": ["$12.50", "$399.00"]})
    assert shown_instead(mixed, "Amount") is None
    zero = pd.DataFrame({"total": ["0"], "total_formatted": ["$0.00"]})
    assert shown_instead(zero, "total") is None
    cents = pd.DataFrame({"Amount": ["1250", ""], "Amount Display": ["$12.50", ""]})
    assert shown_instead(cents, "Amount") == "Amount Display"
