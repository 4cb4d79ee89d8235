"""A table where the events already live (a warehouse, a cluster, a big file) as a Dataset.

    backend.table(NAME) --column mapping in Ibis--> canonical events (view, never pulled into pandas)
                        --stage mapping as an Ibis CASE--> events with stage  ==> Dataset on that backend

The same column and stage mapping as an upload: ids and events become strings (trimmed; empty ones
missing), timestamps are read as UTC instants (a column without a time zone is read in the mapping's time zone,
UTC by default: cjm.data.wall_times; ISO text is cast, on PostgreSQL only where it is a time; dates written day or
month first by the upload's rule: cjm.data.day_month_times; numbers are epochs, Excel serials or YYYYMMDD:
cjm.data.numeric_times; each event's clock, where the data names one, kept beside it as an upload keeps it:
cjm.data.schema.CLOCK, `_written_clock`), revenue and score become numbers (a score of labels or star words as on an
upload). Rows without a customer id, a timestamp or an event are left out and
counted by reason. A yes / no column the mapping names as its purchase_flag (a sessions table's "Revenue"
TRUE / FALSE, with every row one touchpoint) makes each used yes row also a 'purchase' event, as on an upload.
A file of reviews keyed by the names reviewers show makes each review one reviewer, "Amit Kumar (row 3)", and one
without a customer id column (anonymous answers) each row one respondent, "row 3", as an upload does
(cjm.data.reviewers). A CSV that is not UTF-8 is read in the encoding an upload finds, from a UTF-8 copy.
Money is net as on upload (cjm.data.money, in the engine): a row whose order or payment status says cancelled,
refunded or failed counts none, a refunded-amount column is taken off its order, an order's total repeated on its
line items counts once, a reversal line (negative money, an event named like a refund, a credit note, a cancellation
invoice) takes its money back. Exact duplicate rows (every source column equal to an earlier row's) are set aside
with the upload's reason (cjm.data.dataset.DUPLICATE), found by a window only when a first query finds some.
Only small things come back: a 2,000-row sample to suggest the mapping, the event names and their counts,
and the row accounting.

`row_id` (the order that breaks ties between events at the same moment) comes from a column the user
names, else a column called row_id, else the row's place in the file (one Parquet or CSV file read in place, as
an upload numbers its rows), else it is the position in time order (customer, event as tie-breakers).
"""

from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
import glob
import os
import json
from pathlib import Path

import duckdb
import ibis
import numpy as np
import pandas as pd

from cjm import engine
from cjm.engine.portable import seconds_between, trimmed
from cjm.data import (cells, comments, currencies, currency_codes, day_month_times, deals, identities, kept, labels,
                      minor_units, money, numeric_times, returns, reversals, reviewers, schema, scores, timestamps,
                      wall_times,
                      zone_abbreviations, zones)
from cjm.data.cells import (DECIMAL_ID_PATTERN, EMAIL, MISSING_TOKENS as MISSING_WORDS, NO_WORDS, WHOLE_ID,
                            WHOLE_ID_PATTERN, YES_WORDS)
from cjm.data.columns import TIME_ZONE_COLUMNS, ColumnMapping, normalise, signed_in_clash, suggest_mapping
from cjm.data.purchases import PURCHASE_EVENT, flag_note, not_yes_no
from cjm.data.refund_exports import reads_as_refunds
from cjm.data.io import no_text
from cjm.data.io.encoding import file_encoding
from cjm.data.io.table import no_rows
from cjm.data.io.text import record_lines
from cjm.data.dataset import (ANONYMOUS_NOTE, DUPLICATE, EARLIEST, INVOICE_NOT_SENT, LATEST, NOT_SENT, NOT_SENT_STATUS,
                              TEST_ROW, TOTALS_ROW, TOTALS_WORDS, Dataset, not_sent_columns, test_mode_columns,
                              FileReport, RowAccounting, revenue_from_note)
from cjm.data.stages import StageMapping
from cjm.data.timestamps import _DAY_MONTH, NON_UTC_OFFSET, _detect_text_style, looks_like_timestamps
from cjm.errors import CJMError, FileFormatError, MappingError

SAMPLE_ROWS = 2000
FILE_LINE = "_line"  # a CSV read in place: each row's line, so rows at one moment keep the file's order, as uploaded
# several files read in place as one table: each row's file, so a row repeating one of another file is no duplicate
# (DESIGN.md section 3: "an earlier row of the same file"), as uploaded
FILE_NAME = "_file"
_BOOKKEEPING = (FILE_LINE, "file_row_number", FILE_NAME)  # columns the reading adds, none the export's
_EARLIEST, _LATEST = (ibis.timestamp(f"{t:%Y-%m-%d %H:%M:%S}").cast("timestamp('UTC')") for t in (EARLIEST, LATEST))
WRITTEN_TIME = "_written_time"  # a rejected row's time as written, for the list of rejected rows
# the time a timestamp column written as numbers (cjm.data.numeric_times) or as dates of day and month
# (cjm.data.day_month_times) writes
NUMBER_TIME = "_number_time"
# the timestamp column's text with each zone abbreviation after a time as its offset ('11:07:29 AM EST' as '11:07:29
# AM -05:00'), null where cjm cannot tell the offset (`_abbreviated_zones`)
ZONED_TIME = "_zoned_time"
WALL = "_wall"  # each row's time as written, computed once for the zone's CASE (`_with_wall`)
FENCE = "_fence"  # a window beside WALL that keeps PostgreSQL from folding WALL back into the CASE (`_with_wall`)
COPY = "_copy"  # a row whose every source column equals an earlier row's: set aside as an upload sets it (DUPLICATE)
REJECTED_SAMPLE = 200  # rows shown per load on the Data page; the counts are exact
MISSING_TOKENS = ("NA", "N/A", "#N/A", "null", "NULL", "None", "nan", "NaN", "-", "?")


class CountedAccounting(RowAccounting):
    """Row accounting for data that stays where it is: exact counts, and a sample of the rejected rows."""

    def __init__(self, rows_in: int, rows_used: int, rejected: pd.DataFrame, counts: dict[str, int]):
        super().__init__(rows_in=rows_in, rows_used=rows_used, rejected=rejected)
        self.counts = {k: int(v) for k, v in counts.items() if v}

    @property
    def rows_rejected(self) -> int:
        return sum(self.counts.values())

    @property
    def reasons(self) -> dict[str, int]:
        return dict(self.counts)


def dataset_from_table(backend: engine.Backend, table, *, mapping: ColumnMapping | None = None,
                       stage_mapping: StageMapping | None = None, customers=None, row_id: str | None = None,
                       name: str | None = None, copy: bool = False, file_lines=None, identity=None) -> Dataset:
    """A Dataset over `table` (a name, "schema.name", or an Ibis table on `backend`), mapped in the engine.

    copy=True computes the mapped rows once into a table on the same backend (one scan of the source;
    every analysis then reads the engine's own storage instead of re-reading and re-mapping the source).
    file_lines: with row_id FILE_LINE, the line of the file each row starts on, when its rows are not one a line
    (`_file_lines`); else the n-th row is on line n + 1. identity: which files the table was read from (their paths,
    sizes and times of change: `files_identity`), part of the dataset's key beside `name`, so two files of one name are two
    datasets to every cache keyed by it (their days: cjm.data.clock.dates_clock)."""
    raw = _table(backend, table)
    name = name or (table if isinstance(table, str) else raw.get_name())
    mapping = mapping or _guessed(backend, raw, name)
    _check(mapping, raw, name)
    _check_stage_history(backend, raw, mapping, name)
    source = raw  # the table as given: counted without the line numbers' window (`_statuses`)
    stored = row_id == FILE_LINE and copy and backend.kind == "duckdb"
    if stored:  # a CSV read once and numbered once: every check below reads DuckDB's copy, not the file again
        raw = source = _stored_numbered(backend, raw, file_lines)
    # the columns an exact duplicate row repeats, as an upload compares them (cjm.data.dataset.duplicated_rows): every
    # source column; none without a customer id (each row one respondent: two people can answer alike) or when the
    # mapping keeps identical rows
    duplicates, event_cells = _repeated_rows(backend, raw, mapping)
    if row_id == FILE_LINE and not stored:  # numbered as an upload numbers its rows: the header is line 1
        raw = _numbered(backend, raw, file_lines)
    raw = _numbers_as_times(backend, raw, mapping)
    raw, unread_zones = _abbreviated_zones(backend, raw, mapping)
    order_notes = []
    raw = _twelve_hour_year_first_as_times(backend, raw, mapping)
    raw = _month_name_first_as_times(backend, raw, mapping)
    raw = _written_day_month_as_times(backend, raw, mapping, order_notes)
    raw = _day_month_as_times(backend, raw, mapping, order_notes)
    id_notes = []
    raw = _stitched(backend, raw, mapping, id_notes, name)
    raw = _reviewers_apart(backend, raw, mapping, name, id_notes)
    stage_mapping = stage_mapping or StageMapping()
    flag = _flag_of(backend, raw, mapping, name)
    zone_notes = []
    zone = _zone_of(backend, raw, mapping, zone_notes)
    if zone is not None and zone[3]:  # dates without times: each stays on its own date (cjm.data.zones)
        zone, zone_notes = None, [zones.dates_note(zone[0], mapping.columns["timestamp"])]
    words = _score_words(backend, raw, mapping)
    numbers = _numbers(backend, raw, mapping, words)
    sign = _money_signs(backend, raw, mapping)
    if sign is not None:
        numbers = {**numbers, MONEY_SIGN: sign}
    local = _local_times(backend, raw, mapping)
    if local is not None:
        raw = _with_wall(backend, raw, mapping)
    own = zone is None and _own_offsets(backend, raw, mapping)
    sample = (backend.execute(raw.limit(SAMPLE_ROWS)) if "revenue" in mapping.columns and mapping.shape != "wide"
              and not reads_as_refunds(mapping) else None)
    key = _order_key(sample, mapping)
    refund = _refund_column(backend, raw, mapping, sample)
    refund_notes, money_notes = [], []
    if "revenue" not in mapping.columns and "revenue" in numbers:  # quantity x unit price (`_numbers`), as uploaded
        money_notes.append(revenue_from_note(*mapping.revenue_from))
    statuses = _statuses(backend, raw, mapping, key, money_notes, source=source, event_cells=event_cells)
    once = _order_total_once(backend, raw, mapping, numbers, key, money_notes,
                             _mapped(raw, mapping, numbers, row_id=row_id, flag=flag, zone=zone,
                                     score_words=words and words[0], local=local, order_key=key, own=own))
    mapped = _mapped(raw, mapping, numbers, row_id=row_id, flag=flag, zone=zone, score_words=words and words[0],
                     local=local, statuses=statuses, refund=refund, own=own,
                     order_key=key,
                     total_once=once, duplicates=duplicates)
    if refund is not None:
        mapped = _net_of_refunds(backend, mapped, refund[0], refund_notes, every_row_an_order="event" not in
                                 mapping.columns, kind=refund[2] if len(refund) > 2 else None)
    if ORDER in mapped.columns:  # read by the two steps above only
        mapped = mapped.drop(ORDER)
    reasons = {
        TOTALS_ROW: mapped[TOTALS] & mapped._cid.isnull(),  # "Totals" under the rows (Gumroad), as on upload
        NOT_SENT: mapped[UNSENT],  # a request its status says was never sent: no interaction, as on upload
        # an invoice its status says never went out (a draft), as on upload: of a customer (a draft of no one's is
        # 'missing customer id')
        INVOICE_NOT_SENT: mapped[DRAFT] & mapped._cid.notnull(),
        TEST_ROW: mapped[TESTED],  # the merchant's test ("test_mode" true, "livemode" false), as on upload
        "missing customer id": mapped._cid.isnull(),
        "missing timestamp": ~mapped._has_ts,
        # '11:07:29 AM IST': the abbreviation named in the reason with the fix, as on upload
        **{zone_abbreviations.reason(z): mapped._has_ts & mapped.timestamp.isnull()
           & (_text(mapped[WRITTEN_TIME]).re_extract(timestamps.ABBREVIATED, 2) == z).fill_null(False)
           for z in unread_zones},
        "unparseable timestamp": mapped._has_ts & mapped.timestamp.isnull(),
        # as an upload (cjm.data.dataset.EARLIEST, LATEST): a time read as 2286 or 1850 is no event's
        "timestamp out of range (before 1900 or after 2100)": ~mapped.timestamp.between(_EARLIEST, _LATEST),
        "missing event": mapped.event.isnull(),
    }
    if COPY in mapped.columns:
        reasons[DUPLICATE] = mapped[COPY]
    reason = ibis.cases(*[(cond, ibis.literal(text)) for text, cond in reasons.items()], else_=ibis.null("string"))
    # the time as written on the rows whose time is their reason (a rejected row shows 'soon', not a blank)
    unread = reasons["unparseable timestamp"] | reasons["timestamp out of range (before 1900 or after 2100)"]
    for z in unread_zones:
        unread = unread | reasons[zone_abbreviations.reason(z)]
    marked = mapped.mutate(_reason=reason, **{WRITTEN_TIME: ibis.ifelse(unread, mapped[WRITTEN_TIME], ibis.null("string"))})
    if copy:
        with _in_file_order(backend, row_id == FILE_LINE):
            marked = backend.materialize(marked)
    counts = backend.execute(marked.group_by("_reason").agg(n=marked.count()))
    counts = {str(r) if r is not None and not pd.isna(r) else None: int(n) for r, n in zip(counts["_reason"], counts["n"])}
    rows_in = sum(counts.values())
    rejected_counts = {k: v for k, v in counts.items() if k is not None}
    located = row_id is not None or ("row_id" in raw.columns and raw.row_id.type().is_integer())
    rejected = (_rejected_sample(backend, marked, name, mapping, row_id=row_id, located=located) if rejected_counts
                else _no_rejects())
    base = marked.filter(marked._reason.isnull()).drop("_reason", "_has_ts", WRITTEN_TIME, TOTALS, UNSENT, DRAFT,
                                                       TESTED, *[c for c in (COPY,) if c in marked.columns])
    base = base.rename(customer_id="_cid")
    if REVIEWER_NAME in base.columns:  # said on the reviews kept, as an upload says it
        id_notes.append(_names_note(backend, base, mapping.columns["customer_id"]))
        base = base.drop(REVIEWER_NAME)
    used = rows_in - sum(rejected_counts.values())
    if used == 0:
        raise MappingError(f"No usable rows in {name}: all {rows_in:,} rows lack a customer id, a readable "
                           f"timestamp or an event ({', '.join(f'{n:,} {r}' for r, n in rejected_counts.items())}). "
                           "Check the column mapping.")
    if STATUS_MONEY in base.columns:
        money_notes.append(_status_note(backend, base))
        base = base.drop(STATUS_MONEY)
    money_notes.extend(refund_notes)
    money_notes.insert(0, minor_units.note(raw.columns, mapping.columns.get("revenue")))  # 'total' in cents, as on upload
    flag_notes = []
    if flag is not None:
        base = _flagged_purchases(backend, marked, base, mapping, flag_notes)
    events_count = backend.execute(base.group_by("event").agg(events=base.count(), customers=base.customer_id.nunique()))
    events_count = events_count.sort_values(["events", "event"], ascending=[False, True], ignore_index=True)
    lookup = stage_mapping.table(events_count["event"].astype(str))
    order = {s: i for i, s in enumerate(stage_mapping.stages)}
    stage = base.event.substitute(lookup, else_=schema.UNMAPPED) if lookup else ibis.literal(schema.UNMAPPED)
    stage_index = stage.substitute(order, else_=-1).cast("int32") if order else ibis.literal(-1, "int32")
    notes = id_notes + order_notes + _unreadable_numbers(backend, raw, mapping, numbers, words) + zone_notes
    stated = _stated_zone(backend, raw, mapping) if mapping.timezone != "UTC" else None
    if stated is not None and stated[1] == mapping.timezone:  # as an upload says it (cjm.data.dataset)
        notes.append(f"Times are read in {mapping.timezone}, the time zone {stated[0]!r} names ({stated[2]}), and "
                     "counted in UTC.")
    if mapping.signed_in_id:
        written = _identifier(raw[mapping.signed_in_id]).lower().isin(sorted(identities.NO_ONE)).fill_null(False)
        unsigned = backend.execute(raw.aggregate(n=written.cast("int64").sum()))["n"].fillna(0).iloc[0]
        notes.append(identities.note(identities.joined_in_engine(backend, raw), mapping.columns["customer_id"],
                                     mapping.signed_in_id, mapping.fallback_id, placeholders=int(unsigned)))
    if zone is not None:
        named = pd.Series(sorted(zone[1]), dtype="string")
        notes.append(zones.note(zone[0], pd.Series(1.0, index=named.index), named, mapping.columns["timestamp"],
                                zone[2], mapping.timezone))
    if "text" in mapping.columns:
        said_nothing = backend.execute(raw.aggregate(n=_said_nothing(raw[mapping.columns["text"]]).fill_null(False)
                                                     .cast("int64").sum()))["n"].iloc[0]
        if int(said_nothing or 0):
            notes.append(comments.note(int(said_nothing), mapping.columns["text"]))
    base, currency = _one_currency(backend, raw, base, mapping, notes)
    with_stage = base.mutate(stage=stage.cast("string"), stage_index=stage_index)
    extras = [c for c in with_stage.columns if c not in engine.EVENT_SCHEMA]
    events = with_stage.select(*engine.EVENT_SCHEMA, *extras)
    named = "score" in mapping.columns and not words  # a survey's name states its scale, as on an upload
    ranges = dict(score_min=events.score.min(), score_max=events.score.max()) if named else {}
    non_null = backend.execute(events.aggregate(**{c: events[c].count() for c in schema.OPTIONAL}, **ranges)).iloc[0]
    present = tuple(c for c in schema.OPTIONAL if int(non_null[c]) > 0)
    stated = words[1] if words else None
    if named and int(non_null["score"]) > 0:
        stated = scores.scale_of_named_range(mapping.columns["score"], float(non_null["score_min"]),
                                             float(non_null["score_max"]))
        if stated is not None:
            notes.append(scores.named_scale_note(mapping.columns["score"], stated))
    customers_table = _customers(backend, customers) if customers is not None else None
    if customers_table is not None and mapping.signed_in_id:  # keyed by the anonymous id: its people's
        customers_table, said = identities.described_in_engine(backend, raw, customers_table,
                                                               mapping.columns["customer_id"], name)
        if said:
            notes.append(said)
    extras = [c for c in extras if c not in schema.HIDDEN]  # the export's own columns (not each event's clock)
    if customers_table is None and extras and _once_each(events_count):  # a customer list: as an upload keeps it
        customers_table = events.select("customer_id", *extras)
        notes.append("Each customer appears once, so the other columns are also kept as customer attributes (for "
                     "segments and personas).")
    key = hashlib.sha256(json.dumps([backend.label, name, mapping.to_dict(), row_id, str(customers)]
                                    + ([identity] if identity is not None else []),
                                    sort_keys=True, default=str).encode()).hexdigest()[:16]
    suffix = hashlib.sha256(json.dumps(stage_mapping.to_dict(), sort_keys=True).encode()).hexdigest()[:8]
    report = FileReport(name=name, role="events", format=f"{backend.kind} table", encoding=None, delimiter=None,
                        compression=None, sheet=None, sheets=(), mapping=mapping, rows_in=rows_in, rows_used=used,
                        columns=[c for c in raw.columns if c not in _BOOKKEEPING])
    report.notes.append(f"Read in place on {backend.label}: the events stay there and every analysis runs there.")
    report.notes.extend(flag_notes + [n for n in money_notes if n] + notes)
    accounting = CountedAccounting(rows_in=rows_in, rows_used=used, rejected=rejected, counts=rejected_counts)
    event_counts = events_count.assign(stage=events_count["event"].map(lookup))[["event", "stage", "events", "customers"]]
    return Dataset(key=f"{key}_{suffix}", events=events, customers=customers_table, stage_mapping=stage_mapping,
                   files=[report], accounting=accounting, present=present, attributes=tuple(extras),
                   event_counts=event_counts, backend=backend, currency=currency,
                   score_scale=stated)


