"""Sentiment signals on one -1..+1 scale, NPS / CSAT, and their aggregation (DESIGN.md section 4).

Scales of the `score` column (SentimentParams.score_scale):

| scale    | values              | to -1..+1   | negative / neutral / positive          |
|----------|---------------------|-------------|----------------------------------------|
| rating5  | 1..5 (stars, CSAT)  | (r - 3) / 2 | 1-2 / 3 / 4-5                          |
| nps10    | 0..10 (NPS)         | (s - 5) / 5 | detractor 0-6 / passive 7-8 / promoter 9-10 |
| ces7     | 1..7, 7 = easiest   | (s - 4) / 3 | 1-3 / 4 / 5-7                          |
| polarity | -1..+1 (labels)     | as it is    | -0.05 or less / between / 0.05 or more |
| halfstar5 | 0.5..5 half stars  | (r - 2.75) / 2.25 | 0.5-2 / 2.5-3.5 / 4-5              |
| sat10    | 0..10 satisfaction  | (s - 5) / 5 | 0-4 / 5 / 6-10                         |

"auto" reads the score range: within 1..5 -> rating5; some value above 5 and all within 0..10 ->
nps10; some value below 0 and all within -1..+1 -> polarity (a sentiment label column "negative /
neutral / positive" is read as -1 / 0 / +1 when loaded, cjm.data.labels); anything else asks the user
to choose. A 1..7 CES survey must be chosen explicitly (auto
would take it for NPS). NPS = % promoters - % detractors, in points (-100..+100), only on nps10
data. sat10 is a satisfaction question answered on 0..10 (or 1..10): never read from the range alone (auto takes 0..10 for
NPS), the data states it when the score column is named for satisfaction (cjm.data.scores.scale_of_named_range); it
gives no NPS, which only the recommend question does. CSAT = share of 4-5 answers (a fraction 0..1), only on rating5 data. halfstar5 is never read from the range
alone: the data states it when a rating column holds half stars and some 0.5 (cjm.data.scores.half_stars); half
stars within 1..5 are rating5, as DESIGN.md reads a rating 1..5.

Text is scored by a TextScorer (VADER for English); |value| < 0.05 is neutral (VADER's convention).
Text the scorer cannot read is kept as an unscored signal (value NaN, language recorded) and is
never averaged in as neutral. An event with both a score and a text gives two signals (the customer's
rating and their words), except on the polarity scale: a polarity score is a reading of the comment
itself (a listening tool's or an annotator's label), so it is the comment's one signal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import ibis
import numpy as np
import pandas as pd
from scipy.special import stdtrit

from cjm import engine
from cjm.data.clock import dates_clock
from cjm.data.scores import MIXED_COLUMN, range_scale
from cjm.data.views import loaded
from cjm.errors import InsufficientDataError, ParameterError
from cjm.voice.languages import UNDETERMINED
from cjm.voice.textscore import get_scorer, score_texts, scorer_names
from cjm.jsonable import plain as _plain

SCALES = {  # name: (lowest, highest, neutral point, half range, negative below/at, positive at/above)
    "rating5": (1.0, 5.0, 3.0, 2.0, 2.0, 4.0),
    "nps10": (0.0, 10.0, 5.0, 5.0, 6.0, 9.0),
    "ces7": (1.0, 7.0, 4.0, 3.0, 3.0, 5.0),
    "polarity": (-1.0, 1.0, 0.0, 1.0, -0.05, 0.05),
    "halfstar5": (0.5, 5.0, 2.75, 2.25, 2.0, 4.0),
    "sat10": (0.0, 10.0, 5.0, 5.0, 4.0, 6.0),
}
SCALE_CHOICES = ("auto", *SCALES)
SCALE_LABELS = {"auto": "Detect from the values", "rating5": "1–5 stars or CSAT",  # what a page calls them
                "nps10": "0–10 NPS (likely to recommend)", "ces7": "1–7 customer effort (7 = easiest)",
                "polarity": "−1 to +1, or labels negative / neutral / positive",
                "halfstar5": "0.5–5 half stars", "sat10": "0–10 satisfaction (how satisfied)"}
SCALE_WORDS = {"rating5": ("rating", 5), "nps10": ("NPS", 10), "ces7": ("effort", 7),  # "rating 2/5", "NPS 6/10"
               "polarity": ("polarity", None), "halfstar5": ("rating", 5), "sat10": ("satisfaction", 10)}  # "polarity -1"
MIXED_SCALES = "mixed"  # compute_overall's scale when files loaded together were read on different scales
BY_CHOICES = ("stage", "event", "channel", "segment", "period")
PERIODS = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}
LABELS = ("negative", "neutral", "positive")
NOT_SET = "(not set)"
SIGNAL_COLUMNS = (
    "row_id", "customer_id", "timestamp", "stage", "stage_index", "event", "channel", "department",
    "source", "value", "label", "language", "scored", "score", "scale", "text",
)


@dataclass(frozen=True)
class SentimentParams:
    score_scale: str = "auto"      # "auto" | "rating5" | "nps10" | "sat10" | "ces7" | "polarity" | "halfstar5"
    text_scorer: str = "lexicon"   # name of a registered TextScorer
    neutral_band: float = 0.05     # text with |value| below this is neutral
    use_scores: bool = True
    use_text: bool = True

    def __post_init__(self):
        if self.score_scale not in SCALE_CHOICES:
            raise ParameterError(
                f"score_scale must be one of {', '.join(SCALE_CHOICES)}; got {self.score_scale!r}. "
                "Pick the survey the score column holds (rating5 = 1..5 stars or CSAT, nps10 = 0..10 likely to recommend, "
                "sat10 = 0..10 satisfaction, ces7 = 1..7)."
            )
        if not 0.0 <= self.neutral_band < 1.0:
            raise ParameterError(
                f"neutral_band must be between 0 and 1 (0.05 is usual); got {self.neutral_band!r}."
            )
        if not (self.use_scores or self.use_text):
            raise ParameterError("use_scores and use_text are both off; turn at least one on to measure sentiment.")
        if self.text_scorer not in scorer_names():
            raise ParameterError(
                f"text_scorer must be one of {', '.join(scorer_names())}; got {self.text_scorer!r}. "
                "'lexicon' scores English (VADER) and Portuguese (LeIA); 'vader' English only."
            )


def describe_scores(scores: pd.Series, scales: pd.Series) -> pd.Series:
    """Scores as the customer gave them: "rating 2/5", "NPS 6/10", "effort 3/7" ("score 4" on no scale).

    Polarity scores are said in words, as a sentiment label column wrote them: -1 "negative", 0 "neutral", +1
    "positive", and a reading in between with its number, "negative (-0.6)" (the label by the scale's -0.05 / +0.05
    bounds), never "polarity -1"."""
    word = scales.map(lambda s: SCALE_WORDS.get(s, ("score", None))[0]).astype("string")
    top = scales.map(lambda s: f"/{SCALE_WORDS[s][1]}" if SCALE_WORDS.get(s, (None, None))[1] else "").astype("string")
    out = word + " " + scores.map("{:g}".format, na_action="ignore").astype("string") + top
    _, _, _, _, negative, positive = SCALES["polarity"]
    values = pd.to_numeric(scores, errors="coerce")
    label = pd.Series("neutral", index=scores.index, dtype="string").mask(values <= negative, "negative") \
        .mask(values >= positive, "positive")
    said = label.where(values.isin([-1.0, 0.0, 1.0]), label + " (" + values.map("{:+g}".format, na_action="ignore")
                                                          .astype("string") + ")")
    return out.mask((scales == "polarity").to_numpy() & values.notna().to_numpy(), said)


def resolve_scale(requested: str, low: float | None, high: float | None) -> str:
    """The scale of the score column: the requested one, or the one "auto" reads from its range."""
    if low is None or high is None:
        return requested if requested != "auto" else "rating5"
    if requested == "auto":
        found = range_scale(low, high)
        if found is not None:
            return found
        raise ParameterError(
            f"score_scale 'auto' cannot tell the survey of column 'score': its values run from {low:g} to "
            f"{high:g}. Choose score_scale rating5 (1..5), nps10 (0..10), sat10 (0..10 satisfaction), ces7 (1..7) or "
            "polarity (-1..+1)."
        )
    lowest, highest = SCALES[requested][:2]
    if low < lowest or high > highest:
        bad = low if low < lowest else high
        raise ParameterError(
            f"score_scale {requested!r} expects column 'score' between {lowest:g} and {highest:g}, but it "
            f"holds {bad:g}. Choose the scale that matches the survey, or fix those rows."
        )
    return requested


def _text_present(t):
    return t.text.notnull() & (engine.trimmed(t.text) != "")


def _score_signals(events, scale: str):
    t = events.filter(events.score.notnull())
    _, _, mid, half, neg_at, pos_at = SCALES[scale]
    return _on_scale(t, mid, half, neg_at, pos_at, scale=ibis.literal(scale))


def _mixed_score_signals(events):
    """_score_signals of events that carry each one's scale (MIXED_COLUMN: files loaded together on different
    scales): every score on -1..+1 by its own scale."""
    t = events.filter(events.score.notnull() & events[MIXED_COLUMN].notnull())

    def per_scale(i):
        return ibis.cases(*[(t[MIXED_COLUMN] == name, ibis.literal(spec[i], type="float64"))
                            for name, spec in SCALES.items()], else_=ibis.null("float64"))

    mid, half, neg_at, pos_at = (per_scale(i) for i in (2, 3, 4, 5))
    return _on_scale(t, mid, half, neg_at, pos_at, scale=t[MIXED_COLUMN].cast("string"))


def _on_scale(t, mid, half, neg_at, pos_at, *, scale):
    """Score signals: each score on -1..+1 ((score - mid) / half) and labelled by the scale's thresholds."""
    label = ibis.cases((t.score <= neg_at, "negative"), (t.score >= pos_at, "positive"), else_="neutral")
    return t.mutate(
        source=ibis.literal("score"),
        value=((t.score - mid) / half).cast("float64"),
        label=label,
        language=ibis.null("string"),
        scored=ibis.literal(True),
        scale=scale,
    )


