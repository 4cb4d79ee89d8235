"""One row of behavioural features per customer, the input of segmentation (DESIGN.md section 4).

A support contact is decided by the one rule of cjm.data.contacts (shared with cjm.voice.risk and
the KPIs): the department's or stage's words name a support team (support, service, help desk, customer
care, contact centre, ...) or the event name's words say the customer contacted support (support,
ticket, complaint, chat, live chat, ...); "callback_requested" or "chatbot_greeting" are not contacts, nor
are the events following a contact up ("ticket_updated", "ticket_closed", "ticket_reopened": one ticket is
one contact).

Event-level work is one Ibis aggregate (plus one window query for device switches) executed by
DuckDB; only the per-customer result comes back to pandas. Customer attributes (a side table with
one row per customer) are turned into numeric and one-hot features in pandas.

Features that carry no information are dropped, never silently: the returned frame's
`attrs["dropped"]` maps each dropped feature to the reason, and `attrs["notes"]` lists what was
done to the data (for example median imputation). `attrs["as_of"]` is the reference date (ISO); `attrs["constant"]` holds the value of each feature
dropped for being the same for every customer (RFM still needs a constant purchase count; the segment profiles show
it for every segment), and `attrs["constant_partial"]` lists those of them that some customers have no value for
(the same value among the others: sentiment when everyone who gave feedback gave the same); `attrs["constant_holders"]`
names, for each of those, the customers who have the value (a CustomerIds), so the segment profiles count them.
"""

from __future__ import annotations

import re

import ibis
import numpy as np
import pandas as pd

from cjm import engine
from cjm.data.contacts import support_condition, support_values
from cjm.data.reversals import reached_stage_index, reversal_names
from cjm.data.scores import MIXED_COLUMN
from cjm.data.views import data_end, end_source, range_end_of
from cjm.engine.shared import active as sharing
from cjm.errors import CJMError, InsufficientDataError, ParameterError
from cjm.journey.buying import CONVERSION_STAGE, NO_CONVERSION, ONLY_CONVERSIONS, Buying
from cjm.present.formats import format_count

SECONDS_PER_DAY = 86_400
TOP_LEVELS = 5  # channels / devices that get their own share feature
MAX_ONE_HOT = 10  # levels per categorical customer attribute; the rest become "other"
# Up to this many distinct devices, each device's events are counted per customer in the one pass over
# the events, and the customers who used two or more (the only ones whose device switches need their
# events in order) are read from those counts instead of a second pass counting distinct devices.
MAX_COUNTED_DEVICES = 20
ID_NAME = re.compile(r"(^|[_\s])(id|uuid|guid|key)$|^id[_\s]", re.IGNORECASE)


def slug(value: object) -> str:
    """A column-name-safe version of a level: 'Mobile App' -> 'mobile_app'."""
    text = re.sub(r"[^0-9a-zA-Z]+", "_", str(value).strip().lower()).strip("_")
    return text or "blank"


def _as_table(data, what: str, *, like=None):
    if isinstance(data, pd.DataFrame):  # on the backend of `like` (the events), so the two can be joined
        return engine.register(data, like=like)
    if isinstance(data, ibis.Table):
        return data
    raise ParameterError(
        f"{what} must be an Ibis table or a pandas DataFrame; got {type(data).__name__!r}."
    )


def _as_of_stamp(as_of) -> pd.Timestamp | None:
    """`as_of` as a UTC timestamp (naive values read as UTC), kept exact: a float of epoch seconds loses the
    last digits of milliseconds (12:00:00.300 came back as 12:00:00.299999952), which dropped an event at as_of."""
    if as_of is None:
        return None
    try:
        stamp = pd.Timestamp(as_of)
    except (ValueError, TypeError) as exc:
        raise ParameterError(
            f"as_of must be a date such as '2024-03-31'; got {as_of!r}. Leave it empty to use the last event."
        ) from exc
    if pd.isna(stamp):
        raise ParameterError(f"as_of must be a date such as '2024-03-31'; got {as_of!r}.")
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _column_facts(t) -> dict:
    """Which optional columns hold values, and the range of the score column."""
    facts = t.aggregate(
        revenue=t.revenue.count(),
        channel=t.channel.count(),
        device=t.device.count(),
        department=t.department.count(),
        score=t.score.count(),
        score_min=t.score.min(),
        score_max=t.score.max(),
        score_whole=(t.score == t.score.round()).cast("int64").sum(),
        rows=t.count(),
    )
    return engine.execute(facts).iloc[0].to_dict()


def _levels(t, facts) -> dict[str, pd.DataFrame]:
    """Column -> its distinct values (`value`, nulls included) with their events (`n`), for stage, and for
    department, channel and device when they hold values. One query: these few values are matched (the
    support rule) and ranked in pandas instead of testing every event's text (lower-casing and trimming
    every event was a third of the features query on 1M events)."""
    columns = ["stage"] + [c for c in ("department", "channel", "device") if facts[c]]
    parts = []
    for column in columns:
        grouped = t.group_by(column).aggregate(n=t.count())
        parts.append(grouped.select(column=ibis.literal(column), value=grouped[column].cast("string"), n=grouped.n))
    found = engine.execute(ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0])
    return {column: found[found["column"] == column].reset_index(drop=True) for column in columns}


