"""Journey variants and transitions (DESIGN.md section 4, "Paths and variants").

Definitions used throughout:

* A customer's journey is their events ordered by (timestamp, row_id), labelled by `stage` (level
  "stage"; events still "unmapped" are left out of stage paths) or by raw `event` name (level "event").
  At stage level a reversal (a cancellation, return, refund or chargeback, or a plan cancelled:
  cjm.data.reversals.reversal_names) is no progress to the stage its name is mapped to, as in the funnel and
  the journey map (it lifts nobody to its stage): it is a step of its own named after the event with
  REVERSAL_SUFFIX ("refund (reversal)"), outside the stage order, so visit > purchase > refund reads
  consideration → conversion → refund (reversal), not → retention. A reversal left unmapped is left out, as
  every unmapped event. `start_at` / `end_at` name stages, never such a step.
  Consecutive repeats are collapsed: view, view, cart, view -> view → cart → view.
* `start_at` cuts each journey so it begins at the customer's first occurrence of that name;
  `end_at` cuts it at the first occurrence after the start (inclusive). Customers who never pass
  through `start_at` (or never reach `end_at`) are left out of the analysis.
* A journey variant is the whole collapsed path, joined with " → ". Variants are ranked by customers
  (ties: fewer steps first, then alphabetically). `share` is customers / customers analysed (per group
  when split), `cumulative_share` the running total in rank order.
* Converted: the customer reached the stage named `conversion_stage` within the journey analysed. When no
  event of the data set is mapped to that stage, an event whose name contains one of
  `conversion_events` (case-insensitive, e.g. "purchase", "order") counts instead. The rule in force is
  in `variants.attrs["conversion_rule"]`.
* Transitions A -> B count customers moving directly from A to B (B is the next label after the
  repeats of A). In the flow diagram, step k of a collapsed path sits at position k (1..max_steps), so an
  edge at position k joins step k to step k + 1; `share` is customers / customers at the source node,
  `share_of_all` customers / customers analysed.
* Splitting (`split_by`): "first_channel" is the channel of the customer's first event that has one; any
  other name is first looked up as an events column (value of the first event that has one) and then as
  a column of the dataset's customers table (or of a `customers` table given instead, e.g. "segment" from
  a segments table). Missing values become
  "unknown"; groups beyond the largest `max_groups` are folded into "other". Every frame then has a
  `group` column and every share is within the group.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import ibis
import pandas as pd

from cjm import engine
from cjm.data.reversals import reversal_names, reversals_in
from cjm.data import schema
from cjm.errors import InsufficientDataError, ParameterError
from cjm.present.formats import format_count

ARROW = " → "
REVERSAL = "reversal"
REVERSAL_SUFFIX = f" ({REVERSAL})"  # a stage path's step for a cancellation, return or refund: "refund (reversal)"
LEVELS = ("stage", "event")
COVERAGE_LEVELS = (0.8, 0.95, 0.99)


@dataclass(frozen=True)
class PathParams:
    level: str = "stage"                   # "stage" | "event": what a step of the path is
    max_steps: int = 6                     # positions shown in the flow diagram (2..20)
    min_edge_share: float = 0.01           # flow edges carrying fewer than this share of all customers are hidden
    max_edges: int = 40                    # at most this many flow edges (the largest), 1..500
    drop_dangling: bool = True             # hide flow edges not connected to position 1 after filtering
    start_at: str | None = None            # journeys begin at the first occurrence of this stage/event
    end_at: str | None = None              # journeys end at the first occurrence of this stage/event
    split_by: str | None = None            # None | "segment" | "first_channel" | any column
    top_n: int = 20                        # variants shown in charts and reports (1..200)
    max_groups: int = 8                    # groups beyond the largest max_groups are folded into "other"
    conversion_stage: str = "conversion"   # reaching this stage counts as converted
    conversion_events: tuple[str, ...] = ("purchase", "order")  # fallback when that stage is not mapped

    def __post_init__(self):
        if self.level not in LEVELS:
            raise ParameterError(f'level must be "stage" or "event"; got {self.level!r}. Pick one of the two.')
        _check_int("max_steps", self.max_steps, 2, 20)
        _check_int("max_edges", self.max_edges, 1, 500)
        _check_int("top_n", self.top_n, 1, 200)
        _check_int("max_groups", self.max_groups, 1, 20)
        share = self.min_edge_share
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share < 1:
            raise ParameterError(
                "min_edge_share must be a fraction from 0 up to (not including) 1, e.g. 0.01 for 1%; "
                f"got {share!r}."
            )
        if not isinstance(self.drop_dangling, bool):
            raise ParameterError(f"drop_dangling must be true or false; got {self.drop_dangling!r}.")
        for name in ("start_at", "end_at", "split_by"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise ParameterError(f"{name} must be a name or empty (None); got {value!r}.")
        if not isinstance(self.conversion_stage, str) or not self.conversion_stage.strip():
            raise ParameterError(f"conversion_stage must be a stage name; got {self.conversion_stage!r}.")
        patterns = self.conversion_events
        if isinstance(patterns, str) or not all(isinstance(p, str) and p.strip() for p in patterns):
            raise ParameterError(
                "conversion_events must be a list of event-name fragments such as ['purchase', 'order']; "
                f"got {patterns!r}."
            )
        object.__setattr__(self, "conversion_events", tuple(patterns))

    def to_dict(self) -> dict:
        """Plain JSON values (tuples become lists) for the dashboard spec."""
        return {f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v for f in fields(self)}

    @classmethod
    def from_dict(cls, values: dict) -> PathParams:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ParameterError(f"Unknown path parameter(s) {unknown!r}; expected some of {sorted(known)!r}.")
        return cls(**values)


def _check_int(name: str, value, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ParameterError(f"{name} must be a whole number from {low} to {high}; got {value!r}.")


# ---------------------------------------------------------------------------------------------
# Building blocks (Ibis expressions)


def _order(t):
    return [t.timestamp, t.row_id]


def _labelled(events, params: PathParams):
    """Events with a `label` (null for unmapped events at stage level), cut by start_at / end_at.

    Only cjm's own columns are kept: an export's extra column may bear a name these steps use ('Label' of a
    review export with a Positive / Negative label), and DuckDB's names ignore case, so 'Label' would be
    read in place of `label` and its values would become the journey's steps."""
    t = events.select(*[c for c in events.columns if c in schema.CANONICAL + schema.DERIVED])
    if params.level == "stage":
        label = ibis.ifelse(t.stage_index >= 0, t.stage, ibis.null("string"))
        named = reversals_in(t)
        if named:  # a mapped reversal is no progress to its stage: a step of its own, outside the stage order
            label = ibis.ifelse(t.event.isin(named).fill_null(False) & (t.stage_index >= 0),
                                t.event.cast("string") + REVERSAL_SUFFIX, label)
    else:
        label = t.event
    t = t.mutate(label=label)
    if params.start_at is None and params.end_at is None:
        return t
    t = t.mutate(seq=ibis.row_number().over(ibis.window(group_by=t.customer_id, order_by=_order(t))))
    whole = ibis.window(group_by=t.customer_id)
    if params.start_at is not None:
        t = t.mutate(start_seq=ibis.ifelse(t.label == params.start_at, t.seq, ibis.null("int64")).min().over(whole))
        t = t.filter(t.seq >= t.start_seq)
    else:
        t = t.mutate(start_seq=ibis.literal(-1, "int64"))
    if params.end_at is not None:
        is_end = (t.label == params.end_at) & (t.seq > t.start_seq) if params.start_at else t.label == params.end_at
        t = t.mutate(end_seq=ibis.ifelse(is_end, t.seq, ibis.null("int64")).min().over(whole))
        t = t.filter(t.seq <= t.end_seq)
    return t