def score_values(events, scale: str | None):
    """Each event's score on -1..+1: by `scale`, or by the event's own scale (MIXED_COLUMN) when None."""
    if scale is not None:
        _, _, mid, half, _, _ = SCALES[scale]
        return (events.score - mid) / half
    mid = ibis.cases(*[(events[MIXED_COLUMN] == n, ibis.literal(s[2], type="float64")) for n, s in SCALES.items()],
                     else_=ibis.null("float64"))
    half = ibis.cases(*[(events[MIXED_COLUMN] == n, ibis.literal(s[3], type="float64")) for n, s in SCALES.items()],
                      else_=ibis.null("float64"))
    return (events.score - mid) / half


def _text_signals(events, params: SentimentParams):
    distinct = engine.execute(events.filter(_text_present(events)).select("text").distinct())
    scores = score_texts(distinct["text"], scorer=get_scorer(params.text_scorer))
    table = ibis.memtable(scores.set_axis(["_text", "_language", "_value", "_scored"], axis=1))
    t = events.filter(_text_present(events)).inner_join(table, events.text == table._text)
    band = params.neutral_band
    label = ibis.cases(
        (t._value.isnull(), ibis.null("string")),
        (t._value <= -band, "negative"),
        (t._value >= band, "positive"),
        else_="neutral",
    )
    return t.mutate(
        source=ibis.literal("text"), value=t._value, label=label, language=t._language,
        scored=t._scored, scale=ibis.null("string"),
    )


