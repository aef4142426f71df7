"""Search index: a covering index (term, field, entity_id, record_id) replaces (term, field).

A search part is answered from the index alone, and the parts are intersected in the database
before any limit. The old index is a prefix of the new one, so it goes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_search_term_cover", "search_term", ["term", "field", "entity_id", "record_id"]
    )
    op.drop_index("ix_search_term_term", "search_term")


def downgrade() -> None:
    op.create_index("ix_search_term_term", "search_term", ["term", "field"])
    op.drop_index("ix_search_term_cover", "search_term")
