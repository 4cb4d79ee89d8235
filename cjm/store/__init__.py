"""Saved and shared dashboards (DESIGN.md section 6): SQLAlchemy models, Alembic migrations shipped in
this package and run programmatically, Parquet snapshots named by content hash, hashed tokens."""

from cjm.store.snapshot import Snapshot, read_snapshot, take_snapshot
from cjm.store.store import (DashboardInfo, LinkError, Opened, Saved, ShareInfo, Store, StoreError, VersionInfo,
                             database_url, migrate)

__all__ = ["DashboardInfo", "LinkError", "Opened", "Saved", "ShareInfo", "Snapshot", "Store", "StoreError",
           "VersionInfo", "database_url", "migrate", "read_snapshot", "take_snapshot"]
