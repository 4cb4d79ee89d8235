"""Customer segments (DESIGN.md section 4): a scikit-learn style estimator, its stability, and the whole
segmentation of a page (build_segmentation, with the profiles and names of cjm.customers.profiles).

Pipeline: chosen feature columns -> median for missing values -> log1p on skewed non-negative
columns -> scaling -> clustering. k is chosen by silhouette over `k_range` (on a fixed random sample;
above SWEEP_ABOVE customers the clustering of the sweep too runs on a fixed sample of SWEEP_ROWS, and every
customer is then assigned to the chosen k's nearest centre) unless fixed. Segment numbers are ordered by
size (0 = largest) and the seed is fixed, so the same inputs give the same segments.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass, field, replace
from typing import Callable

import numpy as np
import pandas as pd
import sklearn
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score, pairwise_distances_argmin, pairwise_distances_chunked
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from cjm.errors import InsufficientDataError, ParameterError
from cjm.customers.features import feature_columns
from cjm.customers.profiles import (check_labels, compute_feature_differences, compute_segment_profiles,
                                    name_segments, skewed_columns)
from cjm.present.formats import format_number, format_percent, format_count

SCALINGS = ("standard", "robust", "minmax")
ALGORITHMS = ("kmeans", "gmm", "agglomerative")
MAX_K = 20
AGGLOMERATIVE_MAX_ROWS = 20_000
MINIBATCH_ABOVE = 200_000
# k-means++ restarts: cheap on small data; one (scikit-learn's default) above FEW_INITS_ABOVE customers.
KMEANS_N_INIT = 3
FEW_INITS_ABOVE = 50_000
# Above SWEEP_ABOVE customers, k is chosen on a fixed-seed random sample of SWEEP_ROWS of them and every
# customer is then assigned to the nearest segment centre found on that sample. Measured on 137k generated
# customers: the k-means part of the sweep took 0.46 s on 50,000 and 0.10 s on 10,000, and the segments of
# every customer agreed with those from a 50,000 sample to an adjusted Rand index of 0.999. The real exports
# in ../shared/data have at most ~24k customers, so they are still segmented on every customer.
SWEEP_ABOVE = 50_000
SWEEP_ROWS = 10_000
# scikit-learn's OpenMP/BLAS threads spin-wait on a busy machine: measured here (2 shared cores,
# 100k customers), KMeans ran 3x faster on one thread than on two. Raise it on a dedicated server.
CLUSTER_THREADS = 1
UNSTABLE_ARI = 0.6
DOMINANT_SHARE = 0.8
# A feature most customers have no value for (mean_sentiment when few leave feedback) would be
# mostly median fill: left out of the default features, and a segment difference on it counts only
# when at least MIN_COVERAGE (cjm.customers.profiles) of the segment's customers have a value.
DEFAULT_MIN_COVERAGE = 0.5

Progress = Callable[[int, int, str], None]


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def validate_segment_params(
    *, features, scaling, log_skewed, algorithm, k, k_range, random_state, silhouette_sample
) -> None:
    """Raise ParameterError, quoting the bad value and the fix, for any unusable parameter."""
    if features is not None:
        if isinstance(features, str) or not all(isinstance(f, str) for f in features) or not len(features):
            raise ParameterError(
                f"features must be a list of feature column names (or empty for all); got {features!r}."
            )
    if scaling not in SCALINGS:
        raise ParameterError(f"scaling must be one of {', '.join(map(repr, SCALINGS))}; got {scaling!r}.")
    if not isinstance(log_skewed, (bool, np.bool_)):
        raise ParameterError(f"log_skewed must be true or false; got {log_skewed!r}.")
    if algorithm not in ALGORITHMS:
        raise ParameterError(f"algorithm must be one of {', '.join(map(repr, ALGORITHMS))}; got {algorithm!r}.")
    if k is not None and (not _is_int(k) or not 2 <= k <= MAX_K):
        raise ParameterError(
            f"k (number of segments) must be a whole number from 2 to {MAX_K}, or empty to choose it "
            f"automatically; got {k!r}."
        )
    try:
        lo, hi = k_range
        ok = _is_int(lo) and _is_int(hi) and 2 <= lo <= hi <= MAX_K
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ParameterError(
            f"k_range must be two whole numbers (smallest, largest) with 2 <= smallest <= largest <= {MAX_K}; "
            f"got {k_range!r}. Example: (2, 8)."
        )
    if not _is_int(random_state) or random_state < 0:
        raise ParameterError(f"random_state (seed) must be a whole number of 0 or more; got {random_state!r}.")
    if not _is_int(silhouette_sample) or silhouette_sample < 100:
        raise ParameterError(
            f"silhouette_sample must be a whole number of at least 100 customers; got {silhouette_sample!r}."
        )


@dataclass(frozen=True)
class SegmentParams:
    """The analyst's segmentation settings (JSON-friendly; mirrors the Segmenter constructor)."""

    features: tuple[str, ...] | None = None
    scaling: str = "standard"
    log_skewed: bool = True
    algorithm: str = "kmeans"
    k: int | None = None
    k_range: tuple[int, int] = (2, 8)
    random_state: int = 0
    silhouette_sample: int = 5_000

    def __post_init__(self):
        if self.features is not None and not isinstance(self.features, str):
            object.__setattr__(self, "features", tuple(self.features))
        if isinstance(self.k_range, list):
            object.__setattr__(self, "k_range", tuple(self.k_range))
        validate_segment_params(**self.estimator_kwargs())

    def estimator_kwargs(self) -> dict:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}

    def to_dict(self) -> dict:
        out = asdict(self)
        out["features"] = list(self.features) if self.features is not None else None
        out["k_range"] = list(self.k_range)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "SegmentParams":
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ParameterError(
                f"unknown segment parameters {sorted(unknown)}; expected {list(cls.__dataclass_fields__)}."
            )
        return cls(**data)


