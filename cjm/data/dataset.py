"""From uploaded files to one journey dataset: the canonical events table in the engine.

    files --io--> raw tables --columns--> mapped --timestamps/numbers--> canonical rows
          --stages--> events table (Ibis on DuckDB) + optional customers table + row accounting

Row accounting holds on every load: rows_in = rows_used + rows_rejected, and every rejected row has
a reason. Nothing disappears unexplained.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa

from cjm import engine
from cjm.data import (comments, conversations, currencies, deals, identities, io, joins, minor_units, money,
                      purchases, refund_exports, returns, reversals, reviewers, schema, scores, tickets, views, zone_abbreviations,
                      zones)
from cjm.data.labels import label_values, star_word_values
from cjm.data.columns import (ALIASES, ZONE_WORDS, ColumnMapping, check_mapping, completes_by_name, guest_id_note,
                              is_type_column, normalise, suggest_mapping)
from cjm.errors import CJMError, MappingError
from cjm.data.cells import (email_ids, parse_numbers, to_id_strings, trimmed_text, uniform_cells,
                            whole_number_ids)
from cjm.data.stages import StageMapping, stages_present
from cjm.data.timestamps import clock_offsets, looks_like_timestamps, order_note, parse_timestamps, with_time_of_day

ROLES = ("auto", "events", "customers", "feedback")


@dataclass(frozen=True)
class SourceFile:
    """One file as the user gave it, with the reading options they chose (None = detect)."""

    name: str
    data: bytes = field(repr=False)
    role: str = "auto"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None

    @classmethod
    def from_path(cls, path, **options) -> "SourceFile":
        path = Path(path)
        try:
            return cls(name=path.name, data=path.read_bytes(), **options)
        except FileNotFoundError:
            raise CJMError(f"There is no file at {str(path)!r}. Check the path and try again.") from None

    @cached_property  # hashing a large upload on every rerun of every page adds up (the instance is frozen)
    def digest(self) -> str:
        options = json.dumps([self.name, self.role, self.encoding, self.delimiter, self.sheet])
        digest = hashlib.sha256(self.data)  # the bytes and then the options, without copying the bytes
        digest.update(options.encode())
        return digest.hexdigest()


@dataclass
class FileReport:
    """How one file was read and mapped, for the Data page and the report."""

    name: str
    role: str
    format: str
    encoding: str | None
    delimiter: str | None
    compression: str | None
    sheet: str | None
    sheets: tuple[str, ...]
    columns: list[str]
    mapping: ColumnMapping
    rows_in: int
    rows_used: int
    timestamp_style: str | None = None
    dates_ambiguous: bool = False
    out_of_order: int = 0  # rows earlier than the previous row of the same customer, in file order
    notes: list[str] = field(default_factory=list)
    unreadable: dict[str, int] = field(default_factory=dict)  # numeric cells left empty, per source column
    warnings: list[str] = field(default_factory=list)  # shown as warnings (notes are shown as captions)
    other_encoding_lines: int = 0  # lines of a UTF-8 file written in another encoding (mixed encodings)
    score_scale: str | None = None  # "polarity" when the score column held sentiment labels (cjm.data.labels)
    hidden_reviewers: int = 0  # rows by an app store's placeholder ("A Google user"), each one respondent
    names_apart: bool = False  # a review export whose names ("Amit Kumar") name no one: every review is one reviewer
    # The one time of day (milliseconds after midnight, as written) of every timestamp of the file when it gave dates
    # without times (cjm.data.timestamps: ParsedTimestamps.time_of_day); None when its events have their times.
    time_of_day: int | None = None
    # The row_id of the file's first event and one past its last (the events of an upload are numbered file after
    # file), so an analysis can tell the events of each file apart (the day map: dates without times per file);
    # None when not known (a table read in place: the day map decides from the data).
    row_ids: tuple[int, int] | None = None


@dataclass
class RowAccounting:
    rows_in: int
    rows_used: int
    rejected: pd.DataFrame  # file, line, reason, raw

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    @property
    def reasons(self) -> dict[str, int]:
        if self.rejected.empty:
            return {}
        return {str(k): int(v) for k, v in self.rejected["reason"].value_counts().items()}

    def to_dict(self) -> dict:
        return {"in": self.rows_in, "used": self.rows_used, "rejected": self.rows_rejected,
                "reasons": self.reasons}


@dataclass
class ParsedData:
    """Everything that depends only on the files and the column mappings (parsed once per content)."""

    key: str
    events: ibis.Table  # canonical columns + extra attributes, deduplicated and numbered; no stage yet
    customers: pd.DataFrame | None
    files: list[FileReport]
    accounting: RowAccounting
    non_null: dict[str, int] = field(default_factory=dict)  # values present per optional column
    backend: engine.Backend | None = None  # where `events` lives (this upload's own in-process DuckDB)
    event_counts: pd.DataFrame | None = None  # event, events, customers (None: counted in the engine)
    score_scale: str | None = None  # the score's scale when the files say it (labels: "polarity")
    currency: str | None = None  # the currency revenue is in, when the files say it (cjm.data.currencies)
    clock: dict | None = None  # the data's clock when saved in a snapshot (cjm.data.clock.DataClock.to_dict)


@dataclass
class Dataset:
    """The loaded journey dataset every analysis works on."""

    key: str
    events: ibis.Table
    customers: ibis.Table | None
    stage_mapping: StageMapping
    files: list[FileReport]
    accounting: RowAccounting
    present: tuple[str, ...]  # optional canonical columns with at least one value
    attributes: tuple[str, ...]  # extra export columns kept on the events
    event_counts: pd.DataFrame  # event, stage, events, customers
    base: "Dataset | None" = field(default=None, repr=False, compare=False)  # what this view was made from
    # The data whose last event is "the end of the data" for this view (views.end_source), when a filter selected
    # customers (a segment) or the events of some channels or devices out of it, or a date filter cut it at an end
    # date: their journeys' windows close by the end of that data (or of the date range, when sooner:
    # views.data_end), not by the view's own last event.
    end_from: "Dataset | None" = field(default=None, repr=False, compare=False)
    # Where a date filter's range ends (its end excluded: the midnight after its end date): the end of the data for
    # this view when the data goes on after it (views.data_end: a window still open then is "in progress").
    end_at: pd.Timestamp | None = field(default=None, repr=False, compare=False)
    # Where the events live: an upload's own in-process DuckDB, or a warehouse / cluster. The Dataset holds
    # it, so its tables live as long as the Dataset (and every Dataset sharing the backend) does.
    backend: engine.Backend | None = field(default=None, repr=False, compare=False)
    # The score's scale when the data says it: "polarity" when the score column held sentiment labels, whose
    # range alone cannot tell (only "positive" labels read as 1..1, like a column of 1-star ratings).
    score_scale: str | None = None
    # The currency of every money figure when the files say it (EUR; "$" when only the sign is written).
    currency: str | None = None
    # The clock the data's times were written on, as a snapshot saved it (cjm.data.clock.data_clock reads it: a saved
    # dashboard's data has no files naming the zone they were read in); None: told from the files and the events.
    clock: dict | None = field(default=None, repr=False, compare=False)

    @property
    def stages(self) -> tuple[str, ...]:
        return self.stage_mapping.stages

    @property
    def present_stages(self) -> tuple[str, ...]:
        """The stages of the model that at least one event of the whole data is mapped to, in model order."""
        return stages_present(self.stages, self.event_counts["stage"])

    def filtered(self, filters) -> "Dataset":
        """This dataset seen through the dashboard filters, again a Dataset (cjm.data.views says what
        each filter selects: events or customers)."""
        return views.filtered(self, filters)

    @property
    def loaded(self) -> "Dataset":
        """The dataset as loaded from the files, before any filter or segmentation."""
        return views.loaded(self)

    def has(self, column: str) -> bool:
        return column in schema.REQUIRED or column in self.present

    @classmethod
    def from_events(cls, events, *, stages: tuple[str, ...] | None = None, customers=None) -> "Dataset":
        """A Dataset over events already in canonical form (an Ibis table or a pandas frame with at least
        customer_id, timestamp and event; `stage` and `stage_index` kept as given): for scripts, tests
        and notebooks. No files and nothing rejected; `stages` is the stage model in order (default the
        5-stage model); `customers` an optional table or frame of customer attributes."""
        return _from_events(events, stages=stages, customers=customers)

    def close(self) -> None:
        """Drop this dataset's tables now (its backend's, shared with every Dataset built on the same data)."""
        if self.backend is not None:
            self.backend.close()


def _from_events(events, *, stages, customers) -> Dataset:
    if isinstance(events, pd.DataFrame):
        events = engine.events_table(events)
    stages = tuple(stages) if stages is not None else schema.STAGE_MODELS["5"]
    model = next((m for m, s in schema.STAGE_MODELS.items() if s == stages), "custom")
    counts = engine.execute(events.group_by("event", "stage").agg(events=events.count(),
                                                                  customers=events.customer_id.nunique()))
    counts = counts.sort_values(["events", "event"], ascending=[False, True], ignore_index=True)
    counts = counts[["event", "stage", "events", "customers"]]
    stage_mapping = StageMapping(model=model, custom_stages=stages if model == "custom" else (),
                                 events={str(e): str(s) for e, s in zip(counts["event"], counts["stage"])})
    optional = [c for c in schema.OPTIONAL if c in events.columns]
    non_null = engine.execute(events.aggregate(n=events.count(), **{c: events[c].count() for c in optional}))
    rows = int(non_null["n"].iloc[0])
    present = tuple(c for c in optional if int(non_null[c].iloc[0]) > 0)
    if isinstance(customers, pd.DataFrame):
        customers = engine.register(customers, like=events)
    key = "events_" + hashlib.sha256(uuid.uuid4().bytes).hexdigest()[:16]
    return Dataset(key=key, events=events, customers=customers, stage_mapping=stage_mapping, files=[],
                   accounting=RowAccounting(rows_in=rows, rows_used=rows, rejected=_empty_rejected()),
                   present=present, attributes=tuple(c for c in events.columns if c not in engine.EVENT_SCHEMA
                                                    and c not in schema.HIDDEN),
                   event_counts=counts, backend=engine.backend_of(events))


def parse_files(sources: list[SourceFile], *, mappings: dict[str, ColumnMapping] | None = None) -> ParsedData:
    """Read, map and validate every file; events files and feedback files become events."""
    if not sources:
        raise CJMError("No file was given. Upload an export (CSV, Excel, Parquet or JSON) or use the demo data.")
    mappings = mappings or {}
    # hashlib lets go of the GIL on large inputs: the files' digests (the dataset's key) are taken on
    # another core while they are parsed
    hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cjm-digest")
    digests = hasher.submit(lambda: [s.digest for s in sources])
    hasher.shutdown(wait=False)  # the digests are still taken; the thread ends after them
    event_parts, customer_parts, reports, rejected_parts = [], [], [], []
    anonymous = []  # (parts, index, file name) of files without a customer id: respondents are "row <line>"
    hidden = []  # the same, of files with reviews by a hidden reviewer: "A Google user (row <line>)"
    part_files = []  # the position of each events part's file
    pending = []  # customers files: (frame, mapping, source, report, slot in customer_parts, slot in rejected_parts)
    lists = []  # events files of one row per customer: (slot in event_parts, in customer_parts, frame, mapping, report)
    keyed = []  # events files with a customer id: (slot in event_parts, frame, mapping, report)
    attrs_of = {}  # slot in event_parts -> slot in customer_parts of the file's customer attributes
    refund_parts = []  # files read as refunds: (slot in event_parts, frame, mapping, report, slot in rejected_parts)
    seen_reviews = set()  # the review ids of the review exports read so far (one review per id, whatever the file)
    pairs = []  # files that name who signed in: ((anonymous, signed) of their events, anonymous column, file name)
    rows_in = 0
    for position, source in enumerate(sources):
        raw = io.load_table(source.data, name=source.name, encoding=source.encoding,
                            delimiter=source.delimiter, sheet=source.sheet)
        rows_in += raw.rows_in
        if len(raw.rejected):
            rejected_parts.append(raw.rejected.assign(file=source.name))
        mapping = mappings.get(source.name) or _suggest(raw.frame, source.name)
        role = source.role if source.role != "auto" else guess_role(raw.frame, mapping, name=source.name,
                                                                    first=position == 0)
        report = FileReport(name=source.name, role=role, format=raw.format, encoding=raw.encoding,
                            delimiter=raw.delimiter, compression=raw.compression, sheet=raw.sheet,
                            sheets=tuple(raw.sheets), columns=[str(c) for c in raw.frame.columns],
                            mapping=mapping, rows_in=raw.rows_in, rows_used=0)
        report.notes.extend(raw.notes)
        if raw.other_encoding_lines:
            other, lines = raw.other_encoding_lines
            report.other_encoding_lines = len(lines)
            report.warnings.append(
                f"Mixed encodings: {len(lines):,} line(s) of this UTF-8 file are not UTF-8 (lines "
                f"{', '.join(map(str, lines[:5]))}{'…' if len(lines) > 5 else ''}); they were read as {other} "
                "so their names match the other lines. Check them, or export the file again as UTF-8.")
        if role == "customers":  # read once every events file is: its key is the column that joins them
            pending.append((raw.frame, mapping, source, report, len(customer_parts), len(rejected_parts)))
            customer_parts.append(None)
            rejected = _empty_rejected()
        else:
            events, rejected, attrs, used_rows = _event_rows(raw.frame, mapping, source.name, report,
                                                             feedback=role == "feedback",
                                                             reviews=role == "feedback" or _wide_reviews(mapping),
                                                             seen_reviews=seen_reviews)
            events["_file"] = np.int32(position)  # by position: two uploads may share a file name
            if PAIRS in events.attrs:
                pairs.append((events.attrs.pop(PAIRS), mapping.columns["customer_id"], source.name, len(event_parts)))
            if "customer_id" not in mapping.columns:
                anonymous.append((event_parts, len(event_parts), source.name))
                if attrs is not None:
                    anonymous.append((customer_parts, len(customer_parts), source.name))
            elif report.hidden_reviewers:
                hidden.append((event_parts, len(event_parts), source.name, report.names_apart))
                if attrs is not None:
                    hidden.append((customer_parts, len(customer_parts), source.name, report.names_apart))
            if attrs is not None and "customer_id" in mapping.columns and source.name not in mappings:
                lists.append((len(event_parts), len(customer_parts), raw.frame, mapping, report))
            if refund_exports.reads_as_refunds(mapping):
                refund_parts.append((len(event_parts), raw.frame, mapping, report, len(rejected_parts)))
            if "customer_id" in mapping.columns:
                keyed.append((len(event_parts), raw.frame, mapping, report))
            event_parts.append(events)
            part_files.append(position)
            if attrs is not None:
                attrs_of[len(event_parts) - 1] = len(customer_parts)
                customer_parts.append(attrs)
                report.notes.append("Each customer appears once, so the other columns are also kept as "
                                    "customer attributes (for segments and personas).")
            report.rows_used = used_rows
        rejected_parts.append(rejected)
        reports.append(report)
    if not event_parts:
        raise MappingError("Only customer files were given. Add an events file (one row per interaction with "
                           "a customer id, a timestamp and an event) so cjm has journeys to analyse.")
    nameless = {i for parts, i, _ in anonymous if parts is event_parts}  # "row 2" of a survey is no one's id
    signs = None  # the sign-ins of the files naming who signed in, for a customers file keyed by the anonymous id
    if pairs:
        alone, number = _apart_numbers(event_parts, [reports[p] for p in part_files], pairs, nameless)
        if len(event_parts) > 1:
            _joined_across_files(event_parts, [reports[p] for p in part_files], pairs, alone, number)
        signs = identities.sign_ins(pairs, number)  # for a customers file keyed by the anonymous id
    for slot, customer_slot, frame, mapping, report in lists:
        _rekeyed_by_the_others_ids(event_parts, customer_parts, slot, customer_slot, frame, mapping, report, nameless)
    if len(keyed) > 1:
        # a refunds export is keyed by the charges it names until _settle_refunds gives it their customers
        refunds = {slot for slot, *_ in refund_parts}
        _joined_by_a_second_column(event_parts, customer_parts, [k for k in keyed if k[0] not in refunds], attrs_of,
                                   nameless | refunds, {slot: reports[p] for slot, p in enumerate(part_files)})
    _settle_refunds(event_parts, refund_parts, rejected_parts, nameless)
    if pending:
        ids = pd.Index(pd.concat([p["customer_id"] for i, p in enumerate(event_parts) if i not in nameless] or
                                 [pd.Series(dtype="string")], ignore_index=True).dropna().unique())
        bridges = []  # (slot of a customers file, its second ids -> its keys)
        joined = pd.Series(dtype="string")  # every id a second id made another: -> that customer
        for frame, mapping, source, report, slot, rejected_slot in pending:
            key = mapping.columns.get("customer_id")
            keyed = (identities.described(email_ids(to_id_strings(frame[key]))[0], key, signs)
                     if pairs and key in frame.columns and not mapping.signed_in_id else None)
            if keyed is not None:  # keyed by the anonymous id of the files naming who signed in: its people's
                pass
            elif source.name not in mappings:
                report.mapping = mapping = joins.key_joining(frame, mapping, ids, report.notes)
            else:  # the key the user chose: said when it joins no one
                joins.say_if_joining_no_one(frame, mapping, ids, report.notes)
            apart = [reports[p].name for p in part_files if reports[p].names_apart]
            if apart:  # why no one joins: the reviews are each one reviewer, not ids written otherwise
                report.notes[:] = [reviewers.customers_note(apart, mapping.columns["customer_id"])
                                   if n.startswith(joins.NO_ONE) else n for n in report.notes]
            inferred = mapping.inferred_joins  # off: only ids written exactly alike join (the Data page's switch)
            customer_parts[slot], rejected_parts[rejected_slot], rewritten = _customer_rows(
                frame, mapping, source.name, report.notes, ids=ids if inferred else None,
                keys=keyed[0] if keyed is not None else None)
            if keyed is not None:
                report.notes.append(keyed[1])
            report.rows_used = len(customer_parts[slot])
            second = joins.second_key(
                frame, customer_parts[slot], ids, key=mapping.columns["customer_id"],
                exports=[p["customer_id"] for i, p in enumerate(event_parts) if i not in nameless]) if inferred else (
                joins.SecondKey(None, *(pd.Series(dtype="string") for _ in range(3))))
            column, bridge, everyone, apart = second.column, second.bridge, second.everyone, second.apart
            if len(bridge):
                # a customer an earlier file's second id joined is that file's customer (cus_3 for c@x.com)
                bridge, everyone = _renamed(bridge, joined), _renamed(everyone, joined)
                apart = apart[~apart.index.isin(joined.index)]  # an earlier file's second id of one customer
                joined = pd.concat([_renamed(joined, bridge), bridge])
                joined = joined[~joined.index.duplicated()]  # an id two files name: the first file's customer
                bridges.append((slot, everyone))
                for i, part in enumerate(event_parts):
                    if i not in nameless:
                        event_parts[i] = part.assign(customer_id=_renamed(part["customer_id"], bridge))
                report.notes.append(
                    f"{column!r} also names this file's customers: {len(bridge):,} of the events' customer ids (such "
                    f"as {bridge.index[0]!r}) {'is' if len(bridge) == 1 else 'are'} the {column!r} of a customer here, "
                    f"so their events are that customer's (here {bridge.iloc[0]!r}): one person, not two."
                    + _several_in_a_cell(second.several, column) + _left_apart(apart, column))
            if rewritten or len(bridge):
                report.notes.append(UNJOIN_HINT)
        _bridge_attributes(customer_parts, bridges, skip={i for parts, i, _ in anonymous if parts is customer_parts})
    key = hashlib.sha256("".join(digests.result()).encode()
                         + json.dumps({k: v.to_dict() for k, v in sorted(mappings.items())}).encode()).hexdigest()[:16]
    if len(event_parts) > 1:  # row 2 of one survey and row 2 of another are two people
        for parts, i, name in anonymous:
            parts[i] = parts[i].assign(customer_id=(name + ": " + parts[i]["customer_id"]).astype("string"))
        for parts, i, name, every in hidden:  # and so are the hidden reviewers of row 2 of two review exports
            ids = parts[i]["customer_id"]
            own = ids.str.extract(r"^(.*) \(row \d+\)$", expand=False).str.lower().isin(reviewers.HIDDEN_REVIEWER)
            own = pd.Series(True, index=ids.index) if every else own
            parts[i] = parts[i].assign(customer_id=ids.mask(own.fillna(False), name + ": " + ids).astype("string"))
    currency = currencies.one_currency(event_parts, [reports[p].notes for p in part_files])
    mixed = scores.file_scales(event_parts, [reports[p].score_scale for p in part_files])
    if mixed is not None:  # files on different score scales: each event carries its file's
        for i, (position, scale) in enumerate(zip(part_files, mixed)):
            event_parts[i] = event_parts[i].assign(**{scores.MIXED_COLUMN: pd.Series(scale, index=event_parts[i].index,
                                                                                       dtype="string")})
            if scale is not None:
                reports[position].notes.append(
                    f"The files loaded with this one read their scores on other scales: this file's are read on its "
                    f"own ({scores.SCALE_NAMES.get(scale, scale)}), each put on the -1..+1 sentiment scale by it.")
    start = 0
    for part, position in zip(event_parts, part_files):  # row_id numbers the parts' rows one after the other
        reports[position].row_ids = (start, start + len(part))
        start += len(part)
    frame = pd.concat(event_parts, ignore_index=True)
    if schema.CLOCK in frame.columns:  # a file whose data names no zone has none: null, its times UTC as written
        frame[schema.CLOCK] = frame[schema.CLOCK].astype("Int32")
    loaded = _load_into_engine(frame, key=key)
    events, order = loaded.table, loaded.out_of_order
    del frame
    rejected = pd.concat([p for p in rejected_parts if len(p)], ignore_index=True) if any(
        len(p) for p in rejected_parts) else _empty_rejected()
    rejected = rejected[["file", "line", "reason", "raw"]]
    used = sum(r.rows_used for r in reports if r.role != "customers")
    if used == 0:
        reasons = rejected["reason"].value_counts().head(3).to_dict()
        raise MappingError(f"No usable rows: all {rows_in:,} rows were rejected ({_reasons_text(reasons)}). "
                           "Check the mapping on the Data page: the timestamp and customer id columns must "
                           "hold dates and ids.")
    for position, report in enumerate(reports):  # one report per source, in order
        if report.role != "customers":
            report.out_of_order = int(order.get(position, 0))
    customers = _merge_customers(customer_parts)
    accounting = RowAccounting(rows_in=rows_in, rows_used=used + _customer_count(reports), rejected=rejected)
    return ParsedData(key=key, events=events, customers=customers, files=reports, accounting=accounting,
                      non_null=loaded.non_null, backend=engine.backend_of(events), event_counts=loaded.event_counts,
                      currency=currency,
                      score_scale=None if mixed is not None else next((r.score_scale for r in reports if r.score_scale),
                                                                      None))


PAIRS = "cjm.identity_pairs"  # a frame's attrs key: its (anonymous, signed) ids, read by parse_files


def _apart_numbers(event_parts, reports, pairs, nameless):
    """(the events parts that write only an anonymous id named as the files that name who signed in do, apart_id's
    number of an anonymous column over every file read here): a browser set apart is written alike in each, as no id
    of any."""
    both = pd.concat([p for p, *_ in pairs], ignore_index=True)
    devices, signed = identities.one_person_devices(both), set(both["signed"].dropna())
    leaves = {identities._leaf(column) for _, column, _, _ in pairs}
    alone = [i for i, report in enumerate(reports) if i not in nameless and not report.mapping.signed_in_id
             and report.mapping.columns.get("customer_id") is not None
             and identities._leaf(report.mapping.columns["customer_id"]) in leaves]
    anonymous = pd.Series(pd.concat([both["anonymous"].astype("string")]
                                    + [event_parts[i]["customer_id"].astype("string") for i in alone]).dropna().unique(),
                          dtype="string")
    people = pd.Series(sorted(signed), dtype="string")
    taken = pd.concat([anonymous, people], ignore_index=True)
    clashes = anonymous[anonymous.isin(people) & ~anonymous.isin(devices.index)]

    def number(column: str) -> int:
        return identities.apart_number(column, clashes, taken)
    return alone, number


def _joined_across_files(event_parts, reports, pairs, alone, number) -> None:
    """A file that writes only the anonymous id (an app's events beside a website's that name who signed in), read
    with files that name who signed in on those ids: its events are the person's who signed in there, by the rule
    of cjm.data.identities over the pairs of every such file (a device where several people signed in stays
    anonymous). `alone` and `number`: _apart_numbers'."""
    both = pd.concat([p for p, *_ in pairs], ignore_index=True)
    devices, signed = identities.one_person_devices(both), set(both["signed"].dropna())
    files = list(dict.fromkeys(name for _, _, name, _ in pairs))
    shares = identities.shared_devices(both)
    if len(pairs) > 1:  # files that each name who signed in (one export split by month): the rule over them all
        for frame, column, name, slot in pairs:
            part, others = event_parts[slot], [f for f in files if f != name]
            if len(frame) != len(part):
                continue
            anonymous, signed_in = frame["anonymous"].to_numpy(), frame["signed"].to_numpy()
            ids, moved, example = identities.restitched(pd.Series(anonymous, index=part.index),
                                                        pd.Series(signed_in, index=part.index), part["customer_id"],
                                                        devices, signed, column, number(column))
            if moved:
                event_parts[slot] = part.assign(customer_id=ids)
                reports[slot].notes.append(identities.restitched_note(column, moved, example, others))
    for i in alone:
        part, report = event_parts[i], reports[i]
        column = report.mapping.columns["customer_id"]
        ids, moved, example, apart = identities.across_files(part["customer_id"], devices, signed, column,
                                                             number(column))
        if moved or apart:
            event_parts[i] = part.assign(customer_id=ids)
        if moved:
            report.notes.append(identities.across_note(column, moved, example, files))
        shared = part["customer_id"].isin(shares).fillna(False).astype(bool)
        if shared.any():
            report.notes.append(identities.shared_note(column, int(shared.sum()),
                                                       str(part["customer_id"][shared].iloc[0]), files))
        if apart:
            report.notes.append(f"{money.counted(apart, 'event')} of this file's {column!r} where nobody signed in "
                                f"{'has' if apart == 1 else 'have'} the id of a person who signed in in {', '.join(map(repr, files))}: "
                                f"written as {identities.apart_id('<id>', column, number(column))!r}, a visitor of "
                                "its own.")


