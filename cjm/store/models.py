"""The database schema of saved dashboards (the head of the Alembic migrations in migrations/versions).

dashboards  1 -- n  versions  n -- 1  snapshots (Parquet blobs named by content hash, stored once)
dashboards  1 -- n  shares    (read-only links: token hash, expiry, revoked, locked filters)
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    pass


class Snapshot(Base):
    __tablename__ = "snapshots"
    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    events: Mapped[bytes] = mapped_column(LargeBinary)
    customers: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    rejected: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # revision 0002
    meta: Mapped[str] = mapped_column(Text, default="{}")  # revision 0002: JSON (rows, date range, files)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


class Dashboard(Base):
    __tablename__ = "dashboards"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    owner_token_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)  # 0002
    versions: Mapped[list["Version"]] = relationship(back_populates="dashboard", order_by="Version.number",
                                                     cascade="all, delete-orphan")
    shares: Mapped[list["Share"]] = relationship(back_populates="dashboard", order_by="Share.id",
                                                 cascade="all, delete-orphan")


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("dashboard_id", "number", name="uq_versions_dashboard_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dashboard_id: Mapped[int] = mapped_column(ForeignKey("dashboards.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    spec: Mapped[str] = mapped_column(Text)  # the whole DashboardSpec as JSON (pages, filters, maps, ...)
    mappings: Mapped[str] = mapped_column(Text, default="{}")
    maps: Mapped[str] = mapped_column(Text, default="[]")
    snapshot_hash: Mapped[str] = mapped_column(ForeignKey("snapshots.hash"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")  # revision 0002
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    dashboard: Mapped[Dashboard] = relationship(back_populates="versions")


class Share(Base):  # revision 0002 (revision 0001 kept one share token hash on the dashboard)
    __tablename__ = "shares"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dashboard_id: Mapped[int] = mapped_column(ForeignKey("dashboards.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    lock_filters: Mapped[bool] = mapped_column(Boolean, default=False)
    dashboard: Mapped[Dashboard] = relationship(back_populates="shares")
