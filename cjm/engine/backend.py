"""The Backend: one Ibis connection per data source, its settings and the lifetime of its tables.

An upload gets its own in-process DuckDB (`local()`), with a memory limit and a spill folder; a
warehouse or cluster gets a connection from `connect(url)` (cjm.engine.connect). Analyses never hold
a connection: they find the backend of the data they were given (`backend_of(table)`), so a small
frame registered for a join lands where the events already are. Nothing here is module-level state:
the only thing shared is the configuration read from the environment.

Settings (environment variables; stated in the README):
  CJM_DUCKDB_MEMORY_LIMIT  memory limit of each in-process DuckDB (default: half the machine's memory)
  CJM_DUCKDB_SPILL_DIR     folder where DuckDB spills what does not fit (default: <tmp>/cjm-spill);
                           each backend uses its own subfolder, removed when the backend closes
  CJM_DUCKDB_THREADS       worker threads per DuckDB (default: DuckDB's choice, one per core)
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import threading
import uuid
import weakref
from pathlib import Path

import ibis
import ibis.backends.duckdb  # noqa: F401  (loaded with cjm, not inside the first upload a user waits on)
import pandas as pd
import pyarrow as pa

from cjm.engine import allocation

_ATTR = "_cjm_backend"  # on an Ibis connection: the Backend that wraps it

allocation.configure()  # process-wide: Arrow on malloc, NumPy without huge pages (see the module)


def _holding(lock, method):
    @functools.wraps(method)
    def call(*args, **kwargs):
        with lock:
            return method(*args, **kwargs)

    return call


def _physical_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not Linux
        return 8 * 1024**3


def duckdb_settings() -> dict:
    """The DuckDB settings every in-process backend starts with (from the environment)."""
    limit = os.environ.get("CJM_DUCKDB_MEMORY_LIMIT") or f"{max(_physical_memory() // 2 // 1024**2, 256)}MB"
    spill = os.environ.get("CJM_DUCKDB_SPILL_DIR") or str(Path(tempfile.gettempdir()) / "cjm-spill")
    settings = {"memory_limit": limit, "spill_dir": spill}
    if os.environ.get("CJM_DUCKDB_THREADS"):
        settings["threads"] = int(os.environ["CJM_DUCKDB_THREADS"])
    return settings


class Backend:
    """One Ibis connection and the tables cjm created on it.

    register(frame) -> table on this backend; materialize(expr) -> table; execute(expr) -> pandas
    (through Arrow); drop(table); close(). Tables cjm creates are temporary where the engine allows it.
    close() drops all of them (and closes the connection when cjm opened it); without it, the backend and
    its connection are freed together once no Dataset or table expression refers to them (an upload's
    in-process DuckDB, its tables and its spill folder go with the last Dataset built on it)."""

    kind = "sql"

    def __init__(self, con, *, label: str | None = None, owned: bool = True):
        self.con = con
        self.label = label or con.name  # safe to show: never holds a password
        self.owned = owned  # cjm opened the connection, so close() closes it
        self._tables: set[str] = set()
        self._prefix = f"cjm_{uuid.uuid4().hex[:6]}_"  # not t<n>: Ibis names its subqueries t0, t1, ...
        self._count = 0
        self._closed = False
        # One statement at a time per connection: DuckDB refuses a second call while one runs ("connection is
        # busy"), which two users' (or one user's overlapping) script runs on the shared demo data trigger.
        self._lock = threading.RLock()
        # `table.cache()` and its release (explicit, or by the garbage collector on any thread) call into the
        # connection from inside Ibis: they take the same lock, or they fail while another query runs.
        for name in ("_cached_table", "_finalize_cached_table"):
            if hasattr(con, name):
                setattr(con, name, _holding(self._lock, getattr(con, name)))
        # The connection points back at its Backend, so analyses find it from any table. The two live as
        # long as anything (a Dataset, a table expression) refers to either, and are freed together.
        setattr(con, _ATTR, self)

    # -- lifetime -------------------------------------------------------------------------------
    def close(self) -> None:
        """Drop every table cjm made here and, when cjm opened the connection, close it."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._closed:
            return
        for name in sorted(self._tables):
            try:
                self._drop_quietly(name)
            except Exception:  # noqa: BLE001 - the connection may already be gone
                pass
        self._tables.clear()
        if self.owned:
            try:
                self.con.disconnect()
            except Exception:  # noqa: BLE001
                pass
        self._closed = True

    def _drop_quietly(self, name: str) -> None:
        self.con.drop_table(name, force=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._closed

    def __repr__(self) -> str:
        return f"<cjm Backend {self.kind} {self.label}>"

    # -- tables ---------------------------------------------------------------------------------
    def new_name(self, hint: str = "t") -> str:
        with self._lock:  # the report's sections ask for names from two threads
            self._count += 1
            return f"{self._prefix}{hint}{self._count}"

    def register(self, frame: pd.DataFrame | pa.Table, *, name: str | None = None) -> ibis.Table:
        """A small frame as a table on this backend (temporary where the engine has temporary tables)."""
        name = name or self.new_name()
        arrow = _arrow(frame)
        with self._lock:
            table = self.con.create_table(name, ibis.memtable(arrow), temp=True, overwrite=True)
        self._tables.add(name)
        return table

    def materialize(self, expr: ibis.Table, *, name: str | None = None) -> ibis.Table:
        """Compute an expression once into a table here (for results many later queries start from)."""
        name = name or self.new_name("m")
        with self._lock:
            table = self.con.create_table(name, expr, temp=True, overwrite=True)
        self._tables.add(name)
        return table

    def drop(self, table: ibis.Table | str) -> None:
        name = table if isinstance(table, str) else table.get_name()
        with self._lock:
            self.con.drop_table(name, force=True)
        self._tables.discard(name)

    def table(self, name: str, *, database=None) -> ibis.Table:
        with self._lock:
            return self.con.table(name, database=database)

    @property
    def lock(self) -> threading.RLock:
        """Held around every call into the connection (for code that reads through `con` directly)."""
        return self._lock

    def execute(self, expr) -> pd.DataFrame:
        """Run an expression here; the result comes back as pandas through Arrow (fast for strings)."""
        with self._lock:
            table = self.con.to_pyarrow(expr)
        return table.to_pandas()

    def arrow(self, expr) -> pa.Table:
        """Run an expression here and keep the result as Arrow (whole tables: snapshots, copies)."""
        with self._lock:
            return self.con.to_pyarrow(expr)

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(sorted(self._tables))

    def memory_bytes(self) -> int:
        """Memory this backend holds in this process (0: the data lives in another server)."""
        return 0

    # -- capabilities (portable twins are used where a backend lacks one) ------------------------
    ordered_string_agg = True  # group_concat(..., order_by=...)
    exact_median = True


class DuckDBBackend(Backend):
    """In-process DuckDB with a memory limit and its own spill folder (the default for uploads)."""

    kind = "duckdb"

    def __init__(self, database: str = ":memory:", *, label: str | None = None, read_only: bool = False,
                 settings: dict | None = None):
        settings = dict(settings or duckdb_settings())
        self.spill_dir = Path(settings.pop("spill_dir")) / uuid.uuid4().hex[:12]
        self.spill_dir.mkdir(parents=True, exist_ok=True)
        self.memory_limit = settings["memory_limit"]
        if database == ":disk:":  # a database file in our spill folder: larger than memory, removed on close
            database = str(self.spill_dir / "data.duckdb")
            label = label or "in-process DuckDB (on disk)"
        # lambda_syntax: Ibis 12 writes x -> f(x) lambdas, which DuckDB 2.0 refuses unless asked to accept them
        config = {"preserve_insertion_order": False, "temp_directory": str(self.spill_dir),
                  "lambda_syntax": "ENABLE_SINGLE_ARROW", **settings}
        con = ibis.duckdb.connect(database, read_only=read_only, **config)
        super().__init__(con, label=label or ("in-process DuckDB" if database == ":memory:" else f"duckdb://{database}"))
        # The database is in memory (or read only): it goes with the connection; the spill folder with us.
        self._spill_cleanup = weakref.finalize(self, shutil.rmtree, self.spill_dir, True)

    def close(self) -> None:
        super().close()
        self._spill_cleanup()

    def _drop_quietly(self, name: str) -> None:
        self.con.con.execute(f'DROP TABLE IF EXISTS "{name}"')
        self.con.con.execute(f'DROP VIEW IF EXISTS "{name}"')

    def execute(self, expr) -> pd.DataFrame:
        """As Backend.execute; a query the report's shared scope compiled already (for its key) is run
        from that SQL instead of being compiled a second time (what Ibis' to_pyarrow does otherwise)."""
        from cjm.engine.shared import compiled

        sql = compiled(expr, self.con)
        if sql is None:
            return super().execute(expr)
        from ibis.backends.duckdb.converter import DuckDBPyArrowData

        with self._lock:
            self.con._run_pre_execute_hooks(expr)
            table = expr.__pyarrow_result__(self.con.con.sql(sql).to_arrow_table(), data_mapper=DuckDBPyArrowData)
        return table.to_pandas()

    def materialize_compiled(self, expr, sql: str) -> ibis.Table:
        """materialize(expr) from the SQL already compiled for it (the report's shared scope keys every
        expression by its SQL): a table typed as Ibis types the expression, filled by that SQL, so the
        expression is not compiled a second time (0.1-0.2 s for a funnel's progress on 1M events)."""
        name = self.new_name("m")
        columns = ", ".join(column.sql("duckdb") for column in expr.schema().to_sqlglot_column_defs("duckdb"))
        names = ", ".join('"' + c.replace('"', '""') + '"' for c in expr.columns)
        raw = self.con.con
        with self._lock:
            raw.execute(f'CREATE TABLE "{name}" ({columns})')
            self._tables.add(name)
            raw.execute(f'INSERT INTO "{name}" ({names}) {sql}')
            return self.con.table(name)

    def memory_bytes(self) -> int:
        """The memory DuckDB's buffer manager holds for this database (its tables; DuckDB's own count)."""
        if self._closed:
            return 0
        with self._lock:
            rows = self.con.con.execute("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()").fetchall()
        return int(rows[0][0])

    def register(self, frame, *, name=None) -> ibis.Table:
        # DuckDB reads Arrow in place: register it as a view, copy it into a table, forget the view.
        name = name or self.new_name()
        arrow = _arrow(frame)
        raw = self.con.con
        with self._lock:
            raw.register(f"{name}_arrow", arrow)
            try:
                raw.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM "{name}_arrow"')
            finally:
                raw.unregister(f"{name}_arrow")
            self._tables.add(name)
            return self.con.table(name)

    def materialize(self, expr, *, name=None) -> ibis.Table:
        name = name or self.new_name("m")
        with self._lock:
            table = self.con.create_table(name, expr, overwrite=True)
        self._tables.add(name)
        return table

    def read_parquet(self, path, *, name: str | None = None) -> ibis.Table:
        """Parquet queried in place (a view; never loaded whole into memory)."""
        name = name or self.new_name("parquet")
        with self._lock:
            table = self.con.read_parquet(path, table_name=name)
        self._tables.add(name)
        return table

    def read_csv(self, path, *, name: str | None = None) -> ibis.Table:
        """CSV queried in place (a view over the file)."""
        name = name or self.new_name("csv")
        with self._lock:
            table = self.con.read_csv(path, table_name=name)
        self._tables.add(name)
        return table

    def drop(self, table) -> None:
        name = table if isinstance(table, str) else table.get_name()
        with self._lock:
            self.con.con.execute(f'DROP TABLE IF EXISTS "{name}"')
            self.con.con.execute(f'DROP VIEW IF EXISTS "{name}"')
        self._tables.discard(name)


class SparkBackend(Backend):
    """Spark through a local or remote session. Small frames become temporary views; materialised
    results are cached in the cluster's memory. Spark has no ordered string aggregation, so paths
    use their portable twin."""

    kind = "pyspark"
    ordered_string_agg = False

    def __init__(self, con, *, label=None):
        from cjm.engine.dialects import CJMPySparkCompiler

        con.compiler = CJMPySparkCompiler()  # this connection only: strip() as an upload strips (cjm.engine.dialects)
        # getOrCreate shares one session per process: close() drops our views, never stops the session.
        super().__init__(con, label=label, owned=False)

    def _drop_quietly(self, name: str) -> None:
        self.con._session.catalog.dropTempView(name)

    def execute(self, expr) -> pd.DataFrame:
        # Spark's TIMESTAMP is an instant shown in the session's time zone (UTC here) and comes back
        # without one (e.g. from a cached table); give it back as UTC, like every other engine.
        result = super().execute(expr)
        columns = result.items() if isinstance(result, pd.DataFrame) else []
        for name, values in columns:
            if pd.api.types.is_datetime64_dtype(values) and getattr(values.dt, "tz", None) is None:
                result[name] = values.dt.tz_localize("UTC")
        return result

    def register(self, frame, *, name=None) -> ibis.Table:
        name = name or self.new_name()
        table = self.con.create_view(name, ibis.memtable(_arrow(frame)), overwrite=True)
        self._tables.add(name)
        return table

    def materialize(self, expr, *, name=None) -> ibis.Table:
        name = name or self.new_name("m")
        frame = self.con._session.sql(self.con.compile(expr)).cache()
        frame.createOrReplaceTempView(name)
        self._tables.add(name)
        return self.con.table(name)

    def drop(self, table) -> None:
        name = table if isinstance(table, str) else table.get_name()
        self.con._session.catalog.dropTempView(name)
        self._tables.discard(name)


class PostgresBackend(Backend):
    kind = "postgres"

    def __init__(self, con, *, label=None, owned=True):
        from cjm.engine.dialects import CJMPostgresCompiler

        con.compiler = CJMPostgresCompiler()  # this connection only (see cjm.engine.dialects)
        super().__init__(con, label=label, owned=owned)
        self.utc()

    def utc(self) -> None:
        """Run this connection's session in UTC (SET TIME ZONE). cjm's timestamps are UTC instants; PostgreSQL
        reads a timestamp without a zone (or ISO text) cast to timestamptz, and takes the hour, the weekday and
        the date of a timestamptz, in the session's TimeZone, which is the server's, the database's or the
        role's unless set: in America/New_York a 10:00 UTC event would be counted at 05:00 or 06:00. The
        connection cjm opens also asks for UTC when it starts (cjm.engine.remote.utc_options); this sets it on a
        connection cjm is handed too (wrap)."""
        with self._lock, self.con.con.cursor() as cursor, self.con.con.transaction():
            cursor.execute("SET TIME ZONE 'UTC'")

    def execute(self, expr) -> pd.DataFrame:
        # PostgreSQL returns numeric (Decimal) for averages Ibis types as float64, which Arrow will not take
        # from Python objects; Ibis' own conversion handles it, then Arrow gives the usual dtypes.
        result = self.con.execute(expr)
        if isinstance(result, pd.DataFrame):
            return pa.Table.from_pandas(result, schema=expr.schema().to_pyarrow(), preserve_index=False).to_pandas()
        if isinstance(result, pd.Series):
            return pa.chunked_array([pa.array(result, type=expr.type().to_pyarrow(), from_pandas=True)]).to_pandas()
        return result

    def register(self, frame, *, name=None) -> ibis.Table:
        # Ibis inserts row by row into a temporary table; COPY is much faster for anything but tiny frames.
        name = name or self.new_name()
        arrow = _arrow(frame)
        table = self.con.create_table(name, schema=ibis.Schema.from_pyarrow(arrow.schema), temp=True,
                                      overwrite=True)
        columns = ", ".join(f'"{c}"' for c in arrow.column_names)
        with self.con.con.cursor() as cursor, self.con.con.transaction():
            with cursor.copy(f'COPY "{name}" ({columns}) FROM STDIN') as copy:
                for row in zip(*(col.to_pylist() for col in arrow.columns)):
                    copy.write_row(row)
        self._tables.add(name)
        return table


_KINDS = {"duckdb": DuckDBBackend, "pyspark": SparkBackend, "postgres": PostgresBackend}


def _arrow(frame) -> pa.Table:
    return frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)


