"""Review 40: cjm's row accounting and customer identity against an independent reading of the same CSV
(tests/review40_reference.py, written from DESIGN.md section 3 and README.md without reading cjm/data/dataset.py).

The promise: rows in = rows used + rows rejected, each rejected row on its true line with a true reason, and the
customers are the ids as written (trimmed): a figure that silently drops rows or merges customers is worse than a
crash. Each hostile file below gives its figures worked out by hand in a comment; the reference must reach them
too, so a wrong reference cannot make a wrong cjm look right.
"""

from __future__ import annotations

import csv
import functools
import io
from pathlib import Path

import pytest

from cjm.data.dataset import SourceFile, load_dataset
from cjm.journey.reach import compute_stage_reach
from tests import review40_reference as ref
from tests.helpers import REAL_DATA

T = "2024-01-05 10:{:02d}:00"


def _t(i: int) -> str:
    return T.format(i)


# ---------------------------------------------------------------------------------------------------------------
# Hostile files: name -> (bytes, reference options, hand figures)
# hand figures: rows in, rows used, {line: set of true reasons} of the rejected rows, number of customers
# ---------------------------------------------------------------------------------------------------------------
CASES: dict[str, tuple[bytes, dict, dict]] = {}


def case(name: str, text: str | bytes, hand: dict, **options) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    CASES[name] = (data, options, hand)


# Leading zeros: 12 rows, all used; 007 (x3), 7 (x2), 0007, 07, 00, 0, 000123, 123, 0123: 9 customers.
case("leading zeros", "customer_id,event,timestamp\n" + "".join(
    f"{i},{e},{_t(m)}\n" for m, (i, e) in enumerate([
        ("007", "view"), ("7", "view"), ("0007", "view"), ("07", "cart"), ("007", "cart"), ("7", "purchase"),
        ("00", "view"), ("0", "view"), ("000123", "view"), ("123", "view"), ("0123", "view"), ("007", "purchase")])),
    dict(rows_in=12, used=12, rejected={}, customers=9))

# Ids that look like floats in a column of whole numbers (README: "123.0 in a column of whole numbers is the id
# 123"): 1.0 1 2.0 2 3 3.00 10 10.0 4 5 -> 1, 2, 3, 10, 4, 5: 10 rows used, 6 customers.
case("float-looking ids in a column of whole numbers", "customer_id,event,timestamp\n" + "".join(
    f"{i},view,{_t(m)}\n" for m, i in enumerate(["1.0", "1", "2.0", "2", "3", "3.00", "10", "10.0", "4", "5"])),
    dict(rows_in=10, used=10, rejected={}, customers=6))

# The same beside ids with a fraction (1.5, 2.50, 2.5): no column of whole numbers, so every id is as written:
# 1.0 1 1.5 2.0 2 2.50 2.5 3 3.0 4: 10 rows used, 10 customers.
case("float-looking ids beside fractions", "customer_id,event,timestamp\n" + "".join(
    f"{i},view,{_t(m)}\n" for m, i in enumerate(["1.0", "1", "1.5", "2.0", "2", "2.50", "2.5", "3", "3.0", "4"])),
    dict(rows_in=10, used=10, rejected={}, customers=10))

# Scientific notation is text as written: 1E5 (x2) 100000 1e5 1.5E3 1500 2E+05 200000 9.99E2 999: 10 rows, 9
# customers (1E5 is not 100000, nor 1e5).
case("scientific notation ids", "customer_id,event,timestamp\n" + "".join(
    f"{i},view,{_t(m)}\n" for m, i in enumerate(
        ["1E5", "100000", "1e5", "1.5E3", "1500", "2E+05", "200000", "1E5", "9.99E2", "999"])),
    dict(rows_in=10, used=10, rejected={}, customers=9))

# Whitespace around ids is trimmed: ' a1', ' a1 ', 'a1', 'a1  ' -> a1; 'b2', '" b2"' -> b2; '  ' -> missing id
# (line 8); 'c3 ', 'c3' -> c3; ' d4' -> d4: 10 rows, 9 used, 1 rejected, 4 customers.
case("whitespace around ids", "customer_id,event,timestamp\n" + "".join(
    f"{i},view,{_t(m)}\n" for m, i in enumerate(
        [" a1", " a1 ", "a1", "a1  ", "b2", '" b2"', "  ", "c3 ", "c3", " d4"])),
    dict(rows_in=10, used=10 - 1, rejected={8: {ref.MISSING_ID}}, customers=4))

# Ids differing only in case are different customers: abc ABC Abc abc XyZ xyz aBc-1 abc-1 ABC-1 Z: 10 rows, 9
# customers (abc twice).
case("ids differing only in case", "customer_id,event,timestamp\n" + "".join(
    f"{i},view,{_t(m)}\n" for m, i in enumerate(
        ["abc", "ABC", "Abc", "abc", "XyZ", "xyz", "aBc-1", "abc-1", "ABC-1", "Z"])),
    dict(rows_in=10, used=10, rejected={}, customers=9))