def default_features(features: pd.DataFrame) -> list[str]:
    """The features segmentation uses unless the analyst picks others: behaviour and numeric customer
    attributes. Left out: one-hot columns of categorical attributes (`attrs["one_hot"]`; they describe
    personas instead of driving the segments) and features that most customers have no value for.
    When that leaves fewer than two features, every feature is used."""
    columns = feature_columns(features)
    one_hot = set(features.attrs.get("one_hot") or ())
    coverage = features[columns].notna().mean() if columns else pd.Series(dtype="float64")
    chosen = [c for c in columns if c not in one_hot and coverage[c] >= DEFAULT_MIN_COVERAGE]
    return chosen if len(chosen) >= 2 else columns


SILHOUETTE_CHUNK_MB = 16


def sweep_rows(n: int, size: int, seed: int) -> np.ndarray:
    """The customers (row positions, ascending) the k sweep clusters when there are more than
    SWEEP_ABOVE of them: `size` of the `n`, drawn without replacement with the seed (the same seed, the
    same customers)."""
    return np.sort(np.random.default_rng(seed).choice(n, size, replace=False))


def silhouette(X: np.ndarray, labels) -> float:
    """The mean silhouette coefficient (scikit-learn's silhouette_score, euclidean), nan when there are
    fewer than 2 or more than n - 1 segments.

    The same distances as scikit-learn (its chunked pairwise distances), but each chunk's per-segment
    distance sums are one matrix product with the segment indicator matrix instead of a Python loop over
    rows: the result equals silhouette_score to rounding, several times faster on thousands of rows."""
    return silhouettes(X, [labels])[0]