def _top_levels(levels: pd.DataFrame, n: int) -> list[str]:
    """The n most frequent non-null values, ties by value (as ORDER BY n DESC, value would rank them)."""
    known = levels[levels["value"].notna()]
    known = known.sort_values(["n", "value"], ascending=[False, True], kind="stable")
    return [str(v) for v in known["value"].head(n)]


def score_scale(facts: dict) -> tuple[str, float, float] | None:
    """How scores map to -1..1: (label, shift, divisor), or None when no scale reads them. The same reading
    as the Sentiment page (cjm.voice.sentiment.resolve_scale: 1..5 rating, 0..10 NPS, -1..+1 polarity, or
    the scale the data states in facts["stated_scale"]), so a customer's mean sentiment is the same there."""
    from cjm.voice.sentiment import SCALES, resolve_scale

    if not facts["score"]:
        return None
    try:
        name = resolve_scale(facts.get("stated_scale") or "auto", facts["score_min"], facts["score_max"])
    except ParameterError:
        return None
    _, _, mid, half, _, _ = SCALES[name]
    return (SCALE_LABELS[name], mid, half)


SCALE_LABELS = {"rating5": "rating 1-5", "nps10": "NPS 0-10", "ces7": "effort 1-7", "polarity": "polarity -1..+1",
                "halfstar5": "rating 0.5-5", "sat10": "satisfaction 0-10"}


def _unique_names(names: list[str], taken: set[str]) -> list[str]:
    out = []
    for name in names:
        candidate, i = name, 2
        while candidate in taken:
            candidate, i = f"{name}_{i}", i + 1
        taken.add(candidate)
        out.append(candidate)
    return out


