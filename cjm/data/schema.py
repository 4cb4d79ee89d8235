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

STAGE_MODELS = {
    "5": ("awareness", "consideration", "conversion", "retention", "loyalty"),
    "7": ("awareness", "discovery", "evaluation", "conversion", "experience", "support", "repurchase"),
}
UNMAPPED = "unmapped"