# A column of e-mail ids is compared in lower case (README): Ann@X.com ann@x.com ANN@X.COM -> 1; bob@y.org
# Bob@Y.org -> 1; c@z.net, C@Z.NET, c@z.net -> 1; d@z.net, e@z.net: 10 rows, 5 customers.
case("e-mail ids differing only in case", "customer_id,event,timestamp\n" + "".join(
    f"{i},view,{_t(m)}\n" for m, i in enumerate(
        ["Ann@X.com", "ann@x.com", "ANN@X.COM", "bob@y.org", "Bob@Y.org", "c@z.net", "C@Z.NET", "c@z.net",
         "d@z.net", "e@z.net"])),
    dict(rows_in=10, used=10, rejected={}, customers=5))

# DESIGN's missing-id tokens and an empty id: 11 rows rejected 'missing customer id' (lines 2-12), never one
# customer; u1, u2, u1 used: 14 rows, 3 used, 2 customers.
_NA = ["NA", "N/A", "#N/A", "null", "NULL", "None", "nan", "NaN", "-", "?", ""]
case("missing-value ids", "customer_id,event,timestamp\n" + "".join(
    f"{i},view,{_t(m)}\n" for m, i in enumerate(_NA + ["u1", "u2", "u1"])),
    dict(rows_in=14, used=3, rejected={line: {ref.MISSING_ID} for line in range(2, 13)}, customers=2))

# Exact duplicates beside an order's line items (DESIGN: "Line items of one order ... are distinct rows"):
# lines 2-4 one row three times (3, 4 duplicates), 5 another product, 6 another quantity (both used); 7, 8 the same
# view (8 duplicate), 9 used; 10, 11 (11 duplicate); 12 NA id, 13 its copy (missing id or duplicate); 14 'soon',
# 15 its copy. 14 rows; used 2, 5, 6, 7, 9, 10 = 6; rejected 8; customers c1, c2, c3 = 3.
case("duplicate rows", "customer_id,event,timestamp,product,qty\n"
     f"c1,purchase,{_t(0)},apple,1\nc1,purchase,{_t(0)},apple,1\nc1,purchase,{_t(0)},apple,1\n"
     f"c1,purchase,{_t(0)},pear,1\nc1,purchase,{_t(0)},apple,2\n"
     f"c2,view,{_t(1)},,\nc2,view,{_t(1)},,\nc2,view,{_t(2)},,\n"
     f"c3,view,{_t(3)},a,1\nc3,view,{_t(3)},a,1\n"
     f"NA,view,{_t(4)},a,1\nNA,view,{_t(4)},a,1\n"
     "c4,view,soon,a,1\nc4,view,soon,a,1\n",
     dict(rows_in=14, used=6, rejected={3: {ref.DUPLICATE}, 4: {ref.DUPLICATE}, 8: {ref.DUPLICATE},
                                        11: {ref.DUPLICATE}, 12: {ref.MISSING_ID},
                                        13: {ref.MISSING_ID, ref.DUPLICATE}, 14: {ref.BAD_TIME},
                                        15: {ref.BAD_TIME, ref.DUPLICATE}}, customers=3))

# Missing and extra delimiters (header: 4 columns). Line 3 has a fifth filled cell, 7 a fifth and sixth, 13 an empty
# fifth (a trailing delimiter): DESIGN has no rule for cells without a column, so they are set aside with that reason
# (else a cell would vanish). Line 4 lacks its product (used), 5 its time (missing timestamp), 6 its event and time,
# 8 an event (missing event), 10 an id; 12 a quoted comma (used). 12 rows; used 2, 4, 9, 11, 12 = 5; customers u1,
# u3, u8, u10, u11 = 5.
case("extra and missing delimiters", "customer_id,event,timestamp,product\n"
     f"u1,view,{_t(1)},a\nu2,view,{_t(2)},a,EXTRA\nu3,view,{_t(3)}\nu4,view\nu5\nu6,view,{_t(6)},a,b,c\n"
     f"u7,,{_t(7)},a\nu8,view,{_t(8)},a\n,view,{_t(9)},a\nu10,view,{_t(10)},a\n"
     f'u11,view,{_t(11)},"a,b"\nu12,view,{_t(12)},a,\n',
     dict(rows_in=12, used=5, rejected={3: {ref.MALFORMED}, 5: {ref.BAD_TIME, ref.MISSING_TIME},
                                        6: {ref.MISSING_EVENT, ref.BAD_TIME, ref.MISSING_TIME},
                                        7: {ref.MALFORMED}, 8: {ref.MISSING_EVENT}, 10: {ref.MISSING_ID},
                                        13: {ref.MALFORMED}},
          customers=5))