def compute_signals(dataset, *, params: SentimentParams = SentimentParams()) -> pd.DataFrame:
    """One row per feedback signal (an event's score, an event's text), ordered by time.

    dataset: the Dataset (or a view of it). Columns: row_id, customer_id, timestamp, stage, stage_index,
    event, channel, department, source ("score" | "text"), value (-1..+1, NaN when unscored), label
    (negative/neutral/positive, null when unscored), language (text only), scored, score (raw), scale
    (score only), text, and `segment` when the events or the dataset's customers table carry one. attrs["tz"]:
    the dataset's time zone (cjm.data.clock.dates_clock), whose days, weeks and months sentiment over time counts.
    """
    shared = signals_of(dataset.events, params=params_for(dataset, params), customers=dataset.customers)
    signals = shared.copy(deep=False)  # the shared frame (engine.remember) keeps its own attrs
    signals.attrs["tz"] = dates_clock(dataset).tz
    return signals


def params_for(dataset, params: SentimentParams = SentimentParams()) -> SentimentParams:
    """`params` with the score scale the dataset states (labels: "polarity") when it asks for "auto": a
    label column's range alone cannot tell (only "positive" labels read as 1..1, as 1-star ratings do).
    Without a stated scale, a view (filtered, a segment) takes the scale "auto" reads from the data as
    loaded (`stated_scale`)."""
    if params.score_scale != "auto":
        return params
    stated = stated_scale(dataset)
    return replace(params, score_scale=stated) if stated else params


