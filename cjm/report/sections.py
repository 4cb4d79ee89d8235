"""Every section of the report in one place: each runs the analyses and returns plain JSON types.

The analyses never import this module; it imports them (DESIGN.md section 2).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from cjm import engine
from cjm.customers.features import compute_customer_features
from cjm.customers.segments import KEY_FEATURES, SegmentParams, build_segmentation
from cjm.errors import InsufficientDataError
from cjm.journey import gaps, reach
from cjm.journey.abandonment import compute_abandonment, compute_checkout_abandonment
from cjm.journey.funnel import FunnelParams, compute_funnel
from cjm.journey.kpis import compute_kpis
from cjm.journey.paths import PathParams, compute_variants
from cjm.jsonable import plain as _plain
from cjm.maps import build_current_map
from cjm.voice.painpoints import compute_pain_points
from cjm.voice.risk import compute_at_risk
from cjm.voice.sentiment import (MIXED_SCALES, SentimentParams, compute_overall, compute_sentiment_by, compute_signals,
                                 scales_by_file)


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _number(value):
    return None if pd.isna(value) else float(value)


def _unit_value(value, unit: str):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(round(value)) if unit == "count" else float(value)


def _has_values(table, column: str) -> bool:
    return len(engine.execute(table.filter(table[column].notnull()).select(column).limit(1))) > 0


def funnel_section(dataset, *, params: FunnelParams) -> dict:
    """{"funnel": [...]} for `python -m cjm report` (DESIGN.md section 9), plain JSON types."""
    frame = compute_funnel(dataset, params=replace(params, breakdown=None))
    keys = ["step", "customers", "conversion_from_previous", "conversion_from_first",
            "median_seconds_from_previous", "dropped"]
    rows = []
    for record in frame[keys].to_dict("records"):
        rows.append({
            key: (None if isinstance(value, float) and math.isnan(value) else
                  int(value) if key in ("customers", "dropped") else
                  float(value) if isinstance(value, (float, np.floating)) else str(value))
            for key, value in record.items()
        })
    return {"funnel": rows}


def abandonment_section(dataset, *, params: FunnelParams | None = None) -> dict:
    """{"abandonment": {"steps", "by_stage", "checkout", "checkout_abandonment_rate"}, "kpis": {...}}
    (DESIGN.md section 9). `params` is the funnel (default: the stages that occur in the data,
    Dataset.present_stages); "by_stage" is the abandonment over those stages, in model order. Parts
    that cannot run are left out, with the reason under "skipped"; on data without dates the whole
    "abandonment" is (its one reason under "skipped"), the KPIs are still given."""
    window = params.window_seconds if params is not None else 604800
    section: dict = {}
    skipped: dict[str, str] = {}
    present = dataset.present_stages
    stage_params = FunnelParams(steps=present, step_kind="stage", window_seconds=window) if 2 <= len(present) <= 10 else None
    try:
        if stage_params is not None:
            section["by_stage"] = _records(compute_abandonment(dataset, params=stage_params))
        else:
            skipped["by_stage"] = "fewer than two journey stages occur in the data"
        params = params or stage_params
        if params is not None:  # the same funnel as by_stage (the usual default) is computed once
            section["steps"] = (section["by_stage"] if params == stage_params
                                else _records(compute_abandonment(dataset, params=params)))
    except InsufficientDataError as error:  # no dates (funnel.validate.check_dated): no window ever closes
        return {**kpis_section(dataset, window_seconds=window), "skipped": {"abandonment": str(error)}}
    try:
        checkout = compute_checkout_abandonment(dataset, window_seconds=window)
        section["checkout"] = checkout
        section["checkout_abandonment_rate"] = checkout["rate"]
    except InsufficientDataError as error:
        skipped["checkout_abandonment_rate"] = str(error)
    if skipped:
        section["skipped"] = skipped
    return {"abandonment": section, **kpis_section(dataset, window_seconds=window)}


def kpis_section(dataset, *, window_seconds: int = 604800) -> dict:
    """{"kpis": {name: value}} over the whole data, available KPIs only (DESIGN.md section 9)."""
    kpis = compute_kpis(dataset, period="all", window_seconds=window_seconds)
    kpis = kpis[kpis["available"]]
    return {"kpis": {row.name: _unit_value(row.value, row.unit) for row in kpis.itertuples(index=False)}}


def paths_section(dataset, *, params: PathParams = PathParams()) -> dict:
    """The "variants" and "gaps" keys of the JSON report (DESIGN.md section 9).

    Gaps are given for each of device, channel and department that has values; a dimension without
    values is left out, and "gaps" itself is absent when none has values (the caller records why
    under "skipped").
    """
    params = PathParams(**{**params.to_dict(), "split_by": None})
    events = dataset.events
    variants = compute_variants(dataset, params=params)
    section = {
        "variants": [
            {"path": str(row.path), "customers": int(row.customers), "share": float(row.share),
             "conversion": float(row.conversion)}
            for row in variants.head(params.top_n).itertuples(index=False)
        ],
    }
    found_any = {}
    for dimension in gaps.DIMENSIONS:
        if not _has_values(events, dimension):
            continue
        found = gaps.compute_gaps(dataset, params=gaps.GapParams(dimension=dimension))
        found_any[dimension] = [
            {"switch": str(row.switch), "customers": int(row.customers),
             "conversion_after": _number(row.conversion_after),
             "conversion_without_switch": _number(row.conversion_without_switch)}
            for row in found.itertuples(index=False)
        ]
    if found_any:
        section["gaps"] = found_any
    return section


def sentiment_section(dataset, *, params: SentimentParams = SentimentParams()) -> dict:
    """The `sentiment`, `pain_points` and `at_risk` keys of `python -m cjm report` (DESIGN.md section 9).

    Analyses that cannot run are left out and explained under "skipped".
    """
    stages = dataset.stages
    out: dict = {}
    skipped: dict = {}
    signals = None
    try:
        signals = compute_signals(dataset, params=params)
    except InsufficientDataError as error:
        skipped["sentiment"] = skipped["pain_points"] = str(error)
    if signals is not None:
        by_stage = compute_sentiment_by(signals, by="stage", stages=tuple(stages))
        overall = compute_overall(signals)
        if overall["scale"] == MIXED_SCALES:  # files on different scales: which file was read on which
            overall["scales_by_file"] = scales_by_file(signals, getattr(dataset, "files", None))
        out["sentiment"] = {
            "overall": overall,
            "by_stage": {
                str(r["group"]): {"n": int(r["n"]), "mean": _plain(float(r["mean"])),
                                  "nps": _plain(float(r["nps"])), "csat": _plain(float(r["csat"]))}
                for r in by_stage.to_dict("records")
            },
        }
        themes = compute_pain_points(signals, stages=tuple(stages))
        if len(themes):
            out["pain_points"] = [
                {"theme": str(r["theme"]), "count": int(r["count"]), "quote": r["quotes"][0] if r["quotes"] else None}
                for r in themes.to_dict("records")
            ]
        else:
            skipped["pain_points"] = "Too few negative comments to find recurring themes."
    try:
        _, summary = compute_at_risk(dataset, signals=signals, explain=False)  # the report lists no drivers
        out["at_risk"] = {"count": summary["count"], "top": summary["top"]}
    except InsufficientDataError as error:
        skipped["at_risk"] = str(error)
    if skipped:
        out["skipped"] = skipped
    return out


FEATURE_SAMPLE_CUSTOMERS = 200_000  # above this, segments describe a systematic sample (size in the report)


def segments_section(dataset, *, params: SegmentParams | None = None) -> dict:
    """{"segments": {"segments": [{name, size, share, conversion, key feature means}], "silhouette", "k",
    "algorithm"}}; conversion is None when who converted is not known (no conversion or purchase in the data: the
    Overview shows no conversion rate either), its reason under "skipped" ("segments.conversion" in the report);
    plus "sample" when the customers were described on a sample and "sweep_sample" ({"customers",
    "sampled"}) when k was chosen on a sample of them (every customer is still in a segment)."""
    params = params or SegmentParams()
    # the same features and descriptions as the Segments page, so the report and the app agree
    features = compute_customer_features(dataset, comments=True, max_customers=FEATURE_SAMPLE_CUSTOMERS)
    result = build_segmentation(features, params=params, max_points=0)  # no customer map in the report
    segmenter, profiles, names = result.segmenter, result.profiles, result.names
    # who converted is not known (no conversion or purchase in the data, as on the Overview): None, and why
    unknown = "converted" not in features and "converted" not in profiles.attrs.get("constant", {})
    segments = []
    for _, row in profiles.iterrows():
        entry = {
            "name": names[int(row["segment"])],
            "segment": int(row["segment"]),
            "size": int(row["size"]),
            "share": float(row["share"]),
        }
        entry["conversion"] = None if unknown else _plain(row["conversion"])
        for feature in KEY_FEATURES:
            if f"mean_{feature}" in row:
                entry[feature] = _plain(row[f"mean_{feature}"])
        if "mean_sentiment" in entry:
            entry["sentiment_responses"] = int(row["sentiment_responses"])  # what the mean rests on
        segments.append(entry)
    return {
        "segments": {
            "segments": segments,
            "silhouette": _plain(segmenter.silhouette_score_),
            "k": int(segmenter.k_),
            "algorithm": params.algorithm,
            **({"sample": features.attrs["sample"]} if "sample" in features.attrs else {}),
            # k chosen on a fixed-seed sample of the customers (above SWEEP_ABOVE), everyone then assigned
            **({"sweep_sample": segmenter.sweep_sample_} if segmenter.sweep_sample_ else {}),
            **({"skipped": {"conversion": features.attrs["dropped"]["converted"]}}
               if unknown and "converted" in features.attrs.get("dropped", {}) else {}),
        }
    }


def reach_section(dataset) -> dict:
    """{"stages": {stage: customers reached}} (a cancellation, return or refund lifts nobody to its stage:
    cjm.journey.reach), plus "reversals_only": {stage: customers whose only events there are such reversals} when
    there are any."""
    found = reach.compute_stage_reach(dataset)
    out = {"stages": {row.stage: int(row.customers) for row in found.itertuples()}}
    left = {row.stage: int(row.reversals_only) for row in found.itertuples() if row.reversals_only}
    return out | ({"reversals_only": left} if left else {})


def journey_map_section(dataset, *, window_seconds: int = 604800) -> dict:
    """{"journey_map": the current-state map as JSON (cjm.maps.JourneyMap.to_dict(), DESIGN.md section 5)}."""
    return {"journey_map": build_current_map(dataset, window_seconds=window_seconds).to_dict()}
