"""Widgets of the Journeys, Gaps and Customer pages: analyst controls, sections and plain explanations.

Pages call these in order; every number comes from a cached core call (cjm.paths, cjm.gaps, cjm.timeline).
"""

from __future__ import annotations

import functools

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from cjm import engine
from cjm.journey import gaps, paths, timeline
from cjm.journey.gap_periods import compare_gap_periods, gap_periods_headline
from cjm.present.charts.gaps import gap_periods_chart, gap_stages_chart, gaps_chart
from cjm.present.charts.paths import flow_chart, format_duration, transition_heatmap_chart, variants_chart
from cjm.present.charts.timeline import timeline_chart
from cjm.errors import CJMError
from cjm.ui import data, state, widgets
from cjm.ui import funnel as periods_ui
from cjm.ui.safe import md, md_quote
from cjm.present.formats import format_count, format_money, format_percent

CUSTOMER_PAGE = "app_pages/customer.py"
SHOWN = "cjm.customer.shown"  # the customer last shown, to tell a new ?customer=ID in the address from our own
LEVEL_NAMES = {"stage": "Journey stage", "event": "Event (touchpoint)"}
DIMENSION_NAMES = {"device": "Device", "channel": "Channel", "department": "Department"}
SIDE_BY_SIDE = 3
COMPACT_STEPS = 3


def _one_decimal(table: pd.DataFrame) -> dict:
    """Column formats: percentages, points and estimates with one decimal (DESIGN.md section 8)."""
    return {c: st.column_config.NumberColumn(format="%.1f") for c in table.columns
            if c.endswith(("(%)", "(points)", "(estimate)"))}


# ---------------------------------------------------------------------------------------------
# Journeys: controls


ALL = ""            # option value for "no split" / "every customer" / "no start or end" in select boxes
MAX_SPLIT_VALUES = 30  # extra columns with more distinct values than this are not offered as splits


@st.cache_data(max_entries=16, show_spinner=False)
def _splittable(dataset_key: str, _dataset) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Text columns of the events (extra attributes) and of the customers table with 2..30 values."""
    dataset = _dataset

    def few_values(table, columns) -> tuple[str, ...]:
        columns = [c for c in columns if table.schema()[c].is_string()]
        if not columns:
            return ()
        counts = engine.execute(table.aggregate(**{f"n{i}": table[c].nunique() for i, c in enumerate(columns)}))
        return tuple(c for i, c in enumerate(columns) if 2 <= int(counts[f"n{i}"].iloc[0]) <= MAX_SPLIT_VALUES)

    customers = dataset.customers
    other = [c for c in customers.columns if c not in ("customer_id", "segment")] if customers is not None else []
    return few_values(dataset.events, dataset.attributes), (few_values(customers, other) if other else ())


def split_options(dataset) -> dict[str, str]:
    """What customers can be split by on this dataset: {split_by value ("" = no split): label}."""
    options = {ALL: "Nothing (all customers together)"}
    if dataset.has("channel"):
        options["first_channel"] = "First channel"
    customers = dataset.customers
    if "segment" in dataset.events.columns or (customers is not None and "segment" in customers.columns):
        options["segment"] = "Segment"
    for column in ("device", "department", "variant"):
        if dataset.has(column):
            options[column] = f"{column.capitalize()} (at the first event)"
    event_columns, customer_columns = _splittable(dataset.key, dataset)
    options.update({c: f"{c} (at the first event)" for c in event_columns if c not in options})
    options.update({c: f"{c} (customer table)" for c in customer_columns if c not in options})
    return options


def _labels(dataset, level: str) -> list[str]:
    if level == "stage":
        return list(dataset.stages)
    counts = dataset.event_counts.sort_values(["customers", "event"], ascending=[False, True])
    return [str(e) for e in counts["event"].head(300)]


def event_order(dataset) -> list[str]:
    """Event names in journey order: by the stage they are mapped to, then by customers; unmapped events after the
    stages, reversals (a refund: paths.step_stages) after them, as the flow's legend lists them (never among the
    events of the stage a refund is mapped to)."""
    reversals = {e for e, s in paths.step_stages(dataset, "event").items() if s == paths.REVERSAL}
    counts = dataset.event_counts
    rank = counts["stage"].map({s: i for i, s in enumerate(dataset.stages)}).fillna(len(dataset.stages))
    counts = counts.assign(rank=rank.where(~counts["event"].astype(str).isin(reversals), len(dataset.stages) + 1))
    return counts.sort_values(["rank", "customers"], ascending=[True, False])["event"].astype(str).tolist()


def _saved(page: str, cls):
    """The page's saved parameters, or None on a first visit (so the page can pick data-aware defaults)."""
    return state.load_params(page, cls) if state.page_params(page) else None


