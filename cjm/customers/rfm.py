"""RFM scoring: the rule-based alternative to clustering (DESIGN.md section 4).

R, F and M are quintile scores 1..5 (5 = best: most recent, most frequent, highest spend), computed
with pd.qcut on ranks so that every score holds a fifth of the customers even when values tie.
Ties are broken by the other two measures (a recent customer who also bought more ranks higher),
then by customer id, so the scores are deterministic; spends are compared to 12 significant digits
(the noise of a float sum, 0.70 + 0.10 = 0.7999999999999999, is no difference). A customer who never
bought (frequency 0: no purchase when purchases are counted) scores F = 1 and M = 1, and F and M split
the buyers into fifths: fifths of everyone gave a browser F = 5 when most customers never bought
(REES46: 123 of the 128 'Champions' had no purchase). R, from the last activity, splits every customer
into fifths. A measure the same for every customer (dropped from the features as uninformative) is
still scored, its ties broken as above.

Named segments come from the widely used R x FM grid, where FM = (F + M) / 2 rounded half up
(FM = F when there is no revenue). A customer who never bought, when purchases are counted, is 'Never bought'
rather than a cell of the grid: a recent visitor is no 'New' or 'Promising' customer (R 5 or 4, FM 1 named 86 of the
demo's 97 'New' and 85 of its 89 'Promising' who had never bought).

    R \\ FM   1               2                    3                    4                  5
    5        New             Potential loyalists  Potential loyalists  Champions          Champions
    4        Promising       Potential loyalists  Potential loyalists  Champions          Champions
    3        About to sleep  About to sleep       Need attention       Loyal              Loyal
    2        Hibernating     Hibernating          At risk              At risk            At risk
    1        Lost            Lost                 At risk              Cannot lose them   Cannot lose them
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjm.errors import InsufficientDataError
from cjm.present.formats import NEVER_BOUGHT

# NEVER_BOUGHT ('Never bought'): prospects, beside the grid, which names customers by how they buy (review 36)
SEGMENTS = (
    "Champions", "Loyal", "Potential loyalists", "New", "Promising", "Need attention",
    "About to sleep", "At risk", "Cannot lose them", "Hibernating", "Lost", NEVER_BOUGHT,
)
_ROWS = {  # R score -> segment for FM = 1..5
    5: ("New", "Potential loyalists", "Potential loyalists", "Champions", "Champions"),
    4: ("Promising", "Potential loyalists", "Potential loyalists", "Champions", "Champions"),
    3: ("About to sleep", "About to sleep", "Need attention", "Loyal", "Loyal"),
    2: ("Hibernating", "Hibernating", "At risk", "At risk", "At risk"),
    1: ("Lost", "Lost", "At risk", "Cannot lose them", "Cannot lose them"),
}
GRID = {(r, fm): name for r, names in _ROWS.items() for fm, name in enumerate(names, 1)}
_LOOKUP = np.full((6, 6), "", dtype=object)
for (_r, _fm), _name in GRID.items():
    _LOOKUP[_r, _fm] = _name
MIN_CUSTOMERS = 5


def rfm_segment(r: int, fm: int) -> str:
    """The named segment of an R score and an FM score (both 1..5)."""
    return GRID[(int(r), int(fm))]


def _quintiles(primary: np.ndarray, *tiebreaks: np.ndarray) -> np.ndarray:
    """Scores 1..5 by rank of `primary` (higher = better), ties broken by `tiebreaks` in order."""
    if len(primary) < 2:  # a group of one (the only buyer) is its own best fifth
        return np.full(len(primary), 5, dtype="int64")
    order = np.lexsort(tuple(reversed((primary, *tiebreaks))))
    ranks = np.empty(len(primary), dtype="float64")
    ranks[order] = np.arange(1, len(primary) + 1)
    return pd.qcut(ranks, 5, labels=[1, 2, 3, 4, 5]).astype("int64")


def _snapped(values: np.ndarray) -> np.ndarray:
    """`values` rounded to 12 significant digits: the noise of a float sum is no difference in money
    (0.70 + 0.10 is 0.7999999999999999, which ranked below a spend of 0.80 and broke their tie the wrong way)."""
    out = values.astype("float64").copy()
    known = np.isfinite(out) & (out != 0)
    scale = 10.0 ** (11 - np.floor(np.log10(np.abs(out[known]))))
    out[known] = np.round(out[known] * scale) / scale
    return out


def _buyers_quintiles(bought: np.ndarray, primary: np.ndarray, *tiebreaks: np.ndarray) -> np.ndarray:
    """Scores 1..5 by fifths of the customers who bought (`bought`); 1 for those who never did."""
    out = np.ones(len(primary), dtype="int64")
    if bought.any():
        out[bought] = _quintiles(primary[bought], *(t[bought] for t in tiebreaks))
    return out


RFM_NEEDS_DATES = ("RFM", "recency (R) is the time since a customer's last event")


def compute_rfm(dataset, *, as_of=None) -> pd.DataFrame:
    """R, F, M scores and the named RFM segment per customer.

    `dataset` is the Dataset (or a view of it), whose customer features are computed first from the
    events alone (`as_of` as in compute_customer_features), or a customer features frame already at
    hand (customer_id, recency_days, frequency or purchases, monetary). Frequency counts purchases when
    purchases can be told apart from other events, otherwise events. Returns customer_id,
    recency_days, frequency, monetary, R, F, M, FM, rfm (e.g. "545") and segment.
    """
    if isinstance(dataset, pd.DataFrame):
        data = dataset
    elif hasattr(dataset, "events"):
        from cjm.customers.features import compute_customer_features
        from cjm.journey.funnel.validate import check_dated

        check_dated(dataset.events, RFM_NEEDS_DATES)  # recency is a time: say so, not "recency_days is missing"
        data = compute_customer_features(dataset, as_of=as_of, attributes=False)
    else:
        raise InsufficientDataError(f"compute_rfm needs the Dataset or customer features (a frame); got "
                                    f"{type(dataset).__name__!r}.")
    # A measure the same for every customer was dropped from the features (it sets no segment apart) and
    # kept in attrs["constant"]: RFM still scores it (everyone last seen on the same day, everyone bought once,
    # everyone spent the same). A spend of 0 for everyone is no spend to score.
    constant = data.attrs.get("constant", {})
    kept = {c: constant[c] for c in ("recency_days", "purchases", "frequency", "monetary")
            if c not in data and c in constant and not (c == "monetary" and constant[c] == 0)}
    if kept:
        data = data.assign(**kept)
    for column in ("customer_id", "recency_days"):
        if column not in data:
            raise InsufficientDataError(f"RFM needs the {column} column of the customer features; it is missing.")
    frequency = "purchases" if "purchases" in data else "frequency"
    if frequency not in data:
        raise InsufficientDataError("RFM needs a frequency (or purchases) column of the customer features.")
    if len(data) < MIN_CUSTOMERS:
        raise InsufficientDataError(
            f"RFM scores split customers into fifths and need at least {MIN_CUSTOMERS}; the data has {len(data)}."
        )
    frame = data.sort_values("customer_id", kind="stable").reset_index(drop=True)
    ids = frame["customer_id"].astype(str).to_numpy()
    id_rank = pd.Series(ids).rank(method="first", ascending=False).to_numpy()  # earlier id wins ties
    recent = -frame["recency_days"].astype("float64").to_numpy()
    often = frame[frequency].astype("float64").to_numpy()
    has_money = "monetary" in frame
    spend = _snapped(frame["monetary"].astype("float64").fillna(0).to_numpy()) if has_money else np.zeros(len(frame))

    out = pd.DataFrame(
        {
            "customer_id": frame["customer_id"],
            "recency_days": frame["recency_days"].astype("float64"),
            "frequency": frame[frequency],
            "monetary": frame["monetary"].astype("float64") if has_money else np.nan,
        }
    )
    bought = often > 0  # never bought (or, counting events, never seen): the lowest F and M, not a fifth
    out["R"] = _quintiles(recent, often, spend, id_rank)
    out["F"] = _buyers_quintiles(bought, often, spend, recent, id_rank)
    if has_money:
        out["M"] = _buyers_quintiles(bought, spend, often, recent, id_rank)
        out["FM"] = np.floor((out["F"] + out["M"]) / 2 + 0.5).astype("int64")
    else:
        out["M"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["FM"] = out["F"]
    m_text = out["M"].astype("string").fillna("-")
    out["rfm"] = out["R"].astype(str) + out["F"].astype(str) + m_text
    out["segment"] = _LOOKUP[out["R"].to_numpy(), out["FM"].to_numpy()]
    if frequency == "purchases":
        out.loc[~bought, "segment"] = NEVER_BOUGHT
    out.attrs["frequency_counts"] = frequency
    out.attrs["notes"] = [] if has_money else ["No revenue: M is not scored and FM is the F score."]
    never = int((~bought).sum())
    if never:
        out.attrs["notes"].append(
            f"{never:,} customer{'s' if never != 1 else ''} never bought: F{' and M' if has_money else ''} "
            f"{'are' if has_money else 'is'} 1 for them, and the {int(bought.sum()):,} who bought are split "
            "into fifths." + (f" They are '{NEVER_BOUGHT}', not named on the grid." if frequency == "purchases" else ""))
    return out


def compute_rfm_segments(rfm: pd.DataFrame) -> pd.DataFrame:
    """Customers and share per named RFM segment, in grid order (Champions first); empty ones included."""
    counts = rfm["segment"].value_counts().reindex(list(SEGMENTS), fill_value=0)
    out = counts.rename_axis("segment").reset_index(name="customers")
    out["share"] = out["customers"] / max(len(rfm), 1)
    if "monetary" in rfm:
        out["monetary"] = out["segment"].map(rfm.groupby("segment")["monetary"].sum()).fillna(0.0)
    return out
