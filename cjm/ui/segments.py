"""Segments and personas: the analyst's segment settings, the cached segmentation, and its displays.

Segmentation is expensive, so it runs only when asked ("Find segments", or a saved dashboard whose
spec says `applied: true`). The settings live in the dashboard spec under "segments" (SegmentParams
plus `applied`); what people type on persona cards lives under "personas". Results are kept per
(dataset, settings) in server-side stores bounded by bytes (CJM_CACHE_MB) rather than st.cache_data, because a progress bar
driven from inside a cached function would be replayed on every cache hit.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import pandas as pd
import streamlit as st

from cjm.data.snapshots import ByteLRU, cache_bytes
from cjm.errors import CJMError
from cjm.present.formats import NO_VALUE, format_money, format_number, format_percent, format_signed, format_count
from cjm.customers.features import compute_customer_features, feature_columns, feature_label
from cjm.customers.personas import Persona, build_personas, compute_segment_pain_points
from cjm.journey.kpis import NO_CONVERSION
from cjm.customers.profiles import MIN_COVERAGE
from cjm.customers.segments import (AGGLOMERATIVE_MAX_ROWS, ALGORITHMS, DOMINANT_SHARE, MAX_K, SCALINGS, SegmentParams, Segmentation, build_segmentation, default_features, stability)
from cjm.ui import state, widgets
from cjm.ui.funnel import chart as sized_chart
from cjm.ui.safe import edge_values, md

PAGE = "segments"
PERSONAS = "personas"
KEY = "cjm.segments."
SEGMENTS_PAGE = "app_pages/segments.py"
PERSONAS_PAGE = "app_pages/personas.py"
SCALING_LABELS = {"standard": "Standard (mean 0, sd 1)",
                  "robust": "Robust (median and quartiles: outliers matter less)", "minmax": "Min-max (0 to 1)"}
ALGORITHM_LABELS = {"kmeans": "k-means", "gmm": "Gaussian mixture", "agglomerative": "Agglomerative (Ward)"}
K_MODES = {"auto": "Chosen by silhouette", "fixed": "Fixed"}
EDITABLE = {"goals": "Goals", "needs": "Needs", "objections": "Objections"}


# --- the spec ---------------------------------------------------------------------------------------

def params_json(params: SegmentParams) -> str:
    return json.dumps(params.to_dict(), sort_keys=True)


def saved() -> tuple[SegmentParams, bool]:
    """The saved segment settings (defaults when absent; when unusable, the problem is reported in the
    sidebar) and whether they were applied."""
    applied = bool(state.page_params(PAGE).get("applied", False))
    params = state.load_params(PAGE, SegmentParams)
    return (params if params is not None else SegmentParams()), applied


def applied_params() -> SegmentParams | None:
    params, applied = saved()
    return params if applied else None


def save(params: SegmentParams, *, applied: bool) -> None:
    state.save_params(PAGE, params, applied=applied)


# --- computations, kept per dataset and settings ----------------------------------------------------

@st.cache_resource
def _store() -> dict[str, ByteLRU]:
    """Features, segmentations and personas, each kind in a least-recently-used store bounded by bytes
    (CJM_CACHE_MB, like the dataset cache)."""
    return {kind: ByteLRU(cache_bytes()) for kind in ("features", "segments", "personas")}


def _recall(kind: str, key):
    return _store()[kind].get(key)


def _size(value) -> int:
    """Bytes held by a stored value: its customer-level frame (features; a segmentation's features and
    labels); a failure or a list of personas counts as small."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=True).sum())
    if isinstance(value, tuple) and hasattr(value[0], "features"):
        return int(value[0].features.memory_usage(deep=True).sum()) + len(value[0].labels) * 8
    return 64 * 1024


def _keep(kind: str, key, value) -> None:
    _store()[kind].put(key, value, _size(value))


def customer_features(dataset) -> pd.DataFrame:
    """One row of features per customer of the whole dataset (segments ignore the sidebar filters)."""
    base = dataset.loaded
    found = _recall("features", base.key)
    if found is None:
        with st.spinner("Describing every customer from their journey…"), edge_values():
            found = compute_customer_features(base, comments=True)
        _keep("features", base.key, found)
    return found


def is_found(dataset, params: SegmentParams) -> bool:
    return _recall("segments", (dataset.loaded.key, params_json(params))) is not None


