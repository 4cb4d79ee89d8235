"""Data page widgets: upload, column-mapping editor, stage-mapping editor, row accounting."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import streamlit as st

from cjm.data import schema
from cjm.data.clock import date_in, dates_clock
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import DUPLICATE, ROLES, Dataset, ParsedData, SourceFile
from cjm.errors import CJMError
from cjm.data.quality import compute_quality
from cjm.data.stages import StageMapping
from cjm.ui import data, state, widgets
from cjm.ui.safe import md
from cjm.present.formats import format_count
from cjm.data.io.limits import describe_limits

NONE = "— none —"
ENCODINGS = ("detect", "utf-8", "utf-8-sig", "utf-16", "cp1252", "cp1251", "cp1256", "latin-1")


def upload() -> None:
    files = st.file_uploader("Upload exports: an events file, plus optional customers and feedback files",
                             accept_multiple_files=True, key="cjm.upload",
                             type=["csv", "tsv", "txt", "xlsx", "xls", "xml", "parquet", "json", "jsonl", "gz", "zip"])
    st.caption(md(describe_limits()))
    spec = state.spec()
    if files:
        previous = {f.name: f for f in spec.files}
        refs = []
        for i, file in enumerate(files):
            with st.expander(f"Reading options for {md(file.name)}"):
                role = st.selectbox("This file holds", ROLES, key=f"cjm.role.{i}",
                                    format_func=lambda r: {"auto": "detect", "events": "events (interactions)",
                                                           "customers": "customers (one row each)",
                                                           "feedback": "feedback (ratings, comments)"}[r])
                encoding = st.selectbox("Encoding", ENCODINGS, key=f"cjm.enc.{i}")
                delimiter = st.selectbox("Delimiter", ("detect", ",", ";", "\t", "|", "whitespace"),
                                         key=f"cjm.delim.{i}")
            source = SourceFile(name=file.name, data=file.getvalue(), role=role,
                                encoding=None if encoding == "detect" else encoding,
                                delimiter=None if delimiter == "detect" else delimiter,
                                sheet=previous[file.name].sheet if file.name in previous else None)
            refs.append(data.remember_upload(source))
        if [f.digest for f in spec.files] != [r.digest for r in refs]:  # new files: switch to them
            state.replace_spec(replace(spec, source="upload", files=refs, mappings={}))
            st.rerun()
    elif spec.source == "upload" and st.button("Back to the demo data", icon=":material/undo:"):
        state.replace_spec(replace(spec, source="demo"))
        st.rerun()


def accounting(parsed: ParsedData | Dataset) -> None:
    """Rows in, used and rejected with each reason, the rejected rows and each file's notes: of uploaded files, or of
    a Dataset read where it lives (Connect), whose counts are exact and whose rejected rows are a sample."""
    acc = parsed.accounting
    a, b, c = st.columns(3)
    a.metric("Rows in", f"{acc.rows_in:,}")
    b.metric("Rows used", f"{acc.rows_used:,}")
    c.metric("Rows rejected", f"{acc.rows_rejected:,}")
    if acc.rows_rejected:
        reasons = "\n".join(f"- {n:,} × {md(reason)}" for reason, n in acc.reasons.items())
        identical = ("\n\nIf equal rows are real separate events (an export without order ids), tick \"Identical rows "
                     "are separate events\" in the file's mapping under *Column mapping* below." if DUPLICATE in acc.reasons else "")
        listed = ("The list below says which line of which file; download it to fix the export."
                  if len(acc.rejected) >= acc.rows_rejected else
                  f"The first {len(acc.rejected):,} are listed below, with their line or row; the counts above are exact.")
        st.warning(f"{acc.rows_rejected:,} rows were set aside, each with its reason:\n{reasons}\n\n" + listed + identical,
                   icon=":material/warning:")
        widgets.table(acc.rejected, name="rejected rows", key="rejected")
    else:
        st.success("Every row was used.", icon=":material/check_circle:")
    for report in parsed.files:
        details = [_format(report.format, report.delimiter), _encoding(report.encoding), _delimiter(report.delimiter),
                   report.compression,
                   report.sheet and f"sheet {report.sheet!r}", report.timestamp_style and f"dates: {report.timestamp_style}"]
        st.caption(f"**{md(report.name)}** ({report.role}): " + ", ".join(md(d) for d in details if d)
                   + f" · {format_count(report.rows_in, 'row')} in, {report.rows_used:,} used")
        for warning in report.warnings:
            st.warning(warning, icon=":material/warning:")
        for note in report.notes:
            st.caption(f"• {md(note)}")
        if report.dates_ambiguous:
            st.warning(f"**{md(report.name)}**: dates such as 03/04 could mean 3 April or 4 March and nothing in the "
                       "file decides it. Choose the order under *Column mapping* below.", icon=":material/event:")
        if len(report.sheets) > 1:
            _sheet_picker(report)


def _sheet_picker(report) -> None:
    spec = state.spec()
    sheet = st.selectbox(f"Sheet of {report.name}", report.sheets, index=report.sheets.index(report.sheet)
                         if report.sheet in report.sheets else 0, key=f"cjm.sheet.pick.{report.name}")
    unread = [s for s in report.sheets if s != report.sheet]
    st.caption(f"cjm reads one sheet of a workbook: {', '.join(repr(s) for s in unread)} "
               f"{'is' if len(unread) == 1 else 'are'} not in the figures. Pick another sheet here, or, when the "
               "sheets hold the same columns (one year each, say), copy them into one sheet to read them together.")
    if sheet != report.sheet and spec.source == "upload":
        files = []
        for ref in spec.files:
            if ref.name == report.name:
                old = data.uploaded(ref.digest)
                ref = data.remember_upload(replace(old, sheet=sheet))
            files.append(ref)
        state.replace_spec(replace(spec, files=files))
        st.rerun()


def _format(fmt, delimiter):
    """The format word, unless the delimiter says it ("semicolon, utf-8-sig, semicolon-separated" said it twice)."""
    return "csv" if fmt in ("semicolon", "pipe", "tsv", "whitespace") and delimiter else fmt


def _encoding(value):
    """utf-8-sig is Python's name for UTF-8 with a byte-order mark (Excel writes it)."""
    return {"utf-8-sig": "utf-8 with BOM (as Excel saves it)"}.get(value, value)