def silhouettes(X: np.ndarray, labelings) -> list[float]:
    """`silhouette(X, labels)` for each labels of `labelings` (the k sweep's segmentations of the same
    customers), bit for bit, with the pairwise distances computed once for all of them: each chunk of
    distances is multiplied by each labels' indicator matrix in turn. (One wide product with the
    indicators side by side is faster but was measured to move a silhouette in its last digit.)"""
    n = len(X)
    prepared = []  # (labels as 0..k-1, segment sizes, indicator matrix), or None: no silhouette
    for labels in labelings:
        codes, labels = np.unique(np.asarray(labels), return_inverse=True)
        k = len(codes)
        if not 2 <= k <= n - 1:
            prepared.append(None)
            continue
        indicator = np.zeros((n, k))
        indicator[np.arange(n), labels] = 1.0
        prepared.append((labels, np.bincount(labels, minlength=k).astype("float64"), indicator))
    used = [p for p in prepared if p is not None]
    if not used:
        return [float("nan")] * len(prepared)

    def reduce(chunk, start):
        return tuple(chunk @ indicator for _, _, indicator in used)  # a tuple: one array per labels

    # Chunks of SILHOUETTE_CHUNK_MB: large enough for fast matrix products, small enough to be served
    # from memory the process already holds. 128 MB chunks (5,000 customers) were measured 1.5 s slower
    # on a first call than steady, fresh pages being slow to touch on a virtual machine; the
    # silhouettes of the real exports are the same to the last digit with either.
    with sklearn.config_context(working_memory=SILHOUETTE_CHUNK_MB):
        chunks = list(pairwise_distances_chunked(X, reduce_func=reduce))
    rows = np.arange(n)
    out, i = [], 0
    for p in prepared:
        if p is None:
            out.append(float("nan"))
            continue
        labels, sizes, _ = p
        sums = np.vstack([chunk[i] for chunk in chunks])
        i += 1
        own = sums[rows, labels]
        sums[rows, labels] = np.inf
        nearest = (sums / sizes).min(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            own = own / (sizes - 1)[labels]
            values = (nearest - own) / np.maximum(own, nearest)
        out.append(float(np.mean(np.nan_to_num(values))))
    return out


class Segmenter(ClusterMixin, BaseEstimator):
    """Cluster customers from a features frame (scikit-learn conventions).

    features=None uses `default_features` of the frame (every numeric column of a plain frame).

    Learned: labels_, k_, silhouette_ (frame k, silhouette, sample_size), feature_names_in_,
    n_features_in_, cluster_centers_ (per-segment means in original units), log_features_,
    medians_ (used for missing values), imputed_ ({feature: customers filled}), sweep_sample_
    ({"customers": all, "sampled": n} when k was chosen on a sample of n customers, else None).
    """

    def __init__(
        self,
        features=None,
        scaling="standard",
        log_skewed=True,
        algorithm="kmeans",
        k=None,
        k_range=(2, 8),
        random_state=0,
        silhouette_sample=5_000,
    ):
        self.features = features
        self.scaling = scaling
        self.log_skewed = log_skewed
        self.algorithm = algorithm
        self.k = k
        self.k_range = k_range
        self.random_state = random_state
        self.silhouette_sample = silhouette_sample

    @classmethod
    def from_params(cls, params: SegmentParams) -> "Segmenter":
        return cls(**params.estimator_kwargs())

    def _validate(self) -> None:
        validate_segment_params(**self.get_params())

    # --- preprocessing -------------------------------------------------------------------------
    def _select(self, X, *, fitted: bool) -> pd.DataFrame:
        if not isinstance(X, pd.DataFrame):
            array = np.asarray(X, dtype="float64")
            if array.ndim != 2:
                raise ParameterError(f"X must be a table of customers by features; got shape {array.shape}.")
            X = pd.DataFrame(array, columns=[f"x{i}" for i in range(array.shape[1])])
        if fitted:
            wanted = list(self.feature_names_in_)
        elif self.features is None:
            wanted = default_features(X)
        else:
            wanted = list(self.features)
        missing = [c for c in wanted if c not in X.columns]
        if missing:
            raise ParameterError(
                f"features {missing} are not in the customer features; available: {feature_columns(X)}. "
                "Pick features from that list."
            )
        if not wanted:
            raise InsufficientDataError("there are no numeric customer features to segment on.")
        bad = [c for c in wanted if not (pd.api.types.is_numeric_dtype(X[c]) or pd.api.types.is_bool_dtype(X[c]))]
        if bad:
            raise ParameterError(f"features {bad} are not numeric; segmentation needs numbers. Remove them.")
        return X[wanted].astype("float64")

    def _fit_preprocess(self, frame: pd.DataFrame) -> np.ndarray:
        values = frame.to_numpy(dtype="float64", copy=True)
        finite = np.isfinite(values)
        empty = [c for c, ok in zip(frame.columns, finite.any(axis=0)) if not ok]
        if empty:
            raise InsufficientDataError(f"features {empty} have no values; remove them from the features.")
        missing = ~finite
        counts = missing.sum(axis=0)
        if counts.any():
            medians = np.nanmedian(np.where(finite, values, np.nan), axis=0)
            values = np.where(missing, medians, values)
        else:  # nothing to skip or fill: the same medians as nanmedian gives
            medians = np.median(values, axis=0)
        self.medians_ = pd.Series(medians, index=frame.columns)
        self.imputed_ = {c: int(n) for c, n in zip(frame.columns, counts) if n}
        if self.log_skewed:
            self._log_mask = skewed_columns(pd.DataFrame(values, columns=frame.columns)).to_numpy()
        else:
            self._log_mask = np.zeros(values.shape[1], dtype=bool)
        self.log_features_ = tuple(frame.columns[self._log_mask])
        values[:, self._log_mask] = np.log1p(values[:, self._log_mask])
        self._scaler = {"standard": StandardScaler, "robust": RobustScaler, "minmax": MinMaxScaler}[self.scaling]()
        return self._scaler.fit_transform(values)

    def preprocess(self, X) -> np.ndarray:
        """The matrix the clustering sees: imputed, log-scaled where skewed, scaled."""
        check_is_fitted(self, "labels_")
        values = self._select(X, fitted=True).to_numpy(dtype="float64", copy=True)
        values = np.where(np.isfinite(values), values, self.medians_.to_numpy())
        values[:, self._log_mask] = np.log1p(np.clip(values[:, self._log_mask], 0, None))
        return self._scaler.transform(values)

    # --- clustering ----------------------------------------------------------------------------
    def _cluster(self, Z: np.ndarray, k: int, tree):
        rs = self.random_state
        if self.algorithm == "agglomerative":
            return None, fcluster(tree, k, criterion="maxclust") - 1
        if self.algorithm == "gmm":
            model = GaussianMixture(n_components=k, random_state=rs, reg_covar=1e-4)
        elif len(Z) > MINIBATCH_ABOVE:
            model = MiniBatchKMeans(n_clusters=k, random_state=rs, n_init=1, batch_size=4096)
        else:
            n_init = 1 if len(Z) > FEW_INITS_ABOVE else KMEANS_N_INIT
            model = KMeans(n_clusters=k, random_state=rs, n_init=n_init)
        return model, model.fit_predict(Z)

    def _silhouettes(self, Z, labelings) -> list[float]:
        """The mean silhouette of each labels on a fixed sample of `silhouette_sample` customers (the sample
        scikit-learn's silhouette_score draws with this random_state; the same customers for every k), nan
        when the sample holds one segment only."""
        if len(Z) > self.silhouette_sample:
            rows = check_random_state(self.random_state).permutation(len(Z))[: self.silhouette_sample]
            Z, labelings = Z[rows], [np.asarray(labels)[rows] for labels in labelings]
        return silhouettes(Z, labelings)

    def _sweep(self, Z, ks, report, total):
        """Try every k; on more than SWEEP_ABOVE customers k is chosen on a fixed-seed random sample of
        SWEEP_ROWS of them and every customer is then assigned to the nearest centre (most probable
        component for gmm) of the chosen k's model, so the chosen k's silhouette stands for all of them.
        The silhouettes of all k are measured in one pass over the same sampled customers."""
        tree = linkage(Z, method="ward") if self.algorithm == "agglomerative" else None
        sweep, self.sweep_sample_ = Z, None
        if len(ks) > 1 and tree is None and len(Z) > SWEEP_ABOVE:
            sweep = Z[sweep_rows(len(Z), SWEEP_ROWS, self.random_state)]
            self.sweep_sample_ = {"customers": int(len(Z)), "sampled": int(len(sweep))}
        fits = [self._cluster(sweep, k, tree) for k in ks]
        scores = self._silhouettes(sweep, [labels for _, labels in fits])
        rows, best = [], None
        for i, (k, (model, labels), score) in enumerate(zip(ks, fits, scores), 1):
            rows.append({"k": k, "silhouette": score, "sample_size": min(len(sweep), self.silhouette_sample)})
            if best is None or (not math.isnan(score) and (math.isnan(best[0]) or score > best[0])):
                best = (score, k, model, labels)
            report(i, total, f"k={k}: silhouette {format_number(score)}")
        if sweep is not Z:
            score, k, model, _ = best
            best = (score, k, model, model.predict(Z))
        return rows, best

    def fit(self, X, y=None, *, progress: Progress | None = None):
        """Choose k (unless fixed), cluster, and learn the segment centres. `progress(done, total, message)`."""
        self._validate()
        frame = self._select(X, fitted=False)
        n = len(frame)
        if n < 3:
            raise InsufficientDataError(f"segmentation needs at least 3 customers; the data has {n}.")
        if self.algorithm == "agglomerative" and n > AGGLOMERATIVE_MAX_ROWS:
            raise ParameterError(
                f"algorithm 'agglomerative' works on at most {format_count(AGGLOMERATIVE_MAX_ROWS, 'customer')}; this data has "
                f"{n:,}. Choose 'kmeans' or 'gmm', or filter to fewer customers."
            )
        if self.k is not None and self.k >= n:
            raise ParameterError(f"k={self.k} needs more customers than the {n} in the data; choose k below {n}.")
        ks = [self.k] if self.k is not None else list(range(self.k_range[0], min(self.k_range[1], n - 1) + 1))
        if not ks:
            raise InsufficientDataError(f"{n} customers are too few for k_range {tuple(self.k_range)}.")
        total = len(ks) + 1
        report = progress or (lambda done, total, message: None)
        report(0, total, f"Preparing {frame.shape[1]} features for {format_count(n, 'customer')}")
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.n_features_in_ = frame.shape[1]
        Z = self._fit_preprocess(frame)
        if not np.ptp(Z, axis=0).any():
            raise InsufficientDataError(
                "customers cannot be told apart on these features (they are all the same); "
                "add features or check that they vary between customers."
            )
        with threadpool_limits(limits=CLUSTER_THREADS), warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            rows, best = self._sweep(Z, ks, report, total)
        score, k, model, labels = best
        if math.isnan(score) and self.k is None:
            raise InsufficientDataError(
                "customers cannot be told apart on these features (every k gave a single segment); "
                "add features or check that they vary between customers."
            )
        order = pd.Series(labels).value_counts(sort=False)
        first_seen = pd.Series(np.arange(n)).groupby(labels).min()
        ranked = sorted(order.index, key=lambda c: (-order[c], first_seen[c]))
        self._relabel = {old: new for new, old in enumerate(ranked)}
        self._model = model
        self.labels_ = pd.Series(labels).map(self._relabel).to_numpy(dtype="int64")
        self.k_ = int(len(ranked))
        self.silhouette_ = pd.DataFrame(rows, columns=["k", "silhouette", "sample_size"])
        self.silhouette_score_ = score
        self._centroids_z = np.vstack([Z[self.labels_ == s].mean(axis=0) for s in range(self.k_)])
        centers = frame.groupby(self.labels_).mean()
        centers.index.name = "segment"
        self.cluster_centers_ = centers
        return self

    def predict(self, X) -> np.ndarray:
        """Segment numbers for customers (nearest centre for agglomerative)."""
        Z = self.preprocess(X)
        with threadpool_limits(limits=CLUSTER_THREADS):
            return self._predict_z(Z)

    def _predict_z(self, Z: np.ndarray) -> np.ndarray:
        nearest = pairwise_distances_argmin(Z, self._centroids_z).astype("int64")
        if self._model is None:  # agglomerative: nearest segment centre
            return nearest
        mapped = pd.Series(self._model.predict(Z)).map(self._relabel)
        # a mixture component left empty in training has no segment: use the nearest centre instead
        return mapped.fillna(pd.Series(nearest)).to_numpy(dtype="int64")

    def fit_predict(self, X, y=None, *, progress: Progress | None = None) -> np.ndarray:
        return self.fit(X, progress=progress).labels_


@dataclass(frozen=True)
class Stability:
    """How much the segments move when the seed and the sample change. float(stability) is the ARI."""

    ari: float
    runs: tuple[float, ...]
    k: int
    largest_share: float
    warnings: tuple[str, ...] = field(default=())

    def __float__(self) -> float:
        return float(self.ari)

    def to_dict(self) -> dict:
        return {**asdict(self), "runs": list(self.runs), "warnings": list(self.warnings)}


def stability(
    X, *, params: SegmentParams, n_runs: int = 5, max_rows: int = 50_000, reference: Segmenter | None = None,
    progress: Progress | None = None,
) -> Stability:
    """Mean adjusted Rand index between the segments and re-fits on bootstrap samples with other seeds.

    Each run draws a bootstrap sample (at most `max_rows` customers), fits with k fixed to the
    reference k and seed random_state + run, and labels every customer; 1.0 = identical segments.
    `reference` is the Segmenter already fitted on X with `params` (fitted here when not given).
    Warnings: unstable (ARI < 0.6) and one segment holding more than 80% of customers.
    """
    if not _is_int(n_runs) or not 1 <= n_runs <= 50:
        raise ParameterError(f"n_runs must be a whole number from 1 to 50; got {n_runs!r}.")
    reference = reference if reference is not None else Segmenter.from_params(params).fit(X)
    report = progress or (lambda done, total, message: None)
    frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X))
    n = len(frame)
    size = min(n, max_rows)
    runs = []
    for run in range(1, n_runs + 1):
        seed = params.random_state + run
        rows = np.random.default_rng(seed).choice(n, size=size, replace=True)
        refit = Segmenter.from_params(
            replace(params, k=reference.k_, random_state=seed, features=tuple(reference.feature_names_in_))
        )
        refit.fit(frame.iloc[rows] if isinstance(X, pd.DataFrame) else np.asarray(X)[rows])
        runs.append(float(adjusted_rand_score(reference.labels_, refit.predict(X))))
        report(run, n_runs, f"run {run} of {n_runs}: agreement {format_number(runs[-1])}")
    ari = float(np.mean(runs))
    largest = float(np.bincount(reference.labels_).max() / n)
    messages = []
    if ari < UNSTABLE_ARI:
        messages.append(
            f"Unstable segments: re-running on other samples agrees only {format_number(ari)} (adjusted Rand index, "
            "1 = identical). Try fewer segments, other features or robust scaling."
        )
    if largest > DOMINANT_SHARE:
        messages.append(
            f"One segment holds {format_percent(largest)} of customers: the others are small niches. "
            "Try other features or another algorithm."
        )
    return Stability(ari=ari, runs=tuple(runs), k=reference.k_, largest_share=largest, warnings=tuple(messages))


