"""The engine: where event-level Ibis expressions run (DESIGN.md section 2a).

Owns the Backend (one Ibis connection per data source: an in-process DuckDB per upload by default, or
a warehouse / cluster from `connect(url)`), its settings (memory limit, spill folder) and the lifetime of
the tables it holds, and how the process allocates memory (allocation: Arrow through malloc, NumPy without
transparent huge pages) and which of its objects the cyclic garbage collector walks (collector). There is no module-level connection: the helpers below find the backend of the
data they are given, so a small frame registered for a join lands where the events already are.
May import: cjm.data.schema, cjm.errors. Imported by every analysis package; imports none of them.
"""

from cjm.engine.backend import Backend, DuckDBBackend, PostgresBackend, SparkBackend, backend_of, local, wrap
from cjm.engine.collector import settle_imports
from cjm.engine.hashing import row_hashes
from cjm.engine.portable import median_where, ordered_concat, sample_customers, seconds_between, trimmed
from cjm.engine.remote import connect, masked, resolve_url
from cjm.engine.shared import fingerprint, remember, shared, shared_table
from cjm.engine.events import (
    EVENT_SCHEMA,
    colocate,
    conform_events,
    drop,
    events_table,
    execute,
    materialize,
    register,
)

__all__ = ["EVENT_SCHEMA", "Backend", "shared", "shared_table", "remember", "fingerprint", "DuckDBBackend", "PostgresBackend", "SparkBackend", "backend_of", "colocate", "connect",
           "conform_events", "drop", "events_table", "execute", "local", "masked", "materialize", "median_where", "ordered_concat", "register", "resolve_url", "row_hashes", "sample_customers", "settle_imports", "trimmed", "wrap"]