def step_stages(dataset, level: str) -> dict[str, str]:
    """{step label: what the flow chart orders and colours it by} for paths of `dataset` at `level`: at event level
    each event's stage, at both levels REVERSAL for a reversal's step (a refund coloured as retention would read as
    retention again). Stage labels not listed stand for themselves. From the dataset's event counts (no query)."""
    counts = dataset.event_counts
    named = reversal_names(counts["event"].dropna().astype(str).unique())
    if level == "stage":
        return {f"{name}{REVERSAL_SUFFIX}": REVERSAL for name in named}
    return dict(zip(counts["event"].astype(str), counts["stage"].astype(str))) | {name: REVERSAL for name in named}


def _runs(labelled):
    """Labelled events with `new_run` = True where the label differs from the previous labelled event."""
    t = labelled.filter(labelled.label.notnull())
    prev = t.label.lag().over(ibis.window(group_by=t.customer_id, order_by=_order(t)))
    return t.mutate(new_run=prev.isnull() | (prev != t.label))


def _steps(labelled):
    """One row per step of each collapsed path: customer_id, label, step (1-based)."""
    runs = _runs(labelled)
    runs = runs.filter(runs.new_run)
    w = ibis.window(group_by=runs.customer_id, order_by=_order(runs))
    return runs.select("customer_id", "label", step=ibis.row_number().over(w) + 1, nxt=runs.label.lead().over(w))