def _delimiter(value):
    return {"\t": "tab-separated", ",": "comma-separated", ";": "semicolon-separated", "|": "pipe-separated",
            "whitespace": "whitespace-separated"}.get(value, value and f"delimiter {value!r}")


BOUGHT_LABEL = "Rows that bought (a yes/no column; when no event column)"
TIME_LABEL = "Times of day of the dates (a column of its own)"
SIGNED_IN_LABEL = "Signed-in id (joins one person's browsers and devices)"
SHAPE_LABELS = {"long": "one row per interaction", "wide": "one row per order, ticket or lead (wide)",
                "anonymous": "each row is one respondent (no id)"}


def mapping_editor(parsed: ParsedData) -> None:
    for report in parsed.files:
        if report.role == "customers":
            _customers_key(report.name, report.columns, report.mapping)
        else:
            _file_mapping(report.name, report.columns, report.mapping)


def _customers_key(name: str, columns: list[str], current: ColumnMapping) -> None:
    """A customers file needs one choice: the column that holds the events' customer ids (its other columns
    are the customers' attributes)."""
    st.markdown(f"**{md(name)}** (customers: one row each)")
    value = current.columns.get("customer_id")
    key = st.selectbox("customer id * (the column holding the events' customer ids; the others are attributes)",
                       columns, index=columns.index(value) if value in columns else 0,
                       key=f"cjm.map.{name}.customer_id")
    inferred = st.checkbox("Join ids written another way", value=current.inferred_joins,
                           key=f"cjm.map.{name}.inferred",
                           help="Also join the events' ids when this file writes them differently: ids whose leading "
                                "zeros a spreadsheet dropped (42 for 00042), and a second id of each customer (the "
                                "e-mail beside a payments id). Untick it when the files are unrelated and their ids "
                                "only overlap by chance: then only ids written exactly alike join.")
    if key != value or inferred != current.inferred_joins:
        spec = state.spec()
        chosen = ColumnMapping(columns={"customer_id": key}, inferred_joins=inferred)
        state.replace_spec(replace(spec, mappings=dict(spec.mappings) | {name: chosen}))
        st.rerun()