# Quoted newlines: a record spans lines; set-aside rows are named by the line they start on. u1 lines 2-3, u2 4-6,
# u3 'soon' 7 (unparseable), u4 8-10, no id 11, u6 12-13, u1 14, u8 no event 15-16, u9 17, u1's first row again
# 18-19 (duplicate). 10 rows; used 6; customers u1, u2, u4, u6, u9 = 5.
case("quoted newlines", "customer_id,event,timestamp,comment\n"
     f'u1,review,{_t(1)},"line one\nline two"\nu2,review,{_t(2)},"a\n\nb"\nu3,review,soon,ok\n'
     f'u4,review,{_t(4)},"x\ny\nz"\n,review,{_t(5)},no id\nu6,review,{_t(6)},"he said ""hi""\nthen left"\n'
     f'u1,review,{_t(7)},plain\nu8,,{_t(8)},"no event\n"\nu9,review,{_t(9)},end\n'
     f'u1,review,{_t(1)},"line one\nline two"\n',
     dict(rows_in=10, used=6, rejected={7: {ref.BAD_TIME}, 11: {ref.MISSING_ID}, 15: {ref.MISSING_EVENT},
                                        18: {ref.DUPLICATE}}, customers=5))

# A UTF-8 BOM before the header and CRLF line ends: the first column is still the customer id. 10 rows: line 5 NA
# (missing id), line 8 a copy of line 2 (duplicate); used 8; customers k1, k2, k3, k4 = 4.
case("BOM and CRLF", ("\ufeffcustomer_id,event,timestamp\r\n" + "".join(
    f"{i},{e},{t}\r\n" for i, e, t in [
        ("k1", "view", _t(1)), ("k2", "view", _t(2)), ("k1", "cart", _t(3)), ("NA", "view", _t(4)),
        ("k3", "view", _t(5)), ("k4", "view", _t(6)), ("k1", "view", _t(1)), ("k2", "purchase", _t(7)),
        ("k3", "purchase", _t(8)), ("k4", "purchase", _t(9))])).encode("utf-8"),
    dict(rows_in=10, used=8, rejected={5: {ref.MISSING_ID}, 8: {ref.DUPLICATE}}, customers=4))

# ';' with decimal commas; ids with a comma or a dot are text ('A,1' and 'A.1' two customers). 10 rows: line 6 a
# time that does not exist (2024-02-30: unparseable), line 9 a copy of line 3; used 8; customers A,1 A.1 B C D = 5;
# revenue of the used rows 12.5 + 3 + 7.25 + 1.5 + 10 + 0.5 + 2 + 100.75 = 137.5.
case("semicolons and decimal commas", "customer_id;event;timestamp;revenue\n"
     f"A,1;purchase;{_t(1)};12,50\nA.1;purchase;{_t(2)};3,00\nB;purchase;{_t(3)};7,25\nC;purchase;{_t(4)};1,50\n"
     "D;purchase;2024-02-30 10:00:00;9,99\nB;purchase;{t5};10\nC;purchase;{t6};0,50\nA.1;purchase;{t2};3,00\n"
     "D;purchase;{t7};2,00\n".format(t5=_t(5), t6=_t(6), t2=_t(2), t7=_t(7))
     + f"A,1;purchase;{_t(8)};100,75\n",
     dict(rows_in=10, used=8, rejected={6: {ref.BAD_TIME}, 9: {ref.DUPLICATE}}, customers=5, revenue=137.5),
     delimiter=";")

# Blank lines in the middle and at the end are no rows; set-aside rows keep their file lines below them. Lines: 1
# header, 2 b1, 3 blank, 4 b2, 5 NA id, 6 and 7 blank, 8 b3 'never' (unparseable), 9-12 b1..b4, 13 and 14 blank,
# 15 b4, 16 b1, 17 and 18 blank. 10 rows; 5 and 8 rejected; used 8; customers b1..b4 = 4.
case("blank lines", "customer_id,event,timestamp\n"
     f"b1,view,{_t(1)}\n\nb2,view,{_t(2)}\nNA,view,{_t(3)}\n\n\nb3,view,never\n"
     f"b1,cart,{_t(4)}\nb2,cart,{_t(5)}\nb3,cart,{_t(6)}\nb4,cart,{_t(7)}\n\n\n"
     f"b4,view,{_t(8)}\nb1,purchase,{_t(9)}\n\n\n",
     dict(rows_in=10, used=8, rejected={5: {ref.MISSING_ID}, 8: {ref.BAD_TIME}}, customers=4))