def _event_features(t, *, as_of_s, sentiment, facts, dropped, notes, buying: Buying):
    # DuckDB returns epoch seconds with their fraction while ibis types them int32: cast so fractional
    # timestamps (2022-12-13 01:32:00.956) aggregate as the float64 they are. The first and last time
    # are taken before the conversion (once per customer, not per event): the same values.
    def seconds(stamp):
        return stamp.epoch_seconds().cast("float64")

    has_revenue = bool(facts["revenue"])
    levels = _levels(t, facts)
    # Match the patterns once per distinct event name (few), not once per event (millions). (The same
    # query as other report sections', so a report's shared scope runs it once.)
    event_names = engine.execute(t.select("event").distinct())["event"].dropna().astype(str)
    # a support contact: the one rule of cjm.data.contacts (words of the department, stage or event
    # name), applied to the distinct values at hand and matched on the events with isin
    is_support = support_condition(
        t, event=support_values(event_names, "event"), stage=support_values(levels["stage"]["value"].dropna(), "stage"),
        department=support_values(levels["department"]["value"].dropna(), "department") if facts["department"] else [],
        follow_up=support_values(event_names, "follow_up"))

    metrics = {
        "first_s": seconds(t.timestamp.min()),
        "last_s": seconds(t.timestamp.max()),
        "frequency": t.count(),
        # how far the customer got, as the Overview's stage reach counts it: a cancellation, return or refund lifts
        # nobody to its stage (cjm.data.reversals.reversal_names: a refund alone at retention is -1, none)
        "furthest_stage": reached_stage_index(t, reversal_names(event_names)).max(),
        # converted as the Overview's conversion rate counts it (cjm.journey.buying): an event at the conversion
        # stage (a support ticket or a login at retention, without a purchase, is no conversion), or a purchase
        "conversions": t.count(where=buying.converts(t)),
        "before_conversion": buying.before_conversion(t),  # none of anyone: a purchases-only export (not shown)
        "support_contacts": t.count(where=is_support),
    }
    if has_revenue:
        metrics["monetary"] = t.revenue.sum().fill_null(0.0)
    else:
        dropped["monetary"] = "no revenue column (or it is empty): map a revenue/amount column to enable it"

    scale = score_scale(facts)
    if facts.get("mixed_scales") and not facts.get("stated_scale"):
        from cjm.voice.sentiment import score_values

        values = score_values(t, None)  # files loaded together, each read on its own scale
        metrics["score_sum"] = values.sum()
        metrics["score_n"] = values.count()
        notes.append("Scores read on the scale of the file each came from and put on the -1..+1 sentiment scale.")
    elif scale is not None:
        label, shift, divisor = scale
        metrics["score_sum"] = ((t.score - shift) / divisor).sum()
        metrics["score_n"] = t.score.count()
        notes.append(f"Scores read as {label} and put on the -1..+1 sentiment scale.")
    elif facts["score"]:
        notes.append(
            f"Scores range {facts['score_min']:g}..{facts['score_max']:g}, which is not a 1-5 rating, "
            "a 0-10 NPS or a -1..+1 polarity; they were not used for mean_sentiment."
        )

    shares, counted = {}, {}  # counted: device -> its count column
    labels = {}  # share column -> its level as the data writes it ('device_share_iphone' -> 'iPhone')
    taken = set(metrics) | {"purchases", "recency_days", "tenure_days", "converted", "device_switches", "mean_sentiment"}
    for column in ("channel", "device"):
        if not facts[column]:
            dropped[f"{column}_share_*"] = f"no {column} column (or it is empty)"
            continue
        top = _top_levels(levels[column], TOP_LEVELS)
        names = _unique_names([f"{column}_share_{slug(v)}" for v in top], taken)
        for level, name in zip(top, names):
            labels[name] = str(level)
            metrics[f"{name}__n"] = t.count(where=t[column] == level)
            shares[name] = f"{column}__known"
            if column == "device":
                counted[level] = f"{name}__n"
        metrics[f"{column}__known"] = t[column].count()
    device_counts = []  # one count per device (when few): who used two or more is read from them
    if facts["device"]:
        devices = [str(v) for v in levels["device"]["value"].dropna()]
        if len(devices) <= MAX_COUNTED_DEVICES:
            for i, level in enumerate(devices):
                if level not in counted:
                    counted[level] = f"_device_{i}__n"
                    metrics[counted[level]] = t.count(where=t.device == level)
            device_counts = list(counted.values())

    agg = t.group_by("customer_id").aggregate(**metrics)
    if device_counts:
        used = sum((agg[name] > 0).cast("int64") for name in device_counts)
        several = agg.filter(used > 1).select("customer_id")
    else:
        several = None
    # purchases: the orders each customer kept, as the KPIs count them (cjm.journey.buying: an order's line items are
    # one purchase, a cancelled or fully refunded order none), counted on the purchase events alone (a DISTINCT
    # inside the big aggregate was a third of its time). A customer's purchases without a time and without an order
    # id (a session whose Revenue says TRUE: cjm.data.purchases.flagged_purchases) are one more, as line items of
    # one moment are one: without the time they cannot be told apart.
    parts = [buying.purchases(t)]  # per-customer tables joined to the aggregate (one chain of left joins)

    if facts["device"]:
        parts.append(_device_switches(t, several))

    if sentiment is not None:
        signals = _as_table(sentiment, "sentiment", like=t)
        missing = {"customer_id", "value"} - set(signals.columns)
        if missing:
            raise InsufficientDataError(
                f"the sentiment frame needs columns customer_id and value (-1..+1); missing {sorted(missing)}."
            )
        parts.append(signals.filter(signals.value.notnull()).group_by("customer_id").aggregate(
            text_sum=signals.value.sum(), text_n=signals.value.count()
        ))
    joined, columns = agg, [agg[c] for c in agg.columns]
    for i, part in enumerate(parts):
        key = f"_customer_{i}"
        part = part.rename({key: "customer_id"})
        joined = joined.left_join(part, agg.customer_id == part[key])
        columns += [part[c] for c in part.columns if c != key]
    agg = joined.select(*columns)
    frame = engine.execute(agg.order_by("customer_id"))  # customer order makes the final sort cheap
    # Days to the reference (as_of, else the last event of anyone) per customer, on the customers' rows:
    # the same double arithmetic as in the engine.
    last = frame["last_s"].to_numpy(dtype="float64")
    if as_of_s is not None:
        reference = float(as_of_s)
    else:
        reference = float(np.max(last[~np.isnan(last)])) if (~np.isnan(last)).any() else np.nan
    frame["recency_days"] = (reference - last) / SECONDS_PER_DAY
    frame["tenure_days"] = (reference - frame["first_s"].to_numpy(dtype="float64")) / SECONDS_PER_DAY
    frame["as_of_s"] = reference
    frame.attrs["levels"] = labels
    return frame, shares


def _device_switches(t, several=None):
    """Per customer: consecutive events (by time, then file order) whose non-null devices differ.

    Only customers who used two or more devices are sorted; everyone else has no switch. `several`:
    those customers (a customer_id table), when already known (from the per-device counts)."""
    if several is None:
        several = t.group_by("customer_id").aggregate(devices=t.device.nunique())
        several = several.filter(several.devices > 1).select("customer_id")
    t = t.semi_join(several, "customer_id")
    w = ibis.window(group_by="customer_id", order_by=[t.timestamp, t.row_id])
    seq = t.mutate(prev_device=t.device.lag().over(w))
    switched = (seq.device != seq.prev_device).fill_null(False)
    return seq.group_by("customer_id").aggregate(device_switches=switched.cast("int64").sum())


