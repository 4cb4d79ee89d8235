"""The current-state map, filled from the data (DESIGN.md section 5).

Every call into the core analyses lives in this module (so a change of their signatures touches one
file). Event-level work runs as Ibis expressions in the engine; only small per-stage frames come back.

Per stage S of the stage model (columns in model order):

* **customers reached**: distinct customers with at least one event in S, at any time
  (`cjm.journey.reach.compute_stage_reach`), a cancellation, return or refund lifting nobody to its stage. The
  stage funnel and the time in stage below follow the same rule (`reached_view`: such an event is read as
  unmapped), so a customer who only refunded at retention is at retention in none of these lanes.
* **conversion to next stage** and **drop-off**: from the ordered stage funnel over the stages that
  occur in the data (the funnel's counts, read from `cjm.journey.abandonment.compute_abandonment` on the
  same stage funnel, window `window_seconds`, default 7 days): of the customers the funnel counts at S, the
  share that reached the next occurring stage, and how many did not (the funnel's "dropped"), of whom how
  many are still in progress (their window open at the end of the whole data). The last stage has neither.
* **median time in stage**: for each customer with an event in S, from their *first event in S* to their
  *first event at a later stage of the model* (stage index greater than S's) at or after that moment;
  customers who never reach a later stage after entering S are left out (they have not left S forward).
  The median over those customers (DuckDB's median: the mean of the two middle values for an even count);
  the evidence says how many customers it rests on. Events at unmapped stages and reversals are ignored.
* **actions**: the 3 events of S done by the most customers; **touchpoints & channels**: the 3 channels
  and 2 devices of S's events used by the most customers; **departments**: the 3 departments of S's events
  involved with the most customers. Their shares are of the customers with any event in S (reversals too).
* **emotions**: mean sentiment of the signals at S, -1..+1, with n (`cjm.voice.sentiment`).
* **thoughts**: two real comments written at S: the most negative and the most positive (or the two
  newest when none is rated). **pain points**: the 2 largest themes of negative comments written at S
  (`cjm.voice.painpoints`).
* **biggest switch gap**: over device, channel and department, the switch made at S that cost the most
  customers (`cjm.journey.gaps.compute_gap_stages`, "customers_lost"), else the most common switch at S.

Baseline for the future state (`baseline` of the map): `entries` = customers the funnel counts at its
first stage; `conversion` = today's conversion to the next stage per funnel stage; `goal` = the goal
stage (default "conversion" when it occurs, else the last occurring stage); `conversions` = customers
the funnel counts at the goal; `value_per_conversion` = today's value per converted customer: the net revenue
(all their events) of the customers the stage funnel counts at the goal / their number, the same customers as
`conversions` (None without revenue). So today's projected revenue (conversions x value) is exactly the revenue of
the customers who converted, never that of everyone with some event at the goal stage (a buyer whose purchase came
outside the funnel's window, or who never entered the funnel, is not one of its conversions).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import replace

import ibis
import pandas as pd

from cjm import engine
from cjm.data.filters import in_segments
from cjm.data.reversals import reached_stage_index, reversals_in
from cjm.data.schema import UNMAPPED
from cjm.data.views import data_end, end_source
from cjm.errors import CJMError, InsufficientDataError, NoDatesError, ParameterError
from cjm.maps.future import refresh_target_cells, with_baseline
from cjm.maps.model import JOURNEY_LANES, WHOLE_DAY, Cell, Evidence, JourneyMap, Lane, Persona, Stage
from cjm.present.charts import STAGE_PALETTE
from cjm.journey.funnel.defaults import MAX_STEPS
from cjm.present.formats import format_duration, format_percent, format_signed, format_count

DEFAULT_WINDOW = 604800
# the conversion and drop-off cells of data without dates: the stage funnel's windows and order are times
UNDATED_CELL = "needs dates (map a date column on the Data page)"
SEGMENT_COLUMN = "segment"


# --- the core analyses (the only calls into cjm.journey / cjm.voice) ----------------------------------

def _reach(dataset):
    from cjm.journey.reach import compute_stage_reach
    return compute_stage_reach(dataset)


def _abandonment(view, present, window_seconds, data_end):
    from cjm.journey.abandonment import compute_abandonment
    from cjm.journey.funnel import FunnelParams
    return compute_abandonment(view, params=FunnelParams(steps=tuple(present), step_kind="stage",
                                                         window_seconds=window_seconds), data_end=data_end)


def _progress(view, steps, window_seconds):
    from cjm.journey.funnel import FunnelParams
    from cjm.journey.funnel.progress import progress_expr
    params = FunnelParams(steps=tuple(steps), step_kind="stage", window_seconds=window_seconds)
    return progress_expr(view, params=params, validate=False)


def _signals(view):
    from cjm.voice.sentiment import params_for, signals_of
    try:
        return signals_of(view.events, params=params_for(view), customers=view.customers)
    except InsufficientDataError:
        return None


def _sentiment_by_stage(signals, stages):
    from cjm.voice.sentiment import compute_sentiment_by
    return compute_sentiment_by(signals, by="stage", stages=stages)


def _quotes(signals, stage, sentiment):
    from cjm.voice.painpoints import compute_quotes
    return compute_quotes(signals, stage=stage, sentiment=sentiment, limit=1)


def _themes(signals, stages):
    from cjm.voice.painpoints import compute_pain_points
    return compute_pain_points(signals, stages=stages)


def _gap_stages(dataset, dimension):
    from cjm.journey.gaps import GapParams, compute_gap_stages
    return compute_gap_stages(dataset, params=GapParams(dimension=dimension, min_customers=1))


# --- event-level pieces of the map ------------------------------------------------------------------

def segment_view(dataset, segment: str | None):
    """`dataset` restricted to the customers in `segment` (again a Dataset: the events' own `segment` column,
    else the customers table's); `dataset` itself when `segment` is None."""
    if segment is None:
        return dataset
    events = _segment_events(dataset.events, segment, dataset.customers)
    digest = hashlib.sha256(str(segment).encode()).hexdigest()[:12]
    return replace(dataset, key=f"{dataset.key}+segment-{digest}", events=events, base=dataset,
                   end_from=end_source(dataset))  # the segment's windows close by the data's end


def _segment_events(events, segment: str, customers=None):
    if SEGMENT_COLUMN in events.columns:
        table = in_segments(events, events, [segment])
    elif customers is not None and SEGMENT_COLUMN in customers.columns:
        members = customers.filter(customers[SEGMENT_COLUMN].cast("string") == str(segment)).select(
            _member=customers.customer_id.cast("string"))
        table = events.semi_join(members, events.customer_id == members._member)
    else:
        raise ParameterError(f"segment {segment!r} was asked for, but the data has no 'segment' column. Build "
                             "segments on the Segments page, or load a customers file with a 'segment' column.")
    if not len(engine.execute(table.select("customer_id").limit(1))):
        known = _segment_names(events, customers)
        raise ParameterError(f"No customer is in segment {segment!r}. The segments are: "
                             f"{', '.join(known) if known else '(none)'}.")
    return table


def segment_names(dataset) -> list[str]:
    """The segments of `dataset` (events' own `segment` column, else the customers table's), largest first."""
    return _segment_names(dataset.events, dataset.customers)


def _segment_names(events, customers=None) -> list[str]:
    if SEGMENT_COLUMN in events.columns:
        t = events
    elif customers is not None and SEGMENT_COLUMN in customers.columns:
        t = customers
    else:
        return []
    found = engine.execute(t.filter(t[SEGMENT_COLUMN].notnull()).group_by(
        s=t[SEGMENT_COLUMN].cast("string")).aggregate(n=t.customer_id.nunique()).order_by(ibis.desc("n")))
    return [str(s) for s in found["s"]]


def reached_view(dataset):
    """`dataset` with every reversal (a cancellation, return or refund: cjm.data.reversals.reversal_names) read as
    an unmapped event (stage 'unmapped', stage_index -1), so the map's stage funnel counts a customer at a stage as
    its "customers reached" lane does (cjm.journey.reach: a reversal lifts nobody to its stage); `dataset` itself
    when no event is a reversal."""
    events = dataset.events
    named = reversals_in(events)
    if not named:
        return dataset
    reversal = events.event.isin(named).fill_null(False)
    events = events.mutate(stage=reversal.ifelse(ibis.literal(UNMAPPED), events.stage),
                           stage_index=reached_stage_index(events, named))
    return replace(dataset, key=f"{dataset.key}+reached", events=events, base=dataset, end_from=end_source(dataset))


def compute_time_in_stage(dataset) -> pd.DataFrame:
    """stage, stage_index, median_seconds, customers: median time in stage as defined in the module docstring,
    for every stage of the dataset's stage model. dataset: the Dataset (or a view of it)."""
    events, stages = dataset.events, tuple(dataset.stages)
    # a cancellation, return or refund lifts nobody to its stage (cjm.journey.reach): it neither enters a stage
    # nor leaves the one before forward
    events = events.mutate(stage_index=reached_stage_index(events, reversals_in(events)))
    mapped = events.filter(events.stage_index >= 0)
    firsts = mapped.group_by(["customer_id", "stage_index"]).aggregate(entered=mapped.timestamp.min())
    later = mapped.select(_cid=mapped.customer_id, _later=mapped.stage_index, _at=mapped.timestamp)
    joined = firsts.join(later, [firsts.customer_id == later._cid, later._later > firsts.stage_index,
                                 later._at >= firsts.entered])
    left = joined.group_by(["customer_id", "stage_index", "entered"]).aggregate(left_at=joined._at.min())
    seconds = engine.seconds_between(left.left_at, left.entered)
    per_stage = engine.execute(left.group_by("stage_index").aggregate(
        median_seconds=seconds.median(), customers=left.count()))  # one row per customer and stage
    frame = pd.DataFrame({"stage": list(stages), "stage_index": range(len(stages))})
    frame = frame.merge(per_stage, on="stage_index", how="left")
    frame["customers"] = frame["customers"].fillna(0).astype("int64")
    frame["median_seconds"] = frame["median_seconds"].astype("float64")
    return frame


def _stage_counts(events, columns) -> dict[str, pd.DataFrame]:
    """Per column: stage_index, the column's value, customers (distinct) and events at each mapped stage;
    one query for all `columns` (each counted on its own events with a value)."""
    parts = []
    for column in columns:
        t = events.filter((events.stage_index >= 0) & events[column].notnull())
        parts.append(t.group_by(["stage_index", t[column].cast("string").name("value")]).aggregate(
            customers=t.customer_id.nunique(), events=t.count()).mutate(column=ibis.literal(column)))
    if not parts:
        return {}
    counts = engine.execute(ibis.union(*parts))
    return {column: part.drop(columns="column").rename(columns={"value": column})
            for column, part in counts.groupby("column", sort=False)}


def _top_by_stage(counts: pd.DataFrame | None, column: str, n: int) -> dict[int, pd.DataFrame]:
    out = {}
    if counts is None:
        return out
    for index, part in counts.groupby("stage_index"):
        out[int(index)] = part.sort_values(["customers", column], ascending=[False, True]).head(n)
    return out


def _has_values(events, column: str) -> bool:
    return column in events.columns and len(engine.execute(
        events.filter(events[column].notnull()).select(column).limit(1))) > 0


def _percent(x) -> str:
    return format_percent(x)


def _customers(n: int) -> str:
    return f"{n:,} customer" + ("" if n == 1 else "s")


def _signed(x) -> str:
    return format_signed(x)


def _listing(part: pd.DataFrame, column: str, reached: int) -> str:
    return "\n".join(f"{row[column]} ({_percent(row['customers'] / reached) if reached else row['customers']})"
                     for _, row in part.iterrows())


# --- the builder ------------------------------------------------------------------------------------

def build_current_map(dataset, *, segment: str | None = None, window_seconds: int = DEFAULT_WINDOW,
                      goal: str | None = None, persona: Persona | None = None, title: str | None = None) -> JourneyMap:
    """The current-state map of `dataset` (the Dataset or a view of it: its events, stage model and
    customers), for every customer or for one `segment`. Raises CJMError subclasses with a plain message
    when it cannot be drawn."""
    stages = tuple(dataset.stages)
    view = segment_view(dataset, segment)
    events = view.events
    reach = _reach(view)
    total = int(reach["total_customers"].iloc[0])
    if total == 0:
        raise InsufficientDataError("The journey map needs events; the data (or the chosen segment) has none.")
    present = [s for s, n in zip(reach["stage"], reach["customers"]) if n > 0]
    if not present:
        raise InsufficientDataError("No event is mapped to a journey stage, so there is nothing to draw across the "
                                    "map. Map event names to stages on the Data page.")
    jm = JourneyMap(
        template="current", title=title or ("Customer journey map" + (f" · {segment}" if segment else "")),
        persona=persona or Persona(name=segment or "All customers", segment=segment,
                                   description=f"{format_count(total, 'customer')}" + (f" in segment {segment}" if segment else ""),
                                   provenance="data"),
        stages=[Stage(key=s, name=s, color=STAGE_PALETTE[i % len(STAGE_PALETTE)]) for i, s in enumerate(stages)],
        lanes=[Lane(key=k, name=name, kind=kind) for k, (name, kind) in JOURNEY_LANES.items()],
    )
    for s in stages:  # stages nobody reached stay in the model but are hidden (the user may show them)
        jm.stage(s).hidden = s not in present

    def put(lane, stage, value, number=None, **evidence):
        jm.cells.setdefault(lane, {})[stage] = Cell(value=value, number=number, provenance="data",
                                                    evidence=Evidence(**evidence))

    reached = dict(zip(reach["stage"], reach["customers"].astype(int)))
    anyone = dict(zip(reach["stage"], (reach["customers"] + reach["reversals_only"]).astype(int)))
    for s in present:
        put("reached", s, f"{reached[s]:,} ({_percent(reached[s] / total)})", float(reached[s]),
            customers=reached[s], analysis="stage reach")

    baseline = {"customers": total, "stages": present, "window_seconds": int(window_seconds)}
    if len(present) >= 2:
        baseline.update(_stage_funnel(reached_view(view), present, reached, goal, window_seconds, put))
    jm.baseline = baseline

    times = compute_time_in_stage(view)
    for row in times.itertuples(index=False):
        if row.stage in present and row.customers:
            put("time_in_stage", row.stage, format_duration(row.median_seconds), float(row.median_seconds),
                customers=int(row.customers), analysis="time in stage (first event in stage to first later-stage event)")

    counted = _stage_counts(events, [c for c in ("event", "channel", "department", "device") if _has_values(events, c)])
    for lane, column, n in (("actions", "event", 3), ("touchpoints", "channel", 3), ("departments", "department", 3)):
        if column not in counted:
            continue
        tops = _top_by_stage(counted[column], column, n)
        devices = _top_by_stage(counted.get("device"), "device", 2) if lane == "touchpoints" else {}
        for i, s in enumerate(stages):
            if s not in present or i not in tops:
                continue
            # shares of the customers with any event at s (a refund is an action at s, done also by customers the
            # "reached" lane leaves out for it): of those reached alone, 2 refunds beside 1 ticket read "200%"
            text = _listing(tops[i], column, anyone[s])
            if i in devices:
                text += "\n" + _listing(devices[i], "device", anyone[s])
            put(lane, s, text, customers=anyone[s], events=int(tops[i]["events"].sum()),
                analysis=f"top {column}s by customers at this stage")

    signals = _signals(view)
    if signals is not None:
        _voice_cells(jm, signals, stages, present, put)
    _gap_cells(view, present, put)
    return jm


def _stage_funnel(view, present, reached, goal, window_seconds, put) -> dict:
    """The conversion and drop-off cells of the stage funnel over the `present` stages, and what it adds to the
    map's baseline (none on data without dates: its cells say they need them)."""
    # the stage funnel covers at most MAX_STEPS stages: the first ones, always ending at the goal
    wanted = goal if goal in present else ("conversion" if "conversion" in present else None)
    steps = present[:MAX_STEPS]
    if wanted is not None and wanted not in steps:
        steps = present[:MAX_STEPS - 1] + [wanted]
    for s in present:
        if s not in steps:
            put("conversion", s, f"not in the stage funnel (it follows at most {MAX_STEPS} stages)", None,
                customers=reached[s], analysis="stage funnel")
    # The stage funnel, read from its abandonment table: customers at each step, and of those who dropped,
    # the ones whose window is still open at the end of the data have not abandoned (DESIGN.md section 4).
    # That end is the whole data's, also on a segment's map (a segment's last event is not it), and a date filter's
    # range end when the data goes on after it: views.data_end.
    end = data_end(view)
    try:
        table = _abandonment(view, steps, window_seconds, end)
    except NoDatesError:  # no event has a date (funnel.validate.check_dated): no window ever closes
        for s in steps[:-1]:
            for lane in ("conversion", "dropoff"):
                put(lane, s, UNDATED_CELL, None, customers=reached[s], analysis="stage funnel (needs dates)")
        return {}
    counts = [int(table["reached_previous"].iloc[0])] + [int(n) for n in table["reached"]]
    conv = {}
    for i, (s, row) in enumerate(zip(steps[:-1], table.itertuples(index=False))):
        rate = row.reached / row.reached_previous if row.reached_previous else math.nan
        conv[s] = None if math.isnan(rate) else rate
        # the stage funnel's own base, stated: customers in it at a later stage can be fewer than reached
        # it (any event there), and a reader compares this cell with the "reached" lane above it
        put("conversion", s, f"{_percent(rate)} of {counts[i]:,} to {steps[i + 1]}",
            None if math.isnan(rate) else rate,
            customers=counts[i], analysis=f"stage funnel ({format_duration(window_seconds)} window)")
        dropped, waiting = int(row.reached_previous - row.reached), int(row.in_progress)
        put("dropoff", s, f"{dropped:,} of {counts[i]:,} ({_percent(dropped / counts[i]) if counts[i] else '–'})"
            + (f"\n{waiting:,} of them still in progress" if waiting else ""), float(dropped),
            customers=counts[i], analysis=f"stage funnel ({format_duration(window_seconds)} window)")
    goal_stage = goal if goal in steps else ("conversion" if "conversion" in steps else steps[-1])
    return dict(entries=counts[0], funnel_stages=steps, funnel_customers=counts, conversion=conv,
                goal=goal_stage, conversions=counts[steps.index(goal_stage)],
                value_per_conversion=_value_per_conversion(view, steps, goal_stage, window_seconds))


def _value_per_conversion(view, steps, goal_stage: str, window_seconds: int):
    """Today's value per converted customer (module docstring): the net revenue of the customers the stage funnel
    counts at `goal_stage` (their best attempt reached it) / their number; None without revenue or conversions."""
    events = view.events
    if not _has_values(events, "revenue"):
        return None
    progress = _progress(view, steps, window_seconds)
    converted = progress.filter(progress.steps_reached >= list(steps).index(goal_stage) + 1)
    converted = converted.select(converted_id=converted.customer_id)
    per_customer = events.group_by("customer_id").aggregate(revenue=events.revenue.sum())
    spent = converted.left_join(per_customer, converted.converted_id == per_customer.customer_id)
    row = engine.execute(spent.aggregate(revenue=spent.revenue.sum(), customers=spent.count())).iloc[0]
    if not int(row["customers"]) or pd.isna(row["revenue"]):  # no money recorded for any of them: not known
        return None
    return float(row["revenue"]) / int(row["customers"])


def _voice_cells(jm, signals, stages, present, put):
    by_stage = _sentiment_by_stage(signals, stages)
    for row in by_stage.itertuples(index=False):
        if row.group in present and row.n and pd.notna(row.mean):
            put("emotions", row.group, f"{_signed(row.mean)} (n={int(row.n):,})", float(row.mean),
                comments=int(row.n), analysis="mean sentiment by stage (-1..+1)")
    has_text = "text" in signals.columns and signals["text"].notna().any()
    if not has_text:
        return
    written = signals[signals["text"].notna()].groupby("stage")["row_id"].nunique()
    # each stage's quotes are picked from that stage's signals (every signal of an event has its stage)
    at_stage = dict(tuple(signals.groupby("stage", sort=False, observed=True)))
    for s in present:
        if s not in at_stage:
            continue
        picked = []
        for mood in ("negative", "positive"):
            found = _quotes(at_stage[s], s, mood)
            picked += [t for t in found["text"] if t not in picked]
        if not picked:
            found = _quotes(at_stage[s], s, None)
            picked = list(found["text"])
        if picked:
            put("thoughts", s, "\n".join(f"“{t}”" for t in picked[:2]), comments=int(written.get(s, 0)),
                analysis="comments written at this stage (most negative, most positive)")
    try:
        themes = _themes(signals, stages)
    except CJMError:
        return
    for s in present:  # the themes with the most comments written at s, counted at s
        here = themes.assign(here=themes["stage_counts"].map(lambda c: c.get(s, 0)))
        at = here[here["here"] > 0].sort_values(["here", "theme"], ascending=[False, True], kind="stable").head(2)
        if len(at):
            put("pain_points", s, "\n".join(f"{r.theme} ({int(r.here):,} comments)" for r in at.itertuples()),
                comments=int(at["here"].sum()), analysis="themes of negative comments written at this stage")


def _gap_cells(view, present, put):
    best: dict[str, tuple] = {}
    for dimension in ("device", "channel", "department"):
        if not _has_values(view.events, dimension):
            continue
        try:
            found = _gap_stages(view, dimension)
        except CJMError:
            continue
        for row in found.itertuples(index=False):
            lost = 0.0 if pd.isna(row.customers_lost) else float(row.customers_lost)
            rank = (lost, bool(row.customers_compared), int(row.customers))
            if row.stage in present and (row.stage not in best or rank > best[row.stage][0]):
                best[row.stage] = (rank, dimension, row)
    for s, (rank, dimension, row) in best.items():
        if pd.notna(row.conversion_after) and pd.notna(row.conversion_without_switch):
            detail = (f"{_percent(row.conversion_after)} moved on vs {_percent(row.conversion_without_switch)} "
                      f"who stayed")
        else:
            detail = "not comparable"
        put("gaps", s, f"{row.switch} ({dimension}): {_customers(int(row.customers))}; {detail}",
            customers=int(row.customers), analysis=f"{dimension} switch gaps at this stage")


# --- comparing two maps -----------------------------------------------------------------------------

THRESHOLDS = {"conversion": 0.05, "emotions": 0.1, "reached": None, "dropoff": None, "time_in_stage": None}


def compare_maps(left: JourneyMap, right: JourneyMap) -> pd.DataFrame:
    """Where two maps differ: lane, stage, left, right, difference (right - left, numbers only), marked.

    Numbers are marked when conversion differs by 5 points or more, sentiment by 0.1 or more, time in
    stage by a factor of 1.5 or more, customers reached or drop-off in share of the map's customers by 5
    points or more. Text lanes are marked when their first line (the top action, channel, ...) differs."""
    rows = []
    stages = [s.key for s in left.stages if s.key in {t.key for t in right.stages}]
    lanes = [lane.key for lane in left.lanes if lane.key in {x.key for x in right.lanes}]
    n_left = left.baseline.get("customers") or 0
    n_right = right.baseline.get("customers") or 0
    for lane in lanes:
        for stage in stages:
            a, b = left.cell(lane, stage), right.cell(lane, stage)
            if not a.value and not b.value:
                continue
            diff, marked = None, False
            if a.number is not None and b.number is not None:
                diff = b.number - a.number
                if lane == "conversion" or lane == "emotions":
                    marked = abs(diff) >= THRESHOLDS[lane] - 1e-12
                elif lane == "time_in_stage":
                    low, high = sorted([a.number, b.number])
                    marked = high >= 1.5 * low if low > 0 else high > 0
                elif lane in ("reached", "dropoff") and n_left and n_right:
                    marked = abs(b.number / n_right - a.number / n_left) >= 0.05 - 1e-12
            elif lane not in ("thoughts",):
                marked = a.value.split("\n")[0].split(" (")[0] != b.value.split("\n")[0].split(" (")[0]
            rows.append({"lane": lane, "stage": stage, "left": a.value, "right": b.value,
                         "difference": diff, "marked": bool(marked)})
    return pd.DataFrame(rows, columns=["lane", "stage", "left", "right", "difference", "marked"])


def _typed_in(jm: JourneyMap, stage: str) -> bool:
    """Whether a person typed into a cell of `stage` (an assumption or an edit)."""
    return any(row.get(stage) is not None and row[stage].provenance != "data" for row in jm.cells.values())


def refresh(saved: JourneyMap, fresh: JourneyMap) -> JourneyMap:
    """`fresh` (built on today's data) with everything a person did to `saved`: stage names, order and
    visibility, lanes, persona typed by hand, assumption cells, edits (their data value updated to what the
    data says now), targets and activities. Used when a saved map is opened on newer data. A stage hidden because
    nobody had reached it is shown once the newer data reaches it."""
    out = fresh.copy()
    out.template, out.title = saved.template, saved.title
    if saved.persona.provenance != "data":
        out.persona = saved.persona
    fresh_stages = {s.key: s for s in out.stages}
    # a stage the data left hidden (nobody had reached it: not among the saved map's stages with customers) is shown
    # as soon as the newer data reaches it; a stage the person hid stays hidden
    reached_then = saved.baseline.get("stages")
    stages = []
    for s in saved.stages:
        if s.key == WHOLE_DAY and s.key not in fresh_stages and not _typed_in(saved, s.key):
            continue  # the data has times now: its whole-day column (dates without times) goes
        hidden = s.hidden
        if hidden and reached_then is not None and s.key not in reached_then and s.key in fresh_stages:
            hidden = fresh_stages[s.key].hidden
        stages.append(Stage(key=s.key, name=s.name, hidden=hidden, color=(fresh_stages.get(s.key) or s).color))
    added = [s for s in out.stages if s.key not in {x.key for x in saved.stages}]
    whole_day = [s for s in added if s.key == WHOLE_DAY]  # dates without times: the whole day comes first
    out.stages = whole_day + stages + [s for s in added if s.key != WHOLE_DAY]
    out.lanes = [Lane(**vars(lane)) for lane in saved.lanes] + [
        lane for lane in out.lanes if lane.key not in {x.key for x in saved.lanes}]
    for lane, row in saved.cells.items():
        for stage, cell in row.items():
            if cell.provenance == "data":
                continue
            now = out.cells.get(lane, {}).get(stage)
            kept = Cell(**{**vars(cell)})
            if cell.provenance == "edited":
                kept.data_value = now.value if now else None
                kept.data_number = now.number if now else None
                kept.evidence = now.evidence if now else cell.evidence
            out.cells.setdefault(lane, {})[stage] = kept
    # each target keeps the baseline it was set against (a map saved before baselines were kept: its saved figures)
    out.targets = {stage: with_baseline(target, saved, stage) for stage, target in saved.targets.items()}
    out.activities = list(saved.activities)
    if out.template == "future":  # the gap to today is the data's (provenance "data", skipped above): today's again
        refresh_target_cells(out)
    return out
