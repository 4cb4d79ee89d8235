"""A real PostgreSQL server for the tests: Debian's package, started on a free loopback port, always stopped.

`postgres_url` is a session fixture giving an SQLAlchemy URL (postgresql+psycopg://...) to an empty
database. The server runs as the `postgres` system user when the tests run as root (initdb refuses root).
Tests that need it skip with the reason when no PostgreSQL server binaries are installed (`make test`
installs them).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid

import pytest

from tests.browser import free_port


def _bin_dir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return os.path.dirname(found[-1])
    ctl = shutil.which("pg_ctl")
    return os.path.dirname(ctl) if ctl else None


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


@pytest.fixture(scope="session")
def postgres_server():
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (make test installs Debian's postgresql)")
    root = tempfile.mkdtemp(prefix="cjm-pg-")
    data = os.path.join(root, "data")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    os.chmod(root, 0o777)
    subprocess.run(_as_server_user([f"{bin_dir}/initdb", "-D", data, "-U", "cjm", "--auth=trust",
                                    "--encoding=UTF8", "--locale=C"]),
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off"
    subprocess.run(_as_server_user([f"{bin_dir}/pg_ctl", "-D", data, "-o", options, "-l",
                                    os.path.join(root, "log"), "-w", "-t", "60", "start"]),
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield {"host": "127.0.0.1", "port": port, "user": "cjm", "bin": bin_dir}
    finally:
        subprocess.run(_as_server_user([f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture()
def postgres_url(postgres_server):
    """A fresh, empty database on the session's server, as an SQLAlchemy URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    s = postgres_server
    subprocess.run([f"{s['bin']}/createdb", "-h", s["host"], "-p", str(s["port"]), "-U", s["user"], name],
                   check=True)
    return f"postgresql+psycopg://{s['user']}@{s['host']}:{s['port']}/{name}"



def text_table(url: str, name: str, text: str) -> None:
    """The CSV `text` as the PostgreSQL table `name` of text columns (every cell as written, blanks empty), replacing
    one of that name."""
    import io

    import pandas as pd
    import sqlalchemy

    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    sa = sqlalchemy.create_engine(url)
    try:
        frame.to_sql(name, sa, index=False, if_exists="replace")
    finally:
        sa.dispose()
