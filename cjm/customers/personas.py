"""Personas built from data: one per segment, with who they are, how they reach us and their journey.

Event-level parts (preferred channels and devices, the typical journey variant) are Ibis
expressions on the events table joined to the segment membership; demographics come from the
customers side table, and from the events' extra columns named like one that hold one value per customer (a log
whose every row repeats its customer's gender and country: the Data page keeps them as attributes). Goals, needs and
objections are left for people to fill in.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, fields

import ibis
import numpy as np
import pandas as pd

from cjm import engine
from cjm.errors import InsufficientDataError, ParameterError
from cjm.journey.paths import PathParams, compute_variants
from cjm.customers.profiles import compute_feature_differences, name_segments, trait_phrases
from cjm.jsonable import plain as _plain

TOP_PREFERENCES = 3
SEGMENT_COLUMN = "cjm_segment"  # a name no export uses, so cjm.paths finds it in the membership table only
AGE_BANDS = ((0, 18, "under 18"), (18, 25, "18-24"), (25, 35, "25-34"), (35, 45, "35-44"),
             (45, 55, "45-54"), (55, 65, "55-64"), (65, 111, "65+"))
INCOME_BANDS = ((0, 25_000, "under 25,000"), (25_000, 50_000, "25,000-49,999"), (50_000, 75_000, "50,000-74,999"),
                (75_000, 100_000, "75,000-99,999"), (100_000, math.inf, "100,000 and over"))
# Demographic columns recognised by name (normalised: lower case, non-alphanumerics -> "_").
DEMOGRAPHIC_COLUMNS = (
    ("age band", re.compile(r"^(age|customer_age|age_years|age_band|age_group|age_range|agegroup)$")),
    ("age band", re.compile(r"^(year_birth|birth_year|year_of_birth|yob|birthyear)$")),
    ("income", re.compile(r"income|salary")),
    ("gender", re.compile(r"^(gender|sex)$")),
    ("marital status", re.compile(r"marital")),
    ("location", re.compile(r"^(location|city|country|region|state|province|town)$")),
    # B2B: the ideal customer profile is industry, size and region (DOMAIN.md). olist's closed deals carry
    # business_segment and business_type; their personas read "no customer attributes were loaded" before.
    ("industry", re.compile(r"^(industry|sector|vertical|business_segment)$")),
    ("company type", re.compile(r"^(business_type|company_type|account_type)$")),
    ("company size", re.compile(r"^(company_size|employees|employee_count|number_of_employees|headcount)$")),
)


@dataclass
class Persona:
    """A segment told as a person. JSON round trip: Persona.from_dict(p.to_dict()) == p."""

    name: str
    segment: int
    size: int
    share: float
    value: float | None = None  # mean spend per customer
    total_value: float | None = None
    conversion: float | None = None
    sentiment: float | None = None  # mean on -1..+1, over the customers who gave a score or comment
    sentiment_responses: int = 0  # how many of the segment's customers that mean rests on
    demographics: dict[str, str] = field(default_factory=dict)
    preferred_channels: list[str] = field(default_factory=list)
    preferred_devices: list[str] = field(default_factory=list)
    journey: str | None = None  # most common collapsed stage path, e.g. "awareness → conversion"
    journey_share: float | None = None  # share of the segment's customers on that path
    traits: list[str] = field(default_factory=list)  # what sets the segment apart, in words
    pain_point: str | None = None
    goals: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    objections: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Persona":
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ParameterError(f"unknown persona fields {sorted(unknown)}; expected some of {sorted(known)}.")
        missing = {"name", "segment", "size", "share"} - set(data)
        if missing:
            raise ParameterError(f"a persona needs {sorted(missing)}; they are missing.")
        values = dict(data)
        for key in ("demographics",):
            values[key] = dict(values.get(key) or {})
        for key in ("preferred_channels", "preferred_devices", "traits", "goals", "needs", "objections"):
            values[key] = [str(v) for v in values.get(key) or []]
        return cls(**values)




def compute_segment_preferences(
    dataset, *, membership: pd.DataFrame, column: str, top: int = TOP_PREFERENCES
) -> pd.DataFrame:
    """segment, value, events, share: the `top` most used values of `column` per segment (share of events).

    dataset: the Dataset (or a view of it). `membership` has customer_id and segment (as from compute_membership)."""
    events = dataset.events
    members = engine.register(
        pd.DataFrame(
            {
                "customer_id": membership["customer_id"].astype("string").to_numpy(),
                "segment": membership["segment"].to_numpy(dtype="int64"),
            }
        ),
        like=events,
    )
    t = events.filter(events[column].notnull())
    joined = t.join(members, "customer_id")
    counts = joined.group_by(["segment", column]).aggregate(events=joined.count())
    order = ibis.window(group_by="segment", order_by=[ibis.desc("events"), column])
    counts = counts.mutate(
        rank=ibis.row_number().over(order), total=counts.events.sum().over(ibis.window(group_by="segment"))
    )
    out = engine.execute(counts.filter(counts["rank"] < top).order_by(["segment", "rank"]))
    out = out.rename(columns={column: "value"})
    out["share"] = out["events"] / out["total"]
    return out[["segment", "value", "events", "share"]]


def compute_typical_journeys(dataset, *, membership: pd.DataFrame) -> pd.DataFrame:
    """segment, journey, customers, share: each segment's most common journey variant in `dataset` (the
    Dataset or a view of it).

    Variants as on the Journeys page (cjm.paths): a customer's stages ordered by time then file
    order, unmapped events left out, consecutive repeats collapsed, joined with " → "; `share` is
    among the segment's customers with a journey. Event names are used when no event is mapped.
    """
    events = dataset.events
    mapped = events.filter(events.stage_index >= 0)
    level = "stage" if len(engine.execute(mapped.select("row_id").limit(1))) else "event"
    groups = pd.DataFrame(
        {
            "customer_id": membership["customer_id"].astype("string"),
            SEGMENT_COLUMN: membership["segment"].astype("int64").astype(str),
        }
    )
    params = PathParams(level=level, split_by=SEGMENT_COLUMN, max_groups=20)
    variants = compute_variants(dataset, params=params, customers=groups)
    top = variants[(variants["rank"] == 1) & variants["group"].isin(groups[SEGMENT_COLUMN].unique())]
    out = pd.DataFrame(
        {
            "segment": top["group"].astype("int64").to_numpy(),
            "journey": top["path"].to_numpy(),
            "customers": top["customers"].astype("int64").to_numpy(),
            "share": top["share"].astype("float64").to_numpy(),
        }
    )
    return out.sort_values("segment").reset_index(drop=True)


def compute_segment_pain_points(dataset, *, membership: pd.DataFrame, min_count: int = 2) -> dict[int, str]:
    """segment -> its top pain point: the largest theme of its customers' negative comments, with a quote
    ('delivery was late: “Two weeks and still nothing”'). Segments with too few negative comments are left out;
    an empty dict when the events of `dataset` (the Dataset or a view of it) carry no scores or comments."""
    from cjm.voice.painpoints import compute_pain_points
    from cjm.voice.sentiment import compute_signals

    try:
        signals = compute_signals(dataset)
    except InsufficientDataError:
        return {}
    members = membership[["customer_id", "segment"]].assign(customer_id=membership["customer_id"].astype("string"))
    signals = signals.drop(columns=["segment"], errors="ignore").merge(members, on="customer_id", how="inner")
    out = {}
    for segment, mine in signals.groupby("segment", sort=True):
        themes = compute_pain_points(mine.drop(columns="segment"), n_themes=1, min_count=min_count)
        if len(themes):
            top = themes.iloc[0]
            quote = next(iter(top["quotes"]), None)
            text = " ".join(str(quote).split()) if quote else ""
            if len(text) > 140:
                text = text[:139].rstrip() + "…"
            out[int(segment)] = f"{top['theme']}: “{text}”" if text else str(top["theme"])
    return out


def _normalise(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def _band(values: pd.Series, bands) -> pd.Series:
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    for lo, hi, label in bands:
        out = out.mask((values >= lo) & (values < hi), label)
    return out


def _demographic(column) -> bool:
    key = _normalise(column)
    return any(pattern.search(key) for _, pattern in DEMOGRAPHIC_COLUMNS)


def _numbers_when_all_are(values: pd.Series) -> pd.Series:
    """Text cells that all read as numbers ("34", "52000") as numbers, so ages and incomes fall in bands; else as is."""
    if pd.api.types.is_numeric_dtype(values):
        return values
    numbers = pd.to_numeric(values.astype("string").str.strip(), errors="coerce")
    return numbers if numbers.notna().sum() == values.notna().sum() and numbers.notna().any() else values


def demographics_on_events(dataset, *, skip=()) -> pd.DataFrame | None:
    """customer_id and each extra column of the events (Dataset.attributes) named like a demographic
    (DEMOGRAPHIC_COLUMNS) that holds at most one value per customer (a log whose every row repeats its customer's
    gender, age or country): that value. None when there is no such column. `skip`: columns the customers table
    has already (normalised names). One group-by in the engine (min and distinct count per customer)."""
    events = dataset.events
    skip = {_normalise(c) for c in skip}
    extra = [c for c in getattr(dataset, "attributes", ()) or ()
             if c in events.columns and _demographic(c) and _normalise(c) not in skip]
    if not extra:
        return None
    per = events.group_by("customer_id").aggregate(
        **{f"value_{i}": events[c].min() for i, c in enumerate(extra)},
        **{f"values_{i}": events[c].nunique() for i, c in enumerate(extra)})
    found = engine.execute(per)
    kept = {c: _numbers_when_all_are(found[f"value_{i}"]) for i, c in enumerate(extra)
            if not (found[f"values_{i}"] > 1).any()}  # a column that changes within a customer describes events
    if not kept:
        return None
    return pd.DataFrame({"customer_id": found["customer_id"].astype("string"), **kept})


def compute_demographics(dataset, *, membership: pd.DataFrame, as_of_year: int) -> pd.DataFrame:
    """segment, attribute, value, share: the most common age band / income / gender / marital status /
    location (for businesses: industry / company type / company size) per segment, from columns recognised by name
    of the dataset's customers table, else of its events when they hold one value per customer
    (`demographics_on_events`); empty without either."""
    table = None
    if dataset.customers is not None:
        table = engine.execute(dataset.customers)
        if "customer_id" not in table:
            raise InsufficientDataError("the customers table needs a customer_id column to describe personas.")
        table = table.assign(customer_id=table["customer_id"].astype("string")).drop_duplicates("customer_id")
    on_events = demographics_on_events(dataset, skip=() if table is None else table.columns)
    if on_events is not None:
        table = on_events if table is None else table.merge(on_events, on="customer_id", how="outer")
    if table is None:
        return pd.DataFrame(columns=["segment", "attribute", "value", "share"])
    # the customers file may have a `segment` column of its own: the membership's goes under a private name
    members = pd.DataFrame({"customer_id": membership["customer_id"].astype("string"),
                            "_cjm_segment": membership["segment"]})
    joined = members.merge(table, on="customer_id", how="inner")
    rows = []
    used = set()
    for column in table.columns:
        key = _normalise(column)
        for attribute, pattern in DEMOGRAPHIC_COLUMNS:
            if attribute in used or not pattern.search(key):
                continue
            values = joined[column]
            if attribute == "age band" and pd.api.types.is_numeric_dtype(values):
                age = as_of_year - values if "birth" in key or key == "yob" else values
                values = _band(age.astype("float64"), AGE_BANDS)
            elif attribute == "income" and pd.api.types.is_numeric_dtype(values):
                values = _band(values.astype("float64"), INCOME_BANDS)
            else:
                values = values.astype("string").str.strip().mask(lambda s: s == "")
            frame = pd.DataFrame({"segment": joined["_cjm_segment"], "value": values}).dropna()
            if frame.empty:
                continue
            counts = frame.groupby(["segment", "value"]).size().rename("customers").reset_index()
            counts["share"] = counts["customers"] / counts.groupby("segment")["customers"].transform("sum")
            counts = counts.sort_values(["segment", "customers", "value"], ascending=[True, False, True])
            top = counts.drop_duplicates("segment").assign(attribute=attribute)
            rows.append(top[["segment", "attribute", "value", "share"]])
            used.add(attribute)
            break
    if not rows:
        return pd.DataFrame(columns=["segment", "attribute", "value", "share"])
    return pd.concat(rows, ignore_index=True)


def build_personas(
    dataset,
    features: pd.DataFrame,
    labels,
    profiles: pd.DataFrame,
    *,
    names: dict | None = None,
    pain_points: dict | None = None,
    differences: pd.DataFrame | None = None,
) -> list[Persona]:
    """One Persona per segment of `features` (made from `dataset`, the Dataset or a view of it: its events
    give preferences and journeys, its customers table demographics), largest first. `names` defaults to
    name_segments(profiles); `pain_points` optionally maps a segment number or name to its top pain point;
    `differences`: compute_feature_differences of these labels when the caller has it (Segmentation.differences),
    covering at least the profiles' top features."""
    if "customer_id" not in features:
        raise InsufficientDataError("personas need the customer_id column of the customer features.")
    labels = np.asarray(labels)
    if len(labels) != len(features):
        raise ParameterError(f"{len(labels)} labels for {len(features)} customers; pass the labels of these features.")
    names = dict(names) if names is not None else name_segments(profiles)
    events = dataset.events
    membership = pd.DataFrame({"customer_id": features["customer_id"].astype("string"), "segment": labels})
    preferences = {}
    for column in ("channel", "device"):
        present = engine.execute(events.aggregate(n=events[column].count()))["n"].iloc[0]
        preferences[column] = (
            compute_segment_preferences(dataset, membership=membership, column=column) if present else pd.DataFrame()
        )
    journeys = compute_typical_journeys(dataset, membership=membership).set_index("segment")
    as_of = features.attrs.get("as_of")
    year = pd.Timestamp(as_of).year if as_of else pd.Timestamp.now(tz="UTC").year
    demographics = compute_demographics(dataset, membership=membership, as_of_year=year)
    pain_points = pain_points or {}
    if differences is None:
        differences = compute_feature_differences(features, labels)
    by_feature = differences.set_index(["segment", "feature"])
    personas = []
    for _, row in profiles.sort_values(["size", "segment"], ascending=[False, True]).iterrows():
        segment = int(row["segment"])
        name = names.get(segment, f"Segment {segment}")

        def top_values(column):
            frame = preferences[column]
            return [] if frame.empty else [str(v) for v in frame.loc[frame["segment"] == segment, "value"]]

        mine = demographics[demographics["segment"] == segment]
        personas.append(
            Persona(
                name=name,
                segment=segment,
                size=int(row["size"]),
                share=float(row["share"]),
                value=_plain(row.get("value_mean")),
                total_value=_plain(row.get("value_total")),
                conversion=_plain(row.get("conversion")),
                sentiment=_plain(row.get("sentiment")),
                sentiment_responses=int(_plain(row.get("sentiment_responses")) or 0),
                demographics={str(a): str(v) for a, v in zip(mine["attribute"], mine["value"])},
                preferred_channels=top_values("channel"),
                preferred_devices=top_values("device"),
                journey=str(journeys.at[segment, "journey"]) if segment in journeys.index else None,
                journey_share=_plain(journeys.at[segment, "share"]) if segment in journeys.index else None,
                traits=trait_phrases(by_feature.loc[segment].loc[list(row.get("top_features") or ())],
                                     profiles.attrs.get("levels")),
                pain_point=pain_points.get(segment, pain_points.get(name)),
            )
        )
    return personas