def _found(dataset, params: SegmentParams):
    """(Segmentation, Stability), computed once per dataset and settings with a progress bar."""
    base = dataset.loaded
    key = (base.key, params_json(params))
    found = _recall("segments", key)
    if found is None:
        features = customer_features(base)
        slot = st.empty()
        bar = slot.progress(0.0, text="Finding customer segments…")
        try:
            result = build_segmentation(features, params=params, progress=lambda done, total, message: bar.progress(
                0.8 * done / total, text=f"Finding customer segments · {message}"))
            runs = 5 if len(features) <= 20_000 else 3
            check = stability(features, params=params, reference=result.segmenter, n_runs=runs,
                              progress=lambda done, total, message: bar.progress(
                                  0.8 + 0.2 * done / total, text=f"Checking that the segments are stable · {message}"))
            found = (result, check)
        except CJMError as exc:
            found = exc
        finally:
            slot.empty()
        _keep("segments", key, found)
    if isinstance(found, CJMError):
        raise found
    return found


def segmentation(dataset, params: SegmentParams) -> Segmentation:
    return _found(dataset, params)[0]


def segment_stability(dataset, params: SegmentParams):
    return _found(dataset, params)[1]


def find(dataset, params: SegmentParams) -> Segmentation:
    """The segmentation for the page; when it is new, run the app again so the sidebar and every page
    see the new segment column."""
    fresh = not is_found(dataset, params)
    result = segmentation(dataset, params)
    if fresh:
        st.rerun()
    return result


def personas(dataset, params: SegmentParams) -> list[Persona]:
    base = dataset.loaded
    key = (base.key, params_json(params))
    found = _recall("personas", key)
    if found is None:
        result = segmentation(base, params)
        with st.spinner("Describing each segment as a persona…"):
            pains = compute_segment_pain_points(base, membership=result.membership())
            found = build_personas(base, result.features, result.labels, result.profiles, names=result.names,
                                   pain_points=pains, differences=result.differences)
        _keep("personas", key, found)
    return found


# --- settings ---------------------------------------------------------------------------------------

def _seed(params: SegmentParams, features: pd.DataFrame) -> None:
    options = feature_columns(features)
    chosen = [f for f in (params.features or default_features(features)) if f in options]
    algorithm = params.algorithm if params.algorithm in _algorithms(len(features)) else "kmeans"
    values = {"features": chosen, "scaling": params.scaling, "log_skewed": params.log_skewed,
              "algorithm": algorithm, "k_mode": "auto" if params.k is None else "fixed",
              "k": params.k or 4, "k_range": tuple(params.k_range), "seed": params.random_state,
              "silhouette_sample": params.silhouette_sample}
    fresh = st.session_state.get(KEY + "seeded") != params_json(params)
    for name, value in values.items():
        if fresh or KEY + name not in st.session_state:
            st.session_state[KEY + name] = value
    if not set(st.session_state[KEY + "features"]) <= set(options):
        st.session_state[KEY + "features"] = chosen


def _algorithms(customers: int) -> list[str]:
    return [a for a in ALGORITHMS if a != "agglomerative" or customers <= AGGLOMERATIVE_MAX_ROWS]


def settings(features: pd.DataFrame) -> SegmentParams:
    """The "Segment settings" sidebar section; returns (and saves) the settings."""
    params, applied = saved()
    _seed(params, features)
    n = len(features)
    with st.sidebar:
        st.subheader("Segment settings", divider="gray")
        chosen = st.multiselect("Features", feature_columns(features), key=KEY + "features",
                                format_func=feature_label, placeholder="The recommended features",
                                help="What customers are compared on. Skewed counts are log-scaled, then all "
                                     "are put on one scale. Empty = the recommended behaviour features.")
        scaling = st.selectbox("Scaling", SCALINGS, format_func=SCALING_LABELS.get, key=KEY + "scaling")
        log_skewed = st.toggle("Log-scale skewed counts", key=KEY + "log_skewed",
                               help="Spend and visit counts are heavily skewed: on a log scale a few big "
                                    "spenders do not form a segment of their own.")
        algorithm = st.radio("Algorithm", _algorithms(n), format_func=ALGORITHM_LABELS.get, key=KEY + "algorithm")
        if n > AGGLOMERATIVE_MAX_ROWS:
            st.caption(f"Agglomerative clustering is offered up to {format_count(AGGLOMERATIVE_MAX_ROWS, 'customer')} "
                       f"(it compares every pair); this data has {n:,}.")
        mode = st.radio("Number of segments (k)", list(K_MODES), format_func=K_MODES.get, key=KEY + "k_mode",
                        horizontal=True)
        if mode == "fixed":
            k = st.number_input("k", min_value=2, max_value=MAX_K, step=1, key=KEY + "k")
            k_range = params.k_range
        else:
            k = None
            k_range = st.slider("Try k from … to …", min_value=2, max_value=MAX_K, key=KEY + "k_range")
        seed = st.number_input("Random seed", min_value=0, step=1, key=KEY + "seed",
                               help="The same data, settings and seed always give the same segments.")
        sample = st.number_input("Customers sampled for the silhouette", min_value=100, step=1000,
                                 key=KEY + "silhouette_sample")
    picked = None if not chosen or list(chosen) == default_features(features) else tuple(chosen)
    new = SegmentParams(features=picked, scaling=scaling, log_skewed=bool(log_skewed), algorithm=algorithm,
                        k=None if k is None else int(k), k_range=tuple(int(v) for v in k_range),
                        random_state=int(seed), silhouette_sample=int(sample))
    save(new, applied=applied)
    st.session_state[KEY + "seeded"] = params_json(new)
    return new