def _settle_refunds(event_parts, refund_parts, rejected_parts, nameless) -> None:
    """Refunds exports against the other files (refund_exports.settle): each refund keyed by its charge's customer
    when the file has no customer column, the rows whose charge names no one rejected with the reason, and no
    refund taken back twice. Then the purchases' marks of refunds already counted are dropped."""
    slots = {slot for slot, *_ in refund_parts}
    others = [p for i, p in enumerate(event_parts) if i not in slots and i not in nameless]
    for slot, frame, mapping, report, rejected_slot in refund_parts:
        charge = refund_exports.charge_column(frame, mapping)
        if charge is None:
            continue
        keyed = mapping.columns.get("customer_id") == charge
        part, rejected = refund_exports.settle(event_parts[slot], others, _attribute_name(charge), keyed=keyed,
                                               notes=report.notes)
        for reason, mask in rejected.items():
            rows = mask.reindex(frame.index, fill_value=False)
            rejected_parts[rejected_slot] = pd.concat([rejected_parts[rejected_slot],
                                                       _reject(frame, rows, reason, report.name)], ignore_index=True)
            part = part[~mask]
            report.rows_used -= int(mask.sum())
        event_parts[slot] = part
    for i, part in enumerate(event_parts):
        if refund_exports.COUNTED in part:
            event_parts[i] = part.drop(columns=refund_exports.COUNTED)


