"""Funnel controls and displays shared by the Funnel and Abandonment pages.

The funnel (steps, window, mode, exclusion, breakdown) lives in the dashboard spec under "funnel"
(state.load_params / save_params), so both pages count the same funnel and shared links keep it.
Widgets are seeded from the spec when they have no value yet, or when the spec changed elsewhere
(a loaded dashboard, another dataset); after that the widgets own their values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, replace

import pandas as pd
import streamlit as st

from cjm.data.views import END_OF_DATA
from cjm.errors import CJMError
from cjm.present.formats import COLUMN_TITLES, format_duration, format_number, format_signed, format_count
from cjm.present.charts.abandonment import checkout_words
from cjm.journey.experiment_params import ExperimentParams
from cjm.journey.funnel import FunnelParams, defaults
from cjm.journey.funnel.params import MAX_WINDOW
from cjm.data.clock import midnight
from cjm.journey.kpis import period_text, wall
from cjm.journey.periods import MIN_CUSTOMERS as MIN_PERIOD_CUSTOMERS
from cjm.ui import state, widgets
from cjm.ui.safe import md

PAGE = "funnel"
AB_PAGE = "ab_test"  # the A/B test's control arm: its own entry of the spec (cjm.journey.experiment_params)
KEY = "cjm.funnel."
CONTROL_KEY = KEY + "control"
MAX_STEPS = 10
KINDS = {"stage": "Journey stages", "event": "Events"}
MODES = {"ordered": "In order (other events allowed between steps)", "strict": "Strictly one after another",
         "any": "In any order"}
UNITS = {"minutes": 60, "hours": 3600, "days": 86400}
ATTRIBUTIONS = {"first": "First touch (value when they entered)", "last": "Last touch (value at their furthest step)"}
BUILT_IN_BREAKDOWNS = ("channel", "device", "department", "variant")
NOTHING = ""  # the "no excluded event" choice (a selectbox shows None as "no selection")
CHART_CHROME = 110  # pixels of title, subtitle and axes: Streamlit fits the whole chart into its height


# --- choices and defaults ---------------------------------------------------------------------------

def stage_choices(dataset) -> list[str]:
    """The stage model's stages that occur in the data, in model order."""
    return list(dataset.present_stages)


def event_choices(dataset) -> list[str]:
    """Event names, most frequent first."""
    return [str(e) for e in dataset.event_counts["event"]]


def default_steps(dataset, kind: str) -> tuple[str, ...]:
    return defaults.default_steps(dataset, kind)


def default_params(dataset) -> FunnelParams:
    """The funnel the command line's report also uses (cjm.journey.funnel.defaults)."""
    try:
        return defaults.default_funnel(dataset)
    except CJMError:  # fewer than two names at all (FunnelParams then explains what is missing)
        return FunnelParams(steps=default_steps(dataset, "event"), step_kind="event")


def stage_params(dataset, params: FunnelParams) -> FunnelParams | None:
    """The stage funnel with the same window, or None when fewer than two stages occur."""
    stages = default_steps(dataset, "stage")
    return FunnelParams(steps=stages, window_seconds=params.window_seconds) if len(stages) >= 2 else None


def breakdown_columns(dataset) -> list[str]:
    """Columns a funnel can be broken down by: channel, device, ..., extra export columns, customer attributes."""
    columns = [c for c in BUILT_IN_BREAKDOWNS if dataset.has(c)] + list(dataset.attributes)
    if dataset.customers is not None:
        columns += [c for c in dataset.customers.columns if c != "customer_id"]
    return list(dict.fromkeys(columns))


def default_breakdown(dataset, columns: list[str]) -> str:
    """channel, device, ... when mapped, else the first text column that is not an id."""
    built_in = [c for c in columns if c in BUILT_IN_BREAKDOWNS]
    if built_in:
        return built_in[0]
    types = dict(dataset.events.schema().items())
    if dataset.customers is not None:
        types |= {c: t for c, t in dataset.customers.schema().items() if c not in types}
    text = [c for c in columns if types[c].is_string() and not c.lower().endswith("id")]
    return text[0] if text else columns[0]


def fits(params: FunnelParams, dataset) -> bool:
    """Do the saved parameters still name steps, events and columns of this dataset?"""
    choices = stage_choices(dataset) if params.step_kind == "stage" else event_choices(dataset)
    return (all(s in choices for s in params.steps)
            and (params.exclude_event is None or params.exclude_event in event_choices(dataset))
            and (params.breakdown is None or params.breakdown in breakdown_columns(dataset)))