def _score_words(backend, raw, mapping: ColumnMapping):
    """(word -> number, the scale they say) when the score column holds sentiment labels (negative / neutral /
    positive: polarity) or stars as words (ONE .. FIVE), read as an upload reads them (cjm.data.labels: nearly all of
    its present cells, LABEL_SHARE, counted over the whole column in one query; labels before star words), else None.
    Not told by its first cells alone: 1,500 ratings among the first 20,000 of 50,000 labels are 7.5% of those but 3% of
    the column, which an upload reads as labels."""
    column = mapping.columns.get("score")
    if column is None or not raw[column].type().is_string():
        return None
    lower = _text(raw[column]).lower()
    kinds = (("labels", labels.LABELS, "polarity", labels.NO_ANSWER),
             ("stars", labels.STAR_WORDS, None, labels.NO_STARS))
    counts = {}
    for kind, words, _, silent in kinds:
        present = lower.notnull() & ~lower.isin(sorted(MISSING_WORDS | silent))
        counts[f"{kind}_present"], counts[f"{kind}_read"] = present.sum(), (present & lower.isin(sorted(words))).sum()
    row = backend.execute(raw.aggregate(**counts)).iloc[0]
    for kind, words, scale, _ in kinds:
        present, read = int(row[f"{kind}_present"] or 0), int(row[f"{kind}_read"] or 0)
        if present and read >= labels.LABEL_SHARE * present:
            return dict(words), scale
    return None


def _numbers(backend, raw, mapping: ColumnMapping, words=None, columns: dict | None = None) -> dict:
    """Per numeric column (revenue, score) the mapping names: its cells as numbers, read as an upload reads them
    (cjm.data.cells.parse_numbers). A text column of plain numbers is cast; one with other cells ('5 €', '1.234,50',
    '12%') has its signs and spaces dropped first, and a decimal comma or thousands separators read as most of its
    first 2,000 cells with a comma or a dot write them (one query for the columns that need it, one for each such
    column's sample). Infinity is no number. A score of words (`_score_words`) is read by `_mapped`. `columns`: other
    columns to read so ({key: column name}: a refunded amount), instead of the mapping's."""
    out, text = {}, {}
    if columns is None:
        columns = {c: mapping.columns[c] for c in schema.NUMERIC_COLUMNS
                   if c in mapping.columns and not (c == "score" and words)}
        if mapping.revenue_from and "revenue" not in mapping.columns:  # quantity x unit price, as an upload reads it
            out = _numbers(backend, raw, mapping, columns={**columns, **dict(zip(REVENUE_FROM, mapping.revenue_from))})
            out["revenue"] = out.pop(REVENUE_FROM[0]) * out.pop(REVENUE_FROM[1])
            return out
    for canonical, column in columns.items():
        source = raw[column]
        if source.type().is_numeric():
            out[canonical] = _finite(source.cast("float64"))
        else:
            out[canonical] = _finite(as_number(_text(source)))
            text[canonical] = _text(source)
    if not text:
        return out
    counts = backend.execute(raw.aggregate(**{c: (v.notnull() & as_number(v).isnull()).sum()
                                              for c, v in text.items()})).iloc[0]
    for canonical, value in text.items():
        if not int(counts[canonical] or 0):
            continue
        cleaned = value.re_replace(cells.STRIP, "")
        # a currency code ('3 EUR'), from cells with a capital letter only (as cjm.data.cells.without_signs)
        cleaned = ibis.ifelse(cleaned.re_search(cells.CAPITAL).fill_null(False), cleaned.re_replace(cells.CODE, ""),
                              cleaned)
        for pattern, rewrite in cells.NEGATIVE:  # '(12.50)', '12,50-': -12.50
            cleaned = cleaned.re_replace(pattern, rewrite)
        present = raw.filter(value.re_search("[,.]").fill_null(False))  # cells with a separator say which it is
        sample = present.order_by(FILE_LINE) if FILE_LINE in raw.columns else present
        sample = backend.execute(sample.select(v=cleaned, w=value).limit(cells.NUMBER_SAMPLE))
        if cells.decimal_comma(sample["v"], sample["w"]):  # '1.200 €' too: the cells as written have its sign
            cleaned = cleaned.re_replace("[.']", "").replace(",", ".")
        else:
            cleaned = cleaned.re_replace("[,']", "")
        out[canonical] = _finite(as_number(cleaned))
    return out


def as_number(text):
    """`text` (a string expression) as a number where it is a plain one ('12', '-3.5', '1e3': cjm.data.cells.PLAIN,
    as an upload reads them), else null. The pattern guards the cast: PostgreSQL's has no 'try' (Ibis compiles
    try_cast to CAST there). Also the KPIs' reading of text columns of numbers (cjm.journey.kpis)."""
    return ibis.ifelse(text.re_search(cells.PLAIN).fill_null(False), text.try_cast("float64"), ibis.null("float64"))


def _finite(number):
    """Infinity and NaN are no number (as an upload: cjm.data.cells)."""
    return ibis.ifelse(number.isinf() | number.isnan(), ibis.null("float64"), number)


def _unreadable_numbers(backend, raw, mapping: ColumnMapping, numbers: dict, words=None) -> list[str]:
    """A note per numeric column (revenue, score) of text with filled cells that are no number as `_numbers` reads
    them (or, for a score of words, `_score_words`, not such words): they count as no value, and the note says how
    many (one query for all such columns). A column of floats ('12.5', 'inf' typed DOUBLE) counts its infinities and
    NaNs, which `_numbers` leaves out as an upload does, and says so as it does."""
    text = {c: mapping.columns[c] for c in schema.NUMERIC_COLUMNS
            if c in mapping.columns and (raw[mapping.columns[c]].type().is_string()
                                         or raw[mapping.columns[c]].type().is_floating())}
    if not text:
        return []

    def unread(canonical, column):
        if raw[column].type().is_floating():
            return raw[column].isinf() | raw[column].isnan()
        value = _text(raw[column])
        if canonical == "score" and words:
            lower = value.lower()
            silent = labels.NO_ANSWER if words[1] == "polarity" else labels.NO_STARS  # as the upload: 'Offered' among
            return lower.notnull() & ~lower.isin(sorted(MISSING_WORDS | set(words[0]) | silent))  # stars is unread
        return value.notnull() & numbers[canonical].isnull()

    counts = backend.execute(raw.aggregate(**{c: unread(c, column).sum() for c, column in text.items()})).iloc[0]
    return [f"{int(counts[c]):,} value{'s' if int(counts[c]) != 1 else ''} in {column!r} "
            f"{'are' if int(counts[c]) != 1 else 'is'} not a number "
            f"({'infinity or NaN' if raw[column].type().is_floating() else 'a sign, a unit or a word'}): "
            f"counted as no {c}."
            for c, column in text.items() if int(counts[c] or 0)]


MONEY_SIGN = "_money_sign"  # the currency a money cell's sign names ('5 €': EUR), when no column names it


def _money_signs(backend, raw, mapping: ColumnMapping):
    """Each row's currency by the sign in its money cell ('5 €', 'R$ 10,00': EUR, BRL; '$' and '¥' as written), as an
    upload reads it (cjm.data.currencies.of_rows) when neither the money column's name nor a column of currency
    codes says it; None when that is said, or no cell has a sign."""
    revenue = mapping.columns.get("revenue")
    if revenue is None or currencies.named_in(revenue) is not None or not raw[revenue].type().is_string():
        return None
    named = currencies.named_columns(raw.columns)
    if named and currencies.column_for(backend.execute(raw.select(*named).limit(SAMPLE_ROWS)), revenue) is not None:
        return None
    pattern = currencies.IN_CELL.pattern
    found = backend.execute(raw.aggregate(n=raw[revenue].re_search(pattern).fill_null(False).cast("int64").sum()))
    if not int(found["n"].iloc[0] or 0):
        return None
    # a sign names its currency (SIGNS), a code is its own ('3 EUR': EUR), once the code's spaces are dropped
    written = raw[revenue].re_extract(pattern, 1).re_replace(currency_codes.SPACE, "").nullif("")
    return written.substitute(currencies.SIGNS, else_=written)


def _one_currency(backend, raw, base, mapping: ColumnMapping, notes: list[str]):
    """(events, the currency of their money): as an upload (cjm.data.currencies), revenue counts the currency of most
    rows with money, and the others' money moves to other_currency_revenue, said in `notes`."""
    revenue = mapping.columns.get("revenue")
    if revenue is None:
        return base, None
    stated = currencies.named_in(revenue)
    if stated is not None:
        return base, stated
    if MONEY_SIGN in base.columns:  # no column says the currency: the signs in the money cells do
        base = base.rename(_code=MONEY_SIGN)
    else:
        named = currencies.named_columns(raw.columns)
        if not named:  # no query when no column is named like a currency
            return base, None
        column = currencies.column_for(backend.execute(raw.select(*named).limit(SAMPLE_ROWS)), revenue)
        if column is None:
            return base, None
        base = base.mutate(_code=_text(base[column].cast("string")).upper()) if column in base.columns else base
        if "_code" not in base.columns:  # the currency column was mapped as a canonical column: read it from raw
            return base, None
    with_money = base.filter(base.revenue.notnull() & (base.revenue != 0) & base._code.notnull())
    counts = backend.execute(with_money.group_by("_code").agg(n=with_money.count()))
    shared = currencies.shared_signs(counts["_code"])  # '$2' beside 'US$5' is USD, as an upload reads it
    if shared:
        base = base.mutate(_code=base._code.substitute(shared, else_=base._code))
        with_money = base.filter(base.revenue.notnull() & (base.revenue != 0) & base._code.notnull())
        counts = backend.execute(with_money.group_by("_code").agg(n=with_money.count()))
    if counts.empty:
        return base.drop("_code"), None
    counts = counts.sort_values(["n", "_code"], ascending=[False, True], ignore_index=True)
    main = str(counts["_code"].iloc[0])
    if len(counts) == 1:
        return base.drop("_code"), main
    other = base._code.notnull() & (base._code != main) & base.revenue.notnull()
    base = base.mutate(revenue=ibis.ifelse(other, ibis.null("float64"), base.revenue),
                       **{currencies.OTHER: ibis.ifelse(other, base.revenue, ibis.null("float64"))}).drop("_code")
    left = counts.iloc[1:]
    notes.append(currencies.left_out_note(main, int(counts["n"].iloc[0]), int(left["n"].sum()), list(left["_code"])))
    return base, main


def _once_each(events_count: pd.DataFrame) -> bool:
    """Whether every customer has one event (a customer list read as one event each), told from the events' counts
    (one event name, as many events as customers): no query of its own."""
    return len(events_count) == 1 and int(events_count["events"].iloc[0]) == int(events_count["customers"].iloc[0])


def _guessed(backend, raw, name: str) -> ColumnMapping:
    """The mapping an upload would guess from the table's first SAMPLE_ROWS rows. A deal stage history (its stage
    the event, a deal's amount once on its first won row: cjm.data.deals) is read only by an upload: an error
    saying so, not every row a purchase of its amount."""
    sample = backend.execute(raw.limit(SAMPLE_ROWS))
    mapping = suggest_mapping(sample, timestamp_score=looks_like_timestamps)
    stage = deals.stage_event_column(sample, mapping.columns) if mapping.shape == "long" else None
    if stage is not None:
        raise _stage_history_error(name, stage)
    identities.suggest(sample, mapping)  # an anonymous id and who signed in there, as an upload's guess
    if "timestamp" in mapping.columns and mapping.timezone == "UTC":  # Square's "Time Zone": one zone on every row
        stated = _stated_zone(backend, raw, mapping)
        if stated is not None:
            mapping.timezone = stated[1]
    return mapping


def _stated_zone(backend, raw, mapping: ColumnMapping) -> tuple[str, str, str] | None:
    """(column, IANA zone, the zone as written) when a column named for the time zone, not mapped, names one zone in
    all its filled cells (cjm.data.zones.stated_zone, as an upload reads it: over the whole column, its distinct
    values in the engine)."""
    taken = set(mapping.used_columns())
    if zones.where_people_are(raw.columns):  # Mailchimp's TIMEZONE beside LATITUDE, LONGITUDE: where each person is
        return None
    for column in raw.columns:
        if column in taken or normalise(column) not in TIME_ZONE_COLUMNS or not raw[column].type().is_string():
            continue
        value = _text(raw[column])
        distinct = backend.execute(raw.select(v=value).filter(value.notnull()).distinct().limit(2))
        stated = zones.stated_zone(pd.DataFrame({column: distinct["v"].astype("string")}), taken)
        if stated is not None:
            return (*stated, str(distinct["v"].iloc[0]))
    return None


