"""Constructs not every engine has, each with a portable twin (tests/test_engine.py shows they agree).

- ordered string aggregation: group_concat(..., order_by=...) where the engine has it (DuckDB,
  PostgreSQL); elsewhere (Spark) the twin collects (order keys, value) structs, sorts the array and
  joins the values.
- exact durations: `seconds_between` counts microseconds (Ibis types `epoch_seconds` as whole seconds, so
  a difference of epochs may lose its fraction on one engine and keep it on another).
- medians with a condition: Ibis' `.median(where=...)` fails on Spark; `median_where` puts the
  condition inside (null where it does not hold), which every engine reads the same way.
- trimming: `trimmed` is Ibis' `strip()`, paid only by values with a blank at an end (DuckDB's TRIM with its list
  of blanks took 0.66 s over 1M times as written, the test first 0.10 s).
"""

from __future__ import annotations

import ibis

from cjm.engine.backend import backend_of


def ordered_concat(table, value, sep: str, *, order_by, where=None, twin: bool | None = None):
    """Aggregate: `value` of each group's rows (those where `where` holds), in `order_by` order, joined by `sep`.

    twin=None picks by the backend of `table`; True/False forces the portable twin or the native form."""
    if twin is None:
        backend = backend_of(table)
        twin = backend is not None and not backend.ordered_string_agg
    if not twin:
        return value.group_concat(sep, where=where, order_by=order_by)
    keys = {f"k{i}": key for i, key in enumerate(order_by)}
    item = ibis.struct({**keys, "v": value.cast("string")})
    if where is not None:
        item = ibis.ifelse(where & value.notnull(), item, ibis.null(item.type()))
    else:
        item = ibis.ifelse(value.notnull(), item, ibis.null(item.type()))
    joined = item.collect().sort().map(lambda s: s.v).join(sep)
    return ibis.ifelse(joined == "", ibis.null("string"), joined)


def trimmed(text):
    """`text.strip()`: without the blanks at its ends (space, tab, line breaks: characters 9 to 13 and 32). On DuckDB
    trimmed only where its first or last character is one of them or below (every blank is), so most values are read
    as they are. Elsewhere the plain TRIM: the test names `text` four times, and PostgreSQL, which folds a column's
    expression into each one reading it, planned the chain of a text read in place without end."""
    try:
        engine = text._find_backend(use_default=False).name
    except Exception:  # noqa: BLE001 - an unbound expression: no engine to tune for
        engine = None
    if engine != "duckdb":
        return text.strip()
    edge = (text.ascii_str() <= 32) | (text.right(1).ascii_str() <= 32)
    return ibis.ifelse(edge, text.strip(), text)


def median_where(value, condition):
    """Median of `value` over rows where `condition` holds (portable form of median(where=...))."""
    return ibis.ifelse(condition, value, ibis.null(value.type())).median()


def sample_customers(events, max_customers: int | None):
    """(events of at most `max_customers` customers, {"customers": all, "sampled": kept} or None).

    A systematic sample: customers in id order, every k-th one (k = ceil(all / max_customers)). It is the
    same on every engine (no engine-specific hash or random numbers), so sampled results agree too."""
    if max_customers is None:
        return events, None
    from cjm.engine.events import execute

    ids = events.select("customer_id").distinct()
    total = int(execute(ids.aggregate(n=ids.count()))["n"].iloc[0])
    if total <= max_customers:
        return events, None
    step = -(-total // max_customers)
    ranked = ids.mutate(_position=ibis.row_number().over(ibis.window(order_by=ids.customer_id)))
    kept = ranked.filter(ranked._position % step == 0).select(_kept=ranked.customer_id)
    sampled = events.semi_join(kept, events.customer_id == kept._kept)
    return sampled, {"customers": total, "sampled": -(-total // step) if total % step else total // step}


def seconds_between(later, earlier):
    """Exact seconds between two timestamp expressions (microsecond resolution), as a float."""
    return later.delta(earlier, unit="microsecond").cast("float64") / 1_000_000
