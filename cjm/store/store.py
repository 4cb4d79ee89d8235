"""Saved dashboards: save, version, restore, share and delete, in one database (SQLAlchemy).

Where: `CJM_DATABASE_URL` (any SQLAlchemy URL, e.g. postgresql+psycopg://...), else a SQLite file
`cjm.db` in `CJM_DATA_DIR` (default `.cjm/` in the working folder), created on first use. The schema is
brought up to date by the Alembic migrations shipped in this package every time a store is opened.

Snapshots live in the database, not in files beside it: one transaction writes the blob and the version
that uses it, so a crash can never leave a version pointing at a missing file (or a file nobody uses),
a backup is one file (SQLite) or one pg_dump, and several app servers share one PostgreSQL.

Rights: the owner token (kept by its owner, shown once) edits, versions, revokes and deletes; a share
token only reads the latest version. Only SHA-256 hashes of tokens are stored; every comparison is
constant-time. Messages never contain a token.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from cjm.errors import CJMError
from cjm.store import models, tokens
from cjm.store.snapshot import Snapshot

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0002"


class StoreError(CJMError):
    """A saved dashboard cannot be opened or changed (the message says why, in plain words)."""


class LinkError(StoreError):
    """A share or owner link that does not open a dashboard: unknown, expired, revoked or deleted."""


def database_url() -> str:
    url = os.environ.get("CJM_DATABASE_URL")
    if url:
        return url
    folder = Path(os.environ.get("CJM_DATA_DIR") or ".cjm")
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / 'cjm.db').resolve()}"


def migrate(engine, revision: str = "head") -> None:
    """Bring the database schema to `revision` with the shipped Alembic migrations."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:  # SQLite rebuilds altered tables; dropping the old one must not cascade to its children
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def make_engine(url: str):
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):  # foreign keys on; a writer waits instead of failing
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()
    return engine


@dataclass(frozen=True)
class ShareInfo:
    id: int
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    lock_filters: bool

    @property
    def active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > _now())


@dataclass(frozen=True)
class VersionInfo:
    number: int
    created_at: dt.datetime
    snapshot_hash: str
    note: str


@dataclass(frozen=True)
class DashboardInfo:
    id: int
    title: str
    description: str
    owner_name: str
    created_at: dt.datetime
    updated_at: dt.datetime
    versions: tuple[VersionInfo, ...]
    shares: tuple[ShareInfo, ...]

    @property
    def latest(self) -> int:
        return self.versions[-1].number if self.versions else 0


@dataclass(frozen=True)
class Opened:
    """One version of a dashboard, as a viewer or its owner opens it."""

    dashboard: DashboardInfo
    version: int
    saved_at: dt.datetime
    spec: dict
    mappings: dict
    maps: list
    snapshot: Snapshot
    share: ShareInfo | None = None  # how it was opened (None: by its owner)

    @property
    def read_only(self) -> bool:
        return self.share is not None


@dataclass(frozen=True)
class Saved:
    """What a save returns. The tokens are shown to the owner once and never stored in clear."""

    dashboard_id: int
    version: int
    owner_token: str | None = None
    share_token: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)  # SQLite drops the zone


def _share_info(share: models.Share) -> ShareInfo:
    return ShareInfo(id=share.id, created_at=_aware(share.created_at), expires_at=_aware(share.expires_at),
                     revoked_at=_aware(share.revoked_at), lock_filters=bool(share.lock_filters))


def _info(row: models.Dashboard) -> DashboardInfo:
    return DashboardInfo(
        id=row.id, title=row.title, description=row.description or "", owner_name=row.owner_name or "",
        created_at=_aware(row.created_at), updated_at=_aware(row.updated_at),
        versions=tuple(VersionInfo(v.number, _aware(v.created_at), v.snapshot_hash, v.note or "")
                       for v in row.versions),
        shares=tuple(_share_info(s) for s in row.shares))


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise StoreError("A dashboard needs a title: type one (e.g. 'Checkout funnel, Q3').")
    if len(title) > 200:
        raise StoreError(f"The title has {len(title)} characters; keep it to 200 or fewer.")
    return title


NOT_FOUND = ("This link does not open a dashboard: it is not valid, or the dashboard was deleted. "
             "Ask whoever sent it for a new link.")