def _suggest(frame: pd.DataFrame, name: str = "") -> ColumnMapping:
    """The guessed mapping of an upload: cjm.data.columns' guess, with a long export's deal stage column as its
    event when it has no event column (cjm.data.deals.stage_event_column: a deal stage history), and a refunds
    export's rows read as refunds (cjm.data.refund_exports)."""
    mapping = suggest_mapping(frame, timestamp_score=looks_like_timestamps)
    named = frame.attrs.get("timezones") or {}  # dates of a Qualtrics export, in the zone its header names
    dated = mapping.columns.get("timestamp") or next(iter(mapping.wide_events or []), None)
    if dated in named:
        mapping.timezone = named[dated]
    elif dated is not None:  # Square's "Time Zone" column: "Pacific Time (US & Canada)" on every row
        stated = zones.stated_zone(frame, set(mapping.used_columns()))
        if stated is not None:
            mapping.timezone = stated[1]
    stage = deals.stage_event_column(frame, mapping.columns) if mapping.shape == "long" else None
    if stage is not None:
        mapping.columns["event"], mapping.event_constant = stage, None
    converted = currencies.converted_instead(frame, mapping.columns.get("revenue"))
    if converted is not None:  # every charge in the account's currency, rather than some left out
        mapping.columns["revenue"] = converted
    shown = minor_units.shown_instead(frame, mapping.columns.get("revenue"))
    if shown is not None:  # Lemon Squeezy's 'total' in cents: its 'total_formatted' ('$21.64') is the money
        mapping.columns["revenue"] = shown
    identities.suggest(frame, mapping)  # an anonymous id and who signed in there
    refund_exports.suggest(frame, mapping, name)
    if not refund_exports.reads_as_refunds(mapping):  # a yes / no column saying each row bought (a session's Revenue)
        purchases.suggest_flag(frame, mapping)
    return mapping


def _joined_by_a_second_column(event_parts, customer_parts, keyed, attrs_of, nameless, reports) -> None:
    """Events files keying one person by different ids: an orders export keyed by 'Customer ID' that also writes each
    customer's 'Email', beside a survey or web analytics keyed by the e-mail. A column of a keyed events file that
    names other files' customers (joins.second_key's rules, each customer's values of it counted once: a repeat
    buyer's e-mail on every order is one customer's) makes their rows this file's customer's: ana@example.com's
    answers are C1's, one person, not two. A value on several customers here joins none of them. The files are
    looked at in upload order; each says what it joined in its notes. Off with the file's "Join ids written another
    way" (mapping.inferred_joins), as for a customers file."""
    for slot, frame, mapping, report in keyed:
        others = [i for i in range(len(event_parts)) if i != slot and i not in nameless]
        if not mapping.inferred_joins or not others:
            continue
        ids = pd.Index(pd.concat([event_parts[i]["customer_id"] for i in others], ignore_index=True).dropna().unique())
        rows = event_parts[slot]
        rows = rows[~rows.index.duplicated() & rows["customer_id"].notna()]  # one per file row
        used = set(mapping.used_columns())
        found = None
        for column in frame.columns:
            if column in used or not joins.second_key_candidate(column, frame[column].loc[rows.index]):
                continue
            values = frame.loc[rows.index, column].astype("string").str.strip().str.lower()
            pairs = pd.DataFrame({"customer_id": rows["customer_id"], "_value": values}).dropna()
            pairs = pairs[~pairs.duplicated()]  # a customer's value once, however many rows write it
            second = joins.second_key(frame.loc[pairs.index, [column]], pairs[["customer_id"]], ids,
                                      key=mapping.columns["customer_id"],
                                      exports=[p["customer_id"] for i, p in enumerate(event_parts) if i not in nameless])
            if second.column is not None and (found is None or len(second.bridge) > len(found.bridge)):
                found = second
        if found is None or found.bridge.empty:
            continue
        for i in others:
            renamed = _renamed(event_parts[i]["customer_id"], found.bridge)
            joined = int((renamed != event_parts[i]["customer_id"].astype("string")).fillna(False).sum())
            if not joined:
                continue
            event_parts[i] = event_parts[i].assign(customer_id=renamed)
            if i in attrs_of and customer_parts[attrs_of[i]] is not None:
                part = customer_parts[attrs_of[i]]
                customer_parts[attrs_of[i]] = part.assign(customer_id=_renamed(part["customer_id"], found.bridge))
            reports[i].notes.append(f"{money.counted(joined, 'row')} of this file {'is' if joined == 1 else 'are'} of "
                                    f"customers of {report.name}, whose {found.column!r} there is their id here: one "
                                    "person, not two.")
        report.notes.append(
            f"{found.column!r} also names this file's customers: {len(found.bridge):,} of the other files' customer ids "
            f"(such as {found.bridge.index[0]!r}) {'is' if len(found.bridge) == 1 else 'are'} the {found.column!r} of a "
            f"customer here, so their rows are that customer's (here {found.bridge.iloc[0]!r}): one person, not two."
            + _left_apart(found.apart, found.column))


def _renamed(ids: pd.Series, bridge: pd.Series) -> pd.Series:
    """ids, those that `bridge` (id -> customer) names replaced by their customer."""
    if bridge.empty or ids.empty:
        return ids
    named = ids.map(bridge).astype("string")
    return named.where(named.notna(), ids.astype("string"))


def _several_in_a_cell(cell: str | None, column: str) -> str:
    """The second-id note's sentence for a column whose cells may hold several addresses (joins.second_ids)."""
    if cell is None:
        return ""
    return (f" Some cells of {column!r} hold several addresses (such as {cell!r}): each address is an id of that "
            f"row's customer.")


def _left_apart(apart: pd.Series, column: str) -> str:
    """The second-id note's last sentence: the events' ids that are the `column` of several customers of the file
    (joins.second_key's `apart`) stay customers of their own, with one example and the customers it names."""
    if apart.empty:
        return ""
    values = apart.index.unique()
    example = values[0]
    names = apart[apart.index == example]
    whose = " and ".join(map(repr, names.iloc[:2])) + (f" and {len(names) - 2:,} more" if len(names) > 2 else "")
    if len(values) == 1:
        return (f" 1 of the events' customer ids ({example!r}) is left a customer of its own: it is the {column!r} "
                f"of several customers here ({whose}), and which of them its events are is unknown.")
    return (f" {len(values):,} of the events' customer ids (such as {example!r}) are left customers of their own: "
            f"each is the {column!r} of several customers here ({example!r}: {whose}), and which of them their "
            f"events are is unknown.")


def _bridge_attributes(parts: list[pd.DataFrame], bridges: list, *, skip: set[int]) -> None:
    """The customers a customers file's second id names (joins.second_key) are one customer in the other files'
    attributes too: a Mailchimp audience keyed by c@x.com describes the Stripe file's cus_3 (whether or not
    c@x.com has events). A part already holding the customer keeps its own row (no customer twice)."""
    for slot, bridge in bridges:
        for i, part in enumerate(parts):
            if i == slot or i in skip or part is None:
                continue
            ids = part["customer_id"].astype("string")
            named = ids.map(bridge).astype("string")
            named = named.where(~named.isin(ids.dropna()))
            if named.notna().any():
                parts[i] = part.assign(customer_id=named.where(named.notna(), ids))


def _customer_count(reports: list[FileReport]) -> int:
    return sum(r.rows_used for r in reports if r.role == "customers")


def _reasons_text(reasons: dict) -> str:
    return ", ".join(f"{n:,} {r}" for r, n in reasons.items())


def _empty_rejected() -> pd.DataFrame:
    return pd.DataFrame({"file": pd.Series(dtype="string"), "line": pd.Series(dtype="int64"),
                         "reason": pd.Series(dtype="string"), "raw": pd.Series(dtype="string")})


def guess_role(frame: pd.DataFrame, mapping: ColumnMapping, *, name: str = "", first: bool = True) -> str:
    """customers: ids but no timestamps or events (unless its rows are customers' answers: `undated_answers`), or
    (after the first file) a file named like a customer list with one row per id and no event column; feedback:
    scores/text without an event column; else events."""
    cols = mapping.columns
    if mapping.shape in ("wide", "anonymous"):
        return "events"
    if "customer_id" in cols and "timestamp" not in cols and "event" not in cols:
        return "feedback" if undated_answers(frame, mapping) else "customers"
    if (not first and "customer_id" in cols and "event" not in cols
            and (frame[cols["customer_id"]].is_unique or _one_row_per_record(frame, cols))
            and re.search(r"customer|client|contact|account|member|people|person|user", name.lower())):
        return "customers"
    if "event" not in cols and ("score" in cols or "text" in cols) and "revenue" not in cols:
        return "feedback"
    return "events"


def undated_answers(frame: pd.DataFrame, mapping: ColumnMapping) -> bool:
    """Whether a file of customer ids without a date or event column holds its customers' answers (a survey or review
    export without dates beside an orders export: review 43), not a list of customers: no money, and ratings on a
    survey's scale (sentiment labels, stars, 1..5, 0..10 or -1..+1; a lead score of 0..100 is a customer's attribute),
    or comments named as the customers' words (`_customers_words`) beside nothing but who wrote them (ids, e-mails,
    names: a CRM's 'Notes' beside a contact's lifecycle stage or plan, or a 'Description' of each customer, are the
    staff's words about the customer, an attribute)."""
    cols = mapping.columns
    if "revenue" in cols or mapping.revenue_from or mapping.shape != "long" or mapping.conversation:
        return False
    if "score" in cols:
        source = frame[cols["score"]]
        if label_values(source) is not None or star_word_values(source) is not None:
            return True
        answers = parse_numbers(source)[0].dropna()
        return bool(len(answers)) and scores.range_scale(float(answers.min()), float(answers.max())) is not None
    if "text" not in cols or not _customers_words(cols["text"]):
        return False
    others = [c for c in frame.columns if c not in (cols["customer_id"], cols["text"], "__line__")]
    return all(set(normalise(c).split("_")) & {"id", "email", "mail", "name", "names"} for c in others)


# words of a column of comments that are no customer's (a CRM's notes, a message's body): said by whoever wrote them
_ANYONES_WORDS = {"text", "note", "notes", "message", "body", "content", "bemerkung"}
_VOICE_WORDS = {"comment", "comments", "feedback", "review", "reviews", "verbatim", "answer", "answers", "opinion",
                "opinions", "suggestion", "suggestions", "complaint", "complaints", "testimonial"}


def _customers_words(column) -> bool:
    """Whether a comment column's name says it holds the customers' own words: a survey's question ('What could we
    improve?'), or a comment, review or feedback by name; not a CRM's 'Notes' or a 'Description' of the customer."""
    name = normalise(column)
    return (str(column).strip().endswith(("?", "？", "؟")) or name in set(ALIASES["text"]) - _ANYONES_WORDS
            or bool(set(name.split("_")) & _VOICE_WORDS))


