"""Checks that need the data: do the step names, the excluded event and the breakdown column exist?"""

from __future__ import annotations

import difflib

import ibis.expr.operations as ops

from cjm import engine
from cjm.errors import InsufficientDataError, NoDatesError, ParameterError
from cjm.journey.funnel.params import FunnelParams


def names_source(events):
    """The table step names are checked against: `events` before any row filter.

    A filter (the dashboard's date, channel, device or segment filters, or an analysis narrowing the
    events) only removes rows, so a stage or event that exists in the data but that no row of the
    filtered view reaches is an honest 0, not a typo. Peeling the filters off the expression finds
    the data they narrow, with no state kept anywhere."""
    op = events.op()
    while isinstance(op, ops.Filter):
        op = op.parent
    return op.to_expr()


# What each analysis in time needs the dates for, said to a reader of a file without them (check_dated).
FUNNEL_NEEDS_DATES = ("The funnel", "a funnel's window and the order of its steps are times")
ABANDONMENT_NEEDS_DATES = ("Abandonment", "a customer abandons when their window closes without the next step")
CHECKOUT_NEEDS_DATES = ("Checkout abandonment", "a checkout is abandoned when its window closes without a purchase")


def check_dated(events, needs: tuple[str, str] = FUNNEL_NEEDS_DATES) -> None:
    """Raise NoDatesError (an InsufficientDataError), saying the data has no dates and how to give it some, when
    `events` has rows but not one of them has a timestamp (an export of respondents or sessions: no date column,
    or every date blank). `needs` is (the analysis, why it needs dates).

    Asked of the data before any row filter (names_source), as the step names are: a filter that leaves no
    dated event is an honest 0, not a file without dates. Data with SOME dated rows passes (its undated rows
    are left out of the analysis, as before)."""
    source = names_source(events)
    if len(engine.execute(source.filter(source.timestamp.notnull()).select("timestamp").limit(1))):
        return
    if not len(engine.execute(source.select("row_id").limit(1))):
        return  # no rows at all: the analysis says so in its own words
    what, why = needs
    raise NoDatesError(
        f"{what} needs dates, and no event of this data has one (the export has no date column, or every date "
        f"in it is blank): {why}. Map a date column on the Data page to enable it."
    )


def count_undated(dataset) -> dict:
    """Of the dataset's events (the Dataset or a view of it): `events`, `undated` (events without a date),
    `customers` and `customers_undated` (customers none of whose events has a date). Every analysis in time
    leaves the undated events out (a survey where some respondents left the date blank); pages say how many."""
    t = dataset.events
    dated = t.timestamp.notnull()
    row = engine.execute(t.aggregate(events=t.count(), dated=dated.cast("int64").sum(),
                                     customers=t.customer_id.nunique(),
                                     dated_customers=t.customer_id.nunique(where=dated))).iloc[0]
    events, customers = int(row["events"]), int(row["customers"])
    dated_events = 0 if row["dated"] is None or row["dated"] != row["dated"] else int(row["dated"])
    return {"events": events, "undated": events - dated_events, "customers": customers,
            "customers_undated": customers - int(row["dated_customers"])}


def _known_names(events, column: str) -> list[str]:
    frame = engine.execute(events.select(name=events[column]).filter(lambda t: t.name.notnull()).distinct())
    return sorted(frame["name"].astype(str))


def _require_columns(events, columns) -> None:
    for column in columns:
        if column not in events.columns:
            raise InsufficientDataError(
                f"The funnel needs the column {column!r} in the events table, which is missing. "
                "Map a column to it on the Data page."
            )


def _unknown_name_error(what: str, name: str, kind: str, known: list[str]) -> ParameterError:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    shown = ", ".join(known[:30]) + (", ..." if len(known) > 30 else "")
    return ParameterError(
        f"{what}: {name!r} is not {'an' if kind == 'event' else 'a'} {kind} in this dataset.{hint} "
        f"Known {kind}s: {shown or 'none'}. Check the spelling or the stage mapping on the Data page."
    )


def check_names(events, params: FunnelParams) -> None:
    """Raise NoDatesError when no event of the data has a date (check_dated), ParameterError for step names
    (or the excluded event) that never occur in the data."""
    _require_columns(events, ("customer_id", "timestamp", "row_id", params.name_column, "event"))
    check_dated(events, FUNNEL_NEEDS_DATES)
    events = names_source(events)
    wanted = {params.name_column: set(params.steps)}
    if params.exclude_event is not None:
        wanted.setdefault("event", set()).add(params.exclude_event)
    for column, names in wanted.items():
        present = engine.execute(
            events.filter(events[column].isin(sorted(names))).select(name=events[column]).distinct()
        )
        missing = names - set(present["name"].astype(str))
        if not missing:
            continue
        known = _known_names(events, column)
        kind = "stage" if column == "stage" else "event"
        for name in (s for s in params.steps if s in missing):
            raise _unknown_name_error("steps", name, kind, known)
        raise _unknown_name_error("exclude_event", params.exclude_event, "event", known)


def check_breakdown(events, params: FunnelParams, customers=None) -> None:
    """Raise ParameterError when the breakdown column is in neither the events nor the customers table."""
    if params.breakdown is None or params.breakdown in events.columns:
        return
    if customers is not None and params.breakdown in customers.columns:
        return
    known = [c for c in events.columns if c not in ("row_id", "timestamp", "customer_id", "text")]
    if customers is not None:
        known += [c for c in customers.columns if c != "customer_id"]
    close = difflib.get_close_matches(params.breakdown, known, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ParameterError(
        f"breakdown: {params.breakdown!r} is not a column of this dataset.{hint} "
        f"Available columns: {', '.join(known)}."
    )