class Store:
    """Saved dashboards in one database. Every write is one transaction."""

    def __init__(self, url: str | None = None):
        self.url = url or database_url()
        self.engine = make_engine(self.url)
        migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    # --- saving -----------------------------------------------------------------------------------
    def create(self, *, title: str, snapshot: Snapshot, spec: dict, description: str = "", owner_name: str = "",
               owner_token: str | None = None, maps: list | None = None, expires_at: dt.datetime | None = None,
               lock_filters: bool = False, note: str = "") -> Saved:
        """A new dashboard (version 1) and its first share link. Reuses `owner_token` when given (one owner
        key for all of a person's dashboards), else makes one."""
        owner = owner_token or tokens.new_token()
        share = tokens.new_token()
        with self._sessions.begin() as session:
            row = models.Dashboard(title=_title(title), description=description or "", owner_name=owner_name or "",
                                   owner_token_hash=tokens.hash_token(owner))
            session.add(row)
            session.flush()
            self._add_version(session, row, snapshot=snapshot, spec=spec, maps=maps, note=note)
            session.add(models.Share(dashboard_id=row.id, token_hash=tokens.hash_token(share),
                                     expires_at=expires_at, lock_filters=lock_filters))
        return Saved(dashboard_id=row.id, version=1, owner_token=None if owner_token else owner, share_token=share)

    def save_version(self, dashboard_id: int, owner_token: str, *, snapshot: Snapshot, spec: dict,
                     maps: list | None = None, note: str = "") -> Saved:
        """Save again: a new version; the share links now show it, older versions stay."""
        with self._sessions.begin() as session:
            row = self._owned(session, dashboard_id, owner_token)
            number = self._add_version(session, row, snapshot=snapshot, spec=spec, maps=maps, note=note)
        return Saved(dashboard_id=dashboard_id, version=number)

    def _add_version(self, session: Session, row: models.Dashboard, *, snapshot: Snapshot, spec: dict,
                     maps: list | None, note: str) -> int:
        digest = snapshot.hash
        if session.get(models.Snapshot, digest) is None:  # stored once, however many versions use it
            session.add(models.Snapshot(hash=digest, events=snapshot.events, customers=snapshot.customers,
                                        rejected=snapshot.rejected, meta=json.dumps(snapshot.meta, sort_keys=True),
                                        rows=int(snapshot.meta.get("events", 0))))
            session.flush()
        latest = session.scalar(select(models.Version.number).where(models.Version.dashboard_id == row.id)
                                .order_by(models.Version.number.desc()).limit(1)) or 0
        spec = dict(spec)
        maps = maps if maps is not None else spec.get("maps", [])
        session.add(models.Version(dashboard_id=row.id, number=latest + 1, snapshot_hash=digest,
                                   spec=json.dumps(spec, sort_keys=True, ensure_ascii=False),
                                   mappings=json.dumps(spec.get("mappings", {}), sort_keys=True, ensure_ascii=False),
                                   maps=json.dumps(maps, sort_keys=True, ensure_ascii=False), note=note or ""))
        row.updated_at = _now()
        return latest + 1

    # --- owner actions ----------------------------------------------------------------------------
    def _owned(self, session: Session, dashboard_id: int, owner_token: str) -> models.Dashboard:
        row = session.get(models.Dashboard, int(dashboard_id))
        if row is None or row.deleted_at is not None or not tokens.matches(owner_token, row.owner_token_hash):
            raise LinkError("This owner link does not open that dashboard (it is not valid, or the dashboard "
                            "was deleted). Only its owner can change it.")
        return row

    def dashboards(self, owner_tokens) -> list[DashboardInfo]:
        """The dashboards the holder of these owner tokens owns, most recently changed first."""
        hashes = {tokens.hash_token(t) for t in owner_tokens if t}
        if not hashes:
            return []
        with self._sessions() as session:
            rows = session.scalars(select(models.Dashboard).where(models.Dashboard.owner_token_hash.in_(hashes),
                                                                  models.Dashboard.deleted_at.is_(None))).all()
            # the lookup used the hash; confirm each in constant time before handing anything out
            rows = [r for r in rows if any(tokens.matches(t, r.owner_token_hash) for t in owner_tokens if t)]
            return sorted((_info(r) for r in rows), key=lambda d: (d.updated_at, d.id), reverse=True)

    def rename(self, dashboard_id: int, owner_token: str, *, title: str, description: str | None = None) -> None:
        with self._sessions.begin() as session:
            row = self._owned(session, dashboard_id, owner_token)
            row.title = _title(title)
            if description is not None:
                row.description = description
            row.updated_at = _now()

    def open_version(self, dashboard_id: int, owner_token: str, number: int | None = None) -> Opened:
        with self._sessions() as session:
            row = self._owned(session, dashboard_id, owner_token)
            return self._opened(session, row, number)

    def restore(self, dashboard_id: int, owner_token: str, number: int) -> Saved:
        """Make an old version the latest again (as a new version, so nothing is lost)."""
        with self._sessions.begin() as session:
            row = self._owned(session, dashboard_id, owner_token)
            old = self._version(session, row, number)
            latest = row.versions[-1].number
            session.add(models.Version(dashboard_id=row.id, number=latest + 1, spec=old.spec, mappings=old.mappings,
                                       maps=old.maps, snapshot_hash=old.snapshot_hash,
                                       note=f"restored from version {number}"))
            row.updated_at = _now()
        return Saved(dashboard_id=dashboard_id, version=latest + 1)

    def delete(self, dashboard_id: int, owner_token: str) -> None:
        """Delete every version and its data; links to it then say it was deleted."""
        with self._sessions.begin() as session:
            row = self._owned(session, dashboard_id, owner_token)
            used = {v.snapshot_hash for v in row.versions}
            for version in list(row.versions):
                session.delete(version)
            session.flush()
            for digest in used:
                still_used = select(models.Version.id).where(models.Version.snapshot_hash == digest).limit(1)
                if session.scalar(still_used) is None:
                    session.delete(session.get(models.Snapshot, digest))
            row.deleted_at = _now()
            row.title, row.description, row.owner_name = "(deleted)", "", ""

    def share(self, dashboard_id: int, owner_token: str, *, expires_at: dt.datetime | None = None,
              lock_filters: bool = False) -> str:
        """A new read-only link (the token, shown once)."""
        token = tokens.new_token()
        with self._sessions.begin() as session:
            row = self._owned(session, dashboard_id, owner_token)
            session.add(models.Share(dashboard_id=row.id, token_hash=tokens.hash_token(token), expires_at=expires_at,
                                     lock_filters=lock_filters))
        return token

    def _share_of(self, session, dashboard_id, owner_token, share_id) -> models.Share:
        row = self._owned(session, dashboard_id, owner_token)
        share = session.get(models.Share, int(share_id))
        if share is None or share.dashboard_id != row.id:
            raise StoreError("That share link does not belong to this dashboard.")
        return share

    def revoke(self, dashboard_id: int, owner_token: str, share_id: int) -> None:
        with self._sessions.begin() as session:
            share = self._share_of(session, dashboard_id, owner_token, share_id)
            share.revoked_at = share.revoked_at or _now()

    def set_share(self, dashboard_id: int, owner_token: str, share_id: int, *, expires_at: dt.datetime | None,
                  lock_filters: bool | None = None) -> None:
        with self._sessions.begin() as session:
            share = self._share_of(session, dashboard_id, owner_token, share_id)
            share.expires_at = expires_at
            if lock_filters is not None:
                share.lock_filters = lock_filters

    # --- viewers ----------------------------------------------------------------------------------
    def open_shared(self, token: str) -> Opened:
        """The latest version behind a share link, or a LinkError saying plainly why not."""
        with self._sessions() as session:
            share = self._valid_share(session, token)
            return self._opened(session, share.dashboard, None, share=_share_info(share))

    def check_shared(self, token: str) -> int:
        """The latest version number behind a share link (without reading its data), or a LinkError: an open
        viewer session asks this on every run, so a revoke, an expiry or a delete takes effect at once."""
        with self._sessions() as session:
            share = self._valid_share(session, token)
            return session.scalar(select(models.Version.number).where(models.Version.dashboard_id == share.dashboard_id)
                                  .order_by(models.Version.number.desc()).limit(1)) or 0

    def _valid_share(self, session, token: str) -> models.Share:
        share = session.scalar(select(models.Share).where(models.Share.token_hash == tokens.hash_token(token or "")))
        if share is None or not tokens.matches(token, share.token_hash):
            raise LinkError(NOT_FOUND)
        if share.dashboard.deleted_at is not None:
            raise LinkError("The dashboard behind this link was deleted by its owner.")
        if share.revoked_at is not None:
            raise LinkError("This link was revoked by the dashboard's owner. Ask them for a new link.")
        expires = _aware(share.expires_at)
        if expires is not None and expires <= _now():
            raise LinkError(f"This link expired on {expires:%d %b %Y, %H:%M} UTC. Ask the dashboard's owner "
                            "for a new link.")
        return share

    def owns(self, owner_token: str) -> bool:
        return bool(self.dashboards([owner_token]))

    # --- reading ----------------------------------------------------------------------------------
    def _version(self, session, row, number) -> models.Version:
        if not row.versions:
            raise LinkError(NOT_FOUND)
        if number is None:
            return row.versions[-1]
        for version in row.versions:
            if version.number == int(number):
                return version
        raise StoreError(f"Dashboard {row.title!r} has no version {number}; it has versions "
                         f"1 to {row.versions[-1].number}.")

    def _opened(self, session, row, number, *, share: ShareInfo | None = None) -> Opened:
        version = self._version(session, row, number)
        blob = session.get(models.Snapshot, version.snapshot_hash)
        meta = json.loads(blob.meta or "{}")
        meta.setdefault("events", blob.rows)
        snapshot = Snapshot(events=blob.events, customers=blob.customers, rejected=blob.rejected, meta=meta)
        return Opened(dashboard=_info(row), version=version.number, saved_at=_aware(version.created_at),
                      spec=json.loads(version.spec), mappings=json.loads(version.mappings or "{}"),
                      maps=json.loads(version.maps or "[]"), snapshot=snapshot, share=share)

    def snapshot_count(self) -> int:
        with self._sessions() as session:
            return len(session.scalars(select(models.Snapshot.hash)).all())
