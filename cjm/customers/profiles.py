"""What sets each customer segment apart, in numbers and in words (DESIGN.md section 4, "Segments").

compute_feature_differences: each feature's z-difference between a segment and all customers (on a log scale
for skewed features, left out where few of the segment have a value); compute_segment_profiles: one row per
segment (size, value, conversion, sentiment, top features, description); name_segments: plain-language names
("High-value loyal buyers"). Any labelling of the customers can be profiled, not only cjm's clustering.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjm.errors import ParameterError
from cjm.customers.features import feature_columns, feature_label, feature_phrase, level_of

MIN_COVERAGE = 0.25  # a segment difference on a feature counts when at least this share of the segment has a value


def _more_than_two_values(values: np.ndarray) -> bool:
    """Whether a float column holds more than two distinct values, NaN aside (pandas' nunique() > 2,
    without hashing every value)."""
    values = values[~np.isnan(values)]
    if not len(values):
        return False
    rest = values[values != values[0]]
    return bool(len(rest)) and bool((rest != rest[0]).any())


def skewed_columns(values: pd.DataFrame) -> pd.Series:
    """Per column of a float frame: non-negative, skewness above 1 and more than two distinct values
    (counts, spend): the columns put on a log scale before clustering and before comparing segments."""
    candidates = (values.min() >= 0) & (values.skew() > 1)
    return pd.Series(
        [bool(ok) and _more_than_two_values(values[c].to_numpy()) for c, ok in candidates.items()],
        index=values.columns, dtype=bool,
    )


def _comparable(values: pd.DataFrame) -> pd.DataFrame:
    """Skewed non-negative columns on a log scale, so one big spender does not dominate a z-score."""
    values = values.astype("float64")
    skewed = skewed_columns(values)
    out = pd.DataFrame({c: np.log1p(values[c]) if skewed[c] else values[c] for c in values.columns}, index=values.index)
    return out.__finalize__(values)  # carries the attrs along, as values.apply(...) does


def check_labels(features: pd.DataFrame, labels) -> np.ndarray:
    labels = np.asarray(labels)
    if len(labels) != len(features):
        raise ParameterError(
            f"labels has {len(labels)} entries but the features frame has {len(features)} customers; "
            "pass the labels from fitting on these features."
        )
    return labels


def compute_feature_differences(features: pd.DataFrame, labels) -> pd.DataFrame:
    """Long frame: segment, feature, label, segment_mean, overall_mean, z_difference, customers,
    coverage.

    z_difference = (segment mean - overall mean) / overall standard deviation, measured on a log
    scale for skewed non-negative features; means are in original units, over the customers with a
    value. coverage = share of the segment's customers with a value; where it is below MIN_COVERAGE
    (say 10 ratings among 2,000 browsers) z_difference is NaN: those few do not describe the segment.
    """
    labels = check_labels(features, labels)
    columns = feature_columns(features)
    values = features[columns].astype("float64").reset_index(drop=True)
    comparable = _comparable(values)
    spread = comparable.std(ddof=0).replace(0, np.nan)
    z = ((comparable.groupby(labels).mean() - comparable.mean()) / spread).fillna(0.0)
    coverage = _coverage(values, labels)
    z = z.mask(coverage < MIN_COVERAGE)
    means = values.groupby(labels).mean()
    sizes = pd.Series(labels).value_counts()
    out = z.stack().rename("z_difference").reset_index()
    out.columns = ["segment", "feature", "z_difference"]
    out["segment_mean"] = [means.at[s, f] for s, f in zip(out["segment"], out["feature"])]
    out["overall_mean"] = out["feature"].map(values.mean())
    out["customers"] = out["segment"].map(sizes).astype("int64")
    out["coverage"] = [float(coverage.at[s, f]) for s, f in zip(out["segment"], out["feature"])]
    out["label"] = out["feature"].map(feature_label)
    return out[
        ["segment", "feature", "label", "segment_mean", "overall_mean", "z_difference", "customers", "coverage"]
    ]


def _coverage(values: pd.DataFrame, labels: np.ndarray) -> pd.DataFrame:
    """Per segment (rows, ascending) and feature: the share of its customers with a value. The same
    numbers as values.notna().groupby(labels).mean(): whole counts divided by the segment's size (1.0
    for a feature every customer has)."""
    segments, codes = np.unique(labels, return_inverse=True)
    sizes = np.bincount(codes, minlength=len(segments)).astype("float64")
    counts = np.repeat(sizes[:, None], values.shape[1], axis=1)
    for j, column in enumerate(values.columns):
        missing = np.isnan(values[column].to_numpy(dtype="float64"))
        if missing.any():
            counts[:, j] = np.bincount(codes[~missing], minlength=len(segments))
    return pd.DataFrame(counts / sizes[:, None], index=pd.Index(segments), columns=values.columns).__finalize__(values)


DISTINGUISHING_Z = 0.25
TOP_FEATURES = 3


def trait_phrases(differences: pd.DataFrame, levels: dict | None = None) -> list[str]:
    """'higher spend (well above average)' for each row of a compute_feature_differences frame, in order: how far
    from the average in words a marketer reads (standard deviations are for the analyst's table and chart)."""
    features = differences["feature"] if "feature" in differences else differences.index
    return [f"{feature_phrase(f, z > 0, levels)} ({how_far(z)})" for f, z in zip(features, differences["z_difference"])]


WELL, CLEARLY = 1.0, 0.3  # standard deviations from the average: "well above", "above", else "slightly above"


def how_far(z: float) -> str:
    """'well above average' (1 standard deviation or more), 'above average' (0.3 or more), 'slightly above
    average'; the same below."""
    side = "above" if z > 0 else "below"
    size = abs(z)
    return f"well {side} average" if size >= WELL else f"{side} average" if size >= CLEARLY else f"slightly {side} average"


def constant_features(features: pd.DataFrame) -> dict[str, float]:
    """Features dropped from `features` for being the same for every customer (attrs["constant"] of
    compute_customer_features), as name -> that number. Clustering leaves them out and they set no segment
    apart, but every segment has that value (everyone converted: each segment's conversion is 100%).
    Left out: a constant some customers have no value for (attrs["constant_partial"]: see partial_constants)
    and a name the frame still has as a column."""
    partial = set(features.attrs.get("constant_partial") or ())
    out = {}
    for name, value in (features.attrs.get("constant") or {}).items():
        number = isinstance(value, (bool, int, float, np.bool_, np.number))
        if number and name not in features.columns and name not in partial and not pd.isna(value):
            out[name] = float(value)
    return out


def partial_constants(features: pd.DataFrame) -> dict[str, pd.Series]:
    """Constants some customers have no value for (attrs["constant_partial"]) whose customers are known
    (attrs["constant_holders"]), as name -> that number for each row of `features` who has it, NaN for the others.
    Without the holders nothing is claimed: which segments have a value is not known."""
    constant, holders = features.attrs.get("constant") or {}, features.attrs.get("constant_holders") or {}
    if "customer_id" not in features:
        return {}
    out = {}
    for name in features.attrs.get("constant_partial") or ():
        value = constant.get(name)
        number = isinstance(value, (bool, int, float, np.bool_, np.number)) and not pd.isna(value)
        if number and name not in features.columns and hasattr(holders.get(name), "isin"):
            has = holders[name].isin(features["customer_id"])
            out[name] = pd.Series(np.where(has, float(value), np.nan), index=features.index)
    return out


def compute_segment_profiles(features: pd.DataFrame, labels, *, differences: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per segment: size, share, value_mean / value_total (monetary), conversion, sentiment
    (mean over the customers with a score or comment) and sentiment_responses (how many), top_features
    (up to 3 features that set it apart most, |z| >= 0.25), description (plain words),
    and for every feature mean_<feature> (original units) and z_<feature> (difference from overall;
    NaN when too few of the segment's customers have a value, see compute_feature_differences).
    A feature dropped as the same for every customer (constant_features) gives every segment its value:
    mean_<feature>, and conversion, value or sentiment when it is converted, monetary or mean_sentiment; it has
    no z_<feature> and is in attrs["constant"] (name_segments leaves it out: a constant sets no segment apart).
    A constant only some customers have (partial_constants) gives each segment its value over the customers who
    have it: mean_<feature> (NaN where none has), and sentiment with sentiment_responses counting them when it is
    mean_sentiment; no z_<feature> either, and it is in attrs["constant_partial"].
    `differences`: compute_feature_differences(features, labels) when the caller has it already.
    """
    labels = check_labels(features, labels)
    diffs = compute_feature_differences(features, labels) if differences is None else differences
    constants, partial = constant_features(features), partial_constants(features)
    sizes = pd.Series(labels).value_counts().sort_index()
    out = pd.DataFrame({"segment": sizes.index.astype("int64"), "size": sizes.to_numpy(dtype="int64")})
    out["share"] = out["size"] / len(labels)
    frame = features.reset_index(drop=True)
    for name, value in constants.items():
        frame[name] = value  # every customer has it
    for name, values in partial.items():
        frame[name] = values.to_numpy()  # the customers who have it
    grouped = frame.groupby(labels)
    out["value_mean"] = out["segment"].map(grouped["monetary"].mean()) if "monetary" in frame else np.nan
    # a segment none of whose customers has a known spend has no total (NaN, "–"), not 0
    out["value_total"] = out["segment"].map(grouped["monetary"].sum(min_count=1)) if "monetary" in frame else np.nan
    out["value_customers"] = out["segment"].map(grouped["monetary"].count()) if "monetary" in frame else 0
    out["conversion"] = (
        out["segment"].map(grouped["converted"].mean()).astype("float64") if "converted" in frame else np.nan
    )
    if "mean_sentiment" in frame:
        out["sentiment"] = out["segment"].map(grouped["mean_sentiment"].mean())
        out["sentiment_responses"] = out["segment"].map(grouped["mean_sentiment"].count()).astype("int64")
    else:
        out["sentiment"], out["sentiment_responses"] = np.nan, 0
    tops, descriptions = [], []
    for segment in out["segment"]:
        mine = diffs[diffs["segment"] == segment]
        mine = mine.assign(strength=mine["z_difference"].abs()).sort_values(
            ["strength", "feature"], ascending=[False, True], kind="stable"
        )
        mine = mine[mine["strength"] >= DISTINGUISHING_Z].head(TOP_FEATURES)
        tops.append(tuple(mine["feature"]))
        descriptions.append(", ".join(trait_phrases(mine, features.attrs.get("levels"))) or "close to the average customer")
    out["top_features"] = tops
    out["description"] = descriptions
    wide_mean = diffs.pivot(index="segment", columns="feature", values="segment_mean")
    wide_z = diffs.pivot(index="segment", columns="feature", values="z_difference")
    # Built apart and joined once: a survey export's hundreds of answer columns are hundreds of features, and
    # inserting each as a column printed a pandas PerformanceWarning per column on every report (the CLI's stderr).
    wide = {}
    for column in feature_columns(features):
        wide[f"mean_{column}"] = out["segment"].map(wide_mean[column]).astype("float64")
        wide[f"z_{column}"] = out["segment"].map(wide_z[column]).astype("float64")
    for name, value in constants.items():
        wide[f"mean_{name}"] = pd.Series(value, index=out.index)
    for name in partial:
        wide[f"mean_{name}"] = out["segment"].map(grouped[name].mean()).astype("float64")
    if wide:
        out = pd.concat([out, pd.DataFrame(wide, index=out.index)], axis=1)
    out.attrs["constant"] = constants
    out.attrs["constant_partial"] = list(partial)
    out.attrs["levels"] = dict(features.attrs.get("levels") or {})
    out.attrs["span_days"] = _span_days(features, constants)
    return out


def _span_days(features: pd.DataFrame, constants: dict) -> float | None:
    """Days the data covers, as the features see it: the longest time since a customer's first activity
    (tenure_days; recency_days when tenure was dropped as the same: everyone active on one day), None when
    neither is known."""
    for column in ("tenure_days", "recency_days"):
        if column in features and features[column].notna().any():
            return float(features[column].max())
        value = constants.get(column)
        if isinstance(value, (int, float, np.number)) and not pd.isna(value):
            return float(value)
    return None


STRONG_Z = 0.5
# A segment is dormant when its customers' mean time since their last activity is long both for the data (a quarter
# of the days it covers or more) and for a marketer (a whole 30-day period, the KPIs' default, or more): on data of a
# few days, customers idle for 5 of 8 days are 'less recent', not dormant; on 5 years, 2 months idle is not either.
DORMANT_SHARE = 0.25
DORMANT_DAYS = 30.0
# Canonical order of qualifiers in a name: value, activity, loyalty, device, channel, behaviour, mood.
_ORDER = ("value", "activity", "loyalty", "device", "channel", "switching", "support", "mood")


def _z(row, feature: str) -> float:
    value = row.get(f"z_{feature}", 0.0)
    return 0.0 if value is None or pd.isna(value) else float(value)


def _strongest_share(row, prefix: str) -> tuple[str, float] | None:
    shares = [(c[len("z_" + prefix):], float(row[c])) for c in row.index if c.startswith("z_" + prefix)]
    shares = [(name, z) for name, z in shares if z >= STRONG_Z]
    if not shares:
        return None
    return max(shares, key=lambda item: (item[1], item[0]))


VALUE_WEIGHT = 1.5
ONE_TIME_MEAN = 1.3  # mean purchases below which most of a segment bought once
NON_BUYER_CONVERSION = 0.2


def _non_buyers(row) -> bool:
    conversion = row.get("conversion")
    return conversion is not None and not pd.isna(conversion) and conversion < NON_BUYER_CONVERSION


def someone_bought(row) -> bool:
    """Whether a figure of a segment's profile (without the constants: `_without_constants`) says some of its
    customers bought: a conversion, a mean number of purchases or a mean spend above 0. False when they say nobody
    did, or the data says nothing of buying (no purchase, no money, or the same for everyone: everyone bought once,
    so no segment repeats a purchase): such a segment takes no buying word ('repeaters', 'loyal')."""
    figures = [row.get(k) for k in ("conversion", "mean_purchases", "mean_monetary")]
    return any(v is not None and not pd.isna(v) and float(v) > 0 for v in figures)


def _dormant(row, span_days: float | None) -> bool:
    """Whether a segment idle for longer than the others (z >= STRONG_Z) has been so long enough to be dormant:
    its mean days since the last activity reach DORMANT_SHARE of the data's span and DORMANT_DAYS (always,
    when the span is not known)."""
    days = row.get("mean_recency_days")
    if span_days is None or days is None or pd.isna(days):
        return True
    return float(days) >= max(DORMANT_SHARE * span_days, DORMANT_DAYS)


def _qualifiers(row, levels: dict | None = None, *, bought: bool = True,
                span_days: float | None = None) -> list[tuple[float, str, str]]:
    """(strength, kind, word) for each trait that sets the segment apart. bought: someone of the segment bought
    (`someone_bought`), else no buying word ('long-standing', not 'loyal'); span_days: the days the data covers
    (`_dormant`)."""
    out = []
    value = _z(row, "monetary") if "z_monetary" in row else _z(row, "purchases")
    buys = row.get("mean_purchases")
    if "z_monetary" not in row and buys is not None and not pd.isna(buys) and buys < ONE_TIME_MEAN:
        value = 0.0  # without money, buying once beside others who never bought is no "high value": the noun says it
    recency, tenure = _z(row, "recency_days"), _z(row, "tenure_days")
    # Value matters most to marketers: it wins over a slightly stronger trait.
    if value >= STRONG_Z:
        out.append((VALUE_WEIGHT * value, "value", "high-value"))
    elif value <= -STRONG_Z and not _non_buyers(row):  # "browsers" already says it
        out.append((-VALUE_WEIGHT * value, "value", "low-value"))
    if recency >= STRONG_Z:
        out.append((recency, "activity", "dormant" if _dormant(row, span_days) else "less recent"))
    elif tenure <= -STRONG_Z and recency <= 0:
        out.append((-tenure, "activity", "new"))
    elif recency <= -STRONG_Z:
        out.append((-recency, "activity", "active"))
    if tenure >= STRONG_Z and recency < STRONG_Z:
        out.append((tenure, "loyalty", "loyal" if bought else "long-standing"))
    device = _strongest_share(row, "device_share_")
    if device:
        out.append((device[1], "device", level_of("device_share_" + device[0], levels)))
    channel = _strongest_share(row, "channel_share_")
    if channel:
        out.append((channel[1], "channel", f"{level_of('channel_share_' + channel[0], levels)}-first"))
    switches = _z(row, "device_switches")
    if switches >= STRONG_Z:
        out.append((switches, "switching", "multi-device"))
    support = _z(row, "support_contacts")
    if support >= STRONG_Z:
        out.append((support, "support", "support-heavy"))
    mood = _z(row, "mean_sentiment")
    if mood <= -STRONG_Z or (support >= STRONG_Z and recency >= 0):
        out.append((max(-mood, support / 2), "mood", "at-risk"))
    elif mood >= STRONG_Z:
        out.append((mood, "mood", "happy"))
    return out


def _noun(row, bought: bool = True) -> str:
    buys = row.get("mean_purchases")
    if buys is None or pd.isna(buys):
        # every event a purchase (purchases dropped as identical) or no purchase signal at all
        buys = row.get("mean_frequency") if ("z_monetary" in row and "z_converted" not in row) else None
    frequency = _z(row, "purchases") if "z_purchases" in row else _z(row, "frequency")
    if _non_buyers(row):
        return "comparison shoppers" if _z(row, "frequency") >= STRONG_Z else "browsers"
    if not bought:  # nobody bought, or the data says nothing of buying: what they repeat is no purchase
        return "engaged customers" if _z(row, "frequency") >= STRONG_Z else "customers"
    if buys is not None and not pd.isna(buys) and buys < ONE_TIME_MEAN:
        return "one-time buyers"
    if frequency >= STRONG_Z:
        return "repeaters"
    return "customers"


KNOWN_FEATURES = frozenset(
    ("monetary", "purchases", "recency_days", "tenure_days", "device_switches", "support_contacts",
     "mean_sentiment", "frequency", "converted", "furthest_stage")
)


def _generic_phrases(row, levels: dict | None = None) -> list[str]:
    """'higher Income' for distinguishing features the named traits do not cover, strongest first."""
    out = []
    for feature in row.get("top_features", ()) or ():
        if feature in KNOWN_FEATURES or feature.startswith(("device_share_", "channel_share_")):
            continue
        z = _z(row, feature)
        if abs(z) >= STRONG_Z:
            out.append(feature_phrase(feature, z > 0, levels))
    return out


def _compose(words: list[str], noun: str, phrases: list[str] = ()) -> str:
    if not words and noun == "customers" and not phrases:
        text = "average customers"
    else:
        text = " ".join(list(words) + [noun])
        if phrases:
            text += " with " + " and ".join(phrases)
    first = text.split(" ", 1)[0]
    return text if first != first.lower() else text[0].upper() + text[1:]  # 'iPhone customers' keeps its spelling


def _without_constants(profiles: pd.DataFrame) -> pd.DataFrame:
    """The profiles without the figures of features dropped as the same for everyone (attrs["constant"]), as
    they were before those were shown: a constant sets no segment apart, so it does not change a name (a
    conversion of 0% for everyone would otherwise call every segment "browsers")."""
    constants = [*(profiles.attrs.get("constant") or {}), *(profiles.attrs.get("constant_partial") or ())]
    out = profiles.drop(columns=[f"mean_{c}" for c in constants if f"mean_{c}" in profiles])
    return out.assign(conversion=np.nan) if "converted" in constants and "conversion" in out else out


def name_segments(profiles: pd.DataFrame) -> dict[int, str]:
    """Plain-language, unique names from what sets each segment apart (deterministic rules).

    Up to two of the strongest traits (|z| >= 0.5) among value (high-/low-value), activity (dormant,
    new, active; 'less recent' instead of dormant when the data covers too few days, see _dormant), loyalty,
    device, channel, multi-device, support-heavy and mood (at-risk, happy), then a noun from buying behaviour:
    comparison shoppers / browsers (conversion < 20%), one-time buyers (< 1.3 purchases on average), repeaters,
    or customers. A segment nobody of whom bought (`someone_bought`) takes no buying word: 'engaged customers'
    (more events than the others) or 'customers', 'long-standing' for 'loyal'. Other distinguishing features
    (customer attributes) add "with higher <feature>" when no trait applies. Clashes get a third
    trait or another feature, then a number. Larger segments are named first.
    """
    names: dict[int, str] = {}
    taken: set[str] = set()
    levels, span_days = profiles.attrs.get("levels"), profiles.attrs.get("span_days")
    profiles = _without_constants(profiles)
    bought = {int(row["segment"]): someone_bought(row) for _, row in profiles.iterrows()}
    ordered = profiles.sort_values(["size", "segment"], ascending=[False, True], kind="stable")
    for _, row in ordered.iterrows():
        did = bought[int(row["segment"])]
        traits = sorted(_qualifiers(row, levels, bought=did, span_days=span_days),
                        key=lambda q: (-q[0], _ORDER.index(q[1])))
        noun, phrases = _noun(row, did), _generic_phrases(row, levels)

        def words(count):
            return [q[2] for q in sorted(traits[:count], key=lambda q: _ORDER.index(q[1]))]

        candidates = [
            _compose(words(2), noun, phrases[:1] if not traits else []),
            _compose(words(3), noun, phrases[:1] if not traits else []),
            _compose(words(2), noun, phrases[:1]),
            _compose(words(2), noun, phrases[:2]),
        ]
        name = next((c for c in candidates if c not in taken), None)
        if name is None:
            base, i = candidates[0], 2
            while f"{base} ({i})" in taken:
                i += 1
            name = f"{base} ({i})"
        taken.add(name)
        names[int(row["segment"])] = name
    return dict(sorted(names.items()))
