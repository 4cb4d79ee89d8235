"""The funnel cjm proposes when nobody chose one: the same for the app and the command line.

1. the journey stages that occur in the data, in model order (at most MAX_STEPS), when two or more do and the
   shop's steps below are not more: a shop's view, cart and purchase events all sit in two stages (view and cart
   are both consideration), and a marketer with those events asks how many viewers put something in the cart;
2. else an e-commerce guess over the event names (a view, a cart, a checkout, a purchase event, most
   customers first), when it finds two or more of them;
3. else the two events the most customers have, in the order most of the customers who have both reach them (a
   newsletter's sign-ups: 'optin' before 'confirm', though more people have the confirmation).
"""

from __future__ import annotations

import re

import pandas as pd

from cjm import engine
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
    return picks if len(picks) >= 2 else _most_customers(event_counts)


def default_steps(dataset, kind: str) -> tuple[str, ...]:
    """The default steps of one kind: the stages present (kind "stage") or the event guess (kind "event"); two
    events picked for being the most customers' are put in the order their customers reach them (`in_journey_order`)."""
    if kind == "stage":
        return tuple(dataset.present_stages[:MAX_STEPS])
    picks = shop_steps(dataset.event_counts)
    if len(picks) >= 2:
        return picks
    top = _most_customers(dataset.event_counts)
    return in_journey_order(dataset.events, top) if len(top) == 2 else top


def _most_customers(event_counts: pd.DataFrame) -> tuple[str, ...]:
    names = event_counts.sort_values("customers", ascending=False, kind="stable")["event"]
    return tuple(str(e) for e in names[:2])


def in_journey_order(events, steps: tuple[str, str]) -> tuple[str, str]:
    """Two events in the order most customers who have both first reach them (one query): the second first when more
    of them reach it before the first than after; as given on a tie or without dates. Read by their counts alone,
    a funnel can run backwards (a newsletter's 'confirm' before its 'optin': no one converts)."""
    first, second = steps
    dated = events.filter(events.event.isin([first, second]) & events.timestamp.notnull())
    per = dated.group_by("customer_id").aggregate(a=dated.timestamp.min(where=dated.event == first),
                                                  b=dated.timestamp.min(where=dated.event == second))
    both = per.filter(per.a.notnull() & per.b.notnull())
    row = engine.execute(both.aggregate(a_first=(both.a < both.b).cast("int64").sum(),
                                        b_first=(both.b < both.a).cast("int64").sum())).iloc[0]
    a_first, b_first = (0 if pd.isna(v) else int(v) for v in (row["a_first"], row["b_first"]))
    return (second, first) if b_first > a_first else (first, second)


def default_funnel(dataset, *, steps: tuple[str, ...] | None = None, window_seconds: int = DEFAULT_WINDOW,
                   mode: str = "ordered") -> FunnelParams:
    """The funnel for `dataset`: `steps` when given (stages when all are stages of the model, else events),
    else the stages present when two or more are and the shop's steps are not more, else the event guess. Raises
    InsufficientDataError when fewer than two steps can be found."""
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