def compute_segment_pca(
    features: pd.DataFrame, labels, *, segmenter: Segmenter, max_points: int = 5_000, names=None
) -> pd.DataFrame:
    """Two principal components of the clustering matrix for at most `max_points` customers.

    Columns: customer_id (when present), pc1, pc2, segment, name, pc1_variance, pc2_variance
    (explained variance ratio, the same on every row). The sample is fixed by the segmenter's seed.
    max_points=0 gives those columns without rows (no PCA is fitted: the report shows no map).
    """
    labels = check_labels(features, labels)
    if max_points <= 0:
        columns = ["customer_id"] * ("customer_id" in features) + [
            "pc1", "pc2", "segment", "name", "pc1_variance", "pc2_variance"]
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "segment" else "object" if c in (
            "customer_id", "name") else "float64") for c in columns})
    Z = segmenter.preprocess(features)
    rng = np.random.default_rng(segmenter.random_state)
    fit_rows = rng.permutation(len(Z))[: max(max_points, 50_000)]
    pca = PCA(n_components=min(2, Z.shape[1]), random_state=segmenter.random_state).fit(Z[fit_rows])
    rows = np.sort(np.random.default_rng(segmenter.random_state).permutation(len(Z))[:max_points])
    points = pca.transform(Z[rows])
    if points.shape[1] == 1:
        points = np.column_stack([points, np.zeros(len(points))])
    ratio = list(pca.explained_variance_ratio_) + [0.0]
    out = pd.DataFrame({"pc1": points[:, 0], "pc2": points[:, 1], "segment": labels[rows].astype("int64")})
    if "customer_id" in features:
        out.insert(0, "customer_id", features["customer_id"].to_numpy()[rows])
    out["name"] = out["segment"].map(names or {}).fillna(out["segment"].map(lambda s: f"Segment {s}"))
    out["pc1_variance"], out["pc2_variance"] = float(ratio[0]), float(ratio[1])
    return out