def undated_feedback_note(answers: int) -> str:
    """The Data page's note on a feedback file without a date column (its customers' answers without a time)."""
    one = answers == 1
    return (f"No date column: the {answers:,} answer{'' if one else 's'} of this file {'is' if one else 'are'} its "
            f"customers' feedback without a time. {'It counts' if one else 'They count'} on the Sentiment page, in the "
            "call-back list and in the journey map's emotions (by customer and stage), not in trends over time, "
            "periods, funnel windows or a date range chosen in the sidebar. To place "
            f"{'it' if one else 'them'} in time, map a date column (when each answer was given) on the Data page, or "
            "export the survey with its dates.")


def _one_row_per_record(frame: pd.DataFrame, cols: dict[str, str]) -> bool:
    """A list of customers whose guessed key repeats a few values (a Stripe customers export keyed by Email where
    guest checkouts made two cus_ with one e-mail) beside a column of ids filled on every row, none twice (its
    'id'): at least 80% of the key's values are distinct, and the file carries no money, score or comment (a
    customer_reviews.csv with a unique review id is feedback; logins repeat their customer far more)."""
    if cols.keys() & {"revenue", "score", "text"}:
        return False
    key = frame[cols["customer_id"]].dropna()
    if not len(key) or key.nunique() < 0.8 * len(key):
        return False
    return any(column != cols["customer_id"] and (normalise(column) == "id" or normalise(column).endswith("_id"))
               and frame[column].notna().all() and frame[column].is_unique for column in frame.columns)


def _line_numbers(frame: pd.DataFrame) -> pd.Series:
    # Data rows start on line 2 of a text file with a header (on line 4 below a Qualtrics export's three header
    # lines: frame.attrs["first_line"], set by io); exact lines come from io when it knows them.
    # A text file whose rows are not one a line (a blank line, a cell of several lines) gives each row's line:
    # frame.attrs["lines"] (cjm.data.io.table.LineNumbers), which holds one per row of the frame as read.
    if "__line__" in frame.columns:
        return frame["__line__"]
    lines = frame.attrs.get("lines")
    if lines is not None and len(lines) == len(frame):
        return pd.Series(lines.array, index=frame.index)
    first = int(frame.attrs.get("first_line", 2))
    return pd.Series(range(first, len(frame) + first), index=frame.index)


def _raw_text(frame: pd.DataFrame, mask: pd.Series) -> pd.Series:
    """Each masked row as its file writes it, at most 200 characters: its cells joined by the file's delimiter
    (frame.attrs["delimiter"], set by io for text; ',' otherwise), a cell holding the delimiter or a line break, or
    starting with a quote, in quotes as a CSV writes it, so '12,50' of a ';' file stays one cell; cells of a file separated by runs of
    spaces joined by one. (Joined by ',' always, a ';' file's row read '9,99' as two cells.)"""
    columns = [c for c in frame.columns if c != "__line__"][:200]  # 200 cells already fill the 200 characters
    part = frame.loc[mask, columns].astype("string").fillna("")
    if part.empty:
        return pd.Series(dtype="string")
    delimiter = frame.attrs.get("delimiter") or ","
    if delimiter == io.WHITESPACE:
        cells = [part.iloc[:, i] for i in range(part.shape[1])]
        delimiter = " "
    else:
        special = f'[{re.escape(delimiter)}\n\r]|^"'  # a quote inside a cell (27" monitor) is written as it is
        cells = [_csv_cell(part.iloc[:, i], special) for i in range(part.shape[1])]
    return cells[0].str.cat(cells[1:], sep=delimiter).str.slice(0, 200).astype("string")


def _csv_cell(cells: pd.Series, special: str) -> pd.Series:
    quote = cells.str.contains(special, regex=True).fillna(False).astype(bool)
    if not quote.any():
        return cells
    return cells.mask(quote, '"' + cells.str.replace('"', '""', regex=False) + '"')


def _rekeyed_by_the_others_ids(event_parts, customer_parts, slot, customer_slot, frame, mapping, report, nameless):
    """A list of customers read as events (a Stripe customers export saved as export.csv: one row per customer,
    their sign-up date) keyed by a column the other files do not use (Email) while another column of it holds
    the other files' customer ids (id: cus_...): its customers are those ids, so a payer is one customer, not
    two. Once that column is found, every row that has a value in it is keyed by it (one way of naming customers
    for all); the note says how many rows."""
    others = [p["customer_id"] for i, p in enumerate(event_parts) if i != slot and i not in nameless]
    if not others:
        return
    ids = pd.Index(pd.concat(others, ignore_index=True).dropna().unique())
    key = mapping.columns["customer_id"]
    second = joins.second_key(frame, event_parts[slot], ids, key=key, exports=others)
    column, bridge = second.column, second.bridge
    if not len(bridge) or len(bridge) <= event_parts[slot]["customer_id"].isin(ids).sum():
        return
    rows = event_parts[slot]
    rows = rows[~rows.index.duplicated()]  # one per file row: a row's purchase (purchases.flagged_purchases) too
    values, _ = joins.second_ids(frame.loc[rows.index, column], split=bool(second.several))
    own = pd.Series(values.to_numpy(), index=rows.loc[values.index, "customer_id"].to_numpy(), dtype="string")
    own = own.dropna()
    own = own[~own.duplicated(keep=False)]  # a value on two rows is neither's (joins.second_key)
    own = own[~own.index.duplicated(keep=False)]  # a row of several addresses keeps its key: which one is unknown
    for parts, i in ((event_parts, slot), (customer_parts, customer_slot)):
        parts[i] = parts[i].assign(customer_id=_renamed(parts[i]["customer_id"], own))
    report.notes.append(
        f"{column!r} holds the customer ids of the other files ({len(bridge):,} of their customers, such as "
        f"{bridge.index[0]!r}), where {key!r} holds other values: this file's customers are keyed by {column!r} "
        f"({money.counted(len(own), 'row')}), so a person is one customer, not two.")


def _event_ids(values: pd.Series, column: str, notes: list[str]) -> pd.Series:
    """An events file's ids: as written (to_id_strings), a column of whole numbers some saved with decimals read as
    whole numbers (cells.whole_number_ids), e-mail addresses in lower case. (A customers file's keys are matched to
    these by joins.as_event_ids, which drops such decimals only where the whole number is an event's id.)"""
    ids, decimals = whole_number_ids(to_id_strings(values))
    if decimals:
        notes.append(f"Ids in {column!r} are whole numbers, {money.counted(decimals, 'row')} written with decimals "
                     "(101.0, as a spreadsheet or pandas saves a column of ids with a blank cell): read as whole "
                     "numbers, so 101.0 and 101 are one customer.")
    return _emails_lowercased(ids, column, notes)


def _emails_lowercased(ids: pd.Series, column: str, notes: list[str]) -> pd.Series:
    lowered, capitals = email_ids(ids)
    if capitals:
        notes.append(f"E-mail addresses in {column!r} are compared in lower case (Ann@X.com is ann@x.com): "
                     f"{money.counted(capitals, 'row')} wrote them with capitals.")
    return lowered


def _reject(frame, mask, reason, name) -> pd.DataFrame:
    return pd.DataFrame({"file": name, "line": _line_numbers(frame)[mask].astype("int64"),
                         "reason": reason, "raw": _raw_text(frame, mask)})


EARLIEST, LATEST = pd.Timestamp("1900-01-01", tz="UTC"), pd.Timestamp("2100-01-01", tz="UTC")
DUPLICATE = "duplicate row (every column equals an earlier row)"
EMPTY_ROW = "empty row (every cell blank)"
# A line of sums below the rows (Gumroad's sales export ends with "Totals" in its first column and each money column's
# sum; a report saved from a spreadsheet its "Total" / "Grand Total"): no one's interaction.
TOTALS_ROW = "totals line (the export's sums, no one's interaction)"
TOTALS_WORDS = ("total", "totals", "grand total", "sum", "summe", "gesamt", "gesamtsumme", "total général",
                 "totaux", "totale", "suma", "soma", "итого", "合計", "総計")


def _totals_lines(frame: pd.DataFrame, customers: pd.Series) -> pd.Series:
    """Rows naming no customer whose first cell is a totals word ("Totals", "Grand Total", "Summe", "合計")."""
    first = next((c for c in frame.columns if c != "__line__"), None)
    if first is None:
        return pd.Series(False, index=frame.index)
    words = frame[first].astype("string").str.strip().str.rstrip(":").str.lower()
    return (words.isin(TOTALS_WORDS).fillna(False) & customers.isna()).astype(bool)
# A survey request or message its own status says was never sent (Medallia Agent Connect's request_delivery_status
# "Not sent: suppression period"): no interaction of the customer. Only the status of a request, survey, invitation or
# message says so (an order's "Shipping Status: Not sent" is an order not shipped yet, still bought).
NOT_SENT = "request never sent (its status says 'not sent': no interaction of the customer)"
# read lower-cased ("Not sent: suppression period", "Unsent"); no look-ahead: the engines' RE2 has none
NOT_SENT_STATUS = r"^\s*(?:not[ _-]?sent|unsent)(?:[^a-z]|$)"
_SENT_THINGS = {"request", "survey", "invitation", "invite", "message", "questionnaire"}
# A survey or feedback file, by a column's name or its one event (SurveyMonkey's recipients, Qualtrics' distribution
# history, Delighted's people: "Survey", "Invitation Date", "NPS"), or a score mapped
_SURVEY_WORDS = {"survey", "surveys", "invitation", "invitations", "invite", "invited", "questionnaire", "respondent",
                 "respondents", "feedback", "nps", "csat", "umfrage", "encuesta", "enquete", "enquête", "sondaggio",
                 "pesquisa", "sondage"}
# the words a survey file's generic status column may add to "Status" ("Delivery Status", "Send Status", "Email
# Status"): a shipping or an order status ("Shipping Status: Not sent") stays an order's, whatever the file
_GENERIC_STATUS = {"status", "state", "delivery", "send", "sending", "sent", "distribution", "email", "mail", "e"}


def survey_file(columns, mapping: ColumnMapping | None) -> bool:
    """Whether a file is a survey's or feedback's (no money: an order's status is never a request's): a score mapped,
    or a column or the file's one event named for a survey, an invitation, feedback, NPS or CSAT."""
    if mapping is None or "revenue" in mapping.columns or mapping.revenue_from:
        return False
    names = [str(c) for c in columns] + ([mapping.event_constant] if mapping.event_constant else [])
    return "score" in mapping.columns or any(set(normalise(n).split("_")) & _SURVEY_WORDS for n in names)


def not_sent_columns(columns, mapping: ColumnMapping | None = None) -> list:
    """The columns among `columns` holding a request's, survey's, invitation's or message's status
    ("request_delivery_status", "Survey Status", "Invitation State"), and in a survey or feedback file (`survey_file`)
    its plain "Status" ("Delivery Status", "Send Status"): a row whose status there reads NOT_SENT_STATUS was never
    sent."""
    survey = survey_file([c for c in columns if c != "__line__"], mapping)

    def said(name) -> bool:
        words = set(normalise(str(name)).split("_"))
        return bool(words & {"status", "state"} and (words & _SENT_THINGS or survey and words <= _GENERIC_STATUS))
    return [c for c in columns if c != "__line__" and said(c)]


def _not_sent_rows(frame: pd.DataFrame, mapping: ColumnMapping | None = None) -> pd.Series:
    """Rows of `frame` whose request or message status (not_sent_columns) says it was never sent."""
    found = pd.Series(False, index=frame.index)
    for column in not_sent_columns(frame.columns, mapping):
        found |= frame[column].astype("string").str.lower().str.contains(NOT_SENT_STATUS, regex=True).fillna(False)
    return found.astype(bool)


# An invoice its own status says never went to the customer (an invoices export's "Draft", "Awaiting Approval":
# cjm.data.reversals.INVOICE_NOT_SENT_STATUS): no interaction of the customer, no money. An invoice sent and not paid
# ("Sent", "Open", "Overdue") is kept: the customer was billed; it reads 'not paid' and counts no money.
INVOICE_NOT_SENT = "invoice never sent (its status says draft: no interaction of the customer)"


# A row its own test-mode column says is a test (Lemon Squeezy's orders "test_mode" true, Stripe's "livemode" false,
# UltraCart's "test_order", RevenueCat's "is_sandbox", Google's "isInSandbox"): the merchant trying the checkout, no
# customer's event; its money never moved. A bare "test" is not read (an A/B test's group, a test's name).
TEST_ROW = "a test (its test-mode column says so: no customer's event)"
_TEST_COLUMNS = {"test_mode", "testmode", "is_test", "test_order", "is_test_order", "sandbox", "sandbox_mode",
                 "is_sandbox", "is_in_sandbox", "in_sandbox", "isinsandbox", "issandbox"}
_LIVE_COLUMNS = {"livemode", "live_mode", "is_live"}
TEST_YES = ("true", "yes", "1", "1.0", "t", "y")
TEST_NO = ("false", "no", "0", "0.0", "f", "n")