def conversion_rule(events, *, stage: str = "conversion", event_patterns=("purchase", "order")):
    """(per-event boolean expression builder, plain description) of what counts as converted. A cancellation, return
    or refund (cjm.data.reversals.reversal_names) converts nobody, whatever its stage or name ('order_cancelled')."""
    mapped = len(engine.execute(events.filter(events.stage == stage).select("row_id").limit(1))) > 0
    named = reversals_in(events)

    def kept(rule):
        return rule if not named else (lambda t: rule(t) & ~t.event.isin(named).fill_null(False))

    if mapped:
        return kept(lambda t: t.stage == stage), f'reached the "{stage}" stage'
    if not event_patterns:
        raise InsufficientDataError(
            f'No event is mapped to the stage "{stage}" and no conversion event names were given, so conversion '
            "cannot be measured. Map your purchase event to that stage on the Data page."
        )

    def matches(t):
        name = t.event.lower()
        out = ibis.literal(False)
        for pattern in event_patterns:
            out = out | name.contains(pattern.lower())
        return out

    listed = ", ".join(f'"{p}"' for p in event_patterns)
    return kept(matches), f"had an event whose name contains {listed} (no event is mapped to \"{stage}\")"


def _as_table(frame, *, like=None):
    if frame is None or isinstance(frame, ibis.Table):
        return engine.colocate(frame, like=like) if frame is not None and like is not None else frame
    if isinstance(frame, pd.DataFrame):
        if "customer_id" not in frame.columns:
            raise ParameterError(
                f"The customers table needs a customer_id column; found columns {list(frame.columns)!r}."
            )
        out = frame.copy()
        out["customer_id"] = out["customer_id"].astype("string")
        return engine.register(out, like=like)
    raise ParameterError(f"customers must be a table (pandas or Ibis); got {type(frame).__name__!r}.")


def _has_values(table, column: str) -> bool:
    return len(engine.execute(table.filter(table[column].notnull()).select(column).limit(1))) > 0


def customer_groups(events, *, split_by: str, customers=None, max_groups: int = 8):
    """Ibis table customer_id, group for the split described in the module docstring."""
    column = "channel" if split_by == "first_channel" else split_by
    customers = _as_table(customers, like=events)
    if column in events.columns and column != "customer_id" and _has_values(events, column):
        t = events.filter(events[column].notnull())
        t = t.mutate(n=ibis.row_number().over(ibis.window(group_by=t.customer_id, order_by=_order(t))))
        raw = t.filter(t.n == 0).select("customer_id", group=t[column].cast("string"))
    elif split_by != "first_channel" and customers is not None and split_by in customers.columns:
        raw = customers.select(customer_id=customers.customer_id.cast("string"),
                               group=customers[split_by].cast("string"))
    else:
        where = ("the events" if split_by == "first_channel" or customers is None
                 else "the events or the customers table")
        raise InsufficientDataError(
            f'Splitting by "{split_by}" needs a column "{column}" with values in {where}; none was found. '
            "Map that column on the Data page (or run Segments first to split by segment)."
        )
    raw = raw.mutate(group=raw.group.fill_null("unknown"))
    sizes = raw.group_by("group").aggregate(n=raw.customer_id.nunique())
    keep = engine.execute(sizes.order_by([ibis.desc("n"), "group"]).limit(max_groups))["group"].tolist()
    return raw.select("customer_id", group=ibis.ifelse(raw.group.isin(keep), raw.group, "other"))


