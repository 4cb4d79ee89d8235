"""The first schema: dashboards with one share token hash each, versions, snapshots.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("events", sa.LargeBinary, nullable=False),
        sa.Column("customers", sa.LargeBinary, nullable=True),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "dashboards",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("owner_name", sa.String(200), nullable=False),
        sa.Column("owner_token_hash", sa.String(64), nullable=False),
        sa.Column("share_token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_dashboards_owner_token_hash", "dashboards", ["owner_token_hash"])
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("dashboard_id", sa.Integer, sa.ForeignKey("dashboards.id", ondelete="CASCADE"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("mappings", sa.Text, nullable=False),
        sa.Column("maps", sa.Text, nullable=False),
        sa.Column("snapshot_hash", sa.String(64), sa.ForeignKey("snapshots.hash"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("dashboard_id", "number", name="uq_versions_dashboard_number"),
    )
    op.create_index("ix_versions_dashboard_id", "versions", ["dashboard_id"])
    op.create_index("ix_versions_snapshot_hash", "versions", ["snapshot_hash"])


def downgrade() -> None:
    op.drop_table("versions")
    op.drop_table("dashboards")
    op.drop_table("snapshots")
