"""The network map: versioned snapshots, their nodes and evidenced edges, and their findings.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "network_snapshot",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40)),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column(
            "resolution_run_id", sa.Integer, sa.ForeignKey("resolution_run.id"), nullable=False
        ),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("records", sa.Integer, nullable=False),
        sa.Column("nodes", sa.Integer, nullable=False),
        sa.Column("edges", sa.Integer, nullable=False),
        sa.Column("summary", sa.Text),
    )
    snapshot = sa.ForeignKey("network_snapshot.id")
    op.create_table(
        "network_node",
        sa.Column("snapshot_id", sa.Integer, snapshot, primary_key=True),
        sa.Column("node_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("attributes", sa.Text),
    )
    op.create_table(
        "network_edge",
        sa.Column(
            "snapshot_id", sa.Integer, sa.ForeignKey("network_snapshot.id"), primary_key=True
        ),
        sa.Column("edge_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("source", sa.Integer, nullable=False),
        sa.Column("target", sa.Integer, nullable=False),
        sa.Column("role", sa.String(40)),
        sa.Column("start_date", sa.String(10)),
        sa.Column("end_date", sa.String(10)),
        sa.Column("records", sa.Text, nullable=False),
        sa.Column("agencies", sa.Text, nullable=False),
        sa.Column("grading", sa.String(8)),
        sa.Column("weak", sa.Boolean, nullable=False),
    )
    op.create_table(
        "network_finding",
        sa.Column(
            "snapshot_id", sa.Integer, sa.ForeignKey("network_snapshot.id"), primary_key=True
        ),
        sa.Column("finding_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("line", sa.String(16)),
        sa.Column("node_id", sa.Integer),
        sa.Column("label", sa.String(40)),
        sa.Column("score", sa.Float),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_network_finding_kind", "network_finding", ["snapshot_id", "kind"])


def downgrade() -> None:
    op.drop_index("ix_network_finding_kind", "network_finding")
    op.drop_table("network_finding")
    op.drop_table("network_edge")
    op.drop_table("network_node")
    op.drop_table("network_snapshot")