def _numbers_as_times(backend, raw, mapping: ColumnMapping):
    """`raw` with NUMBER_TIME, the time of each row when its timestamp column holds numbers (epoch microseconds in
    GA4's export, Excel serials, YYYYMMDD: cjm.data.numeric_times), as an upload reads them."""
    value = raw[mapping.columns["timestamp"]]
    if value.type().is_string():  # numbers with a few 'NA' cells, which DuckDB's sniffer reads as text
        if not numeric_times.written_as_numbers(backend, value):
            return raw
    elif not value.type().is_numeric() or value.type().is_boolean():
        return raw
    style = numeric_times.style_of(backend, raw, value)
    if style is None:
        raise MappingError(f"The timestamp column {value.get_name()!r} holds numbers that are no dates or times (cjm "
                           "reads epoch seconds, milliseconds or microseconds, Excel serial dates and YYYYMMDD). Map "
                           "the column with the event time.")
    return raw.mutate(**{NUMBER_TIME: numeric_times.as_time(value, style)})


def _abbreviated_zones(backend, raw, mapping: ColumnMapping):
    """(`raw` with ZONED_TIME, the timestamp column's text with each zone abbreviation after a time as its offset,
    as an upload rewrites it (cjm.data.timestamps._abbreviations_as_offsets), the abbreviations cjm cannot
    tell the offset of, whose rows are rejected naming them). A cast reads none of '11:07:29 AM EST', and DuckDB's
    reads IST as India's: never an abbreviation cjm's table does not read. Decided on the first 300 filled values;
    the distinct abbreviations in one query."""
    column = mapping.columns.get("timestamp")
    if column not in raw.columns or NUMBER_TIME in raw.columns or not raw[column].type().is_string() \
            or mapping.shape == "wide":
        return raw, []
    text = _text(raw[column])
    sample = backend.execute(raw.filter(text.notnull()).select(t=text).limit(300))["t"]
    if not len(sample) or not sample.str.match(timestamps.ABBREVIATED).any():
        return raw, []
    zone = text.re_extract(timestamps.ABBREVIATED, 2).nullif("")
    found = backend.execute(raw.select(z=zone).distinct())["z"]
    names = [z for z in found.dropna() if zone_abbreviations.is_abbreviation(z) and z not in timestamps.READ_ALREADY]
    if not names:
        return raw, []
    table = zone_abbreviations.hours_of(names, mapping.timezone)
    known = {z: " " + zone_abbreviations.offset_text(h) for z, h in table.items() if h is not None}
    unknown = sorted(z for z, h in table.items() if h is None)
    middle = zone.substitute(known, else_=ibis.null("string")) if known else ibis.null("string")
    # a group that took part in no match: '' in DuckDB, null in PostgreSQL
    rewritten = text.re_extract(timestamps.ABBREVIATED, 1).concat(
        middle, text.re_extract(timestamps.ABBREVIATED, 3).fill_null(""))
    zoned = ibis.ifelse(zone.isin(list(known) or ["-"]).fill_null(False), rewritten,
                        ibis.ifelse(zone.isin(unknown or ["-"]).fill_null(False), ibis.null("string"), text))
    # PostgreSQL folds the column back into every expression that reads it (the 12-hour clock's parts, the cast, the
    # reasons: its SQL ran for minutes on 4 rows); a window function in the subquery stops it (as in `_with_wall`)
    fence = {} if backend.kind in ("duckdb", "pyspark") else {FENCE: ibis.row_number().over()}
    return raw.mutate(**{ZONED_TIME: zoned}, **fence), unknown


def _timestamp_text(raw, mapping: ColumnMapping):
    """The timestamp column as written, or as `_abbreviated_zones` rewrote it (ZONED_TIME)."""
    return raw[ZONED_TIME] if ZONED_TIME in raw.columns else raw[mapping.columns["timestamp"]]


# A year-first date with a time on the 12-hour clock, perhaps an offset after it (Google Forms' responses: '2026/09/20
# 1:05:00 PM GMT+3'; '11:07:29 AM EST' with its abbreviation as an offset: `_abbreviated_zones`).
_YEAR_FIRST_TWELVE = (r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T]+(\d{1,2}:\d{2}(:\d{2})?) ?([AaPp])\.?[Mm]\.?"
                      r"( ?([Uu][Tt][Cc]|[Gg][Mm][Tt]|[Zz])? ?([+-]\d{1,2}(:?\d{2})?)?)$")


def _twelve_hour_year_first_as_times(backend, raw, mapping: ColumnMapping):
    """`raw` with NUMBER_TIME, each row's time written on the 24-hour clock ('2026-09-20 13:05:00 GMT+3', which the
    cast reads), when the timestamp column's text is year-first on the 12-hour clock (cjm.data.timestamps
    ._meridiem_as_24h on upload): a cast read none of it, every row rejected as an unparseable timestamp. Decided on
    the first 300 filled values, so no other column pays for the rewriting."""
    value = _timestamp_text(raw, mapping)
    if NUMBER_TIME in raw.columns or not value.type().is_string() or mapping.shape == "wide":
        return raw
    text = _text(value)
    sample = backend.execute(raw.filter(text.notnull()).select(t=text).limit(300))["t"]
    if not len(sample) or not sample.str.fullmatch(_YEAR_FIRST_TWELVE).mean() >= 0.5:
        return raw
    written = text.re_search(_YEAR_FIRST_TWELVE).fill_null(False)

    def part(group: int):
        return text.re_extract(_YEAR_FIRST_TWELVE, group)

    clock = _twenty_four_hours(part(4).concat(" ", part(6), "M"))
    rebuilt = part(1).concat("-", part(2), "-", part(3), " ", clock, part(7))
    return raw.mutate(**{NUMBER_TIME: ibis.ifelse(written, rebuilt, text)})


# A date written month name first, in English, perhaps with a time on the 12-hour or 24-hour clock (Magento's orders
# grid: 'Mar 2, 2026 2:05:09 PM'; 'March 2, 2026'), which an upload reads (cjm.data.timestamps: written dates).
_MONTH_NAME_FIRST = (r"^([A-Za-z]{3})[A-Za-z]*\.? (\d{1,2}),? (\d{4})(?:,? (\d{1,2}:\d{2}(?::\d{2})?)"
                     r"(?: ?([AaPp])\.?[Mm]\.?)?)?$")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), start=1)}


def _month_name_first_as_times(backend, raw, mapping: ColumnMapping):
    """`raw` with NUMBER_TIME, each row's time written ISO ('2026-03-02 14:05:09'), when the timestamp column's text
    is an English month name first ('Mar 2, 2026 2:05:09 PM'): a cast read none of it, every row rejected as an
    unparseable timestamp. Decided on the first 300 filled values."""
    value = _timestamp_text(raw, mapping)
    if NUMBER_TIME in raw.columns or not value.type().is_string() or mapping.shape == "wide":
        return raw
    text = _text(value)
    sample = backend.execute(raw.filter(text.notnull()).select(t=text).limit(300))["t"]
    if not len(sample) or not sample.str.fullmatch(_MONTH_NAME_FIRST).mean() >= 0.5:
        return raw
    if not sample.str.extract(_MONTH_NAME_FIRST)[0].dropna().str.lower().isin(list(_MONTHS)).mean() >= 0.9:
        return raw
    written = text.re_search(_MONTH_NAME_FIRST).fill_null(False)

    def part(group: int):
        return text.re_extract(_MONTH_NAME_FIRST, group)

    month = part(1).lower().substitute({m: f"{i:02d}" for m, i in _MONTHS.items()}, else_=ibis.null("string"))
    day = part(2).lpad(2, "0")
    meridiem = part(5)
    clock = ibis.ifelse(part(4) == "", ibis.literal("00:00:00"),
                        ibis.ifelse(meridiem == "", part(4), _twenty_four_hours(part(4).concat(" ", meridiem, "M"))))
    rebuilt = part(3).concat("-", month, "-", day, " ", clock)
    return raw.mutate(**{NUMBER_TIME: ibis.ifelse(written & month.notnull(), rebuilt, text)})


def _written_day_month_as_times(backend, raw, mapping: ColumnMapping, notes: list[str]):
    """`raw` with NUMBER_TIME, each row's time as ISO text a cast reads, when an upload reads the timestamp column's
    text as written dates of day and month ('03/15/2024 2:30 PM -05:00', a US date with its offset: cjm.data
    .day_month_times.written_as_iso, dateparser's reading on upload), which a cast reads not at all: every row was
    rejected as an unparseable timestamp. The offset is kept in the text, so the time is that instant and its clock
    that offset (schema.CLOCK, `_written_clock`), as uploaded. Looked at on the first 300 filled values first (most
    columns stop there), then decided on the upload's sample; the order as the upload takes it
    (cjm.data.timestamps.written_reading), and its note in `notes` when the dates fit both orders."""
    value = _timestamp_text(raw, mapping)
    if NUMBER_TIME in raw.columns or not value.type().is_string() or mapping.shape == "wide":
        return raw
    text = _text(value)
    first = backend.execute(raw.filter(text.notnull()).select(t=text).limit(300))["t"]
    if not len(first) or not first.str.match(day_month_times.WRITTEN).any():
        return raw
    cells = day_month_times.sample(backend, raw, text, raw[FILE_LINE] if FILE_LINE in raw.columns else None)
    if not day_month_times.reads_written(cells):
        return raw
    fence = None if backend.kind in ("duckdb", "pyspark") else FENCE  # PostgreSQL: as in `_with_wall`
    day_first, ambiguous = timestamps.written_reading(cells, mapping.day_first)  # as uploaded
    if ambiguous:
        notes.append(timestamps.order_note(mapping.columns["timestamp"], day_first))
    return day_month_times.written_as_iso(raw, text, day_first=day_first, name=NUMBER_TIME, fence=fence)


def _day_month_as_times(backend, raw, mapping: ColumnMapping, notes: list[str]):
    """`raw` with NUMBER_TIME, the wall time of each row, when its timestamp column is text an upload reads as dates
    of day and month (26-02-2018 19:58, 03/15/2024 2:30 PM: cjm.data.day_month_times, the upload's order rule), which
    a cast reads not at all (DuckDB reads only ISO text; PostgreSQL reads such text in its own DateStyle or fails).
    `notes` gets the upload's note when the dates fit both orders."""
    value = _timestamp_text(raw, mapping)
    if NUMBER_TIME in raw.columns or not value.type().is_string():
        return raw
    column = mapping.columns["timestamp"]
    text, offset = _text(value), None
    if ZONED_TIME in raw.columns:  # '22/06/2022 11:07:29 AM -05:00' (EST: `_abbreviated_zones`): read without it
        offset = text.re_extract(_WRITTEN_OFFSET, 2).nullif("")
        text = ibis.ifelse(offset.notnull(), text.re_extract(_WRITTEN_OFFSET, 1), text)
    found = day_month_times.reading(backend, raw, text, day_first=mapping.day_first, name=NUMBER_TIME,
                                    order=raw[FILE_LINE] if FILE_LINE in raw.columns else None)
    if found is None:
        return raw
    timed, day_first, ambiguous = found
    if ambiguous:
        notes.append(timestamps.order_note(column, day_first))
    if offset is not None:  # the time as written, then its offset: an instant the cast reads, on its own clock
        wall = timed[NUMBER_TIME].cast("string")
        offset = _text(timed[ZONED_TIME]).re_extract(_WRITTEN_OFFSET, 2).nullif("")
        # PostgreSQL folds the column back into each expression reading it (the cast's checks read it a dozen times,
        # each time the day-month parts: the server ran out of memory on 5 rows); a window keeps it (`_with_wall`)
        fence = {} if backend.kind in ("duckdb", "pyspark") else {FENCE: ibis.row_number().over()}
        timed = timed.mutate(**{NUMBER_TIME: ibis.ifelse(offset.notnull(), wall.concat(offset), wall)}, **fence)
    return timed


# the offset `_abbreviated_zones` wrote after a time in place of its zone's abbreviation: group 1 the time as written,
# group 2 the offset
_WRITTEN_OFFSET = r"^(.*\S)\s+([+-]\d{2}:\d{2})$"


def _written_time(raw, mapping: ColumnMapping):
    """The timestamp column, or the times its numbers or its dates of day and month write (NUMBER_TIME)."""
    return raw[NUMBER_TIME] if NUMBER_TIME in raw.columns else _timestamp_text(raw, mapping)


def _ids_as_text(raw, mapping: ColumnMapping) -> dict[str, str]:
    """read_csv's types for the id columns (and the timestamp column) DuckDB's sniffer typed as numbers: as written,
    like an upload ('007', GA4's user_pseudo_id 3311223344.1709370120, which a DOUBLE rounds to 3311223344.170937)."""
    ids = [mapping.columns.get(c) for c in ("customer_id", "session_id", "variant")] + [mapping.signed_in_id,
                                                                                          mapping.fallback_id]
    typed = {c: "VARCHAR" for c in ids if c and c in raw.columns and not raw[c].type().is_string()}
    # times written as numbers, from their text as an upload reads them (cjm.data.numeric_times): the sniffer types
    # a column from its first rows, so a later 1709283600000.5 in a BIGINT column was rounded, a later 'NA' failed
    # the read
    stamp = mapping.columns.get("timestamp")
    if stamp in raw.columns and raw[stamp].type().is_numeric() and not raw[stamp].type().is_boolean():
        typed[stamp] = "VARCHAR"
    # ISO times, some with their offset: typed as instants, the others would be read in UTC, not the mapping's zone,
    # and the offsets themselves, each event's clock (schema.CLOCK: `_written_clock`), would be lost
    if stamp in raw.columns and raw[stamp].type().is_timestamp() and raw[stamp].type().timezone is not None:
        typed[stamp] = "VARCHAR"
    return typed


def dataset_from_files(paths, *, mapping: ColumnMapping | None = None, stage_mapping: StageMapping | None = None,
                       customers=None, backend: engine.DuckDBBackend | None = None) -> Dataset:
    """Parquet or CSV files (a path, a glob or a list) read in place by an in-process DuckDB, never loaded
    whole into memory: the files are scanned once into DuckDB's own compressed storage in a database file in
    the backend's spill folder (removed when the backend closes), so data larger than memory works; the
    memory limit and spill folder of the backend apply (cjm.engine settings)."""
    paths = [str(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)]
    paths = [f for p in paths for f in (sorted(glob.glob(p)) or [p])]  # a glob: the files it matches, each by name
    backend = backend or engine.local(on_disk=os.environ.get("CJM_IN_PLACE_ON_DISK", "1") == "1")
    kinds = {_kind(p) for p in paths}
    if len(kinds) != 1:
        raise CJMError(f"Read Parquet files or CSV files in place, not a mix (got {', '.join(paths)}).")
    kind = kinds.pop()
    name = ", ".join(Path(p).name for p in paths)
    identity = files_identity(paths)
    try:
        return _dataset_from_files(backend, paths, kind, name, mapping=mapping, stage_mapping=stage_mapping,
                                   customers=customers, identity=identity)
    except duckdb.InvalidInputException as exc:
        if "schema mismatch" in str(exc).lower():  # an orders export beside a survey: no one table
            raise _other_columns(backend, paths, kind) from None
        if kind != "csv" or "not utf-8 encoded" not in str(exc):
            raise
    # DuckDB reads CSV text as UTF-8 (or Latin-1, which is not Windows-1252: its '€' and curly quotes are other
    # characters there): a file in the code page an upload finds (cjm.data.io.encoding) is read from a UTF-8 copy
    # in the backend's spill folder, made in chunks, so its names and numbers are the upload's
    copies = [_as_utf8(backend, p) for p in paths]
    dataset = _dataset_from_files(backend, [c for c, _ in copies], kind, name, mapping=mapping,
                                  stage_mapping=stage_mapping, customers=customers, identity=identity)
    read = sorted({e for _, e in copies if e not in ("utf-8", "utf-8-sig")})
    dataset.files[0].encoding = ", ".join(read)
    dataset.files[0].notes.append(f"Read as {' and '.join(read)} text (not UTF-8), as an upload reads it.")
    return dataset