def stated_scale(dataset) -> str | None:
    """The scale of the dataset's scores: the one it states (labels: "polarity"), else, for a view of
    the loaded data (a filter, a segment, a sample), the one "auto" reads from the loaded data's whole score
    range, so that part of a range is read as the whole is (a view of polarity scores holding only +1 is not
    a column of 1-star ratings, NPS answers of 2..5 are not ratings). None: "auto" reads the data itself."""
    stated = getattr(dataset, "score_scale", None)
    if stated:
        return stated
    whole = loaded(dataset)
    if whole is dataset or getattr(whole, "score_scale", None):
        return getattr(whole, "score_scale", None)
    events = whole.events
    if MIXED_COLUMN in events.columns:  # each event on its own file's scale
        return None
    if "score" not in events.columns:
        return None
    facts = engine.execute(events.aggregate(low=events.score.min(), high=events.score.max())).iloc[0]
    if pd.isna(facts["low"]) or pd.isna(facts["high"]):
        return None
    try:
        return resolve_scale("auto", float(facts["low"]), float(facts["high"]))
    except ParameterError:  # no scale reads the whole data: each view is read by its own range
        return None


def signals_of(events, *, params: SentimentParams = SentimentParams(), customers=None) -> pd.DataFrame:
    """compute_signals on an events table (Ibis): for analyses inside cjm that hold a sample or a part of
    a dataset's events (customer features, a segment's journey map); `customers` supplies a segment.

    Inside an engine.shared() scope (the report) equal calls share one computation: the sentiment
    section and the journey map read the same signals."""
    if customers is not None and ("segment" not in customers.columns or "segment" in events.columns):
        customers = None  # the customers table is read for a segment only
    return engine.remember(("signals_of", events, customers, params), lambda: _signals_of(events, params, customers))


def _signals_of(events, params: SentimentParams, customers) -> pd.DataFrame:
    facts = engine.execute(
        events.aggregate(
            scores=events.score.count(),
            texts=_text_present(events).sum(),
            low=events.score.min(),
            high=events.score.max(),
        )
    ).iloc[0]
    has_scores = params.use_scores and int(facts["scores"]) > 0
    has_text = params.use_text and int(facts["texts"] or 0) > 0
    if not (has_scores or has_text):
        raise InsufficientDataError(
            "Sentiment needs a 'score' column (rating, NPS, CSAT or CES answers) or a 'text' column "
            "(comments, reviews, CRM notes) with values; none were found. Map one of them on the Data page."
        )
    parts = []
    scale = None
    mixed = params.score_scale == "auto" and MIXED_COLUMN in events.columns  # each file on its own scale
    if has_scores and mixed:
        parts.append(_mixed_score_signals(events))
    elif has_scores:
        low, high = float(facts["low"]), float(facts["high"])
        scale = resolve_scale(params.score_scale, low, high)
        parts.append(_score_signals(events, scale))
    if has_text:
        # a polarity score is a reading of the comment itself (a listening tool's or an annotator's label), so
        # it replaces the text model on the comments it labels rather than adding a second signal
        if mixed:
            own = events[MIXED_COLUMN]
            parts.append(_text_signals(events.filter(events.score.isnull() | own.isnull() | (own != "polarity")), params))
        else:
            labelled = scale == "polarity"
            parts.append(_text_signals(events.filter(events.score.isnull()) if labelled else events, params))
    columns = list(SIGNAL_COLUMNS)
    extra = ["segment"] if "segment" in events.columns else []
    union = parts[0].select(*columns, *extra)
    for part in parts[1:]:
        union = union.union(part.select(*columns, *extra))
    if customers is not None:
        customers = engine.colocate(customers, like=events)  # joined where the events live
        seg = customers.select(customer_id_c=customers.customer_id, segment=customers.segment.cast("string"))
        union = union.left_join(seg, union.customer_id == seg.customer_id_c).drop("customer_id_c")
    out = engine.execute(union.order_by(["timestamp", "row_id", "source"]))
    out["scored"] = out["scored"].astype(bool)
    out["text"] = out["text"].where(out["text"].str.strip() != "")
    return out.reset_index(drop=True)


