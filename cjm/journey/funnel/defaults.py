"""The funnel cjm proposes when nobody chose one: the same for the app and the command line.

1. the journey stages that occur in the data, in model order (at most MAX_STEPS), when two or more do and the
   shop's steps below are not more: a shop's view, cart and purchase events all sit in two stages (view and cart
   are both consideration), and a marketer with those events asks how many viewers put something in the cart;
2. else an e-commerce guess over the event names (a view, a cart, a checkout, a purchase event, most
   customers first), when it finds two or more of them;
3. else the two events the most customers have.
"""

from __future__ import annotations

import re

import pandas as pd

from cjm.errors import InsufficientDataError
from cjm.journey.abandonment import is_cart_name, is_checkout_name, is_purchase_name
from cjm.journey.funnel.params import FunnelParams

MAX_STEPS = 10
DEFAULT_WINDOW = 7 * 86400


def _is_view(name: str) -> bool:
    """page_view, view_item, 'Viewed Product', pageview; not a review, a preview or an interview."""
    lower = name.lower()
    return "view" in lower and not re.search(r"(re|pre|inter)view", lower)


def shop_steps(event_counts: pd.DataFrame) -> tuple[str, ...]:
    """The e-commerce steps among the event names, in shop order (view -> cart -> checkout -> purchase), each
    the name of its kind that most customers have; none, one or several. `event_counts` is Dataset.event_counts."""
    names = [str(e) for e in event_counts.sort_values("customers", ascending=False, kind="stable")["event"]]
    picks: list[str] = []
    for test in (_is_view, is_cart_name, is_checkout_name, is_purchase_name):
        match = next((n for n in names if test(n) and n not in picks), None)
        if match:
            picks.append(match)
    return tuple(picks)


def default_event_steps(event_counts: pd.DataFrame) -> tuple[str, ...]:
    """An e-commerce guess (view -> cart -> checkout -> purchase), else the two events most customers have.
    `event_counts` is Dataset.event_counts (event, customers, ...)."""
    picks = shop_steps(event_counts)
    if len(picks) >= 2:
        return picks
    return tuple(str(e) for e in event_counts.sort_values("customers", ascending=False, kind="stable")["event"][:2])


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
    elif len(dataset.present_stages) >= max(2, len(shop_steps(dataset.event_counts))):
        steps, kind = default_steps(dataset, "stage"), "stage"
    else:
        steps, kind = default_steps(dataset, "event"), "event"
    if len(steps) < 2:
        raise InsufficientDataError(  # nor two event names: the same words as before the guess existed
            "Fewer than two journey stages occur in the data, so there is no funnel to draw. "
            "Pass --steps with two or more event names.")
    return FunnelParams(steps=tuple(steps), step_kind=kind, window_seconds=window_seconds, mode=mode)
