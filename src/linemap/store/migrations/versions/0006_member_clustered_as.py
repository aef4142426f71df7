"""Judgements take effect at once: a run's member remembers the cluster the run put it in.

A positive judgement joins two people of the latest run straight away (and its undo parts them
again), so a member's person can differ from its cluster; `clustered_as` keeps the cluster then
(null while they agree, which is every member of a run until someone judges).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("resolution_member") as batch:
        batch.add_column(sa.Column("clustered_as", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("resolution_member") as batch:
        batch.drop_column("clustered_as")