def compute_membership(labels, names, customer_ids) -> pd.DataFrame:
    """customer_id, segment, persona: the list marketers export to target a campaign."""
    labels = np.asarray(labels)
    ids = pd.Series(customer_ids).astype("string").reset_index(drop=True)
    if len(ids) != len(labels):
        raise ParameterError(
            f"{len(labels)} segment labels for {len(ids)} customer ids; "
            "pass the ids of the customers that were segmented."
        )
    names = dict(names)
    unknown = sorted(set(np.unique(labels).tolist()) - set(names))
    if unknown:
        raise ParameterError(f"segments {unknown} have no name; pass the names from name_segments.")
    out = pd.DataFrame({"customer_id": ids, "segment": labels.astype("int64")})
    out["persona"] = out["segment"].map(names).astype("string")
    return out


@dataclass(frozen=True, eq=False)
class Segmentation:
    """One segmentation of a dataset's customers, as the Segments and Personas pages show it
    (made by build_segmentation)."""

    params: SegmentParams
    features: pd.DataFrame  # compute_customer_features output, one row per customer
    segmenter: Segmenter  # fitted
    profiles: pd.DataFrame  # compute_segment_profiles
    differences: pd.DataFrame  # compute_feature_differences
    names: dict  # segment number -> plain-language name
    points: pd.DataFrame  # compute_segment_pca

    @property
    def labels(self) -> np.ndarray:
        return self.segmenter.labels_

    @property
    def k(self) -> int:
        return int(self.segmenter.k_)

    @property
    def silhouette(self) -> pd.DataFrame:
        return self.segmenter.silhouette_

    def membership(self) -> pd.DataFrame:
        """customer_id, segment, persona: the list to export for campaigns."""
        return compute_membership(self.labels, self.names, self.features["customer_id"])

    def segment_names(self) -> list[str]:
        """The names in segment order (largest first)."""
        return [self.names[s] for s in sorted(self.names)]