def _index(options: list, value, default: int = 0) -> int:
    return options.index(value) if value in options else default


def path_controls(dataset) -> paths.PathParams:
    """The analyst controls of the Journeys page (in an expander); saved in the dashboard spec."""
    options = split_options(dataset)
    saved = _saved("journeys", paths.PathParams) or paths.PathParams(
        split_by="first_channel" if "first_channel" in options else None)
    with st.expander("Analyst controls: what a step is, where journeys start and end, flow detail, split",
                     icon=":material/tune:"):
        left, right = st.columns(2)
        level = left.radio("A step is a", list(paths.LEVELS), index=_index(list(paths.LEVELS), saved.level),
                           format_func=LEVEL_NAMES.get, horizontal=True, key="cjm.journeys.level")
        names = [ALL] + _labels(dataset, level)
        start_at = left.selectbox("Journeys start at", names, index=_index(names, saved.start_at),
                                  format_func=lambda v: v or "the customer's first event",
                                  key=f"cjm.journeys.start_at.{level}")
        end_at = left.selectbox("Journeys end at", names, index=_index(names, saved.end_at),
                                format_func=lambda v: v or "the customer's last event",
                                key=f"cjm.journeys.end_at.{level}")
        keys = list(options)
        split_by = left.selectbox("Several journeys: split customers by", keys,
                                  index=_index(keys, saved.split_by or ALL),
                                  format_func=options.get, key="cjm.journeys.split_by")
        max_steps = right.slider("Steps shown in the flow", 2, 20, min(saved.max_steps, 20),
                                 key="cjm.journeys.max_steps")
        share = right.slider("Hide flows taken by fewer than this share of customers (%)", 0.0, 20.0,
                             min(round(saved.min_edge_share * 100, 1), 20.0), step=0.5, format="%.1f%%",
                             key="cjm.journeys.min_share")
        max_edges = right.slider("Show at most this many flows", 5, 200, min(max(saved.max_edges, 5), 200),
                                 key="cjm.journeys.max_edges")
        dangling = right.checkbox("Hide flows that are not connected to the first step", value=saved.drop_dangling,
                                  key="cjm.journeys.drop_dangling")
        top_n = right.slider("Journeys listed in the chart", 5, 50, min(max(saved.top_n, 5), 50),
                             key="cjm.journeys.top_n")
    try:
        params = paths.PathParams(level=level, max_steps=max_steps, min_edge_share=round(share / 100, 4),
                                  max_edges=max_edges, drop_dangling=dangling, start_at=start_at or None,
                                  end_at=end_at or None,
                                  split_by=split_by or None, top_n=top_n, max_groups=saved.max_groups,
                                  conversion_stage=saved.conversion_stage, conversion_events=saved.conversion_events)
    except CJMError as exc:
        widgets.show_error(exc)
        params = saved
    state.save_params("journeys", params)
    return params


# ---------------------------------------------------------------------------------------------
# Journeys: sections


