"""The canonical events table: column names, kinds and stage models (DESIGN.md section 3)."""

REQUIRED = ("customer_id", "timestamp", "event")
OPTIONAL = ("channel", "device", "department", "session_id", "revenue", "score", "text", "variant")
CANONICAL = REQUIRED + OPTIONAL
STRING_COLUMNS = ("customer_id", "event", "channel", "device", "department", "session_id", "text", "variant")
NUMERIC_COLUMNS = ("revenue", "score")

# Columns the engine table always has after loading: canonical ones plus the derived stage.
# `stage` is the stage name (or "unmapped"), `stage_index` its 0-based position in the stage model
# (-1 for unmapped), `row_id` the event's position in the load, stable across reloads.
DERIVED = ("stage", "stage_index", "row_id")

# Seconds east of UTC of the clock each event's time was written on, where the data names that clock: the time zone
# the mapping reads the file in (a 'Time Zone' column naming one zone, a Qualtrics header), the zone a zone column
# names on the row (PayPal's PST / PDT), the offset written in the time ('2024-01-01T09:00:00-05:00'). timestamp + it
# is the event's time on that clock (the day map's hours and weekdays: cjm.maps.day). The column is there only when
# some event's clock is not UTC; null on an event whose data names no zone (its time is UTC as written). Not an
# attribute of the export (Dataset.attributes leaves it out).
CLOCK = "_clock_offset"
HIDDEN = (CLOCK,)

STAGE_MODELS = {
    "5": ("awareness", "consideration", "conversion", "retention", "loyalty"),
    "7": ("awareness", "discovery", "evaluation", "conversion", "experience", "support", "repurchase"),
}
UNMAPPED = "unmapped"