def test_mode_columns(columns) -> list:
    """(column, the values saying a test) of `columns` naming a test mode ("test_mode", "is_test": yes; "livemode":
    no)."""
    out = []
    for c in columns:
        name = normalise(str(c))
        if name in _TEST_COLUMNS:
            out.append((c, TEST_YES))
        elif name in _LIVE_COLUMNS:
            out.append((c, TEST_NO))
    return out


def _test_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows of `frame` whose test-mode column (test_mode_columns) says they are a test."""
    found = pd.Series(False, index=frame.index)
    for column, said in test_mode_columns(c for c in frame.columns if c != "__line__"):
        found |= frame[column].astype("string").str.strip().str.lower().isin(said).fillna(False)
    return found.astype(bool)


REVIEW_AGAIN = "a review already read from an earlier file (the same review id)"
def _wide_reviews(mapping: ColumnMapping) -> bool:
    """A review export read as a wide export because the business replied to reviews (google-play-scraper's 'at'
    and 'repliedAt', Trustpilot's 'Company Reply Date': each filled date is an event): its rows are reviews, as a
    feedback file's are (`guess_role`'s feedback: a score or a comment, no event, no money). A help desk's
    tickets ('Created', 'Resolved') have no reply date and keep their requesters together."""
    cols = mapping.columns
    return (mapping.shape == "wide" and "event" not in cols and "revenue" not in cols
            and ("score" in cols or "text" in cols)
            and any(re.search(r"repl(y|ied)", normalise(c)) for c in mapping.wide_events))


ANONYMOUS_NOTE = ("No customer id column: each row is one respondent (anonymous responses), and identical rows are kept "
                  "(two people can answer alike). Map an id column on the Data page if rows of one person should be "
                  "joined.")


def _event_rows(frame: pd.DataFrame, mapping: ColumnMapping, name: str, report: FileReport, *, feedback: bool,
                reviews: bool | None = None, seen_reviews: set | None = None):
    """(events, rejected rows, customer attributes or None, source rows used). reviews: the rows are reviews, keyed
    perhaps by the names reviewers show (`reviewers.apart`); a feedback file's are."""
    reviews = feedback if reviews is None else reviews
    if feedback and "event" not in mapping.columns and not mapping.event_constant and mapping.shape != "wide":
        mapping.event_constant = "feedback"
    check_mapping(mapping, frame, undated=feedback)
    frame = _later_lines_of_orders(frame, mapping, report)
    cols = mapping.columns
    if mapping.keep_identical and "customer_id" in cols:
        report.notes.append("Identical rows are kept as separate events, as the mapping says (no row is set aside "
                            "as a duplicate).")
    lines = _line_numbers(frame)
    zone_masks = []  # rows whose time ends in a zone abbreviation cjm does not read: (mask, reason)
    out = pd.DataFrame(index=frame.index)
    review_ids = None  # a review export's own ids of its reviews (cjm.data.reviewers.review_id_column)
    if "customer_id" in cols:
        ids = _event_ids(frame[cols["customer_id"]], cols["customer_id"], report.notes)
        guests = guest_id_note(frame, mapping)  # BigCommerce's guests: 'Customer ID' 0 beside their e-mails
        if guests is not None:
            report.notes.append(guests)
        if mapping.signed_in_id:  # the person who signed in on each anonymous id (cjm.data.identities)
            signed = _event_ids(identities.no_one(to_id_strings(frame[mapping.signed_in_id])),
                                mapping.signed_in_id, report.notes)  # 'anonymous': nobody signed in
            fallback = (_event_ids(frame[mapping.fallback_id], mapping.fallback_id, report.notes)
                        if mapping.fallback_id else None)
            ids, signed, by_fallback = identities.fallen_back(ids, signed, fallback)
            anonymous, (ids, stitched) = ids, identities.stitched(ids, signed, cols["customer_id"])
        review_column = reviewers.review_id_column(frame.columns) if reviews else None
        review_ids = to_id_strings(frame[review_column]) if review_column is not None else None
        out["customer_id"] = reviewers.apart(ids, lines, report, names_column=cols["customer_id"] if reviews else None,
                                             columns=frame.columns)
    else:  # anonymous responses: each row is one respondent
        out["customer_id"] = ("row " + lines.astype("string")).astype("string")
        report.notes.append(ANONYMOUS_NOTE)
    if "timestamp" in cols:
        written = frame[cols["timestamp"]]
        if mapping.time_of_day:  # the dates' times of day in a column of their own (PayPal's 'Date' and 'Time')
            written = with_time_of_day(written, frame[mapping.time_of_day])
            report.notes.append(f"The times of day in {mapping.time_of_day!r} complete the dates of "
                                f"{cols['timestamp']!r}: each event is at its date and time.")
        parsed = parse_timestamps(written, day_first=mapping.day_first, timezone=mapping.timezone)
        report.timestamp_style, report.dates_ambiguous = parsed.style, bool(parsed.ambiguous)
        stated = zones.stated_zone(frame, set(cols.values())) if mapping.timezone != "UTC" else None
        if stated is not None and stated[1] == mapping.timezone:
            report.notes.append(f"Times are read in {mapping.timezone}, the time zone {stated[0]!r} names "
                                f"({frame[stated[0]].dropna().iloc[0]!s}), and counted in UTC.")
        if parsed.ambiguous:
            report.notes.append(order_note(cols["timestamp"], parsed.day_first))
        out["timestamp"] = parsed.values
        zoned = zones.zone_column(frame, written, mapping.used_columns()) if mapping.timezone == "UTC" else None
        if zoned is not None and parsed.time_of_day == 0 and not mapping.time_of_day:  # dates: each on its day
            report.notes.append(zones.dates_note(zoned[0], cols["timestamp"]))
        elif zoned is None and mapping.timezone == "UTC":  # a zone column too mixed to read: say so
            unread = zones.unread_note(frame, written, mapping.used_columns(), cols["timestamp"], mapping.timezone)
            if unread:
                report.notes.append(unread)
        elif zoned is not None:  # PayPal's 'TimeZone' (PST, PDT) beside its dates and times: each row in its zone
            column, hours = zoned
            out["timestamp"] = zones.to_utc(parsed.values, hours)
            unmoved = int((parsed.values.notna() & hours.isna()).sum())
            report.notes.append(zones.note(column, hours, frame[column].astype("string"), cols["timestamp"],
                                           unmoved, mapping.timezone))
        if mapping.shape != "wide":  # each event's clock, where the file names it (schema.CLOCK: the day map's hours)
            clock = (zones.clock_offsets(hours) if zoned is not None and not (parsed.time_of_day == 0
                                                                             and not mapping.time_of_day)
                     else clock_offsets(written, parsed, mapping.timezone))
            if clock is not None:
                out[schema.CLOCK] = clock
        report.time_of_day = parsed.time_of_day
        unparsed = parsed.unparsed
        if parsed.unread_zones is not None:  # '11:07:29 AM IST': its reason names the abbreviation and the fix
            zone_masks = [(parsed.unread_zones.eq(zone).fillna(False).astype(bool), zone_abbreviations.reason(zone))
                          for zone in parsed.unread_zones.dropna().unique()]
        blank = trimmed_text(frame[cols["timestamp"]]).isna()  # missing, or only whitespace
    else:
        out["timestamp"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us, UTC]")
        unparsed = blank = pd.Series(False, index=frame.index)
        if mapping.shape != "wide" and not (feedback and "customer_id" in cols):  # undated answers: said below
            report.notes.append("No date column: analyses that need time (funnel windows, periods, gaps) are "
                                "skipped with the reason.")
    unreadable = []  # (source column, values, unreadable mask): counted on the rows that are kept
    if "event" in cols:
        out["event"] = to_id_strings(frame[cols["event"]])
        if mapping.event_fallback:  # a Segment message log: a page or identify call is that call
            out["event"] = out["event"].fillna(to_id_strings(frame[mapping.event_fallback]))
    elif mapping.shape != "wide":
        out["event"] = pd.Series(mapping.event_constant, index=frame.index, dtype="string")
        report.notes.append(refund_exports.note(frame, mapping, name) if refund_exports.reads_as_refunds(mapping)
                            else f"No event column: every row is the touchpoint {mapping.event_constant!r}.")
    for column in schema.OPTIONAL:
        if column not in cols:
            continue
        source = frame[cols[column]]
        if column in schema.NUMERIC_COLUMNS:
            labels = label_values(source) if column == "score" else None  # negative / neutral / positive
            stars = star_word_values(source) if column == "score" and labels is None else None  # "FOUR"
            numbers, bad = labels if labels is not None else stars if stars is not None else parse_numbers(source)
            if labels is not None:
                report.score_scale = "polarity"
            elif column == "score":
                outside, bounds = scores.outside_answers(numbers, cols[column])
                if bounds is not None:
                    report.notes.append(scores.outside_note(cols[column], numbers, outside, bounds))
                    numbers = numbers.mask(outside)
                report.score_scale = scores.named_scale(cols[column], numbers)
                if report.score_scale is None and scores.half_stars(numbers):
                    report.score_scale = "halfstar5"
                    report.notes.append(f"{cols[column]!r} holds half stars (0.5..5): read on that scale, 0.5 as -1, "
                                        "2.75 as neutral and 5 as +1.")
                elif report.score_scale is not None:
                    report.notes.append(scores.named_scale_note(cols[column], report.score_scale))
            out[column] = numbers
            unreadable.append((cols[column], source, bad))
        elif column == "text":
            out[column], note = comments.no_comment(trimmed_text(source), cols[column])
            if note:
                report.notes.append(note)
        else:
            out[column] = to_id_strings(source) if column in ("session_id", "variant") else trimmed_text(source)
    if mapping.revenue_from and "revenue" not in cols:
        quantity_col, price_col = mapping.revenue_from
        quantity, bad_q = parse_numbers(frame[quantity_col])
        price, bad_p = parse_numbers(frame[price_col])
        unreadable += [(quantity_col, frame[quantity_col], bad_q), (price_col, frame[price_col], bad_p)]
        out["revenue"] = quantity * price
        report.notes.append(revenue_from_note(quantity_col, price_col))
    shown_note = minor_units.note(frame.columns, cols.get("revenue"))
    if shown_note:
        report.notes.append(shown_note)
    # a company reply to no customer's message; a company row that is no reply at all (its reason, else None)
    unanswered, no_reply = (conversations.apply(frame, out, mapping.conversation, customer_column=cols.get("customer_id"),
                                                event_column="event" in cols, notes=report.notes)
                            if mapping.conversation else (pd.Series(False, index=frame.index),
                                                          pd.Series(None, index=frame.index, dtype=object)))
    out_of_range = out["timestamp"].notna() & ~out["timestamp"].between(EARLIEST, LATEST)
    # without a customer id each row is one respondent, and two people can answer alike: no duplicates
    duplicate = (duplicated_rows(frame.drop(columns=[c for c in ("__line__",) if c in frame.columns]),
                                 keys=[cols[c] for c in ("customer_id", "timestamp") if c in cols])
                 if "customer_id" in cols and not mapping.keep_identical else pd.Series(False, index=frame.index))
    missing_event = out["event"].isna() if "event" in out else pd.Series(False, index=frame.index)
    # the money notes count the rows that are kept (a cancellation line without a customer id is set aside)
    not_sent = _not_sent_rows(frame, mapping)  # a request never sent: no interaction (NOT_SENT)
    draft = money.invoices_not_sent(frame, mapping)  # an invoice never sent: no interaction (INVOICE_NOT_SENT)
    tested = _test_rows(frame)  # the merchant's test, no customer's (TEST_ROW)
    set_aside = (out["customer_id"].isna() | unanswered | no_reply.notna() | not_sent | draft | tested
                 | (blank & (mapping.shape != "anonymous")) | unparsed | out_of_range
                 | missing_event | duplicate).fillna(False).astype(bool)
    order_frame = money.net_money(frame, out, mapping, report.notes, kept=~set_aside)
    currency = currencies.of_rows(frame, cols.get("revenue") or (mapping.revenue_from or [None, None])[1],
                                  customers=out["customer_id"])
    if currency is not None:
        out[currencies.COLUMN] = currency
    if mapping.shape == "long":  # a deal stage history: a deal's amount once, on its first won row
        note = deals.history_money(frame, out, cols.get("event"), mapping.used_columns(), ~set_aside)
        if note:
            report.notes.append(note)
    used_sources = mapping.used_columns()
    extras = [c for c in frame.columns if c not in used_sources and c != "__line__"]
    if mapping.revenue_from:
        extras += [c for c in mapping.revenue_from if c in frame.columns]
    if extras:  # assembled in one step: adding 10,000 columns one at a time takes minutes
        renamed = {c: _attribute_name(c) for c in extras}
        kept = frame[extras].rename(columns=renamed)
        mixed = {c: uniform_cells(kept[c]) for c in kept.columns if kept[c].dtype == object}
        kept = kept.assign(**{c: v for c, v in mixed.items() if v is not kept[c]}) if mixed else kept
        out = pd.concat([out, kept], axis=1)
    masks = [
        # a line of nothing but delimiters (eBay's orders report writes one below its header): no row of anyone's
        (frame.drop(columns=[c for c in ("__line__",) if c in frame.columns]).isna().all(axis=1), EMPTY_ROW),
        # the company's assignment or close without words, its internal note: no reply at all
        (no_reply.eq(conversations.WORDLESS).fillna(False), conversations.WORDLESS),
        (no_reply.eq(conversations.INTERNAL_NOTE).fillna(False), conversations.INTERNAL_NOTE),
        (unanswered, conversations.UNANSWERED),  # a company reply: no customer of its own to miss
        (_totals_lines(frame, out["customer_id"]), TOTALS_ROW),
        (not_sent, NOT_SENT),
        # a draft of no one (Paddle's checkout left before its customer was asked) is no customer's invoice unsent:
        # 'missing customer id'
        (draft & out["customer_id"].notna(), INVOICE_NOT_SENT),
        (tested, TEST_ROW),
        (out["customer_id"].isna(), "missing customer id"),
        # a respondent who left the date empty still answered: anonymous responses keep undated rows (the
        # trend reads the dated ones); events of a customer need their time
        (blank & (mapping.shape != "anonymous"), "missing timestamp"),
        *zone_masks,
        (unparsed, "unparseable timestamp"),
        (out_of_range, "timestamp out of range (before 1900 or after 2100)"),
        (out["event"].isna() if "event" in out else pd.Series(False, index=frame.index), "missing event"),
        (duplicate, DUPLICATE),
        # a review an earlier file holds too (monthly exports that overlap): its review id says it is the same
        (review_ids.isin(seen_reviews) if review_ids is not None and seen_reviews is not None
         else pd.Series(False, index=frame.index), REVIEW_AGAIN),
    ]
    bad_any = pd.Series(False, index=frame.index)
    rejected = []
    for mask, reason in masks:
        mask = mask.fillna(False).astype(bool) & ~bad_any
        if mask.any():
            rejected.append(_reject(frame, mask, reason, name))
        bad_any |= mask
    for column, source, bad in unreadable:
        _count_unreadable(report, column, source, bad.fillna(False).astype(bool) & ~bad_any)
    if review_ids is not None and seen_reviews is not None:
        seen_reviews.update(review_ids[~bad_any].dropna())
    good = out.loc[~bad_any]  # a new frame (copy-on-write): no second copy
    good["_file"] = 0  # the file's number, set by parse_files
    good["_line"] = lines[~bad_any].to_numpy()
    if mapping.shape == "wide":
        good, wide_rejected = _wide_events(order_frame.loc[~bad_any], good, mapping, report, name)
        if len(wide_rejected):
            rejected.append(wide_rejected)
            bad_any.loc[wide_rejected.index] = True
    if mapping.signed_in_id and "customer_id" in cols:  # counted on the events kept (not a duplicate or undated row)
        _, joined = identities.stitched(anonymous[~bad_any], signed[~bad_any], cols["customer_id"],
                                        by_fallback=by_fallback[~bad_any], number=stitched.apart_number)
        unsigned = int(identities.placeholders(frame[mapping.signed_in_id])[~bad_any].sum())
        report.notes.append(identities.note(joined, cols["customer_id"], mapping.signed_in_id, mapping.fallback_id,
                                            placeholders=unsigned))
        pairs = pd.DataFrame({"anonymous": anonymous[~bad_any], "signed": signed[~bad_any]})
    if report.names_apart:  # said on the reviews kept: a duplicate row or an undated review signs no name
        report.notes.append(reviewers.names_note(ids[~bad_any], cols["customer_id"]))
    rows_used = int((~bad_any).sum())
    if feedback and "customer_id" in cols and "timestamp" not in cols and mapping.shape == "long":
        report.notes.append(undated_feedback_note(rows_used))
    attrs = None
    # a refund's fields (its charge, its status) describe the refund, not its customer
    if (extras and mapping.shape in ("long", "anonymous") and len(good) and not refund_exports.reads_as_refunds(mapping)
            and _unique(good["customer_id"])):
        attrs = good[["customer_id"] + [_attribute_name(c) for c in extras]]
    if (mapping.purchase_flag and "event" not in cols and mapping.shape != "wide"
            and not refund_exports.reads_as_refunds(mapping)):  # after attrs: one row per customer is the file's
        good, note = purchases.flagged_purchases(good, frame[mapping.purchase_flag], mapping.purchase_flag,
                                                 mapping.event_constant)
        report.notes.append(note)
    elif mapping.purchase_flag:  # chosen, yet the rows' events say what they are: said, never silently ignored
        why = (f"each row's event comes from {cols['event']!r}, so its purchases are the rows named for a purchase"
               if "event" in cols else "a wide export's purchases are its purchase-named date columns"
               if mapping.shape == "wide" else f"every row is a {mapping.event_constant!r} (a refund)")
        report.notes.append(f"{mapping.purchase_flag!r} was chosen under 'Rows that bought', but it is not used: {why}. "
                            "Choose none there, or map the file without an event column to read purchases from it.")
    rejected = pd.concat(rejected, ignore_index=True) if rejected else _empty_rejected()
    if mapping.signed_in_id and "customer_id" in cols:  # for the files read with this one that write the anonymous
        good.attrs[PAIRS] = pairs                         # id alone (parse_files' _joined_across_files); set last:
    return good, rejected, attrs, rows_used               # pandas compares attrs when it concatenates frames