def widest(params: FunnelParams) -> FunnelParams | None:
    """The same funnel with the longest window (90 days), or None when `params` already has it."""
    return replace(params, window_seconds=MAX_WINDOW) if params.window_seconds < MAX_WINDOW else None


def window_note(funnel: pd.DataFrame, wider: pd.DataFrame, params: FunnelParams) -> None:
    """Say how many more customers reach the last step with the longest window, when it is clearly more.

    olist's leads: 3.1% reached 'won' within the default 7 days while the Journeys page said 10.5% of the
    leads went on to 'won': B2B deals take weeks, and nothing on the Funnel page said the window cut them."""
    if len(funnel) < 2 or len(wider) != len(funnel):
        return
    entered, within, reached = (int(funnel["customers"].iloc[0]), int(funnel["customers"].iloc[-1]),
                                int(wider["customers"].iloc[-1]))
    more = reached - within
    if not entered or more < max(1, 0.1 * within):
        return
    value, unit = split_window(params.window_seconds)
    window = f"{value} {unit[:-1] if value == 1 else unit}"
    st.info(f"Slower customers are left out: with the longest window (90 days), "
            f"{format_count(reached, 'customer')} ({widgets.percent(reached / entered)} of those who entered) reach "
            f"{md(funnel['step'].iloc[-1])}, {more:,} more than within {window}. If your customers take longer than "
            f"{window} to decide, widen the conversion window in *Funnel settings*.", icon=":material/schedule:")


def split_window(seconds: int) -> tuple[int, str]:
    for unit in ("days", "hours", "minutes"):
        if seconds % UNITS[unit] == 0:
            return seconds // UNITS[unit], unit
    return max(1, round(seconds / 60)), "minutes"


def describe(params: FunnelParams) -> str:
    value, unit = split_window(params.window_seconds)
    text = (f"**Funnel:** {' → '.join(md(s) for s in params.steps)} · window {value} {unit[:-1] if value == 1 else unit} "
            f"from the first step · {MODES[params.mode].lower()}")
    if params.exclude_event:
        i, j = params.exclude_between
        text += (f" · excluding '{md(params.exclude_event)}' between {md(params.steps[i])} and "
                 f"{md(params.steps[j])}")
    return text


# --- the settings widgets -----------------------------------------------------------------------------

def _seed(params: FunnelParams) -> None:
    value, unit = split_window(params.window_seconds)
    values = {"kind": params.step_kind, "steps": list(params.steps), "window_value": value, "window_unit": unit,
              "mode": params.mode, "exclude_event": params.exclude_event or NOTHING,
              "exclude_from": step_labels(params.steps)[params.exclude_between[0]],
              "exclude_to": step_labels(params.steps)[params.exclude_between[1]],
              "attribution": params.attribution,
              "max_groups": params.max_groups}
    if params.breakdown:
        values["breakdown"] = params.breakdown
    fresh = st.session_state.get(KEY + "applied") != asdict(params)
    for name, value in values.items():
        key = KEY + name
        # Re-assigning a kept value hands it to the same widget on the other page (widget ids differ per page).
        st.session_state[key] = value if fresh or key not in st.session_state else st.session_state[key]


def step_labels(steps) -> list[str]:
    return [f"{i + 1}. {step}" for i, step in enumerate(steps)]


def _exclusion(column, dataset, steps: list[str]) -> tuple[str | None, tuple[int, int]]:
    """The excluded event (or None) and the two step positions it must not occur between."""
    exclude = column.selectbox("Exclude customers who did", [NOTHING] + event_choices(dataset),
                               format_func=lambda e: e or "Nothing excluded", key=KEY + "exclude_event")
    if not exclude or len(steps) < 2:
        return None, (0, 1)
    labels = step_labels(steps)
    after = _choose(column, "after step", labels[:-1], key=KEY + "exclude_from")
    later = labels[labels.index(after) + 1:]
    before = _choose(column, "and before step", later, key=KEY + "exclude_to")
    return exclude, (labels.index(after), labels.index(before))


def _choose(column, label: str, options: list[str], *, key: str) -> str:
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    return column.selectbox(label, options, key=key)


def save(params: FunnelParams) -> None:
    state.save_params(PAGE, params)
    st.session_state[KEY + "applied"] = asdict(params)