def _other_columns(backend, paths: list[str], kind: str) -> CJMError:
    """The error of files read in place together whose columns differ (an orders export beside a survey without
    dates, review 43): read in place they are one table, so it names the first file whose columns are not the first's,
    what each has, and the fix (upload them: each file is read in its role)."""
    found = [f for p in paths for f in (sorted(glob.glob(p)) or [p])]
    reader = "read_parquet" if kind == "parquet" else "read_csv"
    columns = []
    for f in found:
        try:
            with backend.lock:
                columns.append([row[0] for row in backend.con.con.execute(
                    f"DESCRIBE SELECT * FROM {reader}(?)", [f]).fetchall()])
        except duckdb.Error:
            columns.append(None)
    first = columns[0]
    other = next((i for i, c in enumerate(columns) if c is not None and first is not None and c != first), None)
    if other is None:
        return CJMError(f"The files read in place ({', '.join(Path(f).name for f in found)}) do not all have the same "
                        "columns, and read in place they are one table. Read in place only the files of one export "
                        "(its monthly files, say), or upload files of different kinds together: each is then read "
                        "in its own role (events, customers, feedback).")
    missing = [c for c in first if c not in columns[other]]
    extra = [c for c in columns[other] if c not in first]
    shown = lambda names: ", ".join(map(repr, names[:8])) + (", …" if len(names) > 8 else "")  # noqa: E731
    said = "; ".join(part for part in (f"it lacks {shown(missing)}" if missing else "",
                                      f"it has {shown(extra)} besides" if extra else "") if part)
    return CJMError(
        f"Read in place, the files are one table, so they must have the same columns, and {Path(found[other]).name}'s "
        f"are not {Path(found[0]).name}'s ({said or 'its columns are in another order'}). Read in place only the "
        "files of one export (its monthly files, say), or upload these files together: an upload reads each in its "
        "own role (events, customers, or feedback: a survey's ratings and comments, even without dates, are its "
        "customers' feedback).")


def files_identity(paths: list[str]) -> list:
    """Which files `paths` are (a glob: the files it matches), for the dataset's key: each one's full path, size and
    time of change (orders_export.csv of two folders, or a new export over the old one, is another dataset)."""
    found = []
    for p in paths:
        for f in sorted(glob.glob(p)) or [p]:
            try:
                stat = os.stat(f)
            except OSError:
                found.append([str(Path(f).resolve()), None, None])
                continue
            found.append([str(Path(f).resolve()), stat.st_size, stat.st_mtime_ns])
    return found


def _as_utf8(backend, path: str) -> tuple[str, str]:
    """(the path of a UTF-8 copy of the CSV at `path`, the encoding an upload reads it in), or `path` itself when it
    is UTF-8 already; a file of two encodings (which only an upload reads, line by line) is an error saying so."""
    encoding, mixed = file_encoding(path)
    if encoding in ("utf-8", "utf-8-sig"):
        return path, encoding
    shown = Path(path).name
    if mixed:
        raise FileFormatError(
            f"{shown} mixes text encodings: some lines are UTF-8, others {encoding}. Only an upload reads such a file "
            "(each line in its own encoding): upload it, or save it again in one encoding (in Excel: 'CSV UTF-8') to "
            "read it in place.")
    if getattr(backend, "spill_dir", None) is None:
        raise FileFormatError(f"{shown} is {encoding} text, not UTF-8, which this engine reads only as UTF-8. Save "
                              "it as UTF-8 (in Excel: 'CSV UTF-8') to read it in place, or upload it.")
    copy = Path(backend.spill_dir) / f"{backend.new_name('utf8')}.csv"
    # newline='': the lines as written, so a rejected row's line is the file's (a byte-order mark is the codec's)
    with open(path, encoding=encoding, newline="") as source, open(copy, "w", encoding="utf-8", newline="") as out:
        while block := source.read(1 << 22):
            out.write(block)
    return str(copy), encoding


def _dataset_from_files(backend, paths: list[str], kind: str, name: str, *, mapping, stage_mapping,
                        customers, identity=None) -> Dataset:
    with backend.lock:
        if kind == "parquet":
            raw = backend.con.read_parquet(paths, table_name=backend.new_name("parquet"),
                                           **({"file_row_number": True} if len(paths) == 1 else {"filename": FILE_NAME}))
            row_id = "file_row_number" if len(paths) == 1 else None
        else:
            _check_text(paths, name)
            order = _day_month_order(backend.con.con, paths[0], mapping.day_first if mapping is not None else None)
            raw = backend.con.read_csv(paths, table_name=backend.new_name("csv"), **order)
            _check_separated(raw, name.split(", ")[0])
        if backend.execute(raw.limit(1)).empty:  # column names alone: say so, as an upload does, not that none is an id
            raise no_rows([c for c in raw.columns if c not in _BOOKKEEPING], name=name, again=_AGAIN)
        if kind == "csv":
            mapping = mapping or _guessed(backend, raw, name)
            order = {**order, "filename": FILE_NAME} if len(paths) > 1 else order
            raw = _read_csv_as_written(backend, paths, raw.get_name(), mapping, order)
            row_id = FILE_LINE if len(paths) == 1 else None
    backend._tables.add(raw.get_name())
    if mapping is not None and row_id and row_id in mapping.columns.values():
        row_id = None
    lines = _file_lines(backend, paths[0], raw) if row_id == FILE_LINE else None
    try:
        return dataset_from_table(backend, raw, mapping=mapping, stage_mapping=stage_mapping, customers=customers,
                                  row_id=row_id, name=name, copy=True, file_lines=lines, identity=identity)
    except duckdb.ConversionException:
        if kind != "csv":
            raise
    # DuckDB types a CSV's columns from its first rows: a later cell that does not fit ('NA' in a column of dates
    # 30,000 rows down) fails the read. Typed from every row, the column is text, read as an upload reads it.
    with backend.lock:
        raw = _read_csv_as_written(backend, paths, raw.get_name(), mapping, {**order, "sample_size": -1})
    return dataset_from_table(backend, raw, mapping=mapping, stage_mapping=stage_mapping, customers=customers,
                              row_id=row_id, name=name, copy=True, file_lines=lines, identity=identity)


def _file_lines(backend, path: str, raw):
    """The line of the CSV at `path` each row of `raw` starts on, when a blank line or a cell of several lines puts
    some row below its place + 2 (cjm.data.io.text.record_lines, as an upload finds them: its rejected rows name the
    file's own lines), else None. None too when DuckDB read the file otherwise (another quote, rows skipped above
    its header: another count of rows), whose rows keep the numbering by place."""
    starts = record_lines(path)
    if starts is None:
        return None
    with backend.lock:
        quote, skip, header = backend.con.con.execute(
            "SELECT Quote, SkipRows, HasHeader FROM sniff_csv(?)", [path]).fetchall()[0]
    if quote not in ('"', "") or skip or not header:
        return None
    rows = starts[1:]
    if int(backend.execute(raw.aggregate(n=raw.count()))["n"].iloc[0]) != len(rows):
        return None
    return rows


_AGAIN = "read it in place again"


def _check_text(paths: list[str], name: str) -> None:
    """Files with no text at all (DuckDB reads one as a table of one column, 'column0'): the upload's message."""
    for path in paths:
        with open(path, "rb") as file:
            head = file.read(1 << 16)
        if not head.strip() and os.path.getsize(path) == len(head):
            raise no_text(Path(path).name if len(paths) > 1 else name, again=_AGAIN)


def _check_separated(raw, shown: str) -> None:
    """A file whose columns are lined up with spaces (CDNOW's cdnow_master.txt) reads as one column in place: say so
    and what to do, rather than that no column is an id."""
    if len(raw.columns) == 1 and len(str(raw.columns[0]).split()) >= 3:  # an id, a time and an event at least
        raise CJMError(f"{shown} reads as one column ({str(raw.columns[0]).strip()[:80]!r}): its columns "
                       "are lined up with spaces, which only an upload reads. Upload the file, or save it with commas "
                       "or tabs between the columns to read it in place.")


def _read_csv_as_written(backend, paths, name: str, mapping: ColumnMapping, options: dict):
    """The view `name` over the CSV files, its id columns (and a timestamp column of numbers) read as text
    (`_ids_as_text`)."""
    raw = backend.con.read_csv(paths, table_name=name, **options)
    text = _ids_as_text(raw, mapping)
    stamp = mapping.columns.get("timestamp")
    if stamp in raw.columns and stamp not in text and (_typed_day_month(backend, paths, raw, stamp, options)
                                                       or _typed_abbreviated(backend, paths, raw, stamp, options)):
        text[stamp] = "VARCHAR"
    return backend.con.read_csv(paths, table_name=name, types=text, **options) if text else raw


def _typed_day_month(backend, paths, raw, column: str, options: dict) -> bool:
    """Whether DuckDB's sniffer typed `column` as dates or times (without a zone) that an upload reads as dates of day
    and month (cjm.data.timestamps' detection on the first SAMPLE_ROWS cells as written): those are then read as
    text by the upload's rule (cjm.data.day_month_times), not by the sniffer's, which reads '26/02/18 19:58' as the
    year 26 and decides the order from its own sample only."""
    kind = raw[column].type()
    if not (kind.is_date() or (kind.is_timestamp() and kind.timezone is None)):
        return False
    return _detect_text_style([str(v) for v in _written_cells(backend, paths, column, options)]).style == _DAY_MONTH


def _typed_abbreviated(backend, paths, raw, column: str, options: dict) -> bool:
    """Whether DuckDB's sniffer typed `column` as instants written with a zone's abbreviation ('2024-03-01 10:00:00
    IST', which its cast reads as India's time): those are read as text, each abbreviation as cjm's table reads it
    (`_abbreviated_zones`)."""
    kind = raw[column].type()
    if not (kind.is_timestamp() and kind.timezone is not None):
        return False
    cells = _written_cells(backend, paths, column, options).astype("string")
    zones_written = cells.str.extract(timestamps.ABBREVIATED)[1].dropna()
    return any(zone_abbreviations.is_abbreviation(z) and z not in timestamps.READ_ALREADY for z in zones_written)


def _written_cells(backend, paths, column: str, options: dict) -> pd.Series:
    """The first SAMPLE_ROWS filled cells of `column` as written (read as text)."""
    peek = backend.new_name("csv")
    written = backend.con.read_csv(paths, table_name=peek, all_varchar=True,
                                   **{k: v for k, v in options.items() if k not in ("dateformat", "timestampformat")})
    try:
        value = _text(written[column])
        return backend.execute(written.select(v=value).filter(value.notnull()).limit(SAMPLE_ROWS))["v"]
    finally:
        backend.con.con.execute(f'DROP VIEW IF EXISTS "{peek}"')


@contextmanager
def _in_file_order(backend, wanted: bool):
    """DuckDB keeping its scans in file order while the block runs, so `FILE_LINE` numbers a CSV's rows as they
    are written (the backend's setting otherwise lets DuckDB reorder them: cjm.engine.backend)."""
    if not wanted:
        yield
        return
    raw = backend.con.con
    with backend.lock:
        before = raw.execute("SELECT current_setting('preserve_insertion_order')").fetchone()[0]
        raw.execute("SET preserve_insertion_order = true")
        try:
            yield
        finally:
            raw.execute(f"SET preserve_insertion_order = {'true' if before else 'false'}")


def _day_month_order(con, path: str, day_first: bool | None) -> dict:
    """read_csv's dateformat / timestampformat for dates that fit both orders, as an upload reads them
    (cjm.data.timestamps): the mapping's `day_first` when it says one, else day-first when dotted (03.09.2024),
    month-first when slashed (03/09/2024, PayPal's 9 March). DuckDB's sniffer reads such dates day-first; its
    order is kept when the file's own dates rule the other out (a day above 12), as an upload keeps it. {} when
    the sniffer finds no dates of day and month."""
    sniffed = con.execute("SELECT DateFormat, TimestampFormat FROM sniff_csv(?)", [path]).fetchone()
    options = {}
    for key, written in zip(("dateformat", "timestampformat"), sniffed):
        if not written or "%d" not in written or "%m" not in written:
            continue
        wanted = day_first if day_first is not None else _separator(written) == "."
        if (written.index("%d") < written.index("%m")) == wanted:
            continue
        swapped = written.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
        kind = "DATE" if key == "dateformat" else "TIMESTAMP"
        try:  # every row, not the sniffer's sample: one value with a day above 12 keeps the sniffer's order
            described = con.execute(f"DESCRIBE SELECT * FROM read_csv(?, {key} := ?)", [path, swapped]).fetchall()
            dated = [row[0] for row in described if str(row[1]).startswith(kind)]
            if dated:
                counted = ", ".join('count("' + c.replace('"', '""') + '")' for c in dated)
                con.execute(f"SELECT {counted} FROM read_csv(?, {key} := ?)", [path, swapped]).fetchone()
        except Exception:  # noqa: BLE001 - a value the other order cannot read: the file's dates settle it
            continue
        if dated:
            options[key] = swapped
    return options


def _separator(layout: str) -> str:
    between = layout[layout.index("%d") + 2: layout.index("%m")] if layout.index("%d") < layout.index("%m") \
        else layout[layout.index("%m") + 2: layout.index("%d")]
    return between[:1]


def _kind(path: str) -> str:
    lower = path.lower()
    if lower.endswith((".parquet", ".parq", ".pq")):
        return "parquet"
    if lower.endswith((".csv", ".csv.gz", ".tsv", ".txt")):
        return "csv"
    raise CJMError(f"{path!r} is neither Parquet nor CSV; only those are read in place. Upload other formats.")


def _table(backend: engine.Backend, table):
    if isinstance(table, ibis.Table):
        return table
    if not isinstance(table, str) or not table.strip():
        raise CJMError("No table was given. Name the table or view that holds the events (e.g. --table events).")
    if table.strip().lower().endswith((".parquet", ".csv")):  # a file the engine reads (Spark, DuckDB, ...)
        path = table.strip()
        reader = backend.con.read_parquet if path.lower().endswith(".parquet") else backend.con.read_csv
        try:
            with backend.lock:
                return reader(path, table_name=backend.new_name("file"))
        except Exception as exc:  # noqa: BLE001
            raise CJMError(f"{backend.label} cannot read {path!r} ({type(exc).__name__}). Check the path, as seen "
                           "by that engine.") from None
    parts = table.strip().split(".")
    try:
        if len(parts) == 1:
            return backend.table(parts[0])
        return backend.table(parts[-1], database=tuple(parts[:-1]) if len(parts) > 2 else parts[0])
    except Exception as exc:  # noqa: BLE001 - the driver's error names what is missing
        raise CJMError(f"There is no table or view {table!r} on {backend.label} ({type(exc).__name__}). "
                       "Check the name (schema.table where needed) and that the user may read it.") from None


def _stage_history_error(name: str, stage: str) -> MappingError:
    return MappingError(
        f"{name} is a deal stage history ({stage!r} names won and lost deals, each row a stage its deal entered): "
        "its stages are the events and a deal's amount counts once, on its first won row, which only an upload "
        "reads (in place, every row's amount would count). Upload the file.")


def _check_stage_history(backend, raw, mapping: ColumnMapping, name: str) -> None:
    """A mapping given whose event is a deal stage naming won or lost deals, with an amount (a Zoho CRM deals export
    read with the upload's mapping): an upload counts a deal's amount once, on its first won row
    (cjm.data.deals.history_money), in place every row's would count: refused, as when in place guesses it."""
    event = mapping.columns.get("event")
    if (mapping.shape != "long" or event is None or "revenue" not in mapping.columns or event not in raw.columns
            or normalise(str(event)) not in deals.STAGE_NAMES):
        return
    if deals.stage_outcomes(backend.execute(raw.select(event).limit(SAMPLE_ROWS))[event]) is not None:
        raise _stage_history_error(name, event)


def _check(mapping: ColumnMapping, raw, name: str) -> None:
    if mapping.shape == "wide":  # a date column per step: each filled date an event of its row (cjm.data.dataset)
        raise MappingError(
            f"{name} has a date column per step ({', '.join(map(repr, mapping.wide_events))}): each filled date is an "
            "event of its row (a review and the reply to it, a ticket opened and resolved), which only an upload reads. "
            "Upload the file, or pass a mapping that names one timestamp column to read it in place.")
    if mapping.conversation:  # the company's replies are their customer's (cjm.data.conversations): upload only
        raise MappingError(
            f"{name} is a conversation export: {mapping.conversation['inbound']!r} says which messages are the "
            "company's replies, each an event of the customer it answers, which only an upload reads. Upload the file, "
            "or pass a mapping without 'conversation' to read every row as its author's in place.")
    missing = [c for c in schema.REQUIRED if c not in mapping.columns and not (c == "event" and mapping.event_constant)
               and not (c == "customer_id" and mapping.shape == "anonymous")]  # each row one respondent
    if missing == ["timestamp"] and "event" not in mapping.columns and mapping.columns.keys() & {"score", "text"}:
        # a survey's answers without a date column: an upload reads them as the customers' feedback without a time
        raise MappingError(
            f"The table {name} needs a timestamp column to be read in place: every row read in place is an event at "
            f"its time, and none of {list(raw.columns)[:20]} holds dates. Its rows are answers (ratings or comments): "
            "upload the file, and its answers are read as its customers' feedback without a time (the Sentiment "
            "page, the call-back list and the journey map's emotions use them), or pass a mapping that names a date "
            "column.")
    if missing:
        raise MappingError(f"The table {name} needs columns for {', '.join(missing)}; none was recognised among "
                           f"{list(raw.columns)[:20]}. Pass a mapping that names them.")
    signed_in_clash(mapping)
    absent = [source for source in [*mapping.columns.values(), mapping.time_of_day, mapping.signed_in_id,
                                    mapping.fallback_id if mapping.signed_in_id else None, mapping.event_fallback]
              if source and source not in raw.columns]
    if absent:
        raise MappingError(f"The mapping names column(s) {absent} that the table {name} does not have; it has "
                           f"{list(raw.columns)[:20]}.")


