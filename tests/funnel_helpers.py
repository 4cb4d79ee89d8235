"""Small builders shared by the funnel tests."""

from __future__ import annotations

import pandas as pd

from cjm.journey.funnel import FunnelParams, compute_progress
from tests.helpers import dataset

DAY, HOUR, MINUTE = 86400, 3600, 60
CHANNELS = ("customer_id", "timestamp", "event", "channel")


def at(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def params(*steps, **kwargs) -> FunnelParams:
    """Funnel parameters over event names unless step_kind says otherwise."""
    return FunnelParams(steps=steps, step_kind=kwargs.pop("step_kind", "event"), **kwargs)


def progress_of(rows, p, columns=("customer_id", "timestamp", "event")) -> pd.DataFrame:
    return compute_progress(dataset(rows, columns), params=p).set_index("customer_id")