def local(*, on_disk: bool = False, **settings) -> DuckDBBackend:
    """A fresh in-process DuckDB (one per upload), with the memory limit and spill folder configured.
    It is freed with the last Dataset or table that uses it, or at once by close(). on_disk=True keeps its
    tables in a database file inside its spill folder (for data larger than memory)."""
    return DuckDBBackend(":disk:" if on_disk else ":memory:",
                         settings={**duckdb_settings(), **settings} if settings else None)


def wrap(con, *, label: str | None = None, owned: bool = False) -> Backend:
    """A Backend around an Ibis connection cjm did not open (it stays open when the Backend goes)."""
    if con.name == "duckdb":
        backend = object.__new__(DuckDBBackend)
        backend.spill_dir = None
        backend.memory_limit = None
        backend._spill_cleanup = lambda: None
        Backend.__init__(backend, con, label=label, owned=owned)
        return backend
    cls = _KINDS.get(con.name, Backend)
    if cls is SparkBackend:
        return SparkBackend(con, label=label)
    return cls(con, label=label, owned=owned)


def backend_of(expr) -> Backend | None:
    """The Backend the expression's tables live on (None for an expression made only of in-memory frames)."""
    if isinstance(expr, Backend):
        return expr
    backends, _ = expr._find_backends()
    if not backends:
        return None
    if len(backends) > 1:
        from cjm.errors import CJMError

        raise CJMError("This analysis joins tables from different data sources "
                       f"({', '.join(sorted(b.name for b in backends))}); cjm runs each analysis on one backend.")
    con = backends[0]
    found = getattr(con, _ATTR, None)
    return found if found is not None else wrap(con)