def _finish_event_features(frame: pd.DataFrame, *, stages, shares, dropped, notes,
                           conversion: str | None = "stage", purchases_known: bool = False,
                           before_conversion: bool | None = None) -> pd.DataFrame:
    """`before_conversion`: whether anyone of the loaded data shows themself before converting, for a view
    (cjm.journey.buying.Buying.loaded_before_conversion); None: read on `frame`."""
    out = pd.DataFrame({"customer_id": frame["customer_id"].astype("string")})
    out["recency_days"] = frame["recency_days"].astype("float64")
    out["frequency"] = frame["frequency"].astype("int64")
    purchases = frame["purchases"].fillna(0).astype("int64")
    if purchases.sum() == 0 and purchases_known:
        # the loaded data tells purchases (cjm.journey.buying) and nobody here bought (a filtered view): 0 each, kept
        # (as a constant when the same for all), so RFM scores F on purchases, not on events
        out["purchases"] = purchases
    elif purchases.sum() == 0:
        dropped["purchases"] = (
            "no purchase events identified (no revenue and no event named like purchase or order_completed)"
        )
    elif (purchases == out["frequency"]).all():
        dropped["purchases"] = "the same as frequency: every event is a purchase"
    else:
        out["purchases"] = purchases
    if "monetary" in frame:
        out["monetary"] = frame["monetary"].astype("float64")
    out["tenure_days"] = frame["tenure_days"].astype("float64")
    furthest = frame["furthest_stage"].fillna(-1).astype("int64")
    out["furthest_stage"] = furthest
    if conversion is None:
        # no event of the data is a conversion or a purchase: not 0% converted in every segment, but not known,
        # as the Overview's conversion rate is not shown (cjm.journey.kpis)
        dropped["converted"] = NO_CONVERSION
    elif not (frame["before_conversion"].fillna(0).any() if before_conversion is None else before_conversion):
        # every event a conversion or after one (a purchases-only export): 100% in every segment would say nothing,
        # and the Overview shows no conversion rate either
        dropped["converted"] = ONLY_CONVERSIONS
    else:
        out["converted"] = frame["conversions"].fillna(0).astype("int64") > 0
        if CONVERSION_STAGE not in tuple(stages):
            notes.append("The stage model has no 'conversion' stage: a customer counts as converted after a purchase.")
    if "device_switches" in frame:
        out["device_switches"] = frame["device_switches"].fillna(0).astype("int64")
    else:
        dropped["device_switches"] = "no device column (or it is empty)"
    out["support_contacts"] = frame["support_contacts"].fillna(0).astype("int64")

    total = pd.Series(0.0, index=frame.index)
    count = pd.Series(0.0, index=frame.index)
    for s, n in (("score_sum", "score_n"), ("text_sum", "text_n")):
        if s in frame:
            total = total + frame[s].fillna(0).astype("float64")
            count = count + frame[n].fillna(0).astype("float64")
    if count.sum() > 0:
        out["mean_sentiment"] = (total / count.where(count > 0)).astype("float64")
        without = int((count == 0).sum())
        if without:
            notes.append(
                f"{without:,} customer{'s' if without != 1 else ''} gave no score or comment: "
                "their mean_sentiment is empty (segments are described by those who did; "
                "when most customers have none it is not used to form segments unless picked)."
            )
    else:
        dropped["mean_sentiment"] = "no scores on a known scale and no sentiment signals"

    for name, known in shares.items():
        denominator = frame[known].astype("float64")
        out[name] = (frame[f"{name}__n"].astype("float64") / denominator.where(denominator > 0)).fillna(0.0)
    return out


def _looks_like_dates(values: pd.Series) -> bool:
    sample = values.dropna().astype(str).head(200)
    if sample.empty or not sample.str.contains(r"\d").all():
        return False
    # utc: an ISO week range ("2024-10-28/2024-11-03") reads as a date with an odd zone, and mixed zones raise
    parsed = pd.to_datetime(sample, errors="coerce", format="mixed", utc=True)
    return parsed.notna().mean() > 0.9