def explain_single_steps(dataset, variants: pd.DataFrame, params: paths.PathParams) -> None:
    """When every journey is one step there is nothing to draw: say so (and what would help) and stop."""
    reason = paths.single_step_reason(variants, level=params.level)
    if reason is None:
        return
    if params.level == "stage" and len(dataset.event_counts) > 1:
        hint = " Your data has several event types: switch the step to **Event** under “Analyst controls”."
    else:
        hint = (" Journeys need several kinds of touchpoints per customer (visits, carts, purchases, support "
                "contacts…): check that the event column is mapped to the column naming them on the Data page.")
    widgets.needs(reason + hint)


def coverage_metrics(variants: pd.DataFrame) -> None:
    coverage = paths.compute_variant_coverage(variants)
    cells = st.columns(2 + len(coverage))
    cells[0].metric("Customers", widgets.count(coverage["customers_total"].iloc[0]))
    cells[1].metric("Journey variants", widgets.count(coverage["variants_total"].iloc[0]),
                    help="Distinct paths, consecutive repeats collapsed")
    for cell, row in zip(cells[2:], coverage.itertuples(index=False)):
        cell.metric(f"Variants covering {format_percent(row.coverage, 0)}", widgets.count(row.variants),
                    help=f"The {row.variants:,} most common journeys cover at least {format_percent(row.coverage, 0)} of customers")


def variants_section(variants: pd.DataFrame, params: paths.PathParams) -> None:
    shown = variants[variants["rank"] <= params.top_n]
    widgets.chart(variants_chart(variants, top_n=params.top_n), shown, name="journey variants")
    rule = variants.attrs.get("conversion_rule")
    if rule:
        st.caption(f"Conversion: the share of a journey's customers who {rule}. Duration: median time from the "
                   "first to the last event of the journey.")
    with st.expander(f"All {len(variants):,} journey variants (table)"):
        table = pd.DataFrame({
            "rank": variants["rank"], "journey": variants["path"], "steps": variants["steps"],
            "customers": variants["customers"], "share (%)": variants["share"] * 100,
            "cumulative share (%)": variants["cumulative_share"] * 100, "conversion (%)": variants["conversion"] * 100,
            "median duration": variants["median_seconds"].map(format_duration),
        })
        widgets.table(table, name="all journey variants", column_config=_one_decimal(table))


def _group_edges(edges: pd.DataFrame, group) -> pd.DataFrame:
    return edges if group is None or "group" not in edges.columns else edges[edges["group"] == group]


def _no_flow(params: paths.PathParams) -> None:
    st.info(f"No move between two steps is made by at least {format_percent(params.min_edge_share)} of customers. Lower "
            "“Hide flows taken by fewer than…” in the analyst controls to see the thinner flows.",
            icon=":material/info:")


def _flow_kwargs(dataset, params: paths.PathParams) -> dict:
    return {"stages": dataset.stages, "stage_of": paths.step_stages(dataset, params.level)}


def flow_section(dataset, params: paths.PathParams, flows: pd.DataFrame, split: pd.DataFrame | None,
                 split_label: str) -> None:
    """The flow of every customer, or of one group of the split (the per-segment / per-channel filter)."""
    groups = paths.group_order(split) if split is not None else []
    group = None
    if groups:
        name = split_label.split(" (")[0]
        group = st.selectbox("Show the flow of", [ALL] + groups, key="cjm.journeys.group",
                             format_func=lambda g: f"{name}: {g}" if g else "all customers") or None
    edges = flows if group is None else _group_edges(split, group)
    if edges.empty:
        return _no_flow(params)
    widgets.chart(flow_chart(split if group is not None else flows, group=group, **_flow_kwargs(dataset, params)),
                  edges, name="journey flow")


def matrix_section(dataset, params: paths.PathParams, matrix: pd.DataFrame) -> None:
    if matrix.empty:
        return st.info("No customer moved directly from one step to another.", icon=":material/info:")
    order = list(dataset.stages) if params.level == "stage" else event_order(dataset)
    widgets.chart(transition_heatmap_chart(matrix, stages=order), matrix, name="transition matrix")


