"""The engine: where event-level Ibis expressions run (in-process DuckDB by default).

Owns the backend connection, its settings and the lifetime of the tables it holds.
May import: cjm.data.schema, cjm.errors. Imported by every analysis package; imports none of them.
"""

from cjm.engine.backend import (
    EVENT_SCHEMA,
    backend,
    conform_events,
    drop,
    events_table,
    execute,
    materialize,
    register,
)

__all__ = ["EVENT_SCHEMA", "backend", "conform_events", "drop", "events_table", "execute", "materialize",
           "register"]