def _attribute_features(
    customers, ids: pd.Series, taken: set[str], dropped: dict, notes: list, one_hot: list
) -> pd.DataFrame:
    """Numeric attributes as they are (missing -> median), categorical ones one-hot (names added to `one_hot`)."""
    table = customers if isinstance(customers, pd.DataFrame) else engine.execute(customers)
    if "customer_id" not in table:
        raise InsufficientDataError(
            "the customers table needs a customer_id column to join attributes to customers; "
            f"found columns {list(table.columns)}."
        )
    table = table.copy()
    table["customer_id"] = table["customer_id"].astype("string")
    table = table.drop_duplicates("customer_id")
    joined = pd.DataFrame({"customer_id": ids}).merge(table, on="customer_id", how="left")
    unmatched = int(joined.index.size - ids.isin(table["customer_id"]).sum())
    if unmatched:
        notes.append(f"{unmatched:,} customer{'s' if unmatched != 1 else ''} have no row in the customers table.")
    parts: dict[str, pd.Series] = {}
    imputed: dict[str, pd.Series] = {}  # which customers got the median, per column (spend must not count it)
    for column in table.columns:
        if column == "customer_id":
            continue
        values = joined[column]
        name = column if column not in taken else f"customer_{column}"
        if ID_NAME.search(str(column)):
            dropped[name] = "looks like an identifier"
            continue
        if pd.api.types.is_bool_dtype(values):
            values = values.astype("float64")
        if pd.api.types.is_numeric_dtype(values):
            values = values.astype("float64")
            present = values.dropna()
            if present.empty:
                dropped[name] = "no values"
                continue
            whole = np.all(np.mod(present, 1) == 0)
            dense = present.max() - present.min() < 2 * len(present)
            if present.nunique() == len(present) > 20 and whole and dense:
                dropped[name] = "a different running number for every customer: looks like an identifier"
                continue
            missing = int(values.isna().sum())
            if missing:
                median = float(present.median())
                imputed[name] = values.isna()
                values = values.fillna(median)
                notes.append(
                    f"{column}: {missing:,} customer{'s' if missing != 1 else ''} without a value "
                    f"were given the median ({median:,.6g})."
                )
            parts[name] = values
            continue
        text = values.astype("string").str.strip().mask(lambda s: s == "")
        present = text.dropna()
        if present.empty:
            dropped[name] = "no values"
            continue
        distinct = present.nunique()
        if _looks_like_dates(present):
            dropped[name] = "dates are not used as features (tenure comes from the events)"
            continue
        if distinct > max(50, 0.5 * len(present)) or present.str.len().mean() > 40:
            dropped[name] = "free text or too many distinct values to compare customers"
            continue
        levels = present.value_counts()
        levels = levels.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
        keep = list(levels.index[:MAX_ONE_HOT])
        folded = text.fillna("missing")
        folded = folded.where(folded.isin(keep + ["missing"]), "other")
        if distinct > MAX_ONE_HOT:
            notes.append(
                f"{column}: {distinct} values; the {MAX_ONE_HOT} most common kept, the rest grouped as 'other'."
            )
        dummies = pd.get_dummies(folded, dtype="float64")
        level_names = _unique_names([f"{name}_{slug(level)}" for level in dummies.columns], taken | set(parts))
        for level, level_name in zip(dummies.columns, level_names):
            parts[level_name] = dummies[level]
            one_hot.append(level_name)
    out = pd.DataFrame(parts, index=joined.index)
    out.attrs["imputed"] = imputed
    return out


class CustomerIds:
    """Customer ids kept in a frame's attrs: who has a value of a partial constant. pandas deep-copies attrs on every
    operation and compares them when concatenating, so this read-only set is shared instead of copied (no cost per
    operation, however many customers) and is equal only to itself. Keyed by id, it stays true when rows are
    filtered or reordered."""

    __slots__ = ("ids",)

    def __init__(self, ids) -> None:
        self.ids = pd.Index(pd.unique(pd.Series(ids, dtype="string").dropna()), dtype="string")

    def __deepcopy__(self, memo) -> "CustomerIds":
        return self

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"CustomerIds({format_count(len(self.ids), 'customer')})"

    def isin(self, customer_ids) -> np.ndarray:
        """For each of `customer_ids`, whether it is one of these."""
        return pd.Series(customer_ids, dtype="string").isin(self.ids).to_numpy(dtype=bool)


def _one_value(values: pd.Series) -> bool:
    """values.nunique() <= 1 (NaN aside); for numbers without hashing every value."""
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "biuf":  # plain NumPy numbers and yes/no
        present = values.to_numpy()
        if present.dtype.kind == "f":
            present = present[~np.isnan(present)]
        return not len(present) or bool((present == present[0]).all())
    if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        present = values.dropna().to_numpy()
        return not len(present) or bool((present == present[0]).all())
    return values.nunique(dropna=True) <= 1


def drop_uninformative(frame: pd.DataFrame, dropped: dict) -> pd.DataFrame:
    """Drop feature columns that are all empty or the same for every customer, recording why. For a column the same
    for every customer who has a value (and empty for the others), attrs["constant_holders"] keeps who has it."""
    keep = []
    for column in frame.columns:
        if column == "customer_id":
            keep.append(column)
            continue
        values = frame[column]
        whole = isinstance(values.dtype, np.dtype) and values.dtype.kind in "biu"  # NumPy integers: never missing
        if not (whole and len(values)) and values.isna().all():
            dropped[column] = "no values"
        elif _one_value(values):
            value = values.dropna().iloc[0]
            value = value.item() if hasattr(value, "item") else value
            dropped[column] = f"the same value ({value}) for every customer"
            frame.attrs.setdefault("constant", {})[column] = value
            if values.isna().any():  # the same among those who have a value (the others have none)
                frame.attrs.setdefault("constant_partial", []).append(column)
                holders = CustomerIds(frame["customer_id"][values.notna()]) if "customer_id" in frame else None
                if holders is not None:
                    frame.attrs.setdefault("constant_holders", {})[column] = holders
        else:
            keep.append(column)
    return frame[keep]