def several_journeys(dataset, params: paths.PathParams, split: pd.DataFrame | None, split_label: str) -> None:
    """The same flow for the largest groups of the split, side by side."""
    if split is None:
        return st.info("Pick what to split customers by (first channel, segment, device…) under “Analyst "
                       "controls” to compare their journeys side by side.", icon=":material/info:")
    groups = paths.group_order(split)[:SIDE_BY_SIDE]
    if not groups:
        return _no_flow(params)
    st.caption(f"Split by {md(split_label.lower())}; the {len(groups)} largest groups, each with its own shares.")
    for column, group in zip(st.columns(len(groups)), groups):
        with column:
            chart = flow_chart(split, group=group, compact=True, max_steps=COMPACT_STEPS,
                               **_flow_kwargs(dataset, params))
            widgets.chart(chart, _group_edges(split, group), name=f"flow {group}", key=f"flow-{widgets.slug(group)}")
    if params.max_steps > COMPACT_STEPS:
        st.caption(f"Side by side, the first {COMPACT_STEPS} steps are shown; pick a group under "
                   "“Show the flow of” "
                   "above to see all of its steps.")


# ---------------------------------------------------------------------------------------------
# Gaps


def gap_controls(dataset) -> gaps.GapParams:
    """Which dimension (device, channel, department) and the minimum customers per switch type."""
    present = [d for d in gaps.DIMENSIONS if dataset.has(d)]
    if not present:
        widgets.needs("Gaps show where customers switch device, channel or department between two touchpoints, and "
                      "this data has none of those columns.", column="device, channel or department")
    saved = _saved("gaps", gaps.GapParams) or gaps.GapParams(dimension=(present or ["device"])[0])
    dims = list(gaps.DIMENSIONS)
    dimension = st.radio("Where customers switch", dims, index=_index(dims, saved.dimension), horizontal=True,
                         format_func=DIMENSION_NAMES.get, key="cjm.gaps.dimension")
    with st.expander("Analyst controls", icon=":material/tune:"):
        least = st.number_input("List a switch only when at least this many customers made it", min_value=1,
                                max_value=1_000_000, value=saved.min_customers, step=1, key="cjm.gaps.min_customers")
    params = gaps.GapParams(dimension=dimension, min_customers=int(least))
    state.save_params("gaps", params)
    missing = [d for d in gaps.DIMENSIONS if d not in present and d != dimension]
    if not dataset.has(dimension):
        widgets.needs(f"{DIMENSION_NAMES[dimension]} gaps need to know the {dimension} of each event, and this "
                      f"data has no {dimension} column.", column=dimension)
    if missing:
        st.caption(f"Not in this data: {', '.join(missing)}. Map those columns on the Data page to compare them too.")
    return params


def gap_headlines(found: pd.DataFrame, params: gaps.GapParams, note: str | None) -> None:
    """The switches that cost the most customers, in plain language, then why some read 0.0%."""
    costly = found[found["customers_lost"] > 0].head(3)
    if len(costly):
        st.markdown("\n".join(
            f"- **{md(row.switch)}** (mostly at {md(row.stage)}): {md(row.summary)}. About {format_count(row.customers_lost)} more of "
            f"the {row.customers_compared:,} switchers would have moved on had they done as well."
            for row in costly.itertuples(index=False)))
    else:
        st.success(f"No {params.dimension} switch is followed by fewer customers moving on than among customers "
                   "at the same stage who stayed.", icon=":material/check_circle:")
    if note:
        st.info(md(note), icon=":material/info:")


