"""At-risk customers: early signs of leaving, from behaviour and feedback.

Features per customer (computed in the engine, to `as_of`, default the last event in the data):
recency_days (since the last event), events_recent / events_before (events in the last
`window_days` and in the `window_days` before), support_contacts (in the last window; the one rule of
cjm.data.contacts, the same as the segment features': an event is a support contact when the words of
its department or stage name a support team (support, service, help desk, customer care, contact
centre, ...) or the words of its name say the customer contacted support (support, ticket, complaint,
chat, live chat, help desk, call centre, ...) and its name follows up no contact ("ticket_closed" is
none: one ticket is one contact); words, not substrings: "callback_requested" and "chatbot_greeting"
are not contacts), revenue, tenure_days, furthest_stage (as the Overview's stage reach counts it,
cjm.journey.reach: a cancellation, return or refund lifts nobody to its stage; -1 when no event reached one),
days_since_progress (since the customer first reached their furthest stage), stalled (no progress for `stalled_days`,
not at the final stage), mean_sentiment and last_negative (from the sentiment signals).

Two methods, and the result says which one ran:
- "model": when the customers table has a churn label (a column named churn, churned, is_churn,
  churn_flag, cancelled, canceled, attrition or exited holding 0/1, true/false or yes/no) with at
  least 5 customers of each class, a logistic regression (median imputation, standardisation) is
  trained; its 5-fold stratified cross-validated ROC AUC is reported. Risk = predicted probability.
  Drivers are the features pushing a customer's risk up most (coefficient x standardised value).
- "rules": otherwise, transparent points (`RULES`, shown by `describe_rules`) summed to 0..1.
Customers already labelled as churned are lost rather than at risk: they are never counted at risk.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from cjm import engine
from cjm.data.contacts import find_support_contacts
from cjm.data.reversals import reached_stage_index, reversals_in
from cjm.errors import InsufficientDataError, ParameterError
from cjm.voice.followup import end_of_data, latest_positions
from cjm.voice.sentiment import SentimentParams, compute_signals
from cjm.present.formats import format_percent, format_signed

LABEL_NAMES = ("churn", "churned", "is_churn", "is_churned", "churn_flag", "cancelled", "canceled",
               "is_cancelled", "attrition", "exited")
MODEL_FEATURES = ("recency_days", "events_recent", "events_before", "frequency_change", "support_contacts",
                  "revenue", "tenure_days", "days_since_progress", "mean_sentiment", "last_negative")
MIN_PER_CLASS = 5
DAY = 86400.0


@dataclass(frozen=True)
class RiskParams:
    window_days: int = 90          # recent window for frequency and support contacts
    inactive_days: int = 60        # rule: no event for this long
    stalled_days: int = 30         # no stage progress for this long
    support_contacts: int = 2      # rule: at least this many support contacts in the window
    threshold: float = 0.5         # risk at or above this counts as at risk
    method: str = "auto"           # "auto" (model when a churn label exists) | "rules" | "model"

    def __post_init__(self):
        for name in ("window_days", "inactive_days", "stalled_days"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 1 <= value <= 3650:
                raise ParameterError(f"{name} must be a whole number of days between 1 and 3650; got {value!r}.")
        if not isinstance(self.support_contacts, int) or self.support_contacts < 1:
            raise ParameterError(
                f"support_contacts must be a whole number of at least 1; got {self.support_contacts!r}."
            )
        if not 0.0 < self.threshold < 1.0:
            raise ParameterError(f"threshold must be between 0 and 1 (0.5 is usual); got {self.threshold!r}.")
        if self.method not in ("auto", "rules", "model"):
            raise ParameterError(f"method must be 'auto', 'rules' or 'model'; got {self.method!r}.")


@dataclass(frozen=True)
class Rule:
    name: str
    points: int
    condition: str   # plain words, with {params} placeholders


RULES = (
    Rule("inactive", 30, "no event for {inactive_days} days or more"),
    Rule("falling_frequency", 20,
         "events in the last {window_days} days fell to half or less of the {window_days} days before (from at least 2)"),
    Rule("negative_last", 20, "the latest feedback was negative"),
    Rule("support", 15, "{support_contacts} or more support contacts in the last {window_days} days"),
    Rule("low_sentiment", 10, "mean sentiment below -0.05"),
    Rule("stalled", 5, "no stage progress for {stalled_days} days (not at the final stage)"),
)


def describe_rules(params: RiskParams = RiskParams()) -> pd.DataFrame:
    """The rule list as shown to users: rule, points, condition."""
    return pd.DataFrame(
        {"rule": [r.name for r in RULES], "points": [r.points for r in RULES],
         "condition": [r.condition.format(**params.__dict__) for r in RULES]}
    )


def _days(expr, end):
    return (end.epoch_seconds() - expr.epoch_seconds()).cast("float64") / DAY


def compute_risk_features(dataset, *, signals: pd.DataFrame | None = None, as_of=None,
                          params: RiskParams = RiskParams()) -> pd.DataFrame:
    """One row per customer with the features listed in the module docstring (and `churned`, 0/1 or
    NaN, when the dataset's customers table has a churn label). dataset: the Dataset (or a view of it);
    a customer is stalled short of the last stage of its stage model."""
    events, stages, customers = dataset.events, dataset.stages, dataset.customers
    end = end_of_data(dataset, as_of)
    end_lit = ibis.literal(end.to_pydatetime(), type="timestamp('UTC')")
    t = events.filter(events.timestamp <= end_lit)
    # How far a customer got, as the Overview's stage reach counts it: a cancellation, return or refund lifts nobody
    # to its stage (cjm.data.reversals: such an event counts as an unmapped one, -1). Named once per distinct event
    # name (few), matched on the events with isin.
    named = reversals_in(events)
    t = t.mutate(_reached=reached_stage_index(t, named))
    # recent: less than `window_days` before the end; before: the `window_days` before that. Compared as
    # timestamps (two literals) rather than as each event's age in seconds (an epoch per event).
    window = pd.Timedelta(days=params.window_days)
    recent_from, before_from = (ibis.literal((end - w).to_pydatetime(), type="timestamp('UTC')") for w in (window, 2 * window))
    recent = t.timestamp > recent_from
    before = (t.timestamp <= recent_from) & (t.timestamp > before_from)
    # One pass over the events per customer, counting with filtered counts (no per-event flag columns).
    base = t.group_by("customer_id").aggregate(
        last_seen=t.timestamp.max(), first_seen=t.timestamp.min(),
        events_recent=t.count(where=recent), events_before=t.count(where=before),
        support_contacts=t.count(where=find_support_contacts(t) & recent), revenue=t.revenue.sum().fill_null(0.0),
        furthest_stage=t._reached.max(),
    )
    # When each customer first reached each stage, joined on their furthest stage: the first time at the
    # furthest stage, without a per-event window (which sorted or joined every event back to its customer).
    firsts = t.group_by(_cid="customer_id", _stage="_reached").aggregate(progress_at=t.timestamp.min())
    joined = base.left_join(firsts, (base.customer_id == firsts._cid) & (base.furthest_stage == firsts._stage))
    out = engine.execute(joined.mutate(
        recency_days=_days(joined.last_seen, end_lit), tenure_days=_days(joined.first_seen, end_lit),
        days_since_progress=_days(joined.progress_at, end_lit),
    ).drop("_cid", "_stage", "progress_at", "first_seen").order_by("customer_id"))
    final = len(stages) - 1
    out["frequency_change"] = out["events_recent"] - out["events_before"]
    out["stalled"] = (out["days_since_progress"] >= params.stalled_days) & out["furthest_stage"].between(0, final - 1)
    out = _with_sentiment(out, _given_by(signals, end))
    if customers is not None:
        out = _with_label(out, customers)
    # The engine's order makes this sort cheap; it stays for engines whose text order follows a locale.
    return out.sort_values("customer_id").reset_index(drop=True)


def _given_by(signals: pd.DataFrame | None, end: pd.Timestamp) -> pd.DataFrame | None:
    """The signals given at or before `end` (as_of): feedback after it was not known yet, as events after it are
    not (a signal without a time is kept)."""
    if signals is None or signals.empty or "timestamp" not in signals.columns:
        return signals
    later = (pd.to_datetime(signals["timestamp"], utc=True) > end).to_numpy(dtype=bool)  # naive: UTC
    return signals[~later].reset_index(drop=True) if later.any() else signals


def _with_sentiment(out: pd.DataFrame, signals: pd.DataFrame | None) -> pd.DataFrame:
    """mean_sentiment (mean value of the customer's scored signals) and last_negative (their latest
    scored signal is negative), matched to the customers' rows by position rather than by merges."""
    if signals is None or signals.empty:
        return out.assign(mean_sentiment=np.nan, last_negative=False)
    # each signal's row in `out` (-1: none); a missing id matches a missing id, as a merge would match it
    found = pc.index_in(pa.array(signals["customer_id"]), value_set=pa.array(out["customer_id"]))
    where = pc.fill_null(found, -1).to_numpy().astype("int64")
    scored = signals["scored"].to_numpy(dtype=bool)
    # the mean per customer by the engine of groupby().mean() (the same sums), missing ids left out as
    # a groupby by customer_id leaves them out
    kept = scored & (where >= 0) & signals["customer_id"].notna().to_numpy()
    means = signals["value"][kept].groupby(where[kept]).mean()
    mean = np.full(len(out), np.nan)
    mean[means.index.to_numpy()] = means.to_numpy(dtype="float64")
    latest = latest_positions(signals, np.where(where >= 0, where, len(out)))
    latest = latest[where[latest] >= 0]
    negative = np.zeros(len(out), dtype=bool)
    negative[where[latest]] = signals["label"].iloc[latest].eq("negative").to_numpy(dtype=bool)
    return out.assign(mean_sentiment=mean, last_negative=negative)


def find_label_column(columns) -> str | None:
    """The churn label column of a customers table, matched by name in any case and spacing."""
    normal = {str(c).strip().lower().replace(" ", "_").replace("-", "_"): c for c in columns}
    return next((normal[name] for name in LABEL_NAMES if name in normal), None)


def _parse_label(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip().str.lower()
    mapping = {"1": 1.0, "1.0": 1.0, "true": 1.0, "yes": 1.0, "y": 1.0, "t": 1.0,
               "0": 0.0, "0.0": 0.0, "false": 0.0, "no": 0.0, "n": 0.0, "f": 0.0}
    return text.map(mapping).astype("float64")


def _with_label(out: pd.DataFrame, customers) -> pd.DataFrame:
    column = find_label_column(customers.columns)
    if column is None:
        return out
    labels = engine.execute(
        customers.select(customer_id=customers.customer_id.cast("string"), _label=customers[column])
    )
    labels["churned"] = _parse_label(labels["_label"])
    out = out.merge(labels[["customer_id", "churned"]].drop_duplicates("customer_id"), on="customer_id", how="left")
    out.attrs["label_column"] = str(column)
    return out


def _whole(x):
    return x.round().astype("Int64").astype("string")


def _text(values, words_if_true: str, words_if_false: str):
    return pd.Series(np.where(values, words_if_true, words_if_false), index=values.index, dtype="string")


# feature: (the values its phrase reads, how the phrase is written from them and the window in days). A
# phrase depends on nothing else, so the drivers can be written once per distinct combination of values.
PHRASES = {
    "recency_days": (lambda f: [f["recency_days"].round()], lambda v, w: "no activity for " + _whole(v[0]) + " days"),
    "events_recent": (lambda f: [f["events_recent"].round()],
                      lambda v, w: "only " + _whole(v[0]) + " events in the last " + w + " days"),
    "events_before": (lambda f: [f["events_before"].round()],
                      lambda v, w: _whole(v[0]) + " events in the " + w + " days before"),
    "frequency_change": (lambda f: [f["frequency_change"] < 0, f["events_before"].round(), f["events_recent"].round()],
                         lambda v, w: _text(v[0], "events fell from ", "events went from ")
                         + _whole(v[1]) + " to " + _whole(v[2])),
    "support_contacts": (lambda f: [f["support_contacts"].round()], lambda v, w: _whole(v[0]) + " support contacts"),
    "revenue": (lambda f: [f["revenue"].round(2)], lambda v, w: "spent " + v[0].astype("string")),
    "tenure_days": (lambda f: [f["tenure_days"].round()], lambda v, w: "customer for " + _whole(v[0]) + " days"),
    "days_since_progress": (lambda f: [f["days_since_progress"].round()],
                            lambda v, w: "no stage progress for " + _whole(v[0]) + " days"),
    "mean_sentiment": (lambda f: [f["mean_sentiment"]], lambda v, w: "mean sentiment " + v[0].map(format_signed)),
    "last_negative": (lambda f: [f["last_negative"]],
                      lambda v, w: _text(v[0], "negative last comment", "no negative last comment")),
}
RULE_PHRASES = {"inactive": "recency_days", "falling_frequency": "frequency_change", "negative_last": "last_negative",
                "support": "support_contacts", "low_sentiment": "mean_sentiment", "stalled": "days_since_progress"}


def _phrases(features: pd.DataFrame, params: RiskParams) -> pd.DataFrame:
    """Plain-word description of each feature's value, one column per feature."""
    window = str(params.window_days)
    return pd.DataFrame({feature: write(reads(features), window) for feature, (reads, write) in PHRASES.items()},
                        index=features.index)


def distinct_codes(values: pd.Series) -> np.ndarray:
    """An integer per value, equal only for identical values: floats by their bits (so -0.0 and 0.0,
    which are written differently, stay apart), anything else by pandas.factorize (missing: -1)."""
    if pd.api.types.is_float_dtype(values.dtype) and not isinstance(values.dtype, pd.api.extensions.ExtensionDtype):
        return values.to_numpy(dtype="float64").view("int64")
    return pd.factorize(values)[0].astype("int64")


def written_once(frame: pd.DataFrame, key: list[np.ndarray], write) -> pd.Series:
    """write(rows of `frame`) computed on one row per distinct combination of the `key` arrays (one value
    per row of `frame` each, e.g. distinct_codes of the values the words read) and spread to every row:
    the same Series as write(frame) whenever rows with equal keys are written alike."""
    if len(frame) == 0:
        return write(frame)
    group = pd.DataFrame(dict(enumerate(key))).groupby(list(range(len(key))), sort=False).ngroup().to_numpy()
    first = np.unique(group, return_index=True)[1]  # groups are numbered in order of first appearance
    return write(frame.iloc[first]).iloc[group].set_axis(frame.index)


def _join_phrases(columns: list[pd.Series]) -> pd.Series:
    joined = columns[0].fillna("")
    for column in columns[1:]:
        joined = joined.str.cat(column.fillna(""), sep="; ")
    return joined.str.replace(r"(; )+", "; ", regex=True).str.strip("; ")


class RiskModel:
    """Risk of leaving, 0..1, by a cross-validated model when labels allow, else by rules.

    Scikit-learn style: parameters in __init__, learned state ending in "_" (method_, reason_,
    auc_, auc_std_, pipeline_, coef_).
    """

    def __init__(self, params: RiskParams = RiskParams(), random_state: int = 0, cv_folds: int = 5):
        self.params = params
        self.random_state = random_state
        self.cv_folds = cv_folds

    def fit(self, features: pd.DataFrame, y: pd.Series | None = None) -> RiskModel:
        self.method_, self.reason_, self.auc_, self.auc_std_ = "rules", None, None, None
        need = max(MIN_PER_CLASS, self.cv_folds)
        if self.params.method == "rules":
            self.reason_ = "the rules were chosen"
        elif y is None:
            self.reason_ = ("no churn label in the customers table (a column named churn, churned or cancelled "
                            "with 0/1 values)")
        else:
            counts = y.value_counts()
            churned, retained = int(counts.get(1.0, 0)), int(counts.get(0.0, 0))
            if churned < need or retained < need:
                self.reason_ = (f"the churn label has {churned} churned and {retained} retained customers; "
                                f"a model needs at least {need} of each")
        if self.reason_ is not None:
            if self.params.method == "model":
                raise InsufficientDataError(f"A risk model cannot be trained: {self.reason_}.")
            return self
        labelled = y.notna().to_numpy()
        X, target = self._matrix(features[labelled]), y[labelled].astype(int).to_numpy()
        pipeline = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler(),
                                 LogisticRegression(max_iter=2000, random_state=self.random_state))
        folds = StratifiedKFold(n_splits=self.cv_folds, shuffle=True, random_state=self.random_state)
        scores = cross_val_score(pipeline, X, target, cv=folds, scoring="roc_auc")
        self.auc_, self.auc_std_ = float(np.mean(scores)), float(np.std(scores))
        self.pipeline_ = pipeline.fit(X, target)
        self.coef_ = pd.Series(pipeline[-1].coef_[0], index=list(MODEL_FEATURES))
        self.method_ = "model"
        return self

    @staticmethod
    def _matrix(features: pd.DataFrame) -> np.ndarray:
        return features[list(MODEL_FEATURES)].astype("float64").to_numpy()

    def rule_points(self, features: pd.DataFrame) -> pd.DataFrame:
        """Points per rule (0 when it does not fire), one column per rule."""
        p, f = self.params, features
        fired = {
            "inactive": f["recency_days"] >= p.inactive_days,
            "falling_frequency": (f["events_before"] >= 2) & (f["events_recent"] <= 0.5 * f["events_before"]),
            "negative_last": f["last_negative"].astype(bool),
            "support": f["support_contacts"] >= p.support_contacts,
            "low_sentiment": f["mean_sentiment"].fillna(0.0) < -0.05,
            "stalled": f["stalled"].astype(bool),
        }
        return pd.DataFrame({r.name: np.where(fired[r.name], r.points, 0) for r in RULES}, index=f.index)

    def _rule_drivers(self, features: pd.DataFrame) -> pd.Series:
        phrases, points = _phrases(features, self.params), self.rule_points(features)
        rule_phrase = {rule: phrases[feature] for rule, feature in RULE_PHRASES.items()}
        rule_phrase["support"] = rule_phrase["support"] + " in the last " + str(self.params.window_days) + " days"
        columns = [rule_phrase[r.name].where(points[r.name] > 0) for r in RULES]  # RULES: most points first
        return _join_phrases(columns)

    def predict(self, features: pd.DataFrame) -> np.ndarray:
        """Risk 0..1 per customer."""
        if self.method_ == "model":
            return self.pipeline_.predict_proba(self._matrix(features))[:, 1]
        return self.rule_points(features).sum(axis=1).to_numpy() / sum(r.points for r in RULES)

    def drivers(self, features: pd.DataFrame, top: int = 3) -> pd.Series:
        """The top reasons behind each customer's risk, in plain words ("no activity for 94 days; ...")."""
        if self.method_ == "rules":
            # The words depend only on which rules fire and on the values their phrases read: they are
            # written once per distinct combination (a few thousand among 137k customers) and spread.
            points = self.rule_points(features)
            fired = [points[r.name].to_numpy() > 0 for r in RULES]
            key = fired + [np.where(fired[i], distinct_codes(value), -1) for i, r in enumerate(RULES)
                           for value in PHRASES[RULE_PHRASES[r.name]][0](features)]
            return written_once(features, key, self._rule_drivers)
        phrases = _phrases(features, self.params)
        pipeline = self.pipeline_
        z = pipeline[:-1].transform(self._matrix(features))
        contributions = z * self.coef_.to_numpy()
        order = np.argsort(-contributions, axis=1, kind="stable")[:, :top]
        picked = np.take_along_axis(phrases[list(MODEL_FEATURES)].to_numpy(dtype=object), order, axis=1)
        pushes_up = np.take_along_axis(contributions, order, axis=1) > 0
        columns = [pd.Series(np.where(pushes_up[:, k], picked[:, k], None), index=features.index, dtype="string")
                   for k in range(order.shape[1])]
        return _join_phrases(columns)


def compute_at_risk(dataset, *, signals: pd.DataFrame | None = None, as_of=None,
                    params: RiskParams = RiskParams(),
                    top: int = 10, sentiment: SentimentParams | None = None,
                    explain: bool = True) -> tuple[pd.DataFrame, dict]:
    """Customers ranked by risk, and a summary. dataset: the Dataset (or a view of it).

    Sentiment features come from `signals`; without them, from signals computed with `sentiment`
    when it is given (and the events carry a score or text); otherwise behaviour alone decides.

    Frame: customer_id, risk (0..1), at_risk, drivers, method, then the features (and churned).
    At-risk customers come first, most at risk first. Summary: {"count", "top" (ids of the `top`
    most at risk), "method", "reason" (why rules), "auc" and "auc_std" (model only), "threshold"}.
    explain=False leaves the drivers empty (null), for callers that read only the summary (the report).
    """
    if signals is None and sentiment is not None:
        try:
            signals = compute_signals(dataset, params=sentiment)
        except InsufficientDataError:  # no feedback: behaviour alone
            signals = None
    features = compute_risk_features(dataset, signals=signals, as_of=as_of, params=params)
    label = features["churned"] if "churned" in features.columns else None
    model = RiskModel(params).fit(features, label)
    churned = label.eq(1.0).fillna(False) if label is not None else pd.Series(False, index=features.index)
    ranked = features.assign(
        risk=model.predict(features), method=model.method_,
        drivers=model.drivers(features) if explain else pd.Series(pd.NA, index=features.index, dtype="string"),
    )
    ranked["at_risk"] = (ranked["risk"] >= params.threshold) & ~churned
    # the features come in customer order, so a stable sort on the two numbers orders ties by customer_id
    ranked = ranked.sort_values(["at_risk", "risk"], ascending=[False, False], kind="stable")
    lead = ["customer_id", "risk", "at_risk", "drivers", "method"]
    ranked = ranked[lead + [c for c in ranked.columns if c not in lead]].reset_index(drop=True)
    summary = {
        "count": int(ranked["at_risk"].sum()),
        "top": [str(c) for c in ranked.loc[ranked["at_risk"], "customer_id"].head(top)],
        "method": model.method_,
        "reason": model.reason_,
        "threshold": params.threshold,
    }
    if model.method_ == "model":
        summary.update(auc=round(model.auc_, 4), auc_std=round(model.auc_std_, 4),
                       label_column=features.attrs.get("label_column"))
    return ranked, summary


def risk_status(row, *, threshold: float, label_column: str | None = None) -> tuple[str, str]:
    """("churned" | "at_risk" | "not_at_risk", the sentence for one customer's row of compute_at_risk).

    A customer already labelled as churned is "already left", whatever their risk score: never "not at
    risk" beside a high score. The threshold is named so "risk 45%" reads against it."""
    risk = format_percent(row['risk'], 0)
    cut = format_percent(threshold, 0)
    drivers = row.get("drivers") if hasattr(row, "get") else None
    reasons = f": {drivers}" if isinstance(drivers, str) and drivers else ""
    churned = row.get("churned") if hasattr(row, "get") else None
    if churned is not None and not pd.isna(churned) and float(churned) == 1.0:
        where = f" in the '{label_column}' column" if label_column else ""
        return "churned", (f"Already left (marked as churned{where}), so no longer counted at risk; "
                           f"the model's risk score for them is {risk}.")
    if bool(row["at_risk"]):
        return "at_risk", f"At risk of leaving (risk {risk}, at or above the {cut} threshold){reasons}"
    return "not_at_risk", f"Not at risk (risk {risk}, below the {cut} threshold){reasons}"


def compute_risk_distribution(at_risk: pd.DataFrame, *, bins: int = 20) -> pd.DataFrame:
    """Customers per risk band: bin_start, bin_end, customers, at_risk_customers (flagged at risk),
    churned_customers (already lost per the churn label, never counted at risk) and other_customers
    (the rest: below the threshold and not churned)."""
    if not 2 <= bins <= 100:
        raise ParameterError(f"bins must be between 2 and 100; got {bins!r}.")
    edges = np.linspace(0.0, 1.0, bins + 1)
    risk = at_risk["risk"].clip(0.0, 1.0)

    def per_bin(mask) -> np.ndarray:
        return np.histogram(risk[mask], bins=edges)[0]

    churned = at_risk["churned"].eq(1.0).fillna(False) if "churned" in at_risk.columns else risk.lt(-1)
    out = pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "customers": per_bin(risk.notna()),
                        "at_risk_customers": per_bin(at_risk["at_risk"].astype(bool)),
                        "churned_customers": per_bin(churned.astype(bool))})
    out["other_customers"] = out["customers"] - out["at_risk_customers"] - out["churned_customers"]
    return out
