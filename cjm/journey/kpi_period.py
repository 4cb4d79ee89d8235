"""Which period the Overview's KPI tiles cover: the last 30 days, 90 days or 12 months of the data (each compared
with the period of the same length before it), or all of it.

An export is history: its last 30 days may hold a handful of its customers (a leads file whose deals close
months after the last lead). `thin_period_note` says so, so a tile reading "17 customers, 100% converted" is
read as the end of the data, not the whole of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cjm.errors import ParameterError
from cjm.present.formats import format_count, format_percent

# key -> (what the control shows, the length of the period: None is all data)
PERIODS: dict[str, tuple[str, object]] = {
    "30d": ("Last 30 days", pd.Timedelta(days=30)),
    "90d": ("Last 90 days", pd.Timedelta(days=90)),
    "12m": ("Last 12 months", pd.DateOffset(months=12)),
    "all": ("All data", None),
}
# Below this share of the data's customers, the period is called thin: a period of one month in a year of data
# holds about 8% of customers who come once, and more of those who come back.
THIN_SHARE = 0.02


@dataclass(frozen=True)
class KpiParams:
    period: str = "30d"  # a key of PERIODS

    def __post_init__(self):
        if self.period not in PERIODS:
            raise ParameterError(f"period must be one of {', '.join(PERIODS)}; got {self.period!r}.")

    @property
    def label(self) -> str:
        return PERIODS[self.period][0]

    @property
    def length(self):
        """The period's length (a Timedelta or DateOffset), None for all data."""
        return PERIODS[self.period][1]

    def to_dict(self) -> dict:
        return {"period": self.period}

    @classmethod
    def from_dict(cls, values: dict) -> KpiParams:
        unknown = sorted(set(values) - {"period"})
        if unknown:
            raise ParameterError(f"Unknown KPI parameter(s) {unknown!r}; expected period.")
        return cls(**values)


def period_sentence(kpis: pd.DataFrame) -> str:
    """Which period compute_kpis' table covers and which one its changes compare against, in one sentence."""
    if kpis.empty:
        return ""
    period, previous = str(kpis["period"].iloc[0]), str(kpis["previous_period"].iloc[0])
    if previous:
        return f"Figures cover {period}; changes compare with {previous}."
    return f"Figures cover {period}; no earlier period to compare with."


def thin_period_note(kpis: pd.DataFrame, *, all_customers: int, params: KpiParams,
                     end: str = "the end of the data") -> str | None:
    """A sentence when the tiles' period holds fewer than THIN_SHARE of the data's customers (None otherwise, and
    for all data): `kpis` is compute_kpis' table, `all_customers` the distinct customers of the whole data; `end`:
    where the data ends, in words (cjm.data.views.end_phrase: a date filter's range when its end cut the data)."""
    if params.length is None or all_customers <= 0 or kpis.empty:
        return None
    row = kpis.set_index("name").loc["customers"]
    if pd.isna(row["value"]) or row["value"] >= THIN_SHARE * all_customers:
        return None
    return (f"The tiles' period ({row['period']}) holds {format_count(row['value'])} of the data's "
            f"{format_count(all_customers, 'customer')} ({format_percent(row['value'] / all_customers)}): they "
            f"describe {end}. Choose a longer period to see more of it.")