def gap_sections(dataset, found: pd.DataFrame, where: pd.DataFrame, params: gaps.GapParams) -> None:
    widgets.chart(gaps_chart(found, dimension=params.dimension), found, name=f"{params.dimension} gaps")
    st.subheader("Where in the journey customers switch")
    widgets.chart(gap_stages_chart(where, stages=dataset.stages), where, name=f"{params.dimension} switches by stage")
    st.subheader("Every switch")
    table = pd.DataFrame({
        "switch": found["switch"], "customers": found["customers"], "mostly at stage": found["stage"],
        "next stage": found["next_stage"], "median time across the switch": found["seconds"].map(format_duration),
        "switchers compared": found["customers_compared"],
        "reached the next stage after switching (%)": found["conversion_after"] * 100,
        "reached it without switching (%)": found["conversion_without_switch"] * 100,
        "difference (points)": found["difference_points"], "customers lost (estimate)": found["customers_lost"],
        "in plain words": found["summary"],
    })
    widgets.table(table, name=f"{params.dimension} switches", column_config=_one_decimal(table))


def gap_periods(dataset, params: gaps.GapParams) -> None:
    """Then and now: the switches of two periods side by side (new, in both, gone), the periods pickable."""
    compared = data.run(compare_gap_periods, dataset, params=params)
    chosen = periods_ui.periods(compared, key="cjm.gaps.")
    if chosen:
        compared = data.run(compare_gap_periods, dataset, params=params, **chosen)
    periods_ui.compared_periods(compared, default=not chosen)
    headline = gap_periods_headline(compared, dimension=params.dimension)
    widgets.chart(gap_periods_chart(compared, title=headline, dimension=params.dimension), compared,
                  name=f"{params.dimension} switches per period")
    if compared.empty:
        return
    table = pd.DataFrame({"switch": compared["switch"], "status": compared["status"]})
    for period, label in (("previous", "previous"), ("current", "current")):
        table[f"customers ({label})"] = compared[f"customers_{period}"]
        table[f"reached the next stage after switching, {label} (%)"] = compared[f"conversion_after_{period}"] * 100
        table[f"reached it without switching, {label} (%)"] = compared[f"conversion_without_switch_{period}"] * 100
        table[f"customers lost, {label} (estimate)"] = compared[f"customers_lost_{period}"]
    widgets.table(table, name=f"{params.dimension} switches then and now", column_config=_one_decimal(table))


# ---------------------------------------------------------------------------------------------
# Customer


def customer_link(customer_id: str, *, label: str | None = None) -> None:
    """A link to the Customer page showing this customer (for other pages' lists of customers)."""
    st.page_link(CUSTOMER_PAGE, label=md(label or customer_id), icon=":material/person_search:",
                 query_params={"customer": str(customer_id)})


def customer_url(customer_id) -> str:
    """The Customer page's address for one customer, e.g. for st.column_config.LinkColumn in a table of
    customers: `frame.assign(open=frame["customer_id"].map(customer_url))`."""
    return "customer?" + urlencode({"customer": str(customer_id)})


# HOOK (segment and risk on the Customer page): compute_customer_summary reads a `segment` column of the
# events by itself and takes `segments=` (the customers table when it has a segment column, below) and
# `risk=` (ids at risk, or a table customer_id [, at_risk]). Risk is not passed yet: cjm/risk.py needs the
# sentiment signals and parameters the Risk page will choose; once that page saves them, pass its at-risk
# table here and customer_profile shows "At risk: yes/no" (it already does when the summary has at_risk).
def customers_have_segments(dataset) -> bool:
    """True when the customers table carries a `segment` column (e.g. saved from the Segments page)."""
    return dataset.customers is not None and "segment" in dataset.customers.columns


def _new_query() -> None:
    st.session_state.pop("cjm.customer.pick", None)