def mapping_fixer(previews) -> None:
    """The editor for files that cannot be loaded yet: every column with sample values, then the mapping."""
    for preview in previews:
        st.dataframe(preview.samples, hide_index=True, width="stretch", placeholder="–",
                     column_config={"column": "column in the file", "examples": "sample values"})
        _file_mapping(preview.name, preview.columns, preview.mapping)


def _file_mapping(name: str, columns: list[str], current: ColumnMapping) -> None:
    spec = state.spec()
    st.markdown(f"**{md(name)}**")
    shape = st.radio("Shape of this export", list(SHAPE_LABELS), format_func=SHAPE_LABELS.get, horizontal=True,
                     index=list(SHAPE_LABELS).index(current.shape), key=f"cjm.map.{name}.shape")
    options = [NONE] + columns
    chosen = {}
    cols = st.columns(4)
    for i, canonical in enumerate(schema.CANONICAL):
        value = current.columns.get(canonical, NONE)
        chosen[canonical] = cols[i % 4].selectbox(
            canonical.replace("_", " ") + (" *" if canonical in schema.REQUIRED else ""), options,
            index=options.index(value) if value in options else 0, key=f"cjm.map.{name}.{canonical}")
    wide_events, wide_due = current.wide_events, current.wide_due
    if shape == "wide":
        wide_events = st.multiselect("Each filled date in these columns is one event named after the column",
                                     columns, default=[c for c in current.wide_events if c in columns],
                                     key=f"cjm.map.{name}.wide")
        wide_due = st.multiselect("Promised / estimated dates (become on time / late attributes)", columns,
                                  default=[c for c in current.wide_due if c in columns], key=f"cjm.map.{name}.due")
    if current.revenue_from and chosen["revenue"] == NONE:
        st.caption(f"Revenue = {md(current.revenue_from[0])} × {md(current.revenue_from[1])} (no revenue column).")
    if current.event_fallback and chosen["event"] != NONE and chosen["event"] == current.columns.get("event"):
        st.caption(f"Where {md(chosen['event'])} is blank, the event is {md(current.event_fallback)} (that row's value: "
                   "a message log's call such as page or identify, a page view's page).")
    constant = st.text_input("Every row is this touchpoint (when no event column)",
                             value=current.event_constant or "", key=f"cjm.map.{name}.const")
    bought = st.selectbox(BOUGHT_LABEL, options, index=options.index(current.purchase_flag)
                          if current.purchase_flag in options else 0, key=f"cjm.map.{name}.bought",
                          help="A yes / no column (TRUE/FALSE, yes/no, 1/0) saying whether each row bought, in an "
                               "export with no event column: each yes row is also a 'purchase' event (conversion), "
                               "and the column stays an attribute. Choose none to read it as an attribute only.")
    clock = st.selectbox(TIME_LABEL, options, index=options.index(current.time_of_day)
                         if current.time_of_day in options else 0, key=f"cjm.map.{name}.time",
                         help="A column of times of day (09:15:02) beside a timestamp column of dates only, as "
                              "PayPal writes 'Date' and 'Time': each event is at its date and that time. In a wide "
                              "export, the times of the date column of the same name ('Order Time' of 'Order Date'). "
                              "Choose none to read the dates alone (every event of a day at 00:00).")
    signed_in = st.selectbox(SIGNED_IN_LABEL, options, index=options.index(current.signed_in_id)
                             if current.signed_in_id in options else 0, key=f"cjm.map.{name}.signed_in",
                             disabled=shape != "long",
                             help="In a web or app analytics export, the id of who signed in (Mixpanel's $user_id, "
                                  "Segment's userId, GA4's user_id) beside the customer id column's anonymous browser "
                                  "or device id: each event is the person's who signed in on its browser or device, "
                                  "so one person on a phone and a laptop is one customer. Choose none to count "
                                  "browsers and devices.")
    order = st.radio("Dates like 03/04/2024 are", ("detect", "day-first", "month-first"), horizontal=True,
                     index={None: 0, True: 1, False: 2}[current.day_first], key=f"cjm.map.{name}.dayfirst")
    keep = st.checkbox("Identical rows are separate events (keep them)", value=current.keep_identical,
                       disabled=shape == "anonymous", key=f"cjm.map.{name}.keep",
                       help="By default a row equal to an earlier one in every column is set aside as a duplicate. "
                            "Tick this when the export has no order or ticket id and two equal rows can be two real "
                            "events (the same customer buying the same item twice on one day).")
    joined = st.checkbox("Join ids written another way", value=current.inferred_joins, key=f"cjm.map.{name}.inferred",
                         help="When another file keys its customers by an id this file writes in a column of its own "
                              "(a survey keyed by e-mail beside these orders' customer id and 'Email'), their rows "
                              "are this file's customers': one person, not two. Untick it when the files are unrelated "
                              "and their ids only overlap by chance.")
    new = ColumnMapping(columns={k: v for k, v in chosen.items() if v != NONE}, inferred_joins=joined,
                        event_constant=constant or None, timezone=current.timezone,
                        day_first={"detect": None, "day-first": True, "month-first": False}[order],
                        revenue_from=current.revenue_from if chosen["revenue"] == NONE else None, shape=shape,
                        wide_events=list(wide_events) if shape == "wide" else [],
                        wide_due=list(wide_due) if shape == "wide" else [], keep_identical=keep,
                        conversation=current.conversation, purchase_flag=None if bought == NONE else bought,
                        time_of_day=None if clock == NONE else clock,
                        signed_in_id=None if signed_in == NONE or shape != "long" else signed_in,
                        # the guessed fallback id (Mixpanel's distinct_id) while the pair it completes is kept
                        fallback_id=current.fallback_id if signed_in not in (NONE, current.fallback_id)
                        and shape == "long" and current.fallback_id not in chosen.values() else None,
                        # the guessed column naming a row's event where the event column is blank (Segment's
                        # "type") while that event column stays chosen
                        event_fallback=current.event_fallback if shape == "long" and chosen["event"] != NONE
                        and chosen["event"] == current.columns.get("event")
                        and current.event_fallback not in chosen.values() else None)
    if new.to_dict() != current.to_dict():
        mappings = dict(spec.mappings) | {name: new}
        state.replace_spec(replace(spec, mappings=mappings))
        st.rerun()
    st.download_button("Save this mapping (JSON)", data=json.dumps(new.to_dict(), indent=2),
                       file_name=f"{widgets.slug(name)}-mapping.json", mime="application/json",
                       key=f"cjm.map.{name}.save", on_click="ignore")
    loaded = st.file_uploader("Apply a saved mapping", type=["json"], key=f"cjm.map.{name}.load")
    if loaded is not None:
        try:
            applied = ColumnMapping.from_dict(json.loads(loaded.getvalue()))
        except (CJMError, ValueError, TypeError, AttributeError, RecursionError) as exc:
            widgets.show_error(CJMError(f"That mapping file cannot be used: {exc}. Save one from this page: it "
                                        'looks like {"columns": {"customer_id": "user", "timestamp": "when"}}.'))
        else:
            if applied.to_dict() != current.to_dict():
                state.replace_spec(replace(spec, mappings=dict(spec.mappings) | {name: applied}))
                st.rerun()


