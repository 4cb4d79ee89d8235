"""Warehouse and cluster mode: `connect(url)` opens a Backend where the events already live.

    duckdb:///path/to/file.duckdb    a DuckDB database file (read only)
    postgresql://user:pass@host:5432/db   (also postgres://)
    spark://local  or  spark://local[4]   a Spark session in this process (pyspark local mode)
    spark://host:7077                     a Spark standalone cluster
    sc://host:15002                       Spark Connect
    bigquery://project/dataset, snowflake://..., trino://..., clickhouse://...
                                          through their Ibis extras, when installed

Credentials never need to be written on a command line or saved in a dashboard: `resolve_url` takes
the name of an environment variable (or a Streamlit secret, in the app) holding the URL, and `${NAME}`
inside a URL is replaced from the environment. `masked(url)` is the only form of a URL cjm shows or logs.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import ibis

from cjm.engine.backend import Backend, DuckDBBackend, PostgresBackend, SparkBackend, duckdb_settings
from cjm.errors import CJMError

EXTRAS = {"bigquery": "bigquery", "snowflake": "snowflake", "trino": "trino", "clickhouse": "clickhouse",
          "postgres": "postgres", "pyspark": "pyspark", "mysql": "mysql", "mssql": "mssql"}
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def masked(url: str) -> str:
    """The URL with any password replaced by ***, safe to show and log."""
    if "@" not in url and "?" not in url:
        return url  # nothing secret in it
    try:
        parts = urlsplit(url)
    except ValueError:
        return "***"
    if parts.password is None:
        netloc = parts.netloc
    else:
        user = parts.username or ""
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        netloc = f"{user}:***@{host}{port}"
    query = re.sub(r"(?i)((?:password|passwd|pwd|token|secret|key)=)[^&]*", r"\1***", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def resolve_url(value: str, *, secrets=None) -> str:
    """A URL from what the user typed: the name of an environment variable or secret holding it, or a URL
    whose `${NAME}` placeholders are read from the environment (so a password is never typed)."""
    value = (value or "").strip()
    if not value:
        raise CJMError("No source was given. Pass a database URL, or the name of an environment variable "
                       "that holds it (e.g. CJM_SOURCE_URL).")
    if _ENV_NAME.fullmatch(value):
        if secrets is not None and value in secrets:
            return str(secrets[value])
        if value in os.environ:
            return os.environ[value]
        raise CJMError(f"There is no environment variable {value!r}"
                       f"{' or Streamlit secret' if secrets is not None else ''} holding a database URL. "
                       f"Set it (e.g. export {value}=postgresql://user:password@host/db) and try again.")

    def substitute(match):
        name = match.group(1)
        if name not in os.environ:
            raise CJMError(f"The source URL refers to ${{{name}}} but that environment variable is not set. "
                           "Set it and try again.")
        return os.environ[name]

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", substitute, value)


def connect(url: str) -> Backend:
    """A Backend for a data source URL (see the module docstring for the forms understood)."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if "+" in scheme:  # SQLAlchemy style (postgresql+psycopg://): the driver part is not needed here
        url = scheme.split("+", 1)[0] + url[len(scheme):]
        scheme = scheme.split("+", 1)[0]
    label = masked(url)
    try:
        if scheme == "duckdb" or url.endswith((".duckdb", ".ddb")) and "://" not in url:
            path = url.split("://", 1)[1] if "://" in url else url
            path = path.lstrip("/") if path.startswith("//") else path
            if not path or path == ":memory:":
                return DuckDBBackend(label="in-process DuckDB")
            if not os.path.exists(path):
                raise CJMError(f"There is no DuckDB file at {path!r}. Check the path in the source URL.")
            return DuckDBBackend(path, label=label, read_only=True, settings=duckdb_settings())
        if scheme in ("postgres", "postgresql"):
            _need("postgres", "psycopg")
            postgres = "postgres" + url[len(scheme):]
            con = ibis.connect(postgres, options=utc_options(postgres))
            return PostgresBackend(con, label=label)
        if scheme in ("spark", "sc"):
            return _spark(url, label)
        backend_name = {"bq": "bigquery"}.get(scheme, scheme)
        if backend_name not in EXTRAS:
            raise CJMError(f"cjm does not know the source kind {scheme!r} (from {label}). Use duckdb://, "
                           "postgresql://, spark://local, sc://host, bigquery://, snowflake://, trino:// or "
                           "clickhouse://.")
        try:
            con = ibis.connect(url)
        except (ImportError, ModuleNotFoundError, AttributeError) as exc:
            raise CJMError(f"Connecting to {backend_name} needs Ibis' {backend_name} extra, which is not installed "
                           f"({exc}). Install it with: pip install 'ibis-framework[{EXTRAS[backend_name]}]'") from None
        return Backend(con, label=label)
    except CJMError:
        raise
    except Exception as exc:  # noqa: BLE001 - any driver error becomes a plain message without the password
        message = str(exc).replace(url, label)
        password = urlsplit(url).password
        if password:
            message = message.replace(password, "***")
        raise CJMError(f"cjm could not connect to {label}: {message.strip().splitlines()[0] if message.strip() else type(exc).__name__}. "
                       "Check the URL, that the server is reachable and that the credentials are right.") from None


def utc_options(url: str) -> str:
    """The libpq `options` of a PostgreSQL URL with the session's TimeZone set to UTC, added to any the URL gives
    (?options=-c%20search_path%3Danalytics stays). cjm's timestamps are UTC: with the server's or the role's zone
    (America/New_York) a timestamp column without a zone would be read as New York time, and the hour, weekday
    and date of every event (the day in the life, periods, gaps) would be taken in New York."""
    given = dict(parse_qsl(urlsplit(url).query)).get("options", "").strip()
    return (given + " " if given else "") + "-c TimeZone=UTC"


def _need(extra: str, module: str) -> None:
    try:
        __import__(module)
    except ImportError:
        raise CJMError(f"Connecting to {extra} needs the {module!r} package. Install it with: "
                       f"pip install 'ibis-framework[{EXTRAS.get(extra, extra)}]'") from None


def _spark(url: str, label: str) -> Backend:
    _need("pyspark", "pyspark")
    from pyspark.sql import SparkSession

    scheme, rest = url.split("://", 1)
    netloc = rest.split("/", 1)[0]  # not urlsplit: local[4] is not a host name
    builder = SparkSession.builder.appName("cjm")
    if scheme == "sc":
        builder = builder.remote(url)
    elif netloc.startswith("local"):
        builder = builder.master(netloc or "local[*]")
    else:
        builder = builder.master(f"spark://{netloc}")
    if scheme != "sc":
        builder = (builder.config("spark.sql.session.timeZone", "UTC")
                   .config("spark.sql.shuffle.partitions", os.environ.get("CJM_SPARK_SHUFFLE_PARTITIONS", "8"))
                   .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    session = builder.getOrCreate()
    if scheme == "sc":
        session.conf.set("spark.sql.session.timeZone", "UTC")
    con = ibis.pyspark.connect(session)
    return SparkBackend(con, label=label)
