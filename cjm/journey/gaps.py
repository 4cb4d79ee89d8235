"""Gaps: where customers switch device, channel or department (DESIGN.md section 4, "Gaps").

Exact definitions (dimension = device, channel or department):

* A customer's events are ordered by (timestamp, row_id). A **switch** is a pair of consecutive events
  (event i-1, event i) whose dimension values are both present and differ; its type is
  "<value at i-1> → <value at i>", e.g. "mobile → desktop". An event with no value in between breaks
  the pair: mobile, (none), desktop is not a switch.
* The **stage at the switch** is the stage of event i-1, the last event before the switch.
* `customers`: distinct customers who made that switch at least once (at any stage, mapped or not).
  `seconds`: median time between event i-1 and event i over every occurrence. `stage`: the stage at
  which the most of those customers made it (ties: the earlier stage, a stage of the model before events
  mapped to none: the stage where they are compared); `compute_gap_stages` gives the
  count at every stage.
* A reversal (a cancellation, return or refund: cjm.data.reversals) is read as an unmapped event: it lifts nobody
  to its stage (as the stage reach reads it), so a refund after a switch is no move on.
* Conversion is "reached the next stage afterwards": a customer who switched at stage S (S mapped and
  not the last stage of the model) converted after the switch when event i or any later event has a
  stage later than S (the next stage or beyond). Each customer is compared once per switch type, at
  their first such switch at a stage that has a next stage (`customers_compared`).
* `conversion_after`: share of those customers who reached a later stage after the switch.
* `conversion_without_switch`: the comparison group at the same stage. For stage S it is the share of
  customers who had an event at S, made no switch of this dimension (of any type) at S, and reached a
  later stage after their first event at S. For a switch type, the stage rates are averaged with the
  switchers' stages as weights, so switchers are compared with stayers at the very stages where they
  switched. Switchers at a stage where nobody stayed are not compared.
* `difference_points` = (conversion_after - conversion_without_switch) x 100 (negative: switchers do
  worse). `customers_lost` = customers_compared x max(0, conversion_without_switch - conversion_after):
  an estimate of how many more of the switchers would have moved on had they done as well as those who
  stayed. Rows are ranked by customers_lost, then customers.
* `route_forward`: some switchers moved on but no customer who stayed did (conversion_without_switch is
  0). This happens when the data's journeys cannot reach the next stage without that change (e.g. every
  customer at retention has an invoice from billing and every loyalty event belongs to marketing or
  sales): the switch is the way forward, not a gap, and its summary says so. `route_forward_note`
  explains it in one paragraph for a page.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import pandas as pd

from cjm import engine
from cjm.data.reversals import reached_stage_index, reversal_names
from cjm.engine.shared import active as _sharing
from cjm.engine.shared import remember
from cjm.errors import InsufficientDataError, ParameterError
from cjm.present.formats import format_number, format_percent, format_count

ARROW = " → "
DIMENSIONS = ("device", "channel", "department")


@dataclass(frozen=True)
class GapParams:
    dimension: str = "device"   # "device" | "channel" | "department"
    min_customers: int = 5      # switch types made by fewer customers are not listed (1..1,000,000)

    def __post_init__(self):
        if self.dimension not in DIMENSIONS:
            raise ParameterError(
                f"dimension must be one of {', '.join(DIMENSIONS)}; got {self.dimension!r}."
            )
        value = self.min_customers
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1_000_000:
            raise ParameterError(f"min_customers must be a whole number from 1 to 1,000,000; got {value!r}.")

    def to_dict(self) -> dict:
        return {"dimension": self.dimension, "min_customers": self.min_customers}

    @classmethod
    def from_dict(cls, values: dict) -> GapParams:
        unknown = sorted(set(values) - {"dimension", "min_customers"})
        if unknown:
            raise ParameterError(f"Unknown gap parameter(s) {unknown!r}; expected dimension and min_customers.")
        return cls(**values)


def check_inputs(events, params: GapParams, stages) -> int:
    if isinstance(stages, str) or len(tuple(stages)) < 2:
        raise ParameterError(f"Gaps need a stage model of at least two stages in order; got stages {tuple(stages)!r}. "
                             "Pick a stage model with two or more stages on the Data page.")
    column = params.dimension
    present = engine.execute(events.filter(events[column].notnull()).select(column).limit(1))
    if not len(present):
        raise InsufficientDataError(
            f'Gaps by {column} need a "{column}" column with values; the data has none. '
            f"Map a {column} column on the Data page to see where customers switch {column}."
        )
    return len(tuple(stages))


def _annotated(events, dimensions):
    """Every event with the previous event's stage and time, the furthest stage from here on, and for each of
    `dimensions` its value and the previous event's value (one sort of every customer's events for all)."""
    t = events
    ordered = ibis.window(group_by=t.customer_id, order_by=[t.timestamp, t.row_id])
    from_here = ibis.window(group_by=t.customer_id, order_by=[t.timestamp, t.row_id], preceding=0, following=None)
    values = {}
    for dimension in dimensions:
        values[f"value_{dimension}"] = t[dimension]
        values[f"prev_{dimension}"] = t[dimension].lag().over(ordered)
    return t.select(
        "customer_id", "timestamp", "row_id", "stage_index",
        seq=ibis.row_number().over(ordered),
        prev_stage_index=t.stage_index.lag().over(ordered),
        prev_time=t.timestamp.lag().over(ordered),
        later_max=t.stage_index.max().over(from_here),
        **values,
    )


def _facts(events, dimensions, n_stages: int):
    """What every gap figure is counted from, one table for all `dimensions`: a row per switch (`dimension`
    set; from_value, to_value, the stage before it, seconds, progressed, `seq`: the event's position in
    the customer's journey) and a row per customer and stage with a next stage (`dimension` null: `progressed`
    says whether the customer reached a later stage from their first event at that stage on)."""
    a = _annotated(events, dimensions)
    parts = []
    for dimension in dimensions:
        before, after = a[f"prev_{dimension}"], a[f"value_{dimension}"]
        s = a.filter(before.notnull() & after.notnull() & (before != after))
        parts.append(s.select(
            dimension=ibis.literal(dimension, "string"),
            customer_id=s.customer_id, seq=s.seq,
            from_value=s[f"prev_{dimension}"], to_value=s[f"value_{dimension}"],
            stage_index=s.prev_stage_index,
            seconds=engine.seconds_between(s.timestamp, s.prev_time),
            progressed=s.later_max > s.prev_stage_index,
        ))
    t = a.filter((a.stage_index >= 0) & (a.stage_index < n_stages - 1))
    # The furthest stage from the first event at each stage on (arg-min over the event's position).
    arrivals = t.group_by(["customer_id", "stage_index"]).aggregate(later_max=t.later_max.argmin(t.seq))
    like = parts[0]
    parts.append(arrivals.select(
        dimension=ibis.null("string"), customer_id=arrivals.customer_id, seq=ibis.null(like.seq.type()),
        from_value=ibis.null(like.from_value.type()), to_value=ibis.null(like.to_value.type()),
        stage_index=arrivals.stage_index.cast(like.stage_index.type()),
        seconds=ibis.null(like.seconds.type()),
        progressed=arrivals.later_max > arrivals.stage_index,
    ))
    return ibis.union(*parts)


def _gap_frames(events, dimension: str, n_stages: int, *which: str) -> dict[str, pd.DataFrame]:
    """The `which` frames ("gaps": per switch type, "stages": per switch type and stage) counted for every
    dimension at once from `_facts`, which exists only while they are counted (one query counts both frames;
    counting them straight from the sorted events in the same query held ~180 MB more on 1M events). Inside an
    engine `shared()` scope (the report) the facts cover every dimension the events have and both frames
    are counted the first time, so every later gap call of the scope (the gaps section, the journey map)
    reuses them; outside, the facts of `dimension` alone."""
    reached = _reached(events)
    if _sharing():
        dimensions = tuple(d for d in DIMENSIONS if d in events.columns)
        facts = _facts(reached, dimensions, n_stages)
        found = remember(("cjm.journey.gaps", n_stages, facts), lambda: _count(facts, events, n_stages))
        return {name: found[name].copy() for name in which}
    found = _count(_facts(reached, (dimension,), n_stages), events, n_stages)
    return {name: found[name] for name in which}


def _reached(events):
    """`events` with each reversal's stage_index -1, as an unmapped event's: a cancellation, return or refund
    (cjm.data.reversals.reversal_names) lifts nobody to its stage, so it is no move on to a later stage after a switch,
    no arrival at its stage and no stage a switch is made at (the stage reach's rule, one for how far customers got)."""
    mapped = events.filter(events.stage_index >= 0)
    named = reversal_names(engine.execute(mapped.select("event").distinct())["event"].dropna())
    return events.mutate(stage_index=reached_stage_index(events, named)) if named else events


STAGE_COLUMNS = ["dimension", "switch", "stage", "stage_index", "customers", "customers_compared", "moved_on",
                 "expected"]
GAP_COLUMNS = ["dimension", "switch", "from_value", "to_value", "customers", "seconds", "customers_compared",
               "moved_on", "expected", "stage", "stage_index"]


def _count(facts, events, n_stages: int) -> dict[str, pd.DataFrame]:
    """Both frames from one query over the facts (written once, dropped at once): the rows of "stages" and
    of "gaps" stacked (`_kind` tells them apart). The facts carry stage positions only (a stage name is a
    string every window row would carry); the names are put on the counted rows."""
    with facts.cache() as table:
        frame = engine.execute(_frames_query(table, n_stages))
    names = engine.execute(events.group_by("stage_index").aggregate(stage=events.stage.min()))
    frame["stage"] = frame["stage_index"].map(dict(zip(names["stage_index"], names["stage"]))).astype(names["stage"].dtype)
    kinds = frame.pop("_kind")
    return {name: frame[kinds == name][columns].reset_index(drop=True)
            for name, columns in (("stages", STAGE_COLUMNS), ("gaps", GAP_COLUMNS))}


def _one(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """The rows of `dimension` of a frame counted for every dimension at once."""
    return frame[frame["dimension"] == dimension].drop(columns="dimension").reset_index(drop=True)


def _firsts(switches):
    """One row per dimension, customer, switch type (from_value, to_value) and stage where they made it:
    `first`, the position of their first such switch there, and whether they moved on after it (a grouped
    arg-min, no sort)."""
    keys = ["dimension", "customer_id", "from_value", "to_value", "stage_index"]
    return switches.group_by(keys).aggregate(first=switches.seq.min(),
                                             progressed=switches.progressed.argmin(switches.seq))


def _stayer_rates(arrivals, firsts):
    """Per dimension and stage with a next stage: customers at the stage who made no switch of that dimension
    there (`stayed`: every customer who arrived at the stage less those who switched there), and how many of
    them moved on; stages where nobody stayed are left out."""
    switched = firsts.select("dimension", "customer_id", "stage_index").distinct()
    everyone = arrivals.group_by("stage_index").aggregate(
        arrived=arrivals.count(), arrived_progressed=arrivals.progressed.cast("int64").sum())
    mixed = arrivals.inner_join(switched, ["customer_id", "stage_index"])
    switchers = mixed.group_by(["dimension", "stage_index"]).aggregate(
        switched=mixed.count(), switched_progressed=mixed.progressed.cast("int64").sum())
    grid = switched.select("dimension").distinct().cross_join(everyone)
    both = grid.left_join(switchers, [grid.dimension == switchers.dimension, grid.stage_index == switchers.stage_index])
    rates = both.select(
        dimension=grid.dimension, stage_index=grid.stage_index,
        stayed=grid.arrived - switchers.switched.fill_null(0),
        stayed_progressed=grid.arrived_progressed - switchers.switched_progressed.fill_null(0),
    )
    rates = rates.filter(rates.stayed > 0)
    return rates.mutate(baseline=rates.stayed_progressed.cast("float64") / rates.stayed)


def _compared(firsts, rates, keys):
    """Customers compared per `keys` (each at their first comparable switch, already picked in `firsts`), with
    the stayers' rate at its stage; stages where nobody stayed compare nobody."""
    s = firsts.inner_join(rates.select("dimension", "stage_index", "baseline"), ["dimension", "stage_index"])
    return s.group_by(keys).aggregate(
        customers_compared=s.count(),
        moved_on=s.progressed.cast("int64").sum(),
        expected=s.baseline.sum(),
    )


def _frames_query(facts, n_stages: int):
    """The "stages" and "gaps" rows of every dimension, stacked: per switch type and stage, customers who
    switched there and how they compare; per switch type, customers, median seconds, how they compare and the
    stage where the most of them switched (every type: min_customers is applied by the caller)."""
    switches = facts.filter(facts.dimension.notnull())
    arrivals = facts.filter(facts.dimension.isnull()).select("customer_id", "stage_index", "progressed")
    firsts = _firsts(switches)
    rates = _stayer_rates(arrivals, firsts)
    comparable = (firsts.stage_index >= 0) & (firsts.stage_index < n_stages - 1)
    pair = ["dimension", "from_value", "to_value"]  # a switch type; its label is made on the counted rows

    # per switch type and stage: every customer who made it there (once), the comparable ones compared
    keys = [*pair, "stage_index"]
    counts = firsts.group_by(keys).aggregate(customers=firsts.count())
    compared = _compared(firsts.filter(comparable), rates, keys)
    at_stage = counts.left_join(compared, [counts[k] == compared[k] for k in keys])
    at_stage = at_stage.select(*[counts[k] for k in pair], counts.stage_index, counts.customers,
                               compared.customers_compared, compared.moved_on, compared.expected)

    # per switch type: each customer's first comparable switch of that type, at whichever stage
    per_customer = firsts.group_by(["dimension", "customer_id", "from_value", "to_value"]).aggregate(
        stage_index=firsts.stage_index.argmin(firsts.first, where=comparable),
        progressed=firsts.progressed.argmin(firsts.first, where=comparable),
    )
    customers = per_customer.group_by(pair).aggregate(customers=per_customer.count())
    compared = _compared(per_customer.filter(per_customer.stage_index.notnull()), rates, pair)
    seconds = switches.group_by(pair).aggregate(seconds=switches.seconds.median())
    busiest = ibis.window(group_by=[at_stage[k] for k in pair],
                          order_by=[ibis.desc(at_stage.customers), at_stage.stage_index < 0, at_stage.stage_index])
    modal = at_stage.mutate(k=ibis.row_number().over(busiest))
    modal = modal.filter(modal.k == 0).select(*pair, "stage_index")
    overall = customers.inner_join(seconds, pair)
    joined = overall.left_join(compared, [overall[k] == compared[k] for k in pair]).select(
        *[overall[k] for k in pair], overall.customers, overall.seconds,
        compared.customers_compared, compared.moved_on, compared.expected)
    per_switch = joined.left_join(modal, [joined[k] == modal[k] for k in pair]).select(
        *[joined[c] for c in joined.columns], modal.stage_index)

    columns = dict.fromkeys(c for c in GAP_COLUMNS + STAGE_COLUMNS if c != "stage")
    stacked = []
    for kind, table in (("stages", at_stage), ("gaps", per_switch)):
        table = table.mutate(switch=table.from_value.concat(ARROW, table.to_value))
        stacked.append(table.select(_kind=ibis.literal(kind, "string"), **{
            c: table[c] if c in table.columns else ibis.null(per_switch[c].type() if c in per_switch.columns
                                                             else at_stage[c].type())
            for c in columns}))
    return ibis.union(*stacked)


def _rates(frame: pd.DataFrame) -> pd.DataFrame:
    compared = frame["customers_compared"].fillna(0).astype("int64")
    frame["customers_compared"] = compared
    with_rows = compared.where(compared > 0)
    frame["conversion_after"] = frame["moved_on"] / with_rows
    frame["conversion_without_switch"] = frame["expected"] / with_rows
    frame["difference_points"] = (frame["conversion_after"] - frame["conversion_without_switch"]) * 100
    gap = (frame["conversion_without_switch"] - frame["conversion_after"]).clip(lower=0)
    frame["customers_lost"] = (compared * gap).fillna(0.0)
    frame["route_forward"] = ((compared > 0) & frame["conversion_without_switch"].eq(0)
                              & frame["conversion_after"].gt(0)).astype(bool)
    return frame.drop(columns=["moved_on", "expected"])


def compute_gap_stages(dataset, *, params: GapParams = GapParams()) -> pd.DataFrame:
    """Where in the journey each switch happens: switch, stage, stage_index, customers (distinct customers
    who made it at that stage), customers_compared, conversion_after, conversion_without_switch,
    difference_points, customers_lost, route_forward (as in the module docstring, restricted to that stage).

    dataset: the Dataset (or a view of it); its stage model says which stage comes next."""
    n_stages = check_inputs(dataset.events, params, dataset.stages)
    return _stages_frame(_gap_frames(dataset.events, params.dimension, n_stages, "stages")["stages"], params)


def compute_gaps(dataset, *, params: GapParams = GapParams()) -> pd.DataFrame:
    """One row per switch type made by at least `params.min_customers` customers, ranked by customers lost:
    switch, from_value, to_value, customers, stage, next_stage, seconds, customers_compared,
    conversion_after, conversion_without_switch, difference_points, customers_lost, route_forward, summary.

    dataset: the Dataset (or a view of it); its stage model says which stage comes next."""
    n_stages = check_inputs(dataset.events, params, dataset.stages)
    found = _gap_frames(dataset.events, params.dimension, n_stages, "gaps")["gaps"]
    return _gaps_frame(found, params, tuple(dataset.stages), n_stages)


def compute_gaps_and_stages(dataset, *, params: GapParams = GapParams()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(compute_gaps, compute_gap_stages) from one pass over the events: the Gaps page shows both."""
    n_stages = check_inputs(dataset.events, params, dataset.stages)
    found = _gap_frames(dataset.events, params.dimension, n_stages, "gaps", "stages")
    return (_gaps_frame(found["gaps"], params, tuple(dataset.stages), n_stages),
            _stages_frame(found["stages"], params))


def _stages_frame(counted: pd.DataFrame, params: GapParams) -> pd.DataFrame:
    frame = _rates(_one(counted, params.dimension))
    frame["customers"] = frame["customers"].astype("int64")
    frame["stage_index"] = frame["stage_index"].astype("int64")
    return frame.sort_values(["switch", "stage_index"], kind="stable").reset_index(drop=True)


def _gaps_frame(counted: pd.DataFrame, params: GapParams, stages: tuple, n_stages: int) -> pd.DataFrame:
    frame = _one(counted, params.dimension)
    frame = _rates(frame[frame["customers"] >= params.min_customers].reset_index(drop=True))
    frame["next_stage"] = [
        stages[int(i) + 1] if pd.notna(i) and 0 <= int(i) < n_stages - 1 else None for i in frame["stage_index"]
    ]
    frame["customers"] = frame["customers"].astype("int64")
    frame["seconds"] = frame["seconds"].astype("float64")
    frame["summary"] = [_summary(row, params.dimension) for row in frame.itertuples(index=False)]
    # ranked on customers lost to 9 decimals: 2 x (5/6 - 1/2) and 1 x 2/3 are the same 2/3, rounded apart
    frame = frame.assign(_lost=frame["customers_lost"].round(9)).sort_values(
        ["_lost", "customers", "switch"], ascending=[False, False, True], kind="stable")
    columns = ["switch", "from_value", "to_value", "customers", "stage", "next_stage", "seconds",
               "customers_compared", "conversion_after", "conversion_without_switch", "difference_points",
               "customers_lost", "route_forward", "summary"]
    return frame[columns].reset_index(drop=True)


def _summary(row, dimension: str = "device") -> str:
    moved = f"Customers who moved from {row.from_value} to {row.to_value}"
    if not row.customers_compared or pd.isna(row.conversion_after):
        return (f"{format_count(row.customers, 'customer')} moved from {row.from_value} to {row.to_value}; they cannot be compared "
                "(they switched at the last or an unmapped stage, or nobody at that stage stayed).")
    if row.route_forward:
        return (f"{moved} reached the next stage {format_percent(row.conversion_after)} of the time; no customer at the same "
                f"stage who kept the same {dimension} did, so this switch is the way forward, not a gap")
    points = row.difference_points
    rates = f"({format_percent(row.conversion_after)} vs {format_percent(row.conversion_without_switch)} reached the next stage)"
    if abs(points) < 0.05:
        return f"{moved} converted as often as those who stayed {rates}"
    direction = "less" if points < 0 else "more"
    return f"{moved} converted {format_number(abs(points), 1)} points {direction} than those who stayed {rates}"


def route_forward_note(gap_stages: pd.DataFrame, *, dimension: str) -> str | None:
    """A paragraph explaining the route-forward switches of `compute_gap_stages` output (None when none)."""
    rows = gap_stages[gap_stages["route_forward"]] if "route_forward" in gap_stages.columns else gap_stages.iloc[0:0]
    if rows.empty:
        return None
    stages = list(dict.fromkeys(rows.sort_values("stage_index")["stage"]))
    where = stages[0] if len(stages) == 1 else ", ".join(stages[:-1]) + " and " + stages[-1]
    examples = ", ".join(rows.sort_values("customers", ascending=False)["switch"].head(3))
    return (f"At {where}, no customer who kept the same {dimension} moved on to a later stage: in this data, "
            f"every customer who moved on from there changed {dimension} on the way (e.g. {examples}). "
            f"So \"without a switch\" shows 0.0% there. That is not an error: those switches are the way forward "
            "rather than gaps, so they never count as costing customers.")