def settings(dataset) -> FunnelParams:
    """The "Funnel settings" expander; returns (and saves) the funnel. Stops the page on a bad choice."""
    saved = state.load_params(PAGE, FunnelParams)
    params = saved if saved is not None and fits(saved, dataset) else default_params(dataset)
    _seed(params)
    with st.expander("Funnel settings", icon=":material/tune:"):
        left, right = st.columns([1, 3])
        kind = left.radio("Steps are", list(KINDS), format_func=KINDS.get, key=KEY + "kind")
        options = stage_choices(dataset) if kind == "stage" else event_choices(dataset)
        if not all(s in options for s in st.session_state.get(KEY + "steps", [])):
            st.session_state[KEY + "steps"] = list(default_steps(dataset, kind))
        steps = right.multiselect("Funnel steps, in order (2 to 10)", options, key=KEY + "steps",
                                  max_selections=MAX_STEPS,
                                  placeholder="Pick the steps in the order customers take them")
        columns = st.columns([1, 1, 2, 2])
        value = columns[0].number_input("Conversion window", min_value=1, step=1, key=KEY + "window_value",
                                        help="Counted from each customer's first step; 1 minute to 90 days.")
        unit = columns[1].selectbox("Unit", list(UNITS), key=KEY + "window_unit")
        mode = columns[2].radio("Steps happen", list(MODES), format_func=MODES.get, key=KEY + "mode")
        exclude, between = _exclusion(columns[3], dataset, steps)
    if len(steps) < 2:
        st.info("Pick at least two funnel steps in **Funnel settings** above.", icon=":material/info:")
        st.stop()
    try:
        new = FunnelParams(steps=tuple(steps), step_kind=kind, window_seconds=int(value) * UNITS[unit], mode=mode,
                           exclude_event=exclude, exclude_between=between, breakdown=params.breakdown,
                           attribution=params.attribution, max_groups=params.max_groups)
    except CJMError as exc:
        widgets.show_error(exc)
        st.stop()
    save(new)
    st.caption(describe(new) + " · change it in *Funnel settings*")
    return new


def single_touchpoint_text(event_counts: pd.DataFrame) -> str | None:
    """The plain explanation for a file whose rows are all one touchpoint (None when there are several)."""
    names = [str(e) for e in event_counts["event"]]
    if len(names) != 1:
        return None
    customers = int(event_counts["customers"].sum())
    return (f"Every row of this data is the same touchpoint, **{names[0]}** ({format_count(customers, 'customer')}), so there "
            "are no steps to follow from one to the next: a funnel needs at least two different events. "
            "If each row is an order, ticket or lead with several date columns (ordered, approved, shipped, "
            "delivered; created, resolved), map it as a wide export on the Data page so that each date becomes "
            "a step; or load the file that holds the other touchpoints together with this one.")


def single_touchpoint(dataset, page: str) -> None:
    """Stop the Funnel or Abandonment page with a plain explanation when the data has one touchpoint."""
    text = single_touchpoint_text(dataset.event_counts)
    if text is not None:
        st.info(f"{page} needs at least two touchpoints. {text}", icon=":material/info:")
        st.page_link(widgets.DATA_PAGE, label="Open the Data page", icon=":material/table:")
        st.stop()


def undated_note(counts: dict, analysis: str) -> None:
    """Say how many events (and customers) `analysis` leaves out for having no date, when some do (`counts`:
    cjm.journey.funnel.validate.count_undated)."""
    if not counts["undated"] or counts["undated"] == counts["events"]:  # all undated: the analysis says so itself
        return
    one = counts["undated"] == 1
    text = (f"{counts['undated']:,} of {format_count(counts['events'], 'event')} {'has' if one else 'have'} no date, "
            f"so {analysis} leaves {'it' if one else 'them'} out")
    if counts["customers_undated"]:
        one = counts["customers_undated"] == 1
        text += (f": {counts['customers_undated']:,} of {format_count(counts['customers'], 'customer')} "
                 f"{'has' if one else 'have'} no dated event and {'is' if one else 'are'} not counted here")
    st.caption(text + ". Map or fill a date column on the Data page to include them.")


def breakdown_note(column: str, filters) -> str:
    """How a sidebar filter and this breakdown differ: filters select events, the breakdown credits customers."""
    note = (f"The breakdown keeps every event and credits each customer to one {column} (their {column} at "
            "entry, or at their furthest step with last touch).")
    filtered = {"channel": getattr(filters, "channels", ()), "device": getattr(filters, "devices", ())}.get(column)
    if filtered:
        note += (f" The sidebar filter on {column} ({', '.join(filtered)}) works differently: it keeps only the "
                 f"events on that {column}, so a customer's steps on any other {column} are left out of every "
                 f"funnel on this page, and customers who entered elsewhere but later used {filtered[0]} enter there. "
                 f"The row for {filtered[0]} here can therefore differ from the funnel filtered to {filtered[0]}.")
    else:
        note += (f" A sidebar filter on {column} works differently: it keeps only the events on the chosen "
                 f"{column}, so a customer's steps elsewhere drop out; its figures can differ from this row's.")
    return note