# All at once: a cell of two lines (2-3), a blank line (4), a too-wide line (5), a blank line (6), then rows whose
# faults must be named on their own lines: 8 no id, 10 'later' (unparseable), 11 a copy of line 7. 8 rows: lines 2, 5,
# 7, 8, 9, 10, 11, 12; rejected 5, 8, 10, 11; used 2, 7, 9, 12: customers m1, m2 = 2.
case("a multi-line cell, blank lines and a too-wide line together", "customer_id,event,timestamp,note\n"
     f'm1,view,{_t(1)},"two\nlines"\n\nm2,view,{_t(2)},a,b\n\nm2,view,{_t(3)},a\n,view,{_t(4)},a\n'
     f"m1,cart,{_t(5)},a\nm2,cart,later,a\nm2,view,{_t(3)},a\nm2,purchase,{_t(6)},a\n",
     dict(rows_in=8, used=4, rejected={5: {ref.MALFORMED}, 8: {ref.MISSING_ID}, 10: {ref.BAD_TIME},
                                       11: {ref.DUPLICATE}}, customers=2))

# Missing-value events and ids padded with no-break spaces: line 2 'NA', line 3 'null' events (missing event);
# '\u00a0x3' and 'x3\u00a0' are x3; 'x4', ' x4', 'x4 ' are x4 on three rows that differ as written (no duplicates,
# DESIGN compares the columns as written). 7 rows; used 5; customers x3, x4 = 2.
case("missing-value events and no-break spaces", "customer_id,event,timestamp\n"
     f"x1,NA,{_t(0)}\nx2,null,{_t(1)}\n\u00a0x3,view,{_t(2)}\nx3\u00a0,view,{_t(3)}\n"
     f"x4,view,{_t(4)}\n x4,view,{_t(4)}\nx4 ,view,{_t(4)}\n",
     dict(rows_in=7, used=5, rejected={2: {ref.MISSING_EVENT}, 3: {ref.MISSING_EVENT}}, customers=2))

# Tab-separated, a quoted cell holding a tab: line 3 'soon' (unparseable), line 5 a copy of line 2, line 6 no id.
# 10 rows; used 7; customers t1, t2, t3, T1 = 4 (T1 is not t1).
case("tab-separated", "customer_id\tevent\ttimestamp\n"
     f"t1\tview\t{_t(0)}\nt1\tview\tsoon\nt2\t\"a\tb\"\t{_t(1)}\nt1\tview\t{_t(0)}\n\tview\t{_t(2)}\n"
     f"t3\tview\t{_t(3)}\nT1\tview\t{_t(4)}\nt2\tcart\t{_t(5)}\nt3\tcart\t{_t(6)}\nt1\tcart\t{_t(7)}\n",
     dict(rows_in=10, used=7, rejected={3: {ref.BAD_TIME}, 5: {ref.DUPLICATE}, 6: {ref.MISSING_ID}}, customers=4),
     delimiter="\t")

# An inch mark (a quote inside an unquoted cell: 27" monitor) makes the file's quotes odd, so it is read by pandas'
# parser, which keeps the quote as written. Lines: 1 header, 2 p1, 3 blank, 4 p2 'soon' (unparseable), 5 p3 with a
# fifth cell, 6 p4, 7 no id, 8 a copy of line 2. 6 rows; used 2, 6; customers p1, p4 = 2.
case("an inch mark, a blank line and a too-wide line", "customer_id,event,timestamp,product\n"
     f'p1,view,{_t(1)},27" monitor\n\np2,view,soon,a\np3,view,{_t(3)},b,EXTRA\np4,view,{_t(4)},b\n'
     f',view,{_t(5)},b\np1,view,{_t(1)},27" monitor\n',
     dict(rows_in=6, used=2, rejected={4: {ref.BAD_TIME}, 5: {ref.MALFORMED}, 7: {ref.MISSING_ID},
                                       8: {ref.DUPLICATE}}, customers=2))

# The same inch mark above a blank line, no row of another width: 1 header, 2 p1, 3 blank, 4 p2 'soon', 5 p4, 6 no
# id. 4 rows; used 2; customers p1, p4 = 2.
case("an inch mark and a blank line", "customer_id,event,timestamp,product\n"
     f'p1,view,{_t(1)},27" monitor\n\np2,view,soon,a\np4,view,{_t(4)},b\n,view,{_t(5)},b\n',
     dict(rows_in=4, used=2, rejected={4: {ref.BAD_TIME}, 6: {ref.MISSING_ID}}, customers=2))