def not_applied(features: pd.DataFrame) -> bool:
    """Explain segmentation and offer the button; True when the user asked to find segments."""
    st.info(f"Segments group the **{format_count(len(features), 'customer')}** who behave alike: how recently and how often they "
            "come, what they spend, how far they get in the journey, their channels and devices, support contacts "
            "and sentiment. It takes a few seconds, so it runs when you ask; the settings are in the sidebar.",
            icon=":material/group_work:")
    return st.button("Find segments", type="primary", icon=":material/group_work:", key=KEY + "find")


def apply_and_find(dataset, params: SegmentParams) -> None:
    """Mark the settings applied, find the segments (progress shown here) and run the app again with them."""
    save(params, applied=True)
    try:
        segmentation(dataset, params)
    except CJMError as exc:
        widgets.show_error(exc)
        st.stop()
    st.rerun()


# --- the Segments page ------------------------------------------------------------------------------

def chart(chart, frame: pd.DataFrame, *, name: str, rows: int | None = None, height: int = 300) -> None:
    """widgets.chart with room to read it: `rows` bars (or heat-map rows) of 40 px, or `height` px."""
    sized_chart(chart, frame, name=name, rows=rows, height=height)


money = format_money  # the shared vocabulary (cjm.present.formats)
signed = format_signed


def headline(result: Segmentation, check) -> None:
    """Sizes in words (readable by people and tests), the key figures, and any quality warning."""
    profiles = result.profiles.sort_values("segment")
    sizes = " · ".join(f"**{md(result.names[int(r.segment)])}**: {format_count(int(r.size), 'customer')} ({widgets.percent(r.share)})"
                       for r in profiles.itertuples())
    st.markdown(f"{result.k} segments: {sizes}")
    columns = st.columns(4)
    columns[0].metric("Customers", f"{len(result.features):,}", border=True)
    columns[1].metric("Segments (k)", result.k, border=True,
                      help="Fixed by the analyst" if result.params.k else "Chosen by the silhouette")
    columns[2].metric("Silhouette", format_number(result.segmenter.silhouette_score_), border=True,
                      help="-1 to 1: how well separated the segments are (above 0.25 is a usable structure).")
    columns[3].metric("Stability (ARI)", format_number(check.ari), border=True,
                      help=f"Agreement with {len(check.runs)} re-runs on other samples and seeds (1 = identical).")
    for message in check.warnings:
        st.warning(md(message), icon=":material/warning:")


PROFILE_COLUMNS = {"name": "Segment", "size": "Customers", "share": "Share", "value_mean": "Mean spend",
                   "value_total": "Total spend", "conversion": "Conversion", "sentiment": "Sentiment",
                   "sentiment_responses": "Customers with feedback", "description": "What sets it apart"}


def conversion_unknown(result: Segmentation) -> str | None:
    """Why no segment has a conversion (no conversion or purchase in the data: the Overview's reason), else None."""
    features = result.features
    if "converted" in features or "converted" in result.profiles.attrs.get("constant", {}):
        return None
    return features.attrs.get("dropped", {}).get("converted")