def _stitched(backend, raw, mapping: ColumnMapping, notes: list[str], name: str):
    """`raw` with the customer of each row in `_customer`: its customer id (e-mail addresses in lower case, as an
    upload compares them: cjm.data.cells.email_ids), or when the mapping names who signed in (`signed_in_id`)
    cjm.data.identities' rule, in the engine."""
    if "customer_id" not in mapping.columns:  # anonymous responses: each row is one respondent, as an upload reads them
        notes.append(ANONYMOUS_NOTE)
        return raw.mutate(_customer=ibis.literal("row ").concat(_line(raw, name).cast("string")))
    customer = _person_id(backend, raw, mapping.columns["customer_id"], notes)
    if not mapping.signed_in_id:
        return raw.mutate(_customer=customer)
    fallback = _person_id(backend, raw, mapping.fallback_id, notes) if mapping.fallback_id else None
    signed = identities.no_one_expr(_person_id(backend, raw, mapping.signed_in_id, notes))  # 'anonymous': nobody
    return identities.stitched_expr(raw, customer, signed, mapping.columns["customer_id"], fallback=fallback,
                                    backend=backend)


REVIEWER_NAME = "_reviewer_name"  # a review export keyed by display names: each review's name as written


def _reviewers_apart(backend, raw, mapping: ColumnMapping, name: str, notes: list[str]):
    """`raw` with each review by no one person made a reviewer of its own, as an upload makes it
    (cjm.data.reviewers.apart): in a file of reviews (no event column, a score or a comment, no money: an upload's
    feedback file) keyed by the names reviewers show ('Amit Kumar', or any name in a Google Play export) every review
    is one reviewer, "Amit Kumar (row 3)"; else a review by the store's placeholder ("A Google user") is. Rows are
    named by their line (one file read in place, as an upload numbers them)."""
    cols = mapping.columns
    if ("customer_id" not in cols or "event" in cols or "revenue" in cols or not ({"score", "text"} & cols.keys())
            or mapping.shape != "long"
            or mapping.signed_in_id):
        return raw
    column = cols["customer_id"]
    written = _identifier(raw[column])
    placeholder = written.lower().isin(sorted(reviewers.HIDDEN_REVIEWER)).fill_null(False)
    named = column
    if normalise(column) in reviewers.CONTACT_NAMES and not reviewers.review_export(name, raw.columns, mapping):
        named = None  # a CRM's contacts by 'Name': its records, no app store's reviewers
    every = named is not None and _display_names(backend, raw, written, placeholder, column)
    if not every and not backend.execute(raw.aggregate(n=placeholder.cast("int64").sum()))["n"].fillna(0).iloc[0]:
        return raw
    line = _line(raw, name)
    row = ibis.literal("row ").concat(line.cast("string"))
    if every:
        return raw.mutate(_customer=ibis.ifelse(written.isnull(), row, written.concat(" (", row, ")")),
                          **{REVIEWER_NAME: written})
    rows = raw.mutate(_w=written, _l=line).filter(placeholder)
    hidden = backend.execute(rows.group_by(w=rows._w).agg(n=rows.count(), first=rows._l.min()).order_by("first"))
    said = " or ".join(repr(p) for p in hidden["w"].head(3))
    notes.append(f"{money.counted(int(hidden['n'].sum()), 'row')} by {said} (what the store writes for a reviewer "
                 "who hid their name) are each one respondent, not one customer.")
    return raw.mutate(_customer=ibis.ifelse(placeholder, written.concat(" (", row, ")"), raw._customer))


_SHIFTS = 64  # up to this many changes of a file's line against its row's place: a CASE; more: a join


def _numbered(backend, raw, file_lines):
    """`raw` with FILE_LINE, each row's line in its one CSV file: its place + 2 (the header is line 1), or the line
    `file_lines` gives it (a blank line or a cell of several lines above it: cjm.data.io.text.record_lines)."""
    place = raw.mutate(**{FILE_LINE: ibis.row_number()})  # in file order (`_in_file_order`)
    if file_lines is None:
        return place.mutate(**{FILE_LINE: place[FILE_LINE] + 2})
    lines = np.asarray(file_lines, dtype=np.int64)
    shifts = lines - np.arange(2, len(lines) + 2)
    at = np.flatnonzero(np.diff(shifts, prepend=0))  # the rows from which the line is further down
    if len(at) <= _SHIFTS:
        row = place[FILE_LINE]
        shift = ibis.cases(*[(row >= int(i), int(shifts[i])) for i in at[::-1]], else_=0) if len(at) else 0
        return place.mutate(**{FILE_LINE: row + 2 + shift})
    table = backend.register(pd.DataFrame({"_place": np.arange(len(lines), dtype=np.int64), "_file_line": lines}))
    joined = place.left_join(table, place[FILE_LINE] == table._place)
    return joined.mutate(**{FILE_LINE: joined._file_line}).drop("_place", "_file_line")


def _stored_numbered(backend, raw, file_lines):
    """`_numbered` computed once into a table of the backend. The CSV view re-parses the file at every query, and
    its line numbers are a window that runs on one thread: on a 1M-row file the checks before the mapped rows are
    stored read it about a dozen times (opening it in place took 9 s; see README, Performance)."""
    with _in_file_order(backend, True):
        return backend.materialize(_numbered(backend, raw, file_lines))


def _line(raw, name: str):
    """Each row's line in its file (the header is line 1), as an upload numbers the rows it names ("row 3"): known when
    one file is read in place."""
    if FILE_LINE in raw.columns:
        return raw[FILE_LINE]
    if "file_row_number" in raw.columns:
        return raw.file_row_number + 2
    raise MappingError(f"Each row of {name} is one respondent (anonymous answers, or reviews by names no one person "
                       "has), named by its row, which only one file read in place tells. Read the files one at a time, "
                       "or upload them.")


_FULL_NAME = re.sub(r"\\u([0-9a-fA-F]{4})", r"\\x{\1}", reviewers._FULL_NAME)  # RE2 writes \x{4e00} for \u4e00


def _display_names(backend, raw, written, placeholder, column: str) -> bool:
    """cjm.data.reviewers.display_names, its share of names with two words counted in the engine over each name
    once."""
    if normalise(column) not in reviewers.NAME_COLUMNS:
        return False
    if reviewers.PLAY_COLUMNS & {normalise(str(c)) for c in raw.columns}:
        return True
    names = raw.filter(written.notnull() & ~placeholder).select(v=written).distinct()
    row = backend.execute(names.aggregate(n=names.count(),
                                          full=names.v.re_search(_FULL_NAME).cast("int64").sum())).iloc[0]
    return int(row["n"]) > 0 and int(row["full"] or 0) >= reviewers.SPACED_SHARE * int(row["n"])


def _names_note(backend, base, column: str) -> str:
    """cjm.data.reviewers.names_note over the reviews kept, counted in the engine."""
    written = base[REVIEWER_NAME]
    key = written.lower()
    hidden = key.isin(sorted(reviewers.HIDDEN_REVIEWER)).fill_null(False)
    signed = base.filter(key.notnull() & ~hidden).mutate(_key=key)
    counts = backend.execute(signed.group_by("_key").agg(n=signed.count(), line=signed.row_id.min(),
                                                        first=signed[REVIEWER_NAME].argmin(signed.row_id)))
    shared = counts[counts["n"] > 1].sort_values("line")
    top = shared[shared["n"] == shared["n"].max()].iloc[0] if len(shared) else None
    hid = base.filter(hidden)
    placeholders = backend.execute(hid.group_by(w=hid[REVIEWER_NAME]).agg(n=hid.count(), line=hid.row_id.min())
                                   .order_by("line"))
    return reviewers.names_sentence(column, int(shared["n"].sum()), int(top["n"]) if top is not None else 0,
                                    str(top["first"]) if top is not None else None, int(placeholders["n"].sum()),
                                    list(placeholders["w"].head(3)))


def _person_id(backend, raw, column: str, notes: list[str]):
    """The id of `column`, in lower case when it holds e-mail addresses (80% of its first 10,000 filled cells), with
    the upload's note on how many rows wrote them with capitals."""
    value = _identifier(raw[column])
    sample = backend.execute(raw.select(v=value).filter(value.notnull()).limit(10_000))["v"].astype("string")
    if len(sample) and sample.str.fullmatch(WHOLE_ID).all():
        value = _whole_number_ids(backend, raw, value, column, notes)
    if sample.empty or sample.str.fullmatch(EMAIL).mean() < 0.8:
        return value
    capitals = int(backend.execute(raw.aggregate(n=(value != value.lower()).cast("int64").sum()))["n"].fillna(0).iloc[0])
    if capitals:
        notes.append(f"E-mail addresses in {column!r} are compared in lower case (Ann@X.com is ann@x.com): "
                     f"{capitals:,} row{'' if capitals == 1 else 's'} wrote them with capitals.")
    return value.lower()


def _whole_number_ids(backend, raw, value, column: str, notes: list[str]):
    """`value` with a column of whole-number ids some written with decimals (101.0) read as whole numbers, as an
    upload reads them (cjm.data.cells.whole_number_ids, with its note); else as it is. One scan, run only when the
    first 10,000 ids are all whole numbers."""
    counts = backend.execute(raw.aggregate(
        dotted=(value.notnull() & value.re_search(DECIMAL_ID_PATTERN)).cast("int64").sum(),
        other=(value.notnull() & ~value.re_search(WHOLE_ID_PATTERN)).cast("int64").sum()))
    dotted, other = (int(counts[c].fillna(0).iloc[0]) for c in ("dotted", "other"))
    if not dotted or other:
        return value
    notes.append(f"Ids in {column!r} are whole numbers, {dotted:,} row{'' if dotted == 1 else 's'} written with "
                 "decimals (101.0, as a spreadsheet or pandas saves a column of ids with a blank cell): read as whole "
                 "numbers, so 101.0 and 101 are one customer.")
    return value.re_replace(r"\.0+$", "")


def _text(value):
    text = value if value.type().is_string() else value.cast("string")
    return trimmed(text).nullif("")


def _identifier(value):
    # the length test first: most values are longer than every token. Equalities rather than IN: DuckDB
    # runs an IN list of this size as a join, several times slower on every row
    text = _text(value)
    token = (text.length() <= max(map(len, MISSING_TOKENS))) & ibis.or_(*(text == t for t in MISSING_TOKENS))
    return ibis.ifelse(token, ibis.null("string"), text)


def _said_nothing(value):
    """A comment cell that says no comment (cjm.data.comments: 'n/a', '-', '-99', 'k.A.' in any case, or punctuation
    alone)."""
    text = _text(value)
    return (((text.length() <= comments.LONGEST) & text.lower().isin(sorted(comments.NO_COMMENT_WORDS)))
            | text.re_search(comments.PUNCTUATION))


def _comment(value):
    return ibis.ifelse(_said_nothing(value).fill_null(False), ibis.null("string"), _text(value))


def _timestamp(value):
    kind = value.type()
    if kind.is_timestamp():
        stamp = value if kind.timezone == "UTC" else value.cast("timestamp('UTC')")
    elif kind.is_date():
        stamp = value.cast("timestamp").cast("timestamp('UTC')")
    elif kind.is_string():
        text = trimmed(value)
        # an offset after a space (Twitter's '2015-02-24 11:35:52 -0800') or after a zone's name in any case
        # ('09:00 utc-05:00'), which the cast reads only alone
        joined = text.re_replace(r"(?i)(\s+|\s*(GMT|UTC)\s*)([+-]\d{2}:?\d{2})$", r"\3")
        if _plain_cast(value):  # PostgreSQL: Ibis compiles try_cast to CAST, which fails the query on 'soon'
            text, joined = _castable(text), _castable(joined)
        stamp = ibis.ifelse(text == "", ibis.null("timestamp('UTC')"),
                            ibis.coalesce(text.try_cast("timestamp('UTC')"), joined.try_cast("timestamp('UTC')")))
    else:
        raise MappingError(f"The timestamp column {value.get_name()!r} holds {kind}, not dates or times. Map the "
                           "column with the event time.")
    return stamp


# ISO text a cast reads (a date, its time of day, an offset or UTC / GMT / Z), its parts checked before the cast
_ISO_TEXT = (r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?"
             r"\s*(?:[Zz]|[Uu][Tt][Cc]|[Gg][Mm][Tt]|[+-](?:0\d|1[0-5])(?::?[0-5]\d)?)?$")


def _plain_cast(value) -> bool:
    """Whether the engine of `value` runs try_cast as a plain CAST (PostgreSQL, and SQL engines cjm does not know),
    which fails the whole query on one value that is no time."""
    found = engine.backend_of(value)
    return found is not None and found.kind not in ("duckdb", "pyspark")


def _castable(text):
    """`text` where a CAST to a timestamp reads it (ISO 8601 with a date that exists, hours to 23, minutes and seconds
    to 59: as an upload reads them), else null, so the cast never fails the query and the row is rejected as an
    unparseable timestamp, as on upload."""
    read = text.re_search(_ISO_TEXT).fill_null(False)

    def part(group: int):
        digits = text.re_extract(_ISO_TEXT, group).nullif("")
        return ibis.ifelse(read, digits, ibis.null("string")).cast("int64")

    year, month, day = part(1), part(2), part(3)
    hour, minute, second = (part(g).fill_null(0) for g in (4, 5, 6))
    ok = (read & month.between(1, 12) & (day >= 1) & hour.between(0, 23) & minute.between(0, 59)
          & second.between(0, 59)).fill_null(False)
    ok = ok & (day <= day_month_times.days_in_month(year, month)).fill_null(False)
    return ibis.ifelse(ok, text, ibis.null("string"))


def _zone_of(backend, raw, mapping: ColumnMapping, notes: list[str] | None = None):
    """(the column naming each row's time zone, its zones as written -> hours east of UTC, rows with a time whose
    zone cjm cannot tell), as an upload reads it (cjm.data.zones), or None."""
    source_ts = _written_time(raw, mapping)
    if mapping.timezone != "UTC" or mapping.shape == "wide" or (source_ts.type().is_timestamp()
                                                                and source_ts.type().timezone is not None):
        return None
    used = mapping.used_columns()
    column = next((c for c in raw.columns if c not in used and zones.is_zone_column(c)), None)
    if column is None or not raw[column].type().is_string():
        return None
    if source_ts.type().is_string() and zones.has_own_offsets(
            backend.execute(raw.select(t=source_ts).limit(300))["t"]):
        return None
    zone = _identifier(raw[column])  # '', 'NA', 'N/A': no zone, as an empty cell (cjm.data.zones)
    counts = backend.execute(raw.group_by(zone=zone).agg(n=source_ts.count()))
    filled = counts[counts["zone"].notna()]
    hours = zones.hours_of(filled["zone"])
    known = filled["zone"].map(hours).notna()
    if not filled["n"].sum() or filled.loc[known, "n"].sum() < zones.SHARE * filled["n"].sum():
        if known.any() and notes is not None:  # some zones cjm reads, too few: say so, as an upload does
            unknown = filled[~known]
            notes.append(zones.unread_sentence(column, unknown["zone"], int(unknown["n"].sum()),
                                               int(filled["n"].sum()), mapping.columns["timestamp"], mapping.timezone))
        return None
    unmoved = int(counts["n"].sum() - filled.loc[known, "n"].sum())
    return column, {z: h for z, h in hours.items() if h is not None}, unmoved, _dates_only(backend, raw, mapping)