# Inch marks at a cell's end (Monitor 27", beside a delimiter), three of them (odd), a cell of two lines and blank
# lines: 1 header, 2 i1, 3 blank, 4 i2 'soon', 5-6 i3's note of two lines, 7 i4 with a fifth cell, 8 blank, 9 no id,
# 10 i5, 11 a copy of line 2. 7 rows; used 2, 5, 10; customers i1, i3, i5 = 3.
case("inch marks at a cell's end", "customer_id,event,timestamp,product\n"
     f'i1,view,{_t(1)},Monitor 27"\n\ni2,view,soon,TV 55"\ni3,view,{_t(3)},"two\nlines"\n'
     f'i4,view,{_t(4)},b,EXTRA\n\n,view,{_t(5)},b\ni5,view,{_t(6)},Cable 6"\ni1,view,{_t(1)},Monitor 27"\n',
     dict(rows_in=7, used=3, rejected={4: {ref.BAD_TIME}, 7: {ref.MALFORMED}, 9: {ref.MISSING_ID},
                                       11: {ref.DUPLICATE}}, customers=3))

BLANK = {ref.EMPTY, ref.MISSING_ID, ref.MISSING_EVENT, ref.MISSING_TIME, ref.BAD_TIME}  # each true of a blank row
# A row of only delimiters is a row with every cell blank (no id): lines 3 and 7 ',,,', line 5 ' , , , ' (blank
# cells), line 7 also a copy of line 3. 10 rows; 3 rejected; used 7; customers e1, e2, e3 = 3.
case("rows of only delimiters", "customer_id,event,timestamp,product\n"
     f"e1,view,{_t(1)},a\n,,,\ne2,view,{_t(2)},a\n , , , \ne3,view,{_t(3)},a\n,,,\n"
     f"e1,cart,{_t(4)},a\ne2,cart,{_t(5)},a\ne3,cart,{_t(6)},a\ne1,purchase,{_t(7)},a\n",
     dict(rows_in=10, used=7, rejected={3: BLANK, 5: BLANK, 7: BLANK | {ref.DUPLICATE}}, customers=3))

# Missing-value spellings DESIGN does not list (n/a, Null, none, NONE, na, nil): DESIGN leaves them open, so each
# must either be set aside as 'missing customer id' or stay a customer of its own, never two of them one customer.
# Only that is checked for them; u1, u2 are two customers whatever the reading.
OTHER_NA = ["n/a", "Null", "none", "NONE", "na", "nil"]
OTHER_NA_CSV = ("customer_id,event,timestamp\n" + "".join(
    f"{i},view,{_t(m)}\n" for m, i in enumerate(OTHER_NA + ["u1", "u2", "u1", "n/a", "Null"]))).encode()

HOSTILE = sorted(CASES)


@functools.lru_cache(maxsize=None)
def loaded(name: str, tmp: str):
    data, options, _ = CASES[name]
    path = Path(tmp) / (name.replace(" ", "_") + ".csv")
    path.write_bytes(data)
    return load_dataset([path]), ref.read_reference(data, id_col="customer_id", event_col="event",
                                                    time_col="timestamp", **options)


@pytest.fixture(scope="module")
def tmp(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("review40"))


def rejected_by_line(dataset) -> dict[int, str]:
    rejected = dataset.accounting.rejected
    lines = rejected["line"].astype(int).tolist()
    assert len(set(lines)) == len(lines), f"a line set aside twice: {sorted(lines)}"
    return dict(zip(lines, rejected["reason"].astype(str)))


def customers_shown(dataset) -> int:
    """The Overview's customer count: compute_stage_reach's total_customers (app_pages/overview.py)."""
    return int(compute_stage_reach(dataset)["total_customers"].iloc[0])


# ------------------------------------------------------------------------------------------------ the reference


@pytest.mark.parametrize("name", HOSTILE)
def test_the_reference_reaches_the_hand_figures_of_each_hostile_file(name, tmp):
    _, reading = loaded(name, tmp)
    hand = CASES[name][2]
    assert (reading.rows_in, reading.rows_used) == (hand["rows_in"], hand["used"])
    assert {reading.row(n).line: reasons for n, reasons in reading.reasons.items()} == hand["rejected"]
    assert len(reading.customers) == hand["customers"]


# ------------------------------------------------------------------------------------------------ cjm against it

KNOWN: dict[tuple[str, str], str] = {}  # (check, case) -> the defect, for strict xfails


def _known(check: str):
    def params():
        out = []
        for name in HOSTILE:
            reason = KNOWN.get((check, name))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(name, marks=marks, id=name))
        return out

    return params()


@pytest.mark.parametrize("name", _known("rows"))
def test_rows_in_add_up_and_equal_the_reference_on_each_hostile_file(name, tmp):
    dataset, reading = loaded(name, tmp)
    acc = dataset.accounting
    assert acc.rows_in == acc.rows_used + acc.rows_rejected
    assert (acc.rows_in, acc.rows_used, acc.rows_rejected) == (reading.rows_in, reading.rows_used,
                                                               reading.rows_rejected)