def profile_table(result: Segmentation) -> None:
    frame = result.profiles.assign(name=result.profiles["segment"].map(result.names))
    if frame["sentiment"].isna().all():
        frame = frame.drop(columns=["sentiment", "sentiment_responses"])
    unknown = conversion_unknown(result)  # shown as "–" with the reason, never as 0% in every segment
    shown = frame[[c for c in PROFILE_COLUMNS if c in frame and (frame[c].notna().any()
                                                                  or (c == "conversion" and unknown))]].copy()
    for column in ("share", "conversion"):
        if column in shown:
            shown[column] = (shown[column].astype("float64") * 100).round(1)
    for column in ("value_mean", "value_total"):
        if column in shown:
            shown[column] = shown[column].astype("float64").round(2)
    config = {"share": st.column_config.NumberColumn("Share", format="%.1f%%"),
              "conversion": st.column_config.NumberColumn("Conversion", format="%.1f%%", help=unknown),
              "value_mean": st.column_config.NumberColumn("Mean spend", format="localized"),
              "value_total": st.column_config.NumberColumn("Total spend", format="localized"),
              "sentiment": st.column_config.NumberColumn("Sentiment", format="%+.2f")}
    widgets.table(shown.rename(columns=PROFILE_COLUMNS), name="segment profiles",
                  column_config={PROFILE_COLUMNS[k]: v for k, v in config.items()})


def differences_table(result: Segmentation) -> None:
    frame = result.differences.assign(segment=result.differences["segment"].map(result.names))
    shown = frame[["segment", "label", "segment_mean", "overall_mean", "z_difference", "coverage"]].rename(
        columns={"segment": "Segment", "label": "Feature", "segment_mean": "Segment mean",
                 "overall_mean": "Overall mean", "z_difference": "Difference (standard deviations)", "coverage": "With a value"})
    shown["With a value"] = (shown["With a value"] * 100).round(1)
    widgets.table(shown, name="feature means by segment", column_config={
        "Segment mean": st.column_config.NumberColumn(format="%.2f"),
        "Overall mean": st.column_config.NumberColumn(format="%.2f"),
        "Difference (standard deviations)": st.column_config.NumberColumn(format="%+.2f"),
        "With a value": st.column_config.NumberColumn(format="%.1f%%")})
    st.caption(f"Differences are left empty where fewer than {format_percent(MIN_COVERAGE, 0)} of a segment's customers have "
               "a value (for example sentiment, when few leave feedback): those few do not describe the segment.")


def choose_segment(result: Segmentation) -> int:
    """The segment (number) whose funnel is compared with everyone's."""
    return st.selectbox("Segment", sorted(result.names), format_func=result.names.get, key=KEY + "funnel_segment")


def quality(result: Segmentation, check) -> None:
    st.markdown(f"**Stability**: re-running on {len(check.runs)} other samples with other seeds agrees "
                f"**{format_number(check.ari)}** on average (adjusted Rand index; 1 = the same segments, 0.6 or less = "
                f"unstable). Runs: {', '.join(format_number(r) for r in check.runs)}.")
    st.markdown(f"**Largest segment**: {format_percent(check.largest_share)} of customers (a warning shows above "
                f"{format_percent(DOMINANT_SHARE, 0)}).")
    if not check.warnings:
        st.success("The segments are stable and no segment holds almost everyone.", icon=":material/check:")
    segmenter = result.segmenter
    lines = [f"Features used: {', '.join(feature_label(f) for f in segmenter.feature_names_in_)}."]
    if segmenter.log_features_:
        lines.append(f"Log-scaled (skewed): {', '.join(feature_label(f) for f in segmenter.log_features_)}.")
    lines += [f"{feature_label(f)}: {format_count(n, 'customer')} without a value were given the median."
              for f, n in segmenter.imputed_.items()]
    lines += list(result.features.attrs.get("notes") or [])
    lines += [f"Not used: {name} ({why})." for name, why in (result.features.attrs.get("dropped") or {}).items()]
    st.markdown("\n".join(f"- {md(line)}" for line in lines))


def rfm_table(rfm: pd.DataFrame) -> None:
    shown = rfm.rename(columns={"customer_id": "Customer", "recency_days": "Days since last activity",
                                "frequency": "Frequency", "monetary": "Spend", "segment": "RFM segment"})
    widgets.table(shown, name="rfm scores", column_config={
        "Days since last activity": st.column_config.NumberColumn(format="%.0f")})


def export(result: Segmentation) -> None:
    membership = result.membership()
    st.markdown(f"Every customer with their segment and persona name ({len(membership):,} rows), for e-mail "
                "and CRM campaigns.")
    widgets.table(membership, name="segment membership")


# --- the Personas page ------------------------------------------------------------------------------