def _with_groups(table, groups):
    if groups is None:
        return table.mutate(group=ibis.literal("all"))
    joined = table.left_join(groups, table.customer_id == groups.customer_id)
    return joined.select(*[c for c in table.columns], group=joined.group.fill_null("unknown"))


def _groups_for(events, params: PathParams, customers):
    if params.split_by is None:
        return None
    return customer_groups(events, split_by=params.split_by, customers=customers, max_groups=params.max_groups)


def _finish(frame: pd.DataFrame, params: PathParams, sort: list[str]) -> pd.DataFrame:
    frame = frame.sort_values(sort, kind="stable").reset_index(drop=True)
    if params.split_by is None:
        return frame.drop(columns="group")
    return frame[["group"] + [c for c in frame.columns if c != "group"]]


def _require_rows(frame: pd.DataFrame, params: PathParams, what: str) -> None:
    if len(frame):
        return
    if params.start_at is not None or params.end_at is not None:
        raise ParameterError(
            f"No journey passes through start_at={params.start_at!r} / end_at={params.end_at!r} at {params.level} "
            f"level; pick {params.level} names that occur in the data."
        )
    hint = (' (no event is mapped to a stage: map events on the Data page or use level "event")'
            if params.level == "stage" else "")
    raise InsufficientDataError(f"There are no events to build {what} from{hint}.")


# ---------------------------------------------------------------------------------------------
# Variants


def compute_variants(dataset, *, params: PathParams = PathParams(), converted_stage: str | None = None,
                     customers=None) -> pd.DataFrame:
    """Every journey variant, ranked: [group,] rank, path, steps, customers, share, cumulative_share,
    conversion, converted, median_seconds (first to last event of the journey, seconds).

    dataset: the Dataset (or a view of it). All variants are returned (coverage needs the whole
    distribution); charts and reports show the first `params.top_n`. `converted_stage` overrides
    `params.conversion_stage`; `customers` (a table with customer_id, e.g. segment membership) replaces
    the dataset's customers table for `params.split_by`.
    """
    events = dataset.events
    customers = dataset.customers if customers is None else customers
    stage = converted_stage or params.conversion_stage
    is_converted, rule = conversion_rule(events, stage=stage, event_patterns=params.conversion_events)
    labelled = _labelled(events, params)
    converted = labelled.group_by("customer_id").aggregate(converted=is_converted(labelled).any())
    runs = _runs(labelled)
    journeys = runs.group_by("customer_id").aggregate(
        path=engine.ordered_concat(runs, runs.label, ARROW, where=runs.new_run, order_by=_order(runs)),
        steps=runs.new_run.sum(),
        seconds=engine.seconds_between(runs.timestamp.max(), runs.timestamp.min()),
    )
    journeys = journeys.inner_join(converted, "customer_id")
    journeys = _with_groups(journeys, _groups_for(events, params, customers))
    variants = journeys.group_by(["group", "path"]).aggregate(
        steps=journeys.steps.max(),
        customers=journeys.count(),
        converted=journeys.converted.sum(),
        median_seconds=journeys.seconds.median(),
    )
    frame = engine.execute(variants)
    _require_rows(frame, params, "journey variants")
    frame = frame.sort_values(["group", "customers", "steps", "path"], ascending=[True, False, True, True],
                              kind="stable")
    by_group = frame.groupby("group", sort=False)
    totals = by_group["customers"].transform("sum")
    frame["rank"] = by_group.cumcount() + 1
    frame["share"] = frame["customers"] / totals
    frame["cumulative_share"] = by_group["customers"].cumsum() / totals
    frame["conversion"] = frame["converted"] / frame["customers"]
    frame["steps"] = frame["steps"].astype("int64")
    frame["customers"] = frame["customers"].astype("int64")
    frame["converted"] = frame["converted"].astype("int64")
    frame["median_seconds"] = frame["median_seconds"].astype("float64")
    columns = ["group", "rank", "path", "steps", "customers", "share", "cumulative_share", "conversion",
               "converted", "median_seconds"]
    out = _finish(frame[columns], params, ["group", "rank"])
    out.attrs["conversion_rule"] = rule
    return out