@pytest.mark.parametrize("name", _known("reasons"))
def test_each_set_aside_row_is_named_by_its_true_line_with_a_true_reason(name, tmp):
    dataset, reading = loaded(name, tmp)
    cjm = rejected_by_line(dataset)
    truth = {reading.row(n).line: reasons for n, reasons in reading.reasons.items()}
    assert sorted(cjm) == sorted(truth)
    wrong = {line: (reason, truth[line]) for line, reason in cjm.items() if ref.reason_key(reason) not in truth[line]}
    assert not wrong


@pytest.mark.parametrize("name", _known("reason counts"))
def test_each_reason_counts_the_rows_the_reference_finds_only_that_reason_for(name, tmp):
    dataset, reading = loaded(name, tmp)
    counts: dict[str, int] = {}
    several = {reading.row(n).line for n, r in reading.reasons.items() if len(r) > 1}
    for line, reason in rejected_by_line(dataset).items():
        if line not in several:
            counts[ref.reason_key(reason)] = counts.get(ref.reason_key(reason), 0) + 1
    assert counts == reading.only_reason_counts()


@pytest.mark.parametrize("name", _known("quoted"))
def test_each_set_aside_row_quotes_its_physical_lines(name, tmp):
    dataset, reading = loaded(name, tmp)
    by_line = {reading.row(n).line: reading.row(n) for n in reading.reasons}
    rejected = dataset.accounting.rejected
    wrong = []
    for line, raw in zip(rejected["line"].astype(int), rejected["raw"].astype(str)):
        row = by_line[line]
        # the line(s) as the file writes them, at most 200 characters; a row short of cells is quoted with the
        # empty cells it lacks (u4,view as 'u4,view,,'), so only its start is the file's
        if not (raw.startswith(row.raw) if row.padded else raw == row.raw[:200]):
            wrong.append((line, raw, row.raw))
    assert not wrong


@pytest.mark.parametrize("name", _known("customers"))
def test_the_customers_are_the_written_ids_none_merged_none_split(name, tmp):
    dataset, reading = loaded(name, tmp)
    events = dataset.events.order_by("row_id").select("row_id", "customer_id", "event").execute()
    assert len(events) == reading.rows_used
    # (the reference's customer, cjm's customer) of every used row: one to one, else cjm merged or split customers
    pairs = set(zip((reading.customer_of[n] for n in reading.used), events["customer_id"].astype(str)))
    merged = {c for c in {p[1] for p in pairs} if len({r for r, c2 in pairs if c2 == c}) > 1}
    split = {r for r in {p[0] for p in pairs} if len({c for r2, c in pairs if r2 == r}) > 1}
    assert not merged and not split, (sorted(pairs), "merged:", merged, "split:", split)
    assert customers_shown(dataset) == len(reading.customers)


def test_ids_saved_with_decimals_in_one_file_are_the_customers_another_file_writes_whole(tmp_path):
    # events.csv as pandas saves a column of ids with a blank cell: 101.0, 102.0, (blank: missing id); orders.csv
    # writes 101, 102. Customers: 101 and 102 = 2 (README: "123.0 in a column of whole numbers is the id 123");
    # before review 40 cjm kept '101.0' beside '101' and counted 4.
    (tmp_path / "events.csv").write_text("customer_id,event,timestamp\n101.0,view,2024-01-05 10:00:00\n"
                                         "102.0,view,2024-01-05 10:01:00\n,view,2024-01-05 10:02:00\n")
    (tmp_path / "orders.csv").write_text("customer_id,event,timestamp\n101,purchase,2024-01-06 10:00:00\n"
                                         "102,purchase,2024-01-06 10:01:00\n")
    dataset = load_dataset([tmp_path / "events.csv", tmp_path / "orders.csv"])
    assert sorted(dataset.events.customer_id.execute()) == ["101", "101", "102", "102"]
    assert customers_shown(dataset) == 2
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (5, 4)
    assert any("101.0 and 101 are one customer" in note for note in dataset.files[0].notes)


def test_ids_saved_with_decimals_are_read_in_place_as_on_upload(tmp_path):
    # 1.0, 1, 2.0, 007 (a column of whole numbers): 1, 1, 2, 007 on upload and in place alike; 3 customers (007 keeps
    # its zeros: it is not 7)
    from cjm.data.source import dataset_from_files

    path = tmp_path / "events.csv"
    path.write_text("customer_id,event,timestamp\n1.0,view,2024-01-05 10:00:00\n1,view,2024-01-05 10:01:00\n"
                    "2.0,view,2024-01-05 10:02:00\n007,view,2024-01-05 10:03:00\n")
    for dataset in (load_dataset([path]), dataset_from_files([path])):
        assert dataset.events.order_by("row_id").customer_id.execute().tolist() == ["1", "1", "2", "007"]
        assert customers_shown(dataset) == 3