def _dates_only(backend, raw, mapping: ColumnMapping) -> bool:
    """Whether the mapped times are dates without times, as an upload tells them (no column of times of day, and two
    values or more, all at midnight as written: cjm.data.timestamps.ParsedTimestamps.time_of_day 0); the zone column
    then moves nothing."""
    if mapping.time_of_day:
        return False
    stamp = _stamp(raw, mapping)
    midnight = stamp == _timestamp(stamp.date())  # the session runs in UTC (cjm.engine)
    row = backend.execute(raw.aggregate(n=stamp.count(), midnight=stamp.count(where=midnight))).iloc[0]
    return bool(int(row["n"] or 0) >= 2 and int(row["midnight"] or 0) == int(row["n"]))


def _with_wall(backend, raw, mapping: ColumnMapping):
    """`raw` with WALL, each row's time as written (`_stamp` without a zone), for the zone's CASE to read. The CASE
    (cjm.data.wall_times) compares the time with every change of offset in the data's span, two a year: with the
    parsing of text times in place of the column, the SQL held one copy of it per comparison (34 MB for two centuries
    of Lord Howe: 10 GB and 5 minutes in PostgreSQL for 4 rows). PostgreSQL folds a plain subquery's columns back into
    the query that reads them (397 s with the column alone); a window function in the subquery stops it (4 s). DuckDB
    and Spark keep the column as computed, and Spark would move every row into one partition for that window."""
    fence = {} if backend.kind in ("duckdb", "pyspark") else {FENCE: ibis.row_number().over()}
    return raw.mutate(**{WALL: _stamp(raw, mapping)}, **fence)


def _stamp(raw, mapping: ColumnMapping, local=None):
    """The mapped time of each row as written (in UTC), before any zone column moves it. `local`: (the mapping's time
    zone, the first and last wall times) when times written without a zone are that zone's (`_local_times`); the
    time as written is then read from WALL where `raw` has it (`_with_wall`)."""
    source_ts = _written_time(raw, mapping)
    if local is not None and WALL in raw.columns:
        stamp = raw[WALL]
    else:
        stamp = _timestamp(source_ts)
        if mapping.time_of_day:  # the dates' times of day in a column of their own ('Date' and 'Time')
            day = source_ts.cast("date").cast("string") if source_ts.type().is_temporal() else _text(source_ts)
            clock = _twenty_four_hours(_text(raw[mapping.time_of_day]))
            stamp = ibis.ifelse(clock.isnull(), stamp, _timestamp(day.concat(" ", clock)))
    if local is None:
        return stamp
    zone, first, last = local
    in_zone = wall_times.to_utc(stamp.cast("timestamp"), zone, first, last).cast("timestamp('UTC')")
    if not source_ts.type().is_string():
        return in_zone
    return ibis.ifelse(_text(source_ts).re_search(_OFFSET).fill_null(False), stamp, in_zone)  # '…+01:00': an instant