def compute_variant_coverage(variants: pd.DataFrame, *, levels=COVERAGE_LEVELS) -> pd.DataFrame:
    """How many variants (the most common first) it takes to cover each share of customers:
    [group,] coverage, variants, customers_total, variants_total."""
    frame = variants if "group" in variants.columns else variants.assign(group="all")
    rows = []
    for group, part in frame.groupby("group", sort=True):
        part = part.sort_values("rank")
        cumulative = part["cumulative_share"].to_numpy()
        for level in levels:
            needed = int((cumulative < level - 1e-12).sum()) + 1
            rows.append({"group": group, "coverage": float(level), "variants": min(needed, len(part)),
                         "customers_total": int(part["customers"].sum()), "variants_total": len(part)})
    out = pd.DataFrame(rows, columns=["group", "coverage", "variants", "customers_total", "variants_total"])
    return out if "group" in variants.columns else out.drop(columns="group")


def single_step_reason(variants: pd.DataFrame, *, level: str = "stage") -> str | None:
    """A plain sentence when no journey has two steps (nothing to draw as a path or flow); None otherwise.

    `variants` is compute_variants output (split or not); `level` names what a step is in the sentence.
    """
    what = "stage" if level == "stage" else "event"
    if variants.empty:
        return f"There are no journeys to show at the {what} level."
    if (variants["steps"] > 1).any():
        return None
    totals = variants.groupby("path", sort=False)["customers"].sum().sort_values(ascending=False, kind="stable")
    customers = int(totals.sum())
    if len(totals) == 1:
        return (f'Every customer has the same one-step journey: "{totals.index[0]}" ({format_count(customers, "customer")}). '
                f"Nobody moves from one {what} to another, so there is no path or flow to draw.")
    listed = ", ".join(f'"{name}"' for name in totals.index[:5]) + (", …" if len(totals) > 5 else "")
    return (f"Every customer's journey is a single {what} ({listed}; {format_count(customers, 'customer')}). "
            f"Nobody moves from one {what} to another, so there is no path or flow to draw.")


def group_order(frame: pd.DataFrame) -> list[str]:
    """Groups of a split compute_transitions / compute_variants frame, largest first ("other" and "unknown"
    after the named groups; ties alphabetically). Empty when the frame is not split."""
    if "group" not in frame.columns or frame.empty:
        return []
    size = "customers_total" if "customers_total" in frame.columns else "customers"
    sizes = (frame.groupby("group")[size].max() if size == "customers_total"
             else frame.groupby("group")[size].sum())
    ranked = sorted(sizes.items(), key=lambda kv: (kv[0] in ("other", "unknown"), -kv[1], str(kv[0])))
    return [str(group) for group, _ in ranked]


# ---------------------------------------------------------------------------------------------
# Transitions