def compute_customer_features(
    dataset,
    *,
    as_of=None,
    sentiment=None,
    comments: bool = False,
    max_customers: int | None = None,
    attributes: bool = True,
) -> pd.DataFrame:
    """One row per customer: behaviour from the events, plus attributes from the customers table.

    dataset: the Dataset (or a view of it): its events, stage model and customers table.
    attributes=False leaves the customers table out (behaviour from the events only, as RFM scores it).
    max_customers: above this many customers, a systematic sample of them (engine.sample_customers) is
    described instead, so only that many rows come back from the engine; attrs["sample"] then says
    {"customers": all, "sampled": kept}.

    Columns (each present only when the data can supply it and it varies between customers):
    recency_days and tenure_days (days from the last / first event to `as_of`, default the last
    event in the data, or under a segment, channel, device or date filter the end of the data the view is part of:
    views.data_end;
    events after `as_of` are ignored), frequency (events), purchases (the orders kept, as the
    KPIs' repeat-purchase rate counts them, cjm.journey.buying: events named as a purchase, else events with money;
    one order a moment or an order id, cjm.journey.orders; a cancelled or fully refunded order none),
    monetary (sum of revenue), furthest_stage (0-based index of the latest stage the customer reached, -1 when none;
    as the Overview's stage reach, cjm.journey.reach: a cancellation, return or refund lifts nobody to its stage),
    converted (as the
    Overview's conversion rate counts it, cjm.journey.buying: an event at the "conversion" stage; when the stage
    model has none or no event of the data is at it, a purchase; when there is neither, not available, with the
    Overview's reason in attrs["dropped"]), device_switches (consecutive events whose non-null devices differ),
    support_contacts (events the one rule of cjm.data.contacts calls support contacts, the same rule as
    the at-risk customers' and the KPI's: the words of the department or stage name a support team,
    or the words of the event name say the customer contacted support; words, not substrings),
    mean_sentiment (-1..+1 from scores, plus the optional `sentiment` frame of
    customer_id, value signals), channel_share_<name> / device_share_<name> (share of the customer's
    events with a known channel / device, for the most used ones), and numeric or one-hot customer
    attributes (missing numbers filled with the median; identifiers, dates and free text skipped).
    comments=True also reads the comments that came without a score (text column, VADER for English)
    into mean_sentiment; a score given with a comment outranks the words, as in the Sentiment page's pain
    points (its mean sentiment, unlike this feature, counts both signals of such an event: DESIGN.md section 4).
    tenure_days is dropped when it equals recency_days (every customer active on one day only).
    `attrs["one_hot"]` lists the one-hot columns made from categorical customer attributes.
    """
    stages, customers = dataset.stages, (dataset.customers if attributes else None)
    t, sample = engine.sample_customers(dataset.events, max_customers)
    as_of_stamp = _as_of_stamp(as_of)
    if as_of_stamp is None and (end_source(dataset) is not dataset or range_end_of(dataset) is not None):
        # customers a segment filter selected (or their events of some channels or devices): their recency and
        # tenure count to the end of the data they came from, not to their own last event; under a date filter, to
        # the range's end when the data goes on after it (views.data_end)
        as_of_stamp = data_end(dataset)
    if as_of_stamp is not None:
        t = t.filter(t.timestamp <= ibis.literal(as_of_stamp.to_pydatetime(), type="timestamp('UTC')"))
        as_of_s = as_of_stamp.timestamp()
    else:
        # a sample's recency counts to the last event of the whole data, not of the sampled customers
        end = _last_event(dataset.events) if sample is not None else None
        as_of_s = None if end is None else end.timestamp()
    facts = _column_facts(t)
    from cjm.voice.sentiment import stated_scale

    facts["stated_scale"] = stated_scale(dataset)  # a view's scores on the loaded data's scale
    facts["mixed_scales"] = MIXED_COLUMN in t.columns
    if not facts["rows"]:
        raise InsufficientDataError(
            "no events to describe customers" + (f" on or before as_of={as_of!r}" if as_of is not None else "")
            + ": load events or choose a later as_of date."
        )
    dropped: dict[str, str] = {}
    notes: list[str] = []
    if comments:
        # t holds every event of the dataset (an end of the data from views.data_end is at or after every one)
        whole = sample is None and as_of is None
        read = _comment_sentiment(t, dataset=dataset if whole else None)
        if read is not None:
            if sentiment is not None and not isinstance(sentiment, pd.DataFrame):
                sentiment = engine.execute(sentiment)
            sentiment = read if sentiment is None else pd.concat([sentiment, read], ignore_index=True)
            notes.append(f"{len(read):,} comments without a score were read for their sentiment.")
    buying = Buying.of(dataset)  # who bought and who converted, as on the Overview
    raw, shares = _event_features(t, as_of_s=as_of_s, sentiment=sentiment, facts=facts, dropped=dropped, notes=notes,
                                  buying=buying)
    as_of_iso = (as_of_stamp if as_of_stamp is not None
                 else pd.Timestamp(float(raw["as_of_s"].iloc[0]), unit="s", tz="UTC")).isoformat()
    out = _finish_event_features(raw, stages=stages, shares=shares, dropped=dropped, notes=notes,
                                 conversion=buying.conversion,
                                 purchases_known=bool(buying.purchase) or buying.paid_anywhere,
                                 before_conversion=buying.loaded_before_conversion)
    one_hot: list[str] = []
    if customers is not None:
        attributes = _attribute_features(customers, out["customer_id"], set(out.columns), dropped, notes, one_hot)
        if "monetary" not in out:
            spend = _spend_from_attributes(attributes.drop(columns=one_hot), notes)
            if spend is not None:
                dropped.pop("monetary", None)
                out.insert(out.columns.get_loc("tenure_days"), "monetary", spend.to_numpy())
        out = pd.concat([out, attributes], axis=1)
    out = drop_uninformative(out, dropped)
    constant = out.attrs.get("constant", {})
    if "tenure_days" in out and "recency_days" in out and np.allclose(out["tenure_days"], out["recency_days"]):
        out = out.drop(columns="tenure_days")
        dropped["tenure_days"] = "the same as recency_days: each customer was active on one day only"
    out = out.sort_values("customer_id", kind="stable").reset_index(drop=True)
    out.attrs["dropped"] = dropped
    out.attrs["levels"] = {c: v for c, v in raw.attrs.get("levels", {}).items() if c in out.columns}
    out.attrs["notes"] = notes
    out.attrs["as_of"] = as_of_iso
    out.attrs["one_hot"] = [c for c in one_hot if c in out.columns]
    out.attrs["constant"] = {c: v for c, v in constant.items() if c not in out.columns}
    out.attrs["constant_partial"] = [c for c in out.attrs.get("constant_partial", ()) if c in out.attrs["constant"]]
    holders = out.attrs.get("constant_holders") or {}
    out.attrs["constant_holders"] = {c: holders[c] for c in out.attrs["constant_partial"] if c in holders}
    if sample is not None:
        out.attrs["sample"] = sample
        notes.append(f"Described a sample of {sample['sampled']:,} of {format_count(sample['customers'], 'customer')} "
                     "(every k-th customer by id).")
    return out