def stage_editor(dataset: Dataset) -> None:
    spec = state.spec()
    mapping = spec.stage_mapping
    left, right = st.columns([1, 2])
    model = left.radio("Stage model", ("5", "7", "custom"), index=("5", "7", "custom").index(mapping.model),
                       format_func=lambda m: {"5": "5 stages", "7": "7 stages (digital)", "custom": "custom"}[m],
                       key="cjm.stages.model")
    custom = mapping.custom_stages
    if model == "custom":
        text = right.text_input("Stages in order, comma-separated", value=", ".join(custom or dataset.stages),
                                key="cjm.stages.custom")
        custom = tuple(s.strip() for s in text.split(",") if s.strip())
    try:
        candidate = StageMapping(model=model, custom_stages=custom, events=mapping.events)
        stages = candidate.stages
    except CJMError as exc:
        widgets.show_error(exc)
        return
    counts = dataset.event_counts
    explained = candidate.explain(counts["event"])
    table = pd.DataFrame({"event": counts["event"], "stage": [explained[str(e)][0] for e in counts["event"]],
                          "why": [explained[str(e)][1] for e in counts["event"]],
                          "events": counts["events"], "customers": counts["customers"]})
    unmapped = table.loc[table["stage"] == schema.UNMAPPED, "event"].tolist()
    if unmapped:
        st.warning(f"{len(unmapped)} event name(s) are not in the touchpoint dictionary: "
                   f"{', '.join(md(e) for e in unmapped[:10])}{'…' if len(unmapped) > 10 else ''}. Assign them a stage below.",
                   icon=":material/help:")
    edited = st.data_editor(
        table, hide_index=True, width="stretch", disabled=["event", "why", "events", "customers"],
        column_config={"stage": st.column_config.SelectboxColumn("stage", options=list(stages) + [schema.UNMAPPED],
                                                                  required=True),
                       # 14,604 not 14604, as every other count in the app
                       "events": st.column_config.NumberColumn("events", format="localized"),
                       "customers": st.column_config.NumberColumn("customers", format="localized")},
        key=f"cjm.stages.table.{model}")
    widgets.download_csv(edited, name="event stages")  # the table of every event name could not be taken away
    overrides = {e: s for e, s in zip(edited["event"], edited["stage"]) if s != explained[str(e)][0]}
    new = StageMapping(model=model, custom_stages=custom, events={**mapping.events, **overrides}
                       if model == mapping.model else overrides)
    if new.to_dict() != mapping.to_dict():
        state.replace_spec(replace(spec, stage_mapping=new))
        st.rerun()