def breakdown_controls(dataset, params: FunnelParams) -> FunnelParams | None:
    """Breakdown column, attribution and group count; None (with an explanation) when nothing to break down by."""
    columns = breakdown_columns(dataset)
    if not columns:
        st.info("A breakdown needs a column such as channel, device, variant or a customer attribute. "
                "Map one on the Data page to enable it.", icon=":material/info:")
        st.page_link(widgets.DATA_PAGE, label="Open the Data page", icon=":material/table:")
        return None
    if st.session_state.get(KEY + "breakdown") not in columns:
        st.session_state[KEY + "breakdown"] = default_breakdown(dataset, columns)
    left, middle, right = st.columns([2, 3, 1])
    column = left.selectbox("Break the funnel down by", columns, key=KEY + "breakdown")
    attribution = middle.radio("Credit each customer to", list(ATTRIBUTIONS), format_func=ATTRIBUTIONS.get,
                               key=KEY + "attribution", horizontal=True)
    groups = right.number_input("Groups shown", min_value=1, max_value=20, key=KEY + "max_groups",
                                help="Smaller groups are folded into 'other'.")
    new = replace(params, breakdown=column, attribution=attribution, max_groups=int(groups))
    save(new)
    return new


def pick(label: str, options: list, *, key: str, default, format_func=str):
    """A selectbox whose remembered value is reset to `default` when it is no longer an option."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default
    return st.selectbox(label, options, key=key, format_func=format_func)


def dropped_step(funnel: pd.DataFrame) -> int:
    """Which step's drop-outs to list: chosen by the user, the step losing most customers by default."""
    later = funnel[funnel["step_number"] > 1]
    labels = dict(zip(funnel["step_number"], funnel["step"]))
    dropped = dict(zip(later["step_number"], later["dropped"]))
    return pick("Customers who reached a step but not the next", list(dropped), key=KEY + "dropped_step",
                default=int(later.loc[later["dropped"].idxmax(), "step_number"]),
                format_func=lambda k: f"Reached {labels[k - 1]} but not {labels[k]} ({format_count(dropped[k], 'customer')})")


def _days(period, tz=None) -> tuple[dt.date, dt.date]:
    """The first and last day a half-open [start, end) period touches (its end at midnight: the day before), days of
    `tz` (the data's time zone, the comparison's attrs["tz"]) when given."""
    start, end = period
    if tz is not None and str(tz) != "UTC":
        start, end = wall(start, tz), wall(end, tz)
    return start.date(), max(start.date(), (end - pd.Timedelta(microseconds=1)).date())


def _bounds(comparison: pd.DataFrame) -> dict:
    """The periods a comparison covers: its `attrs["periods"]` when it has them (a comparison without rows), else its
    first row's bounds."""
    if "periods" in comparison.attrs:
        return dict(comparison.attrs["periods"])
    row = comparison.iloc[0]
    return {"previous": (row["previous_start"], row["previous_end"]),
            "current": (row["current_start"], row["current_end"])}


def periods(comparison: pd.DataFrame, *, key: str = KEY) -> dict:
    """Two date ranges (default: the days of `comparison`'s periods); {} when both are the defaults (or half
    picked). The pickers hold days only: a default period that does not start and end at midnight (the halves
    of data within one day, to the minute) shows the days it touches, and a picker left at it keeps its exact
    bounds (compared_periods says them). A picker still at its default moves with the defaults when the data
    or the filters change; a period the user picked is kept."""
    day = dt.timedelta(days=1)  # a date range includes its last day; periods end at the next midnight
    exact = _bounds(comparison)
    tz = comparison.attrs.get("tz")  # the days of the data's time zone (cjm.data.clock)
    default = {name: _days(period, tz) for name, period in exact.items()}
    chosen = {}
    for column, name in zip(st.columns(2), ("previous", "current")):
        key_, seeded = f"{key}period_{name}", f"{key}period_{name}_default"
        # a picker left at its default follows the data (another upload, another date filter); a pick stays
        if key_ not in st.session_state or st.session_state[key_] == st.session_state.get(seeded, default[name]):
            st.session_state[key_] = default[name]
        st.session_state[seeded] = default[name]
        picked = column.date_input(f"{name.capitalize()} period", key=key_, format="YYYY-MM-DD")
        chosen[name] = tuple(picked) if isinstance(picked, (tuple, list)) and len(picked) == 2 else default[name]
    if chosen == default:
        return {}
    return {name: tuple(t.isoformat() for t in exact[name]) if chosen[name] == default[name]
            else _picked(start, end + day, tz) for name, (start, end) in chosen.items()}