def _last_event(events) -> pd.Timestamp | None:
    """The time of the last event of `events` (UTC), None when no event has one."""
    end = engine.execute(events.aggregate(end=events.timestamp.max()))["end"].iloc[0]
    if pd.isna(end):
        return None
    end = pd.Timestamp(end)
    return end.tz_localize("UTC") if end.tzinfo is None else end.tz_convert("UTC")


SPEND_NAME = re.compile(r"^(mnt|amt)|spend|spent|revenue|amount|monetary|lifetime_value|^(ltv|clv)$")
# Money a customer has not spent with you: their own revenue, a forecast, a goal ("declared_monthly_revenue",
# "expected_revenue", "target_amount", "budget", "predicted_lifetime_value").
NOT_SPEND_NAME = re.compile(r"declared|estimat|expected|predict|target|forecast|project|potential|budget|planned|quota"
                            r"|goal|annual_revenue|company_revenue|income|salary")


def _spend_from_attributes(attributes: pd.DataFrame, notes: list) -> pd.Series | None:
    """Spend per customer as the sum of money columns of the customers table (MntWines, total_spend, ...),
    used only when the events carry no revenue. None when there is no such column. A customer without a
    value in any of them has no spend (NaN, shown "–"), not a spend of 0."""
    money = [
        c for c in attributes.columns
        if SPEND_NAME.search(slug(c)) and not NOT_SPEND_NAME.search(slug(c))
        and attributes[c].min() >= 0 and attributes[c].nunique() > 1
    ]
    if not money:
        return None
    notes.append(
        "The events carry no revenue: spend (monetary) is the sum of the customer columns "
        + ", ".join(money) + "."
    )
    imputed = attributes.attrs.get("imputed", {})
    known = pd.DataFrame({c: attributes[c].mask(imputed[c]) if c in imputed else attributes[c] for c in money})
    spend = known.sum(axis=1, min_count=1)
    unknown = int(spend.isna().sum())
    if unknown:
        notes.append(f"{unknown:,} customer{'s have' if unknown != 1 else ' has'} no value in those columns: their "
                     "spend is unknown (left out of spend figures; the segmentation gives them the median).")
    return spend


def comment_sentiment(dataset) -> pd.DataFrame | None:
    """customer_id, value (-1..+1): the sentiment of each comment given without a score in `dataset` (the
    Dataset or a view of it); None when there is none (or no comment could be scored, e.g. none in a
    language the text model reads)."""
    return _comment_sentiment(dataset.events, dataset=dataset)


def _comment_sentiment(events, *, dataset=None) -> pd.DataFrame | None:
    """comment_sentiment of `events`; `dataset`: the Dataset whose events `events` are (all of them)."""
    from cjm.voice.sentiment import SentimentParams, signals_of

    if dataset is not None and sharing():
        # In a shared scope (the report) the sentiment section has read the dataset's signals already: its
        # text signals of events without a score are these comments, in the same order (time, row).
        read = _comments_of_signals(dataset)
        if read is not False:
            return read
    t = events.filter(events.score.isnull() & events.text.notnull() & (engine.trimmed(events.text) != ""))
    if not int(engine.execute(t.aggregate(n=t.count()))["n"].iloc[0]):
        return None
    return _scored_comments(signals_of(t, params=SentimentParams(use_scores=False)))


