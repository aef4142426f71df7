"""Community and family reports, held apart until triage.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "community_report",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(20), nullable=False, unique=True),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
        sa.Column("concern", sa.Text, nullable=False),
        sa.Column("location", sa.Text),
        sa.Column("happened", sa.String(40)),
        sa.Column("details", sa.Text),
        sa.Column("reporter", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("triaged_by", sa.String(120)),
        sa.Column("triaged_at", sa.String(40)),
        sa.Column("triage_reason", sa.Text),
        sa.Column("record_id", sa.BigInteger),
    )


def downgrade() -> None:
    op.drop_table("community_report")