def test_ids_with_decimals_of_their_own_stay_as_written(tmp_path):
    # 1.0, 1, 1.5: the column is no column of whole numbers (1.5), so 1.0 and 1 stay two customers: 3 in all
    path = tmp_path / "codes.csv"
    path.write_text("customer_id,event,timestamp\n1.0,view,2024-01-05 10:00:00\n1,view,2024-01-05 10:01:00\n"
                    "1.5,view,2024-01-05 10:02:00\n")
    assert customers_shown(load_dataset([path])) == 3


def test_rows_repeated_in_another_file_are_no_duplicates(tmp_path):
    # DESIGN: a duplicate equals an earlier row "of the same file"; two overlapping exports each keep their rows:
    # 2 + 2 rows in, 4 used, customers x1, x2 = 2
    for name in ("january.csv", "february.csv"):
        (tmp_path / name).write_text(f"customer_id,event,timestamp\nx1,view,{_t(0)}\nx2,view,{_t(1)}\n")
    dataset = load_dataset([tmp_path / "january.csv", tmp_path / "february.csv"])
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used, dataset.accounting.rows_rejected) == (4, 4, 0)
    assert customers_shown(dataset) == 2


def test_the_revenue_of_decimal_commas_is_read_as_written(tmp):
    dataset, _ = loaded("semicolons and decimal commas", tmp)
    # 12.5 + 3 + 7.25 + 1.5 + 10 + 0.5 + 2 + 100.75 = 137.5 (the unparseable and the duplicate rows left out)
    total = dataset.events.revenue.sum().execute()
    assert total == pytest.approx(CASES["semicolons and decimal commas"][2]["revenue"])


def test_missing_value_spellings_design_does_not_list_are_never_one_customer(tmp_path):
    path = tmp_path / "other_na.csv"
    path.write_bytes(OTHER_NA_CSV)
    dataset = load_dataset([path])
    acc = dataset.accounting
    assert acc.rows_in == acc.rows_used + acc.rows_rejected == 11
    events = dataset.events.order_by("row_id").execute()
    # rows of one written spelling may be one customer (n/a twice, Null twice); two spellings never
    kept = events.groupby("customer_id")["row_id"].count()
    written_of = {}
    rejected_lines = set(acc.rejected["line"].astype(int))
    assert all(r == "missing customer id" for r in acc.rejected["reason"])
    lines_used = [line for line in range(2, 13) if line not in rejected_lines]
    written = (OTHER_NA + ["u1", "u2", "u1", "n/a", "Null"])
    for line, customer in zip(lines_used, events["customer_id"].astype(str)):
        written_of.setdefault(customer, set()).add(written[line - 2])
    assert all(len(w) == 1 for w in written_of.values()), written_of
    assert kept.sum() == acc.rows_used


# ------------------------------------------------------------------------------------------------ real exports
# Each real export of ../shared/data (PROVENANCE.md) read by the reference with the columns named by hand from its
# header and PROVENANCE's notes (the same columns cjm maps: checked first), its time format written out. Files that
# are loaded together (Olist's leads and closed deals) are one load: rows in add up over both, customers are the
# union of their ids.
REAL: dict[str, list[tuple[str, dict]]] = {
    # 1,000 events of 330 users (user_id), times '2019-10-01 00:00:00 UTC'
    "rees46": [("rees46_2019-Oct-sample.csv", dict(id_col="user_id", event_col="event_type", time_col="event_time"))],
    # 14,640 tweets keyed by the author's name; each tweet one feedback row (no event column); '-0800' offsets
    "airline tweets": [("airline_tweets.csv", dict(id_col="name", event_col=None, event_constant=True,
                                                   time_col="tweet_created",
                                                   parse_time=ref.formats_time("%Y-%m-%d %H:%M:%S %z")))],
    # 69,659 purchases of 23,570 zero-padded ids, separated by runs of spaces, dates YYYYMMDD, no event column
    "cdnow": [("cdnow_master.txt", dict(id_col="customer_id", event_col=None, event_constant=True, time_col="date",
                                        delimiter=None, parse_time=ref.formats_time("%Y%m%d")))],
    # 2,240 customers, ';' and a BOM, the day each became a customer (Dt_Customer, ISO dates)
    "marketing campaign": [("marketing_campaign.csv", dict(id_col="ID", event_col=None, event_constant=True,
                                                           time_col="Dt_Customer", delimiter=";"))],
    # 8,000 leads and 842 closed deals of those leads, by mql_id; DD-MM-YYYY, the deals with a time of day
    "olist leads and closed deals": [
        ("olist_marketing_funnel/olist_marketing_qualified_leads_dataset.csv",
         dict(id_col="mql_id", event_col=None, event_constant=True, time_col="first_contact_date",
              parse_time=ref.formats_time("%d-%m-%Y"))),
        ("olist_marketing_funnel/olist_closed_deals_dataset.csv",
         dict(id_col="mql_id", event_col=None, event_constant=True, time_col="won_date",
              parse_time=ref.formats_time("%d-%m-%Y %H:%M")))],
}
# Anonymous exports (no id: each row one respondent, identical rows kept as separate respondents, README)
ANONYMOUS = {"online shoppers": ("online_shoppers_intention.csv", ";"),
             "arabic reviews": ("elsahar_arabic_souq_product_reviews_sample.csv", ",")}


