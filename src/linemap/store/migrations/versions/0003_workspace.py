"""Workspace: agency contacts, information sharing agreements, web sessions, search index.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.String(40)


def upgrade() -> None:
    with op.batch_alter_table("agency") as batch:
        batch.add_column(sa.Column("contact", sa.String(200)))
    op.create_table(
        "isa",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("lawful_basis", sa.Text, nullable=False),
        sa.Column("roles", sa.Text, nullable=False),
        sa.Column("record_kinds", sa.Text, nullable=False),
        sa.Column("start_date", sa.String(10), nullable=False),
        sa.Column("end_date", sa.String(10), nullable=False),
        sa.Column("max_tlp", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "isa_party",
        sa.Column("isa_id", sa.Integer, sa.ForeignKey("isa.id"), primary_key=True),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id"), primary_key=True),
    )
    op.create_table(
        "web_session",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("actor.id"), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.Column("ended_at", TS),
    )
    op.create_index("ix_web_session_actor_id", "web_session", ["actor_id"])
    op.create_table(
        "search_term",
        sa.Column(
            "term",
            sa.String(80).with_variant(sa.String(80, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("field", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.String(300), nullable=False),
        sa.Column("record_id", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_search_term_term", "search_term", ["term", "field"])
    op.create_index("ix_search_term_record_id", "search_term", ["record_id"])
    op.create_table(
        "search_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("record_id", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("search_head")
    op.drop_index("ix_search_term_record_id", "search_term")
    op.drop_index("ix_search_term_term", "search_term")
    op.drop_table("search_term")
    op.drop_index("ix_web_session_actor_id", "web_session")
    op.drop_table("web_session")
    op.drop_table("isa_party")
    op.drop_table("isa")
    with op.batch_alter_table("agency") as batch:
        batch.drop_column("contact")
