"""The link chart reads a snapshot by node: its edges from either end, and nodes by key.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_network_edge_source", "network_edge", ["snapshot_id", "source"])
    op.create_index("ix_network_edge_target", "network_edge", ["snapshot_id", "target"])
    op.create_index("ix_network_node_key", "network_node", ["snapshot_id", "kind", "key"])


def downgrade() -> None:
    op.drop_index("ix_network_node_key", "network_node")
    op.drop_index("ix_network_edge_target", "network_edge")
    op.drop_index("ix_network_edge_source", "network_edge")
