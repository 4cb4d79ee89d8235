"""Which column names say they hold dates ('created_at', 'Sale Date', 'Customer Since', 'Review Created (UTC)').

A leaf module (imports only cjm.data.names), so the readers of dates (cjm.data.timestamps) and of columns
(cjm.data.columns, which re-exports these names) share it without importing each other."""

from __future__ import annotations

from cjm.data.names import normalise

# A column holding each row's time, by its name (cjm.data.columns.ALIASES["timestamp"]).
TIMESTAMP_ALIASES = (
    "timestamp", "event_time", "eventtime", "event_timestamp", "event_date", "time", "datetime",
    "date", "created_at", "created", "tweet_created", "occurred_at", "ts", "order_date",
    "purchase_date", "first_contact_date", "won_date", "dt_customer", "date_time", "sent_at",
    "дата", "время", "дата_время", "تاریخ", "زمان", "التاريخ", "تاريخ", "الوقت", "data", "data_hora",
    "fecha", "fecha_hora", "hora",
    "datum", "zeitstempel", "zeitpunkt", "bestelldatum", "erstellt_am", "horodatage", "date_heure",
    "date_commande", "data_ordine", "data_ora", "fecha_pedido", "data_pedido",
    "日付", "日時", "注文日", "注文日時", "購入日", "購入日時", "投稿日", "投稿日時", "作成日時", "受付日時",
    "タイムスタンプ",
)

# Words that name a date inside a longer column name ("Sale Date", "signup_date", "Customer Since", "Fecha de alta"):
# the one-word timestamp aliases but "data" (English data, not the Portuguese date) and "created" ("Created By" is a
# user), and a few more. A name ending in "at" or "on" names one too ("sent_at", "Updated On").
DATE_WORDS = frozenset(a for a in TIMESTAMP_ALIASES if "_" not in a) - {"data", "created"} | {
    "dt", "since", "when", "day", "dated"}
_DATE_ENDINGS = {"at", "on"}
# The zone a column's name says its times are in ("Submit Date (UTC)", "Created (UTC)", "Time GMT"): no part of what the
# column dates, so no part of an event named after it.
ZONE_WORDS = frozenset({"utc", "gmt"})
# Words that make a date word name a duration instead ("Resolution time in minutes", "days_since_last_order").
_DURATION_WORDS = {"duration", "spent", "elapsed", "sec", "secs", "seconds", "min", "mins", "minutes", "hrs", "hours",
                   "days", "weeks", "months", "years"}
# Words that make "created" name who created a record, not when ("Created By", "Creator User ID").
_WHO_CREATED = {"by", "user", "author", "creator", "id", "email", "name"}


def names_a_date(column) -> bool:
    """Whether a column's name says it holds dates: a timestamp alias ("created_at", "Datum"), or a date word among
    its words ("Sale Date", "Customer Since", "signup_date", "Member since") and no word of a duration ("Handle
    time (minutes)")."""
    norm = normalise(str(column))
    if norm in TIMESTAMP_ALIASES:
        return True
    words = norm.split("_")
    if set(words) & _DURATION_WORDS:
        return False
    return (bool(set(words) & DATE_WORDS) or (len(words) > 1 and words[-1] in _DATE_ENDINGS)
            or ("created" in words and not set(words) & _WHO_CREATED)  # Trustpilot's "Review Created (UTC)"
            or bool(set(words[1:]) & ZONE_WORDS))  # "Dispute Date (UTC)", "Review Created (UTC)": a zone dates it