def pick_customer(dataset) -> str | None:
    """Search by id (suggestions as you type, closest ids on a miss); ?customer=ID in the address opens one."""
    wanted = st.query_params.get("customer")
    if "cjm.customer.query" not in st.session_state or (wanted and wanted != st.session_state.get(SHOWN)):
        # First visit, or arrival through a link carrying another ?customer=ID: show that customer.
        st.session_state["cjm.customer.query"] = wanted or ""
        _new_query()
    query = st.text_input("Customer id (or part of it)", key="cjm.customer.query", on_change=_new_query,
                          placeholder="type part of an id, e.g. 0012").strip()
    found = data.run(timeline.search_customers, dataset, query=query, limit=50)
    label = "Matching customers" if query else "Customers"
    if not found:
        found = data.run(timeline.closest_customers, dataset, customer_id=query, limit=10)
        st.warning(f"No customer id contains “{md(query)}”. The closest ids are listed below.",
                   icon=":material/search_off:")
        label = "Closest ids"
    if not found:
        widgets.needs("The data has no customers (check the sidebar filters).")
    chosen = st.selectbox(label, found, index=_index(found, query), key="cjm.customer.pick")
    st.session_state[SHOWN] = chosen
    if wanted != chosen:
        st.query_params["customer"] = chosen
    return chosen


def _when(value, tz="UTC") -> str:
    """A time as people read it on the clock of `tz` (the dataset's time zone: DESIGN.md section 8), naming it."""
    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return f"{stamp.tz_convert(tz):%Y-%m-%d %H:%M} {tz}"


def customer_profile(summary: dict, tz="UTC") -> None:
    """What an agent needs at a glance: value, journey progress, channels, last feedback; times on the clock of `tz`
    (the dataset's time zone, cjm.data.clock.dates_clock)."""
    when = functools.partial(_when, tz=tz)
    first = st.columns(4)
    value = summary["value_to_date"]
    first[0].metric("Value to date", format_money(value), help="Sum of revenue so far")
    dated = bool(when(summary["first_seen"]))
    first[1].metric("Events", widgets.count(summary["events"]),
                    help=f"From {when(summary['first_seen'])} to {when(summary['last_seen'])}" if dated else None)
    first[2].metric("Furthest stage", summary["furthest_stage"] or "–")
    score = summary["last_score"]
    first[3].metric("Last rating", "–" if score is None else f"{score:g}",
                    help=when(summary["last_score_at"]) or None)
    facts = [f"**Channels used:** {', '.join(md(c) for c in summary['channels']) or '–'}",
             f"**First seen:** {when(summary['first_seen'])} · **last seen:** {when(summary['last_seen'])}" if dated
             else "**First seen:** – (this data has no dates)"]
    if "segment" in summary:
        facts.append(f"**Segment:** {md(summary['segment']) if summary['segment'] else '–'}")
    if "at_risk" in summary:  # hook: present once a risk table is passed to compute_customer_summary
        facts.append("**At risk:** " + ("yes" if summary["at_risk"] else "no"))
    st.markdown("  \n".join(facts))
    if summary["last_text"]:
        st.markdown(f"**Last comment** ({when(summary['last_text_at'])}):")
        st.markdown(md_quote(summary["last_text"]))  # a comment is text: never a link, an image or HTML


def customer_timeline(dataset, frame: pd.DataFrame, customer_id: str) -> None:
    spacing = st.radio("Show the events", ["sequence", "time"], horizontal=True, key="cjm.customer.spacing",
                       format_func={"sequence": "one after another", "time": "on a time scale"}.get)
    chart = timeline_chart(frame, stages=dataset.stages, customer_id=customer_id, spacing=spacing)
    widgets.chart(chart, frame,
                  name=f"timeline {customer_id}", key="customer-timeline")
    st.subheader("Every event")
    widgets.table(_on_clock(frame), name=f"events of customer {customer_id}", key="customer-events")


def _on_clock(frame: pd.DataFrame) -> pd.DataFrame:
    """The timeline's times on the clock of the dataset's time zone (attrs["tz"]), as its chart and the profile show
    them, each with its offset ('2025-05-01 03:50:00-04:00': the same instant as 07:50 UTC)."""
    tz = frame.attrs.get("tz")
    if tz is None or str(tz) == "UTC" or "timestamp" not in frame or not len(frame):
        return frame
    return frame.assign(timestamp=pd.to_datetime(frame["timestamp"], utc=True).dt.tz_convert(tz))
