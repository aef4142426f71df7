"""Safeguarding: assessment runs and their flags, and the cases that carry each flagged
person to a decision.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessment_run",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40)),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column(
            "resolution_run_id", sa.Integer, sa.ForeignKey("resolution_run.id"), nullable=False
        ),
        sa.Column("criteria", sa.String(80), nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("people", sa.Integer, nullable=False),
        sa.Column("flags", sa.Integer, nullable=False),
        sa.Column("summary", sa.Text),
    )
    op.create_table(
        "flag",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("assessment_run.id"), primary_key=True),
        sa.Column("flag_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("person_id", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("child", sa.Boolean, nullable=False),
        sa.Column("frame", sa.String(12), nullable=False),
        sa.Column("risk", sa.String(24), nullable=False),
        sa.Column("raised_by", sa.String(120), nullable=False),
        sa.Column("raised_on", sa.String(10), nullable=False),
        sa.Column("review_by", sa.String(10), nullable=False),
        sa.Column("home_authority", sa.String(120)),
        sa.Column("records", sa.Text, nullable=False),
        sa.Column("observations", sa.Text, nullable=False),
    )
    op.create_index("ix_flag_subject", "flag", ["subject"])
    op.create_table(
        "safeguard_case",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workflow", sa.String(24), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("opened_at", sa.String(40), nullable=False),
        sa.Column("opened_by", sa.String(120), nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_safeguard_case_subject", "safeguard_case", ["subject"])
    op.create_table(
        "case_step",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("safeguard_case.id"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("target", sa.String(40), nullable=False),
        sa.Column("by_name", sa.String(120), nullable=False),
        sa.Column("by_role", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("on_date", sa.String(10), nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("details", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("case_step")
    op.drop_index("ix_safeguard_case_subject", "safeguard_case")
    op.drop_table("safeguard_case")
    op.drop_index("ix_flag_subject", "flag")
    op.drop_table("flag")
    op.drop_table("assessment_run")