def _picked(start: dt.date, end: dt.date, tz) -> tuple[str, str]:
    """A picked range of days, [start, end), as the period's bounds: the dates as written (UTC's midnights), or the
    midnights of `tz` (the data's time zone) as instants."""
    if tz is None or str(tz) == "UTC":
        return start.isoformat(), end.isoformat()
    return midnight(start, tz).isoformat(), midnight(end, tz).isoformat()


def compared_periods(comparison: pd.DataFrame, *, default: bool) -> None:
    """A caption with the periods compared, to the minute when they do not fall on midnights."""
    bounds = _bounds(comparison)
    tz = comparison.attrs.get("tz")
    text = (f"Compared: {period_text(bounds['previous'], tz)} (previous) against {period_text(bounds['current'], tz)} "
            "(current).")
    if default:
        text += (" By default the last 6 months of the data against the 6 before, or the two halves of data that "
                 "covers less than a year (of data within one day, to the minute). They are the whole data's "
                 "periods (up to the chosen range's end), so every segment, channel and device is compared over the "
                 "same dates.")
    st.caption(text)


# --- results ------------------------------------------------------------------------------------------

def headline(funnel: pd.DataFrame) -> None:
    """Three tiles: customers who entered, share reaching the last step, the biggest drop-off."""
    first, last = funnel.iloc[0], funnel.iloc[-1]
    tiles = st.columns(3)
    tiles[0].metric(f"Customers who entered ({md(first['step'])})", widgets.count(first["customers"]), border=True)
    tiles[1].metric(f"Reached {md(last['step'])}", widgets.percent(last["conversion_from_first"]), border=True,
                    help=f"{widgets.count(last['customers'])} customers, conversion from the first step")
    later = funnel[funnel["step_number"] > 1].dropna(subset=["conversion_from_previous"])
    if len(later):
        worst = later.loc[later["conversion_from_previous"].idxmin()]
        tiles[2].metric(f"Biggest drop-off: before {md(worst['step'])}",
                        widgets.percent(1 - worst["conversion_from_previous"]), border=True,
                        help=f"{widgets.count(worst['dropped'])} customers dropped there")


def missing_control_text(control: str, arms: list[str], default: str) -> str:
    """Why a saved control is not used: it is no arm of the data shown."""
    return (f"The saved A/B test control {control!r} is not an arm of the data shown (its arms: "
            f"{', '.join(map(repr, arms))}), so the default control {default!r} is used. Pick the control on the "
            "Funnel page's A/B test tab to replace it.")


def _pick_control() -> None:
    """The analyst picked a control arm: it becomes the spec's (saved dashboards and shared links keep it)."""
    chosen = st.session_state[CONTROL_KEY]
    state.save_params(AB_PAGE, ExperimentParams(control=chosen))
    st.session_state[KEY + "control_applied"] = {"control": chosen}


def control_arm(variant_funnel: pd.DataFrame) -> str | None:
    """The "Control (baseline) arm" picker over the arms of `variant_funnel` (compute_variant_funnel with the
    default control). Returns the arm to compare with when it is not that default, else None. A saved control
    that is no arm of the data shown is reported (here and in the sidebar) and the default used; the saved
    value stays in the spec until the analyst picks another."""
    arms = sorted(dict.fromkeys(variant_funnel["variant"].astype(str)))
    default = str(variant_funnel.loc[variant_funnel["is_control"], "variant"].iloc[0])
    saved, found = state.spec().page(AB_PAGE, ExperimentParams)
    control = (saved or ExperimentParams()).control
    if control is not None and control not in arms:
        found = found + [missing_control_text(control, arms, default)]
    state.report_problems(AB_PAGE, found)
    wanted = control if control in arms else default
    # seeded from the spec when it changed elsewhere (a loaded dashboard) or the remembered arm is gone
    if st.session_state.get(KEY + "control_applied") != {"control": control} or st.session_state.get(CONTROL_KEY) not in arms:
        st.session_state[CONTROL_KEY] = wanted
        st.session_state[KEY + "control_applied"] = {"control": control}
    chosen = st.selectbox("Control (baseline) arm", arms, key=CONTROL_KEY, on_change=_pick_control,
                          help="Every other arm is compared with this one. Unless you pick it: the arm named control, "
                               "A, baseline, original, ctrl, champion or 0, else the first arm alphabetically.")
    for problem in found:
        st.warning(md(problem), icon=":material/warning:")
    return None if chosen == default else chosen


