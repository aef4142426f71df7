"""Review pairs by which a record holding only a name joined the one person it matches.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("resolution_pair") as batch:
        batch.add_column(
            sa.Column("joined_on_name", sa.Boolean, nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("resolution_pair") as batch:
        batch.drop_column("joined_on_name")
