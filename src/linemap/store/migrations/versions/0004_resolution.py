"""Identity resolution: versioned runs, their clusters and candidate pairs; human judgements.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.String(40)
ID = sa.String(300)


def upgrade() -> None:
    op.create_table(
        "resolution_run",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("backend", sa.String(20), nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("model_digest", sa.String(64), nullable=False),
        sa.Column("trained_in_run", sa.Integer),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.Column("people", sa.Integer, nullable=False),
    )
    op.create_table(
        "resolution_member",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("resolution_run.id"), primary_key=True),
        sa.Column("entity_id", ID, primary_key=True),
        sa.Column("person_id", sa.String(40), nullable=False),
        sa.Column("record_id", sa.BigInteger, nullable=False),
        sa.Column("subject", sa.Boolean, nullable=False),
    )
    op.create_index("ix_resolution_member_person", "resolution_member", ["run_id", "person_id"])
    op.create_table(
        "resolution_pair",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("resolution_run.id"), primary_key=True),
        sa.Column("entity_l", ID, primary_key=True),
        sa.Column("entity_r", ID, primary_key=True),
        sa.Column("probability", sa.Float, nullable=False),
        sa.Column("match_weight", sa.Float, nullable=False),
        sa.Column("involves_child", sa.Boolean, nullable=False),
        sa.Column("explanation", sa.Text),
    )
    op.create_index("ix_resolution_pair_review", "resolution_pair", ["run_id", "probability"])
    op.create_table(
        "judgement",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entity_l", ID, nullable=False),
        sa.Column("entity_r", ID, nullable=False),
        sa.Column("judgement", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("actor_agency", sa.String(32), nullable=False),
        sa.Column("made_at", TS, nullable=False),
        sa.Column("undone_at", TS),
        sa.Column("undone_by", sa.String(120)),
        sa.Column("undo_reason", sa.Text),
    )
    op.create_index("ix_judgement_pair", "judgement", ["entity_l", "entity_r"])


def downgrade() -> None:
    op.drop_index("ix_judgement_pair", "judgement")
    op.drop_table("judgement")
    op.drop_index("ix_resolution_pair_review", "resolution_pair")
    op.drop_table("resolution_pair")
    op.drop_index("ix_resolution_member_person", "resolution_member")
    op.drop_table("resolution_member")
    op.drop_table("resolution_run")