# a time with its UTC offset written ('Z', ' UTC', ' gmt' in any case, as an upload reads them; '+05:30', 'GMT+01:00':
# DuckDB reads the offset, so the time is not moved again from the mapping's zone)
_OFFSET = (r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*([Zz]|([Uu][Tt][Cc]|[Gg][Mm][Tt])(\s*[+-]\d{1,2}(:?\d{2})?)?"
           r"|[+-]\d{2}(:?\d{2})?)$")


# a time with its own zone written after it (as `_OFFSET` finds it): group 1 is the time as written, on its clock
_WRITTEN_ZONE = (r"^(.*\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*"
                 r"(?:[Zz]|(?:[Uu][Tt][Cc]|[Gg][Mm][Tt])(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}(?::?\d{2})?)$")


def _own_offsets(backend, raw, mapping: ColumnMapping) -> bool:
    """Whether the times are text some of which carry an offset other than UTC's, among the first 300 (as
    `_zone_of` looks at them): their clock is kept (`_written_clock`)."""
    if "timestamp" not in mapping.columns or mapping.shape == "wide":
        return False
    written = _written_time(raw, mapping)
    if not written.type().is_string():
        return False
    sample = backend.execute(raw.select(t=written).limit(300))["t"].dropna().astype(str)
    return bool(sample.str.strip().str.contains(NON_UTC_OFFSET, regex=True).any())


def _written_clock(raw, mapping: ColumnMapping, stamp, local=None):
    """Each row's clock (schema.CLOCK: seconds east of UTC, int32): its time as written, its own offset left out, less
    `stamp`, the UTC instant it was read as (in its own offset, or in the mapping's time zone). A time written without
    an offset in the mapping's zone (`local`: the zone, the first and last wall times) is on that zone's clock at that
    instant (`wall_times.clock`: one in the hour summer time skips, moved to the gap's end, too), as uploaded."""
    written = _written_time(raw, mapping)
    own = None
    if written.type().is_string() and not mapping.time_of_day:
        text = _text(written)  # the time without its zone: extracted, not replaced (Spark writes groups as $1)
        own = text.re_search(_WRITTEN_ZONE).fill_null(False)
        wall = _timestamp(ibis.ifelse(own, text.re_extract(_WRITTEN_ZONE, 1), text))
    else:
        wall = raw[WALL] if WALL in raw.columns else _stamp(raw, mapping)
    seconds = seconds_between(wall, stamp).round().cast("int32")
    if local is None:
        return seconds
    zone, first, last = local
    parsed = raw[WALL] if WALL in raw.columns else wall  # the parsing once, a column (`_with_wall`), not per branch
    in_zone = wall_times.clock(parsed.cast("timestamp"), zone, first, last)
    return in_zone if own is None else ibis.ifelse(own, seconds, in_zone)


def _local_times(backend, raw, mapping: ColumnMapping):
    """(zone, first, last wall time) when the mapping names a time zone other than UTC and the times are written
    without one (not a column of instants, nor epoch numbers), as an upload reads them in that zone; else None."""
    written = _written_time(raw, mapping)
    kind = written.type()
    if mapping.timezone == "UTC" or mapping.shape == "wide" or (kind.is_timestamp() and kind.timezone is not None):
        return None
    wall = _stamp(raw, mapping).cast("timestamp")
    span = backend.execute(raw.aggregate(first=wall.min(), last=wall.max())).iloc[0]
    if pd.isna(span["first"]):
        return None
    return mapping.timezone, pd.Timestamp(span["first"]).tz_localize(None), pd.Timestamp(span["last"]).tz_localize(None)


_TWELVE_HOURS = r"^(\d{1,2}):(\d{2})(:(\d{2}))?\s*([AaPp])\.?[Mm]\.?$"


def _twenty_four_hours(clock):
    """Times of day on a 12-hour clock (9:30 PM, 12:05:09 am) on a 24-hour one (21:30:00, 00:05:09), as an upload
    reads them (cjm.data.timestamps.with_time_of_day); other times as written."""
    written_hour = clock.re_extract(_TWELVE_HOURS, 1).nullif("").cast("int64")  # '' where the pattern is not met
    minute, second = clock.re_extract(_TWELVE_HOURS, 2), clock.re_extract(_TWELVE_HOURS, 4).nullif("").fill_null("00")
    hour = written_hour % 12 + ibis.ifelse(clock.re_extract(_TWELVE_HOURS, 5).upper() == "P", 12, 0)
    written = hour.cast("string").lpad(2, "0").concat(":", minute, ":", second)
    twelve = clock.re_search(_TWELVE_HOURS) & written_hour.between(1, 12)
    return ibis.ifelse(twelve.fill_null(False), written, clock)


# --- order and payment statuses (cjm.data.money._mark_returns, in the engine) ------------------------------------------

# what a row's status or its reversal made of its money: 'reversal' (a reversal line: negative), 'settled',
# 'failed', 'unpaid', 'no money'
STATUS_MONEY = "_status_money"


def _statuses(backend, raw, mapping: ColumnMapping, key: str | None = None, notes: list[str] | None = None,
              source=None, event_cells=None):
    """Per row, what its order or payment status, its event's name and its reversal document say, as an upload reads
    them (cjm.data.money._mark_returns with the words of cjm.data.reversals), as boolean expressions (never null):
    'cancel', 'return', 'failed', 'unpaid', 'not_yet' from the unmapped text columns an upload reads as the order's
    status (failed and unpaid: the payment's; not_yet: a credit note's refund still due), on the lower-cased, trimmed
    cell; 'document' where a reversal document's column is filled (a credit note's number, the purchase the row takes
    back); 'invoice' on a cancellation invoice's number ('C536379': money.cancellation_invoices, over the whole
    column); 'reversal_names' and 'never_moved' (the event names an upload reads as money going back, or money that
    never moved: reversals.reversal, never_moved, of at most SAMPLE_ROWS names). None for a wide export, a refunds
    export (read otherwise) or a table with neither money nor such a status. A status written on an order's first
    line only (Shopify) is read on all its lines (`_first_line_statuses`, said in `notes`). `source`: the table as
    given, where the event names and the invoice numbers are counted (without the window that numbers a file's
    lines)."""
    if mapping.shape == "wide" or reads_as_refunds(mapping):
        return None
    used = set(mapping.columns.values())
    columns = [c for c in raw.columns if c not in used and raw[c].type().is_string()
               and reversals.order_status_column(c)]
    source = raw if source is None else source
    invoice = _cancellation_invoices(backend, raw, used, source)
    invoice_columns = [c for c in money.invoice_status_columns(raw.columns, mapping) if c in columns]
    if not columns and not ("revenue" in mapping.columns or mapping.revenue_from) and invoice is None:
        return None
    # no such column: the constant False, folded away by `_net_of_statuses`
    said = {k: _Flag(False) for k in ("cancel", "return", "failed", "unpaid", "not_yet", "document")}
    said["invoice"] = _Flag(False if invoice is None else invoice)
    written = _first_line_statuses(backend, raw, mapping, key, columns, notes if notes is not None else []) \
        if columns else {}
    for column in columns:
        value = written[column].lower()

        def says(pattern):
            return value.re_search(pattern).fill_null(False)

        said["cancel"] |= says(reversals.CANCEL_STATUS)
        said["return"] |= says(reversals.RETURN_STATUS)
        if reversals.payment_status_column(column):
            said["failed"] |= says(reversals.FAILED_STATUS)
            said["unpaid"] |= says(reversals.UNPAID_STATUS)
        said["not_yet"] |= says(reversals.NOT_YET_BACK_STATUS)
    for column in raw.columns:
        if column not in used and reversals.reversal_document_column(column):
            said["document"] |= _text(raw[column]).notnull()
    for column in invoice_columns:  # an invoice sent, open or overdue: not paid (not a credit note's status)
        said["unpaid"] |= _Flag(written[column].lower().re_search(reversals.INVOICE_UNPAID_STATUS).fill_null(False)) \
            & ~said["document"]
    flags = [c for c in raw.columns if c not in used and returns.reversal_flag_name(c) is not None]
    if flags:  # "Fully Refunded?", "Cancelled?" of 1 / 0 (yes / no) settle their row, as on upload
        head = backend.execute(raw.select(*flags).limit(SAMPLE_ROWS))
        for column, kind in returns.reversal_flag_columns(head, used).items():
            yes = _text(raw[column].cast("string")).lower().isin(["1", "1.0", "true", "yes"]).fill_null(False)
            said["return" if kind == "return" else "cancel"] |= yes
    if "event" in mapping.columns:
        # the cells as written, distinct (`event_cells`: counted with the duplicates, else here), read as names
        # (trimmed, no NA) on each spelling once
        if event_cells is None:
            event_cells = backend.execute(source.select(v=source[mapping.columns["event"]]).distinct())["v"]
        names = sorted({n for n in map(_name_of, event_cells) if n is not None})[:SAMPLE_ROWS]
    else:
        names = [mapping.event_constant] if mapping.event_constant else []
    said["reversal_names"] = sorted(n for n in names if reversals.reversal(n))
    said["never_moved"] = sorted(n for n in names if reversals.never_moved(n))
    return said


def _name_of(cell) -> str | None:
    """An event cell as `_identifier` reads it in the engine (text trimmed of white space; empty, or a
    missing-value token such as NA: None), for a few distinct cells already fetched."""
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return None
    text = str(cell).strip(" \t\n\r\x0b\x0c")  # the characters Ibis's strip() trims
    return None if not text or text in MISSING_TOKENS else text


def _cancellation_invoices(backend, raw, used: set, source):
    """True on the rows whose invoice number marks a cancellation ('C536379' beside '536365'), as an upload reads them
    (cjm.data.money: money.invoice_column, money.cancellation_invoices over the whole column; one query for all such
    columns), else None (no query when no text column is named for invoices or orders). Counted on `source`, the table
    as given."""
    columns = [c for c in source.columns if c not in used and source[c].type().is_string() and money.invoice_column(c)]
    if not columns:
        return None

    def matches(table, column, pattern):
        return _text(table[column]).re_search(f"^(?:{pattern})$").fill_null(False)

    shares = backend.execute(source.aggregate(
        n=source.count(),
        **{f"f{i}": matches(source, c, money.CANCELLATION_INVOICE).cast("int64").sum() for i, c in enumerate(columns)},
        **{f"d{i}": matches(source, c, money.INVOICE_NUMBER).cast("int64").sum()
           for i, c in enumerate(columns)})).iloc[0]
    flagged = {c: matches(raw, c, money.CANCELLATION_INVOICE) for c in columns}
    rows = int(shares["n"] or 0)
    out = None
    for i, column in enumerate(columns):
        if rows and money.cancellation_invoices(int(shares[f"f{i}"] or 0) / rows, int(shares[f"d{i}"] or 0) / rows):
            out = flagged[column] if out is None else out | flagged[column]
    return out


def _first_line_statuses(backend, raw, mapping: ColumnMapping, key: str | None, columns: list[str],
                         notes: list[str]) -> dict:
    """Each status column's cells as text (trimmed, empty ones null); one written on each order's first line only
    (same customer and order id: Shopify's 'Financial Status') read on all the order's lines, as
    cjm.data.returns.fill_first_line_fields does on upload: only when no later line of any order has it filled, some
    first line has, and some later line is filled so. Said in `notes` as the upload says it. One query."""
    text = {c: _text(raw[c]) for c in columns}
    if key is None:
        return text
    customer, order = raw._customer, _text(raw[key])
    grouped = customer.notnull() & order.notnull()
    by_order = ibis.window(group_by=[customer, order])

    def first(column):  # in file order; lines of one time in a table without one: the filled line first
        line = ibis.row_number().over(ibis.window(group_by=[customer, order],
                                                  order_by=[_line_order(raw, mapping), text[column].isnull()]))
        return ~grouped | (line == 0)

    rows = raw.select(**{f"p{i}": text[c].notnull() for i, c in enumerate(columns)},
                      **{f"f{i}": first(c) for i, c in enumerate(columns)},
                      **{f"o{i}": ibis.ifelse(grouped, text[c].max().over(by_order), ibis.null("string"))
                         for i, c in enumerate(columns)})
    checks = {}
    for i, _ in enumerate(columns):
        present, value, first_line = rows[f"p{i}"], rows[f"o{i}"], rows[f"f{i}"]
        checks[f"later{i}"] = (present & ~first_line).cast("int64").sum()
        checks[f"first{i}"] = (present & first_line).cast("int64").sum()
        checks[f"fills{i}"] = (~present & value.notnull()).cast("int64").sum()
    row = backend.execute(rows.aggregate(**checks)).iloc[0]
    filled = [c for i, c in enumerate(columns) if not int(row[f"later{i}"] or 0) and int(row[f"first{i}"] or 0)
              and int(row[f"fills{i}"] or 0)]
    for column in filled:
        text[column] = ibis.ifelse(grouped, text[column].max().over(by_order), text[column])
    if filled:
        notes.append(money.first_line_note(filled, key))
    return text


def _net_of_statuses(statuses: dict, event, revenue, has_revenue: bool, same_order=None, *,
                     every_row_an_order: bool = False) -> dict:
    """The event, revenue and STATUS_MONEY of each row, as cjm.data.money._mark_returns makes them on upload (its
    rules, one by one, on `_statuses`):
    - a reversal line takes money back (its revenue negative; it keeps its event's name when named like a reversal,
      else reads 'return', or 'cancellation' on a cancellation invoice): a row of negative money, a row named like a
      reversal ('refund' of +40: -40) and a reversal document with money (a credit note 'Refunded' or 'Adjusted'),
      unless a document's status says voided or not yet paid back;
    - a cancelled, returned or refunded order is the order and its reversal at once and counts no money ('cancellation',
      'return');
    - money that never moved counts none: a failed or declined payment ('failed payment'), an invoice not paid ('not
      paid'), an event named so ('refund_failed', 'payment_declined'), a credit note whose refund is still due ('refund
      pending'), and a reversal line that failed.
    Only rows with money are renamed (the visit or the checkout of a cancelled order happened), and the other lines of
    their order under the same event name (`same_order`: True on a line of an order whose line of the same name has
    money, as cjm.data.returns.same_order_and_event); without a money column, or without an event column
    (`every_row_an_order`: each row is the order itself, a cancelled order's price left empty in Amazon's report),
    every row whose status says cancelled or returned is."""
    cancel, ret, failed, unpaid, not_yet, document, invoice = (
        _Flag(statuses[k]) for k in ("cancel", "return", "failed", "unpaid", "not_yet", "document", "invoice"))
    money_ = _Flag(revenue.notnull() if has_revenue else False)
    named = _Flag(event.isin(statuses["reversal_names"]).fill_null(False) if statuses["reversal_names"] else False)
    moved_not = _Flag(event.isin(statuses["never_moved"]).fill_null(False) if statuses["never_moved"] else False) & money_
    negative = _Flag((revenue < 0).fill_null(False) if has_revenue else False)
    not_yet_back = _Flag(False)
    if has_revenue:
        negative |= named & money_ & ~(document & (cancel | not_yet))
        # a credit note's "Refunded" is its own status (the money went back): it takes its amount back
        negative |= document & money_ & ~cancel & ~not_yet
        not_yet_back = document & money_ & not_yet & ~cancel
    failed_reversal = negative & (moved_not | failed | not_yet_back)
    reversal_line = (invoice | negative) & ~failed_reversal
    cancel = (invoice | cancel) & ~moved_not  # a card's authorization "void" (as each one ends) is no order
    ret = (ret | negative) & ~cancel & ~failed_reversal
    settled = (cancel | ret) & ~reversal_line
    failed = failed & money_ & ~(cancel | ret | reversal_line | failed_reversal)
    no_money = (failed | moved_not | failed_reversal | (unpaid & money_) | not_yet_back) & ~reversal_line & ~settled
    unpaid = unpaid & money_ & ~failed & ~reversal_line & ~settled
    renamed = (money_ | _Flag(same_order if same_order is not None else False)) if has_revenue and not \
        every_row_an_order else _Flag(True)
    out = {"event": _cases([(not_yet_back & renamed, "refund pending"), (unpaid & renamed, "not paid"),
                            (failed & renamed, "failed payment"), (ret & renamed & ~named, reversals.RETURNED),
                            (cancel & renamed & ~named, reversals.CANCELLED)], event).cast("string"),
           STATUS_MONEY: _cases([(reversal_line, "reversal"), (settled, "settled"), (failed, "failed"),
                                 (unpaid, "unpaid"), (no_money, "no money")], ibis.null("string"))}
    if has_revenue:
        out["revenue"] = _cases([(reversal_line & money_, -revenue.abs()),
                                 ((settled | no_money) & money_, ibis.literal(0.0))], revenue)
    return out


def _invoices_not_sent(raw, mapping: ColumnMapping):
    """True on the rows of an invoices export whose invoice status says it never went to the customer, as an upload
    reads them (cjm.data.money.invoices_not_sent: a draft, not a credit note's)."""
    columns = [c for c in money.invoice_status_columns(raw.columns, mapping) if raw[c].type().is_string()]
    if mapping.shape == "wide" or not columns:
        return ibis.literal(False)
    found = _Flag(False)
    for column in columns:
        found |= _text(raw[column]).lower().re_search(reversals.INVOICE_NOT_SENT_STATUS).fill_null(False)
    used = set(mapping.columns.values())
    for column in raw.columns:
        if column not in used and reversals.reversal_document_column(column):
            found &= _text(raw[column]).isnull()
    return found.value if not isinstance(found.value, bool) else ibis.literal(found.value)


class _Flag:
    """A row's yes / no as an Ibis boolean, or a constant (True, False) folded away before the SQL, so a table with no
    status, no reversal name and no document pays only for the conditions it has (`_net_of_statuses`)."""

    def __init__(self, value):
        self.value = value.value if isinstance(value, _Flag) else value

    def __and__(self, other):
        a, b = self.value, _Flag(other).value
        if a is False or b is False:
            return _Flag(False)
        return _Flag(b if a is True else a if b is True else a & b)

    def __or__(self, other):
        a, b = self.value, _Flag(other).value
        if a is True or b is True:
            return _Flag(True)
        return _Flag(b if a is False else a if b is False else a | b)

    def __invert__(self):
        return _Flag(not self.value if isinstance(self.value, bool) else ~self.value)


def _cases(branches, default):
    """ibis.cases over the branches whose condition is not the constant False (`_Flag`); `default` when none is left."""
    kept = []
    for condition, value in branches:
        if condition.value is False:
            continue
        kept.append((ibis.literal(True) if condition.value is True else condition.value, value))
        if condition.value is True:
            break
    return ibis.cases(*kept, else_=default) if kept else default


def _same_order_and_event(raw, key: str | None, event, revenue):
    """True on the lines of an order (same customer and order id) that has a line of the same event name with money,
    as cjm.data.returns.same_order_and_event; None without an order id column."""
    if key is None:
        return None
    customer, order = raw._customer, _text(raw[key])
    has = revenue.notnull().cast("int64").max().over(ibis.window(group_by=[customer, order, event]))
    return (customer.notnull() & order.notnull() & (has == 1)).fill_null(False)


TOTALS = "_totals_line"  # a row whose first cell is a totals word (TOTALS_ROW when it names no one)
UNSENT = "_not_sent"  # a row whose request or message status says it was never sent (NOT_SENT)
DRAFT = "_invoice_not_sent"  # a row whose invoice status says it never went to the customer (INVOICE_NOT_SENT)
TESTED = "_test_row"  # a row its test-mode column says is a test (TEST_ROW)
REVENUE_FROM = ("_quantity", "_unit_price")  # a mapping's revenue_from, read by `_numbers` as numbers
REFUNDED, ORDER = "_refunded", "_order"  # a row's refunded amount and its order id, for `_net_of_refunds`


def _order_key(sample, mapping: ColumnMapping) -> str | None:
    """The column naming each row's order when one repeats over several rows (line items), told as an upload tells it
    (cjm.data.returns.order_key) from `sample`, the table's first SAMPLE_ROWS rows (None without a money column, or
    for a wide export or a refunds export, read otherwise on upload)."""
    return None if sample is None else returns.order_key(sample, {mapping.columns.get("customer_id")})


def _refund_column(backend, raw, mapping: ColumnMapping, sample):
    """(column, its amounts as numbers) when an unmapped column holds refunded amounts (Stripe's 'Amount Refunded',
    WooCommerce's 'Order Refund Amount'), told as an upload tells them (cjm.data.returns.refund_column) from `sample`,
    the table's first SAMPLE_ROWS rows; else None (also without a sample: no money column, a wide export or a refunds
    export, whose refunds an upload reads otherwise)."""
    if sample is None:
        return None
    column = returns.refund_column(sample, mapping.used_columns(), mapping.columns["revenue"])
    if column is None:
        return _not_kept(backend, raw, mapping, sample)
    return column, _numbers(backend, raw, mapping, columns={REFUNDED: column})[REFUNDED]


def _not_kept(backend, raw, mapping: ColumnMapping, sample):
    """(column, the money of each row it says was not kept, its note's kind) for an adjusted total or a partly paid
    invoice's balance, read as an upload reads them (cjm.data.kept): the total less the adjusted total where above 0;
    the balance on rows whose invoice status says partly paid. Else None."""
    statuses = [c for c in money.invoice_status_columns(sample.columns, mapping) if raw[c].type().is_string()]
    found = kept.kept_column(sample.columns, mapping.used_columns(), mapping.columns["revenue"], statuses)
    if found is None:
        return None
    column, kind = found
    got = _numbers(backend, raw, mapping, columns={"revenue": mapping.columns["revenue"], REFUNDED: column})
    amount = got[REFUNDED]
    if kind == kept.ADJUSTED:
        return column, ibis.ifelse((amount > 0).fill_null(False), ibis.greatest(got["revenue"] - amount, 0.0),
                                   ibis.null("float64")), kind
    partly = ibis.literal(False)
    for status in statuses:
        partly |= _text(raw[status]).lower().re_search(kept.PARTLY_PAID_STATUS).fill_null(False)
    return column, ibis.ifelse(partly, ibis.greatest(amount, 0.0), ibis.null("float64")), kind


def _repeated_rows(backend, source, mapping: ColumnMapping):
    """(the columns to compare when some row of `source`, the table as given, repeats an earlier one in every column,
    as cjm.data.dataset.duplicated_rows compares an upload's rows, else None; the event column's distinct cells as
    written, for `_statuses`, or None). One query counting the distinct rows per event cell, so a table without such
    rows (most warehouse tables) pays no window over all its columns, and the event names cost no scan of their own.
    No rows are compared without a customer id (each row one respondent: two people can answer alike) or when the
    mapping keeps identical rows."""
    columns = [c for c in source.columns if c not in (FILE_LINE, "file_row_number")]  # FILE_NAME kept: per file
    compared = "customer_id" in mapping.columns and not mapping.keep_identical
    event = mapping.columns.get("event")
    if not compared and event is None:
        return None, None
    if not compared:
        return None, backend.execute(source.select(v=source[event]).distinct())["v"]
    groups = source.group_by(columns).agg(_n=source.count())
    if event is None:
        extra = backend.execute(groups.aggregate(extra=(groups._n - 1).sum()))["extra"].iloc[0]
        return (columns if not pd.isna(extra) and int(extra) > 0 else None), None
    per_event = backend.execute(groups.group_by(v=groups[event]).agg(extra=(groups._n - 1).sum()))
    extra = per_event["extra"].fillna(0).sum()
    return (columns if int(extra) > 0 else None), per_event["v"]


def _file_order(raw):
    """The rows' place in the file (a CSV's line, a Parquet file's row number, a row_id column of whole numbers), or
    None when the table has none."""
    for column in (FILE_LINE, "file_row_number", "row_id"):
        if column in raw.columns and raw[column].type().is_integer():
            return raw[column]
    return None


def _line_order(raw, mapping: ColumnMapping):
    """The order of the rows in the file (its line, or the mapping's row_id column), else in time."""
    if FILE_LINE in raw.columns:
        return raw[FILE_LINE]
    if "row_id" in raw.columns and raw.row_id.type().is_integer():
        return raw.row_id
    return _stamp(raw, mapping)


def _later_line(raw, mapping: ColumnMapping, key: str):
    """True on the 2nd, 3rd ... line of each order (same customer and order id), in file order."""
    customer, order = raw._customer, _text(raw[key])
    first = ibis.row_number().over(ibis.window(group_by=[customer, order], order_by=_line_order(raw, mapping)))
    return customer.notnull() & order.notnull() & (first > 0)


def _order_total_once(backend, raw, mapping: ColumnMapping, numbers: dict, key: str | None, notes: list[str],
                      mapped) -> bool:
    """Whether the revenue column is each order's total repeated on each of its lines (WooCommerce's 'Order Total
    Amount'), to count once, on the order's first line, as cjm.data.money._order_total_once does on upload: the column
    is named for the order's total (not a line's price), every order of several lines (same customer and order id)
    holds one amount on all of them (some filled), and the order id column names orders (not one id per customer
    over days: cjm.data.returns.one_id_per_customer, here in the engine on `mapped`, the rows as mapped). Says so in
    `notes`."""
    column = mapping.columns.get("revenue")
    if column is None or key is None:
        return False
    words = set(normalise(column).split("_"))
    if not words & returns.ORDER_TOTAL_WORDS or words & returns.LINE_WORDS:
        return False
    revenue, customer, order = numbers["revenue"], raw._customer, _text(raw[key])
    rows = raw.select(_c=customer, _o=order, _r=revenue)
    rows = rows.filter(rows._c.notnull() & rows._o.notnull())
    lines = rows.group_by("_c", "_o").agg(n=rows.count(), k=rows._r.nunique(), filled=rows._r.count())
    several = lines.filter(lines.n > 1)
    row = backend.execute(several.aggregate(
        orders=several.count(), differ=((several.k > 1) | ((several.k >= 1) & (several.filled < several.n)))
        .cast("int64").sum(), filled=several.filled.sum())).iloc[0]
    if not int(row["orders"] or 0) or int(row["differ"] or 0) or not int(row["filled"] or 0):
        return False
    if _one_id_per_customer(backend, mapped):
        return False
    notes.append(money.repeated_total_note(column, int(row["orders"])))
    return True


def _one_id_per_customer(backend, mapped) -> bool:
    """cjm.data.returns.one_id_per_customer in the engine, on the mapped rows with money: whether more customers hold
    ONE order id (an id no other customer holds) on rows of one event name dated on two days or more, at least
    returns.ID_SPAN_HOURS apart, than hold two ids or more (then the column names no orders). The days of each row's
    clock (schema.CLOCK, where the file names its zone or offsets; else UTC's), as on upload."""
    rows = mapped.filter(mapped.revenue.notnull() & mapped._cid.notnull() & mapped[ORDER].notnull())
    by_id = ibis.window(group_by=rows[ORDER])
    rows = rows.mutate(_lo=rows._cid.min().over(by_id), _hi=rows._cid.max().over(by_id))
    own = rows.filter(rows._lo == rows._hi)
    seconds = own.timestamp.epoch_seconds().cast("float64")
    if schema.CLOCK in own.columns:  # the day as a number, whatever the engine's session zone (cjm.journey.orders)
        seconds = seconds + own[schema.CLOCK].fill_null(0).cast("float64")
    own = own.mutate(_day=(seconds / 86400).floor())
    spans = own.group_by("_cid", ORDER, "event").agg(days=own._day.nunique(), first=own.timestamp.min(),
                                                     last=own.timestamp.max())
    spans = spans.mutate(over=(spans.days > 1) & ((spans["last"].epoch_seconds() - spans["first"].epoch_seconds())
                                                  >= returns.ID_SPAN_HOURS * 3600))
    held = spans.group_by("_cid").agg(ids=spans[ORDER].nunique(), over=spans.over.cast("int64").max())
    row = backend.execute(held.aggregate(several=(held.ids > 1).cast("int64").sum(),
                                         one=((held.ids == 1) & (held.over == 1)).cast("int64").sum())).iloc[0]
    return int(row["one"] or 0) > int(row["several"] or 0)


def _net_of_refunds(backend, mapped, column: str, notes: list[str], *, every_row_an_order: bool = False,
                    kind: str | None = None):
    """`mapped` with each order's refunded amount taken off its money, as cjm.data.money._net_of_refunds and
    cjm.data.returns.refunded_part do on upload, in the engine: an order (same customer and order id; a row without
    one is an order of its own) has refunded the amount its lines write once (the largest), or their sum when some
    order's lines write different amounts, taken from its lines in file order and never more than a line's money
    (100 with 30 refunded counts 70; no order below 0). Not on rows whose status already made them net (a refunded
    order counts 0, never -30), rows of negative money (reversal lines), nor on a customer who has such rows (the
    refund is there already). Says how many orders in `notes`."""
    revenue = mapped.revenue
    negative = (revenue < 0).fill_null(False)
    decided = negative | (mapped[STATUS_MONEY].notnull() if STATUS_MONEY in mapped.columns else ibis.literal(False))
    refunds_apart = negative.cast("int64").max().over(ibis.window(group_by=mapped._cid)) == 1
    eligible = ~decided & ~(refunds_apart.fill_null(False) & mapped._cid.notnull())
    amount = mapped[REFUNDED].abs()
    order = ibis.ifelse(mapped._cid.notnull() & mapped[ORDER].notnull(), mapped[ORDER],
                        ibis.literal("\x1frow ").concat(mapped.row_id.cast("string")))
    step = mapped.mutate(_eligible=eligible, _amount=ibis.ifelse(eligible & (amount > 0).fill_null(False), amount,
                                                                 ibis.null("float64")),
                         _order_key=order, _money=ibis.ifelse(eligible & revenue.notnull(), ibis.greatest(revenue, 0.0),
                                                              ibis.literal(0.0)))
    kinds = step.group_by("_cid", "_order_key").agg(k=step._amount.nunique())
    per_line = bool(int(backend.execute(kinds.aggregate(n=(kinds.k > 1).cast("int64").sum()))["n"].iloc[0] or 0))
    order_window = ibis.window(group_by=[step._cid, step._order_key])
    total = (step._amount.sum() if per_line else step._amount.max()).over(order_window)
    before = step._money.sum().over(ibis.cumulative_window(group_by=[step._cid, step._order_key],
                                                           order_by=step.row_id)) - step._money
    step = step.mutate(_total=total, _before=before)
    part = ibis.ifelse((step._total > 0).fill_null(False),
                       ibis.least(ibis.greatest(step._total - step._before, 0.0), step._money), ibis.null("float64"))
    step = step.mutate(_part=part)
    n = backend.execute(step.filter(step._part > 0).aggregate(
        n=(step._cid.cast("string").fill_null("").concat("\x1f", step._order_key)).nunique()))["n"].iloc[0]
    out = step.mutate(revenue=step.revenue - step._part.fill_null(0.0))
    whole = 0
    if every_row_an_order:
        # an order refunded whole reads 'return', not a purchase of nothing (cjm.data.money._net_of_refunds on upload):
        # its lines' money all taken back by its refunded amount; a partly refunded order's lines keep their names,
        # those without money too (Shopify writes the order's total on its first line only)
        left = out.revenue.fill_null(0.0).abs() < 0.005
        taken = ((out._part > 0) & (out._money > 0)).fill_null(False)
        all_back = taken.cast("int64").max().over(order_window) == 1
        none_kept = (~left).cast("int64").max().over(order_window) == 0
        out = out.mutate(_whole=(all_back & none_kept & left).fill_null(False))
        whole = int(backend.execute(out.filter(out._whole & taken).aggregate(
            n=(out._cid.cast("string").fill_null("").concat("\x1f", out._order_key)).nunique()))["n"].iloc[0] or 0)
        out = out.mutate(event=ibis.ifelse(out._whole, ibis.literal(reversals.RETURNED), out.event),
                         revenue=ibis.ifelse(out._whole, ibis.literal(0.0), out.revenue)).drop("_whole")
    out = out.drop(REFUNDED, "_eligible", "_amount", "_order_key", "_money", "_total", "_before", "_part")
    if not int(n or 0):
        return mapped.drop(REFUNDED)
    notes.append(money.refunded_note(column, int(n), whole=whole) if kind is None
                 else kept.note(column, kind, int(n), whole))  # an adjusted total, a balance: cjm.data.kept
    return out


def _status_note(backend, base) -> str | None:
    """The upload's note (cjm.data.money.status_note) on the rows used whose status or reversal made their money net
    (reversal lines named by their events), or None."""
    said = base.filter(base[STATUS_MONEY].notnull())
    counts = backend.execute(said.group_by(STATUS_MONEY, "event").agg(n=said.count()))
    n = counts.groupby(STATUS_MONEY)["n"].sum().astype(int).to_dict()
    if not n:
        return None
    named = sorted(str(e) for e in counts.loc[counts[STATUS_MONEY] == "reversal", "event"].dropna().unique())
    return money.status_note(n.get("reversal", 0), n.get("settled", 0),
                             n.get("failed", 0) + n.get("unpaid", 0) + n.get("no money", 0), reversal_names=named,
                             failed="failed" in n, unpaid="unpaid" in n)


def _mapped(raw, mapping: ColumnMapping, numbers: dict, *, row_id: str | None, flag=None, zone=None, score_words=None,
            local=None, statuses=None, refund=None, order_key=None, total_once=False, duplicates=None, own=False):
    cols = mapping.columns
    source_ts = raw[cols["timestamp"]]
    has_ts = _text(source_ts).notnull() if source_ts.type().is_string() else source_ts.notnull()
    stamp = _stamp(raw, mapping, local)
    clock = None
    if zone is not None:  # each row's wall time in the zone its zone column names (cjm.data.zones)
        column, hours = zone[:2]
        named = _text(raw[column]).substitute({z: round(h * 3600) for z, h in hours.items()},
                                              else_=ibis.null("int64"))
        stamp = stamp - named.fill_null(0).cast("int64").as_interval("s")
        clock = named.cast("int32")  # a row naming no zone cjm knows: read in UTC, its clock unnamed (null)
    elif local is not None or own:  # the mapping's zone, or offsets written in the times: the time as written - UTC
        clock = _written_clock(raw, mapping, stamp, local)
    # the id (e-mails in lower case), or the person who signed in on each anonymous id: `_stitched` put it in `_customer`
    values = {"_cid": raw._customer, "_has_ts": has_ts, "timestamp": stamp, WRITTEN_TIME: source_ts.cast("string")}
    if clock is not None:  # each event's clock (schema.CLOCK), as an upload keeps it: the day map's hours
        values[schema.CLOCK] = clock
    if flag is not None:  # the purchase flag's reading (yes, no or missing) and its cell as written
        values.update(_bought=flag[0], _said=flag[1])
    if REVIEWER_NAME in raw.columns:  # each review its own reviewer: the name as written, for `_names_note`
        values[REVIEWER_NAME] = raw[REVIEWER_NAME]
    if MONEY_SIGN in numbers:  # the currency of each row's money, for `_one_currency`
        values[MONEY_SIGN] = numbers[MONEY_SIGN]
    values["event"] = (_identifier(raw[cols["event"]]) if "event" in cols
                       else ibis.literal(mapping.event_constant, "string"))
    if "event" in cols and mapping.event_fallback:  # a Segment message log: a page or identify call is that call
        values["event"] = values["event"].fill_null(_identifier(raw[mapping.event_fallback]))
    for column in schema.OPTIONAL:
        if column == "revenue" and column not in cols and column in numbers:  # quantity x unit price (`_numbers`)
            values[column] = numbers[column]
        elif column not in cols:
            values[column] = ibis.null(str(engine.EVENT_SCHEMA[column]))
        elif column in schema.NUMERIC_COLUMNS:
            source = raw[cols[column]]
            if column == "score" and score_words:  # labels or star words (cjm.data.labels)
                values[column] = _text(source).lower().substitute(score_words, else_=ibis.null("float64"))
            else:
                values[column] = numbers[column]
        elif column in ("session_id", "variant"):
            values[column] = _identifier(raw[cols[column]])
        elif column == "text":
            values[column] = _comment(raw[cols[column]])
        else:
            values[column] = _text(raw[cols[column]])
    if order_key is not None:  # each row's order id, for `_order_total_once` and `_net_of_refunds`
        values[ORDER] = _text(raw[order_key])
    if total_once:  # an order's total repeated on its lines counts on its first line (`_order_total_once`)
        values["revenue"] = ibis.ifelse(_later_line(raw, mapping, order_key), ibis.null("float64"), values["revenue"])
    if statuses is not None:  # statuses and reversals make the money net (as uploaded: `_net_of_statuses`)
        # the money as written (an order's total once on its first line keeps its money there: the same lines)
        same = (_same_order_and_event(raw, order_key, values["event"], numbers["revenue"]) if "revenue" in numbers
                else None)
        values.update(_net_of_statuses(statuses, values["event"], values["revenue"], "revenue" in numbers, same,
                                       every_row_an_order="event" not in cols))
    if duplicates:  # every source column equal to an earlier row's (in file order where known): set aside, as uploaded
        first = _file_order(raw)
        window = ibis.window(group_by=[raw[c] for c in duplicates], order_by=first if first is not None else None)
        values[COPY] = ibis.row_number().over(window) > 0
    first = next((c for c in raw.columns if c not in _BOOKKEEPING), None)
    # a totals line's first cell ("Totals", "Grand Total"), as an upload reads it (cjm.data.dataset._totals_lines)
    values[TOTALS] = (_text(raw[first].cast("string")).re_replace(r":$", "").lower().isin(list(TOTALS_WORDS))
                      .fill_null(False) if first is not None else ibis.literal(False))
    # a request or message its own status says was never sent, as an upload reads it (cjm.data.dataset.NOT_SENT)
    values[UNSENT] = ibis.literal(False)
    for column in not_sent_columns([c for c in raw.columns if c not in _BOOKKEEPING], mapping):
        values[UNSENT] = values[UNSENT] | _text(raw[column]).lower().re_search(NOT_SENT_STATUS).fill_null(False)
    values[DRAFT] = _invoices_not_sent(raw, mapping)
    # a row its own test-mode column says is a test, as an upload reads it (cjm.data.dataset.TEST_ROW)
    values[TESTED] = ibis.literal(False)
    for column, said in test_mode_columns([c for c in raw.columns if c not in _BOOKKEEPING]):
        values[TESTED] = values[TESTED] | _text(raw[column].cast("string")).lower().isin(list(said)).fill_null(False)
    if refund is not None:  # the refunded amount and the order of each row, for `_net_of_refunds`
        values[REFUNDED] = refund[1]
        values.setdefault(ORDER, ibis.null("string"))
    used = (set(cols.values()) | ({row_id} if row_id else set()) | ({mapping.time_of_day} if mapping.time_of_day else set())
            | ({mapping.event_fallback} if mapping.event_fallback and "event" in cols else set())
            | {"_customer", NUMBER_TIME, ZONED_TIME, REVIEWER_NAME, WALL, FENCE, FILE_NAME}
            | ({mapping.signed_in_id, mapping.fallback_id, *identities.HELPERS} - {None} if mapping.signed_in_id else set()))
    # "attr_" before a name the events' columns take in any case (a "Revenue" flag beside the canonical revenue: SQL
    # engines compare names without their case), as an upload names it (cjm.data.dataset._attribute_name)
    taken = {str(c).lower() for c in [*engine.EVENT_SCHEMA, *values]}
    extras = {(c if str(c).lower() not in taken else f"attr_{c}"): raw[c] for c in raw.columns if c not in used}
    order_column = row_id or ("row_id" if "row_id" in raw.columns and raw.row_id.type().is_integer() else None)
    if order_column:
        extras.pop("attr_row_id", None)
        values["row_id"] = raw[order_column].cast("int64")
        mapped = raw.select(**values, **extras)
    else:
        mapped = raw.select(**values, **extras)
        window = ibis.window(order_by=[mapped.timestamp, mapped._cid, mapped.event])
        mapped = mapped.mutate(row_id=(ibis.row_number().over(window)).cast("int64"))
    return mapped


# --- a yes / no column saying each row bought (cjm.data.purchases; ColumnMapping.purchase_flag) -----------------------

FLAG_UNDO = "To read it otherwise, set 'purchase_flag' to null in the mapping."


def yes_no(value):
    """(yes, written) of a yes / no column, in the engine: yes is True for a yes, False for a no and null for an empty
    cell or any other value; written is the cell trimmed as text (null when empty or a missing-value token such as NA).
    The words are an upload's
    (cjm.data.cells.yes_no: TRUE/FALSE, yes/no, y/n, 1/0, x, in any case); a boolean column is itself, a number 1
    or 0."""
    kind = value.type()
    if kind.is_boolean():
        return value, value.cast("string")
    if kind.is_numeric():
        return ibis.cases((value == 1, True), (value == 0, False), else_=ibis.null("boolean")), value.cast("string")
    written = _text(value)
    word = written.lower()
    written = ibis.ifelse(word.isin(sorted(MISSING_WORDS)), ibis.null("string"), written)  # NA, N/A, -, ?: as on upload
    return ibis.cases((word.isin(YES_WORDS), True), (word.isin(NO_WORDS), False), else_=ibis.null("boolean")), written


def _flag_of(backend, raw, mapping: ColumnMapping, name: str):
    """(yes, written) of the mapping's purchase_flag (yes_no), or None when it names none. A flag the table cannot
    use is an error naming the problem and the fix, never ignored: a column the table does not have, one whose
    filled cells are not all a yes or a no, or a mapping whose rows are not all one touchpoint (an event column)."""
    column = mapping.purchase_flag
    if not column:
        return None
    if "event" in mapping.columns or not mapping.event_constant:
        raise MappingError(
            f"The mapping names {column!r} as the column saying whether each row bought ('purchase_flag'): that makes "
            "each yes row also a purchase of a table whose rows are all one touchpoint ('event_constant'), but this "
            + (f"mapping reads each row's event from {mapping.columns['event']!r}. " if "event" in mapping.columns
               else "mapping names no touchpoint. ")
            + "Set 'purchase_flag' to null, or map no event column and name the touchpoint in 'event_constant'.")
    if reads_as_refunds(mapping):
        raise MappingError(
            f"The mapping reads every row of {name} as a {mapping.event_constant!r} (a refund), so {column!r} cannot "
            "also make rows purchases ('purchase_flag'). Set 'purchase_flag' to null, or name another touchpoint.")
    if column not in raw.columns:
        raise MappingError(f"The mapping's 'purchase_flag' names column {column!r}, which the table {name} does not "
                           f"have; it has {list(raw.columns)[:20]}. Name the yes / no column, or set it to null.")
    yes, written = yes_no(raw[column])
    odd = backend.execute(raw.filter(written.notnull() & yes.isnull()).select(said=written).limit(1))
    if len(odd):
        raise not_yes_no(column, str(odd["said"].iloc[0]),
                         undo="Name a column of TRUE/FALSE, yes/no or 1/0 as 'purchase_flag' in the mapping, or set it "
                              "to null.")
    return yes, written


def _flagged_purchases(backend, marked, base, mapping: ColumnMapping, notes: list[str]):
    """The used rows with a 'purchase' event after each row whose flag says yes (same customer, time and attributes):
    as an upload does (cjm.data.purchases.flagged_purchases), the purchase right after its row in the order of ties
    (row_id: the row's 2n, its purchase's 2n + 1). The rows' accounting is unchanged (a purchase is no row of the
    table); the note says how many used rows bought and how the table writes its yes and its no."""
    said = backend.execute(marked.group_by("_bought", "_said").agg(
        n=marked.count(), used=marked._reason.isnull().cast("int64").sum()))
    said = said[said["_bought"].notna()]
    spelling = {}
    for value in (True, False):
        rows = said[said["_bought"] == value].sort_values(["n", "_said"], ascending=[False, True])
        spelling[value] = str(rows["_said"].iloc[0]) if len(rows) else ""
    n = int(said.loc[said["_bought"] == True, "used"].sum())  # noqa: E712 - a column of booleans
    notes.append(flag_note(mapping.purchase_flag, n, spelling[True], spelling[False], mapping.event_constant,
                           undo=FLAG_UNDO))
    rows = base.mutate(row_id=base.row_id * 2)
    bought = rows.filter(rows._bought.fill_null(False))
    bought = bought.mutate(event=ibis.literal(PURCHASE_EVENT, "string"), row_id=bought.row_id + 1)
    return rows.union(bought).drop("_bought", "_said")


def _rejected_sample(backend, marked, name: str, mapping: ColumnMapping, *, row_id: str | None = None,
                     located: bool = True) -> pd.DataFrame:
    """The first REJECTED_SAMPLE rejected rows, each with what tells it in its source (`line`): its line in the file
    (a CSV read in place, blank lines and cells of several lines counted, as on upload), its row of a Parquet file
    numbered as an upload numbers it (the first row 2), or the table's own row_id; none (<NA>) for a table without
    such an order, whose rows are told by their cells (`raw`: customer id, time and event), not by a line they are
    not on."""
    bad = marked.filter(marked._reason.notnull()).order_by("row_id").limit(REJECTED_SAMPLE)
    frame = backend.execute(bad.select("row_id", "_reason", "_cid", "event",
                                       _raw_ts=bad[WRITTEN_TIME].fill_null(bad.timestamp.cast("string"))))
    if not located:
        line = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    else:
        line = frame["row_id"].astype("int64") + (2 if row_id == "file_row_number" else 0)
    raw = (frame["_cid"].astype("string").fillna("") + "," + frame["_raw_ts"].astype("string").fillna("") + ","
           + frame["event"].astype("string").fillna(""))
    return pd.DataFrame({"file": pd.Series(name, index=frame.index, dtype="string"),
                         "line": line, "reason": frame["_reason"].astype("string"),
                         "raw": raw.astype("string")})


def _no_rejects() -> pd.DataFrame:
    return pd.DataFrame({"file": pd.Series(dtype="string"), "line": pd.Series(dtype="int64"),
                         "reason": pd.Series(dtype="string"), "raw": pd.Series(dtype="string")})


def _customers(backend: engine.Backend, customers):
    table = _table(backend, customers) if isinstance(customers, str) else customers
    if isinstance(table, pd.DataFrame):
        table = backend.register(table)
    if "customer_id" not in table.columns:
        raise MappingError(f"The customers table needs a customer_id column; it has {list(table.columns)[:20]}.")
    return table.mutate(customer_id=_identifier(table.customer_id))