def _attribute_name(column) -> str:
    """An extra column's name beside the events' columns: "attr_" before a canonical column's name in any case
    (Salesforce's "Stage" beside the derived "stage": the engine's SQL reads names without their case)."""
    return f"attr_{column}" if str(column).lower() in engine.EVENT_SCHEMA or column in schema.HIDDEN else column


def _unique(values: pd.Series) -> bool:
    """values.is_unique, answered from the first rows when they already repeat (event logs: at once)."""
    return values.iloc[:10_000].is_unique and values.is_unique


def duplicated_rows(frame: pd.DataFrame, *, keys: list | None = None) -> pd.Series:
    """frame.duplicated() (every column equal to an earlier row), exact and several times faster on text
    exports: rows are hashed, and only rows whose hash repeats are compared cell by cell. `keys`: a few
    columns that tell most rows apart (the customer id and timestamp): only rows whose keys repeat can be
    duplicates, so they are found first from those columns' hashes and the whole rows of those alone
    are hashed and compared."""
    hashable = _hashable(frame)
    if hashable is None:
        return frame.duplicated()  # Python objects (1, 1.0 and True are equal but hash apart): compare them all
    if not len(frame):
        return pd.Series(False, index=frame.index)
    out = np.zeros(len(frame), dtype=bool)
    candidates = None  # rows that can be duplicates (None: all)
    keys = [k for k in dict.fromkeys(keys or ()) if k in frame.columns]
    if keys and len(keys) < frame.shape[1]:
        candidates = _repeated(engine.row_hashes(hashable[keys]))
        if not candidates.any():
            return pd.Series(out, index=frame.index)
    repeated = _repeated(engine.row_hashes(hashable, where=candidates))
    if repeated.any():
        positions = np.flatnonzero(candidates)[repeated] if candidates is not None else np.flatnonzero(repeated)
        out[positions] = frame.iloc[positions].duplicated().to_numpy()  # in file order: later copies marked
    return pd.Series(out, index=frame.index)


def _hashable(frame: pd.DataFrame) -> pd.DataFrame | None:
    """The frame with the cells pandas calls equal made equal for a hash: -0.0 becomes 0.0 and NaN null
    (text, whole numbers, booleans and dates hash as they are); None when a column holds anything else
    (Python objects, categories, nullable numbers), whose equality a hash cannot be trusted to follow."""
    columns = {}
    for name, values in frame.items():
        dtype = values.dtype
        if isinstance(dtype, pd.StringDtype) or (isinstance(dtype, np.dtype) and dtype.kind in "iub"):
            columns[name] = values
        elif isinstance(dtype, np.dtype) and dtype.kind == "f":
            columns[name] = values + 0.0  # -0.0 + 0.0 is 0.0; NaN reaches Arrow as null
        elif isinstance(dtype, np.dtype) and dtype.kind == "M" or isinstance(dtype, pd.DatetimeTZDtype):
            columns[name] = values
        else:
            return None
    return pd.DataFrame(columns, index=frame.index, copy=False)


def _repeated(hashes: np.ndarray) -> np.ndarray:
    """True for every value that occurs more than once (pd.Series(hashes).duplicated(keep=False)): the
    repeated values come from one sort; a table on their low 20 bits narrows the rows that may hold one
    to a few, which are then looked up exactly."""
    hashes = np.asarray(hashes)
    ordered = np.sort(hashes)
    again = ordered[1:] == ordered[:-1]
    out = np.zeros(len(hashes), dtype=bool)
    if not again.any():
        return out
    values = ordered[1:][again]
    low = np.uint64((1 << 20) - 1)
    table = np.zeros(1 << 20, dtype=bool)
    table[(values.astype(np.uint64) & low).astype(np.intp)] = True
    maybe = np.flatnonzero(table[(hashes.astype(np.uint64) & low).astype(np.intp)])
    out[maybe] = np.isin(hashes[maybe], values)
    return out


def _count_unreadable(report: FileReport, column: str, source: pd.Series, bad: pd.Series) -> None:
    n = int(bad.sum())
    if n:
        report.unreadable[column] = report.unreadable.get(column, 0) + n
        said = "values in {!r} are not numbers" if n != 1 else "value in {!r} is not a number"  # not '1 values'
        report.notes.append(f"{n:,} {said.format(column)} (text, NaN or infinity) and "
                            f"{'were' if n != 1 else 'was'} left empty "
                            f"(e.g. {str(source[bad.astype(bool)].iloc[0])!r}); the "
                            f"{'rows are' if n != 1 else 'row is'} kept.")


def _wide_events(frame: pd.DataFrame, good: pd.DataFrame, mapping: ColumnMapping, report: FileReport, name: str):
    """One row per order / ticket / lead -> one event per filled timestamp column, named after the column;
    due / promised / estimated dates become '<column> status' attributes (on time / late)."""
    parts, part_columns, styles = [], [], []  # part_columns[k]: the date column parts[k] comes from
    stamps = {}
    times = set()  # the events' columns' one time of day as written (None: a column with times)
    # the column whose dates a column of times of day completes (BigCommerce's "Order Date" and "Order Time")
    clocked = next((c for c in mapping.wide_events if mapping.time_of_day and completes_by_name(c, mapping.time_of_day)
                    and mapping.time_of_day in frame.columns), None)
    if clocked is not None:
        report.notes.append(f"The times of day in {mapping.time_of_day!r} complete the dates of {clocked!r}: each "
                            "of those events is at its date and time.")
    for col in mapping.wide_events + mapping.wide_due:
        try:
            written = frame[col] if col != clocked else with_time_of_day(frame[col], frame[mapping.time_of_day])
            parsed = parse_timestamps(written, day_first=mapping.day_first, timezone=mapping.timezone)
            stamps[col] = parsed.values.where(parsed.values.between(EARLIEST, LATEST))
            styles.append(parsed.style)
            if col in mapping.wide_events:
                times.add(parsed.time_of_day)
        except CJMError:
            stamps[col] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us, UTC]")
    # dates without times when every date column of the events is, at one and the same time of day
    report.time_of_day = times.pop() if len(times) == 1 else None
    for due in mapping.wide_due:
        words = set(normalise(due).split("_"))
        actual = next((c for c in reversed(mapping.wide_events)
                       if _stem(words) & _stem(set(normalise(c).split("_")))), mapping.wide_events[-1])
        status = pd.Series(pd.NA, index=frame.index, dtype="string")
        both = stamps[due].notna() & stamps[actual].notna()
        status[both] = np.where(stamps[actual][both] <= stamps[due][both], "on time", "late")
        good[event_name_from_column(due).replace(" ", "_") + "_status"] = status
    opening = tickets.opening(frame.columns, mapping.wide_events, stamps)
    close, won = _deal_outcomes(frame, good, mapping, report)
    purchase, as_purchase = purchases.one_purchase_per_record(
        {c: event_name_from_column(c) for c in mapping.wide_events if c not in (opening, close)}, stamps)
    # records with money whose dates name no purchase (a Stripe charge's 'Created (UTC)'): bought on the first
    bought = (purchases.bought_on({c: event_name_from_column(c) for c in mapping.wide_events}, stamps)
              if close is None and opening is None and "revenue" in good and good["revenue"].notna().any() else None)
    for col in mapping.wide_events:
        if close is not None and col != close and deals.outcome_date(col):
            continue  # Pipedrive's "Won time" beside its "Close time": the close is 'deal won' already
        filled = stamps[col].notna()
        part = good.loc[filled].copy()
        part["timestamp"] = stamps[col][filled]
        name = event_name_from_column(col)
        part["event"] = tickets.opening_event(col, name) if col == opening else name
        if col == bought:  # a record of negative money (a refunds export's row) is no purchase
            part.loc[~part["revenue"].lt(0).fillna(False).to_numpy(dtype=bool), "event"] = purchases.PURCHASE_EVENT
        if col in as_purchase:  # one order is one purchase: its other purchase-named dates are steps of it
            step = ~as_purchase[col].reindex(part.index, fill_value=False).to_numpy(dtype=bool)
            part.loc[step, "event"] = name + purchases.STEP_OF_PURCHASE
        if col == close:  # a deal's close is its outcome; a won deal's money counts that day
            part["event"] = won[filled].map({"won": "deal won", "lost": "deal lost"}).fillna(f"expected {name}")
            part["_earns"] = won[filled].eq("won").fillna(False).to_numpy(dtype=bool)
        parts.append(part)
        part_columns.append(col)
    if close is not None and (undated := _undated_closes(good, won, stamps, close, mapping, report)) is not None:
        parts.append(undated)
        part_columns.append(close)
    report.timestamp_style = styles[0] if styles else None
    report.notes.append("Wide export (one row per record): each filled date in " + ", ".join(
        repr(c) for c in mapping.wide_events) + " is one event named after its column" + (
        "; " + ", ".join(repr(c) for c in mapping.wide_due)
        + (" becomes an on time / late attribute" if len(mapping.wide_due) == 1 else " become on time / late attributes")
        if mapping.wide_due else "") + ". A record's money is counted once, on its first event (a cancellation, "
        "refund or return date takes it back), and its score and comment once, on its last or feedback event." + "".join(
        f" {c!r} is each record's type, an attribute, not an event." for c in frame.columns
        if is_type_column(c) and c not in mapping.used_columns()))
    if purchase:
        report.notes.append(_one_purchase_note(purchase, list(as_purchase)))
    if bought is not None:
        report.notes.append(f"No date column names a purchase: each record's {bought!r}, where its money counts, is "
                            f"its '{purchases.PURCHASE_EVENT}' (as a row with money and one date is), unless its "
                            "money is negative (a refund).")
    if opening is not None:
        report.notes.append(tickets.note(opening, tickets.opening_event(opening, event_name_from_column(opening)),
                                         mapping.wide_events))
    events = money.record_values_once(parts, part_columns).sort_index(kind="stable") if parts else good.iloc[:0]
    events = events.drop(columns=["_refunded", "_settled"], errors="ignore")
    no_event = ~good.index.isin(events.index)
    events = _order_lines_once(frame, events, mapping, report)
    # lines as numbered before the rows rejected earlier were taken out (`frame` is what is left: numbering its rows
    # again put a row below a rejected one a line too high)
    # (`name` is the file's: the loop above reused the word for each event's)
    rejected = pd.DataFrame({"file": report.name, "line": good["_line"][no_event].astype("int64"),
                             "reason": "no filled timestamp",
                             "raw": _raw_text(frame, pd.Series(no_event, index=frame.index))}) \
        if no_event.any() else _empty_rejected()
    rejected.index = good.index[no_event]
    return events.reset_index(drop=True), rejected


