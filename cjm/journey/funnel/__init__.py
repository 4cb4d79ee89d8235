"""The funnel: how many customers reach each step, how fast, and who drops (DESIGN.md section 4).

Modules: params (FunnelParams, parse_window), times (the step-times lookup table), ordered / strict /
anyorder (attempts per mode), exclusion, progress (best attempt per customer), breakdown, summary
(funnel, conversion over time, time to convert), dropped (who dropped and what next).

Every public analysis takes the Dataset first (`compute_funnel(dataset, params=...)`, also
`funnel_expr` and `progress_expr`); `funnel_on` / `progress_on` take an events table instead, for
analyses inside cjm that derive their own events first (a period's events, variants assigned).

Ties in timestamps:
- "at or after" includes equal timestamps: a step at the same second as the previous one counts
  (ordered and any-order modes), whatever the file order;
- two adjacent identical steps (view, view) need a strictly later event for the second, and so does a
  step name that comes back later (view, cart, view: the second view is strictly after the first), so
  one event never fills two steps (DESIGN.md states the adjacent case; ordered and strict modes);
- strict mode's "very next event" follows (timestamp, row_id): within one second, file order decides;
- an excluded event at the same second as step i or step j is not "between" them;
- attempts starting at the same second are identical in ordered and any-order modes (one is kept);
  in strict mode the earlier row in the file wins a tie between equally good attempts;
- breakdown values come from the earliest row in the file among equal candidate events (in any-order
  mode, among the events of the step counted first / last, equal times ordered by step position).
Times are UTC; windows are inclusive (a step exactly `window_seconds` after entry counts).
"""

from cjm.journey.funnel.dropped import compute_dropped, compute_next_after_drop
from cjm.journey.funnel.params import FunnelParams, parse_window
from cjm.journey.funnel.progress import compute_progress, progress_expr, progress_on
from cjm.journey.funnel.summary import (
    compute_conversion_over_time,
    compute_funnel,
    compute_time_to_convert,
    funnel_expr,
    funnel_on,
)

__all__ = [
    "FunnelParams",
    "parse_window",
    "compute_progress",
    "progress_expr",
    "progress_on",
    "compute_funnel",
    "funnel_expr",
    "funnel_on",
    "compute_conversion_over_time",
    "compute_time_to_convert",
    "compute_dropped",
    "compute_next_after_drop",
]
