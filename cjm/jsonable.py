"""Plain JSON values from pandas/numpy results (for the report and saved specs)."""

from __future__ import annotations

import math

import numpy as np


def plain(value):
    """None for missing (None, NaN), Python int/float/bool for numpy scalars, anything else unchanged."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