@st.cache_data(max_entries=16, show_spinner="Checking data quality…")
def _quality(dataset_key: str, _dataset: Dataset) -> dict:
    return compute_quality(_dataset)


def span_caption(q: dict, tz="UTC") -> str:
    """The Data page's 'From ... to ...' of compute_quality's first and last events, on the dates of `tz` (the
    dataset's time zone, cjm.data.clock.dates_clock, as the date filter's days: DESIGN.md section 8)."""
    if not q["first_event"]:
        return "No dates (each row is one respondent or session)"
    if str(tz) == "UTC":
        return f"From {q['first_event'][:10]} to {q['last_event'][:10]} (UTC)"
    return f"From {date_in(q['first_event'], tz)} to {date_in(q['last_event'], tz)} ({tz} dates)"


def quality(dataset: Dataset) -> None:
    q = _quality(dataset.key, dataset)
    a, b, c, d = st.columns(4)
    a.metric("Customers", f"{q['customers']:,}")
    b.metric("Events", f"{q['events']:,}")
    c.metric("Events per customer (median)", f"{q['events_per_customer']['median']:g}")
    d.metric("Days covered", f"{q['days_covered']:,}" if q["days_covered"] is not None else "–")
    span = span_caption(q, dates_clock(dataset).tz)
    st.caption(f"{span} · "
               f"{format_count(q['events_per_customer']['single_event_customers'], 'customer')} with a single event · "
               f"{q['same_time_events']:,} events at the same moment as an identical one · "
               f"{sum(f.out_of_order for f in dataset.files):,} rows out of time order in the files")
    missing = pd.DataFrame({"column": list(q["missing_share"]), "missing": list(q["missing_share"].values())})
    missing = missing[missing["column"].isin(schema.REQUIRED + dataset.present)]
    st.dataframe(missing, hide_index=True, placeholder="–", column_config={
        "missing": st.column_config.ProgressColumn("share missing", min_value=0.0, max_value=1.0, format="percent")})