def as_signals(data, *, params: SentimentParams = SentimentParams()) -> pd.DataFrame:
    """`data` itself when it is a compute_signals frame, else the signals of `data` as a Dataset.

    Lets analyses that need events for other reasons (or must be cached by the dataset, not by a
    frame) take the Dataset and compute the signals themselves."""
    if isinstance(data, pd.DataFrame):
        return data
    return compute_signals(data, params=params)


def _require(signals: pd.DataFrame, column: str, why: str) -> None:
    if column not in signals.columns or signals[column].isna().all():
        raise InsufficientDataError(f"Sentiment by {column} needs a '{column}' column: {why}")


def _group_key(scored: pd.DataFrame, by: str, period: str, tz="UTC") -> pd.Series:
    if by == "period":  # the days, weeks and months of the dataset's time zone
        naive = scored["timestamp"].dt.tz_convert(tz).dt.tz_localize(None)
        return naive.dt.to_period(PERIODS[period]).dt.start_time
    return scored[by].astype("string").fillna(NOT_SET)


def compute_sentiment_by(
    signals: pd.DataFrame,
    *,
    by: str = "stage",
    period: str = "month",
    stages: tuple[str, ...] = (),
    segments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Mean sentiment per group with its 95% t confidence interval, NPS and CSAT where defined.

    Columns: group, n (scored signals), mean, ci_low, ci_high, negative_share, nps, nps_n, csat,
    csat_n, and `order` (stage position) for by="stage". By stage, rows follow the stage order and,
    when `stages` is given, every stage appears (n = 0, mean NaN where no one gave feedback): this is
    the emotion curve. By period (the days, weeks or months of the signals' attrs["tz"], else UTC's), undated
    signals are left out. `segments` (customer_id, segment) supplies
    segments not already on the signals.
    """
    if by not in BY_CHOICES:
        raise ParameterError(f"by must be one of {', '.join(BY_CHOICES)}; got {by!r}.")
    tz = signals.attrs.get("tz", "UTC")  # compute_signals': the dataset's time zone
    if period not in PERIODS:
        raise ParameterError(f"period must be one of {', '.join(PERIODS)}; got {period!r}.")
    if by == "segment" and segments is not None:
        signals = signals.drop(columns="segment", errors="ignore").merge(
            segments[["customer_id", "segment"]], on="customer_id", how="left"
        )
    if by == "segment":
        _require(signals, "segment",
                 "build segments on the Segments page, or load a customers table with a 'segment' column.")
    elif by in ("event", "channel"):
        _require(signals, by, "map that column on the Data page.")
    read = dict.fromkeys(("value", "label", "scale", "score", "stage_index", "timestamp", by))  # only these are taken
    scored = signals.loc[signals["scored"], [c for c in read if c in signals.columns]].copy()
    undated = 0
    if by == "period":  # undated responses (a survey row without its date) are no point in time: left out, counted
        undated = int(scored["timestamp"].isna().sum())
        scored = scored[scored["timestamp"].notna()]
    scored["group"] = _group_key(scored, by, period, tz)
    is_nps = scored["scale"].eq("nps10").fillna(False)
    is_csat = scored["scale"].eq("rating5").fillna(False)
    scored = scored.assign(
        negative=scored["label"].eq("negative").astype(float),
        promoter=(is_nps & (scored["score"] >= 9)).astype(float),
        detractor=(is_nps & (scored["score"] <= 6)).astype(float),
        nps_n=is_nps.astype(float),
        satisfied=(is_csat & (scored["score"] >= 4)).astype(float),
        csat_n=is_csat.astype(float),
    )
    grouped = scored.groupby("group", sort=True, dropna=False)
    out = grouped.agg(
        n=("value", "size"), mean=("value", "mean"), sd=("value", "std"), negative=("negative", "sum"),
        promoter=("promoter", "sum"), detractor=("detractor", "sum"), nps_n=("nps_n", "sum"),
        satisfied=("satisfied", "sum"), csat_n=("csat_n", "sum"),
    ).reset_index()
    out = _with_ci(out)
    out["negative_share"] = out["negative"] / out["n"]
    out["nps"] = (100.0 * (out["promoter"] - out["detractor"]) / out["nps_n"]).where(out["nps_n"] > 0)
    out["csat"] = (out["satisfied"] / out["csat_n"]).where(out["csat_n"] > 0)
    out[["nps_n", "csat_n"]] = out[["nps_n", "csat_n"]].astype("int64")
    columns = ["group", "n", "mean", "ci_low", "ci_high", "negative_share", "nps", "nps_n", "csat", "csat_n"]
    out = out[columns]
    if by == "stage":
        out = _in_stage_order(out, scored, stages)
    out = out.reset_index(drop=True)
    if by == "period":
        out.attrs["tz"] = tz  # the zone whose days the periods are (the chart's axis names it)
        out.attrs["undated"] = undated  # the responses without a date, left out of the trend (the page says so)
    return out


def _with_ci(out: pd.DataFrame) -> pd.DataFrame:
    n = out["n"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        # stdtrit is Student's t quantile (what scipy.stats.t.ppf computes, without importing scipy.stats)
        half = stdtrit(n - 1, 0.975) * out["sd"].to_numpy() / np.sqrt(n)
    half = np.where(n >= 2, np.nan_to_num(half, nan=0.0), np.nan)
    out["ci_low"] = np.clip(out["mean"] - half, -1.0, 1.0)
    out["ci_high"] = np.clip(out["mean"] + half, -1.0, 1.0)
    return out


def _in_stage_order(out: pd.DataFrame, scored: pd.DataFrame, stages: tuple[str, ...]) -> pd.DataFrame:
    observed = scored.drop_duplicates("group").set_index("group")["stage_index"]
    if stages:
        named = pd.DataFrame({"group": list(stages)})
        out = named.merge(out, on="group", how="left").pipe(
            lambda f: pd.concat([f, out[~out["group"].isin(stages)]], ignore_index=True)
        )
        out["n"] = out["n"].fillna(0).astype("int64")
        out[["nps_n", "csat_n"]] = out[["nps_n", "csat_n"]].fillna(0).astype("int64")
        position = {s: i for i, s in enumerate(stages)}
        out["order"] = out["group"].map(position)
    else:
        out["order"] = out["group"].map(observed)
    out["order"] = out["order"].fillna(-1).astype("int64")
    # Unmapped events (stage_index -1) come after every real stage.
    sort_key = out["order"].where(out["order"] >= 0, np.iinfo("int64").max)
    return out.assign(_k=sort_key).sort_values(["_k", "group"], kind="stable").drop(columns="_k")




def compute_overall(signals: pd.DataFrame) -> dict:
    """Overall numbers, JSON-friendly: n (scored signals), mean, nps (points) with nps_n (0..10
    answers), csat (share) with csat_n (1..5 answers), scale (of the scores: their one scale; "mixed" when files
    loaded together are each read on their own, different scale; None without scores), scales ({scale: scores read
    on it}, most first: every scale the scores were read on, one entry unless "mixed"), scores and texts (signals of
    each source), unscored (texts the scorer could not read) and unscored_languages ({language code: texts}, most
    first; "und" = too short to tell)."""
    scored = signals[signals["scored"]]
    nps_scores = scored.loc[scored["scale"].eq("nps10").fillna(False), "score"]
    csat_scores = scored.loc[scored["scale"].eq("rating5").fillna(False), "score"]
    nps = 100.0 * ((nps_scores >= 9).mean() - (nps_scores <= 6).mean()) if len(nps_scores) else None
    csat = float((csat_scores >= 4).mean()) if len(csat_scores) else None
    unscored = signals[~signals["scored"]]
    languages = unscored["language"].fillna(UNDETERMINED).value_counts()
    languages = languages.rename_axis("language").reset_index(name="n").sort_values(
        ["n", "language"], ascending=[False, True])
    scales = signals.loc[signals["source"].eq("score"), "scale"].dropna().astype(str).value_counts()
    scales = scales.rename_axis("scale").reset_index(name="n").sort_values(["n", "scale"], ascending=[False, True])
    return {
        "n": int(len(scored)),
        "mean": _plain(float(scored["value"].mean())) if len(scored) else None,
        "nps": _plain(float(nps)) if nps is not None else None,
        "nps_n": int(len(nps_scores)),
        "csat": _plain(csat),
        "csat_n": int(len(csat_scores)),
        "scale": None if scales.empty else str(scales["scale"].iloc[0]) if len(scales) == 1 else MIXED_SCALES,
        "scales": {str(k): int(v) for k, v in zip(scales["scale"], scales["n"])},
        "scores": int(signals["source"].eq("score").sum()),
        "texts": int(signals["source"].eq("text").sum()),
        "unscored": int(len(unscored)),
        "unscored_languages": {str(k): int(v) for k, v in zip(languages["language"], languages["n"])},
    }


def scales_by_file(signals: pd.DataFrame, files) -> dict[str, str]:
    """{file name: the scale its scores were read on} for the events files of a dataset (`files`: Dataset.files,
    whose row_ids say which events each file gave) that gave scores; {} when the files' events are not numbered."""
    scores = signals[signals["source"].eq("score") & signals["scale"].notna()]
    out = {}
    for f in files or ():
        rows = getattr(f, "row_ids", None)
        if getattr(f, "role", None) == "customers" or rows is None:
            continue
        found = scores.loc[scores["row_id"].between(rows[0], rows[1] - 1), "scale"].astype(str).unique()
        if len(found):
            out[str(f.name)] = MIXED_SCALES if len(found) > 1 else str(found[0])
    return out


def scales_note(overall: dict, by_file: dict[str, str]) -> str:
    """The sentence the Sentiment page writes under its tiles when the scores were read on several scales (files
    loaded together, each read on its own: compute_overall's scale "mixed"); "" otherwise. `by_file`:
    scales_by_file's {file name: scale}, else the scales alone are named."""
    if overall.get("scale") != MIXED_SCALES:
        return ""
    if by_file:
        said = "; ".join(f"{name}: {SCALE_LABELS.get(scale, scale)}" for name, scale in by_file.items())
    else:
        said = "; ".join(f"{SCALE_LABELS.get(scale, scale)} ({n:,} scores)" for scale, n in overall["scales"].items())
    return (f"The scores are on more than one scale, each file's read on its own ({said}) and put on -1..+1 by "
            "it; NPS counts only 0–10 recommend answers, CSAT only 1–5 ratings.")


def suggest_period(first, last) -> str:
    """The period that gives a readable trend over the span: day up to 5 weeks, week up to 6 months,
    month up to 3 years, then quarter."""
    days = (pd.Timestamp(last) - pd.Timestamp(first)).total_seconds() / 86400.0
    return "day" if days <= 35 else "week" if days <= 183 else "month" if days <= 3 * 366 else "quarter"


def compute_facets(signals: pd.DataFrame, *, stages: tuple[str, ...] = ()) -> dict:
    """What the feedback can be cut by: stages and channels that have comments (stages in model
    order, then unmapped), events (touchpoints) with feedback, whether a segment is known, whether the
    feedback has dates (`dated`: an undated survey or review export has no trend), and the suggested
    period for the trend."""
    commented = signals[signals["text"].notna()]
    position = {s: i for i, s in enumerate(stages)}

    def values(frame, column):
        if column not in frame.columns:
            return []
        found = frame[column].dropna().astype(str).unique().tolist()
        return sorted(found, key=lambda v: (position.get(v, len(position)), v))

    has_time = signals["timestamp"].notna().any()
    return {
        "comment_stages": values(commented, "stage"),
        "comment_channels": values(commented, "channel"),
        "events": values(signals, "event"),
        "channels": values(signals, "channel"),
        "segments": "segment" in signals.columns and bool(signals["segment"].notna().any()),
        "dated": bool(has_time),
        "period": suggest_period(signals["timestamp"].min(), signals["timestamp"].max()) if has_time else "month",
    }