def compute_transitions(dataset, *, params: PathParams = PathParams()) -> pd.DataFrame:
    """Edges of the flow diagram: [group,] position, source, target, customers, share, share_of_all,
    source_customers, target_customers, customers_total, of `dataset` (the Dataset or a view of it).

    position k joins step k of the collapsed paths to step k + 1 (k = 1..max_steps-1). Noise controls,
    applied in this order: edges below `min_edge_share` of all customers, then all but the `max_edges`
    largest, then (with `drop_dangling`) edges not connected to position 1 through the kept edges.
    Node sizes (source_customers, target_customers) always count every customer at that node.
    """
    events = dataset.events
    steps = _with_groups(_steps(_labelled(events, params)), _groups_for(events, params, dataset.customers))
    with steps.filter(steps.step <= params.max_steps).cache() as steps:  # sorted once, counted twice
        nodes = steps.group_by(["group", "step", "label"]).aggregate(n=steps.count())
        moves = steps.filter(steps.nxt.notnull() & (steps.step < params.max_steps))
        edges = moves.group_by(["group", "step", "label", "nxt"]).aggregate(customers=moves.count())
        node_frame = engine.execute(nodes)
        edge_frame = engine.execute(edges).rename(columns={"step": "position", "label": "source", "nxt": "target"})
    _require_rows(node_frame, params, "journey flows")
    totals = node_frame[node_frame["step"] == 1].groupby("group")["n"].sum().rename("customers_total")
    sizes = node_frame.set_index(["group", "step", "label"])["n"]
    edge_frame["source_customers"] = sizes.reindex(
        pd.MultiIndex.from_arrays([edge_frame["group"], edge_frame["position"], edge_frame["source"]])).to_numpy()
    edge_frame["target_customers"] = sizes.reindex(
        pd.MultiIndex.from_arrays([edge_frame["group"], edge_frame["position"] + 1, edge_frame["target"]])).to_numpy()
    edge_frame = edge_frame.join(totals, on="group")
    for column in ("position", "customers", "source_customers", "target_customers", "customers_total"):
        edge_frame[column] = edge_frame[column].astype("int64")
    edge_frame["share"] = edge_frame["customers"] / edge_frame["source_customers"]
    edge_frame["share_of_all"] = edge_frame["customers"] / edge_frame["customers_total"]
    kept = pd.concat([_reduce_noise(part, params) for _, part in edge_frame.groupby("group", sort=True)]
                     or [edge_frame])
    columns = ["group", "position", "source", "target", "customers", "share", "share_of_all",
               "source_customers", "target_customers", "customers_total"]
    return _finish(kept[columns], params, ["group", "position", "customers", "source", "target"]).pipe(
        _customers_first)


def _customers_first(frame: pd.DataFrame) -> pd.DataFrame:
    """Within each position, the largest edges first (stable, readable tables)."""
    keys = (["group"] if "group" in frame.columns else []) + ["position"]
    order = frame.sort_values(keys + ["customers", "source", "target"],
                              ascending=[True] * len(keys) + [False, True, True], kind="stable")
    return order.reset_index(drop=True)


def _reduce_noise(edges: pd.DataFrame, params: PathParams) -> pd.DataFrame:
    edges = edges[edges["share_of_all"] >= params.min_edge_share]
    edges = edges.sort_values(["customers", "position", "source", "target"],
                              ascending=[False, True, True, True], kind="stable").head(params.max_edges)
    if not params.drop_dangling:
        return edges
    reachable = edges[edges["position"] == 1]
    connected = [reachable]
    for position in range(2, params.max_steps):
        arrived = set(connected[-1]["target"])
        connected.append(edges[(edges["position"] == position) & edges["source"].isin(arrived)])
    return pd.concat(connected)


def compute_transition_matrix(dataset, *, params: PathParams = PathParams()) -> pd.DataFrame:
    """[group,] from, to, customers, from_customers, share_of_from over whole collapsed journeys of `dataset`
    (the Dataset or a view of it).

    customers = distinct customers who went directly from `from` to `to` at least once;
    from_customers = distinct customers whose journey contains `from`; share_of_from = their ratio.
    (max_steps and the flow noise controls do not apply; start_at / end_at and split_by do.)
    """
    events = dataset.events
    steps = _with_groups(_steps(_labelled(events, params)), _groups_for(events, params, dataset.customers))
    moves = steps.filter(steps.nxt.notnull())
    pairs = moves.group_by(["group", "label", "nxt"]).aggregate(customers=moves.customer_id.nunique())
    visits = steps.group_by(["group", "label"]).aggregate(from_customers=steps.customer_id.nunique())
    frame = engine.execute(pairs.inner_join(visits, ["group", "label"]))
    frame = frame.rename(columns={"label": "from", "nxt": "to"})
    if not len(frame):
        _require_rows(engine.execute(visits.limit(1)), params, "transitions")
    frame["customers"] = frame["customers"].astype("int64")
    frame["from_customers"] = frame["from_customers"].astype("int64")
    frame["share_of_from"] = frame["customers"] / frame["from_customers"]
    frame = frame[["group", "from", "to", "customers", "from_customers", "share_of_from"]]
    return _finish(frame, params, ["group", "from", "to"])