def verdict(variant_funnel: pd.DataFrame) -> None:
    """The plain-language A/B verdict at the last step, other significant steps, and sample warnings."""
    compared = variant_funnel[variant_funnel["verdict"].notna()]
    last = compared[compared["step_number"] == compared["step_number"].max()]
    significant = last[last["significant"]]
    if len(last):
        st.markdown(f"**{md((significant if len(significant) else last).iloc[0]['verdict'])}.**")
    else:
        control = md(variant_funnel.loc[variant_funnel["is_control"], "variant"].iloc[0])
        st.markdown(f"**No variant can be compared with the control {control}: one of them has no customer at the "
                    "first step.**")
    earlier = compared[compared["significant"] & (compared["step_number"] < compared["step_number"].max())]
    if len(earlier):
        st.markdown("\n".join(f"- {md(v)}" for v in earlier["verdict"]))
    st.caption("Customers are counted in the first variant they saw. Compare the steps your test changed: "
               "pick them in *Funnel settings* (for a checkout test, e.g. checkout → purchase events).")
    for warning in dict.fromkeys(variant_funnel["warning"].dropna()):
        st.warning(md(warning), icon=":material/warning:")


def period_changes(comparison: pd.DataFrame) -> None:
    """One sentence naming the steps whose conversion changed significantly between the periods."""
    first = comparison.iloc[0]
    if not first["customers_previous"] or not first["customers_current"]:
        st.info("No customer entered the funnel in one of the periods, so there is nothing to compare. "
                "Pick dates inside the data.", icon=":material/info:")
        return
    changed = comparison[comparison["significant"]]
    listed = ", ".join(f"**{md(s)}** ({format_signed(c, 1)} points)" for s, c in zip(changed["step"], changed["change_points"]))
    st.markdown("Steps whose conversion from step 1 changed significantly (p < 0.05): " + (listed or "none."))
    few = comparison[comparison["too_few"]]
    if len(few):
        st.warning(f"Too few customers to tell at {format_count(len(few), 'step')} ({md(', '.join(few['step']))}): "
                   f"the previous period has {format_count(int(first['customers_previous']), 'customer')} and the "
                   f"current {format_count(int(first['customers_current']), 'customer')} at step 1, and about "
                   f"{MIN_PERIOD_CUSTOMERS} per period with at least 5 expected conversions and non-conversions are "
                   "needed. Treat these changes as a rough guide, or compare longer periods.", icon=":material/warning:")


def abandonment_tiles(abandonment: pd.DataFrame, *, end: str = END_OF_DATA) -> None:
    """Abandoned, in progress, and the step where most give up (from compute_abandonment); `end`: where the data
    ends, in words (views.end_phrase: a date filter's range when its end cut the data)."""
    tiles = st.columns(3)
    tiles[0].metric("Customers who abandoned", widgets.count(abandonment["abandoned"].sum()), border=True)
    tiles[1].metric("Still in progress", widgets.count(abandonment["in_progress"].sum()), border=True,
                    help=f"Their conversion window is still open at {end}.")
    rates = abandonment.dropna(subset=["abandonment_rate"])
    if len(rates) and abandonment["abandoned"].sum():
        worst = rates.loc[rates["abandonment_rate"].idxmax()]
        tiles[2].metric(f"Highest abandonment: before {md(worst['step'])}", widgets.percent(worst["abandonment_rate"]),
                        border=True, help=f"{widgets.count(worst['abandoned'])} customers abandoned there")


def mostly_in_progress(abandonment: pd.DataFrame, *, end: str = END_OF_DATA) -> None:
    """Say so when most customers are still inside their window (the data ends too soon to judge); `end` as
    abandonment_tiles'."""
    ends = "the data ends" if end == END_OF_DATA else f"{end.removeprefix('the end of ')} ends"
    if abandonment["in_progress"].sum() > abandonment["abandoned"].sum():
        st.info(f"Most customers are still in progress: {ends} before their conversion window closes, "
                "so they cannot have abandoned yet. A shorter window in *Funnel settings* shows how many give up "
                "within it.", icon=":material/hourglass_top:")


def checkout_events(dataset) -> dict:
    """Which events start a checkout and which are purchases: detected from their names unless chosen
    (kept in the spec under "abandonment"). Returns compute_checkout_abandonment's keyword arguments."""
    saved = state.page_params("abandonment")
    choices = {}
    for column, role in zip(st.columns(2), ("checkout", "purchase")):
        key, options = f"cjm.abandonment.{role}_event", [NOTHING] + event_choices(dataset)
        value = st.session_state.get(key, saved.get(f"{role}_event") or NOTHING)
        st.session_state[key] = value if value in options else NOTHING
        choices[role] = column.selectbox(f"{role.capitalize()} event", options, key=key,
                                         format_func=lambda e: e or "Detected from the event names")
        saved[f"{role}_event"] = choices[role] or None
    return {f"{role}_events": (name,) if name else None for role, name in choices.items()}