def no_segments_yet(dataset) -> None:
    """Say that personas come from segments; offer to find them with the default settings, and stop."""
    st.info("Personas are built from customer segments, and no segmentation has been applied yet. Find segments "
            "with the recommended settings here, or tune them on the Segments page.", icon=":material/badge:")
    if st.button("Find segments with the recommended settings", type="primary", key="cjm.personas.apply"):
        apply_and_find(dataset, SegmentParams())
    st.page_link(SEGMENTS_PAGE, label="Open the Segments page", icon=":material/group_work:")
    st.stop()


def _notes() -> dict:
    return state.page_params(PERSONAS)


def _sentiment(persona: Persona) -> tuple[str, str]:
    if not persona.sentiment_responses or persona.sentiment is None:
        return NO_VALUE, "Nobody in this segment gave a score or a comment."
    coverage = persona.sentiment_responses / persona.size
    help_text = (f"Mean from -1 to +1 over the {format_count(persona.sentiment_responses, 'customer')} who gave a score or "
                 f"comment ({format_percent(coverage)} of the segment).")
    if coverage < MIN_COVERAGE:
        help_text += " Too few to speak for the whole segment."
    return signed(persona.sentiment), help_text


def persona_card(persona: Persona, *, has_comments: bool = True) -> None:
    """One persona as a card; `has_comments`: whether the data has any comments to find pain points in."""
    notes = _notes().setdefault(persona.name, {})
    with st.container(border=True):
        st.subheader(md(persona.name))
        if persona.traits:
            st.caption("What sets them apart: " + ", ".join(md(t) for t in persona.traits))
        columns = st.columns(4)
        columns[0].metric("Customers", f"{persona.size:,}", delta=f"{format_percent(persona.share)} of all", delta_color="off",
                          delta_arrow="off")
        total = f"Total spend: {money(persona.total_value)}" if persona.total_value is not None else None
        columns[1].metric("Mean spend", money(persona.value), help=total)
        columns[2].metric("Conversion", widgets.percent(persona.conversion),
                          help=None if persona.conversion is not None else f"{NO_CONVERSION}, as on the Overview.")
        value, help_text = _sentiment(persona)
        rated = f"{persona.sentiment_responses:,} gave feedback" if persona.sentiment_responses else None
        columns[3].metric("Sentiment", value, help=help_text, delta=rated, delta_color="off", delta_arrow="off")
        left, right = st.columns(2)
        left.markdown("\n".join(_facts(persona, has_comments=has_comments)))
        for field, label in EDITABLE.items():
            key = f"cjm.personas.{widgets.slug(persona.name)}.{field}"
            if key not in st.session_state:
                st.session_state[key] = "\n".join(notes.get(field, []))
            text = right.text_area(label, height=80, key=key, disabled=state.read_only(),
                                   placeholder=f"{label} of {persona.name.lower()}, one per line (typed by your team)")
            notes[field] = [line.strip() for line in text.splitlines() if line.strip()]


NO_PAIN_POINT = "no recurring complaint in their negative comments"
# Said whatever other columns were kept (the Data page keeps every extra column as an attribute): none of them is named
# as one of these (cjm.customers.personas.DEMOGRAPHIC_COLUMNS).
NO_DEMOGRAPHICS = ("no column of the data says their age, income, gender, marital status or location (for businesses: "
                   "industry, company type or size)")
NO_COMMENTS = "no comments in this data to find one in (map a text column on the Data page)"


def _facts(persona: Persona, *, has_comments: bool = True) -> list[str]:
    who = " · ".join(f"{md(k)}: {md(v)}" for k, v in persona.demographics.items())
    journey = (f"{md(persona.journey)} ({format_percent(persona.journey_share)} of them)" if persona.journey else NO_VALUE)
    return [f"- **Who they are**: {who or NO_DEMOGRAPHICS}",
            f"- **Preferred channels**: {', '.join(md(c) for c in persona.preferred_channels) or '–'}",
            f"- **Preferred devices**: {', '.join(md(d) for d in persona.preferred_devices) or '–'}",
            f"- **Typical journey**: {journey}",
            f"- **Top pain point**: {md(persona.pain_point) if persona.pain_point else NO_PAIN_POINT if has_comments else NO_COMMENTS}"]


def personas_json(found: list[Persona]) -> str:
    """The personas with the goals, needs and objections people typed, as JSON."""
    notes = _notes()
    out = []
    for persona in found:
        entry = asdict(persona)
        entry.update({k: list(v) for k, v in notes.get(persona.name, {}).items() if k in EDITABLE})
        out.append(entry)
    return json.dumps(out, indent=2, ensure_ascii=False)
