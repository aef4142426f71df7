"""MACE meetings with their VOLT agendas, attendees, minutes and decisions, and their actions.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mace_meeting",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("area", sa.String(120), nullable=False),
        sa.Column("held_on", sa.String(10), nullable=False),
        sa.Column("chair", sa.String(120), nullable=False),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("network_snapshot.id")),
        sa.Column("attendees", sa.Text, nullable=False),
        sa.Column("agenda", sa.Text, nullable=False),
        sa.Column("minutes", sa.Text),
        sa.Column("decisions", sa.Text),
        sa.Column("closed_at", sa.String(40)),
    )
    op.create_table(
        "mace_action",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("meeting_id", sa.Integer, sa.ForeignKey("mace_meeting.id"), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("owner_agency", sa.String(32), nullable=False),
        sa.Column("owner", sa.String(120), nullable=False),
        sa.Column("due", sa.String(10), nullable=False),
        sa.Column("done_on", sa.String(10)),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("mace_action")
    op.drop_table("mace_meeting")