def no_checkout(dataset) -> None:
    """Explain which events would enable checkout abandonment (and that they can be picked above)."""
    names = ", ".join(md(e) for e in event_choices(dataset)[:12])
    st.info("Checkout abandonment needs a checkout event (a name containing 'checkout', else a cart event such as "
            "add_to_cart) and a purchase event ('purchase', 'order_completed', 'order'); cjm could not find both among "
            f"your events ({names}). Pick them above to compare your checkout abandonment with the ≈70% online "
            "average.", icon=":material/info:")


def checkout_sentence(checkout: dict, *, end: str = END_OF_DATA) -> str:
    """The checkout abandonment rate with what it rests on and the in-progress count beside it; judged from the
    cart when the data has no checkout event, and then it says so first. `end`: where the data ends, in words
    (views.end_phrase: "the end of the chosen range (14 Jan 2025)" when a date filter's end cut the data)."""
    noun, _, did = checkout_words(checkout)
    decided = checkout["closed"]
    n = checkout["in_progress"]
    early = checkout["started"] - decided - n  # bought inside a window still open
    parts = [f"{n:,} still in progress" if n else "", f"{early:,} who bought" if early else ""]
    waiting = (f"; not counted, their {noun} window still open at {end}: "
               + " and ".join(p for p in parts if p) if n or early else "")
    lead = ("No event of this data is a checkout, so the cart stands in: this is **cart abandonment**, customers who "
            "put something in the cart and did not buy within the window. " if noun == "cart" else "")
    if not decided:
        return (f"{lead}The window of all {format_count(checkout['started'], 'customer')} who {did} is still open at "
                f"{end}: none can have abandoned yet, so there is no rate.")
    return (f"{lead}**{widgets.percent(checkout['rate'])}** of the {format_count(decided, 'customer')} whose {noun} window "
            f"has closed abandoned ({checkout['abandoned']:,} abandoned, {decided - checkout['abandoned']:,} purchased)"
            f"{waiting}.")


def checkout_summary(checkout: dict, *, end: str = END_OF_DATA) -> None:
    st.markdown(checkout_sentence(checkout, end=end))


def abandoned_step(abandonment: pd.DataFrame) -> int:
    """Which step's abandoners to look at: chosen by the user, the step with most abandoners by default."""
    labels = dict(zip(abandonment["step_number"], abandonment["step"]))
    counts = dict(zip(abandonment["step_number"], abandonment["abandoned"]))
    return pick("Customers who abandoned before", list(labels), key="cjm.abandonment.step",
                default=int(abandonment.loc[abandonment["abandoned"].idxmax(), "step_number"]),
                format_func=lambda k: f"{labels[k]} ({format_count(counts[k], 'customer')})")


def checkout_frame(checkout: dict) -> pd.DataFrame:
    """The checkout abandonment numbers as a one-row table (for the CSV download)."""
    return pd.DataFrame([checkout])


def chart(chart, frame: pd.DataFrame, *, name: str, rows: int | None = None, height: int = 300) -> None:
    """widgets.chart with room for the plot: `rows` bars of 40 px (horizontal bar charts) or `height` px."""
    plot = 40 * rows if rows is not None else height
    widgets.chart(chart.properties(height=CHART_CHROME + plot), frame, name=name)


def table(frame: pd.DataFrame, columns: dict[str, tuple[str, str]], *, name: str, key: str | None = None,
          tz=None) -> None:
    """widgets.table with readable headers: columns maps source -> (label, kind); kinds: count, percent
    (a fraction shown as 42.3%), points (+2.1), p, duration (seconds shown as "2 h 05 min"), date (a time on the
    clock of `tz`, the dataset's time zone), text."""
    shown, config = pd.DataFrame(index=frame.index), {}
    for source, (label, kind) in columns.items():
        values = frame[source]
        if kind == "percent":
            shown[label] = (values.astype("float64") * 100).round(1)
            config[label] = st.column_config.NumberColumn(label, format="%.1f%%")
        elif kind == "points":
            shown[label] = values.astype("float64").round(1)
            config[label] = st.column_config.NumberColumn(label, format="%+.1f")
        elif kind == "p":
            shown[label] = ["" if pd.isna(v) else "<0.001" if v < 0.001 else format_number(v, 3) for v in values]
        elif kind == "duration":
            shown[label] = [format_duration(v) for v in values]
        elif kind == "date":
            label = widgets.clock_title(label, tz)
            shown[label] = widgets.times_on_clock(values, tz).to_numpy()
        elif kind == "count":
            shown[label] = values
            config[label] = st.column_config.NumberColumn(label, format="localized")
        else:
            shown[label] = values
    widgets.table(shown.reset_index(drop=True), name=name, key=key, column_config=config)


