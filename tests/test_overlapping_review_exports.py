"""Two review exports whose windows overlap hold some reviews twice: a review id an earlier file holds is set aside,
with its reason, so every review counts once. Figures worked out by hand beside them."""

from __future__ import annotations

from cjm.data.dataset import REVIEW_AGAIN, SourceFile, parse_files
from tests.helpers import parsed_rows

HEADER = "reviewId,userName,content,score,at\n"
OCTOBER = HEADER + "gp:1,Amit Kumar,Great,5,2023-10-13 02:31:22\ngp:2,Matt Larson,Ok,4,2023-10-30 01:00:00\n"
NOVEMBER = HEADER + "gp:2,Matt Larson,Ok,4,2023-10-30 01:00:00\ngp:3,Jo Li,Fine,4,2023-11-10 01:00:00\n"


def _parsed(*files):
    return parse_files([SourceFile(name, text.encode()) for name, text in files])


def test_a_review_in_two_exports_is_read_once_and_the_second_copy_is_set_aside_with_its_line():
    # 4 rows in: gp:1, gp:2 (oct.csv), gp:2 again (nov.csv line 2: set aside), gp:3 -> 3 used, 1 rejected
    parsed = _parsed(("oct.csv", OCTOBER), ("nov.csv", NOVEMBER))
    accounting = parsed.accounting
    assert (accounting.rows_in, accounting.rows_used, accounting.rows_rejected) == (4, 3, 1)
    assert accounting.rejected[["file", "line", "reason"]].values.tolist() == [["nov.csv", 2, REVIEW_AGAIN]]
    assert len(parsed_rows(parsed)) == 3
    assert [f.rows_used for f in parsed.files] == [2, 1]


def test_the_same_review_ids_in_one_file_are_left_to_the_duplicate_rule():
    # one export holding gp:2 twice, identical: the duplicate row rule sets the copy aside (not the review id rule)
    parsed = _parsed(("oct.csv", OCTOBER + "gp:2,Matt Larson,Ok,4,2023-10-30 01:00:00\n"))
    assert parsed.accounting.reasons == {"duplicate row (every column equals an earlier row)": 1}


def test_exports_without_review_ids_are_read_as_before():
    # no reviewId column: two rows of two files are two reviews, even when alike (nothing says they are one)
    october = "userName,content,score,at\nMatt Larson,Ok,4,2023-10-30 01:00:00\n"
    parsed = _parsed(("oct.csv", october), ("nov.csv", october))
    assert parsed.accounting.rows_used == 2 and parsed.accounting.rows_rejected == 0
