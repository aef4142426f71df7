"""Foundation: agencies, actors, import batches, source records, statements, audit trail.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.String(40)


def upgrade() -> None:
    op.create_table(
        "agency",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("area", sa.String(120)),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "actor",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(120), nullable=False, unique=True),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("mapping", sa.String(120), nullable=False),
        sa.Column("mapping_digest", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(400), nullable=False),
        sa.Column("file_digest", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("accepted", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("unchanged", sa.Integer, nullable=False),
        sa.Column("superseded", sa.Integer, nullable=False),
    )
    op.create_table(
        "source_record",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("source_ref", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column(
            "batch_id", sa.Integer, sa.ForeignKey("import_batch.id"), nullable=False, index=True
        ),
        sa.Column("row_number", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.LargeBinary(16), nullable=False),
        sa.Column("recorded_at", sa.String(10)),
        sa.Column("first_statement_id", sa.BigInteger, nullable=False),
        sa.Column("statement_count", sa.Integer, nullable=False),
        sa.Column("supersedes_id", sa.BigInteger),
        sa.Column("erased_at", TS),
        sa.UniqueConstraint(
            "agency_id", "source_ref", "version", name="uq_source_record_ref_version"
        ),
    )
    op.create_index("ix_source_record_agency_ref", "source_record", ["agency_id", "source_ref"])
    op.create_table(
        "qualifier",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("source_evaluation", sa.String(1)),
        sa.Column("intelligence_assessment", sa.String(1)),
        sa.Column("handling_code", sa.String(1), nullable=False),
        sa.Column("handling_conditions", sa.Text),
        sa.Column("legacy_grading", sa.String(3)),
        sa.Column("tlp", sa.String(16), nullable=False),
        sa.Column("subject_category", sa.String(24)),
        sa.Column("basis", sa.String(24), nullable=False),
        sa.Column("review_by", sa.String(10)),
    )
    op.create_table(
        "statement",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("source_record_id", sa.BigInteger, nullable=False),
        sa.Column("entity_key", sa.String(60), nullable=False),
        sa.Column("schema", sa.String(40), nullable=False),
        sa.Column("prop", sa.String(40), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("original_value", sa.Text),
        sa.Column("first_seen", sa.String(10)),
        sa.Column("qualifier_id", sa.Integer, nullable=False),
    )
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "batch_id", sa.Integer, sa.ForeignKey("import_batch.id"), nullable=False, index=True
        ),
        sa.Column("row_number", sa.Integer, nullable=False),
        sa.Column("problems", sa.Text, nullable=False),
        sa.Column("raw", sa.Text, nullable=False),
    )
    op.create_table(
        "audit_event",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("operation", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("actor_agency", sa.String(32)),
        sa.Column("actor_role", sa.String(40)),
        sa.Column("record_ids", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("justification", sa.Text),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "audit_head",
        "audit_event",
        "quarantine",
        "statement",
        "qualifier",
        "source_record",
        "import_batch",
        "actor",
        "agency",
    ):
        op.drop_table(table)