def described_features(features: pd.DataFrame, used) -> list[str]:
    """Features a profile describes: those the clustering used, plus the other behaviour features
    (one-hot customer attributes are left to the personas' demographics)."""
    one_hot = set(features.attrs.get("one_hot") or ())
    return [c for c in feature_columns(features) if c in set(used) or c not in one_hot]


def build_segmentation(
    features: pd.DataFrame, *, params: SegmentParams, progress: Progress | None = None, max_points: int = 5_000
) -> Segmentation:
    """Fit the segments and describe them: profiles, feature differences, names and the PCA sample."""
    segmenter = Segmenter.from_params(params).fit(features, progress=progress)
    described = ["customer_id"] * ("customer_id" in features) + described_features(
        features, segmenter.feature_names_in_
    )
    shown = features[described]
    differences = compute_feature_differences(shown, segmenter.labels_)
    profiles = compute_segment_profiles(shown, segmenter.labels_, differences=differences)
    names = name_segments(profiles)
    return Segmentation(
        params=params,
        features=features,
        segmenter=segmenter,
        profiles=profiles,
        differences=differences,
        names=names,
        points=compute_segment_pca(features, segmenter.labels_, segmenter=segmenter, max_points=max_points,
                                   names=names),
    )


ALL_CUSTOMERS = "All customers"