def later_line_sources(frame: pd.DataFrame, mapping: ColumnMapping) -> tuple[str, list[str], pd.Series] | None:
    """An orders export writing an order's customer, dates and money on its first line only and each further product
    on a line naming nothing but the order (Squarespace: "Order ID" and the product): (the order column, the columns
    the later lines take from their order's first line: customer id and dates, per row the index of the line they
    are taken from, missing on the other rows). Only lines with no customer and no date whose order id names one
    customer elsewhere; None when the file has none, or is read one row an event (as in place: cjm.data.source)."""
    cols = mapping.columns
    if "customer_id" not in cols or mapping.shape != "wide":  # read in place, a file is long: rows as written
        return None
    key = returns.order_key(frame, set(mapping.used_columns()))
    if key is None:
        return None
    dates = list(dict.fromkeys(c for c in [cols.get("timestamp"), *mapping.wide_events, *mapping.wide_due] if c))
    who, order = trimmed_text(frame[cols["customer_id"]]), trimmed_text(frame[key])
    undated = (pd.concat([trimmed_text(frame[c]).isna() for c in dates], axis=1).all(axis=1) if dates
               else pd.Series(True, index=frame.index))
    later = who.isna() & order.notna() & undated
    named = who.notna() & order.notna()
    if not later.any() or not named.any():
        return None
    one = who[named].groupby(order[named]).nunique()
    one = one.index[one.eq(1)]
    first = order[named].drop_duplicates()
    first = pd.Series(first.index, index=first.to_numpy())
    source = order.where(later & order.isin(one)).map(first)
    if source.isna().all():
        return None
    return key, [cols["customer_id"], *dates], source


def _later_lines_of_orders(frame: pd.DataFrame, mapping: ColumnMapping, report: FileReport) -> pd.DataFrame:
    """The later lines of an order (`later_line_sources`) take its customer and dates from its first line: each is a
    line of that order (its step written again is read once: _order_lines_once), not a row missing its customer."""
    found = later_line_sources(frame, mapping)
    if found is None:
        return frame
    key, columns, source = found
    lines = source.notna()
    taken = frame.loc[source[lines].astype("int64").to_numpy(), columns]
    frame = frame.copy()
    for column in columns:
        frame.loc[lines, column] = taken[column].to_numpy()
    report.notes.append(f"{money.counted(int(lines.sum()), 'row')} name{'s' if lines.sum() == 1 else ''} only "
                        f"{key!r} and a product: further lines of an order whose customer and dates are on its first "
                        f"line ({', '.join(map(repr, columns))} read from there).")
    return frame


def _order_lines_once(frame: pd.DataFrame, events: pd.DataFrame, mapping: ColumnMapping,
                      report: FileReport) -> pd.DataFrame:
    """A wide export writing an order over several lines (eBay's orders report: the order's line, then one per item,
    each with the order's 'Sale Date' and 'Paid On Date'): a later line's event named and timed as an earlier line's
    of the same order (order id and customer) is that step again, not another one, unless it carries money, a score
    or a comment of its own. Before, a two-item order was three sales and three payments (its path sale, paid, sale,
    paid, sale, paid). Its rows are used all the same (lines of the order)."""
    key = returns.order_key(frame, set(mapping.used_columns()))
    if key is None or not len(events):
        return events
    orders = returns.order_codes(events["customer_id"], frame[key].reindex(events.index))
    again = pd.DataFrame({"o": orders, "e": events["event"].to_numpy(),
                          "t": events["timestamp"].to_numpy()}).duplicated().to_numpy() & (orders >= 0)
    for column in ("revenue", "score", "text"):
        if column in events:
            again &= events[column].isna().to_numpy()
    # a cancellation or refund written on each line settles each line's money (cjm.data.returns): kept per line
    names = pd.Series(events["event"].unique())
    reversal = names[names.map(lambda n: bool(set(normalise(str(n)).split("_")) & reversals.DATE_WORDS))]
    again &= ~events["event"].isin(reversal).to_numpy()
    if not again.any():
        return events
    report.notes.append(f"{key!r} repeats over the lines of an order: a step of the order written again on a later "
                        f"line at the same moment is read once ({int(again.sum())} such events).")
    return events.loc[~again]


def _one_purchase_note(purchase: str, named: list[str]) -> str:
    others = [c for c in named if c != purchase]
    steps = ", ".join(f"{c!r} ({event_name_from_column(c) + purchases.STEP_OF_PURCHASE!r})" for c in others)
    return (f"{' and '.join(map(repr, named))} all name a purchase, but a record is one order: its purchase is its "
            f"{purchase!r} (the first of them on most records; on a record without it, the next one filled), and "
            f"{steps} {'is a step' if len(others) == 1 else 'are steps'} of that purchase, not a second one.")


def _deal_outcomes(frame: pd.DataFrame, good: pd.DataFrame, mapping: ColumnMapping, report: FileReport):
    """(close date column, per record "won" / "lost" / missing) of a deals pipeline (cjm.data.deals), else (None,
    None). Only won deals' values are revenue: a lost or open deal's amount (HubSpot keeps it) counts none."""
    close = deals.close_column(mapping.wide_events)
    outcome = deals.outcomes(frame, mapping.used_columns()) if close is not None else None
    if outcome is None:
        return None, None
    outcome = outcome.loc[good.index]
    if "revenue" in good:
        unwon = good["revenue"].notna() & outcome.ne("won").fillna(True)
        good.loc[unwon, "revenue"] = 0.0
    won, lost = int(outcome.eq("won").sum()), int(outcome.eq("lost").sum())
    report.notes.append(f"Deals pipeline: each deal's {close!r} is named after how it ended, 'deal won' "
                        f"({money.counted(won, 'deal')}) or 'deal lost' ({money.counted(lost, 'deal')}), and an open "
                        f"deal's is its 'expected {event_name_from_column(close)}'; only won deals' values are "
                        "revenue, counted on the day they were won.")
    return close, outcome


def _undated_closes(good: pd.DataFrame, won: pd.Series, stamps: dict, close: str, mapping: ColumnMapping,
                    report: FileReport) -> pd.DataFrame | None:
    """A won or lost deal whose close date is empty still ended: its 'deal won' / 'deal lost' (and a won deal's
    money) goes on its latest known date (cjm.data.deals.undated_closes), and the note says which deals."""
    dates = pd.DataFrame({c: stamps[c] for c in mapping.wide_events}).loc[good.index]
    latest, column = deals.undated_closes(won, dates, close)
    undated = latest.notna()
    if not undated.any():
        return None
    part = good.loc[undated].copy()
    part["timestamp"] = latest[undated]
    part["event"] = won[undated].map({"won": "deal won", "lost": "deal lost"})
    part["_earns"] = won[undated].eq("won").to_numpy(dtype=bool)
    deal = deals.deal_column(good, {"customer_id"})
    names = (good.loc[undated, deal].astype("string").fillna("?") if deal is not None else
             good.loc[undated, "_line"].astype("string"))
    shown = (f"{deal!r} " if deal is not None else "row" + ("s " if undated.sum() > 1 else " ")) + ", ".join(
        names.head(5).tolist()) + (f" and {int(undated.sum()) - 5:,} more" if undated.sum() > 5 else "")
    counts = column[undated].value_counts()  # most deals first, then in the export's column order
    used = sorted(counts.items(), key=lambda item: (-item[1], mapping.wide_events.index(item[0])))
    n_won, n_lost = int(won[undated].eq("won").sum()), int(won[undated].eq("lost").sum())
    counts = " and ".join(t for t in (money.counted(n_won, "won deal") if n_won else "",
                                      money.counted(n_lost, "lost deal") if n_lost else "") if t)
    report.notes.append(f"{counts[0].upper() + counts[1:]} ha{'s' if n_won + n_lost == 1 else 've'} no {close!r} "
                        f"({shown}): a deal that ended is closed on its latest known date instead, "
                        + ", ".join(f"{c!r} for {money.counted(int(n), 'deal')}" for c, n in used)
                        + (", where a won deal's value counts." if n_won else "."))
    return part


def _stem(words: set[str]) -> set[str]:
    return {w[:6] for w in words if len(w) > 3 and w not in {"date", "time", "timestamp", "estimated", "promised"}}


_JOINING_WORDS = {"of", "to", "for", "the"}  # left at an end once the date word is gone: "Date of Purchase"


def event_name_from_column(column: str) -> str:
    """'order_delivered_customer_date' -> 'order delivered customer'; 'Date of Purchase' -> 'purchase' and 'Time to
    Resolution' -> 'resolution' (not 'of purchase', which no stage word reads as a purchase); the zone a name gives
    its times in is no part of the step ('Submit Date (UTC)' of a Typeform export -> 'submit')."""
    words = [w for w in normalise(column).split("_")
             if w not in {"date", "time", "datetime", "timestamp", "dt", "at", "ts", "on"} | ZONE_WORDS]
    while len(words) > 1 and words[0] in _JOINING_WORDS:
        words = words[1:]
    while len(words) > 1 and words[-1] in _JOINING_WORDS:
        words = words[:-1]
    # a record's name before a field that names it again (Pipedrive's "Deal - Deal created"): 'deal created'
    words = [w for i, w in enumerate(words) if i == 0 or w != words[i - 1]]
    return " ".join(words) or str(column)


UNJOIN_HINT = ("If the ids joined above are different people (two unrelated files whose ids overlap by chance), untick \"Join ids "
               "written another way\" for this file under Column mapping.")


