"""Shares become their own table (several links per dashboard, each with expiry, revocation and
locked filters); the first schema's one share token hash per dashboard moves into it. Dashboards can be
deleted (a tombstone keeps old links answering "deleted"); snapshots keep rejected rows and metadata
(row counts, date range); versions get a note.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shares",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("dashboard_id", sa.Integer, sa.ForeignKey("dashboards.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lock_filters", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_shares_dashboard_id", "shares", ["dashboard_id"])
    op.execute("INSERT INTO shares (dashboard_id, token_hash, created_at, lock_filters) "
               "SELECT id, share_token_hash, created_at, false FROM dashboards")
    with op.batch_alter_table("dashboards") as batch:
        batch.drop_column("share_token_hash")
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("note", sa.Text, nullable=False, server_default=""))
    with op.batch_alter_table("snapshots") as batch:
        batch.add_column(sa.Column("rejected", sa.LargeBinary, nullable=True))
        batch.add_column(sa.Column("meta", sa.Text, nullable=False, server_default="{}"))


def downgrade() -> None:
    raise NotImplementedError("cjm's store does not downgrade; restore a backup of the database instead.")