def compute_segment_funnel(dataset, *, params, segment: str, column: str = "segment") -> pd.DataFrame:
    """A segment's funnel next to everyone's: compute_funnel rows with `group` = "All customers" or
    the segment name. The dataset's events carry the segment `column` (the app's view with segments,
    cjm.data.views.with_segments)."""
    from cjm.journey.funnel import compute_funnel

    if column not in dataset.events.columns:
        raise InsufficientDataError(
            f"the events have no {column!r} column: find segments first (Segments page), then compare funnels."
        )
    overall = replace(params, breakdown=None)
    # A breakdown over everyone (not a funnel of the segment's events alone): a step the segment never
    # reaches is a step with 0 customers, not an unknown step.
    groups = compute_funnel(dataset, params=replace(params, breakdown=column, attribution="first", max_groups=10_000))
    mine = groups[groups["group"] == segment]
    if not len(mine) or not mine["customers"].iloc[0]:
        raise InsufficientDataError(
            f"no customer of segment {segment!r} entered the funnel ({' → '.join(params.steps)}); "
            "pick another segment or other funnel steps."
        )
    everyone = compute_funnel(dataset, params=overall).assign(group=ALL_CUSTOMERS)
    return pd.concat([everyone, mine[everyone.columns]], ignore_index=True)


KEY_FEATURES = (
    "recency_days", "frequency", "purchases", "monetary", "tenure_days", "support_contacts",
    "device_switches", "mean_sentiment",
)