def _real_or_skip(names: list[str]) -> list[Path]:
    paths = [REAL_DATA / n for n in names]
    if not all(p.exists() for p in paths):
        pytest.skip(f"real data not available: {REAL_DATA}")
    return paths


@functools.lru_cache(maxsize=None)
def loaded_real(key: str):
    files = REAL[key]
    paths = _real_or_skip([n for n, _ in files])
    readings = [ref.read_reference(p, **options) for p, (_, options) in zip(paths, files)]
    return load_dataset(paths), readings


@pytest.mark.parametrize("key", sorted(REAL))
def test_each_real_export_maps_the_columns_the_reference_reads(key):
    dataset, _ = loaded_real(key)
    for report, (_, options) in zip(dataset.files, REAL[key]):
        cols = report.mapping.columns
        assert (cols.get("customer_id"), cols.get("event"), cols.get("timestamp")) == (
            options["id_col"], options["event_col"], options["time_col"]), report.name


@pytest.mark.parametrize("key", sorted(REAL))
def test_each_real_export_accounts_for_its_rows_as_the_reference_does(key):
    dataset, readings = loaded_real(key)
    acc = dataset.accounting
    assert acc.rows_in == acc.rows_used + acc.rows_rejected
    assert (acc.rows_in, acc.rows_used, acc.rows_rejected) == (
        sum(r.rows_in for r in readings), sum(r.rows_used for r in readings), sum(r.rows_rejected for r in readings))
    # every set-aside row on its true line of its file, with a true reason
    for report, reading in zip(dataset.files, readings):
        mine = dataset.accounting.rejected
        mine = mine[mine["file"] == report.name]
        cjm = dict(zip(mine["line"].astype(int), mine["reason"].astype(str)))
        truth = {reading.row(n).line: reasons for n, reasons in reading.reasons.items()}
        assert sorted(cjm) == sorted(truth), report.name
        assert all(ref.reason_key(reason) in truth[line] for line, reason in cjm.items()), report.name
        # each quote reads back as the row's cells (a quote under 200 characters), in the file's own delimiter
        options = dict(REAL[key])[report.name] if report.name in dict(REAL[key]) else next(
            o for n, o in REAL[key] if n.endswith(report.name))
        delimiter = options.get("delimiter", ",")
        by_line = {reading.row(n).line: reading.row(n) for n in reading.reasons}
        for line, raw in zip(mine["line"].astype(int), mine["raw"].astype(str)):
            if len(raw) < 200:
                cells = raw.split() if delimiter is None else next(csv.reader(io.StringIO(raw), delimiter=delimiter))
                assert cells == by_line[line].cells, (report.name, line, raw)


@pytest.mark.parametrize("key", sorted(REAL))
def test_each_real_export_has_the_customers_the_reference_counts_none_merged_none_split(key):
    dataset, readings = loaded_real(key)
    events = dataset.events.order_by("row_id").select("customer_id").execute()
    written = [reading.customer_of[n] for reading in readings for n in reading.used]
    assert len(events) == len(written)
    pairs = set(zip(written, events["customer_id"].astype(str)))
    merged = {c for c, n in _count_second(pairs).items() if n > 1}
    split = {r for r, n in _count_first(pairs).items() if n > 1}
    assert not merged and not split, (sorted(merged)[:5], sorted(split)[:5])
    customers = set().union(*(r.customers for r in readings))
    assert customers_shown(dataset) == len(customers)


def _count_first(pairs) -> dict[str, int]:
    out: dict[str, int] = {}
    for first, _ in pairs:
        out[first] = out.get(first, 0) + 1
    return out


def _count_second(pairs) -> dict[str, int]:
    return _count_first((second, first) for first, second in pairs)


@pytest.mark.parametrize("key", sorted(ANONYMOUS))
def test_each_anonymous_real_export_makes_every_row_one_respondent(key):
    name, delimiter = ANONYMOUS[key]
    (path,) = _real_or_skip([name])
    _, rows, _ = ref.split_records(path.read_bytes().decode("utf-8-sig"), delimiter)
    dataset = load_dataset([path])
    acc = dataset.accounting
    # online shoppers: 12,330 sessions (PROVENANCE); the Arabic reviews: 3,000 (PROVENANCE); identical rows kept
    assert (acc.rows_in, acc.rows_used, acc.rows_rejected) == (len(rows), len(rows), 0)
    assert customers_shown(dataset) == len(rows)
