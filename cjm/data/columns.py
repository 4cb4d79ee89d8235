"""Column auto-mapping: which export column supplies each canonical column (DESIGN.md section 3).

A mapping is a small JSON document, saved with the dashboard and re-applied to later exports:
    {"columns": {"customer_id": "user_id", "timestamp": "event_time", ...},
     "event_constant": null, "day_first": null, "timezone": "UTC"}
Names are matched in any case and spacing ("Customer ID" == "customer_id" == "customerId").
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import pandas as pd

from cjm.data import schema
from cjm.errors import MappingError

# Common export names, best first. Matching is on normalised names (see `normalise`).
ALIASES: dict[str, tuple[str, ...]] = {
    "customer_id": (
        "customer_id", "customerid", "customer", "client_id", "clientid", "user_id", "userid", "user",
        "contact_id", "account_id", "person_id", "visitor_id", "member_id", "lead_id", "mql_id", "id",
        "customer_number", "cust_id", "email", "username", "user_name", "name",
    ),
    "timestamp": (
        "timestamp", "event_time", "eventtime", "event_timestamp", "event_date", "time", "datetime",
        "date", "created_at", "created", "tweet_created", "occurred_at", "ts", "order_date",
        "purchase_date", "first_contact_date", "won_date", "dt_customer", "date_time", "sent_at",
    ),
    "event": (
        "event", "event_type", "event_name", "eventname", "action", "activity", "touchpoint",
        "interaction", "type", "step", "page_type", "event_action",
    ),
    "channel": ("channel", "utm_source", "source", "origin", "medium", "utm_medium", "marketing_channel",
                "traffic_source", "acquisition_channel"),
    "device": ("device", "device_type", "devicetype", "device_category", "platform"),
    "department": ("department", "team", "queue", "owner_department", "business_unit"),
    "session_id": ("session_id", "sessionid", "session", "user_session", "visit_id", "visitid"),
    "revenue": ("revenue", "amount", "order_value", "sales", "dollar_value", "total", "value",
                "purchase_amount", "order_total", "monetary"),
    "score": ("score", "rating", "stars", "csat", "nps", "ces", "satisfaction", "review_score"),
    "text": ("text", "comment", "comments", "review", "review_text", "feedback", "note", "notes",
             "message", "body", "content", "verbatim"),
    "variant": ("variant", "ab_group", "ab_variant", "experiment_group", "test_group", "arm", "bucket",
                "treatment"),
}


def normalise(name: str) -> str:
    """'Customer ID' -> 'customer_id', 'customerId' -> 'customer_id', ' event-time ' -> 'event_time'."""
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(name).strip())
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


@dataclass
class ColumnMapping:
    """Which source column supplies each canonical column; the user confirms or overrides it."""

    columns: dict[str, str] = field(default_factory=dict)
    event_constant: str | None = None  # used when no column supplies `event`: every row is this touchpoint
    day_first: bool | None = None
    timezone: str = "UTC"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ColumnMapping":
        unknown = set(data) - {"columns", "event_constant", "day_first", "timezone"}
        if unknown:
            raise MappingError(f"The mapping file has unknown keys {sorted(unknown)}; expected 'columns', "
                               "'event_constant', 'day_first' and 'timezone'. Save a mapping from the Data page "
                               "to see the format.")
        columns = dict(data.get("columns") or {})
        bad = sorted(set(columns) - set(schema.CANONICAL))
        if bad:
            raise MappingError(f"The mapping names {bad}, which are not cjm columns. Use any of "
                               f"{list(schema.CANONICAL)}.")
        return cls(columns=columns, event_constant=data.get("event_constant"),
                   day_first=data.get("day_first"), timezone=data.get("timezone") or "UTC")

    def source(self, canonical: str) -> str | None:
        return self.columns.get(canonical)


def _alias_rank(canonical: str, column: str) -> int | None:
    norm = normalise(column)
    aliases = ALIASES[canonical]
    if norm in aliases:
        return aliases.index(norm)
    return None


def suggest_mapping(frame: pd.DataFrame, *, timestamp_score=None) -> ColumnMapping:
    """Guess the mapping from column names, then from content for the required columns.

    `timestamp_score(series) -> share parsed` lets the content check use the real date parser.
    """
    taken: set[str] = set()
    columns: dict[str, str] = {}
    for canonical in schema.CANONICAL:
        ranked = sorted(
            (rank, i, col) for i, col in enumerate(frame.columns)
            if col not in taken and (rank := _alias_rank(canonical, col)) is not None
        )
        for _, _, col in ranked:
            if _content_fits(canonical, frame[col], timestamp_score):
                columns[canonical] = col
                taken.add(col)
                break
        else:
            if canonical == "timestamp" and ranked:
                # Named like a date but nothing parses: map it anyway, so the user is told why, with examples.
                columns[canonical] = ranked[0][2]
                taken.add(ranked[0][2])
    if "timestamp" not in columns and timestamp_score is not None:
        for col in frame.columns:
            if col not in taken and _content_fits("timestamp", frame[col], timestamp_score):
                columns["timestamp"] = col
                taken.add(col)
                break
    mapping = ColumnMapping(columns=columns)
    if "event" not in columns:
        mapping.event_constant = default_event_name(columns, frame)
    return mapping


def _sample(series: pd.Series, n: int = 500) -> pd.Series:
    return series.dropna().head(n)


def _content_fits(canonical: str, series: pd.Series, timestamp_score) -> bool:
    sample = _sample(series)
    if sample.empty:
        return canonical not in schema.REQUIRED
    if canonical == "timestamp":
        if timestamp_score is None:
            return True
        return timestamp_score(sample) >= 0.8
    if canonical in schema.NUMERIC_COLUMNS:
        if pd.api.types.is_numeric_dtype(sample):
            return not pd.api.types.is_bool_dtype(sample)
        cleaned = sample.astype(str).str.replace(r"[\s\u00a0,.'$€£%-]", "", regex=True)
        return cleaned.str.fullmatch(r"\d+").mean() >= 0.9
    if canonical == "customer_id":
        return sample.astype(str).str.len().max() <= 128
    return True


def default_event_name(columns: dict[str, str], frame: pd.DataFrame) -> str | None:
    """The touchpoint every row stands for when the export has no event column (None: ask the user)."""
    if "revenue" in columns:
        return "purchase"
    if "text" in columns or "score" in columns:
        return "feedback"
    if "timestamp" in columns:
        words = [w for w in normalise(columns["timestamp"]).split("_")
                 if w not in {"date", "time", "datetime", "timestamp", "dt", "at", "ts", "on"}]
        if words:
            return " ".join(words)
    return None


def check_mapping(mapping: ColumnMapping, frame: pd.DataFrame) -> None:
    """Raise MappingError naming what is missing and the closest candidate columns."""
    missing_cols = sorted({c for c in mapping.columns.values() if c not in frame.columns})
    if missing_cols:
        raise MappingError(f"The mapping uses column(s) {missing_cols}, which this file does not have. "
                           f"Its columns are {list(frame.columns)[:30]}. Choose them again on the Data page.")
    needed = [c for c in schema.REQUIRED if c not in mapping.columns
              and not (c == "event" and mapping.event_constant)]
    if not needed:
        return
    lines = []
    for canonical in needed:
        lines.append(f"{_label(canonical)}: closest columns {closest_columns(canonical, frame)}")
    raise MappingError(
        "cjm needs a customer id, a timestamp and an event (touchpoint) for every row, and this file "
        f"does not supply {', '.join(_label(c) for c in needed)}. " + "; ".join(lines) + ". "
        "Fix: pick the right columns in the mapping editor on the Data page (or pass --mapping FILE), "
        "give a constant event name if every row is the same touchpoint, or export a file that has "
        "these columns."
    )


def _label(canonical: str) -> str:
    return {"customer_id": "customer id", "timestamp": "timestamp", "event": "event"}.get(canonical, canonical)


_NAME_HINTS = {
    "customer_id": r"id|user|customer|client|account|name|email|member|visitor|lead",
    "timestamp": r"date|time|month|day|year|created|_at$|^dt",
    "event": r"event|type|action|activity|status|page|step|stage|name",
}


def closest_columns(canonical: str, frame: pd.DataFrame, n: int = 3) -> list[str]:
    """Columns that look most like they could supply `canonical`: by name first, then by content."""
    hint = _NAME_HINTS.get(canonical, re.escape(canonical))
    by_name = [c for c in frame.columns if re.search(hint, normalise(c))]
    by_content = sorted(frame.columns, key=lambda c: -_content_likeness(canonical, frame[c]))
    return list(dict.fromkeys(by_name + by_content))[:n]


def _content_likeness(canonical: str, series: pd.Series) -> float:
    sample = _sample(series, 300)
    if sample.empty:
        return 0.0
    distinct = sample.nunique() / len(sample)
    is_text = not pd.api.types.is_numeric_dtype(sample)
    if canonical == "customer_id":
        return distinct + 0.5 * is_text
    if canonical == "event":
        return (1 - distinct) * is_text if sample.nunique() > 1 else 0.0
    return float(sample.astype(str).str.contains(r"\d{4}|[A-Za-z]{3}").mean())