def _customer_rows(frame: pd.DataFrame, mapping: ColumnMapping, name: str, notes: list[str], *,
                   ids: pd.Index | None = None, keys: pd.Series | None = None):
    """(customers, rejected rows, how many keys were rewritten to join `ids`) of a customers file; `ids`: the
    events' customer ids, which its keys join (None: only as written); `keys`: its keys as the people they describe
    (identities.described), None: as written."""
    restored = dropped = decimals = 0
    if "customer_id" not in mapping.columns:
        check_mapping(mapping, frame)
    id_col = mapping.columns["customer_id"]
    written = _emails_lowercased(to_id_strings(frame[id_col]), id_col, notes)
    keys = written if keys is None else keys.astype("string")
    if ids is not None:
        keys, rewritten = joins.as_event_ids(keys, ids)
        restored, dropped, decimals = (rewritten[k] for k in ("zeros restored", "zeros dropped", "decimals dropped"))
        if restored:
            notes.append(f"{money.counted(restored, 'id')} in {id_col!r} had lost the leading zeros the events' ids "
                         "have (42 for 00042: a spreadsheet read them as numbers); they join those customers.")
        if dropped:
            notes.append(f"{money.counted(dropped, 'id')} in {id_col!r} join the events' ids without their leading "
                         "zeros (00042 for 42: the events went through a spreadsheet that read them as numbers).")
        if decimals:
            notes.append(f"{money.counted(decimals, 'id')} in {id_col!r} {'was' if decimals == 1 else 'were'} written "
                         "with decimals (42.0 for 42: a "
                         "spreadsheet or pandas saved the ids as decimal numbers); they join those customers.")
    ids = keys
    out = frame.drop(columns=[c for c in (id_col, "__line__") if c in frame.columns]).copy()
    out.insert(0, "customer_id", ids)
    missing = ids.isna()
    duplicate = ids.duplicated() & ~missing
    rejected = [_reject(frame, missing, "missing customer id", name),
                _reject(frame, duplicate, "duplicate customer (first row kept)", name)]
    return out.loc[~missing & ~duplicate], pd.concat(rejected, ignore_index=True), restored + dropped + decimals


def _merge_customers(parts: list[pd.DataFrame]) -> pd.DataFrame | None:
    if not parts:
        return None
    merged = parts[0]
    for part in parts[1:]:
        new_cols = ["customer_id"] + [c for c in part.columns if c not in merged.columns]
        merged = merged.merge(part[new_cols], on="customer_id", how="outer")
    return _typed_attributes(merged.reset_index(drop=True))


def _typed_attributes(frame: pd.DataFrame) -> pd.DataFrame:
    """Attribute columns that are numbers become numbers (decimal commas included); the rest stay text."""
    out = frame.copy()
    candidates = [c for c in out.columns if c != "customer_id" and not pd.api.types.is_numeric_dtype(out[c])]
    if len(candidates) > _WIDE:
        return _typed_wide_attributes(out, candidates)
    for column in candidates:
        numbers, bad = parse_numbers(out[column])
        if numbers.notna().any() and not bad.any() and not _codes(out[column]):
            out[column] = numbers
        else:
            out[column] = out[column].astype("string")
    return out


def _written_as_codes(values: pd.Series) -> pd.Series:
    """Per cell: digits written as a code: with a leading zero ("01001", "007") or an international phone number's
    '+' ("+447700900001")."""
    return values.astype("string").str.strip().str.match(r"0\d|\+\d{6}").fillna(False)


def _codes(values: pd.Series) -> bool:
    """Digits written with a leading zero or a phone's '+' are codes (a zip code, an account number, a phone),
    not quantities: read as numbers they would lose the zero or the '+' and join nothing."""
    return bool(_written_as_codes(values).any())


_WIDE = 100  # more text columns than this: read their numbers in one step (one decimal style for all)


def _typed_wide_attributes(out: pd.DataFrame, candidates: list) -> pd.DataFrame:
    """_typed_attributes for thousands of columns: cells parsed in a few stacked calls, the frame
    assembled once (one column at a time takes minutes at 10,000 columns)."""
    n = len(out)
    per_call = max(1, 2_000_000 // max(n, 1))
    typed = {}
    for start in range(0, len(candidates), per_call):
        chunk = candidates[start:start + per_call]
        stacked = pd.Series(out[chunk].to_numpy(dtype=object).T.reshape(-1), dtype=object)
        numbers, bad = parse_numbers(stacked)
        numbers = numbers.to_numpy().reshape(len(chunk), n)
        bad = bad.to_numpy().reshape(len(chunk), n)
        numeric = ~np.isnan(numbers).all(axis=1) & ~bad.any(axis=1) if n else np.zeros(len(chunk), bool)
        padded = _written_as_codes(stacked).to_numpy().reshape(len(chunk), n)
        numeric &= ~padded.any(axis=1)
        typed.update({c: numbers[j] for j, c in enumerate(chunk) if numeric[j]})
    text = [c for c in candidates if c not in typed]
    parts = [out.drop(columns=candidates), pd.DataFrame(typed, index=out.index), out[text].astype("string")]
    return pd.concat(parts, axis=1)[list(out.columns)]


def _load_into_engine(frame: pd.DataFrame, *, key: str) -> _Loaded:
    """Put the parsed rows in the engine, numbered in file order (row_id breaks ties in time).
    Duplicates were set aside per file before (every source column equal to an earlier row).
    What the load reports about the rows (out of order, values present, events per touchpoint) is taken
    from the frame on the way in, not queried back from the engine."""
    frame.insert(0, "row_id", np.arange(len(frame), dtype="int64"))
    conformed = engine.conform_events(frame, derived=False)
    customers, _ = pd.factorize(conformed["customer_id"], use_na_sentinel=False)
    loaded = _Loaded(table=None, out_of_order=out_of_order_per_file(conformed, customers=customers),
                     non_null={c: int(conformed[c].count()) for c in schema.OPTIONAL},
                     event_counts=event_counts(conformed, customers=customers))
    backend = engine.local()  # one in-process DuckDB per upload, held by the ParsedData and its Datasets
    loaded.table = backend.register(conformed.drop(columns=["_file", "_line"]), name=f"parsed_{key}")
    return loaded


@dataclass
class _Loaded:
    table: ibis.Table | None
    out_of_order: dict[int, int]  # per file position
    non_null: dict[str, int]
    event_counts: pd.DataFrame


def out_of_order_per_file(frame: pd.DataFrame, *, customers: np.ndarray | None = None) -> dict[int, int]:
    """Rows whose timestamp is earlier than the previous row of the same customer (rows in file order,
    several files one after the other), counted per `_file`: what the window query
    `timestamp < lag(timestamp) OVER (PARTITION BY customer_id ORDER BY row_id)` counts, without the
    engine's sort of a million strings: customers become integer codes, a sort of (code, row) keeps
    each customer's rows in file order, and neighbours are compared. A null timestamp (before or after)
    is never out of order; null customer ids form one customer, as in the window's partition.
    `customers`: the codes pd.factorize(frame["customer_id"], use_na_sentinel=False) gives, if at hand."""
    n = len(frame)
    if n < 2:
        return {}
    codes = customers if customers is not None else pd.factorize(frame["customer_id"], use_na_sentinel=False)[0]
    stamps = frame["timestamp"]
    valid = stamps.notna().to_numpy(dtype=bool)
    times = stamps.array.asi8 if hasattr(stamps.array, "asi8") else stamps.to_numpy(dtype="int64")
    if n < 1 << 31:  # one key per row, customer first and then the row: a plain sort keeps file order
        keys = np.sort(codes.astype(np.int64) * n + np.arange(n, dtype=np.int64))
        by_customer, codes = keys % n, keys // n
    else:
        by_customer = np.argsort(codes, kind="stable")
        codes = codes[by_customer]
    times, valid = times[by_customer], valid[by_customer]
    late = (codes[1:] == codes[:-1]) & valid[1:] & valid[:-1] & (times[1:] < times[:-1])
    files = frame["_file"].to_numpy()[by_customer][1:][late]
    return {int(f): int(c) for f, c in zip(*np.unique(files, return_counts=True))}


def event_counts(frame: pd.DataFrame, *, customers: np.ndarray | None = None) -> pd.DataFrame:
    """Events and distinct customers per event, most events first (ties by name), as the engine's
    `group_by("event").agg(events=count(), customers=customer_id.nunique())` returns them (a null event
    is a group of its own; null customer ids are not counted)."""
    codes = customers if customers is not None else pd.factorize(frame["customer_id"], use_na_sentinel=False)[0]
    events, names = pd.factorize(frame["event"], use_na_sentinel=False)
    per_event = np.bincount(events, minlength=len(names)).astype(np.int64)
    known = frame["customer_id"].notna().to_numpy(dtype=bool)
    width = int(codes.max()) + 1 if len(codes) else 1
    pairs = np.sort(events[known].astype(np.int64) * width + codes[known])
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs  # each (event, customer) once
    people = np.bincount(pairs // width, minlength=len(names)).astype(np.int64)
    table = pa.table({"event": pa.array([None if pd.isna(v) else str(v) for v in names], type=pa.string()),
                      "events": per_event, "customers": people})
    counts = table.to_pandas()  # as the engine's results reach pandas (Backend.execute)
    return counts.sort_values(["events", "event"], ascending=[False, True], ignore_index=True)


def build_dataset(parsed: ParsedData, *, stage_mapping: StageMapping | None = None) -> Dataset:
    """Give every event its journey stage (a join with the small event -> stage table, in the engine)."""
    stage_mapping = stage_mapping or StageMapping()
    counts = _event_counts(parsed)
    order = {s: i for i, s in enumerate(stage_mapping.stages)}
    table = stage_mapping.table(counts["event"])
    lookup = pd.DataFrame({"event": list(table), "stage": list(table.values())}).astype({"event": "string",
                                                                                        "stage": "string"})
    lookup["stage_index"] = lookup["stage"].map(order).fillna(-1).astype("int32")
    suffix = hashlib.sha256(json.dumps(stage_mapping.to_dict(), sort_keys=True).encode()).hexdigest()[:8]
    base = parsed.events
    stages = engine.register(lookup, like=base, name=f"stages_{parsed.key}_{suffix}")
    joined = base.left_join(stages, base.event == stages.event)
    columns = [joined[c] for c in engine.EVENT_SCHEMA if c not in ("stage", "stage_index")]
    events = joined.select(*columns, stage=joined.stage.fill_null(schema.UNMAPPED),
                           stage_index=joined.stage_index.fill_null(-1).cast("int32"),
                           **{c: joined[c] for c in base.columns if c not in engine.EVENT_SCHEMA})
    events = events.select(*engine.EVENT_SCHEMA, *[c for c in events.columns if c not in engine.EVENT_SCHEMA])
    customers = None
    if parsed.customers is not None:
        customers = engine.register(parsed.customers, like=base, name=f"customers_{parsed.key}")
    present = tuple(c for c in schema.OPTIONAL if parsed.non_null.get(c, 0) > 0)
    attributes = tuple(c for c in base.columns if c not in engine.EVENT_SCHEMA and c not in schema.HIDDEN)
    counts = counts.assign(stage=counts["event"].map(table))[["event", "stage", "events", "customers"]]
    return Dataset(key=f"{parsed.key}_{suffix}", events=events, customers=customers, stage_mapping=stage_mapping,
                   files=parsed.files, accounting=parsed.accounting, present=present, attributes=attributes,
                   event_counts=counts, backend=parsed.backend or engine.backend_of(events),
                   score_scale=parsed.score_scale, currency=parsed.currency, clock=parsed.clock)


def _event_counts(parsed: ParsedData) -> pd.DataFrame:
    if parsed.event_counts is not None:
        return parsed.event_counts.copy()
    t = parsed.events
    counts = engine.execute(t.group_by("event").agg(events=t.count(), customers=t.customer_id.nunique()))
    return counts.sort_values(["events", "event"], ascending=[False, True], ignore_index=True)


def load_dataset(paths_or_sources, *, mappings=None, stage_mapping: StageMapping | None = None) -> Dataset:
    """Convenience for scripts and the command line: files (paths or SourceFile) -> Dataset."""
    sources = [s if isinstance(s, SourceFile) else SourceFile.from_path(s) for s in paths_or_sources]
    return build_dataset(parse_files(sources, mappings=mappings), stage_mapping=stage_mapping)


@dataclass
class FilePreview:
    """One file's columns with a few sample values and its current mapping: what the mapping editor shows
    when the files cannot be loaded yet (id, timestamp or event not found)."""

    name: str
    columns: list[str]
    samples: pd.DataFrame  # column, examples
    mapping: ColumnMapping


def preview_files(sources: list[SourceFile], *, mappings: dict[str, ColumnMapping] | None = None,
                  examples: int = 3) -> list[FilePreview]:
    out = []
    for source in sources:
        raw = io.load_table(source.data, name=source.name, encoding=source.encoding,
                            delimiter=source.delimiter, sheet=source.sheet)
        frame = raw.frame.drop(columns=[c for c in ("__line__",) if c in raw.frame.columns])
        mapping = (mappings or {}).get(source.name) or _suggest(frame, source.name)
        samples = pd.DataFrame({
            "column": [str(c) for c in frame.columns],
            "examples": [", ".join(str(v)[:40] for v in frame[c].dropna().astype("string").head(200)
                                   .drop_duplicates().head(examples)) for c in frame.columns]})
        out.append(FilePreview(name=source.name, columns=[str(c) for c in frame.columns], samples=samples,
                               mapping=mapping))
    return out


def revenue_from_note(quantity_col: str, price_col: str) -> str:
    """What an upload and a table read in place (cjm.data.source) say of a mapping's revenue_from."""
    return f"Revenue is {quantity_col!r} x {price_col!r} (there is no revenue column)."
