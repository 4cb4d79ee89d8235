"""Sentiment benchmark: scoring speed and memory on generated comments, and agreement with human labels.

    .venv/bin/python benchmarks/sentiment.py                  # 10k comments + airline agreement
    .venv/bin/python benchmarks/sentiment.py --sizes 100000   # the 100k-comment figures

Speed: an events table with N comments (about 90% distinct, 5% in Spanish/French/Russian) goes
through compute_signals (distinct texts selected in DuckDB, language detection, VADER once per
distinct text, joined back in DuckDB). Cold = empty cache; warm = the same call again (cache by text
hash). Peak memory: Python allocations under tracemalloc (a separate cold run, since tracing slows
Python down) and the process's peak resident set size.

Agreement: ../shared/data/airline_tweets.csv (14,640 tweets labelled negative/neutral/positive by
people), VADER compound mapped with the standard +-0.05 thresholds, against the majority-class
baseline. Tuned cut points (negative at or below a, positive at or above b; VADER reads many
complaints as mildly positive) are also reported: chosen on the same labels (in-sample, optimistic)
and by 5-fold cross-validation (the honest figure). cjm itself keeps the standard +-0.05.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cjm.voice import textscore
from cjm.data.dataset import Dataset  # noqa: E402
from cjm.voice.sentiment import compute_signals  # noqa: E402

AIRLINE = Path(__file__).resolve().parents[2] / "shared" / "data" / "airline_tweets.csv"
SUBJECTS = np.array(["The delivery", "My order", "The support agent", "The checkout", "The app", "Your store",
                     "The refund", "The courier", "The website", "Customer service"])
VERDICTS = np.array(["was late again", "was great", "was terrible", "took forever", "was really helpful",
                     "was fine I guess", "is broken", "made me happy", "was rude", "was fast and easy"])
TAILS = np.array(["", " and I am upset", ", thanks!", " :(", " - never again", " love it", " ok",
                  " worst experience", " would recommend", " please fix this"])
FOREIGN = np.array(["El pedido llegó tarde y el servicio fue muy malo", "Le service client était très lent",
                    "Доставка опоздала, обслуживание ужасное"])


def generate_comments(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ticket = pd.Series(rng.integers(0, int(n * 0.9) + 1, n)).astype(str)
    text = (pd.Series(SUBJECTS[rng.integers(0, len(SUBJECTS), n)]) + " " + VERDICTS[rng.integers(0, len(VERDICTS), n)]
            + TAILS[rng.integers(0, len(TAILS), n)] + " (ticket " + ticket + ")")
    foreign = rng.random(n) < 0.05
    text[foreign] = pd.Series(FOREIGN[rng.integers(0, len(FOREIGN), n)])[foreign] + " #" + ticket[foreign]
    repeated = rng.random(n) < 0.1  # copy-pasted comments
    text[repeated] = text.iloc[rng.integers(0, n, int(repeated.sum()))].to_numpy()
    start = pd.Timestamp("2024-01-01", tz="UTC")
    return pd.DataFrame({
        "customer_id": "c" + pd.Series(rng.integers(0, max(n // 3, 1), n)).astype(str),
        "timestamp": start + pd.to_timedelta(rng.integers(0, 365 * 86400, n), unit="s"),
        "event": "review",
        "text": text,
    })


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (Linux), so the next reading covers only what follows."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("nan")


def bench_size(n: int) -> None:
    frame = generate_comments(n)
    dataset = Dataset.from_events(frame)
    distinct = frame["text"].nunique()
    textscore.get_scorer()  # load VADER's lexicon outside the timing (once per process)
    textscore.clear_cache()
    resettable = reset_peak_rss()
    before = current_rss_mb()
    t0 = time.perf_counter()
    signals = compute_signals(dataset)
    cold = time.perf_counter() - t0
    rss_peak = peak_rss_mb()
    t0 = time.perf_counter()
    compute_signals(dataset)
    warm = time.perf_counter() - t0
    textscore.clear_cache()
    tracemalloc.start()
    compute_signals(dataset)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = (f"RSS peak {rss_peak:,.0f} MB (+{rss_peak - before:,.0f} MB over the {before:,.0f} MB before)"
           if resettable else f"process peak RSS {rss_peak:,.0f} MB")
    print(f"{n:>9,} comments ({distinct:,} distinct): cold {cold:6.2f} s ({n / cold:,.0f} comments/s), "
          f"warm (cached) {warm:5.2f} s, Python allocations peak {traced / 2**20:5.1f} MB, {rss}, "
          f"scored {signals['scored'].mean():.1%}")


def labels_at(values: np.ndarray, negative_at: float, positive_at: float | None = None) -> np.ndarray:
    """negative when value <= negative_at, positive when value >= positive_at, else neutral."""
    positive_at = -negative_at if positive_at is None else positive_at
    return np.where(values >= positive_at, "positive", np.where(values <= negative_at, "negative", "neutral"))


CUTS = [(round(lo, 2), round(hi, 2)) for lo in np.arange(-0.5, 0.51, 0.05) for hi in np.arange(lo + 0.05, 0.86, 0.05)]


def _macro_f1(truth_codes: np.ndarray, predicted_codes: np.ndarray) -> float:
    """Macro-F1 over the 3 classes from a bincount confusion matrix (the grid search's inner loop;
    reported figures use sklearn.metrics)."""
    confusion = np.bincount(3 * truth_codes + predicted_codes, minlength=9).reshape(3, 3)
    tp = np.diag(confusion).astype(float)
    denominator = confusion.sum(axis=0) + confusion.sum(axis=1)
    return float(np.mean(np.divide(2 * tp, denominator, out=np.zeros(3), where=denominator > 0)))


def best_cuts(values: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    codes = pd.Categorical(truth, categories=["negative", "neutral", "positive"]).codes
    scores = [_macro_f1(codes, np.where(values >= hi, 2, np.where(values <= lo, 0, 1))) for lo, hi in CUTS]
    return CUTS[int(np.argmax(scores))]


def airline_agreement() -> None:
    from sklearn.dummy import DummyClassifier
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    if not AIRLINE.exists():
        print(f"airline agreement skipped: {AIRLINE} is not available")
        return
    raw = pd.read_csv(AIRLINE)
    truth = raw["airline_sentiment"].to_numpy()
    textscore.clear_cache()
    t0 = time.perf_counter()
    scores = textscore.score_texts(raw["text"]).set_index("text")
    elapsed = time.perf_counter() - t0
    values = raw["text"].map(scores["value"]).to_numpy(dtype=float)
    scored = ~np.isnan(values)
    classes = ["negative", "neutral", "positive"]

    def report(name, predicted, mask):
        acc = accuracy_score(truth[mask], predicted[mask])
        f1 = f1_score(truth[mask], predicted[mask], labels=classes, average="macro")
        print(f"  {name:<58} accuracy {acc:.3f}  macro-F1 {f1:.3f}")
        return f1

    print(f"airline tweets: {len(raw):,} tweets, scored {scored.mean():.1%} "
          f"({(~scored).sum()} unscored: too short to tell and no VADER word), scoring {elapsed:.1f} s")
    majority = DummyClassifier(strategy="most_frequent").fit(np.zeros((scored.sum(), 1)), truth[scored])
    baseline = report("majority class (always 'negative'), scored tweets",
                      majority.predict(np.zeros((len(raw), 1))), scored)
    standard = report("VADER, standard +-0.05 thresholds, scored tweets", labels_at(values, -0.05), scored)
    report("VADER, +-0.05, all tweets (unscored counted as neutral)", labels_at(np.nan_to_num(values), -0.05),
           np.ones(len(raw), bool))
    v, y = values[scored], truth[scored]
    lo, hi = best_cuts(v, y)
    report(f"VADER, cuts <= {lo:+.2f} / >= {hi:+.2f} tuned on these labels (in-sample)",
           labels_at(values, lo, hi), scored)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    predicted = np.empty(len(v), dtype=object)
    for train, test in folds.split(v, y):
        predicted[test] = labels_at(v[test], *best_cuts(v[train], y[train]))
    predicted = predicted.astype(str)
    print(f"  {'VADER, cuts tuned by 5-fold cross-validation (honest)':<58} accuracy "
          f"{accuracy_score(y, predicted):.3f}  macro-F1 {f1_score(y, predicted, labels=classes, average='macro'):.3f}")
    verdict = "beats" if standard > baseline else "does NOT beat"
    print(f"  VADER at +-0.05 {verdict} the majority baseline on macro-F1 ({standard:.3f} vs {baseline:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000", help="comma-separated numbers of comments (default 10000)")
    parser.add_argument("--no-airline", action="store_true", help="skip the agreement with human labels")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        bench_size(size)
    if not args.no_airline:
        airline_agreement()


if __name__ == "__main__":
    main()