STEP_COLUMNS = {column: (COLUMN_TITLES[column], kind) for column, kind in (
    ("step", "text"), ("customers", "count"), ("conversion_from_previous", "percent"),
    ("conversion_from_first", "percent"), ("median_seconds_from_previous", "duration"),
    ("mean_seconds_from_previous", "duration"), ("dropped", "count"))}
GROUP_STEP_COLUMNS = {"group": ("Group", "text"), **STEP_COLUMNS}
VARIANT_COLUMNS = {
    "variant": ("Variant", "text"), "step": ("Step", "text"), "entered": ("Customers at entry", "count"),
    "customers": ("Customers", "count"), "conversion_from_first": ("Conversion from step 1", "percent"),
    "conversion_low": ("95% CI low", "percent"), "conversion_high": ("95% CI high", "percent"),
    "difference_points": ("Difference vs control (points)", "points"), "p_value": ("p-value", "p"),
}


def variant_columns(variant_funnel: pd.DataFrame) -> dict:
    """VARIANT_COLUMNS with the control arm named in the difference's title ("Difference vs A (points)")."""
    control = str(variant_funnel.loc[variant_funnel["is_control"], "variant"].iloc[0])
    named = control if control.strip().lower() == "control" else f"{control} (control)"
    return {**VARIANT_COLUMNS, "difference_points": (f"Difference vs {named} (points)", "points")}


PERIOD_COLUMNS = {
    "step": ("Step", "text"), "customers_previous": ("Customers, previous", "count"),
    "customers_current": ("Customers, current", "count"),
    "conversion_previous": ("Conversion from step 1, previous", "percent"),
    "conversion_current": ("Conversion from step 1, current", "percent"),
    "change_points": ("Change (points)", "points"), "p_value": ("p-value", "p"),
}
DROPPED_COLUMNS = {
    "customer_id": ("Customer", "text"), "reached": ("Last step reached", "text"), "entered_at": ("Entered", "date"),
    "last_event": ("Last event", "text"), "last_event_at": ("Last event at", "date"),
    "next_events": ("What they did after dropping (times)", "text"),
}
NEXT_COLUMNS = {"event": ("Event after dropping", "text"), "customers": ("Customers", "count"),
                "share": ("Share of those who dropped", "percent")}
ABANDONMENT_COLUMNS = {
    "step": ("Stopped before", "text"), "reached_previous": ("Reached the step before", "count"),
    "reached": ("Reached this step", "count"), "abandoned": ("Abandoned", "count"),
    "closed": ("Window closed (the rate's base)", "count"), "abandonment_rate": ("Abandonment rate", "percent"),
    "in_progress": ("Still in progress", "count"),
}
TIME_TO_ABANDON_COLUMNS = {
    "step": ("Stopped before", "text"), "customers": ("Customers who abandoned", "count"),
    "median_seconds": ("Median time from last step to last activity", "duration"),
    "mean_seconds": ("Mean time", "duration"), "no_later_activity": ("Left right after the step", "count"),
}
TOUCHPOINT_COLUMNS = {
    "rank": ("Rank", "text"), "event": ("Last event", "text"), "stage": ("Stage", "text"),
    "customers": ("Customers", "count"), "share": ("Share of those who abandoned", "percent"),
}


def by_group_table(frame: pd.DataFrame, column: str) -> None:
    """Abandonment rate per group (rows) and step (columns), from compute_abandonment_by."""
    steps = list(dict.fromkeys(frame.sort_values("step_number")["step"]))
    rates = frame.pivot_table(index="group", columns="step", values="abandonment_rate", aggfunc="first")[steps]
    entered = frame[frame["step_number"] == 2].set_index("group")["reached_previous"].rename("Customers who entered")
    shown = pd.concat([entered, (rates * 100).round(1)], axis=1).sort_values("Customers who entered", ascending=False)
    shown = shown.rename_axis(column.capitalize()).reset_index()
    config = {s: st.column_config.NumberColumn(format="%.1f%%", help=f"Abandonment rate before {md(s)}") for s in steps}
    config["Customers who entered"] = st.column_config.NumberColumn(format="localized")
    st.caption(f"Abandonment rate before each step, by the {md(column)} customers entered on.")
    widgets.table(shown, name=f"abandonment by {column}", column_config=config)