def _scored_comments(signals: pd.DataFrame, among=True) -> pd.DataFrame | None:
    """customer_id, value of the scored signals (among the rows `among` marks), None when there is none."""
    keep = among & signals["scored"] & signals["value"].notna()
    if not keep.any():
        return None
    return signals.loc[keep, ["customer_id", "value"]].astype({"customer_id": "string", "value": "float64"})


def _comments_of_signals(dataset):
    """The comments without a score among the dataset's signals (compute_signals with the default
    parameters, shared with the sentiment section), or False when those cannot stand in: the signals do
    not compute (a score range no scale reads) or a customers table would join a segment to them."""
    from cjm.voice.sentiment import params_for, signals_of

    customers = dataset.customers
    if customers is not None and "segment" in customers.columns:
        return False
    try:
        signals = signals_of(dataset.events, params=params_for(dataset), customers=customers)
    except InsufficientDataError:  # neither scores nor text: no comments
        return None
    except CJMError:
        return False
    by_text, no_score = signals["source"].eq("text"), signals["score"].isna()
    if (no_score & ~by_text).any():  # a score the engine holds as NaN, not missing: not told apart here
        return False
    return _scored_comments(signals, among=by_text & no_score)


def feature_columns(features: pd.DataFrame) -> list[str]:
    """The numeric (and yes/no) feature columns of a features frame, in order."""
    return [
        c
        for c in features.columns
        if c not in ("customer_id", "segment")
        and (pd.api.types.is_numeric_dtype(features[c]) or pd.api.types.is_bool_dtype(features[c]))
    ]


FEATURE_LABELS = {
    "recency_days": "days since last activity",
    "frequency": "events",
    "purchases": "purchases",
    "monetary": "spend",
    "tenure_days": "days since first activity",
    "furthest_stage": "furthest stage reached",
    "converted": "conversion",
    "device_switches": "device switches",
    "support_contacts": "support contacts",
    "mean_sentiment": "sentiment",
}


# Abbreviated prefixes of CRM exports ("MntWines", "NumWebPurchases", "AmtTotal"), spelt out.
_PREFIXES = {"mnt": "spend on", "amt": "amount of", "num": "number of", "no": "number of", "avg": "average",
             "pct": "share of", "cnt": "number of"}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _spelt_out(name: str) -> str | None:
    """'MntMeatProducts' -> 'spend on meat products'; None when the name has no known abbreviated prefix."""
    words = [w for w in re.split(r"[_\s]+", _CAMEL.sub(" ", name)) if w]
    if len(words) < 2 or words[0].lower() not in _PREFIXES or not words[0][0].isupper():
        return None
    rest = [w.lower() for w in words[1:]]
    if rest[0] == "of" and len(rest) > 1:  # "NoOfVisits"
        rest = rest[1:]
    return " ".join([_PREFIXES[words[0].lower()]] + rest)


def level_of(name: str, levels: dict | None = None) -> str | None:
    """The channel or device a share column counts, as the data writes it (`levels`: the features' attrs["levels"],
    'device_share_iphone' -> 'iPhone'; 'organic_search' -> 'organic search'), else as its column name says
    ('iphone'); None for another feature."""
    for kind in ("channel", "device"):
        prefix = f"{kind}_share_"
        if name.startswith(prefix):
            return ((levels or {}).get(name) or name[len(prefix):]).replace("_", " ")  # a code's '_' read as a space
    return None


def feature_label(name: str, levels: dict | None = None) -> str:
    """A plain-language label for a feature column ('channel_share_email' -> 'share of email events')."""
    if name in FEATURE_LABELS:
        return FEATURE_LABELS[name]
    level = level_of(name, levels)
    if level is not None:
        return f"share of {level} {name.split('_share_')[0]} events"
    return _spelt_out(name) or name.replace("_", " ")


_PHRASES = {  # feature -> (phrase when above average, phrase when below)
    "recency_days": ("longer since last activity", "more recent activity"),
    "tenure_days": ("customers for longer", "newer customers"),
    "frequency": ("more events", "fewer events"),
    "purchases": ("more purchases", "fewer purchases"),
    "monetary": ("higher spend", "lower spend"),
    "converted": ("higher conversion", "lower conversion"),
    "furthest_stage": ("further along the journey", "earlier in the journey"),
    "device_switches": ("more device switches", "fewer device switches"),
    "support_contacts": ("more support contacts", "fewer support contacts"),
    "mean_sentiment": ("more positive sentiment", "more negative sentiment"),
}


def feature_phrase(name: str, above: bool, levels: dict | None = None) -> str:
    """How a segment differs on a feature, in words: ('monetary', True) -> 'higher spend'; a channel or device as the
    data writes it (`levels`: see level_of): 'more iPhone device use'."""
    if name in _PHRASES:
        return _PHRASES[name][0 if above else 1]
    level = level_of(name, levels)
    if level is not None:
        return f"{'more' if above else 'less'} {level} {name.split('_share_')[0]} use"
    label = feature_label(name, levels)
    if label.startswith("number of "):
        return f"{'more' if above else 'fewer'} {label[len('number of '):]}"
    return f"{'higher' if above else 'lower'} {label}"
