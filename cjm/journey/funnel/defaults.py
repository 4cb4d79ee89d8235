"""The funnel cjm proposes when nobody chose one: the same for the app and the command line.

1. the journey stages that occur in the data, in model order (at most MAX_STEPS), when two or more do;
2. else an e-commerce guess over the event names (a view, a cart, a checkout, a purchase event, most
   customers first), when it finds two or more of them;
3. else the two events the most customers have.
"""

from __future__ import annotations

import pandas as pd

from cjm.errors import InsufficientDataError
from cjm.journey.abandonment import is_checkout_name, is_purchase_name
from cjm.journey.funnel.params import FunnelParams

MAX_STEPS = 10
DEFAULT_WINDOW = 7 * 86400


def default_event_steps(event_counts: pd.DataFrame) -> tuple[str, ...]:
    """An e-commerce guess (view -> cart -> checkout -> purchase), else the two events most customers have.
    `event_counts` is Dataset.event_counts (event, customers, ...)."""
    names = [str(e) for e in event_counts.sort_values("customers", ascending=False, kind="stable")["event"]]
    tests = (lambda n: "view" in n.lower(), lambda n: "cart" in n.lower() and not is_checkout_name(n),
             is_checkout_name, is_purchase_name)
    picks: list[str] = []
    for test in tests:
        match = next((n for n in names if test(n) and n not in picks), None)
        if match:
            picks.append(match)
    return tuple(picks) if len(picks) >= 2 else tuple(names[:2])


def default_steps(dataset, kind: str) -> tuple[str, ...]:
    """The default steps of one kind: the stages present (kind "stage") or the event guess (kind "event")."""
    return tuple(dataset.present_stages[:MAX_STEPS]) if kind == "stage" else default_event_steps(dataset.event_counts)


def default_funnel(dataset, *, steps: tuple[str, ...] | None = None, window_seconds: int = DEFAULT_WINDOW,
                   mode: str = "ordered") -> FunnelParams:
    """The funnel for `dataset`: `steps` when given (stages when all are stages of the model, else events),
    else the stages present when two or more are, else the event guess. Raises InsufficientDataError when
    fewer than two steps can be found."""
    if steps:
        kind = "stage" if all(s in dataset.stages for s in steps) else "event"
    elif len(dataset.present_stages) >= 2:
        steps, kind = default_steps(dataset, "stage"), "stage"
    else:
        steps, kind = default_steps(dataset, "event"), "event"
    if len(steps) < 2:
        raise InsufficientDataError(  # nor two event names: the same words as before the guess existed
            "Fewer than two journey stages occur in the data, so there is no funnel to draw. "
            "Pass --steps with two or more event names.")
    return FunnelParams(steps=tuple(steps), step_kind=kind, window_seconds=window_seconds, mode=mode)
